"""Alert routes: decode, call one use case in one transaction; refusals are answered from ``app.ERRORS``."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import structlog
from litestar import Request, get, post
from litestar.params import FromPath

from eventkit.providers import PageDep, UnitsDep
from padron.alerts import domain, handlers
from padron.alerts.domain import Alert
from padron.alerts.repo import AlertPgRepo
from padron.shared.api import ScopeDep, json_of, list_query, resource, transaction
from padron.shared.reports import Page

log = structlog.get_logger(__name__)


def routes() -> list[Any]:
    @post("/padron/beneficiaries/{beneficiary_id:uuid}/alerts", summary="Registrar una alerta", status_code=201)
    async def raise_alert(beneficiary_id: FromPath[UUID], request: Request, caller: ScopeDep, units: UnitsDep) -> Alert:
        body = await json_of(request)
        async with transaction(units, caller, resource(request)) as uow:
            repo = AlertPgRepo(uow)
            alert = await handlers.raise_alert(beneficiary_id, body, caller, repo)
        log.info("alert_raised", alert_id=str(alert.alert_id), beneficiary_id=str(beneficiary_id), by=caller.username)
        return alert

    @get("/padron/alerts", summary="Alertas de su jurisdicción (más recientes primero)")
    async def list_alerts(request: Request, caller: ScopeDep, units: UnitsDep, page: PageDep) -> Page:
        query = list_query(request, page, domain.ALERT_STATES)
        async with transaction(units, caller, resource(request)) as uow:
            repo = AlertPgRepo(uow)
            return await handlers.list_alerts(query, caller, resource(request), repo)

    @post("/padron/alerts/{alert_id:uuid}/attend", summary="Dar por atendida una alerta", status_code=200)
    async def attend_alert(alert_id: FromPath[UUID], request: Request, caller: ScopeDep, units: UnitsDep) -> Alert:
        async with transaction(units, caller, resource(request)) as uow:
            repo = AlertPgRepo(uow)
            alert = await handlers.attend_alert(alert_id, caller, repo)
        log.info("alert_attended", alert_id=str(alert_id), by=caller.username)
        return alert

    return [raise_alert, list_alerts, attend_alert]

"""Alert routes: decode, call one use case in one transaction; refusals are answered from ``app.ERRORS``."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
import structlog
from litestar import Request, get, post
from litestar.params import FromPath, JSONBody

from eventkit.http import refusals
from eventkit.providers import PageDep, UnitsDep
from padron.alerts import domain, handlers
from padron.alerts.repo import AlertPgRepo
from padron.shared.api import ScopeDep, list_query, resource, state_query, transaction, view

log = structlog.get_logger(__name__)

StateQuery = Annotated[str | None, state_query(domain.ALERT_STATES, "Solo las alertas en este estado.")]

AlertType = Literal["FALLECIMIENTO", "CAMBIO_DE_DOMICILIO", "NO_COBRA", "EN_RIESGO", "OTRO"]


class AlertBody(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    alert_type: AlertType
    detail: Annotated[str, msgspec.Meta(max_length=domain.MAX_DETAIL)]


class Alert(msgspec.Struct, kw_only=True):
    alert_id: UUID
    beneficiary_id: UUID
    ubigeo: str
    alert_type: AlertType
    detail: str
    state: Literal["ABIERTA", "ATENDIDA"]
    raised_by: str
    raised_at: datetime
    dni: str | None = None
    names: str | None = None


class AlertPage(msgspec.Struct, kw_only=True):
    items: list[Alert]
    next: str | None
    """The ``after`` of the next (older) page; none on the last one."""


def routes() -> list[Any]:
    @post(
        "/padron/beneficiaries/{beneficiary_id:uuid}/alerts",
        summary="Registrar una alerta",
        status_code=201,
        responses=refusals(400, 401, 403, 404, 422),
    )
    async def raise_alert(
        beneficiary_id: FromPath[UUID], data: JSONBody[AlertBody], request: Request, caller: ScopeDep, units: UnitsDep
    ) -> Alert:
        async with transaction(units, caller, resource(request)) as uow:
            repo = AlertPgRepo(uow)
            alert = await handlers.raise_alert(beneficiary_id, msgspec.to_builtins(data), caller, repo)
        log.info("alert_raised", alert_id=str(alert.alert_id), beneficiary_id=str(beneficiary_id), by=caller.username)
        return view(alert, Alert)

    @get(
        "/padron/alerts",
        summary="Alertas de su jurisdicción (más recientes primero)",
        responses=refusals(401, 403, 422),
    )
    async def list_alerts(
        request: Request, caller: ScopeDep, units: UnitsDep, page: PageDep, wanted: StateQuery = None
    ) -> AlertPage:
        query = list_query(wanted, page, domain.ALERT_STATES)
        async with transaction(units, caller, resource(request)) as uow:
            repo = AlertPgRepo(uow)
            return view(await handlers.list_alerts(query, caller, resource(request), repo), AlertPage)

    @post(
        "/padron/alerts/{alert_id:uuid}/attend",
        summary="Dar por atendida una alerta",
        status_code=200,
        responses=refusals(401, 403, 404, 409, r409="La alerta ya fue atendida."),
    )
    async def attend_alert(alert_id: FromPath[UUID], request: Request, caller: ScopeDep, units: UnitsDep) -> Alert:
        async with transaction(units, caller, resource(request)) as uow:
            repo = AlertPgRepo(uow)
            alert = await handlers.attend_alert(alert_id, caller, repo)
        log.info("alert_attended", alert_id=str(alert_id), by=caller.username)
        return view(alert, Alert)

    return [raise_alert, list_alerts, attend_alert]

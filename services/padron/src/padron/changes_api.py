"""Routes of alerts and FAD: decode, call one use case in one transaction; refusals come from ``deps.ERRORS``."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any
from uuid import UUID

import msgspec
import structlog
from litestar import Request, get, post
from litestar.params import FromPath

from eventkit.http import UserError
from eventkit.paging import PageQuery
from eventkit.providers import ClockDep, PageDep, Units, UnitsDep
from padron import changes, changes_handlers
from padron.changes import Alert, Fad, Page
from padron.changes_handlers import Decided, ListQuery
from padron.changes_repo import ChangesPgRepo
from padron.shared.api import ScopeDep, logging_refusals
from padron.shared.scope import Scope

log = structlog.get_logger(__name__)


def _resource(request: Request) -> str:
    query = request.url.query
    return f"{request.url.path}?{query}" if query else request.url.path


async def _body(request: Request) -> Any:
    try:
        return msgspec.json.decode(await request.body() or b"{}")
    except msgspec.DecodeError:
        raise UserError("El cuerpo de la solicitud no es JSON válido.", 400) from None


def _query(request: Request, page: PageQuery, states: tuple[str, ...]) -> ListQuery:
    """The filter and the page; the kit bounds ``limit``, this list's own cursor says where it starts."""
    return ListQuery(
        state=changes.state_filter(request.query_params.get("state"), states),
        after=changes.decode_cursor(page.after),
        limit=page.limit,
    )


@contextlib.asynccontextmanager
async def unit(units: Units, caller: Scope, request: Request) -> AsyncIterator[ChangesPgRepo]:
    """One transaction; a refusal rolls it back, and a scope refusal is then logged in a transaction of its own."""
    async with logging_refusals(units, caller, _resource(request)), units.open() as uow:
        yield ChangesPgRepo(uow.conn)


def routes() -> list[Any]:

    @post("/padron/beneficiaries/{beneficiary_id:uuid}/alerts", summary="Registrar una alerta", status_code=201)
    async def raise_alert(beneficiary_id: FromPath[UUID], request: Request, caller: ScopeDep, units: UnitsDep) -> Alert:
        body = await _body(request)
        async with unit(units, caller, request) as repo:
            alert = await changes_handlers.raise_alert(beneficiary_id, body, caller, repo)
        log.info("alert_raised", alert_id=str(alert.alert_id), beneficiary_id=str(beneficiary_id), by=caller.username)
        return alert

    @get("/padron/alerts", summary="Alertas de su jurisdicción (más recientes primero)")
    async def list_alerts(request: Request, caller: ScopeDep, units: UnitsDep, page: PageDep) -> Page:
        query = _query(request, page, changes.ALERT_STATES)
        async with unit(units, caller, request) as repo:
            return await changes_handlers.list_alerts(query, caller, _resource(request), repo)

    @post("/padron/alerts/{alert_id:uuid}/attend", summary="Dar por atendida una alerta", status_code=200)
    async def attend_alert(alert_id: FromPath[UUID], request: Request, caller: ScopeDep, units: UnitsDep) -> Alert:
        async with unit(units, caller, request) as repo:
            alert = await changes_handlers.attend_alert(alert_id, caller, repo)
        log.info("alert_attended", alert_id=str(alert_id), by=caller.username)
        return alert

    @post("/padron/beneficiaries/{beneficiary_id:uuid}/fad", summary="Presentar una FAD", status_code=201)
    async def submit_fad(beneficiary_id: FromPath[UUID], request: Request, caller: ScopeDep, units: UnitsDep) -> Fad:
        body = await _body(request)
        async with unit(units, caller, request) as repo:
            fad = await changes_handlers.submit_fad(beneficiary_id, body, caller, repo)
        log.info("fad_submitted", fad_id=str(fad.fad_id), beneficiary_id=str(beneficiary_id), by=caller.username)
        return fad

    @get("/padron/fad", summary="FAD de su jurisdicción (más recientes primero)")
    async def list_fads(request: Request, caller: ScopeDep, units: UnitsDep, page: PageDep) -> Page:
        query = _query(request, page, changes.FAD_STATES)
        async with unit(units, caller, request) as repo:
            return await changes_handlers.list_fads(query, caller, _resource(request), repo)

    @get("/padron/fad/{fad_id:uuid}", summary="Una FAD con su historial antes/después")
    async def show_fad(fad_id: FromPath[UUID], request: Request, caller: ScopeDep, units: UnitsDep) -> Fad:
        async with unit(units, caller, request) as repo:
            return await changes_handlers.show_fad(fad_id, caller, _resource(request), repo)

    @post("/padron/fad/{fad_id:uuid}/decision", summary="Aprobar o rechazar una FAD (personal)", status_code=200)
    async def decide_fad(
        fad_id: FromPath[UUID], request: Request, caller: ScopeDep, units: UnitsDep, clock: ClockDep
    ) -> Decided:
        body = await _body(request)
        async with unit(units, caller, request) as repo:
            decided = await changes_handlers.decide_fad(fad_id, body, caller, repo, clock.today())
        log.info("fad_decided", fad_id=str(fad_id), state=decided.state, by=caller.username)
        return decided

    return [raise_alert, list_alerts, attend_alert, submit_fad, list_fads, show_fad, decide_fad]

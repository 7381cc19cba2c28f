"""Routes of alerts and FAD: decode, call one use case in one transaction, answer refusals in Spanish."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import date
from typing import Any
from uuid import UUID

import msgspec
import structlog
from litestar import Request, get, post
from litestar.params import FromPath

from eventkit.http import UserError
from padron import changes, changes_handlers
from padron.changes import Alert, Fad, Page
from padron.changes_handlers import Decided, ListQuery
from padron.changes_repo import ChangesPgRepo
from padron.deps import PadronDeps
from padron.scope import Scope

log = structlog.get_logger(__name__)

STATUS = {changes.NotFoundError: 404, changes.ConflictError: 409}


def _resource(request: Request) -> str:
    query = request.url.query
    return f"{request.url.path}?{query}" if query else request.url.path


async def _body(request: Request) -> Any:
    try:
        return msgspec.json.decode(await request.body() or b"{}")
    except msgspec.DecodeError:
        raise UserError("El cuerpo de la solicitud no es JSON válido.", 400) from None


def _query(request: Request, states: tuple[str, ...]) -> ListQuery:
    params = request.query_params
    try:
        return ListQuery(
            state=changes.state_filter(params.get("state"), states),
            after=changes.decode_cursor(params.get("after")),
            limit=changes.page_limit(params.get("limit")),
        )
    except changes.InvalidChangeError as exc:
        raise UserError(str(exc), 422, exc.errors) from None


def routes(deps: PadronDeps) -> list[Any]:
    @contextlib.asynccontextmanager
    async def unit(scope: Scope, request: Request) -> AsyncIterator[ChangesPgRepo]:
        """One transaction; a refusal for scope is logged in a transaction of its own (deps.deny)."""
        try:
            async with deps.transaction() as conn:
                yield ChangesPgRepo(conn)
        except changes.OutOfScopeError as exc:
            await deps.deny(scope, _resource(request), str(exc), exc.status)
            raise  # deny raises the Spanish refusal; a refusal must never pass as success
        except changes.InvalidChangeError as exc:
            raise UserError(str(exc), 422, exc.errors) from None
        except (changes.NotFoundError, changes.ConflictError) as exc:
            raise UserError(str(exc), STATUS[type(exc)]) from None

    @post("/padron/beneficiaries/{beneficiary_id:uuid}/alerts", summary="Registrar una alerta", status_code=201)
    async def raise_alert(beneficiary_id: FromPath[UUID], request: Request) -> Alert:
        scope = deps.scope(request)
        body = await _body(request)
        async with unit(scope, request) as repo:
            alert = await changes_handlers.raise_alert(beneficiary_id, body, scope, repo)
        log.info("alert_raised", alert_id=str(alert.alert_id), beneficiary_id=str(beneficiary_id), by=scope.username)
        return alert

    @get("/padron/alerts", summary="Alertas de su jurisdicción (más recientes primero)")
    async def list_alerts(request: Request) -> Page:
        scope = deps.scope(request)
        query = _query(request, changes.ALERT_STATES)
        async with unit(scope, request) as repo:
            return await changes_handlers.list_alerts(query, scope, _resource(request), repo)

    @post("/padron/alerts/{alert_id:uuid}/attend", summary="Dar por atendida una alerta", status_code=200)
    async def attend_alert(alert_id: FromPath[UUID], request: Request) -> Alert:
        scope = deps.scope(request)
        async with unit(scope, request) as repo:
            alert = await changes_handlers.attend_alert(alert_id, scope, repo)
        log.info("alert_attended", alert_id=str(alert_id), by=scope.username)
        return alert

    @post("/padron/beneficiaries/{beneficiary_id:uuid}/fad", summary="Presentar una FAD", status_code=201)
    async def submit_fad(beneficiary_id: FromPath[UUID], request: Request) -> Fad:
        scope = deps.scope(request)
        body = await _body(request)
        async with unit(scope, request) as repo:
            fad = await changes_handlers.submit_fad(beneficiary_id, body, scope, repo)
        log.info("fad_submitted", fad_id=str(fad.fad_id), beneficiary_id=str(beneficiary_id), by=scope.username)
        return fad

    @get("/padron/fad", summary="FAD de su jurisdicción (más recientes primero)")
    async def list_fads(request: Request) -> Page:
        scope = deps.scope(request)
        query = _query(request, changes.FAD_STATES)
        async with unit(scope, request) as repo:
            return await changes_handlers.list_fads(query, scope, _resource(request), repo)

    @get("/padron/fad/{fad_id:uuid}", summary="Una FAD con su historial antes/después")
    async def show_fad(fad_id: FromPath[UUID], request: Request) -> Fad:
        scope = deps.scope(request)
        async with unit(scope, request) as repo:
            return await changes_handlers.show_fad(fad_id, scope, _resource(request), repo)

    @post("/padron/fad/{fad_id:uuid}/decision", summary="Aprobar o rechazar una FAD (personal)", status_code=200)
    async def decide_fad(fad_id: FromPath[UUID], request: Request) -> Decided:
        scope = deps.scope(request)
        body = await _body(request)
        async with unit(scope, request) as repo:
            decided = await changes_handlers.decide_fad(fad_id, body, scope, repo, date.today())
        log.info("fad_decided", fad_id=str(fad_id), state=decided.state, by=scope.username)
        return decided

    return [raise_alert, list_alerts, attend_alert, submit_fad, list_fads, show_fad, decide_fad]

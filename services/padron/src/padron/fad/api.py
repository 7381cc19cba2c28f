"""FAD routes: decode, call one use case in one transaction; refusals are answered from ``app.ERRORS``."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import structlog
from litestar import Request, get, post
from litestar.params import FromPath

from eventkit.providers import ClockDep, PageDep, UnitsDep
from padron.fad import domain, handlers
from padron.fad.domain import Fad
from padron.fad.handlers import Decided
from padron.fad.repo import FadPgRepo
from padron.shared.api import ScopeDep, json_of, list_query, resource, transaction
from padron.shared.reports import Page

log = structlog.get_logger(__name__)


def routes() -> list[Any]:
    @post("/padron/beneficiaries/{beneficiary_id:uuid}/fad", summary="Presentar una FAD", status_code=201)
    async def submit_fad(beneficiary_id: FromPath[UUID], request: Request, caller: ScopeDep, units: UnitsDep) -> Fad:
        body = await json_of(request)
        async with transaction(units, caller, resource(request)) as uow:
            repo = FadPgRepo(uow)
            fad = await handlers.submit_fad(beneficiary_id, body, caller, repo)
        log.info("fad_submitted", fad_id=str(fad.fad_id), beneficiary_id=str(beneficiary_id), by=caller.username)
        return fad

    @get("/padron/fad", summary="FAD de su jurisdicción (más recientes primero)")
    async def list_fads(request: Request, caller: ScopeDep, units: UnitsDep, page: PageDep) -> Page:
        query = list_query(request, page, domain.FAD_STATES)
        async with transaction(units, caller, resource(request)) as uow:
            repo = FadPgRepo(uow)
            return await handlers.list_fads(query, caller, resource(request), repo)

    @get("/padron/fad/{fad_id:uuid}", summary="Una FAD con su historial antes/después")
    async def show_fad(fad_id: FromPath[UUID], request: Request, caller: ScopeDep, units: UnitsDep) -> Fad:
        async with transaction(units, caller, resource(request)) as uow:
            repo = FadPgRepo(uow)
            return await handlers.show_fad(fad_id, caller, resource(request), repo)

    @post("/padron/fad/{fad_id:uuid}/decision", summary="Aprobar o rechazar una FAD (personal)", status_code=200)
    async def decide_fad(
        fad_id: FromPath[UUID], request: Request, caller: ScopeDep, units: UnitsDep, clock: ClockDep
    ) -> Decided:
        body = await json_of(request)
        async with transaction(units, caller, resource(request)) as uow:
            repo = FadPgRepo(uow)
            decided = await handlers.decide_fad(fad_id, body, caller, repo, clock.today())
        log.info("fad_decided", fad_id=str(fad_id), state=decided.state, by=caller.username)
        return decided

    return [submit_fad, list_fads, show_fad, decide_fad]

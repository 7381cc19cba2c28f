"""Affiliation request routes: submit (a local government), list (paged, logged), decide (programme staff)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import structlog
from litestar import Request, get, post
from litestar.params import FromPath

from eventkit.paging import encode_cursor
from eventkit.providers import PageDep, UnitsDep
from padron.affiliations import handlers
from padron.affiliations.repo import AffiliationPgRepo
from padron.shared.api import ScopeDep, object_of, text_of, transaction

log = structlog.get_logger(__name__)


def routes() -> list[Any]:
    @post("/padron/affiliation-requests", summary="Enviar una solicitud de afiliación", status_code=201)
    async def submit_affiliation(request: Request, caller: ScopeDep, units: UnitsDep) -> dict[str, Any]:
        body = await object_of(request)
        async with transaction(units, caller, "affiliation-requests") as uow:
            repo = AffiliationPgRepo(uow)
            affiliation_id = await handlers.submit_affiliation(body, caller, repo)
        log.info("affiliation_request_submitted", affiliation_id=str(affiliation_id), ubigeo=caller.ubigeo)
        return {"id": affiliation_id, "state": "PENDIENTE"}

    @get("/padron/affiliation-requests", summary="Solicitudes de afiliación de su jurisdicción (paginadas)")
    async def affiliation_requests(
        request: Request, caller: ScopeDep, units: UnitsDep, page: PageDep
    ) -> dict[str, Any]:
        after = page.key(tuple[datetime, UUID] | None, None)
        async with transaction(units, caller, "affiliation-requests") as uow:
            repo = AffiliationPgRepo(uow)
            state = request.query_params.get("state") or None
            items, more = await handlers.affiliation_requests(state, after, page.limit, caller, repo)
        last = items[-1] if more else None
        return {"items": items, "next": encode_cursor(last["submitted_at"], last["affiliation_id"]) if last else None}

    @post(
        "/padron/affiliation-requests/{affiliation_id:uuid}/decision",
        summary="Calificar una solicitud: CONFORME o NO_CONFORME",
        status_code=200,
    )
    async def decide_affiliation(
        affiliation_id: FromPath[UUID], request: Request, caller: ScopeDep, units: UnitsDep
    ) -> dict[str, Any]:
        body = await object_of(request)
        async with transaction(units, caller, f"affiliation-requests/{affiliation_id}") as uow:
            repo = AffiliationPgRepo(uow)
            state = await handlers.decide_affiliation(
                affiliation_id, text_of(body, "state"), text_of(body, "observations"), caller, repo
            )
        log.info("affiliation_request_decided", affiliation_id=str(affiliation_id), state=state, by=caller.username)
        return {"id": affiliation_id, "state": state}

    return [submit_affiliation, affiliation_requests, decide_affiliation]

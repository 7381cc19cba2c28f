"""Affiliation request routes: submit (a local government), list (paged, logged), decide (programme staff)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
import structlog
from litestar import get, post
from litestar.params import FromPath, JSONBody

from eventkit.http import refusals
from eventkit.paging import encode_cursor
from eventkit.providers import PageDep, UnitsDep
from padron.affiliations import domain, handlers
from padron.affiliations.repo import AffiliationPgRepo
from padron.shared.api import ScopeDep, state_query, transaction, view

log = structlog.get_logger(__name__)

State = Literal["PENDIENTE", "CONFORME", "NO_CONFORME"]
StateQuery = Annotated[str | None, state_query(domain.AFFILIATION_STATES, "Solo las solicitudes en este estado.")]


class AffiliationRequestBody(msgspec.Struct, kw_only=True):
    applicant_dni: str
    applicant_names: Annotated[str, msgspec.Meta(max_length=150)]
    detail: Annotated[str, msgspec.Meta(max_length=2000)] | None = None


class DecisionBody(msgspec.Struct, kw_only=True):
    state: Literal["CONFORME", "NO_CONFORME"]
    observations: str = ""
    """Required when the request is NO_CONFORME."""


class AffiliationState(msgspec.Struct, kw_only=True):
    id: UUID
    state: State


class AffiliationRequest(msgspec.Struct, kw_only=True):
    affiliation_id: UUID
    ubigeo: str
    applicant_dni: str
    applicant_names: str
    detail: str | None
    state: State
    observations: str | None
    submitted_by: str
    submitted_at: datetime
    decided_by: str | None
    decided_at: datetime | None


class AffiliationPage(msgspec.Struct, kw_only=True):
    items: list[AffiliationRequest]
    next: str | None
    """The ``after`` of the next page; none on the last one."""


def routes() -> list[Any]:
    @post(
        "/padron/affiliation-requests",
        summary="Enviar una solicitud de afiliación",
        status_code=201,
        responses=refusals(400, 401, 403, 422),
    )
    async def submit_affiliation(
        data: JSONBody[AffiliationRequestBody], caller: ScopeDep, units: UnitsDep
    ) -> AffiliationState:
        async with transaction(units, caller, "affiliation-requests") as uow:
            repo = AffiliationPgRepo(uow)
            affiliation_id = await handlers.submit_affiliation(msgspec.to_builtins(data), caller, repo)
        log.info("affiliation_request_submitted", affiliation_id=str(affiliation_id), ubigeo=caller.ubigeo)
        return AffiliationState(id=affiliation_id, state="PENDIENTE")

    @get(
        "/padron/affiliation-requests",
        summary="Solicitudes de afiliación de su jurisdicción (paginadas)",
        responses=refusals(401, 403, 422),
    )
    async def affiliation_requests(
        caller: ScopeDep, units: UnitsDep, page: PageDep, wanted: StateQuery = None
    ) -> AffiliationPage:
        after = page.key(tuple[datetime, UUID] | None, None)
        async with transaction(units, caller, "affiliation-requests") as uow:
            repo = AffiliationPgRepo(uow)
            items, more = await handlers.affiliation_requests(wanted or None, after, page.limit, caller, repo)
        last = items[-1] if more else None
        following = encode_cursor(last["submitted_at"], last["affiliation_id"]) if last else None
        return AffiliationPage(items=view(items, list[AffiliationRequest]), next=following)

    @post(
        "/padron/affiliation-requests/{affiliation_id:uuid}/decision",
        summary="Calificar una solicitud: CONFORME o NO_CONFORME",
        status_code=200,
        responses=refusals(400, 401, 403, 404, 409, 422, r409="La solicitud ya fue atendida."),
    )
    async def decide_affiliation(
        affiliation_id: FromPath[UUID], data: JSONBody[DecisionBody], caller: ScopeDep, units: UnitsDep
    ) -> AffiliationState:
        async with transaction(units, caller, f"affiliation-requests/{affiliation_id}") as uow:
            repo = AffiliationPgRepo(uow)
            await handlers.decide_affiliation(affiliation_id, data.state, data.observations, caller, repo)
        log.info(
            "affiliation_request_decided", affiliation_id=str(affiliation_id), state=data.state, by=caller.username
        )
        return AffiliationState(id=affiliation_id, state=data.state)

    return [submit_affiliation, affiliation_requests, decide_affiliation]

"""FAD routes: decode, call one use case in one transaction; refusals are answered from ``app.ERRORS``."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
import structlog
from litestar import Request, get, post
from litestar.params import FromPath, JSONBody
from msgspec import UNSET, UnsetType

from eventkit.http import refusals
from eventkit.providers import ClockDep, PageDep, UnitsDep
from padron.fad import domain, handlers
from padron.fad.repo import FadPgRepo
from padron.shared.api import ScopeDep, list_query, resource, state_query, transaction, view

log = structlog.get_logger(__name__)

StateQuery = Annotated[str | None, state_query(domain.FAD_STATES, "Solo las FAD en este estado.")]

State = Literal["PENDIENTE", "APROBADA", "RECHAZADA"]
Phone = Annotated[str, msgspec.Meta(max_length=20)]
Names = Annotated[str, msgspec.Meta(max_length=domain.MAX_NAMES)]


class AuthorizedPersonBody(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    dni: Annotated[str, msgspec.Meta(max_length=8)]
    names: Names
    relationship: Annotated[str, msgspec.Meta(max_length=domain.MAX_RELATIONSHIP)]


class ChangesBody(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """What the FAD proposes to update: at least one of these; a field left out stays as it is."""

    address: Annotated[str, msgspec.Meta(max_length=domain.MAX_ADDRESS)] | UnsetType = UNSET
    phone: Phone | UnsetType = UNSET
    contact_name: Names | UnsetType = UNSET
    contact_phone: Phone | UnsetType = UNSET
    authorized_person: AuthorizedPersonBody | UnsetType = UNSET


class FadBody(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    changes: ChangesBody


class FadDecisionBody(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    approve: bool
    note: Annotated[str, msgspec.Meta(max_length=domain.MAX_NOTE)] | None = None
    """Required to reject."""


class AuthorizedPerson(msgspec.Struct, kw_only=True):
    dni: str
    names: str
    relationship: str


class Changes(msgspec.Struct, kw_only=True, omit_defaults=True):
    """The values proposed; only those the FAD changes."""

    address: str | None = None
    phone: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    authorized_person: AuthorizedPerson | None = None


class HistoryEntry(msgspec.Struct, kw_only=True):
    field: str
    before_value: str | None
    after_value: str | None
    applied_at: datetime | None = None
    applied_by: str | None = None


class Fad(msgspec.Struct, kw_only=True):
    fad_id: UUID
    beneficiary_id: UUID
    ubigeo: str
    changes: Changes
    state: State
    submitted_by: str
    submitted_at: datetime
    decided_by: str | None = None
    decided_at: datetime | None = None
    decision_note: str | None = None
    dni: str | None = None
    names: str | None = None
    history: list[HistoryEntry] = msgspec.field(default_factory=list)


class FadPage(msgspec.Struct, kw_only=True):
    items: list[Fad]
    next: str | None
    """The ``after`` of the next (older) page; none on the last one."""


class Decided(msgspec.Struct, kw_only=True):
    """The answer to a decision: no personal data, only which fields changed."""

    fad_id: UUID
    beneficiary_id: UUID
    state: State
    decided_by: str
    decision_note: str | None
    applied_fields: list[str]


def routes() -> list[Any]:
    @post(
        "/padron/beneficiaries/{beneficiary_id:uuid}/fad",
        summary="Presentar una FAD",
        status_code=201,
        responses=refusals(400, 401, 403, 404, 422),
    )
    async def submit_fad(
        beneficiary_id: FromPath[UUID], data: JSONBody[FadBody], request: Request, caller: ScopeDep, units: UnitsDep
    ) -> Fad:
        async with transaction(units, caller, resource(request)) as uow:
            repo = FadPgRepo(uow)
            fad = await handlers.submit_fad(beneficiary_id, msgspec.to_builtins(data), caller, repo)
        log.info("fad_submitted", fad_id=str(fad.fad_id), beneficiary_id=str(beneficiary_id), by=caller.username)
        return view(fad, Fad)

    @get(
        "/padron/fad",
        summary="FAD de su jurisdicción (más recientes primero)",
        responses=refusals(401, 403, 422),
    )
    async def list_fads(
        request: Request, caller: ScopeDep, units: UnitsDep, page: PageDep, wanted: StateQuery = None
    ) -> FadPage:
        query = list_query(wanted, page, domain.FAD_STATES)
        async with transaction(units, caller, resource(request)) as uow:
            repo = FadPgRepo(uow)
            return view(await handlers.list_fads(query, caller, resource(request), repo), FadPage)

    @get(
        "/padron/fad/{fad_id:uuid}",
        summary="Una FAD con su historial antes/después",
        responses=refusals(401, 403, 404),
    )
    async def show_fad(fad_id: FromPath[UUID], request: Request, caller: ScopeDep, units: UnitsDep) -> Fad:
        async with transaction(units, caller, resource(request)) as uow:
            repo = FadPgRepo(uow)
            return view(await handlers.show_fad(fad_id, caller, resource(request), repo), Fad)

    @post(
        "/padron/fad/{fad_id:uuid}/decision",
        summary="Aprobar o rechazar una FAD (personal)",
        status_code=200,
        responses=refusals(400, 401, 403, 404, 409, 422, r409="La FAD ya fue decidida."),
    )
    async def decide_fad(
        fad_id: FromPath[UUID],
        data: JSONBody[FadDecisionBody],
        request: Request,
        caller: ScopeDep,
        units: UnitsDep,
        clock: ClockDep,
    ) -> Decided:
        async with transaction(units, caller, resource(request)) as uow:
            repo = FadPgRepo(uow)
            decided = await handlers.decide_fad(fad_id, msgspec.to_builtins(data), caller, repo, clock.today())
        log.info("fad_decided", fad_id=str(fad_id), state=decided.state, by=caller.username)
        return view(decided, Decided)

    return [submit_fad, list_fads, show_fad, decide_fad]

"""Collection authorization routes: authorize a collector, renew, revoke, read them with their history."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
import structlog
from litestar import get, post
from litestar.params import FromPath, JSONBody

from eventkit.http import refusals
from eventkit.providers import ClockDep, UnitsDep
from padron.authorizations import handlers
from padron.authorizations.repo import AuthorizationPgRepo
from padron.shared.api import ScopeDep, transaction, view

log = structlog.get_logger(__name__)

State = Literal["VIGENTE", "VENCIDA", "REVOCADA"]


class AuthorizationBody(msgspec.Struct, kw_only=True):
    """Who may collect the pension, and from when to when."""

    collector_dni: str
    collector_names: Annotated[str, msgspec.Meta(max_length=150)]
    relationship: Annotated[str, msgspec.Meta(max_length=60)]
    valid_from: date
    valid_until: date


class RenewalBody(msgspec.Struct, kw_only=True):
    valid_until: date
    """Later than the current end, and not past."""


class RevocationBody(msgspec.Struct, kw_only=True):
    reason: str = ""
    """Required: why it is revoked."""


class AuthorizationState(msgspec.Struct, kw_only=True, omit_defaults=True):
    id: UUID
    state: State
    valid_until: date | None = None
    """The new end, after a renewal."""


class AuthorizationStep(msgspec.Struct, kw_only=True):
    action: str
    valid_until: date | None
    reason: str | None
    at: datetime
    by_user: str


class Authorization(msgspec.Struct, kw_only=True):
    authorization_id: UUID
    beneficiary_id: UUID
    collector_dni: str
    collector_names: str
    relationship: str
    state: State
    valid_from: date
    valid_until: date
    history: list[AuthorizationStep]


def routes() -> list[Any]:
    @post(
        "/padron/beneficiaries/{beneficiary_id:uuid}/authorizations",
        summary="Autorizar a una persona a cobrar la pensión",
        status_code=201,
        responses=refusals(400, 401, 403, 404, 409, 422, r409="El beneficiario está DESAFILIADO."),
    )
    async def authorize(
        beneficiary_id: FromPath[UUID],
        data: JSONBody[AuthorizationBody],
        caller: ScopeDep,
        units: UnitsDep,
        clock: ClockDep,
    ) -> AuthorizationState:
        async with transaction(units, caller, f"beneficiaries/{beneficiary_id}/authorizations") as uow:
            repo = AuthorizationPgRepo(uow)
            body = msgspec.to_builtins(data)
            authorization_id = await handlers.authorize(beneficiary_id, body, caller, repo, clock.today())
        log.info("authorization_granted", authorization_id=str(authorization_id), beneficiary_id=str(beneficiary_id))
        return AuthorizationState(id=authorization_id, state="VIGENTE")

    @get(
        "/padron/beneficiaries/{beneficiary_id:uuid}/authorizations",
        summary="Autorizaciones de cobro e historial",
        responses=refusals(401, 403, 404),
    )
    async def authorizations(
        beneficiary_id: FromPath[UUID], caller: ScopeDep, units: UnitsDep, clock: ClockDep
    ) -> list[Authorization]:
        async with transaction(units, caller, f"beneficiaries/{beneficiary_id}/authorizations") as uow:
            repo = AuthorizationPgRepo(uow)
            return view(await handlers.authorizations(beneficiary_id, caller, repo, clock.today()), list[Authorization])

    @post(
        "/padron/authorizations/{authorization_id:uuid}/renew",
        summary="Renovar una autorización de cobro",
        status_code=200,
        responses=refusals(400, 401, 403, 404, 409, 422, r409="La autorización fue revocada y no se puede renovar."),
    )
    async def renew(
        authorization_id: FromPath[UUID],
        data: JSONBody[RenewalBody],
        caller: ScopeDep,
        units: UnitsDep,
        clock: ClockDep,
    ) -> AuthorizationState:
        async with transaction(units, caller, f"authorizations/{authorization_id}") as uow:
            repo = AuthorizationPgRepo(uow)
            until = await handlers.renew(authorization_id, data.valid_until.isoformat(), caller, repo, clock.today())
        log.info("authorization_renewed", authorization_id=str(authorization_id), by=caller.username)
        return AuthorizationState(id=authorization_id, state="VIGENTE", valid_until=until)

    @post(
        "/padron/authorizations/{authorization_id:uuid}/revoke",
        summary="Revocar una autorización de cobro",
        status_code=200,
        responses=refusals(400, 401, 403, 404, 409, 422, r409="La autorización ya estaba revocada."),
    )
    async def revoke(
        authorization_id: FromPath[UUID],
        data: JSONBody[RevocationBody],
        caller: ScopeDep,
        units: UnitsDep,
        clock: ClockDep,
    ) -> AuthorizationState:
        async with transaction(units, caller, f"authorizations/{authorization_id}") as uow:
            repo = AuthorizationPgRepo(uow)
            await handlers.revoke(authorization_id, data.reason, caller, repo, clock.today())
        log.info("authorization_revoked", authorization_id=str(authorization_id), by=caller.username)
        return AuthorizationState(id=authorization_id, state="REVOCADA")

    return [authorize, authorizations, renew, revoke]

"""Collection authorization routes: authorize a collector, renew, revoke, read them with their history."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import structlog
from litestar import Request, get, post
from litestar.params import FromPath

from eventkit.providers import ClockDep, UnitsDep
from padron.authorizations import handlers
from padron.authorizations.repo import AuthorizationPgRepo
from padron.shared.api import ScopeDep, object_of, text_of, transaction

log = structlog.get_logger(__name__)


def routes() -> list[Any]:
    @post(
        "/padron/beneficiaries/{beneficiary_id:uuid}/authorizations",
        summary="Autorizar a una persona a cobrar la pensión",
        status_code=201,
    )
    async def authorize(
        beneficiary_id: FromPath[UUID], request: Request, caller: ScopeDep, units: UnitsDep, clock: ClockDep
    ) -> dict[str, Any]:
        body = await object_of(request)
        async with transaction(units, caller, f"beneficiaries/{beneficiary_id}/authorizations") as uow:
            repo = AuthorizationPgRepo(uow)
            authorization_id = await handlers.authorize(beneficiary_id, body, caller, repo, clock.today())
        log.info("authorization_granted", authorization_id=str(authorization_id), beneficiary_id=str(beneficiary_id))
        return {"id": authorization_id, "state": "VIGENTE"}

    @get("/padron/beneficiaries/{beneficiary_id:uuid}/authorizations", summary="Autorizaciones de cobro e historial")
    async def authorizations(
        beneficiary_id: FromPath[UUID], request: Request, caller: ScopeDep, units: UnitsDep, clock: ClockDep
    ) -> list[dict[str, Any]]:
        async with transaction(units, caller, f"beneficiaries/{beneficiary_id}/authorizations") as uow:
            repo = AuthorizationPgRepo(uow)
            return await handlers.authorizations(beneficiary_id, caller, repo, clock.today())

    @post(
        "/padron/authorizations/{authorization_id:uuid}/renew",
        summary="Renovar una autorización de cobro",
        status_code=200,
    )
    async def renew(
        authorization_id: FromPath[UUID], request: Request, caller: ScopeDep, units: UnitsDep, clock: ClockDep
    ) -> dict[str, Any]:
        body = await object_of(request)
        async with transaction(units, caller, f"authorizations/{authorization_id}") as uow:
            repo = AuthorizationPgRepo(uow)
            until = await handlers.renew(authorization_id, body.get("valid_until"), caller, repo, clock.today())
        log.info("authorization_renewed", authorization_id=str(authorization_id), by=caller.username)
        return {"id": authorization_id, "state": "VIGENTE", "valid_until": until}

    @post(
        "/padron/authorizations/{authorization_id:uuid}/revoke",
        summary="Revocar una autorización de cobro",
        status_code=200,
    )
    async def revoke(
        authorization_id: FromPath[UUID], request: Request, caller: ScopeDep, units: UnitsDep, clock: ClockDep
    ) -> dict[str, Any]:
        body = await object_of(request)
        async with transaction(units, caller, f"authorizations/{authorization_id}") as uow:
            repo = AuthorizationPgRepo(uow)
            await handlers.revoke(authorization_id, text_of(body, "reason"), caller, repo, clock.today())
        log.info("authorization_revoked", authorization_id=str(authorization_id), by=caller.username)
        return {"id": authorization_id, "state": "REVOCADA"}

    return [authorize, authorizations, renew, revoke]

"""Registry routes: affiliation, status, padrón versions, collection authorizations, affiliation requests.

Decode, call one handler with the caller's scope (from the token only); domain refusals are answered
from ``deps.ERRORS``, and scope refusals are logged in a transaction of their own (``deps.deny``).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec
import structlog
from litestar import Request, get, post
from litestar.params import FromPath

from eventkit.http import UserError
from eventkit.paging import encode_cursor
from eventkit.providers import ClockDep, PageDep, Units, UnitsDep
from padron import registry_handlers as handlers
from padron.registry_repo import RegistryPgRepo
from padron.shared.api import ScopeDep, logging_refusals
from padron.shared.scope import Scope

log = structlog.get_logger(__name__)


async def body_of(request: Request) -> dict[str, Any]:
    try:
        body = msgspec.json.decode(await request.body() or b"{}")
    except msgspec.DecodeError:
        raise UserError("El cuerpo de la solicitud no es JSON válido.", 400) from None
    if not isinstance(body, dict):
        raise UserError("Envíe un objeto JSON con los datos.", 422)
    return body


def text(body: dict[str, Any], field: str) -> str:
    value = body.get(field)
    return value if isinstance(value, str) else ""


@contextlib.asynccontextmanager
async def unit(units: Units, caller: Scope, resource: str) -> AsyncIterator[RegistryPgRepo]:
    """One transaction; a refusal rolls it back, and a scope refusal is then logged in a transaction of its own."""
    async with logging_refusals(units, caller, resource), units.open() as uow:
        yield RegistryPgRepo(uow.conn)


def beneficiary_routes() -> list[Any]:
    @post("/padron/beneficiaries", summary="Afiliar un beneficiario (personal del programa)", status_code=201)
    async def affiliate(request: Request, caller: ScopeDep, units: UnitsDep, clock: ClockDep) -> dict[str, Any]:
        body = await body_of(request)
        async with unit(units, caller, "beneficiaries") as repo:
            beneficiary_id = await handlers.affiliate(body, caller, repo, clock.today())
        log.info("beneficiary_affiliated", beneficiary_id=str(beneficiary_id), by=caller.username)
        return {"id": beneficiary_id, "status": "VIGENTE"}

    @post(
        "/padron/beneficiaries/{beneficiary_id:uuid}/status",
        summary="Suspender, desafiliar o reactivar",
        status_code=200,
    )
    async def change_status(
        beneficiary_id: FromPath[UUID], request: Request, caller: ScopeDep, units: UnitsDep
    ) -> dict[str, Any]:
        body = await body_of(request)
        async with unit(units, caller, f"beneficiaries/{beneficiary_id}/status") as repo:
            status = await handlers.change_status(
                beneficiary_id, text(body, "status"), text(body, "reason"), caller, repo
            )
        log.info("beneficiary_status_changed", beneficiary_id=str(beneficiary_id), status=status, by=caller.username)
        return {"id": beneficiary_id, "status": status}

    return [affiliate, change_status]


def version_routes() -> list[Any]:

    @post("/padron/versions", summary="Publicar el padrón de un periodo (personal del programa)", status_code=201)
    async def publish(request: Request, caller: ScopeDep, units: UnitsDep) -> dict[str, Any]:
        body = await body_of(request)
        async with unit(units, caller, "versions") as repo:
            event = await handlers.publish_padron(
                text(body, "period"), text(body, "resolution_number"), body.get("resolution_date"), caller, repo
            )
        log.info("padron_published", padron_id=str(event.padron_id), period=event.period, by=caller.username)
        totals: dict[str, int] = {}
        for c in event.counts:
            totals[c.category] = totals.get(c.category, 0) + c.count
        return {
            "id": event.padron_id,
            "period": event.period,
            "resolution_number": event.resolution_number,
            "resolution_date": event.resolution_date,
            "totals": totals,
        }

    @get("/padron/versions", summary="Versiones publicadas del padrón con sus totales")
    async def versions(request: Request, caller: ScopeDep, units: UnitsDep) -> list[dict[str, Any]]:
        async with unit(units, caller, "versions") as repo:
            return await handlers.versions(repo)

    @get("/padron/versions/{period:str}", summary="Totales de una versión por categoría y por región")
    async def version(period: FromPath[str], request: Request, caller: ScopeDep, units: UnitsDep) -> dict[str, Any]:
        async with unit(units, caller, f"versions/{period}") as repo:
            return await handlers.version(period, repo)

    return [publish, versions, version]


def authorization_routes() -> list[Any]:

    @post(
        "/padron/beneficiaries/{beneficiary_id:uuid}/authorizations",
        summary="Autorizar a una persona a cobrar la pensión",
        status_code=201,
    )
    async def authorize(
        beneficiary_id: FromPath[UUID], request: Request, caller: ScopeDep, units: UnitsDep, clock: ClockDep
    ) -> dict[str, Any]:
        body = await body_of(request)
        async with unit(units, caller, f"beneficiaries/{beneficiary_id}/authorizations") as repo:
            authorization_id = await handlers.authorize(beneficiary_id, body, caller, repo, clock.today())
        log.info("authorization_granted", authorization_id=str(authorization_id), beneficiary_id=str(beneficiary_id))
        return {"id": authorization_id, "state": "VIGENTE"}

    @get("/padron/beneficiaries/{beneficiary_id:uuid}/authorizations", summary="Autorizaciones de cobro e historial")
    async def authorizations(
        beneficiary_id: FromPath[UUID], request: Request, caller: ScopeDep, units: UnitsDep, clock: ClockDep
    ) -> list[dict[str, Any]]:
        async with unit(units, caller, f"beneficiaries/{beneficiary_id}/authorizations") as repo:
            return await handlers.authorizations(beneficiary_id, caller, repo, clock.today())

    @post(
        "/padron/authorizations/{authorization_id:uuid}/renew",
        summary="Renovar una autorización de cobro",
        status_code=200,
    )
    async def renew(
        authorization_id: FromPath[UUID], request: Request, caller: ScopeDep, units: UnitsDep, clock: ClockDep
    ) -> dict[str, Any]:
        body = await body_of(request)
        async with unit(units, caller, f"authorizations/{authorization_id}") as repo:
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
        body = await body_of(request)
        async with unit(units, caller, f"authorizations/{authorization_id}") as repo:
            await handlers.revoke(authorization_id, text(body, "reason"), caller, repo, clock.today())
        log.info("authorization_revoked", authorization_id=str(authorization_id), by=caller.username)
        return {"id": authorization_id, "state": "REVOCADA"}

    return [authorize, authorizations, renew, revoke]


def affiliation_routes() -> list[Any]:

    @post("/padron/affiliation-requests", summary="Enviar una solicitud de afiliación", status_code=201)
    async def submit_affiliation(request: Request, caller: ScopeDep, units: UnitsDep) -> dict[str, Any]:
        body = await body_of(request)
        async with unit(units, caller, "affiliation-requests") as repo:
            affiliation_id = await handlers.submit_affiliation(body, caller, repo)
        log.info("affiliation_request_submitted", affiliation_id=str(affiliation_id), ubigeo=caller.ubigeo)
        return {"id": affiliation_id, "state": "PENDIENTE"}

    @get("/padron/affiliation-requests", summary="Solicitudes de afiliación de su jurisdicción (paginadas)")
    async def affiliation_requests(
        request: Request, caller: ScopeDep, units: UnitsDep, page: PageDep
    ) -> dict[str, Any]:
        after = page.key(tuple[datetime, UUID] | None, None)
        async with unit(units, caller, "affiliation-requests") as repo:
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
        body = await body_of(request)
        async with unit(units, caller, f"affiliation-requests/{affiliation_id}") as repo:
            state = await handlers.decide_affiliation(
                affiliation_id, text(body, "state"), text(body, "observations"), caller, repo
            )
        log.info("affiliation_request_decided", affiliation_id=str(affiliation_id), state=state, by=caller.username)
        return {"id": affiliation_id, "state": state}

    return [submit_affiliation, affiliation_requests, decide_affiliation]


def routes() -> list[Any]:
    return [*beneficiary_routes(), *version_routes(), *authorization_routes(), *affiliation_routes()]

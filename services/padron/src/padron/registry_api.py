"""Registry routes: affiliation, status, padrón versions, collection authorizations, affiliation requests.

Decode, call one handler with the caller's scope (from the token only), map refusals to Spanish answers.
Scope refusals are logged in a transaction of their own (deps.deny).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
from collections.abc import AsyncIterator
from datetime import date, datetime
from typing import Any
from uuid import UUID

import msgspec
import structlog
from litestar import Request, get, post
from litestar.params import FromPath

from eventkit.http import UserError
from padron import registry_handlers as handlers
from padron.deps import PadronDeps
from padron.registry import ConflictError, FormError, NotFoundError, OutOfScopeError
from padron.registry_repo import RegistryPgRepo
from padron.scope import Scope

log = structlog.get_logger(__name__)

MAX_PAGE = 200
DEFAULT_PAGE = 50


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


def encode_cursor(item: dict[str, Any]) -> str:
    raw = f"{item['submitted_at'].isoformat()}|{item['affiliation_id']}"
    return base64.urlsafe_b64encode(raw.encode()).decode()


def decode_cursor(cursor: str | None) -> tuple[datetime, UUID] | None:
    if not cursor:
        return None
    try:
        at, _, key = base64.urlsafe_b64decode(cursor.encode()).decode().partition("|")
        return datetime.fromisoformat(at), UUID(key)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise UserError("El cursor de la página no es válido.", 422, {"after": "Use el 'next' recibido."}) from None


def page_size(raw: str | None) -> int:
    try:
        size = int(raw) if raw else DEFAULT_PAGE
    except ValueError:
        size = 0
    if not 1 <= size <= MAX_PAGE:
        raise UserError("El tamaño de página no es válido.", 422, {"limit": f"Use un número de 1 a {MAX_PAGE}."})
    return size


@contextlib.asynccontextmanager
async def unit(deps: PadronDeps, scope: Scope, resource: str) -> AsyncIterator[RegistryPgRepo]:
    """One transaction; a refusal rolls it back, and a scope refusal is logged in a transaction of its own."""
    try:
        async with deps.transaction() as conn:
            yield RegistryPgRepo(conn)
    except OutOfScopeError as exc:
        await deps.deny(scope, resource, str(exc), exc.status)
    except FormError as exc:
        raise UserError(str(exc), 422, exc.errors) from None
    except ConflictError as exc:
        raise UserError(str(exc), 409) from None
    except NotFoundError as exc:
        raise UserError(str(exc), 404) from None


def beneficiary_routes(deps: PadronDeps) -> list[Any]:
    @post("/padron/beneficiaries", summary="Afiliar un beneficiario (personal del programa)", status_code=201)
    async def affiliate(request: Request) -> dict[str, Any]:
        scope = deps.scope(request)
        body = await body_of(request)
        async with unit(deps, scope, "beneficiaries") as repo:
            beneficiary_id = await handlers.affiliate(body, scope, repo, date.today())
        log.info("beneficiary_affiliated", beneficiary_id=str(beneficiary_id), by=scope.username)
        return {"id": beneficiary_id, "status": "VIGENTE"}

    @post(
        "/padron/beneficiaries/{beneficiary_id:uuid}/status",
        summary="Suspender, desafiliar o reactivar",
        status_code=200,
    )
    async def change_status(beneficiary_id: FromPath[UUID], request: Request) -> dict[str, Any]:
        scope = deps.scope(request)
        body = await body_of(request)
        async with unit(deps, scope, f"beneficiaries/{beneficiary_id}/status") as repo:
            status = await handlers.change_status(
                beneficiary_id, text(body, "status"), text(body, "reason"), scope, repo
            )
        log.info("beneficiary_status_changed", beneficiary_id=str(beneficiary_id), status=status, by=scope.username)
        return {"id": beneficiary_id, "status": status}

    return [affiliate, change_status]


def version_routes(deps: PadronDeps) -> list[Any]:

    @post("/padron/versions", summary="Publicar el padrón de un periodo (personal del programa)", status_code=201)
    async def publish(request: Request) -> dict[str, Any]:
        scope = deps.scope(request)
        body = await body_of(request)
        async with unit(deps, scope, "versions") as repo:
            event = await handlers.publish_padron(
                text(body, "period"), text(body, "resolution_number"), body.get("resolution_date"), scope, repo
            )
        log.info("padron_published", padron_id=str(event.padron_id), period=event.period, by=scope.username)
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
    async def versions(request: Request) -> list[dict[str, Any]]:
        scope = deps.scope(request)
        async with unit(deps, scope, "versions") as repo:
            return await handlers.versions(repo)

    @get("/padron/versions/{period:str}", summary="Totales de una versión por categoría y por región")
    async def version(period: FromPath[str], request: Request) -> dict[str, Any]:
        scope = deps.scope(request)
        async with unit(deps, scope, f"versions/{period}") as repo:
            return await handlers.version(period, repo)

    return [publish, versions, version]


def authorization_routes(deps: PadronDeps) -> list[Any]:

    @post(
        "/padron/beneficiaries/{beneficiary_id:uuid}/authorizations",
        summary="Autorizar a una persona a cobrar la pensión",
        status_code=201,
    )
    async def authorize(beneficiary_id: FromPath[UUID], request: Request) -> dict[str, Any]:
        scope = deps.scope(request)
        body = await body_of(request)
        async with unit(deps, scope, f"beneficiaries/{beneficiary_id}/authorizations") as repo:
            authorization_id = await handlers.authorize(beneficiary_id, body, scope, repo, date.today())
        log.info("authorization_granted", authorization_id=str(authorization_id), beneficiary_id=str(beneficiary_id))
        return {"id": authorization_id, "state": "VIGENTE"}

    @get("/padron/beneficiaries/{beneficiary_id:uuid}/authorizations", summary="Autorizaciones de cobro e historial")
    async def authorizations(beneficiary_id: FromPath[UUID], request: Request) -> list[dict[str, Any]]:
        scope = deps.scope(request)
        async with unit(deps, scope, f"beneficiaries/{beneficiary_id}/authorizations") as repo:
            return await handlers.authorizations(beneficiary_id, scope, repo, date.today())

    @post(
        "/padron/authorizations/{authorization_id:uuid}/renew",
        summary="Renovar una autorización de cobro",
        status_code=200,
    )
    async def renew(authorization_id: FromPath[UUID], request: Request) -> dict[str, Any]:
        scope = deps.scope(request)
        body = await body_of(request)
        async with unit(deps, scope, f"authorizations/{authorization_id}") as repo:
            until = await handlers.renew(authorization_id, body.get("valid_until"), scope, repo, date.today())
        log.info("authorization_renewed", authorization_id=str(authorization_id), by=scope.username)
        return {"id": authorization_id, "state": "VIGENTE", "valid_until": until}

    @post(
        "/padron/authorizations/{authorization_id:uuid}/revoke",
        summary="Revocar una autorización de cobro",
        status_code=200,
    )
    async def revoke(authorization_id: FromPath[UUID], request: Request) -> dict[str, Any]:
        scope = deps.scope(request)
        body = await body_of(request)
        async with unit(deps, scope, f"authorizations/{authorization_id}") as repo:
            await handlers.revoke(authorization_id, text(body, "reason"), scope, repo, date.today())
        log.info("authorization_revoked", authorization_id=str(authorization_id), by=scope.username)
        return {"id": authorization_id, "state": "REVOCADA"}

    return [authorize, authorizations, renew, revoke]


def affiliation_routes(deps: PadronDeps) -> list[Any]:

    @post("/padron/affiliation-requests", summary="Enviar una solicitud de afiliación", status_code=201)
    async def submit_affiliation(request: Request) -> dict[str, Any]:
        scope = deps.scope(request)
        body = await body_of(request)
        async with unit(deps, scope, "affiliation-requests") as repo:
            affiliation_id = await handlers.submit_affiliation(body, scope, repo)
        log.info("affiliation_request_submitted", affiliation_id=str(affiliation_id), ubigeo=scope.ubigeo)
        return {"id": affiliation_id, "state": "PENDIENTE"}

    @get("/padron/affiliation-requests", summary="Solicitudes de afiliación de su jurisdicción (paginadas)")
    async def affiliation_requests(request: Request) -> dict[str, Any]:
        scope = deps.scope(request)
        query = request.query_params
        after, limit = decode_cursor(query.get("after")), page_size(query.get("limit"))
        async with unit(deps, scope, "affiliation-requests") as repo:
            items, more = await handlers.affiliation_requests(query.get("state") or None, after, limit, scope, repo)
        return {"items": items, "next": encode_cursor(items[-1]) if more else None}

    @post(
        "/padron/affiliation-requests/{affiliation_id:uuid}/decision",
        summary="Calificar una solicitud: CONFORME o NO_CONFORME",
        status_code=200,
    )
    async def decide_affiliation(affiliation_id: FromPath[UUID], request: Request) -> dict[str, Any]:
        scope = deps.scope(request)
        body = await body_of(request)
        async with unit(deps, scope, f"affiliation-requests/{affiliation_id}") as repo:
            state = await handlers.decide_affiliation(
                affiliation_id, text(body, "state"), text(body, "observations"), scope, repo
            )
        log.info("affiliation_request_decided", affiliation_id=str(affiliation_id), state=state, by=scope.username)
        return {"id": affiliation_id, "state": state}

    return [submit_affiliation, affiliation_requests, decide_affiliation]


def routes(deps: PadronDeps) -> list[Any]:
    return [
        *beneficiary_routes(deps),
        *version_routes(deps),
        *authorization_routes(deps),
        *affiliation_routes(deps),
    ]

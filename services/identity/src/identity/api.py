"""Identity's HTTP routes: DNI look-up, authorities, entities, login, JWKS, token introspection.

Routes take the kit's unit of work (503 while the database is not connected) and identity's
``deps`` by name; domain refusals are answered from ``ERRORS``.
"""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

import msgspec
from litestar import Request, get, post
from litestar.params import FromPath, FromQuery, QueryParameter

from contracts import ubigeo
from eventkit.http import ErrorTable, UserError
from eventkit.providers import UowDep
from identity import domain, handlers
from identity.deps import DepsDep
from identity.repo import LoginPgRepo

T = TypeVar("T")

ERRORS = ErrorTable({handlers.LoginRefusedError: (401, domain.LOGIN_REFUSED)})


class LoginBody(msgspec.Struct, frozen=True):
    username: str
    password: str


class IntrospectBody(msgspec.Struct, frozen=True):
    token: str


async def _body(request: Request, kind: type[T]) -> T:
    try:
        return msgspec.json.decode(await request.body(), type=kind)
    except (msgspec.DecodeError, msgspec.ValidationError):
        raise UserError("La solicitud no tiene el formato esperado.", 422) from None


@get("/citizens/{dni:str}", summary="Nombres de un ciudadano por su DNI")
async def get_citizen(deps: DepsDep, dni: FromPath[str]) -> dict[str, str]:
    if not domain.is_dni(dni):
        raise UserError("El DNI debe tener 8 dígitos.", 422, {"dni": "El DNI debe tener 8 dígitos."})
    names = deps.citizens.find(dni)
    if names is None:
        raise UserError("No se encontró el DNI en el registro de identidad.", 404)
    return {"dni": dni, "names": names}


@get("/authorities", summary="Autoridad vigente de una región, distrito o entidad")
async def get_authority(
    deps: DepsDep,
    ubigeo_code: Annotated[str | None, QueryParameter(name="ubigeo")] = None,
    ruc: FromQuery[str | None] = None,
) -> dict[str, Any]:
    kind, code, place = _authority_query(ubigeo_code, ruc)
    authority = deps.register.current(kind, code, deps.clock.today())
    if authority is None:
        raise UserError(f"No hay una autoridad vigente registrada para {place}.", 404)
    body: dict[str, Any] = {
        "role": authority.role,
        "dni": authority.dni,
        "names": authority.names,
        "period": authority.period,
        "jurisdiction": authority.jurisdiction,
    }
    if authority.entity_name:
        body["entity_name"] = authority.entity_name
    return body


def _authority_query(code: str | None, ruc: str | None) -> tuple[domain.AuthorityKind, str, str]:
    if (code is None) == (ruc is None):
        raise UserError("Indique un ubigeo (región o distrito) o un RUC.", 422)
    if ruc is not None:
        if not domain.is_ruc(ruc):
            raise UserError("El RUC no es válido.", 422, {"ruc": "El RUC debe tener 11 dígitos válidos."})
        return "TITULAR", ruc, f"la entidad con RUC {ruc}"
    if ubigeo.is_region(code or ""):
        return "GOBERNADOR_REGIONAL", code, ubigeo.describe(code)  # type: ignore[return-value, arg-type]
    if ubigeo.is_district(code or ""):
        return "ALCALDE", code, ubigeo.describe(code)  # type: ignore[return-value, arg-type]
    message = "El ubigeo no corresponde a una región (2 dígitos) ni a un distrito (6 dígitos)."
    raise UserError(message, 422, {"ubigeo": message})


@get("/entities", summary="Entidades que pueden solicitar acceso como otro aliado")
async def list_entities(deps: DepsDep) -> list[dict[str, Any]]:
    return [{"ruc": e.ruc, "name": e.name, "public": e.public} for e in deps.register.entities()]


@post("/auth/login", status_code=200, summary="Iniciar sesión")
async def log_in(request: Request, deps: DepsDep, uow: UowDep) -> dict[str, Any]:
    body = await _body(request, LoginBody)
    token = await handlers.log_in(body.username, body.password, LoginPgRepo(uow.conn), deps.hasher, deps.signer)
    return {"access_token": token, "token_type": "Bearer", "expires_in": deps.token_ttl_s}


@get("/.well-known/jwks.json", summary="Claves públicas que firman los tokens")
async def jwks(deps: DepsDep) -> dict[str, Any]:
    return deps.jwks


@post("/auth/introspect", status_code=200, summary="¿Sigue vigente este token?")
async def introspect(request: Request, deps: DepsDep, uow: UowDep) -> dict[str, Any]:
    body = await _body(request, IntrospectBody)
    claims = await handlers.introspect(body.token, deps.verifier, LoginPgRepo(uow.conn))
    if claims is None:
        return {"active": False}
    return {"active": True, "claims": {k: v for k, v in msgspec.to_builtins(claims).items() if v is not None}}


ROUTES = (get_citizen, get_authority, list_entities, log_in, jwks, introspect)

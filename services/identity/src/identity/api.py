"""Identity's HTTP routes: DNI look-up, authorities, entities, login, JWKS, token introspection.

Routes take the kit's unit of work (503 while the database is not connected) and identity's
``deps`` by name; bodies are typed, so Litestar refuses one that does not fit (the kit answers
422 naming each field) and the OpenAPI document shows each; domain refusals come from ``ERRORS``.
"""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import get, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from contracts import peru, ubigeo
from eventkit.http import NOT_JSON, ErrorTable, UserError, refusals
from eventkit.providers import UowDep
from identity import domain, handlers
from identity.deps import DepsDep
from identity.repo import LoginPgRepo
from identity.views import (
    AuthorityView,
    CitizenView,
    EntityView,
    Introspection,
    Jwks,
    Session,
    authority_view,
    entity_view,
    introspection,
)

ERRORS = ErrorTable({handlers.LoginRefusedError: (401, domain.LOGIN_REFUSED)})

DNI_DIGITS = "El DNI debe tener 8 dígitos."


class LoginBody(msgspec.Struct, frozen=True):
    username: str
    password: str


class IntrospectBody(msgspec.Struct, frozen=True):
    token: str


@get(
    "/citizens/{dni:str}",
    summary="Nombres de un ciudadano por su DNI",
    responses=refusals(r404="El DNI no está en el registro de identidad.", r422=DNI_DIGITS),
)
async def get_citizen(deps: DepsDep, dni: FromPath[str]) -> CitizenView:
    if not peru.is_dni(dni):
        raise UserError(DNI_DIGITS, 422, {"dni": DNI_DIGITS})
    names = deps.citizens.find(dni)
    if names is None:
        raise UserError("No se encontró el DNI en el registro de identidad.", 404)
    return CitizenView(dni=dni, names=names)


@get(
    "/authorities",
    summary="Autoridad vigente de una región, distrito o entidad",
    responses=refusals(
        r404="No hay una autoridad vigente registrada para ese lugar o entidad.",
        r422="Falta el ubigeo o el RUC, vienen los dos, o no son válidos.",
    ),
)
async def get_authority(
    deps: DepsDep,
    ubigeo_code: Annotated[str | None, QueryParameter(name="ubigeo")] = None,
    ruc: FromQuery[str | None] = None,
) -> AuthorityView:
    kind, code, place = _authority_query(ubigeo_code, ruc)
    authority = deps.register.current(kind, code, deps.clock.today())
    if authority is None:
        raise UserError(f"No hay una autoridad vigente registrada para {place}.", 404)
    return authority_view(authority)


def _authority_query(code: str | None, ruc: str | None) -> tuple[domain.AuthorityKind, str, str]:
    if (code is None) == (ruc is None):
        raise UserError("Indique un ubigeo (región o distrito) o un RUC.", 422)
    if ruc is not None:
        if not peru.is_ruc(ruc):
            raise UserError("El RUC no es válido.", 422, {"ruc": "El RUC debe tener 11 dígitos válidos."})
        return "TITULAR", ruc, f"la entidad con RUC {ruc}"
    if ubigeo.is_region(code or ""):
        return "GOBERNADOR_REGIONAL", code, ubigeo.describe(code)  # type: ignore[return-value, arg-type]
    if ubigeo.is_district(code or ""):
        return "ALCALDE", code, ubigeo.describe(code)  # type: ignore[return-value, arg-type]
    message = "El ubigeo no corresponde a una región (2 dígitos) ni a un distrito (6 dígitos)."
    raise UserError(message, 422, {"ubigeo": message})


@get("/entities", summary="Entidades que pueden solicitar acceso como otro aliado", responses=refusals())
async def list_entities(deps: DepsDep) -> list[EntityView]:
    return [entity_view(e) for e in deps.register.entities()]


@post(
    "/auth/login",
    status_code=200,
    summary="Iniciar sesión",
    responses=refusals(422, r400=NOT_JSON, r401="Usuario o contraseña incorrectos, o la cuenta fue revocada."),
)
async def log_in(data: JSONBody[LoginBody], deps: DepsDep, uow: UowDep) -> Session:
    token = await handlers.log_in(data.username, data.password, LoginPgRepo(uow.conn), deps.hasher, deps.signer)
    return Session(access_token=token, token_type="Bearer", expires_in=deps.token_ttl_s)


@get("/.well-known/jwks.json", summary="Claves públicas que firman los tokens", responses=refusals())
async def jwks(deps: DepsDep) -> Jwks:
    return deps.jwks


@post(
    "/auth/introspect",
    status_code=200,
    summary="¿Sigue vigente este token?",
    responses=refusals(422, r400=NOT_JSON),
)
async def introspect(data: JSONBody[IntrospectBody], deps: DepsDep, uow: UowDep) -> Introspection:
    return introspection(await handlers.introspect(data.token, deps.verifier, LoginPgRepo(uow.conn)))


ROUTES = (get_citizen, get_authority, list_entities, log_in, jwks, introspect)

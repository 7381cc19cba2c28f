"""Identity's HTTP routes: DNI look-up, authorities, entities, login, JWKS, token introspection, staff accounts.

Routes take the kit's unit of work (503 while the database is not connected) and identity's
``deps`` by name; bodies are typed, so Litestar refuses one that does not fit (the kit answers
422 naming each field) and the OpenAPI document shows each; domain refusals come from ``ERRORS``.
"""

from __future__ import annotations

import uuid
from datetime import UTC
from typing import Annotated

import msgspec
from litestar import Request, get, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from authkit import Claims, TokenError, bearer
from contracts import peru, ubigeo
from eventkit.http import NOT_JSON, ErrorTable, UserError, refusals
from eventkit.providers import UnitsDep, UowDep
from identity import domain, handlers
from identity.deps import Deps, DepsDep
from identity.repo import LoginGuardPgRepo, LoginPgRepo, StaffAdminPgRepo
from identity.views import (
    AuthorityView,
    CitizenView,
    EntityView,
    Introspection,
    Jwks,
    Session,
    StaffView,
    UnlockView,
    authority_view,
    entity_view,
    introspection,
    staff_view,
)

ACCOUNT_NOT_FOUND = "No existe una cuenta con ese usuario."
ERRORS = ErrorTable(
    {
        handlers.LoginRefusedError: (401, domain.LOGIN_REFUSED),
        handlers.NotAdminError: (403, domain.ADMIN_ONLY),
        handlers.StaffNotFoundError: (404, "No existe esa cuenta del personal."),
        handlers.CannotRevokeSelfError: (409, domain.CANNOT_REVOKE_SELF),
        handlers.AccountNotFoundError: (404, ACCOUNT_NOT_FOUND),
    }
)

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


FORWARDED_FOR = "x-forwarded-for"
MAX_ADDRESS = 64


def client_address(request: Request) -> str | None:
    """The client's address as the gateway vouches for it (the last ``X-Forwarded-For`` entry); None without it.

    Identity is reached only through the gateway, which passes no header of the client's own: an address
    here is the gateway's word. Without it the address would be the gateway's own, shared by everyone,
    so logins are then guarded per account only.
    """
    forwarded = request.headers.get(FORWARDED_FOR, "")
    address = forwarded.rsplit(",", 1)[-1].strip()
    return address[:MAX_ADDRESS] or None


@post(
    "/auth/login",
    status_code=200,
    summary="Iniciar sesión",
    # The same words as before the lockout: a locked account must read like a wrong password.
    responses=refusals(422, r400=NOT_JSON, r401="Usuario o contraseña incorrectos, o la cuenta fue revocada."),
)
async def log_in(request: Request, data: JSONBody[LoginBody], deps: DepsDep, units: UnitsDep) -> Session:
    attempt = handlers.LoginAttempt(
        username=data.username, password=data.password, address=client_address(request), at=deps.clock.now()
    )
    # Its own transaction, committed before a refusal is raised: a failure is counted even though it refuses.
    async with units.open() as uow:
        result = await handlers.log_in(attempt, LoginGuardPgRepo(uow.conn, deps.audit_key), deps.hasher, deps.signer)
    if result.token is None:
        raise handlers.LoginRefusedError
    return Session(access_token=result.token, token_type="Bearer", expires_in=deps.token_ttl_s)


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


class StaffBody(msgspec.Struct, frozen=True, kw_only=True):
    """A new staff account: ``region`` only for a CTVC, ``unit`` (a code of the programme's units) only for an
    ANALYST. Each field is checked here, so each refusal is Spanish and at its key."""

    role: str | None = None
    full_name: str | None = None
    email: str | None = None
    region: str | None = None
    unit: str | None = None


class RevokeStaffBody(msgspec.Struct, frozen=True):
    reason: str | None = None


REASON_REQUIRED = "Escriba el motivo de la revocación (entre 5 y 500 caracteres)."


async def _admin(request: Request, deps: Deps, repo: StaffAdminPgRepo) -> Claims:
    try:
        token = bearer(request.headers.get("authorization"))
    except TokenError:
        raise UserError("Inicie sesión para continuar.", 401) from None
    return await handlers.admin_of(token, deps.verifier, repo)


@post(
    "/staff-accounts",
    status_code=201,
    summary="Crear una cuenta del personal (CTVC, analista o evaluador); la contraseña se envía por correo",
    responses=refusals(422, r400=NOT_JSON, r401="Inicie sesión para continuar.", r403=domain.ADMIN_ONLY),
)
async def create_staff_account(request: Request, data: JSONBody[StaffBody], deps: DepsDep, uow: UowDep) -> StaffView:
    repo = StaffAdminPgRepo(uow, deps.mail_box)
    admin = await _admin(request, deps, repo)
    draft, errors = domain.check_staff_draft(data.role, data.full_name, data.email, data.region, data.unit)
    if draft is None:
        raise UserError("Revise los datos de la cuenta.", 422, errors)
    now = deps.clock.now().astimezone(UTC)
    staff = await handlers.create_staff(draft, admin, repo, deps.hasher, public_url=deps.public_url, now=now)
    return staff_view(staff)


@get(
    "/staff-accounts",
    summary="Cuentas del personal, con su revocación",
    responses=refusals(r401="Inicie sesión para continuar.", r403=domain.ADMIN_ONLY),
)
async def list_staff_accounts(request: Request, deps: DepsDep, uow: UowDep) -> list[StaffView]:
    repo = StaffAdminPgRepo(uow, deps.mail_box)
    await _admin(request, deps, repo)
    return [staff_view(s) for s in await repo.list_staff()]


@post(
    "/staff-accounts/{staff_id:uuid}/revoke",
    status_code=200,
    summary="Revocar una cuenta del personal (sus sesiones dejan de valer al instante)",
    responses=refusals(
        422,
        r400=NOT_JSON,
        r401="Inicie sesión para continuar.",
        r403=domain.ADMIN_ONLY,
        r404="No existe esa cuenta del personal.",
        r409=domain.CANNOT_REVOKE_SELF,
    ),
)
async def revoke_staff_account(
    request: Request, staff_id: FromPath[uuid.UUID], data: JSONBody[RevokeStaffBody], deps: DepsDep, uow: UowDep
) -> StaffView:
    repo = StaffAdminPgRepo(uow, deps.mail_box)
    admin = await _admin(request, deps, repo)
    reason = " ".join((data.reason or "").split())
    if not 5 <= len(reason) <= 500:
        raise UserError(REASON_REQUIRED, 422, {"reason": REASON_REQUIRED})
    now = deps.clock.now().astimezone(UTC)
    return staff_view(await handlers.revoke_staff(staff_id, reason, admin, repo, now=now))


@post(
    "/accounts/{username:str}/unlock",
    status_code=200,
    summary="Desbloquear una cuenta que espera tras varios intentos fallidos de inicio de sesión",
    responses=refusals(r401="Inicie sesión para continuar.", r403=domain.ADMIN_ONLY, r404=ACCOUNT_NOT_FOUND),
)
async def unlock_account(request: Request, username: FromPath[str], deps: DepsDep, uow: UowDep) -> UnlockView:
    repo = StaffAdminPgRepo(uow, deps.mail_box)
    admin = await _admin(request, deps, repo)
    unlocked = await handlers.unlock_account(username, admin, repo)
    return UnlockView(username=unlocked.username, failures_cleared=unlocked.failures_cleared)


ROUTES = (
    get_citizen,
    get_authority,
    list_entities,
    log_in,
    jwks,
    introspect,
    create_staff_account,
    list_staff_accounts,
    revoke_staff_account,
    unlock_account,
)

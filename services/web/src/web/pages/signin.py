"""Iniciar sesión, Cerrar sesión and Mi cuenta (the evaluation pages are in ``web.pages.evaluation``).

The token the gateway issues at sign-in never reaches the browser: it stays in the server-side
session (``web.sessions``), and each page sends it to the gateway on the person's behalf.
"""

from __future__ import annotations

from typing import Annotated, Any

import httpx
import msgspec
from litestar import Request, get, post
from litestar.enums import RequestEncodingType
from litestar.exceptions import HTTPException
from litestar.params import Body, FromQuery
from litestar.response import Redirect, Template

from web import sessions
from web.gateway import refusal_of
from web.pages.words import ALLY_TYPES, ROLES
from web.sessions import REASONS, SIGN_IN

# The gateway's field names, and the ids of the inputs that show their refusals.
FIELDS = {"username": "usuario", "password": "contrasena"}


class SignInForm(msgspec.Struct, kw_only=True):
    usuario: str = ""
    contrasena: str = ""


@get(SIGN_IN, include_in_schema=False)
async def sign_in_page(request: Request, motivo: FromQuery[str] = "") -> Template | Redirect:
    signed_in = sessions.account(request)
    if signed_in:
        return Redirect(signed_in.home, status_code=303)
    return Template(template_name="sign_in.html", context={"reason": REASONS.get(motivo, ""), "errors": []})


def refusal_errors(status: int, detail: str, errors: dict[str, str]) -> list[dict[str, str]]:
    """The gateway's refusal of a sign-in as the error summary's list, each tied to an input."""
    if status == 422 and errors:
        found = [{"field": FIELDS[name], "message": message} for name, message in errors.items() if name in FIELDS]
        if found:
            return sorted(found, key=lambda e: list(FIELDS.values()).index(e["field"]))
    # A wrong username or password: the person can only try the password again.
    return [{"field": "contrasena" if status == 401 else "usuario", "message": detail or "Revise sus datos."}]


@post(SIGN_IN, include_in_schema=False)
async def sign_in(
    request: Request, data: Annotated[SignInForm, Body(media_type=RequestEncodingType.URL_ENCODED)]
) -> Template | Redirect:
    gateway: httpx.AsyncClient = request.app.state.gateway
    try:
        answer = await gateway.post("/api/auth/login", json={"username": data.usuario, "password": data.contrasena})
    except httpx.HTTPError:
        raise HTTPException(status_code=503) from None
    if answer.status_code == 200:
        token = answer.json().get("access_token")
        if not isinstance(token, str):
            raise HTTPException(status_code=503)
        me = await sessions.gateway_get(request, "/api/me", token)
        if me.status_code != 200:
            raise HTTPException(status_code=503)
        sessions.start(request, token, request.app.state.clock)
        return Redirect(sessions.home_of(str(me.json().get("role", ""))), status_code=303)
    if answer.status_code not in (401, 422, 429):
        raise HTTPException(status_code=503)
    refused = refusal_of(answer)
    detail, errors = refused.detail, refused.errors
    context: dict[str, Any] = {"username": data.usuario, "reason": "", "errors": [], "too_many": ""}
    if answer.status_code == 429:
        context["too_many"] = detail or "Demasiados intentos. Espere un minuto e intente nuevamente."
    else:
        context["errors"] = refusal_errors(answer.status_code, detail, errors)
    return Template(template_name="sign_in.html", context=context, status_code=answer.status_code)


@post("/cerrar-sesion", include_in_schema=False, status_code=303)
async def sign_out(request: Request) -> Redirect:
    sessions.end(request)
    return Redirect(f"{SIGN_IN}?motivo=cerrada", status_code=303)


def jurisdiction(claims: dict[str, Any]) -> str:
    if claims.get("ubigeo"):
        return f"Ubigeo {claims['ubigeo']}"
    if claims.get("entity_ruc"):
        return f"Entidad con RUC {claims['entity_ruc']}"
    return "Todo el país"


@get("/mi-cuenta", include_in_schema=False)
async def my_account(request: Request) -> Template | Redirect:
    signed_in = sessions.account(request)
    if signed_in is None:
        return sessions.to_sign_in("requerida")
    claims = signed_in.claims
    rows = [
        {"key": "Usuario", "value": claims.get("username", "")},
        {"key": "Rol", "value": ROLES.get(signed_in.role, signed_in.role)},
    ]
    if claims.get("ally_type"):
        rows.append({"key": "Tipo de acceso", "value": ALLY_TYPES.get(claims["ally_type"], claims["ally_type"])})
    rows.append({"key": "Ámbito", "value": jurisdiction(claims)})
    return Template(template_name="my_account.html", context={"rows": rows, "staff": signed_in.is_staff})

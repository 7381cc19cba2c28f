"""An administrator's /gestion/cuentas: the list, the create form and the revoke forms, with a stand-in of
identity's staff-accounts API (as the gateway relays it) beside the shared sign-in one (tests/conftest.py)."""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from litestar.testing import TestClient

from web.app import create_app
from web.config import Settings
from web.security import CSRF_COOKIE

pytestmark = pytest.mark.unit

PASSWORD = "clave-de-prueba-1"
NOW = datetime(2026, 12, 2, 15, 0, tzinfo=UTC)
CTVC_ID = "66666666-6666-4666-8666-666666666666"
REGIONS = [{"code": "09", "name": "HUANCAVELICA"}, {"code": "12", "name": "JUNIN"}]


def refusal(status: int, detail: str, errors: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, json={"detail": detail, "errors": errors})


def staff_row(staff_id: str, username: str, role: str, **more: Any) -> dict[str, Any]:
    return {
        "staff_id": staff_id,
        "username": username,
        "role": role,
        "region": None,
        "unit": None,
        "full_name": None,
        "email": None,
        "created_at": "2026-12-01T14:30:00+00:00",
        "created_by": None,
    } | more


@dataclass
class Identity:
    sent: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(
        default_factory=lambda: [
            staff_row("staff-2", "admin", "ADMIN"),
            staff_row(CTVC_ID, "ctvc.huancavelica", "CTVC", region="09", full_name="Rosa Rojas", email="r@x.pe"),
        ]
    )

    def answer(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content) if request.content else {}
        self.sent.append((request.method, request.url.path, body))
        if request.method == "GET":
            return httpx.Response(200, json=self.rows)
        if request.url.path == "/api/staff-accounts":
            if body.get("role") == "CTVC" and body.get("region") and body.get("email", "").count("@") == 1:
                return httpx.Response(201, json=staff_row("new", "ctvc.junin", "CTVC", region=body["region"]))
            errors = {"email": "Escriba un correo electrónico válido, por ejemplo nombre@contigo.gob.pe."}
            if body.get("unit"):
                errors["unit"] = "Solo una cuenta de analista tiene unidad."
            return refusal(422, "Revise los datos de la cuenta.", errors)
        if not body.get("reason"):
            message = "Escriba el motivo de la revocación (entre 5 y 500 caracteres)."
            return refusal(422, message, {"reason": message})
        return httpx.Response(200, json=staff_row(CTVC_ID, "ctvc.huancavelica", "CTVC", revoked_at=NOW.isoformat()))


@pytest.fixture
def identity() -> Identity:
    return Identity()


@pytest.fixture
def signed_in(stand_in, identity: Identity):
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/ubigeo/regions":
            return httpx.Response(200, json=REGIONS)
        if request.url.path.startswith("/api/staff-accounts"):
            token = request.headers.get("authorization", "").removeprefix("Bearer ")
            if stand_in.tokens.get(token) != "admin":
                return refusal(403, "Solo un administrador puede gestionar las cuentas del personal.")
            return identity.answer(request)
        return stand_in.answer(request)

    gateway = httpx.AsyncClient(transport=httpx.MockTransport(handler), base_url="http://gateway.test")
    settings = Settings(cookie_secret="s" * 32, secure_cookies=False, session_minutes=30)

    def sign_in(username: str = "admin") -> TestClient:
        app = create_app(settings, gateway=gateway, clock=lambda: NOW)
        c = clients.enter_context(TestClient(app, base_url="http://testserver.local"))
        c.get("/iniciar-sesion")
        form = {"usuario": username, "contrasena": PASSWORD, "_csrf_token": c.cookies[CSRF_COOKIE]}
        assert c.post("/iniciar-sesion", data=form, follow_redirects=False).status_code == 303
        return c

    with contextlib.ExitStack() as clients:
        yield sign_in


def test_an_admin_sees_the_accounts_both_selects_and_a_revoke_form_for_others_only(signed_in) -> None:
    c = signed_in()

    page = c.get("/gestion/cuentas")

    assert page.status_code == 200
    assert 'href="/gestion/cuentas"' in page.text
    assert 'name="region"' in page.text and 'name="unidad"' in page.text
    assert "Unidad de Acompañamiento" in page.text and "HUANCAVELICA" in page.text
    assert f'action="/gestion/cuentas/{CTVC_ID}/revocar"' in page.text
    assert 'action="/gestion/cuentas/staff-2/revocar"' not in page.text


def test_an_evaluator_has_no_cuentas_link_and_is_refused_in_spanish(signed_in, identity: Identity) -> None:
    c = signed_in("evaluador")

    home = c.get("/gestion/alertas")
    page = c.get("/gestion/cuentas")

    assert 'href="/gestion/registro-de-accesos"' in home.text and 'href="/gestion/cuentas"' not in home.text
    assert page.status_code == 403 and "no tiene permiso" in page.text
    assert identity.sent == []


def test_creating_an_account_says_the_password_was_emailed_and_sends_only_what_was_filled(
    signed_in, identity: Identity
) -> None:
    c = signed_in()
    form = {"rol": "CTVC", "nombres": "Ana Pérez", "correo": "ana@x.pe", "region": "12", "unidad": ""}

    done = c.post("/gestion/cuentas", data=form | {"_csrf_token": c.cookies[CSRF_COOKIE]})

    assert (
        "POST",
        "/api/staff-accounts",
        {"role": "CTVC", "full_name": "Ana Pérez", "email": "ana@x.pe", "region": "12"},
    ) in identity.sent
    assert done.status_code == 200 and "Cuenta ctvc.junin creada" in done.text
    assert "se envió por correo" in done.text


def test_each_refused_field_is_shown_at_its_input_with_what_was_typed(signed_in, identity: Identity) -> None:
    c = signed_in()
    form = {"rol": "CTVC", "nombres": "Ana Pérez", "correo": "ana", "region": "12", "unidad": "UAC"}

    page = c.post("/gestion/cuentas", data=form | {"_csrf_token": c.cookies[CSRF_COOKIE]})

    assert page.status_code == 422
    assert 'href="#correo"' in page.text and 'href="#unidad"' in page.text
    assert "Solo una cuenta de analista tiene unidad." in page.text
    assert 'value="Ana Pérez"' in page.text


def test_revoking_needs_a_reason_at_its_form_and_then_says_the_account_was_revoked(signed_in, identity: Identity):
    c = signed_in()

    refused = c.post(f"/gestion/cuentas/{CTVC_ID}/revocar", data={"motivo": "", "_csrf_token": c.cookies[CSRF_COOKIE]})
    done = c.post(
        f"/gestion/cuentas/{CTVC_ID}/revocar", data={"motivo": "Dejó el CTVC.", "_csrf_token": c.cookies[CSRF_COOKIE]}
    )

    assert refused.status_code == 422 and f'href="#motivo-{CTVC_ID}"' in refused.text
    assert done.status_code == 200 and "Cuenta ctvc.huancavelica revocada" in done.text
    assert ("POST", f"/api/staff-accounts/{CTVC_ID}/revoke", {"reason": "Dejó el CTVC."}) in identity.sent


def test_a_form_without_its_csrf_token_is_refused(signed_in, identity: Identity) -> None:
    c = signed_in()

    page = c.post("/gestion/cuentas", data={"rol": "CTVC"})

    assert page.status_code == 403
    assert identity.sent == []

"""Sign-in, sessions and the evaluation queue, with a stand-in gateway behind httpx.MockTransport."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from litestar.testing import TestClient

from web.app import create_app
from web.config import Settings
from web.pages.evaluation import DUE_TODAY, OVERDUE, queue_rows
from web.pages.signin import refusal_errors
from web.security import CSRF_COOKIE
from web.sessions import SESSION_COOKIE

pytestmark = pytest.mark.unit

# 10:00 in Lima (UTC-5).
NOON = datetime(2026, 12, 2, 15, 0, tzinfo=UTC)


class Clock:
    def __init__(self, now: datetime = NOON) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def client(stand_in, clock: Clock | None = None, *, secure_cookies: bool = False, minutes: int = 30) -> TestClient:
    settings = Settings(cookie_secret="s" * 32, secure_cookies=secure_cookies, session_minutes=minutes)
    # Secure cookies come back only over HTTPS, so that client speaks it.
    base_url = "https://testserver.local" if secure_cookies else "http://testserver.local"
    return TestClient(create_app(settings, gateway=stand_in.client(), clock=clock or Clock()), base_url=base_url)


def session_cookies(response) -> list[str]:
    return [h for h in response.headers.get_list("set-cookie") if h.startswith(f"{SESSION_COOKIE}=")]


def csrf(c: TestClient) -> str:
    if CSRF_COOKIE not in c.cookies:
        c.get("/iniciar-sesion")
    return c.cookies[CSRF_COOKIE]


def sign_in(c: TestClient, username: str, password: str):
    form = {"usuario": username, "contrasena": password, "_csrf_token": csrf(c)}
    return c.post("/iniciar-sesion", data=form, follow_redirects=False)


def test_an_anonymous_visitor_gets_no_session_cookie_on_any_page(stand_in) -> None:
    with client(stand_in) as c:
        for path in ("/", "/iniciar-sesion", "/opciones-de-accesibilidad", "/mi-cuenta", "/no-existe"):
            response = c.get(path, follow_redirects=False)
            assert session_cookies(response) == [], path
        assert "Iniciar sesión" in c.get("/").text
    assert stand_in.calls == []


def test_a_refused_sign_in_says_that_repeated_failures_make_the_account_wait(stand_in) -> None:
    with client(stand_in) as c:
        response = sign_in(c, "evaluador", "no-es-la-clave")

    assert response.status_code == 401
    assert "después de 5 intentos fallidos seguidos la cuenta espera unos minutos" in response.text
    assert "administrador del Programa CONTIGO que desbloquee su cuenta" in response.text


def test_signing_in_sets_an_httponly_lax_cookie_holding_no_token(stand_in) -> None:
    with client(stand_in) as c:
        response = sign_in(c, "evaluador", stand_in.password)

    assert response.status_code == 303
    assert response.headers["location"] == "/evaluacion"
    (cookie,) = session_cookies(response)
    lowered = cookie.lower()
    assert "httponly" in lowered and "samesite=lax" in lowered and "path=/" in lowered
    assert "secure" not in lowered
    token = next(iter(stand_in.tokens))
    assert token not in cookie


def test_the_session_cookie_is_secure_unless_turned_off(stand_in) -> None:
    with client(stand_in, secure_cookies=True) as c:
        response = sign_in(c, "evaluador", stand_in.password)

    assert "; secure" in session_cookies(response)[0].lower()


def test_a_stale_session_cookie_is_not_reused_at_sign_in(stand_in) -> None:
    with client(stand_in) as c:
        c.cookies.set(SESSION_COOKIE, "a" * 64)
        response = sign_in(c, "omaped.miraflores", stand_in.password)

    assert response.headers["location"] == "/panel"
    assert "a" * 64 not in session_cookies(response)[0]


def test_an_ally_sees_who_they_are_and_the_time_the_session_ends(stand_in) -> None:
    with client(stand_in) as c:
        sign_in(c, "omaped.miraflores", stand_in.password)
        page = c.get("/mi-cuenta")

    assert page.status_code == 200
    for text in ("Mi cuenta", "omaped.miraflores", "Aliado estratégico", "Gobierno local", "150122"):
        assert text in page.text
    # Signed in at 10:00 in Lima, 30 minutes of inactivity allowed.
    assert "Su sesión vencerá a las 10:30" in page.text
    assert "Cerrar sesión" in page.text
    assert ("GET", "/api/me", f"Bearer {next(iter(stand_in.tokens))}") in stand_in.calls


def test_each_page_renews_the_session_and_inactivity_ends_it(stand_in) -> None:
    clock = Clock()
    with client(stand_in, clock) as c:
        sign_in(c, "omaped.miraflores", stand_in.password)
        clock.now += timedelta(minutes=20)
        assert "Su sesión vencerá a las 10:50" in c.get("/").text
        clock.now += timedelta(minutes=29)
        assert c.get("/mi-cuenta").status_code == 200

        clock.now += timedelta(minutes=30)
        response = c.get("/mi-cuenta", follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == "/iniciar-sesion?motivo=inactividad"
        assert "max-age=0" in session_cookies(response)[0].lower()
        page = c.get(response.headers["location"])
    assert "Su sesión venció por inactividad" in page.text
    assert "Cerrar sesión" not in page.text


def test_signing_out_clears_the_session_and_needs_the_csrf_token(stand_in) -> None:
    with client(stand_in) as c:
        sign_in(c, "omaped.miraflores", stand_in.password)
        assert c.post("/cerrar-sesion", follow_redirects=False).status_code == 403

        response = c.post("/cerrar-sesion", data={"_csrf_token": csrf(c)}, follow_redirects=False)
        assert response.headers["location"] == "/iniciar-sesion?motivo=cerrada"
        assert "max-age=0" in session_cookies(response)[0].lower()
        later = c.get("/mi-cuenta", follow_redirects=False)
    assert later.headers["location"] == "/iniciar-sesion?motivo=requerida"


def test_a_401_from_the_gateway_ends_the_session_with_a_spanish_message(stand_in) -> None:
    with client(stand_in) as c:
        sign_in(c, "omaped.miraflores", stand_in.password)
        stand_in.revoke("omaped.miraflores")

        response = c.get("/", follow_redirects=False)
        assert response.headers["location"] == "/iniciar-sesion?motivo=terminada"
        page = c.get(response.headers["location"])
        assert "Su sesión terminó" in page.text
        assert c.get("/mi-cuenta", follow_redirects=False).headers["location"].endswith("motivo=requerida")


def test_a_wrong_password_is_refused_in_the_summary_and_at_the_field(stand_in) -> None:
    with client(stand_in) as c:
        response = sign_in(c, "evaluador", "otra")

    assert response.status_code == 401
    assert session_cookies(response) == []
    assert '<a href="#contrasena">Usuario o contraseña incorrectos.</a>' in response.text
    assert 'id="contrasena-error"' in response.text
    assert 'value="evaluador"' in response.text
    assert "<title>Error: Iniciar sesión" in response.text


def test_missing_fields_are_refused_at_each_field(stand_in) -> None:
    with client(stand_in) as c:
        response = sign_in(c, "", "")

    assert response.status_code == 422
    assert response.text.index('href="#usuario"') < response.text.index('href="#contrasena"')
    assert 'id="usuario-error"' in response.text and 'id="contrasena-error"' in response.text


def test_too_many_attempts_are_said_plainly(stand_in) -> None:
    stand_in.login_status = 429
    with client(stand_in) as c:
        response = sign_in(c, "evaluador", stand_in.password)

    assert response.status_code == 429
    assert "Demasiadas solicitudes; espere un minuto." in response.text
    assert 'aria-invalid="true"' not in response.text


def test_refusal_mapping_keeps_the_gateways_words() -> None:
    assert refusal_errors(401, "Usuario o contraseña incorrectos.", {}) == [
        {"field": "contrasena", "message": "Usuario o contraseña incorrectos."}
    ]
    assert refusal_errors(422, "Faltan datos.", {"password": "Es obligatoria.", "username": "Es obligatorio."}) == [
        {"field": "usuario", "message": "Es obligatorio."},
        {"field": "contrasena", "message": "Es obligatoria."},
    ]


def test_the_evaluator_sees_the_queue_by_due_date_with_the_marks_in_words(stand_in) -> None:
    stand_in.fill_queue(NOON.date())
    with client(stand_in) as c:
        sign_in(c, "evaluador", stand_in.password)
        page = c.get("/evaluacion")

    assert page.status_code == 200
    assert "<caption" in page.text
    codes = [page.text.index(code) for code in ("SOL-2026-000010", "SOL-2026-000020", "SOL-2026-000030")]
    assert codes == sorted(codes)
    assert "<td>Vencida</td>" in page.text and "<td>Vence hoy</td>" in page.text
    assert "30/11/2026" in page.text and "02/12/2026" in page.text


def test_queue_rows_mark_overdue_and_due_today_and_put_undated_last(stand_in) -> None:
    stand_in.fill_queue(NOON.date())
    items = [*stand_in.queue, {"code": "SOL-X", "ally_type": "GOBIERNO_LOCAL", "due_date": None, "overdue": False}]

    rows = queue_rows(items, NOON.date())

    assert [row[0] for row in rows] == ["SOL-2026-000010", "SOL-2026-000020", "SOL-2026-000030", "SOL-X"]
    assert [row[4] for row in rows] == [OVERDUE, DUE_TODAY, "", ""]
    assert rows[3][1] == "Gobierno local" and rows[3][3] == "Sin fecha"


def test_an_ally_cannot_open_the_queue(stand_in) -> None:
    with client(stand_in) as c:
        sign_in(c, "omaped.miraflores", stand_in.password)
        page = c.get("/evaluacion")

    assert page.status_code == 403
    assert "No tiene permiso" in page.text


def test_the_timeout_announcer_is_a_file_of_the_site_and_only_for_signed_in_people(stand_in) -> None:
    with client(stand_in) as c:
        assert "<script" not in c.get("/").text
        sign_in(c, "omaped.miraflores", stand_in.password)
        page = c.get("/mi-cuenta").text
        script = c.get("/static/sesion.js")

    assert page.count("<script") == 1
    assert '<script src="/static/sesion.js" defer></script>' in page
    assert 'aria-live="polite"' in page
    assert script.status_code == 200
    assert "script-src 'self'" in script.headers["content-security-policy"]

"""The pages as the framework serves them, without a browser: Spanish refusals, cookie rules, headers."""

from __future__ import annotations

import pytest
from litestar import get
from litestar.testing import TestClient

from web.app import MAX_BODY_BYTES, create_app
from web.config import Settings
from web.preferences import COOKIE
from web.security import CSRF_COOKIE

pytestmark = pytest.mark.unit

OPTIONS = "/opciones-de-accesibilidad"


def client(*, secure_cookies: bool = False) -> TestClient:
    """The test client speaks plain HTTP, so it sends Secure cookies back only where they are off."""
    return TestClient(create_app(Settings(cookie_secret="s" * 32, secure_cookies=secure_cookies)))


def set_cookie(response, name: str) -> str:
    headers = [h for h in response.headers.get_list("set-cookie") if h.startswith(f"{name}=")]
    assert headers, f"no {name} cookie in {response.headers.get_list('set-cookie')}"
    return headers[0].lower()


def test_the_start_page_is_spanish_and_names_the_three_access_types() -> None:
    with client() as c:
        response = c.get("/")

    assert response.status_code == 200
    assert '<html lang="es"' in response.text
    for access_type in ("Gobierno regional", "Gobierno local", "Otro aliado estratégico"):
        assert f"<h3>{access_type}</h3>" in response.text
    assert "Saltar al contenido principal" in response.text


def test_a_form_sent_without_its_csrf_token_is_refused_in_spanish() -> None:
    with client() as c:
        c.get(OPTIONS)

        response = c.post(OPTIONS, data={"texto_grande": "si"}, follow_redirects=False)

    assert response.status_code == 403
    assert "La página caducó" in response.text
    assert '<html lang="es"' in response.text
    assert COOKIE not in response.headers.get("set-cookie", "")


def test_a_form_sent_with_another_browsers_token_is_refused() -> None:
    with client() as c, client() as other:
        c.get(OPTIONS)
        other.get(OPTIONS)

        response = c.post(
            OPTIONS, data={"texto_grande": "si", "_csrf_token": other.cookies[CSRF_COOKIE]}, follow_redirects=False
        )

    assert response.status_code == 403


def test_saved_options_come_back_in_an_httponly_lax_cookie_and_dress_every_page() -> None:
    with client() as c:
        c.get(OPTIONS)
        token = c.cookies[CSRF_COOKIE]

        saved = c.post(
            OPTIONS, data={"texto_grande": "si", "alto_contraste": "si", "_csrf_token": token}, follow_redirects=False
        )
        start = c.get("/")

    assert saved.status_code == 303
    assert saved.headers["location"] == f"{OPTIONS}?guardado=si"
    cookie = set_cookie(saved, COOKIE)
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie
    assert '<html lang="es" class="texto-grande alto-contraste">' in start.text


def test_cookies_are_secure_httponly_and_lax_outside_local_runs() -> None:
    with client(secure_cookies=True) as c:
        page = c.get(OPTIONS)

    cookie = set_cookie(page, CSRF_COOKIE)
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" in cookie


def test_a_wrong_address_answers_the_spanish_404_page_with_the_security_headers() -> None:
    with client() as c:
        response = c.get("/no-existe")

    assert response.status_code == 404
    assert "No se encontró la página" in response.text
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"


def test_a_failure_inside_a_page_answers_the_spanish_500_page() -> None:
    app = create_app(Settings(cookie_secret="s" * 32))

    @get("/falla", sync_to_thread=False)
    def failing() -> str:
        raise RuntimeError("boom")

    app.register(failing)
    with TestClient(app, raise_server_exceptions=False) as c:
        response = c.get("/falla")

    assert response.status_code == 500
    assert "Lo sentimos, hay un problema con el servicio" in response.text
    assert "boom" not in response.text


def test_a_body_over_10_mb_and_its_framing_answers_the_spanish_413_page() -> None:
    with client() as c:
        c.get(OPTIONS)
        headers = {"content-type": "text/plain", "x-csrftoken": c.cookies[CSRF_COOKIE]}

        response = c.post(OPTIONS, content=b"x" * (MAX_BODY_BYTES + 1), headers=headers)

    assert response.status_code == 413
    assert "El archivo es demasiado grande" in response.text


def test_every_page_with_its_stylesheet_stays_under_100_kb() -> None:
    with client() as c:
        css = len(c.get("/static/contigo.css").content)
        sizes = {path: len(c.get(path).content) + css for path in ("/", OPTIONS, "/declaracion-de-accesibilidad")}

    assert all(size < 100_000 for size in sizes.values()), sizes

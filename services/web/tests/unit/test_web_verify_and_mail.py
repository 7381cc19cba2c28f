"""Verificar un documento and Correo recibido without a browser, against a stand-in of the gateway
that answers ``GET /api/verify/{code}`` and ``GET /dev/mail`` as the real one does."""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx
import pytest
from litestar.testing import TestClient

from web.app import create_app
from web.config import Settings

pytestmark = pytest.mark.unit

CODE = "K7QX-9M2P-4TZD"
SHA = "3f" * 32
DOCUMENT = {
    "code": CODE,
    "document": "Documento de Declaración de Confidencialidad (DDC)",
    "request_code": "SOL-2026-000042",
    "issued_at": "2026-12-02T03:15:00Z",
    "sha256": SHA,
}
MAIL = [
    {
        "id": "1764645300000000000-2",
        "from": "CONTIGO <no-responder@contigo.gob.pe>",
        "to": "autoridad@entidad.gob.pe",
        "cc": None,
        "subject": "Acceso aprobado SOL-2026-000042",
        "date": "Tue, 02 Dec 2026 03:15:00 +0000",
        "text": "Usuario: omaped.150101\nContraseña: secreta\n<script>alert(1)</script>\n",
    },
    {
        "id": "1764645000000000000-1",
        "from": "CONTIGO <no-responder@contigo.gob.pe>",
        "to": "responsable@entidad.gob.pe",
        "cc": "autoridad@entidad.gob.pe",
        "subject": "Solicitud recibida SOL-2026-000042",
        "date": "Tue, 02 Dec 2026 03:10:00 +0000",
        "text": "Recibimos su solicitud.",
    },
]


@dataclass
class VerifyAndMailGateway:
    paths: list[str] = field(default_factory=list)
    # A gateway started without the mail catcher's folder answers /dev/mail with 404.
    has_mail: bool = True

    def answer(self, request: httpx.Request) -> httpx.Response:
        path = request.url.raw_path.decode().split("?")[0]
        self.paths.append(path)
        if path == f"/api/verify/{CODE}" or path == f"/api/verify/{CODE.lower().replace('-', '')}":
            return httpx.Response(200, json=DOCUMENT)
        if path.startswith("/api/verify/"):
            return httpx.Response(404, json={"detail": "Ningún documento lleva ese código."})
        if path == "/dev/mail" and self.has_mail:
            return httpx.Response(200, json=MAIL)
        return httpx.Response(404, json={"detail": "No encontrado."})


def client(gateway: VerifyAndMailGateway, *, dev_mail: bool = False) -> TestClient:
    transport = httpx.MockTransport(gateway.answer)
    app = create_app(
        Settings(cookie_secret="s" * 32, secure_cookies=False, dev_mail=dev_mail),
        gateway=httpx.AsyncClient(transport=transport, base_url="http://gateway.test"),
    )
    return TestClient(app)


def test_the_verification_page_opens_with_an_empty_code_field_and_calls_nobody() -> None:
    gateway = VerifyAndMailGateway()
    with client(gateway) as c:
        page = c.get("/verificar")

    assert page.status_code == 200
    assert "<h1>Verificar un documento</h1>" in page.text
    assert '<form method="get" action="/verificar"' in page.text
    assert 'id="codigo" name="codigo" value=""' in page.text
    assert gateway.paths == []


def test_a_code_as_printed_in_the_ddc_shows_the_document_with_its_date_in_lima_and_its_hash() -> None:
    gateway = VerifyAndMailGateway()
    with client(gateway) as c:
        page = c.get("/verificar", params={"codigo": f"  {CODE.lower().replace('-', '')} "})

    assert page.status_code == 200
    assert "Documento auténtico" in page.text
    assert "Documento de Declaración de Confidencialidad (DDC)" in page.text
    assert "SOL-2026-000042" in page.text
    # 03:15 UTC is 22:15 of the day before in Lima.
    assert "01/12/2026 a las 22:15 (hora de Lima)" in page.text
    assert f'<p class="hash" id="huella">{SHA}</p>' in page.text
    assert gateway.paths == [f"/api/verify/{CODE.lower().replace('-', '')}"]


def test_an_unknown_code_is_refused_at_the_field_with_the_summary_and_the_answer_kept() -> None:
    gateway = VerifyAndMailGateway()
    with client(gateway) as c:
        page = c.get("/verificar", params={"codigo": "ZZZZ-ZZZZ-ZZZZ"})

    assert page.status_code == 404
    assert "<title>Error: Verificar un documento" in page.text
    assert 'class="error-summary" role="alert"' in page.text
    assert '<a href="#codigo">No se encontró ningún documento con ese código.' in page.text
    assert 'id="codigo-error"' in page.text and 'aria-invalid="true"' in page.text
    assert 'value="ZZZZ-ZZZZ-ZZZZ"' in page.text


def test_an_empty_code_asks_for_one_without_calling_the_api() -> None:
    gateway = VerifyAndMailGateway()
    with client(gateway) as c:
        page = c.get("/verificar", params={"codigo": "   "})

    assert page.status_code == 422
    assert "Ingrese el código de verificación." in page.text
    assert gateway.paths == []


def test_a_code_with_characters_no_code_has_never_travels_into_the_api_path() -> None:
    gateway = VerifyAndMailGateway()
    with client(gateway) as c:
        page = c.get("/verificar", params={"codigo": "../../dev/mail"})

    assert page.status_code == 404
    assert "No se encontró ningún documento con ese código." in page.text
    assert gateway.paths == []


def test_the_caught_mail_does_not_exist_outside_a_local_run() -> None:
    gateway = VerifyAndMailGateway()
    with client(gateway, dev_mail=False) as c:
        listing = c.get("/correo")
        message = c.get(f"/correo/{MAIL[0]['id']}")

    assert listing.status_code == 404 and message.status_code == 404
    assert "No se encontró la página" in listing.text
    assert gateway.paths == []


def test_a_local_run_lists_the_caught_mail_newest_first_with_date_to_and_subject() -> None:
    gateway = VerifyAndMailGateway()
    with client(gateway, dev_mail=True) as c:
        page = c.get("/correo")

    assert page.status_code == 200
    assert "<caption" in page.text and "2 correos recibidos" in page.text
    first = page.text.index("Acceso aprobado SOL-2026-000042")
    second = page.text.index("Solicitud recibida SOL-2026-000042")
    assert first < second
    assert f'<a href="/correo/{MAIL[0]["id"]}">Acceso aprobado SOL-2026-000042</a>' in page.text
    assert "autoridad@entidad.gob.pe" in page.text
    assert "01/12/2026 22:15" in page.text


def test_a_caught_message_is_read_as_text_and_its_markup_is_never_rendered() -> None:
    gateway = VerifyAndMailGateway()
    with client(gateway, dev_mail=True) as c:
        page = c.get(f"/correo/{MAIL[0]['id']}")
        missing = c.get("/correo/1-1")
        odd = c.get("/correo/no-es-un-correo")

    assert page.status_code == 200
    assert "<h1>Acceso aprobado SOL-2026-000042</h1>" in page.text
    assert "Usuario: omaped.150101\nContraseña: secreta" in page.text
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert missing.status_code == 404 and odd.status_code == 404


def test_a_gateway_without_a_mail_catcher_leaves_the_page_not_found_rather_than_failing() -> None:
    gateway = VerifyAndMailGateway(has_mail=False)
    with client(gateway, dev_mail=True) as c:
        listing = c.get("/correo")

    assert listing.status_code == 404
    assert "No se encontró la página" in listing.text
    assert gateway.paths == ["/dev/mail"]

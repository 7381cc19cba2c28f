"""The address printed in every DDC, ``<public URL>/verificar?codigo=...``, lands on a working page:
the web application's when one is configured, the gateway's own plain page when it runs alone."""

from __future__ import annotations

import httpx
import pytest
from litestar.testing import AsyncTestClient

from gateway.app import create_app
from gateway.config import Settings

pytestmark = pytest.mark.unit

CODE = "K7QX-9M2P-4TZD"


def documents_stand_in() -> dict[str, httpx.AsyncClient]:
    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path == f"/verify/{CODE}":
            body = {
                "code": CODE,
                "document": "Documento de Declaración de Confidencialidad (DDC)",
                "request_code": "SOL-2026-000001",
                "issued_at": "2026-12-01T15:30:00Z",
                "sha256": "a" * 64,
            }
            return httpx.Response(200, json=body)
        return httpx.Response(404, json={"detail": "Ningún documento lleva ese código."})

    return {
        name: httpx.AsyncClient(transport=httpx.MockTransport(handle), base_url=f"http://{name}")
        for name in ("identity", "access", "documents", "padron", "cases")
    }


async def test_with_a_web_application_the_printed_address_is_sent_to_its_page_with_the_code():
    app = create_app(Settings(web_url="http://127.0.0.1:8006/"), clients=documents_stand_in())
    async with AsyncTestClient(app) as client:
        with_code = await client.get("/verificar", params={"codigo": CODE}, follow_redirects=False)
        without = await client.get("/verificar", follow_redirects=False)

    assert with_code.status_code == 303
    assert with_code.headers["location"] == f"http://127.0.0.1:8006/verificar?codigo={CODE}"
    assert without.status_code == 303
    assert without.headers["location"] == "http://127.0.0.1:8006/verificar"


async def test_the_gateway_alone_still_answers_the_printed_address_with_its_own_page():
    async with AsyncTestClient(create_app(Settings(), clients=documents_stand_in())) as client:
        found = await client.get("/verificar", params={"codigo": CODE})
        unknown = await client.get("/verificar", params={"codigo": "ZZZZ-ZZZZ-ZZZZ"})

    assert found.status_code == 200 and "Documento auténtico" in found.text and "SOL-2026-000001" in found.text
    assert "Ningún documento lleva ese código." in unknown.text

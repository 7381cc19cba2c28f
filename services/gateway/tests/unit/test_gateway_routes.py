"""The gateway forwards to the right service, checks sessions with identity, and refuses in Spanish.

The services are stand-ins (httpx MockTransport): what is tested is the gateway's own logic.
"""

from __future__ import annotations

import json

import httpx
import pytest
from litestar.testing import AsyncTestClient

from gateway.app import create_app
from gateway.config import Settings

pytestmark = pytest.mark.unit


def stand_ins(seen: list[tuple[str, str, str]], active: bool = True) -> dict[str, httpx.AsyncClient]:
    def service(name: str):
        def handle(request: httpx.Request) -> httpx.Response:
            seen.append((name, request.method, request.url.path))
            if request.url.path == "/auth/introspect":
                claims = {"sub": "s1", "username": "evaluador", "role": "EVALUATOR"}
                return httpx.Response(200, json={"active": active, "claims": claims if active else {}})
            if request.url.path == "/health":
                return httpx.Response(200, json={"status": "ok", "checks": {}})
            return httpx.Response(201, json={"service": name, "auth": request.headers.get("authorization")})

        return httpx.AsyncClient(transport=httpx.MockTransport(handle), base_url=f"http://{name}")

    return {n: service(n) for n in ("identity", "access", "documents", "padron", "cases")}


def app_with(seen, *, active=True, per_minute=120):
    return create_app(Settings(rate_limit_per_minute=per_minute), clients=stand_ins(seen, active), mode="embedded")


async def test_each_route_reaches_its_service():
    seen: list = []
    async with AsyncTestClient(app_with(seen)) as client:
        await client.get("/api/dni/40123456")
        await client.post("/api/access-requests", json={})
        await client.get("/api/access-requests/4f1e1a52-4d0a-4c1e-9d0e-1b1b1b1b1b1b/ddc")
        await client.get("/api/verify/K7QX-9M2P-4TZD")

    assert seen == [
        ("identity", "GET", "/citizens/40123456"),
        ("access", "POST", "/access-requests"),
        ("documents", "GET", "/requests/4f1e1a52-4d0a-4c1e-9d0e-1b1b1b1b1b1b/ddc"),
        ("documents", "GET", "/verify/K7QX-9M2P-4TZD"),
    ]


async def test_the_evaluation_queue_needs_an_active_session_and_passes_the_token_on():
    seen: list = []
    async with AsyncTestClient(app_with(seen)) as client:
        anonymous = await client.get("/api/evaluation/queue")
        with_token = await client.get("/api/evaluation/queue", headers={"Authorization": "Bearer t0k3n"})

    assert anonymous.status_code == 401 and anonymous.json() == {"detail": "Inicie sesión para continuar."}
    assert with_token.json() == {"service": "access", "auth": "Bearer t0k3n"}
    assert ("identity", "POST", "/auth/introspect") in seen


async def test_a_revoked_session_is_refused_before_reaching_the_service():
    seen: list = []
    async with AsyncTestClient(app_with(seen, active=False)) as client:
        answer = await client.get("/api/evaluation/queue", headers={"Authorization": "Bearer old"})

    assert answer.status_code == 401
    assert "revocada" in answer.json()["detail"]
    assert ("access", "GET", "/evaluation/queue") not in seen


async def test_an_upload_past_10_mb_is_refused_in_spanish():
    seen: list = []
    async with AsyncTestClient(app_with(seen)) as client:
        answer = await client.post(
            "/api/access-requests/4f1e1a52-4d0a-4c1e-9d0e-1b1b1b1b1b1b/documents",
            files={"file": ("ddc.pdf", b"%PDF" + b"0" * (11 * 1024 * 1024), "application/pdf")},
        )

    assert answer.status_code == 413
    assert answer.json() == {"detail": "El archivo supera el límite de 10 MB."}
    assert not [s for s in seen if s[0] == "documents"]


async def test_unknown_pages_and_too_many_look_ups_are_answered_in_spanish():
    seen: list = []
    async with AsyncTestClient(app_with(seen, per_minute=2)) as client:
        missing = await client.get("/api/nada")
        answers = [await client.get("/api/dni/40123456") for _ in range(3)]

    assert missing.status_code == 404 and missing.json() == {"detail": "No encontrado."}
    assert [a.status_code for a in answers] == [201, 201, 429]
    assert answers[-1].json()["detail"].startswith("Demasiadas solicitudes")


async def test_the_health_page_names_every_service():
    seen: list = []
    async with AsyncTestClient(app_with(seen)) as client:
        body = json.loads((await client.get("/health")).content)

    assert body["status"] == "ok"
    assert set(body["services"]) == {"identity", "access", "documents", "padron", "cases"}


async def test_the_padron_needs_a_session_and_receives_the_path_and_the_token():
    seen: list = []
    async with AsyncTestClient(app_with(seen)) as client:
        anonymous = await client.get("/api/padron/summary")
        summary = await client.get("/api/padron/districts/090101/summary", headers={"Authorization": "Bearer t"})

    assert anonymous.status_code == 401
    assert ("padron", "GET", "/padron/districts/090101/summary") in seen
    assert summary.json() == {"service": "padron", "auth": "Bearer t"}

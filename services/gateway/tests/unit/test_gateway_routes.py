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


REQUEST_ID = "4f1e1a52-4d0a-4c1e-9d0e-1b1b1b1b1b1b"


def stand_ins(
    seen: list[tuple[str, str, str]],
    active: bool = True,
    attempt: httpx.Response | None = None,
    role: str = "EVALUATOR",
) -> dict[str, httpx.AsyncClient]:
    """``attempt`` is access's answer to the gateway's question about the current attempt; ``role`` the token's."""

    def service(name: str):
        def handle(request: httpx.Request) -> httpx.Response:
            seen.append((name, request.method, request.url.path))
            if request.url.path.endswith("/current-attempt"):
                return attempt or httpx.Response(200, json={"attempt": 2})
            if request.url.path == "/auth/introspect":
                claims = {"sub": "s1", "username": "evaluador", "role": role}
                return httpx.Response(200, json={"active": active, "claims": claims if active else {}})
            if request.url.path == "/health":
                return httpx.Response(200, json={"status": "ok", "checks": {}})
            if name == "documents":
                return httpx.Response(200, json={"service": name, "query": dict(request.url.params)})
            return httpx.Response(201, json={"service": name, "auth": request.headers.get("authorization")})

        return httpx.AsyncClient(transport=httpx.MockTransport(handle), base_url=f"http://{name}")

    return {n: service(n) for n in ("identity", "access", "documents", "padron", "cases")}


def app_with(seen, *, active=True, per_minute=120, attempt=None, role="EVALUATOR", proxy_key=""):
    clients = stand_ins(seen, active, attempt, role)
    settings = Settings(rate_limit_per_minute=per_minute, proxy_key=proxy_key)
    return create_app(settings, clients=clients, mode="embedded")


async def test_each_route_reaches_its_service():
    seen: list = []
    async with AsyncTestClient(app_with(seen)) as client:
        await client.get("/api/dni/40123456")
        await client.post("/api/access-requests", json={})
        await client.get(f"/api/access-requests/{REQUEST_ID}/ddc")
        await client.get("/api/verify/K7QX-9M2P-4TZD")

    assert seen == [
        ("identity", "GET", "/citizens/40123456"),
        ("access", "POST", "/access-requests"),
        ("access", "GET", f"/access-requests/{REQUEST_ID}/current-attempt"),
        ("documents", "GET", f"/requests/{REQUEST_ID}/ddc"),
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


async def test_the_web_application_gets_a_limit_per_person_it_vouches_for_and_no_one_else_can_claim_one():
    seen: list = []
    key = "clave-compartida-con-la-web"

    def relayed(address: str, sent_key: str = key) -> dict[str, str]:
        return {"x-contigo-proxy-key": sent_key, "x-contigo-client": address}

    async with AsyncTestClient(app_with(seen, per_minute=2, proxy_key=key)) as client:
        first = [await client.get("/api/dni/40123456", headers=relayed("10.0.0.1")) for _ in range(3)]
        second = [await client.get("/api/dni/40123456", headers=relayed("10.0.0.2")) for _ in range(2)]
        # Without the key the header is ignored: the caller counts as its own address.
        forged = [await client.get("/api/dni/40123456", headers=relayed(f"10.9.9.{n}", "adivinada")) for n in range(3)]

    assert [a.status_code for a in first] == [201, 201, 429]
    assert [a.status_code for a in second] == [201, 201]
    assert [a.status_code for a in forged] == [201, 201, 429]


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


async def test_the_ddc_and_uploads_go_to_documents_with_the_attempt_access_calls_current_not_the_clients():
    seen: list = []
    async with AsyncTestClient(app_with(seen)) as client:
        ddc = await client.get(f"/api/access-requests/{REQUEST_ID}/ddc", params={"attempt": "1"})
        uploaded = await client.post(
            f"/api/access-requests/{REQUEST_ID}/documents",
            params={"kind": "DDC_SIGNED", "attempt": "1"},
            files={"file": ("ddc.pdf", b"%PDF-1.7", "application/pdf")},
        )

    assert ddc.json()["query"] == {"attempt": "2"}
    assert uploaded.json()["query"] == {"kind": "DDC_SIGNED", "attempt": "2"}


async def test_when_access_refuses_the_ddc_or_an_upload_documents_is_never_asked_and_the_refusal_is_passed_on():
    seen: list = []
    refusal = {
        "detail": "El DDC de la solicitud corregida aún se está generando; descárguelo de nuevo y súbalo firmado."
    }
    async with AsyncTestClient(app_with(seen, attempt=httpx.Response(409, json=refusal))) as client:
        ddc = await client.get(f"/api/access-requests/{REQUEST_ID}/ddc")
        uploaded = await client.post(
            f"/api/access-requests/{REQUEST_ID}/documents",
            params={"kind": "DDC_SIGNED"},
            files={"file": ("ddc.pdf", b"%PDF-1.7", "application/pdf")},
        )

    assert (ddc.status_code, ddc.json()) == (409, refusal)
    assert (uploaded.status_code, uploaded.json()) == (409, refusal)
    assert not [s for s in seen if s[0] == "documents"]


async def test_an_evaluator_sees_an_upload_of_the_attempt_access_calls_current():
    seen: list = []
    async with AsyncTestClient(app_with(seen)) as client:
        answer = await client.get(
            f"/api/evaluation/{REQUEST_ID}/documents/DDC_SIGNED",
            params={"attempt": "1"},
            headers={"Authorization": "Bearer t0k3n"},
        )

    assert answer.json()["query"] == {"attempt": "2"}
    assert seen[-2:] == [
        ("access", "GET", f"/access-requests/{REQUEST_ID}/current-attempt"),
        ("documents", "GET", f"/requests/{REQUEST_ID}/documents/DDC_SIGNED"),
    ]


async def test_only_evaluators_see_uploads_and_documents_is_not_asked_otherwise():
    seen: list = []
    async with AsyncTestClient(app_with(seen, role="ALLY")) as client:
        anonymous = await client.get(f"/api/evaluation/{REQUEST_ID}/documents/DDC_SIGNED")
        ally = await client.get(
            f"/api/evaluation/{REQUEST_ID}/documents/DDC_SIGNED", headers={"Authorization": "Bearer t0k3n"}
        )

    assert (anonymous.status_code, anonymous.json()) == (401, {"detail": "Inicie sesión para continuar."})
    assert (ally.status_code, ally.json()) == (403, {"detail": "Su cuenta no tiene permiso para esta acción."})
    assert not [s for s in seen if s[0] in ("access", "documents")]


def services_answering(statuses: dict[str, tuple[int, str]]) -> dict[str, httpx.AsyncClient]:
    def service(name: str) -> httpx.AsyncClient:
        code, status = statuses.get(name, (200, "ok"))
        transport = httpx.MockTransport(lambda _request: httpx.Response(code, json={"status": status, "checks": {}}))
        return httpx.AsyncClient(transport=transport, base_url=f"http://{name}")

    return {n: service(n) for n in ("identity", "access", "documents", "padron", "cases")}


async def test_dead_letters_waiting_make_the_health_page_degraded_but_not_down():
    degraded = create_app(Settings(), clients=services_answering({"cases": (200, "degraded")}), mode="embedded")
    down = create_app(
        Settings(),
        clients=services_answering({"cases": (200, "degraded"), "documents": (503, "unavailable")}),
        mode="embedded",
    )

    async with AsyncTestClient(degraded) as client:
        degraded_answer = await client.get("/health")
    async with AsyncTestClient(down) as client:
        down_answer = await client.get("/health")

    assert degraded_answer.status_code == 200 and degraded_answer.json()["status"] == "degraded"
    assert down_answer.status_code == 503 and down_answer.json()["status"] == "unavailable"


async def test_staff_accounts_need_a_session_and_reach_identity_with_the_token_and_its_status():
    seen: list = []
    staff_id = "7b0c3c8e-2d55-4f7e-9a43-5a3a0e1f6c11"
    auth = {"Authorization": "Bearer t"}
    async with AsyncTestClient(app_with(seen, role="ADMIN")) as client:
        anonymous = await client.post("/api/staff-accounts", json={"role": "CTVC"})
        created = await client.post("/api/staff-accounts", json={"role": "CTVC"}, headers=auth)
        listed = await client.get("/api/staff-accounts", headers=auth)
        revoked = await client.post(f"/api/staff-accounts/{staff_id}/revoke", json={"reason": "x"}, headers=auth)

    assert anonymous.status_code == 401
    assert (created.status_code, created.json()) == (201, {"service": "identity", "auth": "Bearer t"})
    assert listed.json()["service"] == "identity" and revoked.json()["service"] == "identity"
    assert ("identity", "POST", "/staff-accounts") in seen and ("identity", "GET", "/staff-accounts") in seen
    assert ("identity", "POST", f"/staff-accounts/{staff_id}/revoke") in seen


async def test_the_login_tells_identity_whose_attempt_it_is_and_no_one_else_can():
    forwarded: list[str | None] = []

    def identity(request: httpx.Request) -> httpx.Response:
        forwarded.append(request.headers.get("x-forwarded-for"))
        return httpx.Response(401, json={"detail": "Usuario o contraseña incorrectos."})

    clients = stand_ins([])
    clients["identity"] = httpx.AsyncClient(transport=httpx.MockTransport(identity), base_url="http://identity")
    app = create_app(Settings(proxy_key="clave-compartida"), clients=clients, mode="embedded")
    body = {"username": "admin", "password": "x"}
    async with AsyncTestClient(app) as client:
        direct = await client.post("/api/auth/login", json=body, headers={"X-Forwarded-For": "203.0.113.9"})
        vouched = await client.post(
            "/api/auth/login",
            json=body,
            headers={"X-Contigo-Proxy-Key": "clave-compartida", "X-Contigo-Client": "198.51.100.4"},
        )
        forged = await client.post("/api/auth/login", json=body, headers={"X-Contigo-Client": "198.51.100.4"})

    assert direct.status_code == vouched.status_code == forged.status_code == 401
    assert forwarded == ["testclient", "198.51.100.4", "testclient"]


async def test_an_administrator_unlocks_an_account_through_the_gateway_with_the_session_passed_on():
    seen: list = []
    async with AsyncTestClient(app_with(seen, role="ADMIN")) as client:
        anonymous = await client.post("/api/accounts/evaluador/unlock")
        unlocked = await client.post("/api/accounts/evaluador/unlock", headers={"Authorization": "Bearer t0k3n"})

    assert anonymous.status_code == 401
    assert unlocked.json() == {"service": "identity", "auth": "Bearer t0k3n"}
    assert ("identity", "POST", "/accounts/evaluador/unlock") in seen

"""While a dependency is down the gateway says so: a session identity could not check is not a refused one,
and the health page names what is wrong with each service.

The services are stand-ins (httpx MockTransport): what is tested is the gateway's reading of their answers.
"""

from __future__ import annotations

import socket
from collections.abc import Callable

import httpx
import pytest
from litestar.testing import AsyncTestClient

from gateway.app import create_app
from gateway.config import Settings

pytestmark = pytest.mark.unit

NAMES = ("identity", "access", "documents", "padron", "cases")
Answer = Callable[[httpx.Request], httpx.Response]


def healthy(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/health":
        return httpx.Response(200, json={"status": "ok", "checks": {"postgres": {"ok": True, "detail": "connected"}}})
    return httpx.Response(200, json={"items": []})


def gateway_with(**answers: Answer):
    clients = {
        name: httpx.AsyncClient(transport=httpx.MockTransport(answers.get(name, healthy)), base_url=f"http://{name}")
        for name in NAMES
    }
    return create_app(Settings(), clients=clients, mode="distributed")


def identity_answering(introspection: Answer) -> Answer:
    def answer(request: httpx.Request) -> httpx.Response:
        return introspection(request) if request.url.path == "/auth/introspect" else healthy(request)

    return answer


async def evaluation_queue_with(introspection: Answer) -> httpx.Response:
    async with AsyncTestClient(gateway_with(identity=identity_answering(introspection))) as client:
        return await client.get("/api/evaluation/queue", headers={"Authorization": "Bearer t0k3n"})


def refused_connection(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("[Errno 111] Connection refused", request=request)


@pytest.mark.parametrize(
    "introspection",
    [
        lambda _r: httpx.Response(
            500, json={"detail": "Ocurrió un error interno; intente nuevamente en unos minutos."}
        ),
        lambda _r: httpx.Response(503, json={"detail": "La base de datos no está disponible; intente nuevamente."}),
        lambda _r: httpx.Response(200, text="<html>proxy error</html>"),
        refused_connection,
    ],
    ids=["identity-500", "identity-503", "not-a-verdict", "identity-down"],
)
async def test_a_session_identity_could_not_check_is_a_503_and_the_person_stays_signed_in(introspection):
    answer = await evaluation_queue_with(introspection)

    assert answer.status_code == 503
    assert answer.json() == {"detail": "No se pudo verificar la sesión; intente nuevamente."}


@pytest.mark.parametrize(
    "introspection",
    [
        lambda _r: httpx.Response(200, json={"active": False, "claims": {}}),
        lambda _r: httpx.Response(401, json={"detail": "Inicie sesión para continuar."}),
    ],
    ids=["inactive", "identity-401"],
)
async def test_only_identitys_refusal_of_the_token_signs_the_person_out(introspection):
    answer = await evaluation_queue_with(introspection)

    assert answer.status_code == 401
    assert answer.json() == {"detail": "Sesión no válida, vencida o revocada; inicie sesión nuevamente."}


async def test_the_health_page_gives_the_reason_a_service_is_down():
    def documents(request: httpx.Request) -> httpx.Response:
        checks = {
            "postgres": {"ok": True, "detail": "connected, schema documents"},
            "object_store": {
                "ok": False,
                "detail": "cannot reach MinIO for bucket contigo-documents at 127.0.0.1:59000",
            },
        }
        return httpx.Response(503, json={"service": "documents", "status": "unavailable", "checks": checks})

    async with AsyncTestClient(gateway_with(documents=documents)) as client:
        answer = await client.get("/health")

    body = answer.json()
    assert answer.status_code == 503 and body["status"] == "unavailable"
    reason = "object_store: cannot reach MinIO for bucket contigo-documents at 127.0.0.1:59000"
    assert body["services"]["documents"]["reason"] == reason
    assert body["problems"] == {"documents": reason}
    assert "reason" not in body["services"]["identity"]


async def test_a_degraded_service_says_why_on_the_health_page_and_the_gateway_still_answers_200():
    def cases(request: httpx.Request) -> httpx.Response:
        checks = {"dead_letters": {"ok": False, "degraded": True, "detail": "dead letters waiting: 2 in cases.x.dlq"}}
        return httpx.Response(200, json={"status": "degraded", "checks": checks})

    async with AsyncTestClient(gateway_with(cases=cases)) as client:
        answer = await client.get("/health")

    assert answer.status_code == 200 and answer.json()["status"] == "degraded"
    assert answer.json()["problems"] == {"cases": "dead_letters: dead letters waiting: 2 in cases.x.dlq"}


async def test_a_service_that_does_not_answer_its_health_in_time_is_named_with_the_error_never_an_empty_one():
    def documents(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("", request=request)  # what httpx raises when /health takes too long

    async with AsyncTestClient(gateway_with(documents=documents)) as client:
        answer = await client.get("/health")

    reason = answer.json()["services"]["documents"]["reason"]
    assert answer.status_code == 503
    assert reason == "documents does not answer /health within 5 s: ReadTimeout('')"
    assert answer.json()["services"]["documents"]["checks"]["http"]["detail"] == reason


async def test_a_services_outage_reaches_the_person_as_it_said_it_with_when_to_try_again():
    def documents(request: httpx.Request) -> httpx.Response:
        detail = "El almacén de documentos no está disponible; intente nuevamente en unos minutos."
        return httpx.Response(503, json={"detail": detail}, headers={"Retry-After": "30"})

    async with AsyncTestClient(gateway_with(documents=documents)) as client:
        answer = await client.get("/api/verify/K7QX-9M2P-4TZD")

    assert answer.status_code == 503
    assert answer.json() == {
        "detail": "El almacén de documentos no está disponible; intente nuevamente en unos minutos."
    }
    assert answer.headers["retry-after"] == "30"


async def test_an_identity_that_is_not_running_leaves_the_person_signed_in_with_a_503():
    with socket.socket() as probe:  # a port nothing listens on: identity SIGKILLed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    clients = {
        name: httpx.AsyncClient(transport=httpx.MockTransport(healthy), base_url=f"http://{name}") for name in NAMES
    }
    clients["identity"] = httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}")

    async with AsyncTestClient(create_app(Settings(), clients=clients, mode="distributed")) as client:
        answer = await client.get("/api/evaluation/queue", headers={"Authorization": "Bearer t0k3n"})
        health = await client.get("/health")

    assert (answer.status_code, answer.json()) == (
        503,
        {"detail": "No se pudo verificar la sesión; intente nuevamente."},
    )
    assert health.json()["services"]["identity"]["reason"].startswith(
        "identity does not answer /health within 5 s: ConnectError"
    )

"""Access's OpenAPI document says what each route takes, what it answers, and each refusal it can give."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from faststream.kafka import KafkaBroker

import access.app
import access.config

pytestmark = pytest.mark.unit

REFUSALS = {
    ("GET", "/ubigeo/regions"): {503},
    ("GET", "/ubigeo/regions/{code}/provinces"): {404, 503},
    ("GET", "/ubigeo/provinces/{code}/districts"): {404, 503},
    ("GET", "/captcha"): {503},
    ("POST", "/access-requests"): {400, 422, 503},
    ("GET", "/access-requests/{request_id}"): {404, 503},
    ("PUT", "/access-requests/{request_id}"): {400, 404, 409, 422, 503},
    ("POST", "/access-requests/resume"): {400, 404, 422, 503},
    ("POST", "/access-requests/{request_id}/submit"): {400, 404, 422, 503},
    ("GET", "/access-requests/{request_id}/current-attempt"): {404, 409, 422, 503},
    ("GET", "/evaluation/queue"): {401, 403, 503},
    ("POST", "/evaluation/{request_id}/decision"): {400, 401, 403, 404, 409, 422, 503},
}
SUCCESS = {"POST /access-requests": "201", "POST /access-requests/{request_id}/submit": "202"}


async def openapi() -> dict[str, Any]:
    """The document as a client fetches it, from an app with no database and a broker never started."""
    settings = access.config.Settings(database_url="postgresql://nobody@nowhere/none")
    app = access.app.create_app(settings, KafkaBroker("x", logger=None), own_broker=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        answer = await client.get("/schema/openapi.json")
    assert answer.status_code == 200
    return answer.json()


def operations(doc: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (method.upper(), path): op
        for path, item in doc["paths"].items()
        if path != "/health"
        for method, op in item.items()
    }


def json_schema(part: dict[str, Any]) -> dict[str, Any] | None:
    return part.get("content", {}).get("application/json", {}).get("schema")


async def test_every_post_and_put_documents_its_request_body():
    doc = await openapi()

    bodies = {key: json_schema(op.get("requestBody", {})) for key, op in operations(doc).items() if key[0] != "GET"}

    assert len(bodies) == 5
    assert all(bodies.values()), [key for key, schema in bodies.items() if not schema]


async def test_every_route_documents_its_true_success_status_with_a_schema():
    doc = await openapi()

    found = {key: op["responses"] for key, op in operations(doc).items()}

    for (method, path), responses in found.items():
        status = SUCCESS.get(f"{method} {path}", "200")
        assert json_schema(responses.get(status, {})), (method, path, sorted(responses))


async def test_every_route_lists_exactly_the_refusals_it_can_answer_with_the_error_body():
    doc = await openapi()

    found = {
        key: {int(code): r for code, r in op["responses"].items() if int(code) >= 400}
        for key, op in operations(doc).items()
    }

    assert {key: set(refused) for key, refused in found.items()} == REFUSALS
    for refused in found.values():
        assert all(json_schema(r) == {"$ref": "#/components/schemas/ErrorBody"} for r in refused.values())
        assert all(r["description"] and "Bad request" not in r["description"] for r in refused.values())


async def test_the_decision_lists_the_three_an_evaluator_can_take():
    doc = await openapi()

    decision = doc["components"]["schemas"]["DecisionBody"]["properties"]["decision"]

    assert decision["enum"] == ["APPROVE", "OBSERVE", "REJECT"]
    assert "decision" in doc["components"]["schemas"]["DecisionBody"]["required"]


async def test_the_send_documents_its_optional_captcha_body():
    doc = await openapi()

    body = json_schema(doc["paths"]["/access-requests/{request_id}/submit"]["post"]["requestBody"])

    assert {"$ref": "#/components/schemas/SubmitBody"} in body["oneOf"]
    assert "altcha" in doc["components"]["schemas"]["SubmitBody"]["properties"]


async def test_every_route_has_a_spanish_summary():
    doc = await openapi()

    summaries = {key: op.get("summary", "") for key, op in operations(doc).items()}

    assert all(summaries.values()), summaries
    assert not any(s.isascii() and " " not in s for s in summaries.values()), summaries

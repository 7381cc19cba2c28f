"""Identity's OpenAPI document tells the truth: typed bodies and answers, true statuses, every refusal."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from faststream.kafka import KafkaBroker

from authkit import load_or_create_private_key
from identity.app import create_app
from identity.config import Settings

pytestmark = pytest.mark.unit

ERROR_BODY = {"$ref": "#/components/schemas/ErrorBody"}
# What each route can answer besides its success; 503 (not ready, or the database is down) on every one.
REFUSALS = {
    ("get", "/citizens/{dni}"): {"404", "422", "503"},
    ("get", "/authorities"): {"404", "422", "503"},
    ("get", "/entities"): {"503"},
    ("post", "/auth/login"): {"400", "401", "422", "503"},
    ("get", "/.well-known/jwks.json"): {"503"},
    ("post", "/auth/introspect"): {"400", "422", "503"},
    ("post", "/staff-accounts"): {"400", "401", "403", "422", "503"},
    ("get", "/staff-accounts"): {"401", "403", "503"},
    ("post", "/staff-accounts/{staff_id}/revoke"): {"400", "401", "403", "404", "409", "422", "503"},
    ("post", "/accounts/{username}/unlock"): {"401", "403", "404", "503"},
}
CREATED = {("post", "/staff-accounts")}
"""Routes that create something answer 201; every other success is a 200."""


@pytest.fixture
async def document(tmp_path) -> dict[str, Any]:
    key_file = tmp_path / "token.pem"
    load_or_create_private_key(key_file)
    settings = Settings(database_url="postgresql://nobody@127.0.0.1:1/none", token_key_file=str(key_file))
    # Never started: the document is built from the routes alone, without the lifespan.
    app = create_app(settings, KafkaBroker("x", logger=None), own_broker=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        response = await client.get("/schema/openapi.json")
    assert response.status_code == 200
    return response.json()


def operations(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(method, path): op for path, ops in document["paths"].items() for method, op in ops.items()}


def schema(document: dict[str, Any], ref: dict[str, Any]) -> dict[str, Any]:
    return document["components"]["schemas"][ref["$ref"].rpartition("/")[2]]


async def test_the_login_body_is_documented_and_its_success_is_200_not_201(document):
    login = document["paths"]["/auth/login"]["post"]

    body = schema(document, login["requestBody"]["content"]["application/json"]["schema"])
    assert login["requestBody"]["required"] is True
    assert set(body["required"]) == {"username", "password"}
    assert "200" in login["responses"] and "201" not in login["responses"]
    success = schema(document, login["responses"]["200"]["content"]["application/json"]["schema"])
    assert set(success["required"]) == {"access_token", "token_type", "expires_in"}


async def test_every_operation_documents_its_success_with_a_schema(document):
    found = operations(document)

    for (method, path), op in found.items():
        success = "201" if (method, path) in CREATED else "200"
        successes = [code for code in op["responses"] if code.startswith("2")]
        assert successes == [success], f"{method} {path}"
        assert op["responses"][success]["content"]["application/json"]["schema"], f"{method} {path}"


async def test_every_route_lists_exactly_the_refusals_it_answers_with_the_error_body_and_a_spanish_summary(document):
    found = operations(document)

    # /health is the kit's: its 503 carries the health report, not a refusal.
    assert set(found) - {("get", "/health")} == set(REFUSALS)
    for route, statuses in REFUSALS.items():
        responses = found[route]["responses"]
        assert set(responses) - {"200", "201"} == statuses, route
        for status in statuses:
            assert responses[status]["content"]["application/json"]["schema"] == ERROR_BODY, (route, status)
            assert responses[status]["description"], (route, status)
        assert found[route]["summary"], route


async def test_the_jwks_and_the_introspection_answers_are_typed_not_free_form_objects(document):
    jwks = document["paths"]["/.well-known/jwks.json"]["get"]["responses"]["200"]["content"]["application/json"]
    introspection = document["paths"]["/auth/introspect"]["post"]["responses"]["200"]["content"]["application/json"]

    keys = schema(document, jwks["schema"])["properties"]["keys"]
    assert set(schema(document, keys["items"])["required"]) == {"kty", "crv", "alg", "use", "kid", "x"}
    assert schema(document, introspection["schema"])["required"] == ["active"]

"""The published OpenAPI document is committed, complete, and what the gateway serves.

Like the event schemas in ``contracts/schemas/``: a change to a body or an answer of any service,
or to a gateway route, fails here until ``uv run contigo openapi --write`` is run and committed.
"""

from __future__ import annotations

import httpx
import pytest

import gateway.app
import gateway.config
from contigo import openapi

pytestmark = pytest.mark.unit

SUCCESS = ("200", "201", "202")
# Actions that carry nothing but the address: attending an alert says only which one.
WITHOUT_BODY = {
    ("POST", "/api/padron/alerts/{alert_id}/attend"),
    ("POST", "/api/cases/{case_id}/resolution"),
    ("POST", "/api/accounts/{username}/unlock"),
}


@pytest.fixture(scope="module")
def document() -> dict:
    return openapi.compose()


def operations(document: dict):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield method.upper(), path, operation


def schema_of(part: dict) -> dict | None:
    return next((c.get("schema") for c in part.get("content", {}).values() if c.get("schema")), None)


def resolved(document: dict, schema: dict | None) -> dict:
    ref = (schema or {}).get("$ref", "")
    return document["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {}) if ref else (schema or {})


def refusal_fields(document: dict, answer: dict) -> set[str]:
    """The fields of a refusal's body: ErrorBody, or a richer one (the import's rows) that has a detail too."""
    return set(resolved(document, schema_of(answer)).get("properties", {}))


def test_the_committed_document_is_what_the_services_and_the_gateway_say_now(document):
    committed = openapi.PUBLISHED.read_text(encoding="utf-8")

    assert committed == openapi.render(document), "run `uv run contigo openapi --write` and commit the result"


def test_every_public_route_of_the_gateway_is_in_the_document_once(document):
    app = gateway.app.create_app(gateway.config.Settings(), clients={})
    routes = {
        (method, route.path_format)
        for route in app.routes
        for handler in getattr(route, "route_handlers", [])
        if handler.include_in_schema and route.path_format.startswith(("/api/", "/.well-known/"))
        for method in handler.http_methods
    }

    published = {(m, p) for m, p, _ in operations(document)}

    assert routes <= published
    assert len(routes) >= 48
    assert ("GET", "/api/padron/beneficiaries/{beneficiary_id}") in published
    assert not any("{path}" in p for _, p in published), "no catch-all route is published"


def test_every_operation_has_a_spanish_summary_its_bodies_and_the_schema_of_its_answer(document):
    missing = []
    for method, path, operation in operations(document):
        if not operation.get("summary"):
            missing.append(f"{method} {path}: summary")
        success = [operation["responses"][s] for s in SUCCESS if s in operation["responses"]]
        if len(success) != 1 or schema_of(success[0]) is None:
            missing.append(f"{method} {path}: one success answer with a schema")
        needs_body = method in ("POST", "PUT") and (method, path) not in WITHOUT_BODY
        if needs_body and schema_of(operation.get("requestBody", {})) is None:
            missing.append(f"{method} {path}: request body")
        for status, answer in operation["responses"].items():
            if status.startswith(("4", "5")) and "detail" not in refusal_fields(document, answer):
                missing.append(f"{method} {path}: {status} has no Spanish detail")

    assert missing == []


def test_the_answers_are_the_true_ones(document):
    paths = document["paths"]

    assert "200" in paths["/api/auth/login"]["post"]["responses"]
    assert "202" in paths["/api/access-requests/{request_id}/submit"]["post"]["responses"]
    assert "201" in paths["/api/access-requests"]["post"]["responses"]
    assert "application/pdf" in paths["/api/access-requests/{request_id}/ddc"]["get"]["responses"]["200"]["content"]
    upload = paths["/api/access-requests/{request_id}/documents"]["post"]
    assert "file" in resolved(document, schema_of(upload["requestBody"]))["properties"]
    assert {"413", "503"} <= set(upload["responses"])
    queue = paths["/api/evaluation/queue"]["get"]
    assert {"401", "403"} <= set(queue["responses"]) and queue["security"] == [{"sesion": []}]
    assert "429" in paths["/api/dni/{dni}"]["get"]["responses"]
    csv = paths["/api/padron/beneficiaries.csv"]["get"]["responses"]["200"]["content"]
    assert [kind.split(";")[0] for kind in csv] == ["text/csv"]
    assert "text/csv" in paths["/api/padron/imports"]["post"]["requestBody"]["content"]
    assert "requestBody" not in paths["/api/padron/alerts/{alert_id}/attend"]["post"]


def test_a_gateway_route_relaying_to_a_route_its_service_lacks_stops_the_build():
    docs = {"access": {"paths": {"/access-requests": {"post": {"responses": {}}}}}}

    with pytest.raises(LookupError, match="relays to access /access-request"):
        openapi.owned_operation(
            docs, {"access": {}}, "/api/x", "post", {"service": "access", "target": "/access-request"}
        )


async def test_the_gateway_serves_the_committed_document():
    app = gateway.app.create_app(gateway.config.Settings(), clients={})

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway") as client:
        served = await client.get("/schema/openapi.json")
        root = await client.get("/schema")

    assert served.status_code == 200
    assert served.content == openapi.PUBLISHED.read_bytes()
    assert root.content == served.content

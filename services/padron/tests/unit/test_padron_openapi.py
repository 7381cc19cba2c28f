"""Padrón's OpenAPI document, read from an app built without a database: every body and answer has a schema."""

from __future__ import annotations

import httpx
import pytest
from faststream.kafka import KafkaBroker

import padron.app
import padron.config

pytestmark = pytest.mark.unit

# Bodies that are not JSON: the bulk import streams its CSV (text/csv or multipart), documented in words.
NOT_JSON_BODIES = {("post", "/padron/imports")}
# Actions with nothing to send: the alert is named by the path.
NO_BODY = {("post", "/padron/alerts/{alert_id}/attend")}


async def openapi() -> dict:
    settings = padron.config.Settings(database_url="postgresql://nowhere/padron")
    app = padron.app.create_app(settings, KafkaBroker("x", logger=None), own_broker=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        answer = await client.get("/schema/openapi.json")
    assert answer.status_code == 200
    return answer.json()


def operations(document: dict) -> list[tuple[str, str, dict]]:
    return [
        (method, path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]


async def test_every_post_and_put_of_the_padron_documents_its_json_body_with_a_schema():
    document = await openapi()

    missing = [
        (method, path)
        for method, path, operation in operations(document)
        if method in ("post", "put")
        and (method, path) not in NOT_JSON_BODIES | NO_BODY
        and not operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    ]

    assert missing == []


async def test_the_csv_import_says_in_words_that_its_body_is_a_streamed_csv_file():
    document = await openapi()

    operation = document["paths"]["/padron/imports"]["post"]

    assert "text/csv" in operation["description"]
    assert "requestBody" not in operation  # streamed, never decoded as JSON


async def test_every_padron_operation_documents_a_success_answer_with_a_schema_and_a_spanish_summary():
    document = await openapi()

    found = operations(document)
    without_schema = [
        (method, path)
        for method, path, operation in found
        if not any(
            media.get("schema")
            for status, response in operation["responses"].items()
            if status.startswith("2")
            for media in response.get("content", {}).values()
        )
    ]
    without_summary = [(m, p) for m, p, o in found if p.startswith("/padron") and not o.get("summary")]

    assert len(found) >= 29
    assert without_schema == []
    assert without_summary == []


async def test_every_padron_route_documents_its_refusals_and_a_csv_export_answers_text_csv():
    document = await openapi()

    refusals = {
        (method, path): set(operation["responses"])
        for method, path, operation in operations(document)
        if path.startswith("/padron")
    }
    exports = [document["paths"][p]["get"] for p in ("/padron/beneficiaries.csv", "/padron/categories.csv")]

    assert [route for route, statuses in refusals.items() if not {"401", "403", "503"} <= statuses] == []
    assert [list(e["responses"]["200"]["content"]) for e in exports] == [["text/csv; charset=utf-8"]] * 2


async def test_every_padron_list_documents_its_query_parameters_and_the_values_a_fixed_list_allows():
    document = await openapi()

    def query(path: str) -> dict[str, dict]:
        parameters = document["paths"][path]["get"].get("parameters", [])
        return {p["name"]: p for p in parameters if p["in"] == "query"}

    def allowed(path: str, name: str) -> set[str]:
        return set(query(path)[name]["schema"]["enum"]) - {None}

    assert {"ubigeo", "status", "after", "limit"} <= set(query("/padron/beneficiaries"))
    assert {"ubigeo", "status"} <= set(query("/padron/beneficiaries.csv"))
    assert allowed("/padron/beneficiaries", "status") == {"VIGENTE", "SUSPENDIDO", "DESAFILIADO"}
    assert {"category", "period"} <= set(query("/padron/categories")) & set(query("/padron/categories.csv"))
    assert query("/padron/categories")["category"]["required"] is True
    assert "SUSPENDIDO" in allowed("/padron/categories", "category")
    assert {"username", "action", "since"} <= set(query("/padron/access-log"))
    assert allowed("/padron/affiliation-requests", "state") == {"PENDIENTE", "CONFORME", "NO_CONFORME"}
    assert allowed("/padron/alerts", "state") == {"ABIERTA", "ATENDIDA"}
    assert allowed("/padron/fad", "state") == {"PENDIENTE", "APROBADA", "RECHAZADA"}


async def test_a_refused_query_value_is_documented_as_a_422_and_never_as_a_400():
    document = await openapi()

    lists = [
        path
        for path, item in document["paths"].items()
        if any(
            p["in"] == "query" and p["name"] not in ("after", "limit")
            for p in item.get("get", {}).get("parameters", [])
        )
    ]

    assert len(lists) == 8
    assert [p for p in lists if "422" not in document["paths"][p]["get"]["responses"]] == []
    assert [p for p in lists if "400" in document["paths"][p]["get"]["responses"]] == []

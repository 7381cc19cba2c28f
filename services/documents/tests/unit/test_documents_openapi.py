"""Documents' OpenAPI document, read from an app built without a database: PDFs, structs and refusals as answered."""

from __future__ import annotations

import httpx
import pytest
from faststream.kafka import KafkaBroker

from documents.app import create_app
from documents.config import Settings

pytestmark = pytest.mark.unit

DDC = "/requests/{request_id}/ddc"
UPLOAD = "/requests/{request_id}/documents"
UPLOADED = "/requests/{request_id}/documents/{kind}"
VERIFY = "/verify/{code}"


@pytest.fixture
async def document(tmp_path) -> dict:
    # Lifespan not entered: the document is built from the routes alone.
    settings = Settings(database_url="postgresql://nowhere/documents", storage_dir=str(tmp_path))
    app = create_app(settings, KafkaBroker("x", logger=None), own_broker=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        answer = await client.get("/schema/openapi.json")
    assert answer.status_code == 200
    return answer.json()


def operations(document: dict) -> dict[tuple[str, str], dict]:
    return {
        (method, path): operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in ("get", "post", "put", "patch", "delete") and path != "/health"
    }


async def test_the_ddc_download_answers_a_pdf_not_json(document):
    success = document["paths"][DDC]["get"]["responses"]["200"]

    assert list(success["content"]) == ["application/pdf"]


async def test_an_uploaded_document_answers_a_pdf_not_json(document):
    success = document["paths"][UPLOADED]["get"]["responses"]["200"]

    assert list(success["content"]) == ["application/pdf"]


async def test_every_documents_operation_documents_a_success_answer_with_a_schema_and_a_spanish_summary(document):
    found = operations(document)

    without_schema = [
        route
        for route, operation in found.items()
        if not any(
            media.get("schema")
            for status, response in operation["responses"].items()
            if status.startswith("2")
            for media in response.get("content", {}).values()
        )
    ]
    summaries = {route: operation.get("summary", "") for route, operation in found.items()}

    assert without_schema == []
    assert summaries == {
        ("get", DDC): "Descargar el DDC prellenado de un intento",
        ("post", UPLOAD): "Subir el DDC firmado o la designación",
        ("get", UPLOADED): "Ver un documento subido del intento vigente (DDC firmado o designación)",
        (
            "get",
            "/requests/{request_id}/uploads",
        ): "Todas las versiones subidas de una solicitud, en el orden en que llegaron",
        ("get", VERIFY): "Verificar un documento por su código",
        ("get", VERIFY + "/pdf"): "Descargar un documento de respuesta a un CTVC por su código",
    }


async def test_every_documents_operation_lists_exactly_the_refusals_it_can_give(document):
    statuses = {route: set(operation["responses"]) for route, operation in operations(document).items()}
    refusal_bodies = {
        media["schema"].get("$ref")
        for operation in operations(document).values()
        for status, response in operation["responses"].items()
        if status >= "400"
        for media in response["content"].values()
    }

    assert statuses == {
        ("get", DDC): {"200", "409", "422", "503"},
        ("post", UPLOAD): {"201", "400", "404", "409", "413", "422", "503"},
        ("get", UPLOADED): {"200", "404", "422", "503"},
        ("get", "/requests/{request_id}/uploads"): {"200", "404", "503"},
        ("get", VERIFY): {"200", "404", "503"},
        ("get", VERIFY + "/pdf"): {"200", "404", "503"},
    }
    assert refusal_bodies == {"#/components/schemas/ErrorBody"}


async def test_the_upload_documents_its_multipart_file_field(document):
    operation = document["paths"][UPLOAD]["post"]

    body = operation["requestBody"]["content"]["multipart/form-data"]["schema"]
    form = document["components"]["schemas"][body["$ref"].rsplit("/", 1)[1]]
    assert form["required"] == ["file"]
    assert form["properties"]["file"]["format"] == "binary"

"""The documents HTTP API answers in Spanish before it needs its database."""

from __future__ import annotations

import uuid

import httpx
import pytest
from faststream.kafka import KafkaBroker

from documents.app import create_app
from documents.config import Settings

pytestmark = pytest.mark.unit


@pytest.fixture
def client(tmp_path):
    # Lifespan not started: the database is never connected, as in the first seconds after start.
    settings = Settings(database_url="postgresql://nobody@127.0.0.1:1/none", storage_dir=str(tmp_path))
    app = create_app(settings, KafkaBroker("unit", logger=None), own_broker=False)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://documents")


async def test_a_service_still_starting_says_so_instead_of_failing(client):
    async with client:
        response = await client.get("/verify/K7QX-9M2P-4TZD")

    assert response.status_code == 503
    assert response.json() == {
        "detail": "El servicio de documentos se está iniciando; intente nuevamente en unos segundos."
    }


async def test_an_upload_must_say_which_document_it_is(client):
    async with client:
        response = await client.post(
            f"/requests/{uuid.uuid4()}/documents", files={"file": ("a.pdf", b"%PDF-1.7", "application/pdf")}
        )

    assert response.status_code == 422
    assert response.json()["detail"].startswith("Indique el tipo de documento")


async def test_a_download_must_say_which_attempt_of_the_request_it_is_for(client):
    async with client:
        response = await client.get(f"/requests/{uuid.uuid4()}/ddc")

    assert response.status_code == 422
    assert response.json()["errors"] == {"attempt": "Indique el intento vigente de la solicitud (un número desde 1)."}


async def test_an_upload_that_is_not_a_pdf_is_refused_before_the_database_is_needed(client):
    async with client:
        response = await client.post(
            f"/requests/{uuid.uuid4()}/documents",
            params={"kind": "DDC_SIGNED", "attempt": 1},
            files={"file": ("acta.pdf", b"Acta de sesion de concejo", "application/pdf")},
        )

    assert response.status_code == 422
    assert response.json() == {
        "detail": "El archivo no es un PDF válido.",
        "errors": {"file": "El archivo no es un PDF válido."},
    }


async def test_an_upload_without_its_file_names_the_missing_field(client):
    async with client:
        response = await client.post(
            f"/requests/{uuid.uuid4()}/documents",
            params={"kind": "DDC_SIGNED", "attempt": 1},
            files={"archivo": ("ddc.pdf", b"%PDF-1.7", "application/pdf")},
        )

    assert response.status_code == 422
    assert response.json()["errors"] == {"file": "Este dato es obligatorio."}


async def test_a_file_sent_as_text_instead_of_a_file_is_named_as_that_slip(client):
    # curl -F "file=<doc.pdf" sends the file's bytes as a text field, without a filename.
    async with client:
        response = await client.post(
            f"/requests/{uuid.uuid4()}/documents",
            params={"kind": "DDC_SIGNED", "attempt": 1},
            files={"file": (None, b"%PDF-1.7 contenido")},
        )

    assert response.status_code == 422
    assert response.json()["detail"].startswith("Adjunte el PDF como archivo")
    assert response.json()["errors"] == {"file": response.json()["detail"]}
    assert 'Con curl, use -F "file=@ddc.pdf"' in response.json()["detail"]

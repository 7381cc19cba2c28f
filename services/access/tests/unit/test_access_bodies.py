"""A body access's routes cannot read is refused in Spanish, naming each field, before the database is asked."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import httpx
import pytest
from faststream.kafka import KafkaBroker

import access.app
import access.config

pytestmark = pytest.mark.unit

SOME_ID = "00000000-0000-0000-0000-000000000001"


@contextlib.asynccontextmanager
async def client_without_a_database() -> AsyncIterator[httpx.AsyncClient]:
    settings = access.config.Settings(database_url="postgresql://nobody@nowhere/none")
    app = access.app.create_app(settings, KafkaBroker("x", logger=None), own_broker=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        yield client


async def test_a_value_of_the_wrong_kind_is_named_with_what_it_should_be():
    async with client_without_a_database() as client:
        refused = await client.post("/access-requests/resume", json={"code": 5, "authority_dni": "40123456"})

    assert refused.status_code == 422
    assert refused.json() == {"detail": "Hay datos con un formato no válido.", "errors": {"code": "Debe ser un texto."}}


async def test_a_nested_optional_value_of_the_wrong_kind_is_named_by_its_path():
    async with client_without_a_database() as client:
        refused = await client.post("/access-requests", json={"ally_type": "GOBIERNO_LOCAL", "authority": {"dni": 4}})

    assert refused.status_code == 422
    assert refused.json() == {
        "detail": "Hay datos con un formato no válido.",
        "errors": {"authority.dni": "Debe ser un texto."},
    }


async def test_an_unknown_ally_type_is_not_allowed():
    async with client_without_a_database() as client:
        refused = await client.put(f"/access-requests/{SOME_ID}", json={"ally_type": "EMPRESA"})

    assert refused.status_code == 422
    assert refused.json()["errors"] == {"ally_type": "Valor no permitido."}


async def test_resuming_needs_both_the_code_and_the_authoritys_dni():
    async with client_without_a_database() as client:
        refused = await client.post("/access-requests/resume", json={"code": "SA-2026-K7QX-9M2P"})

    assert refused.status_code == 422
    assert refused.json() == {
        "detail": "Faltan datos en el formulario.",
        "errors": {"authority_dni": "Este dato es obligatorio."},
    }


async def test_a_body_that_is_not_json_is_a_400():
    async with client_without_a_database() as client:
        refused = await client.post(
            "/access-requests", content=b"not json", headers={"content-type": "application/json"}
        )

    assert refused.status_code == 400
    assert refused.json() == {"detail": "El cuerpo de la solicitud no es JSON válido."}


async def test_a_send_with_no_body_is_not_refused_for_its_body():
    async with client_without_a_database() as client:
        empty = await client.post(f"/access-requests/{SOME_ID}/submit")
        wrong = await client.post(f"/access-requests/{SOME_ID}/submit", json={"altcha": 1})

    assert empty.status_code == 503  # it went on to look the request up, in a database not there
    assert wrong.status_code == 422 and wrong.json()["errors"] == {"altcha": "Debe ser un texto."}

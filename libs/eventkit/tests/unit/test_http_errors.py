"""Every refusal a person reads is in Spanish, the framework's own included."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
import pytest
import structlog
import structlog.testing
from litestar import Litestar, get, post
from litestar.exceptions import HTTPException, ValidationException
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.testing import AsyncTestClient

from eventkit.http import (
    SPANISH,
    ErrorBody,
    ErrorTable,
    UserError,
    framework_error_response,
    refusals,
    user_error_response,
    validation_error_response,
)

pytestmark = pytest.mark.unit


@get("/things/{thing_id:int}")
async def thing(thing_id: FromPath[int]) -> dict:
    if thing_id == 0:
        raise UserError("El número 0 no existe.", 422, {"thing_id": "Use un número positivo."})
    return {"id": thing_id}


def app() -> Litestar:
    return Litestar(
        [thing], exception_handlers={UserError: user_error_response, HTTPException: framework_error_response}
    )


async def test_the_frameworks_own_refusals_are_answered_in_spanish():
    async with AsyncTestClient(app()) as client:
        missing = await client.get("/nothing-here")
        wrong = await client.post("/things/1")

    assert missing.status_code == 404 and missing.json() == {"detail": SPANISH[404]}
    assert wrong.status_code == 405 and wrong.json() == {"detail": "Método no permitido."}


async def test_a_user_error_keeps_its_message_and_its_fields():
    async with AsyncTestClient(app()) as client:
        refused = await client.get("/things/0")

    assert refused.status_code == 422
    assert refused.json() == {"detail": "El número 0 no existe.", "errors": {"thing_id": "Use un número positivo."}}


class Place(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    code: Annotated[str, msgspec.Meta(max_length=6)]
    dni: Annotated[str, msgspec.Meta(pattern="^[0-9]{8}$")] | None = None


class Form(msgspec.Struct, kw_only=True):
    name: str
    kind: Literal["ALIADO", "STAFF"] = "ALIADO"
    count: Annotated[int, msgspec.Meta(ge=1)] = 1
    place: Place | None = None


@post("/forms", status_code=201)
async def send_form(data: JSONBody[Form]) -> dict:
    return {"name": data.name}


@get("/pages")
async def pages(limit: FromQuery[int] = 50) -> dict:
    return {"limit": limit}


def typed_app() -> Litestar:
    return Litestar(
        [send_form, pages],
        exception_handlers={
            UserError: user_error_response,
            ValidationException: validation_error_response,
            HTTPException: framework_error_response,
        },
    )


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"name": 7}, {"name": "Debe ser un texto."}),
        ({"name": "a", "kind": "MAYBE"}, {"kind": "Valor no permitido."}),
        ({"name": "a", "count": 0}, {"count": "Debe ser al menos 1."}),
        ({"name": "a", "place": {"code": "1234567"}}, {"place.code": "Debe tener como máximo 6 caracteres."}),
        ({"name": "a", "place": {"code": 1}}, {"place.code": "Debe ser un texto."}),
        ({"name": "a", "place": {"code": "1", "dni": "123"}}, {"place.dni": "El formato no es válido."}),
        ({"name": "a", "place": {"code": "1", "ruc": "1"}}, {"place.ruc": "Este dato no se acepta aquí."}),
    ],
)
async def test_a_body_value_of_the_wrong_kind_is_a_422_naming_its_field_in_spanish(body, errors):
    async with AsyncTestClient(typed_app()) as client:
        refused = await client.post("/forms", json=body)

    assert refused.status_code == 422
    assert refused.json() == {"detail": "Hay datos con un formato no válido.", "errors": errors}


async def test_a_missing_field_is_named_as_required_even_when_nested():
    async with AsyncTestClient(typed_app()) as client:
        top = await client.post("/forms", json={})
        nested = await client.post("/forms", json={"name": "a", "place": {}})

    assert top.status_code == 422
    assert top.json() == {"detail": "Faltan datos en el formulario.", "errors": {"name": "Este dato es obligatorio."}}
    assert nested.json()["errors"] == {"place.code": "Este dato es obligatorio."}


async def test_a_body_that_is_not_json_or_not_there_says_so():
    async with AsyncTestClient(typed_app()) as client:
        garbled = await client.post("/forms", content=b"not json", headers={"content-type": "application/json"})
        empty = await client.post("/forms", content=b"", headers={"content-type": "application/json"})
        listed = await client.post("/forms", json=[1])

    assert garbled.status_code == 400 and garbled.json() == {"detail": "El cuerpo de la solicitud no es JSON válido."}
    assert empty.status_code == 422 and empty.json()["errors"] == {"body": "Envíe los datos en formato JSON."}
    assert listed.status_code == 422 and listed.json()["errors"] == {"body": "Debe ser un objeto."}


async def test_a_query_parameter_of_the_wrong_kind_is_named_too():
    async with AsyncTestClient(typed_app()) as client:
        refused = await client.get("/pages", params={"limit": "many"})

    assert refused.status_code == 422
    assert refused.json()["errors"] == {"limit": "Debe ser un número entero."}


def test_a_routes_refusals_are_documented_with_the_error_body_and_always_503():
    listed = refusals(404, 422, r409="La solicitud ya fue enviada.")

    assert sorted(listed) == [404, 409, 422, 503]
    assert listed[409].description == "La solicitud ya fue enviada."
    assert all(spec.data_container is ErrorBody for spec in listed.values())


async def test_an_optional_field_of_the_wrong_kind_and_truncated_json_are_said_plainly():
    async with AsyncTestClient(typed_app()) as client:
        optional = await client.post("/forms", json={"name": "a", "place": None, "kind": "ALIADO", "count": "x"})
        truncated = await client.post("/forms", content=b'{"name": "a"', headers={"content-type": "application/json"})

    assert optional.json()["errors"] == {"count": "Debe ser un número entero."}
    assert truncated.status_code == 400 and truncated.json() == {
        "detail": "El cuerpo de la solicitud no es JSON válido."
    }


class MissingThingError(Exception):
    pass


@get("/missing/{dni:str}")
async def missing(dni: FromPath[str]) -> dict:
    raise MissingThingError(f"No hay nada para {dni}.")


async def test_a_refusal_from_the_table_is_logged_by_route_and_kind_never_with_the_path_or_message():
    table = ErrorTable({MissingThingError: 404})
    app = Litestar([missing], exception_handlers=table.exception_handlers())

    with structlog.testing.capture_logs() as logs:
        async with AsyncTestClient(app) as client:
            refused = await client.get("/missing/40123456")

    assert refused.status_code == 404 and refused.json() == {"detail": "No hay nada para 40123456."}
    assert {"event": "request_refused", "status": 404, "error": "MissingThingError", "route": "missing"}.items() <= (
        logs[-1].items()
    )
    assert "40123456" not in repr(logs)


@get("/broken")
async def broken() -> dict:
    raise RuntimeError("a bug")


async def test_an_unexpected_error_is_logged_with_where_it_happened_and_answered_in_spanish():
    app = Litestar(
        [broken], exception_handlers={HTTPException: framework_error_response, 500: framework_error_response}
    )

    with structlog.testing.capture_logs() as logs:
        async with AsyncTestClient(app) as client:
            answer = await client.get("/broken")

    assert answer.status_code == 500 and answer.json() == {"detail": SPANISH[500]}
    assert {"event": "unexpected_error", "route": "broken", "error": "RuntimeError"}.items() <= logs[-1].items()

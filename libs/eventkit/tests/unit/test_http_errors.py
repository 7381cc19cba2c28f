"""Every refusal a person reads is in Spanish, the framework's own included."""

from __future__ import annotations

import pytest
from litestar import Litestar, get
from litestar.exceptions import HTTPException
from litestar.params import FromPath
from litestar.testing import AsyncTestClient

from eventkit.http import SPANISH, UserError, framework_error_response, user_error_response

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

"""Routes declare what they need: a unit of work (503 while not ready), the caller's claims (401), Peru's clock,
a checked page, and one table answers domain errors in Spanish."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import asyncpg
import pytest
from kit_fakes import FakePool
from litestar import Litestar, get, post
from litestar.params import FromPath
from litestar.testing import AsyncTestClient

from authkit import Claims, Verifier, load_public_key
from authkit.testing import token_keys
from eventkit import DependencyUnavailableError
from eventkit.clock import FixedClock
from eventkit.http import SPANISH, UNAVAILABLE, ErrorTable, create_service_app
from eventkit.paging import page_of
from eventkit.providers import ClaimsDep, ClockDep, PageDep, UowDep

pytestmark = pytest.mark.unit


class RequestNotFoundError(Exception):
    pass


class FormError(Exception):
    def __init__(self, message: str, errors: dict[str, str]):
        super().__init__(message)
        self.errors = errors


class DraftFormError(FormError):
    pass


ERRORS = ErrorTable({RequestNotFoundError: (404, "Solicitud no encontrada."), FormError: 422})


@post("/notes", status_code=201)
async def add_note(uow: UowDep) -> dict[str, str]:
    await uow.conn.execute("insert into notes values ($1)", "hola")
    return {"saved": "yes"}


@post("/notes/broken")
async def add_broken_note(uow: UowDep) -> None:
    await uow.conn.execute("insert into notes values ($1)", "a medias")
    raise RequestNotFoundError("request 42 is gone")


@get("/drafts/{draft:int}")
async def draft(draft: FromPath[int]) -> None:
    raise DraftFormError("Hay datos por corregir.", {"authority.dni": "El DNI debe tener 8 dígitos."})


@get("/me")
async def me(claims: ClaimsDep) -> dict[str, str]:
    return {"username": claims.username}


@get("/today")
async def today(clock: ClockDep) -> dict[str, str]:
    return {"today": clock.today().isoformat()}


@get("/items")
async def items(page: PageDep) -> dict[str, Any]:
    rows = list(range(page.key(tuple[int], (0,))[0] + 1, 100))[: page.fetch()]
    shown = page_of(rows, page.limit, lambda r: (r,))
    return {"items": shown.items, "next": shown.next}


@get("/stored/{key:str}")
async def stored(key: FromPath[str]) -> None:
    raise DependencyUnavailableError("object_store", f"cannot reach MinIO for {key}")


@get("/starting")
async def starting() -> None:
    raise asyncpg.CannotConnectNowError("the database system is starting up")


ROUTES = [add_note, add_broken_note, draft, me, today, items, stored, starting]


class Host:
    """A service host that connects nothing: its pool is whatever the test says."""

    name = "kit"

    def __init__(self, pool: FakePool | None, problems: dict[str, str] | None = None):
        self.pool = pool
        self.problems = problems or {}

    @contextlib.asynccontextmanager
    async def lifespan(self, _app: object = None) -> AsyncIterator[None]:
        yield


def app_with(
    pool: FakePool | None, verifier: Verifier | None = None, problems: dict[str, str] | None = None
) -> Litestar:
    clock = FixedClock(date(2025, 6, 1))
    host = Host(pool, problems)
    return create_service_app(host, ROUTES, title="kit", errors=ERRORS, verifier=verifier, clock=clock)  # type: ignore[arg-type]


async def test_what_a_route_writes_in_its_unit_of_work_is_committed_when_it_answers():
    pool = FakePool()

    async with AsyncTestClient(app_with(pool)) as client:
        answer = await client.post("/notes")

    assert answer.status_code == 201
    assert pool.committed == [("insert into notes values ($1)", ("hola",))]


async def test_a_domain_error_rolls_the_unit_of_work_back_and_is_answered_from_the_table():
    pool = FakePool()

    async with AsyncTestClient(app_with(pool)) as client:
        answer = await client.post("/notes/broken")

    assert (answer.status_code, answer.json()) == (404, {"detail": "Solicitud no encontrada."})
    assert (pool.committed, pool.rolled_back) == ([], 1)


async def test_an_error_without_a_message_in_the_table_answers_with_its_own_and_its_fields():
    async with AsyncTestClient(app_with(FakePool())) as client:
        answer = await client.get("/drafts/7")

    assert answer.status_code == 422
    assert answer.json() == {
        "detail": "Hay datos por corregir.",
        "errors": {"authority.dni": "El DNI debe tener 8 dígitos."},
    }


async def test_a_route_that_needs_the_database_before_it_is_connected_answers_503_in_spanish():
    async with AsyncTestClient(app_with(None)) as client:
        answer = await client.post("/notes")
        no_database_needed = await client.get("/today")

    assert (answer.status_code, answer.json()) == (503, {"detail": SPANISH[503]})
    assert no_database_needed.status_code == 200


async def test_a_service_that_started_while_its_database_was_down_says_the_database_is_unavailable():
    problem = "cannot use PostgreSQL at postgresql://contigo@db/contigo: ConnectionRefusedError: refused"

    async with AsyncTestClient(app_with(None, problems={"postgres": problem})) as client:
        answer = await client.post("/notes")

    assert (answer.status_code, answer.json()) == (503, {"detail": UNAVAILABLE["postgres"]})


async def test_a_dependency_that_is_down_is_a_503_naming_it_in_spanish_whoever_raised_it():
    async with AsyncTestClient(app_with(FakePool())) as client:
        store = await client.get("/stored/abc.pdf")
        database = await client.get("/starting")

    assert (store.status_code, store.json()) == (503, {"detail": UNAVAILABLE["object_store"]})
    assert store.json()["detail"] == "El almacén de documentos no está disponible; intente nuevamente en unos minutos."
    assert (database.status_code, database.json()) == (503, {"detail": UNAVAILABLE["postgres"]})
    assert database.headers["retry-after"] == "30"


async def test_the_caller_is_known_from_a_valid_token_only(tmp_path):
    signer, public = token_keys(tmp_path)
    token = signer.sign(Claims(sub="1", username="evaluador", role="EVALUATOR"))

    async with AsyncTestClient(app_with(FakePool(), Verifier(load_public_key(public)))) as client:
        known = await client.get("/me", headers={"Authorization": f"Bearer {token}"})
        missing = await client.get("/me")
        forged = await client.get("/me", headers={"Authorization": "Bearer not.a.token"})

    assert known.json() == {"username": "evaluador"}
    assert (missing.status_code, missing.json()) == (401, {"detail": SPANISH[401]})
    assert (forged.status_code, forged.json()) == (401, {"detail": SPANISH[401]})


async def test_routes_read_the_date_from_the_clock_they_are_given():
    async with AsyncTestClient(app_with(FakePool())) as client:
        answer = await client.get("/today")

    assert answer.json() == {"today": "2025-06-01"}


async def test_a_list_pages_with_after_and_limit_and_refuses_a_bad_limit():
    async with AsyncTestClient(app_with(FakePool())) as client:
        first = (await client.get("/items", params={"limit": 3})).json()
        second = (await client.get("/items", params={"limit": 3, "after": first["next"]})).json()
        too_big = await client.get("/items", params={"limit": 1000})

    assert (first["items"], second["items"]) == ([1, 2, 3], [4, 5, 6])
    assert (too_big.status_code, list(too_big.json()["errors"])) == (422, ["limit"])

"""PostgreSQL going away under a running service is a 503 naming the database, at once, never a 500.

The service's pool reaches the tests' PostgreSQL through a relay of the test's own, which the test
cuts (a server that stopped) and restores; the shared server is never stopped.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx
import pytest
from litestar import get

from eventkit.http import UNAVAILABLE, create_service_app
from eventkit.providers import UowDep
from eventkit.testing import CuttableProxy

pytestmark = pytest.mark.integration


@get("/count")
async def count(uow: UowDep) -> dict[str, int]:
    return {"count": await uow.conn.fetchval("select count(*) from pg_class")}


@get("/restarted-mid-way")
async def restarted_mid_way(uow: UowDep) -> None:
    # What a restart does to a connection in use: its backend ends under it.
    await uow.conn.execute("select pg_terminate_backend(pg_backend_pid())")


class Host:
    name = "kit"

    def __init__(self, pool: asyncpg.Pool):
        self.pool = pool

    @contextlib.asynccontextmanager
    async def lifespan(self, _app: object = None) -> AsyncIterator[None]:
        yield


def through(database_url: str, port: int) -> str:
    parts = urlsplit(database_url)
    credentials = parts.netloc.rsplit("@", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{credentials}@127.0.0.1:{port}"))


@contextlib.asynccontextmanager
async def service_behind(proxy: CuttableProxy, database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """The kit's app over a pool through ``proxy``, served on the test's own loop (where the pool lives)."""
    pool = await asyncpg.create_pool(through(database_url, proxy.port), min_size=1, max_size=2, timeout=5)
    try:
        app = create_service_app(Host(pool), [count, restarted_mid_way], title="kit")  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://kit") as client:
            yield client
    finally:
        pool.terminate()


def postgres_address(database_url: str) -> tuple[str, int]:
    parts = urlsplit(database_url)
    return parts.hostname or "127.0.0.1", parts.port or 5432


async def test_a_stopped_database_is_answered_503_in_spanish_and_the_service_recovers_when_it_is_back(database_url):
    async with CuttableProxy(*postgres_address(database_url)) as proxy, service_behind(proxy, database_url) as client:
        before = await client.get("/count")

        await proxy.cut()
        during = [await client.get("/count") for _ in range(3)]
        await proxy.restore()
        after = await client.get("/count")

    assert before.status_code == 200
    assert [a.status_code for a in during] == [503, 503, 503]
    assert during[0].json() == {"detail": "La base de datos no está disponible; intente nuevamente en unos minutos."}
    assert during[0].headers["retry-after"] == "30"
    assert after.status_code == 200


async def test_a_connection_that_ends_in_the_middle_of_a_request_is_a_503_not_a_500(database_url):
    async with CuttableProxy(*postgres_address(database_url)) as proxy, service_behind(proxy, database_url) as client:
        cut_off = await client.get("/restarted-mid-way")
        next_one = await client.get("/count")

    assert (cut_off.status_code, cut_off.json()) == (503, {"detail": UNAVAILABLE["postgres"]})
    assert next_one.status_code == 200

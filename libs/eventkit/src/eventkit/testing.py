"""Helpers for tests of a service app: run it on the test's own event loop, without a network."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import httpx
from faststream.kafka import TestKafkaBroker
from litestar import Litestar


@contextlib.asynccontextmanager
async def serve_in_memory(app: Litestar, base_url: str = "http://service") -> AsyncIterator[httpx.AsyncClient]:
    """The app with FastStream's in-memory broker, its lifespan, and an httpx client over ASGI.

    Enter and leave it in the same task (inside the test function, not in a fixture): the
    broker and the lifespan use cancel scopes. The app's host is ready when this yields.
    """
    transport = httpx.ASGITransport(app=app)
    async with (
        TestKafkaBroker(app.state.host.broker),
        app.lifespan(),
        httpx.AsyncClient(transport=transport, base_url=base_url) as client,
    ):
        await app.state.host.wait_ready(30)
        yield client

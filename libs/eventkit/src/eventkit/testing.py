"""Helpers for tests of a service app: run it on the test's own event loop, without a network; cut a server off."""

from __future__ import annotations

import asyncio
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


class CuttableProxy:
    """A TCP relay to a real server that a test can cut and restore, to make an outage of its own.

    ``async with CuttableProxy(host, port) as proxy``: clients connect to ``proxy.port`` on 127.0.0.1
    and reach the server through it. ``await proxy.cut()`` drops every relayed connection and refuses
    new ones (as a server that stopped); ``await proxy.restore()`` listens again on the same port. The
    server itself, shared with other tests, is never touched.
    """

    def __init__(self, host: str, port: int):
        self.host = host
        self.target_port = port
        self.port = 0
        self._server: asyncio.Server | None = None
        self._pipes: set[asyncio.Task[None]] = set()

    async def __aenter__(self) -> CuttableProxy:
        await self.restore()
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.cut()

    async def restore(self) -> None:
        """Accept connections (again, on the same port)."""
        if self._server is None:
            self._server = await asyncio.start_server(self._relay, "127.0.0.1", self.port)
            self.port = self._server.sockets[0].getsockname()[1]

    async def cut(self) -> None:
        """Refuse new connections and drop every open one at once."""
        if self._server is not None:
            self._server.close()
            self._server = None
        for pipe in list(self._pipes):
            pipe.cancel()
        await asyncio.gather(*self._pipes, return_exceptions=True)

    async def _relay(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._pipes.add(task)
        writers = [client_writer]
        try:
            server_reader, server_writer = await asyncio.open_connection(self.host, self.target_port)
            writers.append(server_writer)
            await asyncio.gather(_pump(client_reader, server_writer), _pump(server_reader, client_writer))
        except (OSError, asyncio.CancelledError):
            pass
        finally:
            for writer in writers:
                writer.transport.abort()  # a reset, as a stopped server gives, not a polite close
            self._pipes.discard(task)


async def _pump(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    while data := await reader.read(65536):
        writer.write(data)
        await writer.drain()
    writer.transport.abort()

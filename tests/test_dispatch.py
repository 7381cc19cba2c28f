"""The embedded run's one port: the gateway's routes stay where they were, every other path is the web application's."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from contigo.dispatch import Dispatcher

pytestmark = pytest.mark.unit


class Stub:
    """Enough of a Litestar app for the dispatcher: it answers its own name and logs its lifespan."""

    def __init__(self, name: str, events: list[str]) -> None:
        self.name = name
        self.events = events

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": self.name.encode()})

    @contextlib.asynccontextmanager
    async def lifespan(self) -> AsyncIterator[None]:
        self.events.append(f"{self.name} up")
        yield
        self.events.append(f"{self.name} down")


def app_named(name: str, events: list[str]) -> Any:
    return Stub(name, events)


@pytest.mark.parametrize(
    ("path", "answered_by"),
    [
        ("/", "web"),
        ("/opciones-de-accesibilidad", "web"),
        ("/static/contigo.css", "web"),
        ("/apiary", "web"),
        ("/api/ubigeo/regions", "gateway"),
        ("/schema", "gateway"),
        ("/schema/openapi.json", "gateway"),
        ("/.well-known/jwks.json", "gateway"),
        ("/health", "gateway"),
        ("/verificar", "web"),
        ("/correo", "web"),
        ("/dev/mail", "gateway"),
    ],
)
async def test_each_path_reaches_the_app_that_serves_it(path: str, answered_by: str) -> None:
    site = Dispatcher(app_named("gateway", []), app_named("web", []))

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=site), base_url="http://sitio") as client:
        response = await client.get(path)

    assert response.text == answered_by


async def test_both_apps_start_gateway_first_and_stop_in_reverse() -> None:
    events: list[str] = []
    site = Dispatcher(app_named("gateway", events), app_named("web", events))
    inbox: asyncio.Queue[dict] = asyncio.Queue()
    sent: list[str] = []

    async def send(message: dict) -> None:
        sent.append(message["type"])

    await inbox.put({"type": "lifespan.startup"})
    await inbox.put({"type": "lifespan.shutdown"})
    await site({"type": "lifespan", "asgi": {"version": "3.0"}}, inbox.get, send)

    assert events == ["gateway up", "web up", "web down", "gateway down"]
    assert sent == ["lifespan.startup.complete", "lifespan.shutdown.complete"]

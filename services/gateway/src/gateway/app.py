"""The gateway: the only HTTP surface clients see. Today: the system's health."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Mapping
from typing import Any

import httpx
from litestar import Litestar, get
from litestar.datastructures import State
from litestar.openapi.config import OpenAPIConfig
from litestar.response import Response

from gateway.config import Settings

TIMEOUT = httpx.Timeout(5.0)


async def service_health(name: str, client: httpx.AsyncClient) -> dict[str, Any]:
    try:
        response = await client.get("/health")
        body = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        return {"status": "unavailable", "checks": {"http": {"ok": False, "detail": f"{name} does not answer: {exc}"}}}
    return {"status": body.get("status", "unavailable"), "checks": body.get("checks", {})}


@get("/health", summary="Health of every service and its dependencies")
async def health(state: State) -> Response[dict[str, Any]]:
    clients: Mapping[str, httpx.AsyncClient] = state.clients
    names = list(clients)
    answers = await asyncio.gather(*(service_health(n, clients[n]) for n in names))
    services = dict(zip(names, answers, strict=True))
    ok = all(s["status"] == "ok" for s in services.values())
    body = {"status": "ok" if ok else "unavailable", "mode": state.mode, "services": services}
    return Response(body, status_code=200 if ok else 503)


def create_app(
    settings: Settings,
    *,
    clients: Mapping[str, httpx.AsyncClient] | None = None,
    mode: str = "distributed",
) -> Litestar:
    """``clients`` reach the services (ASGI transports when embedded); by default, over HTTP."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        if clients is not None:
            app.state.clients = clients
            yield
            return
        async with contextlib.AsyncExitStack() as stack:
            app.state.clients = {
                name: await stack.enter_async_context(httpx.AsyncClient(base_url=url, timeout=TIMEOUT))
                for name, url in settings.service_urls().items()
            }
            yield

    return Litestar(
        route_handlers=[health],
        lifespan=[lifespan],
        state=State({"mode": mode}),
        openapi_config=OpenAPIConfig(title="CONTIGO Aliados - USUARIO ALIADO", version="0.1.0", path="/schema"),
    )

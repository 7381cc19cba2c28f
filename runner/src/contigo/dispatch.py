"""One port for the embedded run: the gateway's routes where they have always been, the web
application at every other path."""

from __future__ import annotations

import contextlib
from typing import Any

from litestar import Litestar

# What the gateway answers; everything else (``/``, ``/static/...``, the pages, ``/verificar`` among them)
# is the web application's.
GATEWAY_PREFIXES = ("/api", "/schema", "/.well-known", "/health", "/dev/mail")


def for_gateway(path: str) -> bool:
    return any(path == prefix or path.startswith(prefix + "/") for prefix in GATEWAY_PREFIXES)


class Dispatcher:
    """An ASGI app in front of two Litestar apps; it also runs both lifespans (the gateway's first:
    the web application reaches the gateway from its own)."""

    def __init__(self, gateway: Litestar, web: Litestar) -> None:
        self.gateway = gateway
        self.web = web

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        app = self.gateway if for_gateway(scope.get("path", "")) else self.web
        await app(scope, receive, send)

    async def _lifespan(self, receive: Any, send: Any) -> None:
        await receive()  # lifespan.startup
        async with contextlib.AsyncExitStack() as stack:
            try:
                for app in (self.gateway, self.web):
                    await stack.enter_async_context(app.lifespan())
            except Exception as exc:  # noqa: BLE001 - the server reports it and stops
                await send({"type": "lifespan.startup.failed", "message": repr(exc)})
                return
            await send({"type": "lifespan.startup.complete"})
            await receive()  # lifespan.shutdown
        await send({"type": "lifespan.shutdown.complete"})

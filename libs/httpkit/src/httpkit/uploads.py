"""Uploads that stall are cut, and no client holds more than a few open at once.

An ASGI middleware for the apps that take files from people (the gateway, the web application).
Neither uvicorn nor Litestar bounds how long a request body may take to arrive, so a client that
opens an upload and stops sending would hold a connection, a worker's memory and a temporary file
for as long as it likes; a client opening many at once would multiply that. This guard:

- cuts a body that sends nothing for ``idle_s`` seconds: the app is told the client left (it
  stops reading and drops what it had, temporary files included) and the client gets a 408 in
  Spanish. Idle time, not total time: a slow link that keeps sending (10 MB at 256 kbit/s takes
  about five minutes) is never cut;
- refuses with a 429 a multipart upload from a client that already has ``max_per_client`` open,
  before a byte of it is read.

Only ``multipart/form-data`` requests are guarded; everything else passes untouched.
"""

from __future__ import annotations

import asyncio
import html
import json
from collections import Counter
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
Render = Callable[[str], tuple[bytes, bytes]]
"""A refusal's words -> (content type, body)."""

STALLED = "La subida del archivo se detuvo y se interrumpió; revise su conexión e intente nuevamente."
TOO_MANY = "Ya tiene otras subidas de archivos en curso; espere a que terminen e intente nuevamente."


def _json(detail: str) -> tuple[bytes, bytes]:
    return b"application/json; charset=utf-8", json.dumps({"detail": detail}, ensure_ascii=False).encode()


def _peer(scope: Scope) -> str:
    client = scope.get("client")
    return client[0] if client else "desconocido"


class UploadGuard:
    """The middleware; ``client_of`` names whom a request counts against (by default its peer address)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        idle_s: float = 60.0,
        max_per_client: int = 3,
        client_of: Callable[[Scope], str] = _peer,
        open_uploads: Counter[str] | None = None,
        render: Render = _json,
    ):
        self.render = render
        self.app = app
        self.idle_s = idle_s
        self.max_per_client = max_per_client
        self.client_of = client_of
        self.open: Counter[str] = Counter() if open_uploads is None else open_uploads
        """Uploads open per client; shared by every route the guard wraps."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _is_multipart(scope):
            await self.app(scope, receive, send)
            return
        client = self.client_of(scope)
        if self.open[client] >= self.max_per_client:
            await _answer(send, 429, TOO_MANY, self.render)
            return
        self.open[client] += 1
        try:
            await self._guarded(scope, receive, send)
        finally:
            self.open[client] -= 1
            if self.open[client] <= 0:
                del self.open[client]

    async def _guarded(self, scope: Scope, receive: Receive, send: Send) -> None:
        stalled = False
        started = False
        body_done = False

        async def timed_receive() -> Message:
            nonlocal stalled, body_done
            if stalled:
                return {"type": "http.disconnect"}
            if body_done:
                return await receive()  # after the body: only a disconnect can come, whenever it does
            try:
                message = await asyncio.wait_for(receive(), self.idle_s)
            except TimeoutError:
                stalled = True
                return {"type": "http.disconnect"}
            if message["type"] == "http.request" and not message.get("more_body", False):
                body_done = True
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if stalled and not started:
                return  # the app's answer to a "disconnect" is replaced by the 408 below
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, timed_receive, guarded_send)
        except Exception:
            if not stalled:
                raise
        if stalled and not started:
            await _answer(send, 408, STALLED, self.render, close=True)


def _is_multipart(scope: Scope) -> bool:
    for name, value in scope.get("headers", ()):
        if name == b"content-type":
            return value.split(b";")[0].strip().lower() == b"multipart/form-data"
    return False


def html_page(detail: str) -> tuple[bytes, bytes]:
    """The refusal as a page, for apps people use from a browser."""
    text = html.escape(detail)
    page = (
        '<!doctype html><html lang="es"><head><meta charset="utf-8"><title>No se pudo subir el archivo</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1"></head><body><main>'
        f'<h1>No se pudo subir el archivo</h1><p>{text}</p><p><a href="/">Ir al inicio</a></p></main></body></html>'
    )
    return b"text/html; charset=utf-8", page.encode()


async def _answer(send: Send, status: int, detail: str, render: Render = _json, *, close: bool = False) -> None:
    content_type, body = render(detail)
    headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]
    if close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def upload_guard(
    *,
    idle_s: float = 60.0,
    max_per_client: int = 3,
    client_of: Callable[[Scope], str] = _peer,
    render: Render = _json,
) -> Callable[[ASGIApp], ASGIApp]:
    """The guard as Litestar middleware (``middleware=[upload_guard(...)]``).

    Litestar builds a route's middleware once per route; the count of open uploads is one for all.
    """
    open_uploads: Counter[str] = Counter()

    def wrap(app: ASGIApp) -> ASGIApp:
        return UploadGuard(
            app,
            idle_s=idle_s,
            max_per_client=max_per_client,
            client_of=client_of,
            open_uploads=open_uploads,
            render=render,
        )

    return wrap

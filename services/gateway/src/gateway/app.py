"""The gateway: the only HTTP surface clients see."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Mapping
from typing import Any

import httpx
from litestar import Litestar, Request, get
from litestar.datastructures import State
from litestar.exceptions import HTTPException
from litestar.openapi.config import OpenAPIConfig
from litestar.response import Response
from litestar.stores.memory import MemoryStore

from gateway.cases import CASES_ROUTES, TRAININGS_ROUTES
from gateway.config import Settings
from gateway.pages import dev_mail, verification_page
from gateway.proxy import GatewayError, Services
from gateway.published import PublishedDocument
from gateway.routes import api_router, client_of
from httpkit.uploads import upload_guard

TITLE = "CONTIGO Aliados - USUARIO ALIADO"
VERSION = "0.1.0"
TIMEOUT = httpx.Timeout(30.0, connect=5.0)
_SPANISH = {
    400: "La solicitud no es válida.",
    401: "Inicie sesión para continuar.",
    404: "No encontrado.",
    405: "Método no permitido.",
    413: "El archivo supera el límite de 10 MB.",
    429: "Demasiadas solicitudes; espere un minuto e intente nuevamente.",
}


HEALTH_TIMEOUT_S = 5.0
"""How long the gateway waits for a service's ``/health``; each service bounds its own checks below it."""


async def service_health(name: str, client: httpx.AsyncClient) -> dict[str, Any]:
    """A service's health as it said it, with ``reason``: what is wrong, in one line, whenever it is not ok."""
    try:
        response = await client.get("/health", timeout=HEALTH_TIMEOUT_S)
        body = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        detail = f"{name} does not answer /health within {HEALTH_TIMEOUT_S:g} s: {_described(exc)}"
        return {"status": "unavailable", "reason": detail, "checks": {"http": {"ok": False, "detail": detail}}}
    if not isinstance(body, dict):
        body = {}
    checks = body.get("checks") if isinstance(body.get("checks"), dict) else {}
    status = body.get("status", "unavailable")
    answer: dict[str, Any] = {"status": status, "checks": checks}
    if status != "ok":
        failing = [
            f"{check}: {c.get('detail')}" for check, c in checks.items() if isinstance(c, dict) and not c.get("ok")
        ]
        answer["reason"] = "; ".join(failing) or f"{name} answered HTTP {response.status_code} without saying why"
    return answer


def _described(exc: BaseException) -> str:
    """``Type: message``, or the exception's repr when it has no message (a timeout's is empty)."""
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else repr(exc)


@get("/health", summary="Estado de cada servicio y de sus dependencias", tags=["Operación"])
async def health(state: State) -> Response[dict[str, Any]]:
    clients: Mapping[str, httpx.AsyncClient] = state.services.clients
    names = list(clients)
    answers = await asyncio.gather(*(service_health(n, clients[n]) for n in names))
    services = dict(zip(names, answers, strict=True))
    # A degraded service (dead letters waiting to be replayed) still serves: 200, and the body says so.
    ok = all(s["status"] in ("ok", "degraded") for s in services.values())
    degraded = any(s["status"] == "degraded" for s in services.values())
    status = "unavailable" if not ok else "degraded" if degraded else "ok"
    body: dict[str, Any] = {"status": status, "mode": state.mode, "services": services}
    if problems := {n: s["reason"] for n, s in services.items() if "reason" in s}:
        body["problems"] = problems
    return Response(body, status_code=200 if ok else 503)


def http_error(_request: Request, exc: HTTPException) -> Response[dict[str, Any]]:
    """Every refusal in Spanish: the gateway's own carry their message; the framework's get one by status."""
    if isinstance(exc, GatewayError):
        detail = exc.detail
    else:
        detail = _SPANISH.get(exc.status_code, "No se pudo atender la solicitud.")
    return Response({"detail": detail}, status_code=exc.status_code, headers=exc.headers)


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
            app.state.services = Services(clients, settings.max_upload_bytes)
            yield
            return
        async with contextlib.AsyncExitStack() as stack:
            own = {
                name: await stack.enter_async_context(httpx.AsyncClient(base_url=url, timeout=TIMEOUT))
                for name, url in settings.service_urls().items()
            }
            app.state.services = Services(own, settings.max_upload_bytes)
            yield

    identify = client_of(settings.proxy_key)
    return Litestar(
        route_handlers=[
            health,
            api_router(settings.rate_limit_per_minute, settings.proxy_key, [*CASES_ROUTES, *TRAININGS_ROUTES]),
            verification_page,
            dev_mail,
        ],
        lifespan=[lifespan],
        state=State(
            {"client_of": identify, "mode": mode, "dev_mail_dir": settings.dev_mail_dir, "web_url": settings.web_url}
        ),
        stores={"rate_limit": MemoryStore()},
        exception_handlers={HTTPException: http_error},
        middleware=[
            upload_guard(
                idle_s=settings.upload_idle_s,
                max_per_client=settings.uploads_per_client,
                client_of=lambda scope: identify(Request(scope)),
            )
        ],
        openapi_config=OpenAPIConfig(
            title=TITLE, version=VERSION, path="/schema", render_plugins=[PublishedDocument()], create_examples=False
        ),
    )

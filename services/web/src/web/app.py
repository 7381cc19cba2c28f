"""The web application: the one place where its pieces are wired."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
from litestar import Litestar, Request
from litestar.datastructures import State
from litestar.exceptions import HTTPException
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Redirect
from litestar.static_files import create_static_files_router
from litestar.stores.memory import MemoryStore
from litestar.template.config import TemplateConfig

from httpkit.uploads import html_page, upload_guard
from web import errors
from web.config import Settings
from web.gateway import NotAllowedError, SignInNeededError, remember_client, vouch_for_clients
from web.navigation import nav_links
from web.pages import ROUTES, TEMPLATES
from web.preferences import preference_classes
from web.security import csrf_config, security_headers
from web.sessions import STORE, Clock, account, check_session, session_config, sweep_expired, utc_now

HERE = Path(__file__).parent
TIMEOUT = httpx.Timeout(30.0, connect=5.0)
# A 10 MB PDF plus its multipart framing: the gateway and documents hold the file itself to 10 MB
# and say so in Spanish; the web only keeps a body from being unbounded.
MAX_BODY_BYTES = 10 * 1024 * 1024 + 64 * 1024


def _templates() -> TemplateConfig:
    def add_globals(engine: JinjaTemplateEngine) -> None:
        engine.engine.globals["preference_classes"] = preference_classes
        engine.engine.globals["current_account"] = account
        engine.engine.globals["nav_links"] = nav_links

    return TemplateConfig(
        directory=[HERE / "templates", TEMPLATES], engine=JinjaTemplateEngine, engine_callback=add_globals
    )


async def before_request(request: Request) -> Redirect | None:
    await remember_client(request)
    return await check_session(request)


def create_app(settings: Settings, *, gateway: httpx.AsyncClient | None = None, clock: Clock = utc_now) -> Litestar:
    """``gateway`` reaches the gateway's public API (an ASGI transport when embedded); by default, over HTTP.
    ``clock`` tells the sessions the time (tests move it to time a session out)."""

    @contextlib.asynccontextmanager
    async def sweeping(app: Litestar) -> AsyncIterator[None]:
        sweeper = asyncio.create_task(sweep_expired(app.stores.get(STORE)))
        try:
            yield
        finally:
            sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sweeper

    @contextlib.asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        if gateway is not None:
            vouch_for_clients(gateway, settings.proxy_key)
            app.state.gateway = gateway
            yield
            return
        async with httpx.AsyncClient(base_url=settings.gateway_url, timeout=TIMEOUT) as own:
            vouch_for_clients(own, settings.proxy_key)
            app.state.gateway = own
            yield

    static = create_static_files_router(path="/static", directories=[HERE / "static"], include_in_schema=False)
    return Litestar(
        route_handlers=[*ROUTES, static],
        lifespan=[lifespan, sweeping],
        state=State({"secure_cookies": settings.secure_cookies, "settings": settings, "clock": clock}),
        # One process, one MemoryStore; several processes need a shared store (see web.sessions).
        stores={STORE: MemoryStore()},
        middleware=[
            upload_guard(idle_s=settings.upload_idle_s, max_per_client=settings.uploads_per_client, render=html_page),
            session_config(settings).middleware,
        ],
        before_request=before_request,
        template_config=_templates(),
        csrf_config=csrf_config(settings, settings.secret()),
        before_send=[security_headers],
        exception_handlers={
            HTTPException: errors.http_error,
            SignInNeededError: errors.sign_in_needed,
            NotAllowedError: errors.not_allowed,
            Exception: errors.unexpected_error,
        },
        request_max_body_size=MAX_BODY_BYTES,
        openapi_config=None,
    )

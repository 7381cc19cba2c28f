"""Server-side sessions: the browser holds only a random session id; the gateway's token stays here.

A session exists only from sign-in to sign-out (or until it times out after ``session_minutes`` of
inactivity); anonymous visitors get no session and no session cookie. Every page a signed-in person
opens asks the gateway who the token belongs to (``GET /api/me``), so a revoked account or an expired
token (a 401) ends the session at once and the person is sent to sign in, with a Spanish message.

The store is Litestar's ``MemoryStore``: right for one process. A deployment with several web processes
needs a store they share (Litestar's ``RedisStore``, or a ``Store`` over PostgreSQL) registered under
``STORE`` in ``create_app``, or sticky sessions at the load balancer; otherwise a person signed in on
one process is a stranger to the next.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx
from litestar import Request
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.exceptions import HTTPException
from litestar.middleware.session.server_side import ServerSideSessionBackend, ServerSideSessionConfig
from litestar.response import Redirect
from litestar.stores.base import Store
from litestar.types import Empty, Message, ScopeSession

from web.config import Settings

Clock = Callable[[], datetime]
SESSION_COOKIE = "contigo_sesion"
STORE = "sessions"
# Peru keeps UTC-5 all year (no daylight saving since 1994), so no time zone database is needed.
LIMA = timezone(timedelta(hours=-5), "America/Lima")
SIGN_IN = "/iniciar-sesion"
# Why a person was sent to sign in, as the code in ?motivo= and the sentence the sign-in page shows.
REASONS = {
    "inactividad": "Su sesión venció por inactividad. Inicie sesión nuevamente para continuar.",
    "terminada": "Su sesión terminó o su cuenta ya no tiene acceso. Inicie sesión nuevamente para continuar.",
    "requerida": "Inicie sesión para ver esa página.",
    "cerrada": "Cerró su sesión. Puede iniciarla nuevamente cuando lo necesite.",
}
# The scope keys this module uses to hand a session id between load and store within one request.
_KNOWN = "contigo.session_known"
_FRESH = "contigo.session_fresh"


def utc_now() -> datetime:
    return datetime.now(UTC)


class _Backend(ServerSideSessionBackend):
    """Litestar's server-side backend, except that an empty session stores nothing and sets no cookie,
    and that an id is reused only when the store knows it (a new one at sign-in: no session fixation)."""

    async def load_from_connection(self, connection: ASGIConnection) -> dict[str, Any]:
        data = await super().load_from_connection(connection)
        if data:
            connection.scope[_KNOWN] = connection.cookies.get(self.config.key)  # type: ignore[literal-required]
        return data

    def get_session_id(self, connection: ASGIConnection) -> str:
        fresh = connection.scope.get(_FRESH)
        if isinstance(fresh, str):
            return fresh
        cookie = connection.cookies.get(self.config.key)
        if cookie and connection.scope.get(_KNOWN) == cookie:
            return cookie
        return connection.get_session_id() or self.generate_session_id()

    async def store_in_message(self, scope_session: ScopeSession, message: Message, connection: ASGIConnection) -> None:
        had_cookie = bool(connection.cookies.get(self.config.key))
        if scope_session is Empty or not scope_session:
            if had_cookie:  # signed out, timed out, revoked or a stale cookie: forget it on both sides
                await self._forget(message, connection)
            return
        if connection.scope.get(_FRESH) is True:
            known = connection.scope.get(_KNOWN)
            if isinstance(known, str):
                await self.delete(known, store=self.config.get_store_from_app(connection.scope["app"]))
            connection.scope[_FRESH] = self.generate_session_id()  # type: ignore[literal-required]
        await super().store_in_message(scope_session, message, connection)

    async def _forget(self, message: Message, connection: ASGIConnection) -> None:
        # Litestar's own deletion keeps the configured max-age beside "expires=0", so browsers kept a
        # "null" cookie for the session's lifetime; max-age=0 makes them drop it now.
        cookie = connection.cookies.get(self.config.key, "")
        await self.delete(cookie, store=self.config.get_store_from_app(connection.scope["app"]))
        gone = Cookie(
            key=self.config.key,
            value="",
            max_age=0,
            expires=0,
            path=self.config.path,
            secure=self.config.secure,
            httponly=self.config.httponly,
            samesite=self.config.samesite,
        )
        MutableScopeHeaders.from_message(message).add("set-cookie", gone.to_header(header=""))


@dataclass
class SessionConfig(ServerSideSessionConfig):
    _backend_class = _Backend


def session_config(settings: Settings) -> SessionConfig:
    # The store forgets a session after the same inactivity the pages check with their own clock.
    return SessionConfig(
        key=SESSION_COOKIE,
        store=STORE,
        max_age=settings.session_minutes * 60,
        renew_on_access=True,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        exclude=["/static", "/health"],
    )


@dataclass(frozen=True)
class Account:
    """Who is signed in, as the gateway's ``/api/me`` says, and when the session times out."""

    claims: dict[str, Any]
    token: str
    expires_at: datetime

    @property
    def role(self) -> str:
        return str(self.claims.get("role", ""))

    @property
    def is_staff(self) -> bool:
        return self.role in ("EVALUATOR", "ADMIN")

    @property
    def expires_at_lima(self) -> str:
        return self.expires_at.astimezone(LIMA).strftime("%H:%M")

    @property
    def home(self) -> str:
        return home_of(self.role)


# Where each role lands after signing in; an ally (and any other role) on its panel.
HOMES = {"EVALUATOR": "/evaluacion", "ADMIN": "/evaluacion", "CTVC": "/ctvc", "ANALYST": "/gestion/casos"}


def home_of(role: str) -> str:
    return HOMES.get(role, "/panel")


def start(request: Request, token: str, clock: Clock) -> None:
    """Sign in: a new session (a new id, whatever cookie came) holding the token."""
    request.scope[_FRESH] = True  # type: ignore[literal-required]
    request.set_session({"token": token, "seen": clock().timestamp()})


def end(request: Request) -> None:
    request.clear_session()


def to_sign_in(reason: str) -> Redirect:
    return Redirect(f"{SIGN_IN}?motivo={reason}", status_code=303)


def _session(request: Request) -> dict[str, Any]:
    session = request.scope.get("session")
    return session if isinstance(session, dict) else {}


async def gateway_get(request: Request, path: str, token: str) -> httpx.Response:
    """A GET on the gateway with the person's token; the gateway down is a Spanish 503 page."""
    gateway: httpx.AsyncClient = request.app.state.gateway
    try:
        return await gateway.get(path, headers={"authorization": f"Bearer {token}"})
    except httpx.HTTPError:
        raise HTTPException(status_code=503) from None


async def check_session(request: Request) -> Redirect | None:
    """A ``before_request`` hook: time the session out, renew it, and ask the gateway who holds it."""
    session = _session(request)
    token = session.get("token")
    if not isinstance(token, str):
        return None
    clock: Clock = request.app.state.clock
    settings: Settings = request.app.state.settings
    now = clock()
    timeout = timedelta(minutes=settings.session_minutes)
    seen = session.get("seen")
    if not isinstance(seen, int | float) or now - datetime.fromtimestamp(seen, UTC) >= timeout:
        end(request)
        return None if request.url.path == SIGN_IN else to_sign_in("inactividad")
    answer = await gateway_get(request, "/api/me", token)
    if answer.status_code == 401:
        end(request)
        return to_sign_in("terminada")
    if answer.status_code != 200:
        raise HTTPException(status_code=503)
    request.set_session({"token": token, "seen": now.timestamp()})
    request.state.account = Account(claims=answer.json(), token=token, expires_at=now + timeout)
    return None


def account(request: Request) -> Account | None:
    """The person signed in on this request (after ``check_session``), or None."""
    found = request.state.get("account")
    return found if isinstance(found, Account) else None


SWEEP_SECONDS = 60.0


async def sweep_expired(store: Store, every: float = SWEEP_SECONDS) -> None:
    """Forget timed-out sessions for good: the store only drops one when it is asked for it again,
    and a person who simply closed the browser never asks, so without this the tokens stay in memory."""
    while True:
        await asyncio.sleep(every)
        await store.delete_expired()

"""The one way pages talk to the gateway's public API, anonymously or with the person's token.

``call`` answers the JSON of a success and raises ``RefusedError`` with the API's Spanish ``detail``
and ``errors`` (by field path) for a 4xx the page can show on its form. What no form can fix is
raised as something the app turns into a page (see ``web.app``): the gateway unreachable or
failing is the Spanish 503 page, too many requests the 429 page; with a token, a 401 ends the
session and sends the person to sign in again, a 403 is the "no tiene permiso" page.

``require`` guards a page: the person signed in (``SignInNeededError`` otherwise) with one of the
roles given (``NotAllowedError`` otherwise), and, for allies, of one of the ally types given.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

import httpx
from litestar import Request
from litestar.exceptions import HTTPException

from web import sessions
from web.sessions import Account

STAFF = ("EVALUATOR", "ADMIN")
# The cases service's staff: analysts of the units and administrators (an evaluator has no cases).
CASE_STAFF = ("ANALYST", "ADMIN")
CTVC = ("CTVC",)
NOT_ALLOWED = "Su cuenta no tiene permiso para ver esta página."


class RefusedError(Exception):
    """The API said no: its status, its Spanish ``detail`` and, by field path, its ``errors``."""

    def __init__(self, status: int, detail: str, errors: dict[str, str]) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors


class SignInNeededError(Exception):
    """No session, or the gateway ended it: sign in again (``reason`` is a ``sessions.REASONS`` key)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class NotAllowedError(Exception):
    """Signed in, but this page or this record is not for this account (its Spanish reason)."""

    def __init__(self, detail: str = NOT_ALLOWED) -> None:
        super().__init__(detail)
        self.detail = detail


def refusal_of(response: httpx.Response) -> RefusedError:
    try:
        body = response.json()
    except ValueError:
        body = {}
    detail = body.get("detail") if isinstance(body, dict) else None
    errors = body.get("errors") if isinstance(body, dict) else None
    detail = str(detail or "Revise los datos e intente nuevamente.")
    return RefusedError(response.status_code, detail, {str(k): str(v) for k, v in dict(errors or {}).items()})


async def send(request: Request, method: str, path: str, *, token: str | None = None, **kwargs: Any) -> httpx.Response:
    """The gateway's raw answer (for PDFs and CSV); only a failure to reach it is raised (503)."""
    gateway: httpx.AsyncClient = request.app.state.gateway
    if token is not None:
        kwargs["headers"] = {**kwargs.get("headers", {}), "authorization": f"Bearer {token}"}
    try:
        return await gateway.request(method, path, **kwargs)
    except httpx.HTTPError as exc:
        raise HTTPException(status_code=503) from exc


def check(request: Request, response: httpx.Response, *, token: str | None = None) -> httpx.Response:
    """A success as it is; anything else raised as one of the errors above."""
    if response.is_success:
        return response
    if response.status_code >= 500:
        raise HTTPException(status_code=503)
    if response.status_code == 429:
        raise HTTPException(status_code=429)
    if token is not None and response.status_code == 401:
        sessions.end(request)
        raise SignInNeededError("terminada")
    refusal = refusal_of(response)
    if token is not None and response.status_code == 403:
        raise NotAllowedError(refusal.detail or NOT_ALLOWED)
    raise refusal


# INEI's ubigeo lists are reference data that change by law, not by use: asked once per process,
# they spare every data page three look-ups (and the gateway's rate limit, which counts them).
REFERENCE_PREFIX = "/api/ubigeo/"


async def call(request: Request, method: str, path: str, *, token: str | None = None, **kwargs: Any) -> Any:
    """The JSON the API answers, or its refusal raised (see the module's note)."""
    reference = method == "GET" and path.startswith(REFERENCE_PREFIX) and not kwargs
    cache: dict[str, Any] = request.app.state.setdefault("reference_data", {})
    if reference and path in cache:
        return cache[path]
    response = check(request, await send(request, method, path, token=token, **kwargs), token=token)
    found = response.json() if response.content else None
    if reference:
        cache[path] = found
    return found


async def call_as(request: Request, account: Account, method: str, path: str, **kwargs: Any) -> Any:
    """``call`` with the signed-in person's token."""
    return await call(request, method, path, token=account.token, **kwargs)


def require(request: Request, *roles: str, ally_types: tuple[str, ...] = ()) -> Account:
    """The signed-in person, if their role (and, for an ally, their ally type) may open this page."""
    signed_in = sessions.account(request)
    if signed_in is None:
        raise SignInNeededError("requerida")
    if roles and signed_in.role not in roles:
        raise NotAllowedError()
    if ally_types and signed_in.role == "ALLY" and signed_in.claims.get("ally_type") not in ally_types:
        raise NotAllowedError()
    return signed_in


# --- Whose request the web relays --------------------------------------------------------------

_CLIENT: ContextVar[str] = ContextVar("web_client_address", default="")


async def remember_client(request: Request) -> None:
    """A ``before_request`` hook: the person's address, for the calls this request makes."""
    _CLIENT.set(request.client.host if request.client else "")


def vouch_for_clients(client: httpx.AsyncClient, proxy_key: str) -> None:
    """Every call to the gateway says whose it is, with the key that makes the gateway believe it
    (the rate limits then count each person; without a key the web is one client to the gateway)."""
    if not proxy_key:
        return

    async def add_headers(outgoing: httpx.Request) -> None:
        address = _CLIENT.get()
        if address:
            outgoing.headers["x-contigo-proxy-key"] = proxy_key
            outgoing.headers["x-contigo-client"] = address

    client.event_hooks["request"] = [*client.event_hooks.get("request", []), add_headers]

"""What padrón routes share besides the kit's providers: the caller's scope, logged refusals, answers as structs."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Annotated, Any, NoReturn, TypeVar

import msgspec
from litestar import Request
from litestar.di import Dependency
from litestar.params import QueryParameter, SkipValidationMarker

from eventkit.http import UserError
from eventkit.paging import PageQuery
from eventkit.providers import ClaimsDep, Units
from eventkit.uow import UnitOfWork
from padron.shared import accesslog, reports
from padron.shared.errors import OutOfScopeError
from padron.shared.scope import Scope, scope_of

T = TypeVar("T")


def provide_scope(claims: ClaimsDep) -> Scope:
    """The caller's scope, from the verified token only (the kit answers 401 without one)."""
    return scope_of(claims)


# Provided as "caller" (see padron.app): Litestar reserves "scope" for the ASGI scope.
ScopeDep = Annotated[Scope, Dependency(kind="named"), SkipValidationMarker()]


async def deny(units: Units, scope: Scope, resource: str, message: str, status: int = 403) -> NoReturn:
    """Log a refused attempt (in a transaction of its own, so it survives) and refuse in Spanish."""
    async with units.open() as uow:
        await accesslog.denied(uow.conn, scope, resource)
    raise UserError(message, status)


@contextlib.asynccontextmanager
async def logging_refusals(units: Units, scope: Scope, resource: str) -> AsyncIterator[None]:
    """A refusal for scope raised inside the block is logged, then answered; other errors go to ``app.ERRORS``."""
    try:
        yield
    except OutOfScopeError as exc:
        await deny(units, scope, resource, str(exc), exc.status)


@contextlib.asynccontextmanager
async def transaction(units: Units, scope: Scope, resource: str) -> AsyncIterator[UnitOfWork]:
    """One transaction; a refusal rolls it back, and a scope refusal is then logged in a transaction of its own."""
    async with logging_refusals(units, scope, resource), units.open() as uow:
        yield uow


def resource(request: Request) -> str:
    """What was asked for, as the access log records it."""
    query = request.url.query
    return f"{request.url.path}?{query}" if query else request.url.path


def view(found: Any, kind: type[T]) -> T:
    """A use case's answer (a dataclass, a dict of a row) as the route's response struct."""
    return msgspec.convert(found, kind, from_attributes=True)


def state_query(states: tuple[str, ...], description: str) -> QueryParameter:
    """A list's ``?state=`` filter, its values listed in the OpenAPI document.

    Litestar reserves the parameter name ``state`` (the app's state), so a route names it otherwise and
    declares a text the list checks itself: a value outside ``states`` is a 422 naming ``state``, where
    a ``Literal`` would name the route's own parameter instead.
    """
    return QueryParameter(name="state", description=description, schema_extra={"enum": list(states)})


def list_query(state: str | None, page: PageQuery, states: tuple[str, ...]) -> reports.ListQuery:
    """An alert or FAD list's filter and page; the kit bounds ``limit``, the list's own cursor says where it starts."""
    return reports.ListQuery(
        state=reports.state_filter(state, states),
        after=reports.decode_cursor(page.after),
        limit=page.limit,
    )

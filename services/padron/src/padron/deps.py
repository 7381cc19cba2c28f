"""What padrón routes are given besides the kit's providers: the caller's scope, logged refusals, one error table."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Annotated, NoReturn

from litestar.di import Dependency, Provide
from litestar.params import SkipValidationMarker

from eventkit.http import ErrorTable, UserError
from eventkit.providers import ClaimsDep, Units
from padron import accesslog, changes, registry
from padron.scope import Scope, ScopeError, scope_of

ERRORS = ErrorTable(
    {
        ScopeError: 403,
        registry.FormError: 422,
        registry.ConflictError: 409,
        registry.NotFoundError: 404,
        changes.InvalidChangeError: 422,
        changes.ConflictError: 409,
        changes.NotFoundError: 404,
    }
)
"""Every domain refusal of the padrón, answered with the error's own Spanish message (and its fields)."""

OUT_OF_SCOPE = (registry.OutOfScopeError, changes.OutOfScopeError)


def provide_scope(claims: ClaimsDep) -> Scope:
    """The caller's scope, from the verified token only (the kit answers 401 without one)."""
    return scope_of(claims)


ScopeDep = Annotated[Scope, Dependency(kind="named"), SkipValidationMarker()]
# Named "caller": Litestar reserves "scope" for the ASGI scope.
DEPENDENCIES = {"caller": Provide(provide_scope, sync_to_thread=False)}


async def deny(units: Units, scope: Scope, resource: str, message: str, status: int = 403) -> NoReturn:
    """Log a refused attempt (in a transaction of its own, so it survives) and refuse in Spanish."""
    async with units.open() as uow:
        await accesslog.denied(uow.conn, scope, resource)
    raise UserError(message, status)


@contextlib.asynccontextmanager
async def logging_refusals(units: Units, scope: Scope, resource: str) -> AsyncIterator[None]:
    """A refusal for scope raised inside the block is logged, then answered; other errors go to ``ERRORS``."""
    try:
        yield
    except OUT_OF_SCOPE as exc:
        await deny(units, scope, resource, str(exc), exc.status)

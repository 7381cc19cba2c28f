"""Litestar dependencies every service's routes declare by name: ``uow``, ``units``, ``claims``, ``clock``, ``page``.

A route says what it needs in its signature (``async def f(uow: UowDep, claims: ClaimsDep)``)
instead of reaching into ``app.state`` or a closure; tests swap any of them through
``create_service_app(..., clock=FixedClock(...))`` or Litestar's own ``dependencies``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from typing import Annotated, Any

import structlog
from litestar import Request
from litestar.datastructures import State
from litestar.di import Dependency, Provide
from litestar.params import SkipValidationMarker

from authkit import Claims, TokenError, Verifier, bearer
from eventkit.clock import Clock, LimaClock
from eventkit.consumer import PoolSource
from eventkit.errors import DependencyUnavailableError
from eventkit.http import SPANISH, UserError
from eventkit.paging import PageQuery, page_query
from eventkit.uow import UnitOfWork, open_unit

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Units:
    """Opens units of work of their own, for a route that needs more than one transaction.

    E.g. a refusal written to an access log that must survive the rollback of the request's
    transaction, or a CSV export read in short transactions while the download is slow.
    """

    source: PoolSource

    def open(self) -> Any:
        """``async with units.open() as uow``: one more transaction, committed when the block ends."""
        return open_unit(pool_of(self.source))


def pool_of(source: PoolSource) -> Any:
    """``source``'s pool; ``None`` while it is still connecting (not ready yet).

    A service that started while PostgreSQL was down has no pool until it comes back: that is the
    database being unavailable (503 naming it), not the service still starting.
    """
    pool = source.pool
    if pool is None:
        problem = getattr(source, "problems", {}).get("postgres")
        if problem and problem != "connecting":
            raise DependencyUnavailableError("postgres", problem)
    return pool


async def provide_uow(state: State) -> AsyncIterator[UnitOfWork]:
    """The request's unit of work: committed after the route returns, rolled back if it raises.

    While the service's pool is not connected the route answers 503 with ``SPANISH[503]``
    (:class:`~eventkit.errors.NotReadyError` is a dependency outage), the one "not ready" path
    of every service; once a connection attempt has failed, with the database's own reason.
    """
    async with open_unit(pool_of(state.host)) as uow:
        yield uow


def provide_units(state: State) -> Units:
    """A :class:`Units` on the service's host."""
    return Units(state.host)


def claims_provider(verifier: Verifier | None) -> Provide:
    """The caller's verified claims, from ``Authorization: Bearer``; missing or invalid: 401 in Spanish.

    ``verifier`` ``None`` (the service was not given identity's public key) answers 503: it is
    the service that cannot check, not the caller who failed.
    """

    def provide_claims(request: Request) -> Claims:
        if verifier is None:
            log.error("token_key_missing", path=request.url.path)
            raise UserError(SPANISH[503], 503)
        try:
            return verifier.verify(bearer(request.headers.get("authorization")))
        except TokenError:
            raise UserError(SPANISH[401], 401) from None

    return Provide(provide_claims, sync_to_thread=False)


def service_dependencies(*, verifier: Verifier | None = None, clock: Clock | None = None) -> Mapping[str, Provide]:
    """The kit's dependencies, as ``Litestar(dependencies=...)`` takes them.

    ``uow`` (one transaction per request), ``units`` (more of them), ``claims`` (the caller),
    ``clock`` (Lima's time unless a test fixes it), ``page`` (``?after=&limit=`` checked).
    """
    the_clock = clock or LimaClock()

    def provide_clock() -> Clock:
        return the_clock

    return {
        "uow": Provide(provide_uow),
        "units": Provide(provide_units, sync_to_thread=False),
        "claims": claims_provider(verifier),
        "clock": Provide(provide_clock, sync_to_thread=False, use_cache=True),
        "page": Provide(page_query, sync_to_thread=False),
    }


# What a route's parameters are annotated with: Litestar injects them by name. Validation is
# skipped: the values come from the providers above, and a Protocol (Clock) cannot be validated.
UowDep = Annotated[UnitOfWork, Dependency(kind="named"), SkipValidationMarker()]
UnitsDep = Annotated[Units, Dependency(kind="named"), SkipValidationMarker()]
ClaimsDep = Annotated[Claims, Dependency(kind="named"), SkipValidationMarker()]
ClockDep = Annotated[Clock, Dependency(kind="named"), SkipValidationMarker()]
PageDep = Annotated[PageQuery, Dependency(kind="named"), SkipValidationMarker()]

"""The unit of work: one connection, one transaction, and the outbox of the events it implies.

Routes and consumers use the same one. A unit of work opened by a consumer carries the
incoming envelope, so every event it emits names it as cause and keeps its correlation id.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from uuid import UUID

import asyncpg

from contracts import Envelope, Event
from eventkit import inbox, outbox
from eventkit.errors import DependencyUnavailableError, NotReadyError, describe, unavailable
from eventkit.messages import wrap

ACQUIRE_TIMEOUT_S = 3.0
"""How long a unit of work waits for a connection: past it, PostgreSQL is answered as down, not waited on."""


class UnitOfWork:
    """One open transaction on ``conn``: state changes, the inbox claim and the outbox rows commit together."""

    def __init__(self, conn: asyncpg.Connection, *, cause: Envelope | None = None, correlation_id: UUID | None = None):
        self.conn = conn
        """The connection, inside the open transaction (repositories speak SQL on it)."""
        self.cause = cause
        """The envelope being handled, when a consumer opened this unit of work."""
        self.correlation_id = correlation_id
        self.emitted: list[Envelope] = []
        """The envelopes added to the outbox so far (they are published only if the transaction commits)."""

    async def emit(self, event: Event, key: str) -> Envelope:
        """Add ``event`` to the outbox under ``key`` (its aggregate id), wrapped in a new envelope.

        The envelope inherits the cause's correlation id and names the cause; without one it
        takes ``correlation_id`` or starts a correlation of its own.
        """
        envelope = wrap(event, key=key, cause=self.cause, correlation_id=self.correlation_id)
        await outbox.add(self.conn, envelope)
        self.emitted.append(envelope)
        return envelope

    async def claim(self, consumer: str, event_id: UUID) -> bool:
        """The inbox claim, in this transaction: False when ``consumer`` already handled ``event_id``."""
        return await inbox.claim(self.conn, consumer, event_id)


@contextlib.asynccontextmanager
async def open_unit(
    pool: asyncpg.Pool | None, *, cause: Envelope | None = None, correlation_id: UUID | None = None
) -> AsyncIterator[UnitOfWork]:
    """A unit of work on a connection of ``pool``: committed when the block ends, rolled back if it raises.

    No pool yet raises :class:`NotReadyError`; failing to get a connection within
    :data:`ACQUIRE_TIMEOUT_S` raises :class:`DependencyUnavailableError` whatever the driver raised
    (refused, timed out, the server starting up) — an outage, which HTTP answers with 503 and a
    consumer with a redelivery. So does an error from inside the block when it is PostgreSQL's
    connection failing (a known outage error, or any error after which the connection is closed:
    the server restarted mid-way). Any other error from the block is the work's own and passes
    through unchanged.
    """
    if pool is None:
        raise NotReadyError
    try:
        async with asyncio.timeout(ACQUIRE_TIMEOUT_S):
            conn = await pool.acquire()
    except Exception as exc:
        raise DependencyUnavailableError("postgres", describe(exc)) from exc
    try:
        async with conn.transaction():
            yield UnitOfWork(conn, cause=cause, correlation_id=correlation_id)
    except Exception as exc:
        if (outage := _connection_lost(conn, exc)) is not None:
            raise outage from exc
        raise
    finally:
        try:
            await pool.release(conn)
        except Exception as exc:
            # A connection the pool cannot reset (lost with the server) is terminated by it, and another
            # is opened on the next acquire; what the block did (committed, or its own error) is what counts.
            if unavailable(exc) is None and not isinstance(exc, (OSError, asyncpg.InterfaceError)):
                raise


def _connection_lost(conn: asyncpg.Connection, exc: Exception) -> DependencyUnavailableError | None:
    """The PostgreSQL outage ``exc`` stands for, when it is one; ``None`` for the work's own failure."""
    if isinstance(exc, DependencyUnavailableError):
        return None  # already said (another dependency, or a nested unit of work): pass it on as it is
    if (outage := unavailable(exc)) is not None and outage.dependency == "postgres":
        return outage
    if isinstance(exc, (OSError, asyncpg.InterfaceError)) and _closed(conn):
        return DependencyUnavailableError("postgres", describe(exc))
    return None


def _closed(conn: asyncpg.Connection) -> bool:
    is_closed = getattr(conn, "is_closed", None)
    try:
        return callable(is_closed) and bool(is_closed())
    except asyncpg.InterfaceError:
        return True  # still held by this unit of work, yet detached from its pool: the driver closed it

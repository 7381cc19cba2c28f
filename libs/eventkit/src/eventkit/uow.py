"""The unit of work: one connection, one transaction, and the outbox of the events it implies.

Routes and consumers use the same one. A unit of work opened by a consumer carries the
incoming envelope, so every event it emits names it as cause and keeps its correlation id.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from uuid import UUID

import asyncpg

from contracts import Envelope, Event
from eventkit import inbox, outbox
from eventkit.errors import DependencyUnavailableError, NotReadyError, describe
from eventkit.messages import wrap


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

    No pool yet raises :class:`NotReadyError`; failing to get a connection raises
    :class:`DependencyUnavailableError` whatever the driver raised (refused, timed out) — an
    outage, which HTTP answers with 503 and a consumer with a redelivery. An error from inside
    the block is the work's own and passes through unchanged.
    """
    if pool is None:
        raise NotReadyError
    try:
        conn = await pool.acquire()
    except Exception as exc:
        raise DependencyUnavailableError("postgres", describe(exc)) from exc
    try:
        async with conn.transaction():
            yield UnitOfWork(conn, cause=cause, correlation_id=correlation_id)
    finally:
        await pool.release(conn)

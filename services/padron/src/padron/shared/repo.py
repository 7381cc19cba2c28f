"""What every padrón repository shares: one connection in the caller's transaction, the access log, the outbox."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

import asyncpg

from contracts import Event
from eventkit.uow import UnitOfWork
from padron.shared import accesslog
from padron.shared.scope import Scope


class PgRepo:
    """A repository inside the kit's unit of work: its SQL on ``uow.conn``, its events into ``uow``'s outbox."""

    def __init__(self, uow: UnitOfWork):
        self._uow = uow
        self._conn: asyncpg.Connection = uow.conn

    async def log_read(
        self, scope: Scope, action: str, resource: str, beneficiary_ids: Sequence[UUID] = (), records: int | None = None
    ) -> None:
        """A read of personal data, logged in the transaction that reads it (Ley 29733)."""
        await accesslog.record(self._conn, scope, action, resource, beneficiary_ids=beneficiary_ids, records=records)

    async def emit(self, event: Event, key: str) -> None:
        """The event goes to the unit of work's outbox, committed with the change it announces."""
        await self._uow.emit(event, key)

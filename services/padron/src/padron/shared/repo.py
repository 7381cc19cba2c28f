"""What every padrón repository shares: one connection in the caller's transaction, the access log, the outbox."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

import asyncpg

from contracts import Event
from eventkit import outbox
from eventkit.messages import wrap
from padron.shared import accesslog
from padron.shared.scope import Scope


class PgRepo:
    def __init__(self, conn: asyncpg.Connection):
        self._conn = conn

    async def log_read(
        self, scope: Scope, action: str, resource: str, beneficiary_ids: Sequence[UUID] = (), records: int | None = None
    ) -> None:
        """A read of personal data, logged in the transaction that reads it (Ley 29733)."""
        await accesslog.record(self._conn, scope, action, resource, beneficiary_ids=beneficiary_ids, records=records)

    async def publish(self, event: Event, key: str) -> None:
        """The event goes to the outbox, committed with the change it announces."""
        await outbox.add(self._conn, wrap(event, key=key))

"""The Ley 29733 access log: who read which personal data, when, under which scope — and who was refused."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

import asyncpg
import structlog

from padron.shared.scope import Scope

log = structlog.get_logger(__name__)


async def record(
    conn: asyncpg.Connection,
    scope: Scope,
    action: str,
    resource: str,
    *,
    allowed: bool = True,
    beneficiary_ids: Sequence[UUID] = (),
    records: int | None = None,
) -> None:
    """Append one entry; call it in the transaction that reads the data, so no read goes unlogged."""
    await conn.execute(
        "insert into access_log (username, role, ally_type, scope, action, resource, allowed, records,"
        " beneficiary_ids) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        scope.username,
        scope.role,
        scope.ally_type,
        scope.label,
        action,
        resource,
        allowed,
        len(beneficiary_ids) if records is None else records,
        list(beneficiary_ids),
    )
    if not allowed:
        log.warning("padron_access_denied", username=scope.username, scope=scope.label, resource=resource)


async def denied(conn: asyncpg.Connection, scope: Scope, resource: str) -> None:
    """A refused attempt is logged in its own transaction: the caller's transaction is about to fail."""
    await record(conn, scope, "DENIED", resource, allowed=False)

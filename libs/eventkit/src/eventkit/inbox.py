"""Idempotent inbox: a consumer claims each event id in the transaction of its effect."""

from __future__ import annotations

from uuid import UUID

import asyncpg


async def claim(conn: asyncpg.Connection, consumer: str, event_id: UUID) -> bool:
    """True the first time ``consumer`` sees ``event_id``; False for a redelivery."""
    row = await conn.fetchval(
        "insert into inbox (consumer, event_id) values ($1, $2) on conflict do nothing returning true",
        consumer,
        event_id,
    )
    return bool(row)

"""Transactional outbox: an event is written in the same transaction as the state it describes."""

from __future__ import annotations

import asyncpg

from contracts import CATALOG, Envelope, encode


def channel(schema: str) -> str:
    """The LISTEN/NOTIFY channel that wakes a schema's relay when an outbox row commits."""
    return f"outbox_{schema}"


async def add(conn: asyncpg.Connection, envelope: Envelope) -> None:
    """Store ``envelope`` for publication; call inside the caller's open transaction."""
    spec = CATALOG[(envelope.type, envelope.version)]
    await conn.execute(
        "insert into outbox (event_id, topic, key, type, body) values ($1, $2, $3, $4, $5)",
        envelope.event_id,
        spec.topic,
        envelope.key,
        envelope.type,
        encode(envelope),
    )
    # Delivered at commit only, so the relay never wakes for a rolled-back event.
    schema = await conn.fetchval("select current_schema()")
    await conn.execute("select pg_notify($1, '')", channel(schema))

"""On real PostgreSQL: migrations run once; the relay publishes only committed rows, once each."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import asyncpg
import pytest
from kit_db import case, schema_pool

from eventkit import inbox, outbox
from eventkit.messages import wrap
from eventkit.migrations import migrate
from eventkit.relay import OutboxRelay

pytestmark = pytest.mark.integration


async def test_migrations_apply_once_and_a_second_run_changes_nothing(database_url, tmp_path):
    (tmp_path / "0001_things.sql").write_text("create table things (id int primary key);")
    schema = f"kit_{uuid.uuid4().hex[:8]}"
    conn = await asyncpg.connect(database_url)
    try:
        first = await migrate(conn, schema, tmp_path)
        second = await migrate(conn, schema, tmp_path)
        tables = await conn.fetchval("select count(*) from information_schema.tables where table_schema = $1", schema)
    finally:
        await conn.close()

    assert first == ["eventkit:0001", "eventkit:0002", f"{schema}:0001"]
    assert second == []
    assert tables == 5  # schema_migrations, outbox, inbox, ledger_heads, things


async def test_the_relay_publishes_committed_events_once_and_never_rolled_back_ones(database_url, tmp_path):
    pool, schema = await schema_pool(database_url, tmp_path, max_size=3)
    sent: list[tuple[str, str]] = []

    async def publish(topic: str, key: str, body: bytes, headers: dict[str, str]) -> None:
        sent.append((topic, key))

    kept, dropped = wrap(case(), key="kept"), wrap(case(), key="dropped")
    try:
        async with pool.acquire() as conn, conn.transaction():
            await outbox.add(conn, kept)
        with pytest.raises(RuntimeError):
            async with pool.acquire() as conn, conn.transaction():
                await outbox.add(conn, dropped)
                raise RuntimeError("the state change failed")
        relay = OutboxRelay(pool, schema, publish)

        first = await relay.publish_pending()
        second = await relay.publish_pending()
        published_at = await pool.fetchval("select published_at from outbox where event_id = $1", kept.event_id)
    finally:
        await pool.close()

    assert (first, second) == (1, 0)
    assert sent == [("cases.case", "kept")]
    assert published_at is not None and published_at <= datetime.now(UTC)


async def test_a_failed_publish_leaves_the_event_in_the_outbox_for_the_next_try(database_url, tmp_path):
    pool, schema = await schema_pool(database_url, tmp_path, max_size=3)

    async def broken(topic: str, key: str, body: bytes, headers: dict[str, str]) -> None:
        raise ConnectionError("broker down")

    try:
        async with pool.acquire() as conn, conn.transaction():
            await outbox.add(conn, wrap(case(), key="k"))
        with pytest.raises(ConnectionError):
            await OutboxRelay(pool, schema, broken).publish_pending()
        waiting = await pool.fetchval("select count(*) from outbox where published_at is null")
    finally:
        await pool.close()

    assert waiting == 1


async def test_the_inbox_claims_an_event_once_per_consumer(database_url, tmp_path):
    pool, _schema = await schema_pool(database_url, tmp_path, max_size=3)
    event_id = uuid.uuid4()
    try:
        async with pool.acquire() as conn:
            claims = [
                await inbox.claim(conn, "cases", event_id),
                await inbox.claim(conn, "cases", event_id),
                await inbox.claim(conn, "documents", event_id),
            ]
    finally:
        await pool.close()

    assert claims == [True, False, True]


async def test_the_relay_keeps_relaying_after_its_database_connections_are_cut(database_url, tmp_path):
    import asyncio

    pool, schema = await schema_pool(database_url, tmp_path, max_size=3)
    sent: list[str] = []

    async def publish(topic: str, key: str, body: bytes, headers: dict[str, str]) -> None:
        sent.append(key)

    relay = OutboxRelay(pool, schema, publish, idle_s=0.1)
    task = asyncio.create_task(relay.run())
    try:
        async with pool.acquire() as conn, conn.transaction():
            await outbox.add(conn, wrap(case(), key="before"))
        for _ in range(100):
            # published AND marked so: a cut between the two would rightly publish it again (at least once)
            async with pool.acquire() as conn:
                marked = await conn.fetchval(
                    f"select published_at is not null from {schema}.outbox where key = 'before'"
                )
            if "before" in sent and marked:
                break
            await asyncio.sleep(0.05)
        admin = await asyncpg.connect(database_url)
        try:
            # Exactly the connection holding the relay's leader lock, which also runs its batches.
            killed = await admin.fetchval(
                "select count(pg_terminate_backend(pid)) from pg_stat_activity where pid = $1", relay.lock_pid
            )
        finally:
            await admin.close()
        async with pool.acquire() as conn, conn.transaction():
            await outbox.add(conn, wrap(case(), key="after"))
        for _ in range(200):
            if "after" in sent:
                break
            await asyncio.sleep(0.05)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await pool.close()

    assert killed == 1
    assert sent == ["before", "after"]

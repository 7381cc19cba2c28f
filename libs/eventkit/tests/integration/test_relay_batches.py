"""On real PostgreSQL: the relay sends a whole batch before awaiting it, and marks only what the broker confirmed."""

from __future__ import annotations

import asyncio
from pathlib import Path

import asyncpg
import pytest
from kit_db import case, schema_pool

from eventkit import outbox
from eventkit.messages import wrap
from eventkit.relay import OutboxRelay

pytestmark = pytest.mark.integration


async def outbox_with(database_url: str, tmp_path: Path, keys: list[str]) -> asyncpg.Pool:
    pool, _schema = await schema_pool(database_url, tmp_path, max_size=2)
    for key in keys:
        async with pool.acquire() as conn, conn.transaction():
            await outbox.add(conn, wrap(case(), key=key))
    return pool


class Producer:
    """Hands out one pending confirmation per message, as a producer's send() does."""

    def __init__(self) -> None:
        self.futures: dict[str, asyncio.Future[None]] = {}
        self.confirmed_before_last_send = False

    async def send(self, topic: str, key: str, body: bytes, headers: dict[str, str]) -> asyncio.Future[None]:
        self.confirmed_before_last_send |= any(f.done() for f in self.futures.values())
        self.futures[key] = asyncio.get_running_loop().create_future()
        return self.futures[key]

    async def answer(self, count: int, failing: frozenset[str] = frozenset()) -> None:
        while len(self.futures) < count:
            await asyncio.sleep(0.01)
        for key, future in self.futures.items():
            if key in failing:
                future.set_exception(ConnectionError("broker lost the write"))
            else:
                future.set_result(None)


async def unpublished(pool: asyncpg.Pool) -> list[str]:
    return [r["key"] for r in await pool.fetch("select key from outbox where published_at is null order by seq")]


async def test_the_relay_sends_the_whole_batch_before_awaiting_any_confirmation(database_url, tmp_path):
    keys = [f"k{i}" for i in range(10)]
    pool = await outbox_with(database_url, tmp_path, keys)
    producer = Producer()
    try:
        relay = OutboxRelay(pool, "unused", producer.send)

        sent, _ = await asyncio.gather(relay.publish_pending(), producer.answer(len(keys)))
        left = await unpublished(pool)
    finally:
        await pool.close()

    assert sent == 10
    assert list(producer.futures) == keys
    assert not producer.confirmed_before_last_send
    assert left == []


async def test_a_failure_in_the_middle_of_a_batch_never_marks_an_unconfirmed_row(database_url, tmp_path):
    keys = [f"k{i}" for i in range(6)]
    pool = await outbox_with(database_url, tmp_path, keys)
    producer = Producer()
    try:
        relay = OutboxRelay(pool, "unused", producer.send)

        results = await asyncio.gather(
            relay.publish_pending(), producer.answer(len(keys), failing=frozenset({"k2", "k3"})), return_exceptions=True
        )
        left = await unpublished(pool)
    finally:
        await pool.close()

    assert isinstance(results[0], ConnectionError)
    assert left == ["k2", "k3"]


async def test_a_send_refused_half_way_marks_only_the_rows_confirmed_before_it(database_url, tmp_path):
    pool = await outbox_with(database_url, tmp_path, ["k0", "k1", "k2", "k3"])
    calls: list[str] = []

    async def send(topic: str, key: str, body: bytes, headers: dict[str, str]) -> None:
        if key == "k2":
            raise ConnectionError("producer closed")
        calls.append(key)

    try:
        with pytest.raises(ConnectionError):
            await OutboxRelay(pool, "unused", send).publish_pending()
        left = await unpublished(pool)
    finally:
        await pool.close()

    assert calls == ["k0", "k1"]
    assert left == ["k2", "k3"]

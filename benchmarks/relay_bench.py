"""Relay benchmark: events/s of the row-by-row relay, the batched relay and a plain aiokafka producer.

    uv run python benchmarks/relay_bench.py [--events 5000] [--batch 200] [--partitions 3]

Against the local PostgreSQL and Kafka (``deploy/local/servers.sh start``; ``CONTIGO_DATABASE_URL``
and ``CONTIGO_KAFKA_BOOTSTRAP`` override them). Each way fills a fresh outbox (its own schema) with
the same number of events, keyed over 100 aggregates, bound for a fresh topic, and times how long it
takes until every row is confirmed by Kafka and marked published. The producers are the services'
own: idempotent, ``acks=all``. The schemas and the topic are dropped at the end. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import platform
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path

import asyncpg
import structlog
from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from contracts import encode
from contracts.events import CaseOpened
from eventkit.host import kafka_broker
from eventkit.messages import wrap
from eventkit.migrations import migrate
from eventkit.relay import OutboxRelay, Publish

DEFAULT_URL = "postgresql://postgres@127.0.0.1:55432/contigo"
DEFAULT_BOOTSTRAP = "127.0.0.1:59092"
KEYS = 100


def events(count: int) -> list[tuple[uuid.UUID, str, bytes]]:
    """``count`` real envelopes (about the size of the services' events), keyed over ``KEYS`` aggregates."""
    out = []
    for i in range(count):
        envelope = wrap(
            CaseOpened(case_id=uuid.uuid4(), oficio="OF-7", case_number="0007-2022-CTVC/HVC", ubigeo="090101"),
            key=f"aggregate-{i % KEYS}",
        )
        out.append((envelope.event_id, envelope.key, encode(envelope)))
    return out


async def fill_outbox(url: str, topic: str, rows: list[tuple[uuid.UUID, str, bytes]]) -> tuple[asyncpg.Pool, str]:
    schema = f"relay_bench_{uuid.uuid4().hex[:8]}"
    conn = await asyncpg.connect(url)
    try:
        with tempfile.TemporaryDirectory() as empty:
            await migrate(conn, schema, Path(empty))
        await conn.copy_records_to_table(
            "outbox",
            schema_name=schema,
            columns=["event_id", "topic", "key", "type", "body"],
            records=[(event_id, topic, key, "CaseOpened", body) for event_id, key, body in rows],
        )
        await conn.execute(f"vacuum analyze {schema}.outbox")
    finally:
        await conn.close()
    pool = await asyncpg.create_pool(url, min_size=1, max_size=2, server_settings={"search_path": schema})
    return pool, schema


async def drain(pool: asyncpg.Pool, schema: str, publish: Publish, batch: int) -> float:
    """Seconds until the relay has published every row of the outbox."""
    relay = OutboxRelay(pool, schema, publish, batch=batch)
    started = time.perf_counter()
    async with pool.acquire() as conn:
        while await relay.publish_pending(conn):
            pass
    elapsed = time.perf_counter() - started
    left = await pool.fetchval("select count(*) from outbox where published_at is null")
    if left:
        raise RuntimeError(f"{left} rows left unpublished in {schema}")
    return elapsed


async def plain_producer(bootstrap: str, topic: str, rows: list[tuple[uuid.UUID, str, bytes]]) -> float:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True)
    await producer.start()
    try:
        started = time.perf_counter()
        futures = [await producer.send(topic, body, key=key.encode()) for _, key, body in rows]
        await asyncio.gather(*futures)
        return time.perf_counter() - started
    finally:
        await producer.stop()


def table(results: list[tuple[str, float]], count: int) -> str:
    lines = [f"| {'way':<28} | {'events':>7} | {'seconds':>8} | {'events/s':>9} |"]
    lines.append(f"|{'-' * 30}|{'-' * 8}:|{'-' * 9}:|{'-' * 10}:|")
    lines += [f"| {name:<28} | {count:>7} | {seconds:>8.2f} | {count / seconds:>9,.0f} |" for name, seconds in results]
    return "\n".join(lines)


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--batch", type=int, default=200, help="rows per relay batch (the relay's default)")
    parser.add_argument("--partitions", type=int, default=3)
    args = parser.parse_args()
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    url = os.environ.get("CONTIGO_DATABASE_URL", DEFAULT_URL)
    bootstrap = os.environ.get("CONTIGO_KAFKA_BOOTSTRAP", DEFAULT_BOOTSTRAP)
    topic = f"bench.relay.{uuid.uuid4().hex[:8]}"
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    await admin.create_topics([NewTopic(topic, num_partitions=args.partitions, replication_factor=1)])
    broker = kafka_broker(bootstrap, client_id="relay-bench")
    await broker.start()
    await broker.publish(b"warm-up", topic=topic)  # topic metadata fetched before any timing
    rows = events(args.events)
    schemas: list[str] = []

    async def row_by_row(t: str, key: str, body: bytes, headers: dict[str, str]) -> None:
        await broker.publish(body, topic=t, key=key.encode(), headers=headers)  # the relay before batching

    async def batched(t: str, key: str, body: bytes, headers: dict[str, str]) -> Awaitable[object]:
        return await broker.publish(body, topic=t, key=key.encode(), headers=headers, no_confirm=True)

    ways: list[tuple[str, Callable[[], Awaitable[float]]]] = []
    for name, publish in (("relay, row by row (before)", row_by_row), ("relay, batched (now)", batched)):

        async def run(publish: Publish = publish) -> float:
            pool, schema = await fill_outbox(url, topic, rows)
            schemas.append(schema)
            try:
                return await drain(pool, schema, publish, args.batch)
            finally:
                await pool.close()

        ways.append((name, run))
    ways.append(("plain aiokafka producer", lambda: plain_producer(bootstrap, topic, rows)))
    try:
        conn = await asyncpg.connect(url)
        version = await conn.fetchval("show server_version")
        await conn.close()
        print(
            f"relay benchmark {date.today()} · PostgreSQL {version} · Kafka at {bootstrap} · "
            f"{os.cpu_count()} CPU · Python {platform.python_version()}"
        )
        print(f"{args.events} events over {KEYS} keys, topic with {args.partitions} partitions, batch {args.batch}\n")
        results = [(name, await way()) for name, way in ways]
    finally:
        await broker.stop()
        await admin.delete_topics([topic])
        await admin.close()
        conn = await asyncpg.connect(url)
        try:
            for schema in schemas:
                await conn.execute(f"drop schema if exists {schema} cascade")
        finally:
            await conn.close()
    print(table(results, args.events))
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))

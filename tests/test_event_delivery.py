"""An event goes from one service's outbox through real Kafka to another service, once."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

import cases.app
import cases.config
import identity.app
import identity.config
from contracts import encode, topics
from contracts.events import CredentialsIssued, CredentialsRevoked, Jurisdiction
from eventkit import outbox
from eventkit.host import kafka_broker
from eventkit.messages import wrap
from eventkit.replay import replay_dead_letters

pytestmark = pytest.mark.integration


@contextlib.asynccontextmanager
async def running_services(database_url: str, bootstrap: str, key_dir: Path, cases_group: str) -> AsyncIterator[tuple]:
    identity_app = identity.app.create_app(
        identity.config.Settings(
            database_url=database_url, kafka_bootstrap=bootstrap, token_key_file=str(key_dir / "token.pem")
        ),
        kafka_broker(bootstrap, client_id="test-identity"),
        own_broker=True,
    )
    cases_app = cases.app.create_app(
        cases.config.Settings(database_url=database_url, kafka_bootstrap=bootstrap),
        kafka_broker(bootstrap, client_id="test-cases"),
        own_broker=True,
        consumer_group=cases_group,
    )
    async with identity_app.lifespan(), cases_app.lifespan():
        identity_host, cases_host = identity_app.state.host, cases_app.state.host
        await identity_host.wait_ready(60)
        await cases_host.wait_ready(60)
        yield identity_host, cases_host


@pytest.fixture
async def cases_group(servers) -> AsyncIterator[str]:
    """A consumer group of this test's own, so no other member (an earlier test's consumer, another
    run's cases service) can hold a partition the test waits on.

    It starts at the topic's end, as the service's group does after its first run, instead of
    reading every earlier run's events; its dead-letter topic exists before the test reads it (a
    consumer assigned to a topic not created yet would not see it for minutes) and goes with it.
    """
    bootstrap = servers.kafka_bootstrap
    group = f"cases-test-{uuid.uuid4().hex[:10]}"
    dlq = topics.dead_letter_topic(topics.IDENTITY_ACCOUNT, group)
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False)
    await consumer.start()
    try:
        await consumer._client.force_metadata_update()
        tps = [
            TopicPartition(topics.IDENTITY_ACCOUNT, p) for p in consumer.partitions_for_topic(topics.IDENTITY_ACCOUNT)
        ]
        consumer.assign(tps)
        ends = await consumer.end_offsets(tps)
        await consumer.commit(ends)
    finally:
        await consumer.stop()
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(dlq, num_partitions=len(tps), replication_factor=1)])
        yield group
    finally:
        await admin.delete_topics([dlq])
        await admin.close()


async def eventually(probe, timeout_s: float = 60.0):
    deadline = asyncio.get_running_loop().time() + timeout_s
    while True:
        value = await probe()
        if value:
            return value
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"condition not met within {timeout_s}s")
        await asyncio.sleep(0.2)


def issued(account_id: uuid.UUID) -> CredentialsIssued:
    return CredentialsIssued(
        account_id=account_id,
        username=f"gl-090101-{account_id.hex[:6]}",
        jurisdiction=Jurisdiction(ally_type="GOBIERNO_LOCAL", ubigeo="090101"),
        request_id=uuid.uuid4(),
        issued_at=datetime.now(UTC),
    )


async def read_until(bootstrap: str, topic: str, start: dict[int, int], match, timeout_s: float = 60.0):
    """Read ``topic`` from the given offsets per partition until ``match(record)`` holds."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        tps = [TopicPartition(topic, p) for p in start]
        consumer.assign(tps)
        for tp in tps:
            consumer.seek(tp, start[tp.partition])
        deadline = asyncio.get_running_loop().time() + timeout_s
        while asyncio.get_running_loop().time() < deadline:
            batch = await consumer.getmany(timeout_ms=500)
            for records in batch.values():
                for record in records:
                    if match(record):
                        return record
        raise AssertionError(f"no matching record on {topic} within {timeout_s}s")
    finally:
        await consumer.stop()


async def end_offsets(bootstrap: str, topic: str) -> dict[int, int]:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap)
    await consumer.start()
    try:
        await consumer._client.force_metadata_update()
        parts = consumer.partitions_for_topic(topic) or set()
        tps = [TopicPartition(topic, p) for p in parts]
        ends = await consumer.end_offsets(tps)
        return {tp.partition: offset for tp, offset in ends.items()}
    finally:
        await consumer.stop()


async def test_an_event_from_the_outbox_is_handled_once_even_when_delivered_twice(
    database_url, servers, tmp_path, cases_group
):
    bootstrap = servers.kafka_bootstrap
    account_id = uuid.uuid4()
    first = wrap(issued(account_id), key=str(account_id))

    async with running_services(database_url, bootstrap, tmp_path, cases_group) as (identity_host, cases_host):
        async with identity_host.pool.acquire() as conn, conn.transaction():
            await outbox.add(conn, first)
        await eventually(
            lambda: cases_host.pool.fetchval("select count(*) from ally_accounts where account_id = $1", account_id)
        )
        producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True)
        await producer.start()
        try:
            await producer.send_and_wait(topics.IDENTITY_ACCOUNT, encode(first), key=str(account_id).encode())
        finally:
            await producer.stop()
        revoked = CredentialsRevoked(
            account_id=account_id,
            username=f"gl-090101-{account_id.hex[:6]}",
            jurisdiction=Jurisdiction(ally_type="GOBIERNO_LOCAL", ubigeo="090101"),
            request_id=uuid.uuid4(),
            reason="Nueva autoridad acreditada",
            revoked_at=datetime.now(UTC),
        )
        async with identity_host.pool.acquire() as conn, conn.transaction():
            await outbox.add(conn, wrap(revoked, key=str(account_id)))
        # Same key, same partition: once the revocation is in, the duplicate was seen before it.
        await eventually(
            lambda: cases_host.pool.fetchval(
                "select revoked_at is not null from ally_accounts where account_id = $1", account_id
            )
        )

        history = await cases_host.pool.fetch(
            "select kind from account_history where account_id = $1 order by occurred_at", account_id
        )
        claims = await cases_host.pool.fetchval(
            "select count(*) from inbox where consumer = $1 and event_id = $2", cases_group, first.event_id
        )
        unpublished = await identity_host.pool.fetchval("select count(*) from outbox where published_at is null")

    assert [r["kind"] for r in history] == ["ISSUED", "REVOKED"]
    assert claims == 1
    assert unpublished == 0


async def test_a_poison_message_is_dead_lettered_with_its_error_and_replay_brings_it_back(
    database_url, servers, tmp_path, cases_group
):
    bootstrap = servers.kafka_bootstrap
    dlq = topics.dead_letter_topic(topics.IDENTITY_ACCOUNT, cases_group)
    marker = f"poison-{uuid.uuid4()}".encode()

    async with running_services(database_url, bootstrap, tmp_path, cases_group):
        dlq_start = await end_offsets(bootstrap, dlq)
        producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True)
        await producer.start()
        try:
            await producer.send_and_wait(topics.IDENTITY_ACCOUNT, b"{not an envelope", key=marker)
        finally:
            await producer.stop()
        dead = await read_until(bootstrap, dlq, dlq_start, lambda r: r.key == marker)
        source_start = await end_offsets(bootstrap, topics.IDENTITY_ACCOUNT)
        dlq_again_start = await end_offsets(bootstrap, dlq)

        replayed = await replay_dead_letters(bootstrap, topics.IDENTITY_ACCOUNT, cases_group)

        back = await read_until(bootstrap, topics.IDENTITY_ACCOUNT, source_start, lambda r: r.key == marker)
        dead_again = await read_until(bootstrap, dlq, dlq_again_start, lambda r: r.key == marker)

    headers = dict(dead.headers)
    assert headers["x-original-topic"] == topics.IDENTITY_ACCOUNT.encode()
    assert b"DecodeError" in headers["x-error"]
    assert dead.value == b"{not an envelope"
    assert replayed >= 1
    assert back.value == b"{not an envelope"
    assert "x-replayed-from" in dict(back.headers)
    assert "x-replayed-from" in dict(dead_again.headers)

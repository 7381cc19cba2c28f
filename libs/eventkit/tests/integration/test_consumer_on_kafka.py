"""On real Kafka and PostgreSQL: a bad event is dead-lettered and shown on /health; an outage waits, then heals."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient

from contracts import topics
from contracts.events import CaseOpened
from contracts.topics import dead_letter_topic
from eventkit import DependencyUnavailableError, outbox
from eventkit.host import ServiceHost, Subscription, kafka_broker
from eventkit.messages import wrap

pytestmark = pytest.mark.integration


async def eventually(condition: Callable[[], bool], timeout_s: float = 60.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout_s
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.1)


async def dead_letter_keys(bootstrap: str, dlq: str) -> list[str]:
    consumer = AIOKafkaConsumer(dlq, bootstrap_servers=bootstrap, auto_offset_reset="earliest", group_id=None)
    await consumer.start()
    try:
        batch = await consumer.getmany(timeout_ms=5000)
        return [r.key.decode() for records in batch.values() for r in records]
    finally:
        await consumer.stop()


async def test_a_bad_event_is_dead_lettered_and_an_outage_waits_until_the_dependency_is_back(
    servers, database_url, tmp_path
):
    group = f"test-{uuid.uuid4().hex[:8]}"
    bad, waits, good = (uuid.uuid4() for _ in range(3))
    key = f"case-{uuid.uuid4().hex[:8]}"
    object_store_down = True
    handled: list[uuid.UUID] = []

    async def on_case_opened(_envelope: Any, event: CaseOpened, _conn: Any) -> None:
        if event.case_id == bad:
            raise ValueError("case number out of range")
        if event.case_id == waits and object_store_down:
            raise DependencyUnavailableError("object_store", "cannot reach MinIO at 127.0.0.1:1")
        if event.case_id in (waits, good):
            handled.append(event.case_id)

    host = ServiceHost(
        name=f"kit_{uuid.uuid4().hex[:8]}",
        database_url=database_url,
        broker=kafka_broker(servers.kafka_bootstrap, client_id=group),
        migrations=tmp_path,
        subscriptions=[Subscription(topics.CASES_CASE, {CaseOpened: on_case_opened})],
        bus_address=servers.kafka_bootstrap,
        consumer_group=group,
    )
    consumer = host.consumers[0]
    try:
        await host.start()
        await host.wait_ready(60)
        async with host.pool.acquire() as conn, conn.transaction():
            for case_id in (bad, waits, good):
                event = CaseOpened(case_id=case_id, oficio="OF-7", case_number="0007-2022-CTVC/HVC", ubigeo="090101")
                await outbox.add(conn, wrap(event, key=key))  # one partition: the outage holds it

        await eventually(lambda: consumer.dead_lettered == 1 and "object_store" in consumer.unreachable)
        while_down = await host.health()
        held = list(handled)
        object_store_down = False
        await eventually(lambda: handled == [waits, good])
        healed = await host.health()
        letters = await dead_letter_keys(servers.kafka_bootstrap, consumer.dlq)
    finally:
        await host.stop()
        admin = AIOKafkaAdminClient(bootstrap_servers=servers.kafka_bootstrap)
        await admin.start()
        try:
            await admin.delete_topics([dead_letter_topic(topics.CASES_CASE, group)])
        finally:
            await admin.close()

    assert key in letters
    assert held == []  # the event after the one waiting was not handled ahead of it
    assert while_down["object_store"].ok is False
    assert "cannot reach MinIO at 127.0.0.1:1" in while_down["object_store"].detail
    assert "object_store" not in healed
    assert healed["dead_letters"].degraded is True
    assert f"in {consumer.dlq}" in healed["dead_letters"].detail
    assert "not yet replayed" in healed["dead_letters"].detail

"""An alert raised through the padrón API reaches the padron.beneficiary topic on real Kafka."""

from __future__ import annotations

import asyncio
import random
import uuid

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

import padron.app
import padron.config
from authkit import Claims, Signer
from contracts import topics
from contracts.events import AlertRaised
from eventkit.host import kafka_broker
from eventkit.messages import read

pytestmark = pytest.mark.integration


async def partitions(consumer: AIOKafkaConsumer, topic: str) -> list[TopicPartition]:
    await consumer._client.force_metadata_update()
    return [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]


async def end_offsets(bootstrap: str, topic: str) -> dict[int, int]:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap)
    await consumer.start()
    try:
        ends = await consumer.end_offsets(await partitions(consumer, topic))
        return {tp.partition: offset for tp, offset in ends.items()}
    finally:
        await consumer.stop()


async def read_until(bootstrap: str, topic: str, start: dict[int, int], match, timeout_s: float = 60.0):
    """Read ``topic`` from ``start`` (a partition unknown then — a new topic — from its beginning) until a match."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        deadline = asyncio.get_running_loop().time() + timeout_s
        tps = await partitions(consumer, topic)
        while not tps and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.5)
            tps = await partitions(consumer, topic)
        consumer.assign(tps)
        for tp in tps:
            consumer.seek(tp, start.get(tp.partition, 0))
        while asyncio.get_running_loop().time() < deadline:
            batch = await consumer.getmany(timeout_ms=500)
            for records in batch.values():
                for record in records:
                    if match(record):
                        return record
        raise AssertionError(f"no matching record on {topic} within {timeout_s}s")
    finally:
        await consumer.stop()


async def test_a_raised_alert_is_published_on_the_beneficiary_topic_keyed_by_the_beneficiary(
    database_url, servers, tmp_path
):
    bootstrap = servers.kafka_bootstrap
    key = Ed25519PrivateKey.generate()
    public = tmp_path / "token.pub.pem"
    public.write_bytes(key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo))
    app = padron.app.create_app(
        padron.config.Settings(database_url=database_url, kafka_bootstrap=bootstrap, token_public_key_file=str(public)),
        kafka_broker(bootstrap, client_id="test-padron-changes"),
        own_broker=True,
    )
    district = f"{random.randint(26, 99):02d}{random.randrange(10**4):04d}"
    username = f"gl-{district}-{uuid.uuid4().hex[:6]}"
    token = Signer(key).sign(
        Claims(sub=str(uuid.uuid4()), username=username, role="ALLY", ally_type="GOBIERNO_LOCAL", ubigeo=district)
    )
    beneficiary_id = uuid.uuid4()
    start = await end_offsets(bootstrap, topics.PADRON_BENEFICIARY)

    async with app.lifespan(), httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://p") as http:
        host = app.state.host
        await host.wait_ready(60)
        while not await host.pool.fetchval(
            "insert into beneficiaries (beneficiary_id, dni, names, birth_date, sex, ubigeo, address,"
            " certificate_number, certificate_severity, certificate_issuer, certificate_date,"
            " sisfoh_classification, sisfoh_expires_on, status, affiliated_on)"
            " values ($1, $2, 'MAMANI, JUAN', '1948-07-09', 'M', $3, 'Av. Sol 12', 'CD-9', 'SEVERA', 'MINSA',"
            " '2019-05-05', 'POBRE', '2030-01-01', 'VIGENTE', '2020-01-01')"
            " on conflict (dni) do nothing returning true",
            beneficiary_id,
            f"{random.randrange(10**8):08d}",  # a DNI already taken in this database: try another
            district,
        ):
            pass
        answer = await http.post(
            f"/padron/beneficiaries/{beneficiary_id}/alerts",
            json={"alert_type": "NO_COBRA", "detail": "No cobra desde el periodo III-2026."},
            headers={"Authorization": f"Bearer {token}"},
        )
        alert_id = uuid.UUID(answer.json()["alert_id"])

        record = await read_until(
            bootstrap,
            topics.PADRON_BENEFICIARY,
            start,
            lambda r: r.key == str(beneficiary_id).encode() and read(r.value)[0].type == "AlertRaised",
        )

    envelope, event = read(record.value)
    assert answer.status_code == 201
    assert envelope.key == str(beneficiary_id)
    assert event == AlertRaised(
        alert_id=alert_id, beneficiary_id=beneficiary_id, alert_type="NO_COBRA", ubigeo=district, raised_by=username
    )

"""A MinIO that cannot be reached makes the DDC wait and come back, never a dead letter; /health names it;
a person's download or upload is answered 503 in Spanish at once.

The service reaches the tests' MinIO through a relay of the test's own, which the test cuts (a stopped
MinIO: connections reset, new ones refused) and restores; the shared MinIO is never stopped.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from faststream.kafka import KafkaBroker, TestKafkaBroker
from minio import Minio

from contracts import Envelope, encode, topics
from contracts.events import AccessRequested, CaseOpened, Jurisdiction, Person, Responsible
from documents.adapters.storage import store_from
from documents.app import create_app
from documents.config import Settings
from eventkit import DependencyUnavailableError
from eventkit.consumer import Consumer
from eventkit.messages import wrap
from eventkit.testing import CuttableProxy

pytestmark = pytest.mark.integration


def unreachable_minio():
    return store_from("127.0.0.1:1", "contigo", "contigo-secret", "contigo-documents", False, "")


async def test_every_call_to_an_unreachable_minio_raises_the_kits_outage_error():
    store = unreachable_minio()

    with pytest.raises(DependencyUnavailableError) as raised:
        await store.put("sha256/abc.pdf", b"%PDF-1.7", "application/pdf")

    assert raised.value.dependency == "object_store"
    assert "cannot reach MinIO for bucket contigo-documents at 127.0.0.1:1" in raised.value.detail
    assert "MaxRetryError" in raised.value.detail


async def test_a_message_that_needs_an_unreachable_minio_is_redelivered_and_not_dead_lettered():
    store = unreachable_minio()
    letters: list[str] = []

    async def handler(_envelope: Any, _event: Any, _conn: Any) -> None:
        await store.put(f"sha256/{uuid.uuid4().hex}.pdf", b"%PDF-1.7", "application/pdf")

    async def dead_letter(topic: str, key: str, body: bytes, headers: dict[str, str]) -> None:
        letters.append(topic)

    class Conn:
        def transaction(self):
            return self

        async def __aenter__(self):
            return self

        async def __aexit__(self, *exc: object) -> None:
            return None

        async def fetchval(self, *_args: object) -> bool:
            return True

    class Pool:
        async def acquire(self) -> Conn:
            return Conn()

        async def release(self, _conn: Conn) -> None:
            pass

    class Host:
        pool = Pool()

    consumer = Consumer(
        topics.CASES_CASE, "documents", {CaseOpened: handler}, Host(), dead_letter, outage_wait_s=(0, 0)
    )
    event = CaseOpened(case_id=uuid.uuid4(), oficio="OF-7", case_number="0007-2022-CTVC/HVC", ubigeo="090101")

    with pytest.raises(DependencyUnavailableError):
        await consumer.process(encode(wrap(event, key="k")), key="k", headers={})

    assert letters == []
    assert consumer.unreachable["object_store"].startswith("cannot reach MinIO")


@dataclass
class Behind:
    """The documents service whose MinIO is reached through ``proxy``, a relay the test cuts."""

    client: httpx.AsyncClient
    broker: KafkaBroker
    proxy: CuttableProxy


@pytest.fixture
async def behind_a_cuttable_minio(servers, database_url) -> AsyncIterator[Behind]:
    host, port = servers.s3_endpoint.rsplit(":", 1)
    minio = Minio(servers.s3_endpoint, access_key=servers.s3_access_key, secret_key=servers.s3_secret_key, secure=False)
    bucket = f"test-outage-{uuid.uuid4().hex[:10]}"
    minio.make_bucket(bucket)
    async with CuttableProxy(host, int(port)) as proxy:
        settings = Settings(
            database_url=database_url,
            s3_endpoint=f"127.0.0.1:{proxy.port}",
            s3_access_key=servers.s3_access_key,
            s3_secret_key=servers.s3_secret_key,
            s3_bucket=bucket,
        )
        broker = KafkaBroker("documents-outage-test", logger=None)
        app = create_app(settings, broker, own_broker=False)
        async with (
            TestKafkaBroker(broker),
            app.state.host.lifespan(),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://documents") as client,
        ):
            await app.state.host.wait_ready(60)
            yield Behind(client, broker, proxy)


def requested() -> Envelope:
    request_id = uuid.uuid4()
    event = AccessRequested(
        request_id=request_id,
        code=f"SA-2026-{request_id.hex[:6].upper()}",
        attempt=1,
        jurisdiction=Jurisdiction(ally_type="GOBIERNO_LOCAL", ubigeo="090101"),
        authority=Person(dni="40123456", names="Juan Ñahui Pérez"),
        authority_role="Alcalde",
        responsible=Responsible(
            dni="45678912", names="María Quispe", office="OMAPED", position="Jefa", email="mquispe@example.pe"
        ),
    )
    return wrap(event, key=str(request_id))


STORE_DOWN = {"detail": "El almacén de documentos no está disponible; intente nuevamente en unos minutos."}


async def test_with_minio_stopped_downloads_uploads_and_health_answer_503_naming_the_store(
    behind_a_cuttable_minio, samples
):
    running = behind_a_cuttable_minio
    envelope = requested()
    await running.broker.publish(encode(envelope), topic=topics.ACCESS_REQUEST, key=envelope.key.encode())
    ddc = f"/requests/{envelope.key}/ddc"
    before = await running.client.get(ddc, params={"attempt": 1})

    await running.proxy.cut()
    download = await running.client.get(ddc, params={"attempt": 1})
    uploaded = await running.client.post(
        f"/requests/{envelope.key}/documents",
        params={"kind": "DDC_SIGNED", "attempt": 1},
        files={"file": ("ddc-firmado.pdf", samples.plain(f"DDC {envelope.key}"), "application/pdf")},
    )
    health = await running.client.get("/health")
    await running.proxy.restore()
    after = await running.client.get(ddc, params={"attempt": 1})

    assert before.status_code == 200
    assert (download.status_code, download.json()) == (503, STORE_DOWN)
    assert (uploaded.status_code, uploaded.json()) == (503, STORE_DOWN)
    assert health.status_code == 503
    store = health.json()["checks"]["object_store"]
    assert store["ok"] is False
    assert store["detail"].startswith("cannot reach MinIO for bucket test-outage-")
    assert health.json()["checks"]["postgres"]["ok"] is True
    assert after.status_code == 200 and after.content == before.content


@contextlib.asynccontextmanager
async def minio_starting_up() -> AsyncIterator[str]:
    """A stand-in for MinIO while it starts: every request answered 503 as MinIO does, asking to wait 2 minutes."""
    body = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>XMinioServerNotInitialized</Code>'
        b"<Message>Server not initialized yet, please try again.</Message></Error>"
    )
    head = (
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/xml\r\nRetry-After: 120\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode()

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(head + body)
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    try:
        yield f"127.0.0.1:{server.sockets[0].getsockname()[1]}"
    finally:
        server.close()
        await server.wait_closed()


async def test_a_minio_that_is_still_starting_is_an_outage_answered_without_waiting_for_its_retry_after():
    async with minio_starting_up() as endpoint:
        store = store_from(endpoint, "contigo", "contigo-secret", "contigo-documents", False, "")

        with pytest.raises(DependencyUnavailableError) as raised:
            await store.get("sha256/abc.pdf")
        problem = await store.check()

    assert raised.value.dependency == "object_store"
    assert "answered 503 XMinioServerNotInitialized" in raised.value.detail
    assert problem is not None and "MinIO for bucket contigo-documents" in problem

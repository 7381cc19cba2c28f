"""A MinIO that cannot be reached makes the DDC wait and come back, never a dead letter; /health names it."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from contracts import encode, topics
from contracts.events import CaseOpened
from documents.adapters.storage import store_from
from eventkit import DependencyUnavailableError
from eventkit.consumer import Consumer
from eventkit.messages import wrap

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

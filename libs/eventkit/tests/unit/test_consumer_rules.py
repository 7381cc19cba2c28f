"""A consumer's one rule, on in-memory fakes: an outage waits and comes back; a failure retries, then dead-letters."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from contracts import encode, topics
from contracts.events import CaseOpened
from eventkit import DependencyUnavailableError
from eventkit.consumer import Consumer, NotReadyError
from eventkit.host import CheckResult
from eventkit.http import health_payload
from eventkit.messages import wrap

pytestmark = pytest.mark.unit


class FakeConnection:
    """An inbox whose claims are kept only when the transaction commits."""

    def __init__(self, claimed: set[uuid.UUID]):
        self._claimed = claimed
        self._pending: set[uuid.UUID] = set()

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        self._pending = set()
        yield
        self._claimed |= self._pending

    async def fetchval(self, _sql: str, _consumer: str, event_id: uuid.UUID) -> bool | None:
        if event_id in self._claimed | self._pending:
            return None
        self._pending.add(event_id)
        return True


class FakePool:
    def __init__(self, refuse: Exception | None = None):
        self.claimed: set[uuid.UUID] = set()
        self.refuse = refuse

    async def acquire(self) -> FakeConnection:
        if self.refuse is not None:
            raise self.refuse
        return FakeConnection(self.claimed)

    async def release(self, _conn: FakeConnection) -> None:
        pass


class Host:
    def __init__(self, pool: FakePool | None):
        self.pool = pool


class DeadLetters:
    def __init__(self, refuse: Exception | None = None):
        self.sent: list[tuple[str, str, dict[str, str]]] = []
        self.refuse = refuse

    async def publish(self, topic: str, key: str, body: bytes, headers: dict[str, str]) -> None:
        if self.refuse is not None:
            raise self.refuse
        self.sent.append((topic, key, headers))


def consumer_with(handler: Any, pool: FakePool | None = None, letters: DeadLetters | None = None) -> Consumer:
    return Consumer(
        topics.CASES_CASE,
        "documents",
        {CaseOpened: handler},
        Host(FakePool() if pool is None else pool),
        (letters or DeadLetters()).publish,
        backoff_s=0,
        outage_wait_s=(0, 0),
    )


def message() -> bytes:
    event = CaseOpened(case_id=uuid.uuid4(), oficio="OF-7", case_number="0007-2022-CTVC/HVC", ubigeo="090101")
    return encode(wrap(event, key="case-1"))


class Handler:
    """Fails with the given errors, one per call, then succeeds."""

    def __init__(self, *failures: Exception):
        self.failures = list(failures)
        self.calls = 0

    async def __call__(self, _envelope: Any, _event: Any, _conn: Any) -> None:
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)


async def test_an_event_is_handled_once_and_its_redelivery_is_a_duplicate():
    handler = Handler()
    consumer = consumer_with(handler)
    body = message()

    first = await consumer.process(body, key="case-1", headers={})
    second = await consumer.process(body, key="case-1", headers={})

    assert (first, second) == ("handled", "duplicate")
    assert handler.calls == 1


async def test_a_failing_handler_is_retried_and_then_dead_lettered_with_its_error():
    letters = DeadLetters()
    handler = Handler(*[ValueError("bad case number")] * 5)
    consumer = consumer_with(handler, letters=letters)

    outcome = await consumer.process(message(), key="case-1", headers={"x-event-type": "CaseOpened"})

    assert outcome == "dead_lettered"
    assert handler.calls == 5
    [(topic, key, headers)] = letters.sent
    assert (topic, key) == (f"{topics.CASES_CASE}.dlq.documents", "case-1")
    assert headers["x-error"] == "ValueError: bad case number"
    assert headers["x-original-topic"] == topics.CASES_CASE
    assert consumer.dead_lettered == 1


async def test_a_handler_that_recovers_within_its_retries_is_not_dead_lettered():
    letters = DeadLetters()
    consumer = consumer_with(Handler(ValueError("flaky"), ValueError("flaky")), letters=letters)

    outcome = await consumer.process(message(), key="case-1", headers={})

    assert outcome == "handled"
    assert letters.sent == []


async def test_a_plain_os_error_from_handler_logic_is_a_failure_not_an_outage():
    letters = DeadLetters()
    consumer = consumer_with(Handler(*[FileNotFoundError("template.html")] * 5), letters=letters)

    outcome = await consumer.process(message(), key="case-1", headers={})

    assert outcome == "dead_lettered"
    assert consumer.unreachable == {}


async def test_an_unreachable_dependency_is_redelivered_never_dead_lettered_and_named_until_a_message_succeeds():
    letters = DeadLetters()
    down = DependencyUnavailableError("object_store", "cannot reach MinIO at 127.0.0.1:1")
    handler = Handler(down)
    consumer = consumer_with(handler, letters=letters)
    body = message()

    with pytest.raises(DependencyUnavailableError):
        await consumer.process(body, key="case-1", headers={})
    while_down = dict(consumer.unreachable)
    outcome = await consumer.process(body, key="case-1", headers={})

    assert handler.calls == 2  # no retries burnt on an outage: the message comes back instead
    assert while_down == {"object_store": "cannot reach MinIO at 127.0.0.1:1"}
    assert outcome == "handled"
    assert consumer.unreachable == {}
    assert letters.sent == []


async def test_a_service_without_its_database_yet_redelivers():
    consumer = consumer_with(Handler(), pool=None)
    consumer._deps = Host(None)

    with pytest.raises(NotReadyError):
        await consumer.process(message(), key="case-1", headers={})

    assert consumer.unreachable == {"postgres": "database not connected yet"}


async def test_a_database_that_came_up_is_no_longer_named_down_when_the_next_message_is_dead_lettered():
    letters = DeadLetters()
    consumer = consumer_with(Handler(*[ValueError("Solicitud no encontrada.")] * 5), letters=letters)
    pool = consumer._deps.pool
    consumer._deps = Host(None)
    with pytest.raises(NotReadyError):
        await consumer.process(message(), key="case-1", headers={})
    consumer._deps = Host(pool)

    outcome = await consumer.process(message(), key="case-2", headers={})

    assert outcome == "dead_lettered"
    assert consumer.unreachable == {}


async def test_a_database_that_refuses_connections_is_an_outage_whatever_the_driver_raises():
    consumer = consumer_with(Handler(), pool=FakePool(refuse=ConnectionRefusedError("connect call failed")))

    with pytest.raises(DependencyUnavailableError) as raised:
        await consumer.process(message(), key="case-1", headers={})

    assert raised.value.dependency == "postgres"
    assert "ConnectionRefusedError" in consumer.unreachable["postgres"]


async def test_a_dead_letter_that_kafka_cannot_take_waits_for_kafka_instead_of_being_dropped():
    letters = DeadLetters(refuse=ConnectionError("broker gone"))
    consumer = consumer_with(Handler(*[ValueError("bad")] * 5), letters=letters)

    with pytest.raises(DependencyUnavailableError):
        await consumer.process(message(), key="case-1", headers={})

    assert "kafka" in consumer.unreachable
    assert consumer.dead_lettered == 0


async def test_an_undecodable_message_is_dead_lettered_at_once():
    letters = DeadLetters()
    consumer = consumer_with(Handler(), letters=letters)

    outcome = await consumer.process(b"{not json", key="k", headers={})

    assert outcome == "dead_lettered"
    assert len(letters.sent) == 1


def test_dead_letters_waiting_make_health_degraded_but_not_unavailable():
    results = {
        "postgres": CheckResult(True, "connected"),
        "dead_letters": CheckResult(False, "dead letters waiting: 2 in cases.case.dlq.documents", degraded=True),
    }

    status, body = health_payload("documents", results)

    assert status == 200
    assert body["status"] == "degraded"
    assert body["checks"]["dead_letters"] == {
        "ok": False,
        "detail": "dead letters waiting: 2 in cases.case.dlq.documents",
        "degraded": True,
    }


def test_a_dependency_down_makes_health_unavailable_even_with_dead_letters():
    results = {
        "object_store": CheckResult(False, "cannot reach object_store: ..."),
        "dead_letters": CheckResult(False, "dead letters waiting: 1", degraded=True),
    }

    status, body = health_payload("documents", results)

    assert (status, body["status"]) == (503, "unavailable")


async def test_a_cancelled_consumer_stops_at_once_instead_of_retrying_its_handler():
    started = asyncio.Event()
    calls = 0

    async def slow(_envelope: Any, _event: Any, _uow: Any) -> None:
        nonlocal calls
        calls += 1
        started.set()
        await asyncio.sleep(30)

    consumer = consumer_with(slow)
    task = asyncio.create_task(consumer.process(message(), key="case-1", headers={}))
    await started.wait()

    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(task, 5)

    assert calls == 1

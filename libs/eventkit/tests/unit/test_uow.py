"""A unit of work: one transaction, its events into the outbox in envelopes that name their cause."""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
import pytest
from kit_fakes import FakeHost, FakePool

from contracts import decode, encode, topics
from contracts.events import CaseOpened
from eventkit import DependencyUnavailableError
from eventkit.consumer import Consumer, NotReadyError
from eventkit.messages import wrap
from eventkit.uow import UnitOfWork, open_unit

pytestmark = pytest.mark.unit


def case_opened() -> CaseOpened:
    return CaseOpened(case_id=uuid.uuid4(), oficio="OF-7", case_number="0007-2022-CTVC/HVC", ubigeo="090101")


def consumer_of(handler: Any, pool: FakePool) -> Consumer:
    async def no_dead_letters(*_args: Any) -> None:
        raise AssertionError("nothing should be dead-lettered")

    return Consumer(topics.CASES_CASE, "cases", {CaseOpened: handler}, FakeHost(pool), no_dead_letters, backoff_s=0)


async def test_an_event_emitted_in_a_committed_unit_of_work_is_in_the_outbox_in_its_envelope():
    pool, event = FakePool(), case_opened()

    async with open_unit(pool) as uow:
        await uow.emit(event, key=str(event.case_id))

    [(event_id, topic, key, kind, body)] = pool.outbox()
    envelope = decode(body)
    assert (topic, key, kind) == (topics.CASES_CASE, str(event.case_id), "CaseOpened")
    assert envelope.event_id == event_id and envelope.correlation_id == event_id
    assert msgspec.json.decode(envelope.payload, type=CaseOpened) == event
    assert pool.released == 1


async def test_nothing_is_emitted_when_the_work_fails():
    pool = FakePool()

    with pytest.raises(ValueError, match="bad case"):
        async with open_unit(pool) as uow:
            await uow.emit(case_opened(), key="k")
            raise ValueError("bad case")

    assert pool.outbox() == []
    assert (pool.rolled_back, pool.released) == (1, 1)


async def test_a_unit_of_work_opened_for_an_incoming_event_names_it_as_cause_and_keeps_its_correlation():
    pool, cause = FakePool(), wrap(case_opened(), key="case-1", correlation_id=uuid.uuid4())

    async with open_unit(pool, cause=cause) as uow:
        emitted = await uow.emit(case_opened(), key="case-1")

    assert emitted.causation_id == cause.event_id
    assert emitted.correlation_id == cause.correlation_id


async def test_a_request_correlation_id_is_carried_by_what_the_request_emits():
    pool, correlation = FakePool(), uuid.uuid4()

    async with open_unit(pool, correlation_id=correlation) as uow:
        emitted = await uow.emit(case_opened(), key="k")

    assert (emitted.correlation_id, emitted.causation_id) == (correlation, None)


async def test_without_a_pool_yet_the_service_is_not_ready():
    with pytest.raises(NotReadyError):
        async with open_unit(None):
            pass


async def test_a_pool_that_cannot_give_a_connection_is_an_outage_of_postgres():
    pool = FakePool(refuse=TimeoutError())

    with pytest.raises(DependencyUnavailableError) as raised:
        async with open_unit(pool):
            pass

    assert raised.value.dependency == "postgres"


async def test_a_consumer_hands_its_handler_a_unit_of_work_whose_events_are_caused_by_the_message():
    pool, seen = FakePool(), []
    incoming = wrap(case_opened(), key="case-1")

    async def on_case_opened(envelope: Any, event: CaseOpened, uow: UnitOfWork) -> None:
        seen.append(await uow.emit(event, key=envelope.key))

    outcome = await consumer_of(on_case_opened, pool).process(encode(incoming), key="case-1", headers={})

    assert outcome == "handled"
    assert [e.causation_id for e in seen] == [incoming.event_id]
    assert len(pool.outbox()) == 1
    assert [a for s, a in pool.committed if s.startswith("insert into inbox")] == [("cases", incoming.event_id)]

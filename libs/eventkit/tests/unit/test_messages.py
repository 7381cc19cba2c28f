"""Envelopes: causality is carried over, and unknown events are refused by name."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import msgspec
import pytest

from contracts import encode
from contracts.events import CaseOpened, CaseResolved
from eventkit.messages import UnknownEventError, read, wrap

pytestmark = pytest.mark.unit


def opened() -> CaseOpened:
    return CaseOpened(case_id=uuid.uuid4(), oficio="OF-1", case_number="0050-2022-CTVC/HVC", ubigeo="090101")


def test_a_caused_event_keeps_the_correlation_of_its_cause():
    cause = wrap(opened(), key="k")
    resolved = CaseResolved(
        case_id=uuid.uuid4(), case_number="0050-2022-CTVC/HVC", ubigeo="090101", conclusion="FUNDADO"
    )

    effect = wrap(resolved, key="k", cause=cause)

    assert effect.correlation_id == cause.correlation_id
    assert effect.causation_id == cause.event_id
    assert effect.event_id.version == 7


def test_reading_returns_the_typed_payload():
    payload = opened()

    envelope, event = read(encode(wrap(payload, key=str(payload.case_id))))

    assert event == payload
    assert envelope.type == "CaseOpened"
    assert envelope.occurred_at <= datetime.now(UTC)


def test_an_unknown_event_version_is_refused_by_name():
    envelope = msgspec.structs.replace(wrap(opened(), key="k"), version=99)

    with pytest.raises(UnknownEventError, match="CaseOpened v99"):
        read(encode(envelope))


def test_bytes_that_are_not_an_envelope_are_refused():
    with pytest.raises(msgspec.DecodeError):
        read(b"{not an envelope")

"""Wrap domain events in envelopes and read them back by type and version."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

import msgspec
from uuid6 import uuid7

from contracts import CATALOG, Envelope, Event, decode, spec_of


class UnknownEventError(Exception):
    """The envelope names a type/version this code does not know."""


def new_id() -> UUID:
    """A time-ordered UUIDv7, as the envelope requires."""
    return UUID(bytes=uuid7().bytes)


def wrap(payload: Event, *, key: str, cause: Envelope | None = None, correlation_id: UUID | None = None) -> Envelope:
    """Put a payload in a new envelope; a caused event inherits the cause's correlation id."""
    spec = spec_of(payload)
    event_id = new_id()
    return Envelope(
        event_id=event_id,
        type=spec.type,
        version=spec.version,
        occurred_at=datetime.now(UTC),
        correlation_id=cause.correlation_id if cause else (correlation_id or event_id),
        causation_id=cause.event_id if cause else None,
        key=key,
        payload=msgspec.Raw(msgspec.json.encode(payload)),
    )


def read(data: bytes) -> tuple[Envelope, Event]:
    """Decode an envelope and its payload; raises on anything malformed or unknown."""
    envelope = decode(data)
    spec = CATALOG.get((envelope.type, envelope.version))
    if spec is None:
        raise UnknownEventError(f"unknown event {envelope.type} v{envelope.version}")
    return envelope, msgspec.json.decode(envelope.payload, type=spec.struct)

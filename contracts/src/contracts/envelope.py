"""The one envelope every event travels in, and its codec."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec


class Envelope(msgspec.Struct, frozen=True, kw_only=True):
    """An event on the bus: identity, causality and the versioned payload.

    ``payload`` stays raw JSON until the reader knows ``type`` and ``version``,
    so a consumer can dead-letter a payload it cannot read without losing it.
    """

    event_id: UUID
    type: str
    version: int
    occurred_at: datetime
    correlation_id: UUID
    causation_id: UUID | None = None
    key: str
    payload: msgspec.Raw


_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder(Envelope)


def encode(envelope: Envelope) -> bytes:
    return _encoder.encode(envelope)


def decode(data: bytes) -> Envelope:
    """Decode an envelope; raises ``msgspec.ValidationError``/``DecodeError`` on bad input."""
    return _decoder.decode(data)

"""Event envelope, event catalog and topic names shared by every service."""

from contracts.envelope import Envelope, decode, encode
from contracts.events import CATALOG, Event, EventSpec, event, spec_of

__all__ = ["CATALOG", "Envelope", "Event", "EventSpec", "decode", "encode", "event", "spec_of"]

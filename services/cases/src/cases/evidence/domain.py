"""Evidence for a CTVC case: facts the system holds about a district, each with its source and date, never typed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal
from uuid import UUID

EvidenceGroup = Literal["ACCOUNTS", "REQUESTS", "TRAININGS", "COVERAGE"]


@dataclass(frozen=True)
class EvidenceItem:
    """One fact as a finding cites it: what it says, where it came from, as of when.

    ``key`` is stable for the same fact (a finding cites items by key, and a recomputation
    as of another date keeps the keys of the facts that remain). ``statement`` is the Spanish
    sentence printed in Anexo 02; it never holds a DNI, a phone or a personal e-mail.
    ``source_events`` are the ids of the events (or registry rows) the figure was computed
    from, so each can be traced back.
    """

    key: str
    group: EvidenceGroup
    statement: str
    source: str
    """Where the fact comes from, as a person reads it: ``Registro de capacitaciones del programa``."""
    dated: date | datetime
    """When the fact happened (an account issued, a session held, a padrón published)."""
    value: int | float | str | None = None
    source_events: tuple[UUID, ...] = field(default=())

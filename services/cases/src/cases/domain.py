"""Cases domain: the facts about allies' accounts that answer a CTVC case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID


@dataclass(frozen=True)
class AccountFact:
    """One change in an ally's access, as evidence: issued or revoked, and when."""

    event_id: UUID
    account_id: UUID
    kind: str
    occurred_at: datetime

    def __post_init__(self) -> None:
        if self.kind not in ("ISSUED", "REVOKED"):
            raise ValueError(f"unknown account fact {self.kind}")

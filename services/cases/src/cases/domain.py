"""Cases domain: the facts about allies' accounts and access requests that answer a CTVC case."""

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


@dataclass(frozen=True)
class RequestStep:
    """One step of an access request, as evidence: sent, approved, observed or rejected, and when."""

    event_id: UUID
    request_id: UUID
    step: str
    occurred_at: datetime
    attempt: int | None = None
    reason: str | None = None

    def __post_init__(self) -> None:
        if self.step not in ("ENVIADA", "APROBADA", "OBSERVADA", "RECHAZADA"):
            raise ValueError(f"unknown request step {self.step}")

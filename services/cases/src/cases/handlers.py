"""Use cases of the facts cases keeps as evidence: accounts, access requests, padrón versions, as announced."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol
from uuid import UUID

from cases.domain import AccountFact, RequestStep
from contracts import Envelope
from contracts.events import (
    AccessApproved,
    AccessObserved,
    AccessRejected,
    AccessRequested,
    CredentialsIssued,
    CredentialsRevoked,
    PadronPublished,
)


class AccountsRepo(Protocol):
    async def add_account(self, event: CredentialsIssued, event_id: UUID) -> None: ...
    async def mark_revoked(self, event: CredentialsRevoked, event_id: UUID) -> None: ...
    async def append_fact(self, fact: AccountFact) -> None: ...


class FactsRepo(Protocol):
    async def remember_request(self, event: AccessRequested) -> None: ...
    async def add_request_step(self, step: RequestStep) -> None: ...
    async def add_padron(self, event: PadronPublished, event_id: UUID, published_at: datetime) -> None: ...


async def record_account_issued(envelope: Envelope, event: CredentialsIssued, repo: AccountsRepo) -> None:
    await repo.add_account(event, envelope.event_id)
    await repo.append_fact(AccountFact(envelope.event_id, event.account_id, "ISSUED", event.issued_at))


async def record_account_revoked(envelope: Envelope, event: CredentialsRevoked, repo: AccountsRepo) -> None:
    await repo.mark_revoked(event, envelope.event_id)
    await repo.append_fact(AccountFact(envelope.event_id, event.account_id, "REVOKED", event.revoked_at))


async def record_request_sent(envelope: Envelope, event: AccessRequested, repo: FactsRepo) -> None:
    await repo.remember_request(event)
    step = RequestStep(envelope.event_id, event.request_id, "ENVIADA", envelope.occurred_at, attempt=event.attempt)
    await repo.add_request_step(step)


async def record_request_decided(
    envelope: Envelope, event: AccessApproved | AccessObserved | AccessRejected, repo: FactsRepo
) -> None:
    """A decision, as evidence of how long the district's request waited and how it ended."""
    if isinstance(event, AccessApproved):
        step = RequestStep(envelope.event_id, event.request_id, "APROBADA", envelope.occurred_at)
    elif isinstance(event, AccessObserved):
        reason = "; ".join(event.observations)
        step = RequestStep(envelope.event_id, event.request_id, "OBSERVADA", envelope.occurred_at, reason=reason)
    else:
        step = RequestStep(envelope.event_id, event.request_id, "RECHAZADA", envelope.occurred_at, reason=event.reason)
    await repo.add_request_step(step)


async def record_padron_published(envelope: Envelope, event: PadronPublished, repo: FactsRepo) -> None:
    await repo.add_padron(event, envelope.event_id, envelope.occurred_at)

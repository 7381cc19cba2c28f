"""Use cases of the cases service; they speak to a repository, never to a driver."""

from __future__ import annotations

from typing import Protocol

from cases.domain import AccountFact
from contracts import Envelope
from contracts.events import CredentialsIssued, CredentialsRevoked


class AccountsRepo(Protocol):
    async def add_account(self, event: CredentialsIssued) -> None: ...
    async def mark_revoked(self, event: CredentialsRevoked) -> None: ...
    async def append_fact(self, fact: AccountFact) -> None: ...


async def record_account_issued(envelope: Envelope, event: CredentialsIssued, repo: AccountsRepo) -> None:
    await repo.add_account(event)
    await repo.append_fact(AccountFact(envelope.event_id, event.account_id, "ISSUED", event.issued_at))


async def record_account_revoked(envelope: Envelope, event: CredentialsRevoked, repo: AccountsRepo) -> None:
    await repo.mark_revoked(event)
    await repo.append_fact(AccountFact(envelope.event_id, event.account_id, "REVOKED", event.revoked_at))

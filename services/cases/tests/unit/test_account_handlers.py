"""Cases keeps each ally account change as evidence (handlers with a fake repository)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from cases.domain import AccountFact
from cases.handlers import record_account_issued, record_account_revoked
from contracts.events import CredentialsIssued, CredentialsRevoked, Jurisdiction
from eventkit.messages import wrap

pytestmark = pytest.mark.unit


class FakeAccounts:
    def __init__(self):
        self.accounts: dict[uuid.UUID, dict] = {}
        self.facts: list[AccountFact] = []

    async def add_account(self, event: CredentialsIssued, event_id: uuid.UUID) -> None:
        self.accounts.setdefault(event.account_id, {})["issued"] = event.issued_at

    async def mark_revoked(self, event: CredentialsRevoked, event_id: uuid.UUID) -> None:
        self.accounts.setdefault(event.account_id, {})["revoked"] = event.revoked_at

    async def append_fact(self, fact: AccountFact) -> None:
        self.facts.append(fact)


JURISDICTION = Jurisdiction(ally_type="GOBIERNO_LOCAL", ubigeo="090101")


async def test_an_issued_then_revoked_account_leaves_two_facts():
    repo, account_id, now = FakeAccounts(), uuid.uuid4(), datetime.now(UTC)
    issued = CredentialsIssued(
        account_id=account_id, username="u", jurisdiction=JURISDICTION, request_id=uuid.uuid4(), issued_at=now
    )
    revoked = CredentialsRevoked(
        account_id=account_id,
        username="u",
        jurisdiction=JURISDICTION,
        request_id=uuid.uuid4(),
        reason="Nueva autoridad",
        revoked_at=now,
    )

    await record_account_issued(wrap(issued, key=str(account_id)), issued, repo)
    await record_account_revoked(wrap(revoked, key=str(account_id)), revoked, repo)

    assert [f.kind for f in repo.facts] == ["ISSUED", "REVOKED"]
    assert repo.accounts[account_id] == {"issued": now, "revoked": now}


def test_an_unknown_kind_of_fact_is_refused():
    with pytest.raises(ValueError, match="unknown account fact"):
        AccountFact(uuid.uuid4(), uuid.uuid4(), "SUSPENDED", datetime.now(UTC))

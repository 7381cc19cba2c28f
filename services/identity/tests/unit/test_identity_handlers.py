"""Issuing credentials and logging in, with fake repositories and hasher (no servers)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import msgspec
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from authkit import Signer, Verifier
from contracts import Event
from contracts.events import AccessApproved, CredentialsIssued, CredentialsRevoked, Jurisdiction
from identity import domain, handlers
from identity.adapters.registries import FileAuthorityRegister
from identity.letters import Mail

pytestmark = pytest.mark.unit

NOW = datetime(2025, 6, 1, 15, 0, tzinfo=UTC)


class FakeHasher:
    async def hash(self, password: str) -> str:
        return f"hashed:{password}"

    async def verify(self, password_hash: str, password: str) -> bool:
        return password_hash == f"hashed:{password}"

    async def verify_dummy(self, password: str) -> None:
        await self.verify("hashed:dummy", password)


class FakeAccounts:
    """Credentials, revocations, outbox and mail outbox in memory: one repository serving every handler."""

    def __init__(self) -> None:
        self.accounts: dict[uuid.UUID, tuple[domain.Account, str]] = {}
        self.revoked: set[uuid.UUID] = set()
        self.events: list[Event] = []
        self.mails: list[Mail] = []
        self.guards: dict[tuple[str, str], domain.LoginGuard] = {}
        self.audit: list[str] = []

    async def add_mail(self, mail: Mail, account_id: uuid.UUID) -> str:
        self.mails.append(mail)
        return f"<{len(self.mails)}@test>"

    @property
    def credentials_mails(self) -> list[Mail]:
        """The letters to the responsible person (the authority's notice is the other kind)."""
        return [m for m in self.mails if m.to == "rosa@example.pe"]

    async def emit(self, payload: Event, key: str) -> None:
        self.events.append(payload)

    async def lock_jurisdiction(self, code: str) -> None:
        return None

    async def account_of_request(self, request_id: uuid.UUID) -> uuid.UUID | None:
        return next((a.account_id for a, _ in self.accounts.values() if a.request_id == request_id), None)

    async def active_accounts(self, jurisdiction: Jurisdiction) -> list[domain.Account]:
        code = domain.jurisdiction_code(jurisdiction)
        return [
            a
            for a, _ in self.accounts.values()
            if domain.jurisdiction_code(a.jurisdiction) == code and a.account_id not in self.revoked
        ]

    async def count_usernames(self, base: str) -> int:
        return sum(1 for a, _ in self.accounts.values() if a.username == base or a.username.startswith(base + "-"))

    async def add_account(self, account: domain.Account, password_hash: str, issued_at: datetime) -> None:
        self.accounts[account.account_id] = (account, password_hash)

    async def add_revocation(self, account_id: uuid.UUID, reason: str, cause: uuid.UUID, at: datetime) -> None:
        self.revoked.add(account_id)

    async def find_login(self, username: str) -> domain.LoginAccount | None:
        for account, password_hash in self.accounts.values():
            if account.username == username:
                return domain.LoginAccount(
                    sub=str(account.account_id),
                    username=username,
                    role="ALLY",
                    password_hash=password_hash,
                    jurisdiction=account.jurisdiction,
                    revoked=account.account_id in self.revoked,
                )
        return None

    async def is_active(self, sub: uuid.UUID, role: str) -> bool:
        return sub in self.accounts and sub not in self.revoked

    async def hold_guard(self, kind: domain.GuardKind, key: str) -> domain.LoginGuard:
        return self.guards.get((kind, key), domain.LoginGuard(kind, key))

    async def save_guard(self, guard: domain.LoginGuard) -> None:
        self.guards[(guard.kind, guard.key)] = guard

    async def record_login(
        self, attempt_username: str, account: domain.LoginAccount | None, address: str | None, outcome: str, at
    ) -> None:
        self.audit.append(outcome)


def approved(jurisdiction: Jurisdiction) -> AccessApproved:
    return AccessApproved(
        request_id=uuid.uuid4(),
        code="SOL-2025-000900",
        evaluator_id="evaluador",
        jurisdiction=jurisdiction,
        responsible_names="ROJAS HUAMÁN, ROSA",
        responsible_email="rosa@example.pe",
        authority_names="QUISPE MAMANI, JUAN",
        authority_email="alcalde@example.pe",
    )


async def issue(repo: FakeAccounts, event: AccessApproved) -> handlers.Issued | None:
    return await handlers.issue_credentials(
        event, repo, FileAuthorityRegister(), FakeHasher(), public_url="http://x", now=NOW
    )


def password_in(mail: Mail) -> str:
    return mail.body.split("Contraseña:", 1)[1].split()[0]


async def test_an_entity_account_takes_its_name_from_the_register_when_the_approval_lacks_it():
    repo = FakeAccounts()

    issued = await issue(repo, approved(Jurisdiction(ally_type="OTRO_ALIADO", entity_ruc="20000802256")))

    assert issued.account.username == "oa20000802256"
    assert issued.account.jurisdiction.entity_name == "CENTRO DE SALUD MENTAL COMUNITARIO DE HUAMANGA"
    assert "CENTRO DE SALUD MENTAL COMUNITARIO DE HUAMANGA (RUC 20000802256)" in repo.credentials_mails[0].body
    assert [type(e) for e in repo.events] == [CredentialsIssued]


async def test_a_second_approval_of_the_same_request_issues_nothing():
    repo = FakeAccounts()
    event = approved(Jurisdiction(ally_type="GOBIERNO_REGIONAL", ubigeo="09"))

    first = await issue(repo, event)
    second = await issue(repo, event)

    assert first is not None and second is None
    assert len(repo.accounts) == 1 and len(repo.mails) == 2


async def test_a_third_account_of_a_district_revokes_the_second_and_gets_the_suffix_3():
    repo = FakeAccounts()
    district = Jurisdiction(ally_type="GOBIERNO_LOCAL", ubigeo="090101")

    issued = [await issue(repo, approved(district)) for _ in range(3)]

    assert [i.account.username for i in issued] == ["gl090101", "gl090101-2", "gl090101-3"]
    assert [a.username for a in issued[2].revoked] == ["gl090101-2"]
    revocations = [e for e in repo.events if isinstance(e, CredentialsRevoked)]
    assert [(r.username, r.reason) for r in revocations] == [
        ("gl090101", domain.REVOKED_BY_NEW_REQUEST),
        ("gl090101-2", domain.REVOKED_BY_NEW_REQUEST),
    ]


async def test_the_mailed_password_logs_in_and_a_revoked_account_does_not():
    repo, hasher = FakeAccounts(), FakeHasher()
    signer = Signer(Ed25519PrivateKey.generate())
    district = Jurisdiction(ally_type="GOBIERNO_LOCAL", ubigeo="090102")
    await issue(repo, approved(district))
    first_password = password_in(repo.credentials_mails[0])
    token = (await handlers.log_in(attempt("gl090102", first_password), repo, hasher, signer)).token

    await issue(repo, approved(district))

    assert Verifier(signer.public_key).verify(token).ubigeo == "090102"
    refused = await handlers.log_in(attempt("gl090102", first_password), repo, hasher, signer)
    assert (refused.outcome, refused.token) == ("revoked", None)
    assert await handlers.introspect(token, Verifier(signer.public_key), repo) is None
    assert (
        await handlers.log_in(attempt("gl090102-2", password_in(repo.credentials_mails[1])), repo, hasher, signer)
    ).token


def attempt(username: str, password: str, address: str | None = None, at: datetime = NOW) -> handlers.LoginAttempt:
    return handlers.LoginAttempt(username=username, password=password, address=address, at=at)


class CountingHasher(FakeHasher):
    def __init__(self) -> None:
        self.verifications = 0

    async def verify(self, password_hash: str, password: str) -> bool:
        self.verifications += 1
        return await super().verify(password_hash, password)


async def test_every_attempt_runs_one_password_verification_whether_the_user_exists_is_wrong_or_locked():
    repo, hasher = FakeAccounts(), CountingHasher()
    signer = Signer(Ed25519PrivateKey.generate())
    await issue(repo, approved(Jurisdiction(ally_type="GOBIERNO_LOCAL", ubigeo="090103")))
    right = password_in(repo.credentials_mails[0])

    outcomes = []
    for username, password in [("gl999999", "x")] + [("gl090103", "mal")] * 5 + [("gl090103", right)]:
        before = hasher.verifications
        outcomes.append((await handlers.log_in(attempt(username, password), repo, hasher, signer)).outcome)
        assert hasher.verifications == before + 1

    assert outcomes == ["unknown", "wrong", "wrong", "wrong", "wrong", "wrong", "locked"]
    assert repo.audit == outcomes


async def test_a_login_clears_its_accounts_failures_but_not_its_addresss():
    repo, hasher = FakeAccounts(), FakeHasher()
    signer = Signer(Ed25519PrivateKey.generate())
    await issue(repo, approved(Jurisdiction(ally_type="GOBIERNO_LOCAL", ubigeo="090104")))
    right = password_in(repo.credentials_mails[0])
    for _ in range(3):
        await handlers.log_in(attempt("gl090104", "mal", "203.0.113.7"), repo, hasher, signer)

    result = await handlers.log_in(attempt("gl090104", right, "203.0.113.7"), repo, hasher, signer)

    assert result.outcome == "ok"
    sub = str(next(iter(repo.accounts)))
    assert repo.guards[("account", sub)].failures == 0
    assert repo.guards[("address", "203.0.113.7")].failures == 3


async def test_the_password_goes_to_the_responsible_alone_and_the_authority_gets_a_notice_without_it():
    repo = FakeAccounts()

    issued = await issue(repo, approved(Jurisdiction(ally_type="GOBIERNO_LOCAL", ubigeo="090105")))
    letter, notice = repo.mails
    password = password_in(letter)

    assert (letter.to, letter.cc) == ("rosa@example.pe", None)
    assert (notice.to, notice.cc) == ("alcalde@example.pe", None)
    assert password not in notice.body and "Contraseña" not in notice.body
    assert f"Usuario:      {issued.account.username}" in notice.body and "ROJAS HUAMÁN, ROSA" in notice.body
    assert "SOL-2025-000900" in notice.body and "SOL-2025-000900" not in notice.subject


async def test_an_approval_without_the_authoritys_e_mail_queues_only_the_credentials():
    repo = FakeAccounts()
    event = msgspec.structs.replace(
        approved(Jurisdiction(ally_type="GOBIERNO_LOCAL", ubigeo="090106")), authority_email=""
    )

    await issue(repo, event)

    assert [m.to for m in repo.mails] == ["rosa@example.pe"]

"""Use cases of identity; they speak to registries, repositories, a hasher and a mailer, never to a driver."""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal, Protocol

import msgspec
import structlog

from authkit import Claims, TokenError
from contracts import Event
from contracts.events import (
    AccessApproved,
    AccessRequested,
    AuthorityVerified,
    CredentialsIssued,
    CredentialsRevoked,
    Jurisdiction,
)
from identity import domain
from identity.domain import (
    REGISTER_NAME,
    REVOKED_BY_NEW_REQUEST,
    Account,
    Authority,
    AuthorityKind,
    GuardKind,
    InvalidJurisdictionError,
    LoginAccount,
    LoginGuard,
    RegisteredEntity,
    StaffDraft,
    StaffRecord,
    StaffRole,
    Verdict,
)
from identity.letters import Mail, QueuedMail, authority_notice, credentials_letter, staff_letter

log = structlog.get_logger(__name__)


# Ports ------------------------------------------------------------------------


class CitizenRegistry(Protocol):
    def find(self, dni: str) -> str | None: ...


class AuthorityRegister(Protocol):
    def current(self, kind: AuthorityKind, jurisdiction: str, on_date: date) -> Authority | None: ...
    def entities(self) -> list[RegisteredEntity]: ...


class Outbox(Protocol):
    async def emit(self, payload: Event, key: str) -> None:
        """Add ``payload`` to the outbox, in the open transaction."""


class ChecksRepo(Outbox, Protocol):
    async def record_check(self, request_id: uuid.UUID, attempt: int, verdict: Verdict) -> bool:
        """False when this attempt of the request was already checked."""


class CredentialsRepo(Outbox, Protocol):
    async def lock_jurisdiction(self, code: str) -> None: ...
    async def account_of_request(self, request_id: uuid.UUID) -> uuid.UUID | None: ...
    async def active_accounts(self, jurisdiction: Jurisdiction) -> list[Account]: ...
    async def count_usernames(self, base: str) -> int: ...
    async def add_account(self, account: Account, password_hash: str, issued_at: datetime) -> None: ...
    async def add_revocation(self, account_id: uuid.UUID, reason: str, cause: uuid.UUID, at: datetime) -> None: ...
    async def add_mail(self, mail: Mail, account_id: uuid.UUID) -> str:
        """Queue ``mail`` in the mail outbox, in the open transaction; returns its Message-ID."""


class LoginRepo(Protocol):
    async def find_login(self, username: str) -> LoginAccount | None: ...
    async def is_active(self, sub: uuid.UUID, role: str) -> bool: ...


class StaffRepo(Protocol):
    async def find_login(self, username: str) -> LoginAccount | None: ...
    async def put_staff(
        self, username: str, role: StaffRole, password_hash: str, region: str | None = None, unit: str | None = None
    ) -> None: ...


class StaffAdminRepo(Protocol):
    async def is_active(self, sub: uuid.UUID, role: str) -> bool: ...
    async def usernames_like(self, base: str) -> set[str]:
        """``base`` and ``base<n>`` already taken, locked for the open transaction."""

    async def add_staff(self, staff: StaffRecord, password_hash: str) -> None: ...
    async def add_staff_mail(self, mail: Mail, staff_id: uuid.UUID) -> str: ...
    async def staff(self, staff_id: uuid.UUID) -> StaffRecord | None: ...
    async def list_staff(self) -> list[StaffRecord]: ...
    async def add_staff_revocation(self, staff_id: uuid.UUID, reason: str, by: str, at: datetime) -> None: ...
    async def find_login(self, username: str) -> LoginAccount | None: ...
    async def clear_guard(self, kind: GuardKind, key: str) -> int:
        """Forget the guard's failures and lock; returns how many failures it had."""


class PasswordHasher(Protocol):
    async def hash(self, password: str) -> str: ...
    async def verify(self, password_hash: str, password: str) -> bool: ...
    async def verify_dummy(self, password: str) -> None: ...


class MailQueue(Protocol):
    """The mail outbox as its sender sees it, inside one open transaction."""

    async def next_due(self, now: datetime) -> QueuedMail | None:
        """The oldest pending mail due by ``now``, held so no other sender takes it until the transaction ends."""

    async def mark_sent(self, message_id: str, at: datetime) -> None:
        """Sent: the sealed body (it holds the password) is erased."""

    async def mark_failed(self, message_id: str, error: str, retry_at: datetime) -> None: ...


class MailCipher(Protocol):
    def open(self, message_id: str, sealed: bytes) -> str: ...


class Mailer(Protocol):
    async def send(self, mail: Mail, *, message_id: str, written_at: datetime) -> None:
        """Hand ``mail`` to the SMTP server; returns once the server has accepted it."""


class TokenSigner(Protocol):
    def sign(self, claims: Claims) -> str: ...


class TokenVerifier(Protocol):
    def verify(self, token: str) -> Claims: ...


# Authority check --------------------------------------------------------------


def check_authority(event: AccessRequested, register: AuthorityRegister, today: date) -> Verdict:
    """Does the DNI the request declares belong to the authority in office today?"""
    try:
        target = domain.authority_target(event.jurisdiction)
    except InvalidJurisdictionError as exc:
        return domain.invalid_jurisdiction_verdict(exc, today)
    authority = register.current(target.kind, target.code, today)
    if authority is not None and authority.entity_name:
        target = domain.authority_target(event.jurisdiction, authority.entity_name)
    return domain.judge(target, authority, event.authority.dni, today)


async def verify_authority(
    event: AccessRequested, register: AuthorityRegister, repo: ChecksRepo, today: date
) -> Verdict | None:
    """Check the authority of one attempt of a request and say so on the bus; None if already checked."""
    verdict = check_authority(event, register, today)
    if not await repo.record_check(event.request_id, event.attempt, verdict):
        log.info("authority_already_checked", request_id=str(event.request_id), attempt=event.attempt)
        return None
    await repo.emit(
        AuthorityVerified(
            request_id=event.request_id,
            attempt=event.attempt,
            result=verdict.result,
            register=REGISTER_NAME,
            period=verdict.period,
            reason=verdict.reason,
        ),
        key=str(event.request_id),
    )
    log.info("authority_checked", request_id=str(event.request_id), attempt=event.attempt, result=verdict.result)
    return verdict


# Credentials ------------------------------------------------------------------


@dataclass(frozen=True)
class Issued:
    account: Account
    revoked: list[Account]


async def issue_credentials(
    event: AccessApproved,
    repo: CredentialsRepo,
    register: AuthorityRegister,
    hasher: PasswordHasher,
    *,
    public_url: str,
    now: datetime,
) -> Issued | None:
    """One account per approved request, its password queued for the responsible alone and a notice without it
    for the authority; the jurisdiction's previous one is revoked.

    Returns None when the request already has its account (a second approval event of the same request).
    """
    jurisdiction = _with_entity_name(event.jurisdiction, register)
    base = domain.username_base(jurisdiction)
    # Serialises approvals of one jurisdiction: one active account, and usernames counted once.
    await repo.lock_jurisdiction(base)
    if await repo.account_of_request(event.request_id) is not None:
        log.info("credentials_already_issued", request_id=str(event.request_id))
        return None
    previous = await repo.active_accounts(jurisdiction)
    username = domain.username_for(jurisdiction, await repo.count_usernames(base))
    password = domain.new_password()
    account = Account(uuid.uuid4(), username, jurisdiction, event.request_id)
    await repo.add_account(account, await hasher.hash(password), now)
    for old in previous:
        await repo.add_revocation(old.account_id, REVOKED_BY_NEW_REQUEST, event.request_id, now)
        await repo.emit(
            CredentialsRevoked(
                account_id=old.account_id,
                username=old.username,
                jurisdiction=old.jurisdiction,
                request_id=old.request_id,
                reason=REVOKED_BY_NEW_REQUEST,
                revoked_at=now,
            ),
            key=str(old.account_id),
        )
        log.info("credentials_revoked", account_id=str(old.account_id), cause_request_id=str(event.request_id))
    await repo.emit(
        CredentialsIssued(
            account_id=account.account_id,
            username=username,
            jurisdiction=jurisdiction,
            request_id=event.request_id,
            issued_at=now,
        ),
        key=str(account.account_id),
    )
    # Queued in this transaction, sent after it commits (send_next_mail): the account and its one letter
    # exist together or not at all, and a resend repeats that letter instead of inventing a new password.
    message_id = await repo.add_mail(
        credentials_letter(event, jurisdiction, username, password, public_url), account.account_id
    )
    notice = authority_notice(event, jurisdiction, username)
    if notice is not None:
        await repo.add_mail(notice, account.account_id)
    log.info(
        "credentials_issued",
        account_id=str(account.account_id),
        request_id=str(event.request_id),
        message_id=message_id,
    )
    return Issued(account, previous)


def _with_entity_name(j: Jurisdiction, register: AuthorityRegister) -> Jurisdiction:
    if j.ally_type != "OTRO_ALIADO" or j.entity_name:
        return j
    names = {e.ruc: e.name for e in register.entities()}
    return msgspec.structs.replace(j, entity_name=names.get(j.entity_ruc or ""))


# Mail outbox ------------------------------------------------------------------

MailOutcome = Literal["sent", "failed"]


async def send_next_mail(queue: MailQueue, cipher: MailCipher, mailer: Mailer, now: datetime) -> MailOutcome | None:
    """Send the oldest due mail of the outbox; None when nothing is due.

    It is marked sent, and its secret erased, only after the SMTP server accepted it: a crash in between
    leaves it pending, and the next attempt sends the very same message (same Message-ID, same body).
    A failure keeps it pending and retries it later, each time after a longer pause.
    """
    queued = await queue.next_due(now)
    if queued is None:
        return None
    try:
        mail = queued.opened(cipher.open(queued.message_id, queued.sealed_body))
        await mailer.send(mail, message_id=queued.message_id, written_at=queued.written_at)
    except Exception as exc:  # noqa: BLE001 - whatever went wrong, the mail stays pending and is retried
        failures = queued.attempts + 1
        error = _failure(exc)
        await queue.mark_failed(queued.message_id, error, now + domain.mail_retry_delay(failures))
        log.warning("mail_send_failed", message_id=queued.message_id, attempts=failures, error=error)
        return "failed"
    await queue.mark_sent(queued.message_id, now)
    log.info("mail_sent", message_id=queued.message_id, attempts=queued.attempts + 1)
    return "sent"


def _failure(exc: Exception) -> str:
    """What went wrong, without the exception's text: SMTP errors quote the refused addresses."""
    code = getattr(exc, "code", None)
    return f"{type(exc).__name__} {code}" if isinstance(code, int) else type(exc).__name__


# Login and tokens -------------------------------------------------------------


class LoginRefusedError(Exception):
    """Unknown user, wrong password, locked or revoked account: the caller never learns which."""

    def __init__(self) -> None:
        super().__init__(domain.LOGIN_REFUSED)


class LoginGuardRepo(LoginRepo, Protocol):
    async def hold_guard(self, kind: GuardKind, key: str) -> LoginGuard:
        """The guard (a fresh one when there is none), held until the transaction ends."""

    async def save_guard(self, guard: LoginGuard) -> None: ...
    async def record_login(
        self, attempt_username: str, account: LoginAccount | None, address: str | None, outcome: str, at: datetime
    ) -> None:
        """One row of the login audit: never the password; the typed username only as a keyed hash."""


@dataclass(frozen=True)
class LoginAttempt:
    """What a person typed, from where (the address the gateway vouches for, when it says), and when."""

    username: str
    password: str
    address: str | None
    at: datetime


@dataclass(frozen=True)
class LoginResult:
    outcome: domain.LoginOutcome
    account: LoginAccount | None
    token: str | None = None


async def log_in(
    attempt: LoginAttempt, repo: LoginGuardRepo, hasher: PasswordHasher, signer: TokenSigner
) -> LoginResult:
    """A signed token for a live, unlocked account whose password matches; the result says why not otherwise.

    Every attempt runs exactly one argon2 verification (a dummy hash for an unknown user, the real one for a
    locked account too), so neither the answer nor its time tells an unknown user from a wrong password or a
    lock. The caller commits the guards' changes and the audit's row even when it refuses.
    """
    account = await repo.find_login(attempt.username)
    guards = []
    # Always in this order (account, then address), so two attempts never wait on each other's rows.
    if account is not None:
        guards.append(await repo.hold_guard("account", account.sub))
    if attempt.address:
        guards.append(await repo.hold_guard("address", attempt.address))
    if account is None:
        await hasher.verify_dummy(attempt.password)
        password_ok = False
    else:
        password_ok = await hasher.verify(account.password_hash, attempt.password)
    outcome = domain.login_outcome(account, password_ok, guards, attempt.at)
    for guard in domain.guards_after(outcome, guards, attempt.at):
        await repo.save_guard(guard)
        if guard.locked_until is not None:
            log.warning("login_locked", kind=guard.kind, failures=guard.failures, until=guard.locked_until.isoformat())
    await repo.record_login(attempt.username, account, attempt.address, outcome, attempt.at)
    sub = account.sub if account else None
    if outcome != "ok" or account is None:
        log.info("login_refused", reason=outcome, sub=sub)
        return LoginResult(outcome, account)
    j = account.jurisdiction
    claims = Claims(
        sub=account.sub,
        username=account.username,
        role=account.role,
        ally_type=j.ally_type if j else None,
        ubigeo=j.ubigeo if j else account.region,
        entity_ruc=j.entity_ruc if j else None,
        unit=account.unit,
    )
    log.info("login_accepted", sub=account.sub, role=account.role)
    return LoginResult(outcome, account, signer.sign(claims))


async def introspect(token: str, verifier: TokenVerifier, repo: LoginRepo) -> Claims | None:
    """The token's claims while it is genuine, unexpired and its account still live; otherwise None."""
    try:
        claims = verifier.verify(token)
        sub = uuid.UUID(claims.sub)
    except (TokenError, ValueError):
        return None
    if not await repo.is_active(sub, claims.role):
        return None
    return claims


async def ensure_demo_staff(password: str, repo: StaffRepo, hasher: PasswordHasher) -> None:
    """The demo evaluator, administrator, CTVC and analyst exist and take ``password`` (idempotent)."""
    for demo in domain.DEMO_STAFF:
        existing = await repo.find_login(demo.username)
        if (
            existing
            and (existing.role, existing.region, existing.unit) == (demo.role, demo.region, demo.unit)
            and await hasher.verify(existing.password_hash, password)
        ):
            continue
        await repo.put_staff(demo.username, demo.role, await hasher.hash(password), demo.region, demo.unit)
        log.info("demo_staff_ready", username=demo.username, role=demo.role)


# Staff accounts created by an administrator ---------------------------------


class NotAdminError(Exception):
    """The caller has no live administrator's session."""


class StaffNotFoundError(Exception):
    """No staff account has that id."""


class CannotRevokeSelfError(Exception):
    """An administrator asked to revoke its own account."""


async def admin_of(token: str, verifier: TokenVerifier, repo: StaffAdminRepo) -> Claims:
    """The claims of a live ADMIN's token; NotAdminError otherwise (a CTVC, analyst, ally or a dead token)."""
    claims = await introspect(token, verifier, repo)
    if claims is None or claims.role != "ADMIN":
        raise NotAdminError
    return claims


async def create_staff(
    draft: StaffDraft,
    admin: Claims,
    repo: StaffAdminRepo,
    hasher: PasswordHasher,
    *,
    public_url: str,
    now: datetime,
) -> StaffRecord:
    """A new staff account with a generated username and password; the password goes out once, by e-mail."""
    base = domain.staff_username_base(draft)
    username = domain.staff_username(base, await repo.usernames_like(base))
    password = domain.new_password()
    staff = StaffRecord(
        staff_id=uuid.uuid4(),
        username=username,
        role=draft.role,
        region=draft.region,
        unit=draft.unit,
        full_name=draft.full_name,
        email=draft.email,
        created_at=now,
        created_by=admin.sub,
    )
    await repo.add_staff(staff, await hasher.hash(password))
    scope = domain.describe_staff_scope(draft.role, draft.region, draft.unit)
    letter = staff_letter(
        draft.full_name, draft.email, domain.CREATABLE_STAFF_ROLES[draft.role], scope, username, password, public_url
    )
    message_id = await repo.add_staff_mail(letter, staff.staff_id)
    log.info("staff_created", staff_id=str(staff.staff_id), role=staff.role, by=admin.sub, message_id=message_id)
    return staff


async def revoke_staff(
    staff_id: uuid.UUID, reason: str, admin: Claims, repo: StaffAdminRepo, *, now: datetime
) -> StaffRecord:
    """Revoke a staff account (its live tokens stop working at once); a revoked one stays as it was."""
    if str(staff_id) == admin.sub:
        raise CannotRevokeSelfError
    staff = await repo.staff(staff_id)
    if staff is None:
        raise StaffNotFoundError
    if staff.revoked_at is not None:
        return staff
    await repo.add_staff_revocation(staff_id, reason, admin.sub, now)
    log.info("staff_revoked", staff_id=str(staff_id), by=admin.sub)
    return dataclasses.replace(staff, revoked_at=now, revoked_reason=reason, revoked_by=admin.sub)


# Unlocking an account locked by guessed passwords ---------------------------


class AccountNotFoundError(Exception):
    """No ally or staff account has that username."""


@dataclass(frozen=True)
class Unlocked:
    username: str
    failures_cleared: int


async def unlock_account(username: str, admin: Claims, repo: StaffAdminRepo) -> Unlocked:
    """An administrator lets an account log in again at once (its address, if locked, stays locked)."""
    account = await repo.find_login(username)
    if account is None:
        raise AccountNotFoundError
    failures = await repo.clear_guard("account", account.sub)
    log.info("login_unlocked", sub=account.sub, failures_cleared=failures, by=admin.sub)
    return Unlocked(account.username, failures)

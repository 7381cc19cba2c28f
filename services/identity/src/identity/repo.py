"""asyncpg repositories of identity: plain SQL, rows in and out, events into the outbox."""

from __future__ import annotations

import hashlib
import hmac
import re
import uuid
from datetime import datetime

import asyncpg

from contracts import Event
from contracts.events import Jurisdiction
from eventkit.uow import UnitOfWork
from identity.adapters.mail_outbox import MailBox
from identity.domain import Account, GuardKind, LoginAccount, LoginGuard, StaffRecord, StaffRole, Verdict
from identity.letters import Mail

Db = asyncpg.Connection | asyncpg.Pool


class _InUnit:
    """A repository inside the kit's unit of work: its SQL on ``uow.conn``, its events into ``uow``'s outbox."""

    def __init__(self, uow: UnitOfWork):
        self._uow = uow
        self._conn = uow.conn

    async def emit(self, payload: Event, key: str) -> None:
        await self._uow.emit(payload, key)


class ChecksPgRepo(_InUnit):
    async def record_check(self, request_id: uuid.UUID, attempt: int, verdict: Verdict) -> bool:
        inserted = await self._conn.fetchval(
            "insert into authority_checks (request_id, attempt, result, reason) values ($1, $2, $3, $4)"
            " on conflict do nothing returning true",
            request_id,
            attempt,
            verdict.result,
            verdict.reason,
        )
        return bool(inserted)


_ACCOUNT_COLUMNS = "c.account_id, c.username, c.ally_type, c.ubigeo, c.entity_ruc, c.entity_name, c.request_id"


def _jurisdiction(row: asyncpg.Record) -> Jurisdiction:
    return Jurisdiction(
        ally_type=row["ally_type"], ubigeo=row["ubigeo"], entity_ruc=row["entity_ruc"], entity_name=row["entity_name"]
    )


class CredentialsPgRepo(_InUnit):
    def __init__(self, uow: UnitOfWork, mail_box: MailBox):
        super().__init__(uow)
        self._mail_box = mail_box

    async def add_mail(self, mail: Mail, account_id: uuid.UUID) -> str:
        return await self._mail_box.add(self._conn, mail, account_id)

    async def lock_jurisdiction(self, code: str) -> None:
        await self._conn.execute("select pg_advisory_xact_lock(hashtext('identity.credentials:' || $1))", code)

    async def account_of_request(self, request_id: uuid.UUID) -> uuid.UUID | None:
        return await self._conn.fetchval("select account_id from credentials where request_id = $1", request_id)

    async def active_accounts(self, jurisdiction: Jurisdiction) -> list[Account]:
        column = "entity_ruc" if jurisdiction.ally_type == "OTRO_ALIADO" else "ubigeo"
        rows = await self._conn.fetch(
            f"select {_ACCOUNT_COLUMNS} from credentials c where c.ally_type = $1 and c.{column} = $2"
            " and not exists (select 1 from credential_revocations r where r.account_id = c.account_id)"
            " order by c.issued_at",
            jurisdiction.ally_type,
            getattr(jurisdiction, column),
        )
        return [Account(r["account_id"], r["username"], _jurisdiction(r), r["request_id"]) for r in rows]

    async def count_usernames(self, base: str) -> int:
        return await self._conn.fetchval(
            "select count(*) from credentials where username = $1 or username like $1 || '-%'", base
        )

    async def add_account(self, account: Account, password_hash: str, issued_at: datetime) -> None:
        j = account.jurisdiction
        await self._conn.execute(
            "insert into credentials (account_id, username, password_hash, ally_type, ubigeo, entity_ruc,"
            " entity_name, request_id, issued_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            account.account_id,
            account.username,
            password_hash,
            j.ally_type,
            j.ubigeo if j.ally_type != "OTRO_ALIADO" else None,
            j.entity_ruc if j.ally_type == "OTRO_ALIADO" else None,
            j.entity_name if j.ally_type == "OTRO_ALIADO" else None,
            account.request_id,
            issued_at,
        )

    async def add_revocation(self, account_id: uuid.UUID, reason: str, cause: uuid.UUID, at: datetime) -> None:
        await self._conn.execute(
            "insert into credential_revocations (account_id, reason, revoked_at, cause_request_id)"
            " values ($1, $2, $3, $4)",
            account_id,
            reason,
            at,
            cause,
        )


class LoginPgRepo:
    """Reads accounts for login and introspection; works on a pool or a connection."""

    def __init__(self, db: Db):
        self._db = db

    async def find_login(self, username: str) -> LoginAccount | None:
        row = await self._db.fetchrow(
            f"select {_ACCOUNT_COLUMNS}, c.password_hash,"
            " exists (select 1 from credential_revocations r where r.account_id = c.account_id) as revoked"
            " from credentials c where c.username = $1",
            username,
        )
        if row is not None:
            return LoginAccount(
                sub=str(row["account_id"]),
                username=row["username"],
                role="ALLY",
                password_hash=row["password_hash"],
                jurisdiction=_jurisdiction(row),
                revoked=row["revoked"],
            )
        row = await self._db.fetchrow(
            "select s.staff_id, s.username, s.role, s.password_hash, s.region, s.unit,"
            " exists (select 1 from staff_revocations r where r.staff_id = s.staff_id) as revoked"
            " from staff_accounts s where s.username = $1",
            username,
        )
        if row is None:
            return None
        return LoginAccount(
            sub=str(row["staff_id"]),
            username=row["username"],
            role=row["role"],
            password_hash=row["password_hash"],
            revoked=row["revoked"],
            region=row["region"],
            unit=row["unit"],
        )

    async def is_active(self, sub: uuid.UUID, role: str) -> bool:
        if role == "ALLY":
            sql = (
                "select exists (select 1 from credentials c where c.account_id = $1 and not exists"
                " (select 1 from credential_revocations r where r.account_id = c.account_id))"
            )
            return await self._db.fetchval(sql, sub)
        return await self._db.fetchval(
            "select exists (select 1 from staff_accounts s where s.staff_id = $1 and s.role = $2 and not exists"
            " (select 1 from staff_revocations r where r.staff_id = s.staff_id))",
            sub,
            role,
        )


class LoginGuardPgRepo(LoginPgRepo):
    """Login with its guards, on one connection inside an open transaction."""

    def __init__(self, conn: asyncpg.Connection, audit_key: bytes):
        super().__init__(conn)
        self._conn = conn
        self._audit_key = audit_key

    async def record_login(
        self, attempt_username: str, account: LoginAccount | None, address: str | None, outcome: str, at: datetime
    ) -> None:
        fingerprint = hmac.new(self._audit_key, attempt_username.encode(), hashlib.sha256).hexdigest()
        await self._conn.execute(
            "insert into login_audit (at, account_id, role, username_hmac, address, outcome)"
            " values ($1, $2, $3, $4, $5, $6)",
            at,
            uuid.UUID(account.sub) if account else None,
            account.role if account else None,
            fingerprint,
            address,
            outcome,
        )

    async def hold_guard(self, kind: GuardKind, key: str) -> LoginGuard:
        """The guard's row, locked until the transaction ends: concurrent guesses are counted one by one."""
        await self._conn.execute(
            "insert into login_guards (kind, key) values ($1, $2) on conflict do nothing", kind, key
        )
        row = await self._conn.fetchrow(
            "select failures, last_failure_at, locked_until from login_guards where kind = $1 and key = $2 for update",
            kind,
            key,
        )
        return LoginGuard(kind, key, row["failures"], row["last_failure_at"], row["locked_until"])

    async def save_guard(self, guard: LoginGuard) -> None:
        await self._conn.execute(
            "update login_guards set failures = $3, last_failure_at = $4, locked_until = $5"
            " where kind = $1 and key = $2",
            guard.kind,
            guard.key,
            guard.failures,
            guard.last_failure_at,
            guard.locked_until,
        )


class StaffPgRepo(LoginPgRepo):
    async def put_staff(
        self, username: str, role: StaffRole, password_hash: str, region: str | None = None, unit: str | None = None
    ) -> None:
        """A demo staff account (created, or reset to its role, scope and password)."""
        await self._db.execute(
            "insert into staff_accounts (staff_id, username, role, password_hash, region, unit)"
            " values ($1, $2, $3, $4, $5, $6)"
            " on conflict (username) do update set role = excluded.role, password_hash = excluded.password_hash,"
            " region = excluded.region, unit = excluded.unit",
            uuid.uuid4(),
            username,
            role,
            password_hash,
            region,
            unit,
        )


_STAFF_COLUMNS = (
    "s.staff_id, s.username, s.role, s.region, s.unit, s.full_name, s.email, s.created_at, s.created_by,"
    " r.reason as revoked_reason, r.revoked_at, r.revoked_by"
)


class StaffAdminPgRepo(_InUnit):
    """Staff accounts as an administrator manages them, inside the route's unit of work."""

    def __init__(self, uow: UnitOfWork, mail_box: MailBox):
        super().__init__(uow)
        self._mail_box = mail_box

    async def is_active(self, sub: uuid.UUID, role: str) -> bool:
        return await LoginPgRepo(self._conn).is_active(sub, role)

    async def usernames_like(self, base: str) -> set[str]:
        # Serialises creations of one base, so two administrators never get the same name.
        await self._conn.execute("select pg_advisory_xact_lock(hashtext('identity.staff:' || $1))", base)
        rows = await self._conn.fetch(
            "select username from staff_accounts where username = $1 or username ~ ('^' || $2 || '[0-9]+$')",
            base,
            re.escape(base),
        )
        return {r["username"] for r in rows}

    async def add_staff(self, staff: StaffRecord, password_hash: str) -> None:
        await self._conn.execute(
            "insert into staff_accounts (staff_id, username, role, password_hash, region, unit, full_name, email,"
            " created_by, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            staff.staff_id,
            staff.username,
            staff.role,
            password_hash,
            staff.region,
            staff.unit,
            staff.full_name,
            staff.email,
            staff.created_by,
            staff.created_at,
        )

    async def find_login(self, username: str) -> LoginAccount | None:
        return await LoginPgRepo(self._conn).find_login(username)

    async def clear_guard(self, kind: GuardKind, key: str) -> int:
        failures = await self._conn.fetchval(
            "update login_guards g set failures = 0, last_failure_at = null, locked_until = null"
            " from login_guards old where g.kind = $1 and g.key = $2 and old.kind = g.kind and old.key = g.key"
            " returning old.failures",
            kind,
            key,
        )
        return failures or 0

    async def add_staff_mail(self, mail: Mail, staff_id: uuid.UUID) -> str:
        return await self._mail_box.add(self._conn, mail, staff_id=staff_id)

    async def staff(self, staff_id: uuid.UUID) -> StaffRecord | None:
        row = await self._conn.fetchrow(
            f"select {_STAFF_COLUMNS} from staff_accounts s left join staff_revocations r using (staff_id)"
            " where s.staff_id = $1 for update of s",
            staff_id,
        )
        return _staff(row) if row else None

    async def list_staff(self) -> list[StaffRecord]:
        rows = await self._conn.fetch(
            f"select {_STAFF_COLUMNS} from staff_accounts s left join staff_revocations r using (staff_id)"
            " order by s.created_at, s.username"
        )
        return [_staff(r) for r in rows]

    async def add_staff_revocation(self, staff_id: uuid.UUID, reason: str, by: str, at: datetime) -> None:
        await self._conn.execute(
            "insert into staff_revocations (staff_id, reason, revoked_at, revoked_by) values ($1, $2, $3, $4)",
            staff_id,
            reason,
            at,
            by,
        )


def _staff(row: asyncpg.Record) -> StaffRecord:
    return StaffRecord(
        staff_id=row["staff_id"],
        username=row["username"],
        role=row["role"],
        region=row["region"],
        unit=row["unit"],
        full_name=row["full_name"],
        email=row["email"],
        created_at=row["created_at"],
        created_by=row["created_by"],
        revoked_at=row["revoked_at"],
        revoked_reason=row["revoked_reason"],
        revoked_by=row["revoked_by"],
    )

"""The mail outbox in PostgreSQL, and the sender that empties it after the transactions commit."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from datetime import datetime
from email.utils import make_msgid, parseaddr

import asyncpg
import structlog

from eventkit.consumer import PoolSource
from identity import handlers
from identity.adapters.mailcrypt import MailCipher
from identity.letters import Mail, QueuedMail

log = structlog.get_logger(__name__)

WAITING_SQL = "select count(*) from mail_outbox where state = 'PENDING'"


def channel(schema: str) -> str:
    """The LISTEN/NOTIFY channel that wakes a schema's mail sender when a queued mail commits."""
    return f"mail_outbox_{schema}"


class MailBox:
    """Writes letters into the mail outbox of the caller's open transaction, their bodies sealed."""

    def __init__(self, cipher: MailCipher, sender: str):
        self._cipher = cipher
        self._domain = parseaddr(sender)[1].rpartition("@")[2] or None

    async def add(
        self,
        conn: asyncpg.Connection,
        mail: Mail,
        account_id: uuid.UUID | None = None,
        staff_id: uuid.UUID | None = None,
    ) -> str:
        message_id = make_msgid(idstring=uuid.uuid4().hex, domain=self._domain)
        await conn.execute(
            "insert into mail_outbox (message_id, account_id, staff_id, mail_to, mail_cc, subject, sealed_body)"
            " values ($1, $2, $3, $4, $5, $6, $7)",
            message_id,
            account_id,
            staff_id,
            mail.to,
            mail.cc,
            mail.subject,
            self._cipher.seal(message_id, mail.body),
        )
        # Delivered at commit only, so the sender never wakes for a rolled-back letter.
        schema = await conn.fetchval("select current_schema()")
        await conn.execute("select pg_notify($1, '')", channel(schema))
        return message_id


class MailQueuePgRepo:
    """The sender's view of the mail outbox, on one connection inside its open transaction."""

    def __init__(self, conn: asyncpg.Connection):
        self._conn = conn
        self.failure: str | None = None

    async def next_due(self, now: datetime) -> QueuedMail | None:
        # The row lock lasts while the mail is handed to SMTP, so another sender of the service skips it;
        # if this process dies in between, the lock goes with it and the row is still pending.
        row = await self._conn.fetchrow(
            "select message_id, mail_to, mail_cc, subject, sealed_body, written_at, attempts from mail_outbox"
            " where state = 'PENDING' and next_attempt_at <= $1 order by next_attempt_at, seq"
            " limit 1 for update skip locked",
            now,
        )
        if row is None:
            return None
        return QueuedMail(
            message_id=row["message_id"],
            to=row["mail_to"],
            cc=row["mail_cc"],
            subject=row["subject"],
            sealed_body=bytes(row["sealed_body"]),
            written_at=row["written_at"],
            attempts=row["attempts"],
        )

    async def mark_sent(self, message_id: str, at: datetime) -> None:
        await self._conn.execute(
            "update mail_outbox set state = 'SENT', sent_at = $2, sealed_body = null, attempts = attempts + 1,"
            " last_error = null where message_id = $1",
            message_id,
            at,
        )

    async def mark_failed(self, message_id: str, error: str, retry_at: datetime) -> None:
        self.failure = error
        await self._conn.execute(
            "update mail_outbox set attempts = attempts + 1, last_error = $2, next_attempt_at = $3"
            " where message_id = $1",
            message_id,
            error,
            retry_at,
        )


class MailSender:
    """One per service process: sends due mails one at a time, woken at commit, polling as a fallback."""

    def __init__(
        self,
        db: PoolSource,
        schema: str,
        cipher: MailCipher,
        mailer: handlers.Mailer,
        *,
        idle_s: float = 5.0,
    ):
        self._db = db
        self._schema = schema
        self._cipher = cipher
        self._mailer = mailer
        self._idle_s = idle_s
        self._wake = asyncio.Event()
        self.last_error: str | None = None
        """Why the last attempt failed; None once a mail went out (or before any attempt)."""

    async def send_due(self, pool: asyncpg.Pool) -> int:
        """Send every mail due now, one at a time; stops at the first failure (SMTP is likely down)."""
        sent = 0
        while True:
            async with pool.acquire() as conn, conn.transaction():
                queue = MailQueuePgRepo(conn)
                # The database's clock, the one that stamped the rows: no skew between two clocks.
                now = await conn.fetchval("select now()")
                outcome = await handlers.send_next_mail(queue, self._cipher, self._mailer, now)
            if outcome is None:
                return sent
            if outcome == "failed":
                self.last_error = queue.failure
                return sent
            self.last_error = None
            sent += 1

    async def waiting(self) -> int | None:
        """How many mails wait to be sent; None while the database is not connected."""
        pool = self._db.pool
        if pool is None:
            return None
        async with asyncio.timeout(2.0):
            return await pool.fetchval(WAITING_SQL)

    async def run(self) -> None:
        """Send until cancelled; a broken connection is logged and retried with back-off, never dropped."""
        backoff = 0.5
        while True:
            pool = self._db.pool
            if pool is None:
                await asyncio.sleep(0.2)
                continue
            try:
                async with pool.acquire() as listener:
                    await listener.add_listener(channel(self._schema), self._on_notify)
                    try:
                        await self._send_until_failure(pool)
                    finally:
                        with contextlib.suppress(Exception):  # the connection may be the thing that broke
                            await listener.remove_listener(channel(self._schema), self._on_notify)
            except Exception as exc:  # noqa: BLE001 - the mails stay pending; try again later
                log.warning("mail_sender_failed", schema=self._schema, error=f"{type(exc).__name__}: {exc}")
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 10.0)

    async def _send_until_failure(self, pool: asyncpg.Pool) -> None:
        while True:
            self._wake.clear()
            await self.send_due(pool)
            pause = await self._pause(pool)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), pause)

    async def _pause(self, pool: asyncpg.Pool) -> float:
        """Until the next retry falls due, never longer than the polling interval."""
        wait_s = await pool.fetchval(
            "select extract(epoch from min(next_attempt_at) - now())::float8 from mail_outbox where state = 'PENDING'"
        )
        if wait_s is None:
            return self._idle_s
        return min(max(wait_s, 0.05), self._idle_s)

    def _on_notify(self, *_args: object) -> None:
        self._wake.set()

"""The mail outbox: letters wait sealed, go out after the commit, and a resend is the very same message (no servers)."""

from __future__ import annotations

import socket
import stat
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.exceptions import InvalidTag

from identity import domain, handlers
from identity.adapters.mailcrypt import MailCipher, default_mail_key_path, load_or_create_mail_key
from identity.app import smtp_check
from identity.letters import Mail, QueuedMail

pytestmark = pytest.mark.unit

NOW = datetime(2025, 6, 1, 15, 0, tzinfo=UTC)
PASSWORD = "Xy7#Kp2@Qm9!Rt4="
LETTER = Mail(
    to="rosa@example.pe",
    cc="alcalde@example.pe",
    subject="Credenciales de acceso a USUARIO ALIADO - solicitud SOL-2025-000900",
    body=f"Usuario:     gl090101\nContraseña:  {PASSWORD}\n",
)


class ProcessKilledError(BaseException):
    """Stands for SIGKILL: nothing after it runs, not even an ``except Exception``."""


@dataclass
class Row:
    queued: QueuedMail
    state: str = "PENDING"
    next_attempt_at: datetime = NOW
    last_error: str | None = None


@dataclass
class FakeMailOutbox:
    """The mail outbox in memory, written the way the credentials repository writes it."""

    cipher: MailCipher
    rows: dict[str, Row] = field(default_factory=dict)

    def add(self, mail: Mail, written_at: datetime = NOW) -> str:
        message_id = f"<{uuid.uuid4().hex}@contigo.gob.pe>"
        sealed = self.cipher.seal(message_id, mail.body)
        queued = QueuedMail(message_id, mail.to, mail.cc, mail.subject, sealed, written_at, attempts=0)
        self.rows[message_id] = Row(queued, next_attempt_at=written_at)
        return message_id

    async def next_due(self, now: datetime) -> QueuedMail | None:
        due = [r for r in self.rows.values() if r.state == "PENDING" and r.next_attempt_at <= now]
        return min(due, key=lambda r: r.next_attempt_at).queued if due else None

    async def mark_sent(self, message_id: str, at: datetime) -> None:
        row = self.rows[message_id]
        row.state = "SENT"
        row.queued = QueuedMail(**{**row.queued.__dict__, "sealed_body": b"", "attempts": row.queued.attempts + 1})

    async def mark_failed(self, message_id: str, error: str, retry_at: datetime) -> None:
        row = self.rows[message_id]
        row.queued = QueuedMail(**{**row.queued.__dict__, "attempts": row.queued.attempts + 1})
        row.next_attempt_at, row.last_error = retry_at, error


@dataclass
class Sent:
    mail: Mail
    message_id: str
    written_at: datetime


class FakeSmtp:
    """Accepts every message, refuses while down, or dies (like the process) once it holds one."""

    def __init__(self) -> None:
        self.accepted: list[Sent] = []
        self.down = False
        self.die_after_accepting = False

    async def send(self, mail: Mail, *, message_id: str, written_at: datetime) -> None:
        if self.down:
            raise ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 1025)")
        self.accepted.append(Sent(mail, message_id, written_at))
        if self.die_after_accepting:
            self.die_after_accepting = False
            raise ProcessKilledError


@pytest.fixture
def cipher() -> MailCipher:
    return MailCipher(bytes(range(32)))


async def test_a_queued_letter_goes_out_once_and_its_secret_is_erased(cipher):
    outbox, smtp = FakeMailOutbox(cipher), FakeSmtp()
    message_id = outbox.add(LETTER)

    first = await handlers.send_next_mail(outbox, cipher, smtp, NOW)
    then = await handlers.send_next_mail(outbox, cipher, smtp, NOW + timedelta(hours=1))

    assert (first, then) == ("sent", None)
    assert [(s.mail, s.message_id, s.written_at) for s in smtp.accepted] == [(LETTER, message_id, NOW)]
    assert outbox.rows[message_id].state == "SENT"
    assert outbox.rows[message_id].queued.sealed_body == b""


async def test_a_letter_sent_but_not_marked_before_a_crash_is_sent_again_as_the_very_same_message(cipher):
    outbox, smtp = FakeMailOutbox(cipher), FakeSmtp()
    message_id = outbox.add(LETTER)
    smtp.die_after_accepting = True
    with pytest.raises(ProcessKilledError):
        await handlers.send_next_mail(outbox, cipher, smtp, NOW)

    after_restart = await handlers.send_next_mail(outbox, cipher, smtp, NOW + timedelta(seconds=30))

    assert after_restart == "sent"
    first, second = smtp.accepted
    assert first.message_id == second.message_id == message_id
    assert first.mail == second.mail == LETTER and first.written_at == second.written_at
    assert PASSWORD in second.mail.body


async def test_while_smtp_is_down_the_letter_stays_pending_and_waits_longer_after_each_failure(cipher):
    outbox, smtp = FakeMailOutbox(cipher), FakeSmtp()
    message_id = outbox.add(LETTER)
    smtp.down = True

    outcomes = []
    clock = NOW
    for _ in range(3):
        outcomes.append(await handlers.send_next_mail(outbox, cipher, smtp, clock))
        clock = outbox.rows[message_id].next_attempt_at
    too_early = await handlers.send_next_mail(outbox, cipher, smtp, clock - timedelta(seconds=1))
    row = outbox.rows[message_id]

    assert outcomes == ["failed", "failed", "failed"]
    assert too_early is None
    assert (row.state, row.queued.attempts, row.last_error) == ("PENDING", 3, "ConnectionRefusedError")
    assert row.next_attempt_at - NOW == timedelta(seconds=5 + 10 + 20)
    assert smtp.accepted == []


async def test_once_smtp_is_back_the_waiting_letter_goes_out_unchanged(cipher):
    outbox, smtp = FakeMailOutbox(cipher), FakeSmtp()
    message_id = outbox.add(LETTER)
    smtp.down = True
    await handlers.send_next_mail(outbox, cipher, smtp, NOW)
    smtp.down = False

    outcome = await handlers.send_next_mail(outbox, cipher, smtp, outbox.rows[message_id].next_attempt_at)

    assert outcome == "sent"
    assert [(s.message_id, s.mail) for s in smtp.accepted] == [(message_id, LETTER)]


async def test_the_older_of_two_due_letters_goes_first(cipher):
    outbox, smtp = FakeMailOutbox(cipher), FakeSmtp()
    later = outbox.add(LETTER, written_at=NOW)
    earlier = outbox.add(LETTER, written_at=NOW - timedelta(minutes=1))

    await handlers.send_next_mail(outbox, cipher, smtp, NOW)
    await handlers.send_next_mail(outbox, cipher, smtp, NOW)

    assert [s.message_id for s in smtp.accepted] == [earlier, later]


async def test_a_letter_whose_body_does_not_open_stays_pending_instead_of_being_lost(cipher):
    outbox, smtp = FakeMailOutbox(cipher), FakeSmtp()
    message_id = outbox.add(LETTER)
    other_key = MailCipher(bytes(32))

    outcome = await handlers.send_next_mail(outbox, other_key, smtp, NOW)

    assert outcome == "failed"
    assert (outbox.rows[message_id].state, outbox.rows[message_id].last_error) == ("PENDING", "InvalidTag")
    assert smtp.accepted == []


def test_the_retry_pause_doubles_from_five_seconds_up_to_ten_minutes():
    pauses = [domain.mail_retry_delay(n).total_seconds() for n in (1, 2, 3, 4, 8, 9, 50)]

    assert pauses == [5, 10, 20, 40, 600, 600, 600]


def test_a_sealed_body_hides_the_password_and_opens_only_under_its_own_message_id(cipher):
    sealed = cipher.seal("<a@contigo.gob.pe>", LETTER.body)

    assert PASSWORD.encode() not in sealed
    assert cipher.open("<a@contigo.gob.pe>", sealed) == LETTER.body
    with pytest.raises(InvalidTag):
        cipher.open("<b@contigo.gob.pe>", sealed)


def test_the_mail_key_is_created_beside_the_token_key_readable_by_its_owner_only_and_then_reused(tmp_path):
    path = default_mail_key_path(str(tmp_path / "keys" / "token.pem"))

    created = load_or_create_mail_key(path)
    loaded = load_or_create_mail_key(path)

    assert path == tmp_path / "keys" / "mail.key"
    assert created == loaded and len(created) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


class FakeSender:
    def __init__(self, waiting: int | None, last_error: str | None = None) -> None:
        self._waiting = waiting
        self.last_error = last_error

    async def waiting(self) -> int | None:
        return self._waiting


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_health_says_how_many_credential_e_mails_wait_while_smtp_is_unreachable():
    port = closed_port()

    problem = await smtp_check("127.0.0.1", port, FakeSender(waiting=2))()

    assert problem.startswith(f"cannot reach the SMTP server at 127.0.0.1:{port}")
    assert problem.endswith("; 2 credential e-mail(s) waiting to be sent")

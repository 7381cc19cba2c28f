"""Identity killed between handing the credentials e-mail to SMTP and marking it sent mails the same message again.

Identity runs as a real OS process (``contigo serve identity``) on real Kafka and PostgreSQL; a real SMTP server
(aiosmtpd) SIGKILLs it as soon as it has stored the message, before answering 250. After a restart the ally gets
the very same message (same Message-ID, same password, which logs in) and the database no longer holds it.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from email.message import EmailMessage
from pathlib import Path

import asyncpg
import httpx
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiosmtpd.controller import Controller

from contracts import encode, topics
from contracts.events import AccessApproved, Jurisdiction
from eventkit.messages import wrap

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[4]
LETTER_OF_REQUEST = (
    "select m.state, m.sealed_body, m.message_id from mail_outbox m join credentials c using (account_id)"
    " where c.request_id = $1 and m.mail_to = 'rosa.rojas@example.pe'"
)
TAKEN_PORTS = {*range(8000, 8006), 2525, *range(12525, 12541)}


def free_port() -> int:
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if port not in TAKEN_PORTS:
            return port


class KillingInbox:
    """Keeps every message; the first one whose subject names ``code`` kills the sending process before 250."""

    def __init__(self, code: str) -> None:
        self.code = code
        self.messages: list[EmailMessage] = []
        self.victim: int | None = None
        self.killed = threading.Event()

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's name
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(message)
        if self.code in message["Subject"] and self.victim is not None and not self.killed.is_set():
            os.kill(self.victim, signal.SIGKILL)
            self.killed.set()
        return "250 OK"

    def of_the_request(self) -> list[EmailMessage]:
        return [m for m in self.messages if self.code in m["Subject"]]


class IdentityProcess:
    """``contigo serve identity`` as its own process, started again after it dies."""

    def __init__(self, env: dict[str, str], port: int, log_path: Path) -> None:
        self.env = env
        self.port = port
        self.log_path = log_path
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> int:
        # The test's own interpreter (the workspace's environment, as `uv run python` gives): its pid is the
        # process that sends, so SIGKILL reaches it and not a launcher in front of it.
        command = [sys.executable, "-m", "contigo.cli", "serve", "identity", "--port", str(self.port)]
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(command, env=self.env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
        return self.proc.pid

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]


@pytest.fixture
async def own_database(servers) -> AsyncIterator[str]:
    """A database for this test alone: the OS process's schema sees no other test's accounts or letters."""
    name = f"test_mailcrash_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(servers.database_url)
    try:
        await admin.execute(f"create database {name}")
        yield servers.database_url.rsplit("/", 1)[0] + "/" + name
        await admin.execute(f"drop database if exists {name} with (force)")
    finally:
        await admin.close()


@pytest.fixture
def smtp() -> Iterator[tuple[KillingInbox, int]]:
    inbox = KillingInbox(code=f"SOL-2025-{uuid.uuid4().int % 10**6:06d}")
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


async def publish_as_the_only_news(bootstrap: str, group: str, event: AccessApproved) -> None:
    """Publish the approval and place ``group`` just before it: the new group skips the topic's history."""
    envelope = wrap(event, key=str(event.request_id))
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True)
    await producer.start()
    try:
        sent = await producer.send_and_wait(
            topics.ACCESS_REQUEST,
            encode(envelope),
            key=envelope.key.encode(),
            headers=[("content-type", b"application/json"), ("x-event-type", envelope.type.encode())],
        )
        partitions = [
            TopicPartition(topics.ACCESS_REQUEST, p) for p in await producer.partitions_for(topics.ACCESS_REQUEST)
        ]
    finally:
        await producer.stop()
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False)
    await consumer.start()
    try:
        consumer.assign(partitions)
        ends = await consumer.end_offsets(partitions)
        mine = TopicPartition(sent.topic, sent.partition)
        await consumer.commit({tp: (sent.offset if tp == mine else ends[tp]) for tp in partitions})
    finally:
        await consumer.stop()


async def eventually(what: str, probe, timeout_s: float = 90.0, identity: IdentityProcess | None = None):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = await probe()
        if value:
            return value
        await asyncio.sleep(0.2)
    log = f"\nidentity's log:\n{identity.log()}" if identity else ""
    raise AssertionError(f"{what}: not within {timeout_s} s{log}")


def credentials_in(message: EmailMessage) -> tuple[str, str]:
    body = message.get_content()
    return re.search(r"Usuario:\s+(\S+)", body).group(1), re.search(r"Contraseña:\s+(\S+)", body).group(1)


async def test_identity_killed_after_smtp_took_the_mail_sends_the_same_message_and_password_again(
    servers, own_database, smtp, tmp_path
):
    inbox, smtp_port = smtp
    group = f"identity-mailcrash-{uuid.uuid4().hex[:8]}"
    env = os.environ | {
        "CONTIGO_DATABASE_URL": own_database,
        "CONTIGO_KAFKA_BOOTSTRAP": servers.kafka_bootstrap,
        "CONTIGO_SMTP_HOST": "127.0.0.1",
        "CONTIGO_SMTP_PORT": str(smtp_port),
        "CONTIGO_TOKEN_KEY_FILE": str(tmp_path / "keys" / "token.pem"),
        "CONTIGO_CONSUMER_GROUP": group,
        "CONTIGO_PUBLIC_URL": "https://aliados.contigo.example",
        "CONTIGO_LOG_LEVEL": "INFO",
    }
    env.pop("CONTIGO_MAIL_KEY_FILE", None)
    env.pop("CONTIGO_DEMO_STAFF_PASSWORD", None)
    identity = IdentityProcess(env, free_port(), tmp_path / "identity.log")
    event = AccessApproved(
        request_id=uuid.uuid4(),
        code=inbox.code,
        evaluator_id="evaluador",
        jurisdiction=Jurisdiction(ally_type="GOBIERNO_LOCAL", ubigeo="080101"),
        responsible_names="ROJAS HUAMÁN, ROSA",
        responsible_email="rosa.rojas@example.pe",
        authority_names="QUISPE MAMANI, JUAN",
        authority_email="alcaldia@example.pe",
    )
    await publish_as_the_only_news(servers.kafka_bootstrap, group, event)
    db = await asyncpg.connect(own_database, server_settings={"search_path": "identity"})
    try:
        inbox.victim = identity.start()
        await eventually("the first delivery kills identity", lambda: _true(inbox.killed.is_set()), identity=identity)
        killed_with = identity.proc.wait(15)
        before_restart = await db.fetchrow(LETTER_OF_REQUEST, event.request_id)

        identity.start()
        await eventually(
            "the mail is delivered again", lambda: _true(len(inbox.of_the_request()) >= 2), identity=identity
        )
        first, second = inbox.of_the_request()[:2]
        username, password = credentials_in(second)
        base_url = f"http://127.0.0.1:{identity.port}"
        async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
            login = await client.post("/auth/login", json={"username": username, "password": password})
        after = await eventually(
            "the letter is marked sent",
            lambda: db.fetchrow(LETTER_OF_REQUEST + " and m.state = 'SENT'", event.request_id),
            identity=identity,
        )
        accounts = await db.fetchval("select count(*) from credentials where request_id = $1", event.request_id)
        letters = await db.fetch(
            "select m.mail_to from mail_outbox m join credentials c using (account_id) where c.request_id = $1"
            " order by m.seq",
            event.request_id,
        )
    finally:
        await db.close()
        identity.stop()

    assert killed_with == -signal.SIGKILL
    assert before_restart["state"] == "PENDING" and before_restart["sealed_body"] is not None
    assert second["Message-ID"] == first["Message-ID"] and second["Date"] == first["Date"]
    assert credentials_in(second) == credentials_in(first) == ("gl080101", password)
    assert login.status_code == 200, login.text
    # One letter with the password, and the authority's notice without it.
    assert (accounts, [r["mail_to"] for r in letters]) == (1, ["rosa.rojas@example.pe", "alcaldia@example.pe"])
    assert (after["state"], after["sealed_body"], after["message_id"]) == ("SENT", None, first["Message-ID"])


async def _true(value: bool) -> bool:
    return value

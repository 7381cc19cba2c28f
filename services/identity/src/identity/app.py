"""Wiring of the identity service: the one place its dependencies are built."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

import msgspec
import structlog
from faststream.kafka import KafkaBroker
from litestar import Litestar
from litestar.di import Provide

from authkit import Signer, Verifier, load_or_create_private_key, verifying_keys
from eventkit.clock import Clock, LimaClock
from eventkit.host import ServiceHost
from eventkit.http import create_service_app
from eventkit.settings import ConfigError
from identity import handlers
from identity.adapters.mail_outbox import MailBox, MailSender
from identity.adapters.mailcrypt import MailCipher, default_mail_key_path, load_or_create_mail_key
from identity.adapters.mailer import SmtpMailer
from identity.adapters.passwords import Argon2Hasher
from identity.adapters.registries import FileAuthorityRegister, FileCitizenRegistry
from identity.api import ERRORS, ROUTES
from identity.config import Settings
from identity.consumers import subscriptions
from identity.deps import Deps
from identity.repo import StaffPgRepo
from identity.views import Jwks

NAME = "identity"
MIGRATIONS = Path(__file__).with_name("migrations")

log = structlog.get_logger(__name__)


def smtp_check(host: str, port: int, sender: MailSender | None = None):
    """Health check: the SMTP server answers with its 220 greeting and the last mail went out.

    When it fails, it says how many credential e-mails wait to be sent.
    """

    async def check() -> str | None:
        problem = await _smtp_answers(host, port)
        if problem is None and sender is not None and sender.last_error:
            problem = f"the SMTP server at {host}:{port} answers, but the last e-mail failed: {sender.last_error}"
        if problem is None or sender is None:
            return problem
        try:
            waiting = await sender.waiting()
        except Exception as exc:  # noqa: BLE001 - the count is extra detail; the SMTP problem is the answer
            return f"{problem}; credential e-mails waiting: unknown ({type(exc).__name__})"
        return problem if waiting is None else f"{problem}; {waiting} credential e-mail(s) waiting to be sent"

    return check


async def _smtp_answers(host: str, port: int) -> str | None:
    try:
        async with asyncio.timeout(3.0):
            reader, writer = await asyncio.open_connection(host, port)
            greeting = await reader.readline()
            writer.write(b"QUIT\r\n")
            await writer.drain()
            writer.close()
    except (OSError, TimeoutError) as exc:
        return f"cannot reach the SMTP server at {host}:{port}: {type(exc).__name__}: {exc}"
    if not greeting.startswith(b"220"):
        return f"SMTP server at {host}:{port} answered {greeting[:60]!r} instead of 220"
    return None


def create_app(
    settings: Settings,
    broker: KafkaBroker,
    *,
    own_broker: bool,
    clock: Clock | None = None,
    consumer_group: str | None = None,
) -> Litestar:
    """Identity's app; ``clock`` (Lima's unless a test fixes it) says the day on which authorities are judged."""
    clock = clock or LimaClock()
    if not settings.token_key_file:
        raise ConfigError(
            "CONTIGO_TOKEN_KEY_FILE is required but not set: the path of identity's Ed25519 private key"
            " (created there, with its public half beside it, when missing)"
        )
    key_file = Path(settings.token_key_file)
    signer = Signer(load_or_create_private_key(key_file), ttl_s=settings.token_ttl_s)
    # The current key and the one before it (``contigo rotate-keys``): a token signed before the rotation still
    # verifies until it expires. A rotation takes effect here at the next start.
    keys = verifying_keys(key_file)
    verifier = Verifier(*keys)
    hasher = Argon2Hasher()
    cipher = MailCipher(_key(settings.mail_key_file, "mail.key", "CONTIGO_MAIL_KEY_FILE", "mail", settings))
    deps = Deps(
        citizens=FileCitizenRegistry(),
        register=FileAuthorityRegister(),
        hasher=hasher,
        mail_box=MailBox(cipher, settings.mail_from),
        signer=signer,
        verifier=verifier,
        jwks=msgspec.convert(signer.jwks(*keys), Jwks),
        token_ttl_s=settings.token_ttl_s,
        public_url=settings.public_url,
        audit_key=_key(settings.audit_key_file, "audit.key", "CONTIGO_AUDIT_KEY_FILE", "audit", settings),
        clock=clock,
    )
    host = ServiceHost(
        name=NAME,
        database_url=settings.database_url,
        broker=broker,
        migrations=MIGRATIONS,
        subscriptions=subscriptions(deps),
        own_broker=own_broker,
        bus_address=settings.kafka_bootstrap,
        consumer_group=consumer_group or settings.consumer_group or None,
    )
    mailer = SmtpMailer(settings.smtp_host, settings.smtp_port, settings.mail_from)
    sender = MailSender(host, host.schema, cipher, mailer)
    host.checks["smtp"] = smtp_check(settings.smtp_host, settings.smtp_port, sender)
    tasks: list[asyncio.Task[None]] = []
    background: list[asyncio.Task[None]] = []

    async def start_mail_sender() -> None:
        background.append(asyncio.create_task(sender.run(), name=f"{NAME}-mail-sender"))

    async def start_demo_staff() -> None:
        if settings.demo_staff_password:
            tasks.append(asyncio.create_task(_demo_staff(host, settings.demo_staff_password, hasher)))

    async def demo_staff_check() -> str | None:
        return None if all(t.done() for t in tasks) else "creating the demo staff accounts"

    if settings.demo_staff_password:
        host.checks["demo_staff"] = demo_staff_check

    async def stop_tasks() -> None:
        for task in [*tasks, *background]:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    app = create_service_app(
        host,
        ROUTES,
        title="CONTIGO Aliados - identidad",
        errors=ERRORS,
        verifier=verifier,
        clock=clock,
        dependencies={"deps": Provide(lambda: deps, sync_to_thread=False, use_cache=True)},
        on_startup=[start_demo_staff, start_mail_sender],
        on_shutdown=[stop_tasks],
    )
    app.state.mail_sender = sender
    return app


def _key(file: str, default_name: str, variable: str, what: str, settings: Settings) -> bytes:
    """A 256-bit key of identity's: ``file``, or ``default_name`` beside the token key; created when missing."""
    path = Path(file) if file else default_mail_key_path(settings.token_key_file).with_name(default_name)
    try:
        return load_or_create_mail_key(path)
    except (OSError, ValueError) as exc:
        raise ConfigError(
            f"{variable}: cannot read or create identity's {what} key at {path}: {type(exc).__name__}: {exc}"
        ) from None


async def _demo_staff(host: ServiceHost, password: str, hasher: Argon2Hasher) -> None:
    """Once the database is up, make sure the demo evaluator and administrator can log in."""
    while True:
        pool = host.pool
        if pool is not None:
            try:
                await handlers.ensure_demo_staff(password, StaffPgRepo(pool), hasher)
                return
            except Exception as exc:  # noqa: BLE001 - retried until the database lets us
                log.error("demo_staff_failed", error=f"{type(exc).__name__}: {exc}")
        await asyncio.sleep(0.5)

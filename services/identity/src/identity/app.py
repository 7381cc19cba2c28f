"""Wiring of the identity service: the one place its dependencies are built."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from datetime import date
from pathlib import Path

import structlog
from faststream.kafka import KafkaBroker
from litestar import Litestar

from authkit import Signer, Verifier, load_or_create_private_key
from eventkit.host import ServiceHost
from eventkit.http import create_service_app
from eventkit.settings import ConfigError
from identity import handlers
from identity.api import ROUTES
from identity.config import Settings
from identity.consumers import subscriptions
from identity.deps import Deps, lima_today
from identity.mailer import SmtpMailer
from identity.passwords import Argon2Hasher
from identity.registries import FileAuthorityRegister, FileCitizenRegistry
from identity.repo import StaffPgRepo

NAME = "identity"
MIGRATIONS = Path(__file__).with_name("migrations")

log = structlog.get_logger(__name__)


def smtp_check(host: str, port: int):
    """Health check: the SMTP server answers with its 220 greeting."""

    async def check() -> str | None:
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

    return check


def create_app(
    settings: Settings, broker: KafkaBroker, *, own_broker: bool,
    today: Callable[[], date] = lima_today,
    consumer_group: str | None = None,
) -> Litestar:
    """Identity's app; ``today`` is the day on which authorities are judged (tests pin it)."""
    if not settings.token_key_file:
        raise ConfigError(
            "CONTIGO_TOKEN_KEY_FILE is required but not set: the path of identity's Ed25519 private key"
            " (created there, with its public half beside it, when missing)"
        )
    signer = Signer(load_or_create_private_key(Path(settings.token_key_file)), ttl_s=settings.token_ttl_s)
    hasher = Argon2Hasher()
    deps = Deps(
        citizens=FileCitizenRegistry(),
        register=FileAuthorityRegister(),
        hasher=hasher,
        mailer=SmtpMailer(settings.smtp_host, settings.smtp_port, settings.mail_from),
        signer=signer,
        verifier=Verifier(signer.public_key),
        jwks=signer.jwks(),
        token_ttl_s=settings.token_ttl_s,
        public_url=settings.public_url,
        today=today,
    )
    host = ServiceHost(
        name=NAME,
        database_url=settings.database_url,
        broker=broker,
        migrations=MIGRATIONS,
        subscriptions=subscriptions(deps),
        own_broker=own_broker,
        bus_address=settings.kafka_bootstrap,
        consumer_group=consumer_group,
        checks={"smtp": smtp_check(settings.smtp_host, settings.smtp_port)},
    )
    tasks: list[asyncio.Task[None]] = []

    async def start_demo_staff() -> None:
        if settings.demo_staff_password:
            tasks.append(asyncio.create_task(_demo_staff(host, settings.demo_staff_password, hasher)))

    async def demo_staff_check() -> str | None:
        return None if all(t.done() for t in tasks) else "creating the demo staff accounts"

    if settings.demo_staff_password:
        host.checks["demo_staff"] = demo_staff_check

    async def stop_demo_staff() -> None:
        for task in tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    app = create_service_app(
        host,
        ROUTES,
        title="CONTIGO Aliados - identidad",
        on_startup=[start_demo_staff],
        on_shutdown=[stop_demo_staff],
    )
    app.state.deps = deps
    return app


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

"""Wiring of the identity service: the one place its dependencies are built."""

from __future__ import annotations

import asyncio
from pathlib import Path

from faststream.kafka import KafkaBroker
from litestar import Litestar

from eventkit.host import ServiceHost
from eventkit.http import create_service_app
from identity.config import Settings

NAME = "identity"
MIGRATIONS = Path(__file__).with_name("migrations")


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


def create_app(settings: Settings, broker: KafkaBroker, *, own_broker: bool) -> Litestar:
    host = ServiceHost(
        name=NAME,
        database_url=settings.database_url,
        broker=broker,
        migrations=MIGRATIONS,
        own_broker=own_broker,
        bus_address=settings.kafka_bootstrap,
        checks={"smtp": smtp_check(settings.smtp_host, settings.smtp_port)},
    )
    return create_service_app(host, title="CONTIGO Aliados - identidad")

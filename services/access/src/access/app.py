"""Wiring of the access service: the one place its dependencies are built."""

from __future__ import annotations

from pathlib import Path

from faststream.kafka import KafkaBroker
from litestar import Litestar

from access.config import Settings
from eventkit.host import ServiceHost
from eventkit.http import create_service_app

NAME = "access"
MIGRATIONS = Path(__file__).with_name("migrations")


def create_app(settings: Settings, broker: KafkaBroker, *, own_broker: bool) -> Litestar:
    host = ServiceHost(
        name=NAME,
        database_url=settings.database_url,
        broker=broker,
        migrations=MIGRATIONS,
        own_broker=own_broker,
        bus_address=settings.kafka_bootstrap,
    )
    return create_service_app(host, title="CONTIGO Aliados - solicitudes de acceso")

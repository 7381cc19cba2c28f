"""Wiring of the cases service: the one place its dependencies are built."""

from __future__ import annotations

from pathlib import Path

from faststream.kafka import KafkaBroker
from litestar import Litestar

from cases.config import Settings
from cases.consumers import SUBSCRIPTIONS
from eventkit.host import ServiceHost
from eventkit.http import create_service_app

NAME = "cases"
MIGRATIONS = Path(__file__).with_name("migrations")


def create_app(
    settings: Settings, broker: KafkaBroker, *, own_broker: bool, consumer_group: str | None = None
) -> Litestar:
    host = ServiceHost(
        name=NAME,
        database_url=settings.database_url,
        broker=broker,
        migrations=MIGRATIONS,
        subscriptions=SUBSCRIPTIONS,
        own_broker=own_broker,
        bus_address=settings.kafka_bootstrap,
        consumer_group=consumer_group,
    )
    return create_service_app(host, title="CONTIGO Aliados - casos CTVC")

"""Wiring of the access service: the one place its dependencies are built."""

from __future__ import annotations

import secrets
from pathlib import Path

from faststream.kafka import KafkaBroker
from litestar import Litestar

from access import deps as access_deps
from access.api import ERRORS, ROUTER
from access.config import Settings
from access.consumers import subscriptions
from eventkit.clock import Clock, LimaClock
from eventkit.host import ServiceHost
from eventkit.http import create_service_app
from eventkit.settings import token_verifier

NAME = "access"
MIGRATIONS = Path(__file__).with_name("migrations")


def create_app(
    settings: Settings,
    broker: KafkaBroker,
    *,
    own_broker: bool,
    consumer_group: str | None = None,
    clock: Clock | None = None,
) -> Litestar:
    """Access's app; ``clock`` is Lima's unless a test fixes the day (for routes and consumers alike)."""
    clock = clock or LimaClock()
    host = ServiceHost(
        name=NAME,
        database_url=settings.database_url,
        broker=broker,
        migrations=MIGRATIONS,
        subscriptions=subscriptions(clock),
        own_broker=own_broker,
        bus_address=settings.kafka_bootstrap,
        consumer_group=consumer_group,
    )
    verifier = token_verifier(settings.token_public_key_file)
    deps = access_deps.Deps(verifier, settings.captcha_hmac_key or secrets.token_hex(32), settings.captcha_max_number)
    return create_service_app(
        host,
        [ROUTER],
        title="CONTIGO Aliados - solicitudes de acceso",
        errors=ERRORS,
        clock=clock,
        dependencies=access_deps.dependencies(deps),
    )

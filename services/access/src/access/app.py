"""Wiring of the access service: the one place its dependencies are built."""

from __future__ import annotations

import secrets
from pathlib import Path

import structlog
from faststream.kafka import KafkaBroker
from litestar import Litestar

from access import deps as access_deps
from access.api import ERRORS, ROUTER
from access.config import Settings
from access.consumers import subscriptions
from eventkit.clock import Clock, LimaClock
from eventkit.host import ServiceHost
from eventkit.http import create_service_app
from eventkit.settings import ConfigError, token_verifier

NAME = "access"
MIGRATIONS = Path(__file__).with_name("migrations")
MIN_CAPTCHA_KEY_CHARS = 32
log = structlog.get_logger(__name__)


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
    deps = access_deps.Deps(verifier, captcha_key(settings), settings.captcha_max_number)
    return create_service_app(
        host,
        [ROUTER],
        title="CONTIGO Aliados - solicitudes de acceso",
        errors=ERRORS,
        clock=clock,
        dependencies=access_deps.dependencies(deps),
    )


def captcha_key(settings: Settings) -> str:
    """The ALTCHA HMAC key every access process shares; without one, a key of this process alone.

    A challenge is signed with it when served and checked with it when solved: a random key per
    process refuses every challenge another replica served, or this one served before a restart.
    """
    key = settings.captcha_hmac_key.strip()
    if not key:
        log.warning(
            "captcha_key_random",
            hint="set CONTIGO_CAPTCHA_HMAC_KEY: challenges served before a restart or by another replica are refused",
        )
        return secrets.token_hex(32)
    if len(key) < MIN_CAPTCHA_KEY_CHARS:
        raise ConfigError(f"CONTIGO_CAPTCHA_HMAC_KEY: at least {MIN_CAPTCHA_KEY_CHARS} characters (a random secret)")
    return key

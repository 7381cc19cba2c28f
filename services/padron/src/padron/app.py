"""Wiring of the padrón service: the one place its dependencies are built."""

from __future__ import annotations

from pathlib import Path

from faststream.kafka import KafkaBroker
from litestar import Litestar
from litestar.di import Provide

from eventkit.clock import Clock
from eventkit.host import ServiceHost
from eventkit.http import ErrorTable, create_service_app
from eventkit.settings import token_verifier
from padron import demo
from padron.affiliations import api as affiliations_api
from padron.alerts import api as alerts_api
from padron.authorizations import api as authorizations_api
from padron.beneficiaries import api as beneficiaries_api
from padron.config import Settings
from padron.fad import api as fad_api
from padron.imports import api as imports_api
from padron.shared.api import provide_scope
from padron.shared.errors import ConflictError, FormError, NotFoundError, ScopeError
from padron.versions import api as versions_api
from padron.views import api as views_api

NAME = "padron"
MIGRATIONS = Path(__file__).with_name("migrations")
MAX_IMPORT_BYTES = 512 * 1024 * 1024

ERRORS = ErrorTable({ScopeError: 403, FormError: 422, ConflictError: 409, NotFoundError: 404})
"""Every domain refusal of the padrón, answered with the error's own Spanish message (and its fields).

``OutOfScopeError`` is not here: routes catch it to log the refusal first (``shared.api.logging_refusals``).
"""
# Named "caller": Litestar reserves "scope" for the ASGI scope.
DEPENDENCIES = {"caller": Provide(provide_scope, sync_to_thread=False)}


def create_app(settings: Settings, broker: KafkaBroker, *, own_broker: bool, clock: Clock | None = None) -> Litestar:
    """Padrón's app; ``clock`` is Lima's unless a test fixes the day."""
    host = ServiceHost(
        name=NAME,
        database_url=settings.database_url,
        broker=broker,
        migrations=MIGRATIONS,
        own_broker=own_broker,
        bus_address=settings.kafka_bootstrap,
        startup=[demo.seed] if settings.demo_data else [],
    )
    verifier = token_verifier(settings.token_public_key_file)
    handlers = [
        *beneficiaries_api.routes(),
        *versions_api.routes(),
        *authorizations_api.routes(),
        *affiliations_api.routes(),
        *views_api.routes(),
        *alerts_api.routes(),
        *fad_api.routes(),
        *imports_api.routes(),
    ]
    return create_service_app(
        host,
        handlers,
        title="CONTIGO Aliados - padrón",
        errors=ERRORS,
        verifier=verifier,
        clock=clock,
        dependencies=DEPENDENCIES,
        request_max_body_size=MAX_IMPORT_BYTES,
    )

"""Wiring of the cases service: the one place its dependencies are built."""

from __future__ import annotations

from pathlib import Path

from faststream.kafka import KafkaBroker
from litestar import Litestar

from cases.analysis import api as analysis_api
from cases.config import Settings
from cases.consumers import SUBSCRIPTIONS
from cases.oficios import api as oficios_api
from cases.responses import api as responses_api
from cases.shared.api import DEPENDENCIES
from cases.shared.errors import ConflictError, ForbiddenError, FormError, NotFoundError
from cases.trainings import api as trainings_api
from eventkit.clock import Clock
from eventkit.host import ServiceHost
from eventkit.http import ErrorTable, create_service_app
from eventkit.settings import token_verifier

NAME = "cases"
MIGRATIONS = Path(__file__).with_name("migrations")
MAX_BODY_BYTES = 16 * 1024 * 1024  # a trainings attendance CSV

ERRORS = ErrorTable({ForbiddenError: 403, FormError: 422, ConflictError: 409, NotFoundError: 404})
"""Every refusal of the cases service, answered with the error's own Spanish message (and its fields)."""


def create_app(
    settings: Settings,
    broker: KafkaBroker,
    *,
    own_broker: bool,
    consumer_group: str | None = None,
    clock: Clock | None = None,
) -> Litestar:
    """Cases' app; ``clock`` is Lima's unless a test fixes the day."""
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
    verifier = token_verifier(settings.token_public_key_file)
    app = create_service_app(
        host,
        [
            *oficios_api.routes(),
            *analysis_api.routes(),
            *responses_api.routes(),
            *trainings_api.routes(),
        ],
        title="CONTIGO Aliados - casos CTVC",
        errors=ERRORS,
        verifier=verifier,
        clock=clock,
        dependencies=DEPENDENCIES,
        request_max_body_size=MAX_BODY_BYTES,
    )
    app.state.answer_days = settings.case_answer_business_days
    return app

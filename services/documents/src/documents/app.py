"""Wiring of the documents service: the one place its dependencies are built."""

from __future__ import annotations

from pathlib import Path

from faststream.kafka import KafkaBroker
from litestar import Litestar

from documents.config import Settings
from documents.storage import store_from
from eventkit.host import ServiceHost
from eventkit.http import create_service_app

NAME = "documents"
MIGRATIONS = Path(__file__).with_name("migrations")


def create_app(settings: Settings, broker: KafkaBroker, *, own_broker: bool) -> Litestar:
    store = store_from(
        settings.s3_endpoint,
        settings.s3_access_key,
        settings.s3_secret_key,
        settings.s3_bucket,
        settings.s3_secure,
        settings.storage_dir,
    )
    host = ServiceHost(
        name=NAME,
        database_url=settings.database_url,
        broker=broker,
        migrations=MIGRATIONS,
        own_broker=own_broker,
        bus_address=settings.kafka_bootstrap,
        checks={"object_store": store.check},
    )
    app = create_service_app(host, title="CONTIGO Aliados - documentos")
    app.state.store = store
    return app

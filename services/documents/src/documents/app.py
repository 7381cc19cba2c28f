"""Wiring of the documents service: the one place its dependencies are built."""

from __future__ import annotations

import logging
from pathlib import Path

from faststream.kafka import KafkaBroker
from litestar import Litestar
from litestar.di import Provide

from documents.adapters.pdfcheck import inspect_pdf
from documents.adapters.render import render_ddc
from documents.adapters.storage import store_from
from documents.api import ROUTES, errors_for
from documents.config import Settings
from documents.consumers import subscriptions
from documents.handlers import Tools
from eventkit.host import ServiceHost
from eventkit.http import create_service_app

NAME = "documents"
MIGRATIONS = Path(__file__).with_name("migrations")
# Multipart framing around the file; bodies past limit + this are refused before they are read.
BODY_OVERHEAD = 256 * 1024


def create_app(
    settings: Settings, broker: KafkaBroker, *, own_broker: bool, consumer_group: str | None = None
) -> Litestar:
    store = store_from(
        settings.s3_endpoint,
        settings.s3_access_key,
        settings.s3_secret_key,
        settings.s3_bucket,
        settings.s3_secure,
        settings.storage_dir,
    )
    tools = Tools(
        store=store,
        render_ddc=render_ddc,
        inspect_pdf=inspect_pdf,
        public_url=settings.public_url,
        max_upload_bytes=settings.max_upload_bytes,
    )
    host = ServiceHost(
        name=NAME,
        database_url=settings.database_url,
        broker=broker,
        migrations=MIGRATIONS,
        subscriptions=subscriptions(tools),
        own_broker=own_broker,
        bus_address=settings.kafka_bootstrap,
        consumer_group=consumer_group,
        checks={"object_store": store.check},
    )
    _quiet_pdf_libraries()
    return create_service_app(
        host,
        ROUTES,
        title="CONTIGO Aliados - documentos",
        errors=errors_for(settings.max_upload_bytes),
        dependencies={"tools": Provide(lambda: tools, sync_to_thread=False, use_cache=True)},
        request_max_body_size=settings.max_upload_bytes + BODY_OVERHEAD,
    )


def _quiet_pdf_libraries() -> None:
    """pypdf and pyHanko narrate every oddity of an uploaded file, with the signer's name and a traceback;
    the service logs its own one-line decision instead."""
    for name in ("pypdf", "pyhanko", "pyhanko_certvalidator"):
        logging.getLogger(name).setLevel(logging.CRITICAL)

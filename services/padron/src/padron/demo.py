"""Demo data for a local run: the synthetic padrón and a first published version. Never real people."""

from __future__ import annotations

from datetime import date

import asyncpg
import structlog

from eventkit.uow import UnitOfWork
from padron.imports import repo as imports
from padron.shared.scope import Scope
from padron.versions.handlers import publish_padron
from padron.versions.repo import VersionPgRepo

log = structlog.get_logger(__name__)

DEMO_PERIOD = "V-2022"
DEMO_RESOLUTION = "R.D. N.° 000-2022-MIDIS/PNPDS-DE (demostración)"
SYSTEM = Scope("STAFF", "sistema", "ADMIN")


async def seed(pool: asyncpg.Pool) -> None:
    """Idempotent: imports only into an empty registry, publishes only when no version exists."""
    async with pool.acquire() as conn:
        imported = await imports.load_demo(conn)
        async with conn.transaction():
            if await conn.fetchval("select exists (select 1 from padrones)"):
                return
            repo = VersionPgRepo(UnitOfWork(conn))
            await publish_padron(DEMO_PERIOD, DEMO_RESOLUTION, date(2022, 9, 30).isoformat(), SYSTEM, repo)
    log.info("padron_demo_loaded", beneficiaries=imported, period=DEMO_PERIOD)

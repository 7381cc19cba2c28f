"""Set-up shared by the kit's integration tests: a schema of their own with the kit's tables, and an event."""

from __future__ import annotations

import uuid
from pathlib import Path

import asyncpg

from contracts.events import CaseOpened
from eventkit.migrations import migrate


def case() -> CaseOpened:
    return CaseOpened(case_id=uuid.uuid4(), oficio="OF-7", case_number="0007-2022-CTVC/HVC", ubigeo="090101")


async def schema_pool(database_url: str, migrations: Path, *, max_size: int = 4) -> tuple[asyncpg.Pool, str]:
    """A new schema migrated with the kit's tables (plus ``migrations``), and a pool whose search path is it."""
    schema = f"kit_{uuid.uuid4().hex[:8]}"
    conn = await asyncpg.connect(database_url)
    try:
        await migrate(conn, schema, migrations)
    finally:
        await conn.close()
    pool = await asyncpg.create_pool(
        database_url, min_size=1, max_size=max_size, server_settings={"search_path": schema}
    )
    return pool, schema

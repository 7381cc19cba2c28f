"""A database of a run's own on a PostgreSQL server, for tests and benchmarks."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Iterator

import asyncpg


@contextlib.contextmanager
def fresh_database(base: str, prefix: str = "test") -> Iterator[str]:
    """A new database on the server of ``base``, dropped (with its connections) on exit."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"

    async def admin(sql: str) -> None:
        conn = await asyncpg.connect(base)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(admin(f"create database {name}"))
    try:
        yield base.rsplit("/", 1)[0] + "/" + name
    finally:
        asyncio.run(admin(f"drop database if exists {name} with (force)"))

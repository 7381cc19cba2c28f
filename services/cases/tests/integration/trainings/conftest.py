"""What the trainings integration tests share: a fresh PostgreSQL database with cases' migrations applied."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest

import cases.app

MIGRATIONS = Path(cases.app.__file__).with_name("migrations")


@pytest.fixture
def trainings_database(own_database) -> Iterator[str]:
    """A database of this test's own, dropped at the end."""
    with own_database() as url:
        yield url


@pytest.fixture
async def conn(trainings_database: str) -> AsyncIterator[asyncpg.Connection]:
    """A connection to that database, with the trainings registry's tables."""
    connection = await asyncpg.connect(trainings_database)
    try:
        await connection.execute((MIGRATIONS / "0003_trainings.sql").read_text())
        yield connection
    finally:
        await connection.close()

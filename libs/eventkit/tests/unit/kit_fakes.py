"""In-memory stand-ins for a pool and its connections: transactions that keep writes only on commit."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any


class FakeConnection:
    """Records the statements of each transaction; only a committed transaction's reach ``committed``."""

    def __init__(self, pool: FakePool):
        self._pool = pool
        self._pending: list[tuple[str, tuple[Any, ...]]] = []

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        self._pending = []
        try:
            yield
        except BaseException:
            self._pool.rolled_back += 1
            raise
        self._pool.committed.extend(self._pending)

    async def execute(self, sql: str, *args: Any) -> str:
        self._pending.append((sql, args))
        return "OK"

    async def fetchval(self, sql: str, *args: Any) -> Any:
        if sql.startswith("select current_schema()"):
            return "kit"
        if sql.startswith("insert into inbox"):
            seen = {a for s, a in self._pool.committed + self._pending if s.startswith("insert into inbox")}
            self._pending.append((sql, args))
            return None if args in seen else True
        raise AssertionError(f"unexpected query {sql}")


class FakePool:
    def __init__(self, refuse: Exception | None = None):
        self.committed: list[tuple[str, tuple[Any, ...]]] = []
        self.rolled_back = 0
        self.refuse = refuse
        self.released = 0

    async def acquire(self) -> FakeConnection:
        if self.refuse is not None:
            raise self.refuse
        return FakeConnection(self)

    async def release(self, _conn: FakeConnection) -> None:
        self.released += 1

    def outbox(self) -> list[tuple[Any, ...]]:
        """The outbox rows committed: (event_id, topic, key, type, body)."""
        return [args for sql, args in self.committed if sql.startswith("insert into outbox")]


class FakeHost:
    def __init__(self, pool: FakePool | None):
        self.pool = pool

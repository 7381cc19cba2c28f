"""The outbox relay: publishes committed outbox rows to the broker, then marks them sent."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

import asyncpg
import structlog

from eventkit.outbox import channel

log = structlog.get_logger(__name__)

Publish = Callable[[str, str, bytes, dict[str, str]], Awaitable[None]]
"""``publish(topic, key, body, headers)`` returns once the broker has confirmed the write."""


class OutboxRelay:
    """One relay per service.

    It never keeps a "last published id" watermark: sequence order is not commit
    order, so a row with a smaller ``seq`` can commit after a larger one. It scans
    every unpublished row instead (``for update skip locked``), which stays cheap
    thanks to the partial index on unpublished rows.
    """

    def __init__(self, pool: asyncpg.Pool, schema: str, publish: Publish, *, batch: int = 200, idle_s: float = 1.0):
        self._pool = pool
        self._schema = schema
        self._publish = publish
        self._batch = batch
        self._idle_s = idle_s
        self._wake = asyncio.Event()
        self.last_error: str | None = None

    async def publish_pending(self) -> int:
        """Publish one batch of unpublished rows; returns how many were sent."""
        async with self._pool.acquire() as conn, conn.transaction():
            rows = await conn.fetch(
                "select event_id, topic, key, type, body from outbox where published_at is null"
                " order by seq limit $1 for update skip locked",
                self._batch,
            )
            for row in rows:
                headers = {"content-type": "application/json", "x-event-type": row["type"]}
                await self._publish(row["topic"], row["key"], bytes(row["body"]), headers)
            if rows:
                await conn.execute(
                    "update outbox set published_at = now() where event_id = any($1::uuid[])",
                    [r["event_id"] for r in rows],
                )
        return len(rows)

    async def run(self) -> None:
        """Relay until cancelled; a failure is logged and retried with back-off, never dropped."""
        backoff = 0.5
        while True:
            try:
                async with self._pool.acquire() as listener:
                    await listener.add_listener(channel(self._schema), self._on_notify)
                    try:
                        await self._relay_until_failure()
                    finally:
                        with contextlib.suppress(Exception):  # the connection may be the thing that broke
                            await listener.remove_listener(channel(self._schema), self._on_notify)
            except Exception as exc:  # noqa: BLE001 - any failure: keep the rows, retry later
                self.last_error = f"{type(exc).__name__}: {exc}"
                log.warning("outbox_relay_failed", schema=self._schema, error=self.last_error)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 10.0)

    async def _relay_until_failure(self) -> None:
        while True:
            sent = await self.publish_pending()
            self.last_error = None
            if sent == self._batch:
                continue
            self._wake.clear()
            try:
                await asyncio.wait_for(self._wake.wait(), self._idle_s)
            except TimeoutError:
                pass

    def _on_notify(self, *_args: object) -> None:
        self._wake.set()

"""The outbox relay: one leader per service publishes committed outbox rows, then marks them sent."""

from __future__ import annotations

import asyncio
import contextlib
import zlib
from collections.abc import Awaitable, Callable
from typing import Literal

import asyncpg
import structlog

from eventkit.outbox import channel

log = structlog.get_logger(__name__)

Publish = Callable[[str, str, bytes, dict[str, str]], Awaitable[Awaitable[object] | None]]
"""``publish(topic, key, body, headers)`` hands one message to the producer.

It returns ``None`` once the broker has confirmed the write, or an awaitable that
resolves when the broker confirms it (so a relay can send a whole batch before
waiting for any confirmation).
"""

Role = Literal["starting", "leader", "standby"]


def lock_key(schema: str) -> int:
    """The advisory lock that elects a schema's one publishing relay."""
    return zlib.crc32(f"relay:{schema}".encode())


class OutboxRelay:
    """One publishing relay per service, however many replicas run.

    Replicas elect a leader with ``pg_try_advisory_lock`` on a connection each
    holds for as long as it runs; the others stand by and retry. Two relays
    sharing the work with ``skip locked`` could publish two events of one key out
    of order, which the leader lock rules out. The leader reads and marks its
    batches on the very connection that holds the lock: if that connection drops,
    the lock goes with it and the open batch rolls back, unmarked.

    It never keeps a "last published id" watermark: sequence order is not commit
    order, so a row with a smaller ``seq`` can commit after a larger one. It scans
    every unpublished row instead (``for update skip locked``), which stays cheap
    thanks to the partial index on unpublished rows.
    """

    def __init__(
        self,
        pool: asyncpg.Pool,
        schema: str,
        publish: Publish,
        *,
        batch: int = 200,
        idle_s: float = 1.0,
        standby_s: float = 1.0,
    ):
        self._pool = pool
        self._schema = schema
        self._publish = publish
        self._batch = batch
        self._idle_s = idle_s
        self._standby_s = standby_s
        self._lock = lock_key(schema)
        self._wake = asyncio.Event()
        self.last_error: str | None = None
        self.role: Role = "starting"
        self.lock_pid: int | None = None
        """The server process of the connection that holds (or waits for) the leader lock."""

    async def publish_pending(self, conn: asyncpg.Connection | None = None) -> int:
        """Publish one batch of unpublished rows; returns how many the broker confirmed.

        Every row of the batch is handed to the producer first, then all
        confirmations are awaited together; only confirmed rows are marked. A
        failure is raised after the confirmed rows are marked, so an unconfirmed
        row is never marked and a confirmed one is not sent again needlessly.
        """
        if conn is None:
            async with self._pool.acquire() as own:
                return await self.publish_pending(own)
        failure: BaseException | None = None
        async with conn.transaction():
            rows = await conn.fetch(
                "select event_id, topic, key, type, body from outbox where published_at is null"
                " order by seq limit $1 for update skip locked",
                self._batch,
            )
            confirmations: list[Awaitable[object] | None] = []
            for row in rows:
                headers = {"content-type": "application/json", "x-event-type": row["type"]}
                try:
                    confirmations.append(await self._publish(row["topic"], row["key"], bytes(row["body"]), headers))
                except Exception as exc:  # noqa: BLE001 - the rows already sent still get their answer
                    failure = exc
                    break
            outcomes = await asyncio.gather(*(_confirmed(c) for c in confirmations), return_exceptions=True)
            sent = [row["event_id"] for row, outcome in zip(rows, outcomes, strict=False) if outcome is None]
            failure = failure or next((o for o in outcomes if isinstance(o, BaseException)), None)
            if sent:
                await conn.execute("update outbox set published_at = now() where event_id = any($1::uuid[])", sent)
        if failure is not None:
            raise failure
        return len(sent)

    async def run(self) -> None:
        """Relay until cancelled: stand by until this replica leads, then publish.

        A failure is logged and retried with back-off, never dropped.
        """
        backoff = 0.5
        while True:
            try:
                async with self._pool.acquire() as conn:
                    await self._lead(conn)
            except Exception as exc:  # noqa: BLE001 - any failure: keep the rows, retry later
                self.last_error = f"{type(exc).__name__}: {exc}"
                log.warning("outbox_relay_failed", schema=self._schema, error=self.last_error)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 10.0)
            finally:
                self.role, self.lock_pid = "starting", None

    async def _lead(self, conn: asyncpg.Connection) -> None:
        self.lock_pid = conn.get_server_pid()
        while not await conn.fetchval("select pg_try_advisory_lock($1)", self._lock):
            if self.role != "standby":
                log.info("outbox_relay_standing_by", schema=self._schema)
            self.role, self.last_error = "standby", None
            await asyncio.sleep(self._standby_s)
        self.role = "leader"
        log.info("outbox_relay_leading", schema=self._schema)
        try:
            await conn.add_listener(channel(self._schema), self._on_notify)
            await self._relay_until_failure(conn)
        finally:
            # The pool's reset releases the lock too; a broken connection has lost it already.
            with contextlib.suppress(Exception):
                await conn.remove_listener(channel(self._schema), self._on_notify)
                await conn.execute("select pg_advisory_unlock($1)", self._lock)

    async def _relay_until_failure(self, conn: asyncpg.Connection) -> None:
        while True:
            sent = await self.publish_pending(conn)
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


async def _confirmed(confirmation: Awaitable[object] | None) -> None:
    if confirmation is not None:
        await confirmation

"""Subscribers that lose nothing: inbox claim + effect in one transaction, retries, dead letters."""

from __future__ import annotations

import asyncio
import traceback
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from typing import Any, Protocol

import asyncpg
import msgspec
import structlog
from faststream import AckPolicy
from faststream.kafka import KafkaMessage, KafkaRouter
from tenacity import AsyncRetrying, retry_if_not_exception_type, stop_after_attempt, wait_exponential

from contracts import Envelope, Event
from contracts.topics import dead_letter_topic
from eventkit import inbox
from eventkit.messages import UnknownEventError, read
from eventkit.relay import Publish

log = structlog.get_logger(__name__)

Handler = Callable[[Envelope, Any, asyncpg.Connection], Awaitable[None]]
"""``handler(envelope, event, conn)``: applies the event inside the open transaction ``conn``."""


class PoolSource(Protocol):
    """Whatever holds the service's pool once start-up has connected it."""

    @property
    def pool(self) -> asyncpg.Pool | None: ...


class NotReadyError(Exception):
    """The service cannot take messages yet (no database); the message is redelivered, not dead-lettered."""


_INFRASTRUCTURE = (NotReadyError, OSError, asyncpg.PostgresConnectionError, asyncpg.InterfaceError)


class Consumer:
    """Handles one topic for one consumer group.

    Offsets are committed only after the effect is committed (``NACK_ON_ERROR``,
    no auto-commit). A message that keeps failing goes to ``<topic>.dlq.<group>``
    with its error; an unreachable database is never a reason to dead-letter:
    the message is nacked and comes back.
    """

    def __init__(
        self,
        topic: str,
        group: str,
        handlers: Mapping[type[Event], Handler],
        deps: PoolSource,
        publish: Publish,
        *,
        attempts: int = 5,
        backoff_s: float = 0.2,
    ):
        self.topic = topic
        self.group = group
        self.dlq = dead_letter_topic(topic, group)
        self._handlers = dict(handlers)
        self._deps = deps
        self._publish = publish
        self._attempts = attempts
        self._backoff_s = backoff_s

    def attach(self, router: KafkaRouter) -> None:
        router.subscriber(
            self.topic,
            group_id=self.group,
            ack_policy=AckPolicy.NACK_ON_ERROR,
            auto_offset_reset="earliest",
            title=f"{self.group}:{self.topic}",
        )(self._on_message)

    async def _on_message(self, message: KafkaMessage) -> None:
        await self.process(message.body, key=_key_of(message), headers=dict(message.headers or {}))

    async def process(self, body: bytes, *, key: str, headers: Mapping[str, str]) -> str:
        """Handle one raw message; returns ``handled``, ``duplicate``, ``ignored`` or ``dead_lettered``."""
        try:
            envelope, event = read(body)
        except (msgspec.DecodeError, msgspec.ValidationError, UnknownEventError) as exc:
            await self._dead_letter(body, key, headers, exc)
            return "dead_lettered"
        handler = self._handlers.get(type(event))
        if handler is None:
            return "ignored"
        try:
            async for attempt in AsyncRetrying(
                stop=stop_after_attempt(self._attempts),
                wait=wait_exponential(multiplier=self._backoff_s, max=5),
                retry=retry_if_not_exception_type(_INFRASTRUCTURE),
                reraise=True,
            ):
                with attempt:
                    done = await self._apply(envelope, event, handler)
        except _INFRASTRUCTURE as exc:
            log.warning("consumer_not_ready", group=self.group, topic=self.topic, error=_describe(exc))
            await asyncio.sleep(1.0)
            raise
        except Exception as exc:  # noqa: BLE001 - any handler failure after retries is a dead letter
            await self._dead_letter(body, key, headers, exc)
            return "dead_lettered"
        return "handled" if done else "duplicate"

    async def _apply(self, envelope: Envelope, event: Event, handler: Handler) -> bool:
        pool = self._deps.pool
        if pool is None:
            raise NotReadyError("database not connected yet")
        async with pool.acquire() as conn, conn.transaction():
            if not await inbox.claim(conn, self.group, envelope.event_id):
                return False
            await handler(envelope, event, conn)
        log.info("event_handled", group=self.group, event_type=envelope.type, event_id=str(envelope.event_id))
        return True

    async def _dead_letter(self, body: bytes, key: str, headers: Mapping[str, str], exc: BaseException) -> None:
        dl_headers = {k: v for k, v in headers.items() if not k.startswith("x-error")}
        dl_headers |= {
            "x-original-topic": self.topic,
            "x-consumer-group": self.group,
            "x-error": _describe(exc)[:1000],
            "x-error-trace": "".join(traceback.format_exception(exc))[-4000:],
            "x-failed-at": datetime.now(UTC).isoformat(),
        }
        await self._publish(self.dlq, key, body, dl_headers)
        log.error("event_dead_lettered", group=self.group, topic=self.topic, dlq=self.dlq, error=_describe(exc))


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def _key_of(message: KafkaMessage) -> str:
    raw = getattr(message.raw_message, "key", None)
    if isinstance(raw, bytes):
        return raw.decode("utf-8", "replace")
    return str(raw or "")

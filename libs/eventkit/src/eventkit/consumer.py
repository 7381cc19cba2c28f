"""Subscribers that lose nothing: inbox claim + effect in one transaction, outages wait, failures dead-letter."""

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
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt, wait_exponential

from contracts import Envelope, Event
from contracts.topics import dead_letter_topic
from eventkit.errors import DependencyUnavailableError, NotReadyError, describe, unavailable
from eventkit.messages import UnknownEventError, read
from eventkit.relay import Publish
from eventkit.uow import UnitOfWork, open_unit

log = structlog.get_logger(__name__)

__all__ = ["Consumer", "Handler", "NotReadyError", "PoolSource"]

Handler = Callable[[Envelope, Any, UnitOfWork], Awaitable[None]]
"""``handler(envelope, event, uow)``: applies the event inside the consumer's unit of work.

The unit of work already holds the inbox claim; what the handler emits names the envelope as
its cause. Repositories speak SQL on ``uow.conn``.
"""


class PoolSource(Protocol):
    """Whatever holds the service's pool once start-up has connected it."""

    @property
    def pool(self) -> asyncpg.Pool | None: ...


class Consumer:
    """Handles one topic for one consumer group.

    Offsets are committed only after the effect is committed (``NACK_ON_ERROR``,
    no auto-commit). One rule decides what a failure means (``errors.unavailable``):
    a dependency that cannot be reached is an outage, so the message waits and is
    redelivered (nacked), and ``unreachable`` names the dependency for ``/health``
    until a message succeeds again; anything else is a failure of the message,
    retried with capped exponential back-off and then sent to
    ``<topic>.dlq.<group>`` with its error.
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
        outage_wait_s: tuple[float, float] = (0.5, 10.0),
    ):
        self.topic = topic
        self.group = group
        self.dlq = dead_letter_topic(topic, group)
        self._handlers = dict(handlers)
        self._deps = deps
        self._publish = publish
        self._attempts = attempts
        self._backoff_s = backoff_s
        self._outage_wait_s = outage_wait_s
        self._outage_wait = outage_wait_s[0]
        self.unreachable: dict[str, str] = {}
        """Dependencies this consumer is waiting for: name -> what is wrong."""
        self.dead_lettered = 0
        """Messages this process sent to ``dlq`` since it started."""

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
        """Handle one raw message; returns ``handled``, ``duplicate``, ``ignored`` or ``dead_lettered``.

        Raises :class:`DependencyUnavailableError` (after a wait that grows up to a
        cap) when a dependency is down, so the message is redelivered.
        """
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
                # tenacity sees every exception, cancellation too: retrying a CancelledError would
                # swallow the stop of the task (a relay delivering in memory never ends then).
                retry=retry_if_exception(lambda exc: isinstance(exc, Exception) and unavailable(exc) is None),
                reraise=True,
            ):
                with attempt:
                    done = await self._apply(envelope, event, handler)
        except Exception as exc:  # an outage waits; any other failure, after retries, is a dead letter
            if (outage := unavailable(exc)) is not None:
                await self._wait_for(outage)
                raise outage from exc
            await self._dead_letter(body, key, headers, exc)
            # The handler ran, so its unit of work had a connection: PostgreSQL is not what is wrong. A
            # service whose first messages came before its pool, and whose next ones all fail, must not
            # report its database down for ever (the mark used to clear only on a success).
            self.unreachable.pop("postgres", None)
            return "dead_lettered"
        self.unreachable.clear()
        self._outage_wait = self._outage_wait_s[0]
        return "handled" if done else "duplicate"

    async def _apply(self, envelope: Envelope, event: Event, handler: Handler) -> bool:
        # open_unit makes getting a connection an outage, whatever it raises (refused, timed out),
        # and so is the connection closing under the handler (the server restarted); an OSError from
        # inside the handler while its connection is open is the handler's own failure.
        async with open_unit(self._deps.pool, cause=envelope) as uow:
            if not await uow.claim(self.group, envelope.event_id):
                return False
            await handler(envelope, event, uow)
        log.info("event_handled", group=self.group, event_type=envelope.type, event_id=str(envelope.event_id))
        return True

    async def _wait_for(self, outage: DependencyUnavailableError) -> None:
        self.unreachable[outage.dependency] = outage.detail
        log.warning(
            "dependency_unavailable",
            group=self.group,
            topic=self.topic,
            dependency=outage.dependency,
            error=outage.detail,
        )
        await asyncio.sleep(self._outage_wait)
        self._outage_wait = min(self._outage_wait * 2, self._outage_wait_s[1])

    async def _dead_letter(self, body: bytes, key: str, headers: Mapping[str, str], exc: BaseException) -> None:
        dl_headers = {k: v for k, v in headers.items() if not k.startswith("x-error")}
        dl_headers |= {
            "x-original-topic": self.topic,
            "x-consumer-group": self.group,
            "x-error": describe(exc)[:1000],
            "x-error-trace": "".join(traceback.format_exception(exc))[-4000:],
            "x-failed-at": datetime.now(UTC).isoformat(),
        }
        try:
            await self._publish(self.dlq, key, body, dl_headers)
        except Exception as publish_exc:
            # A dead letter that cannot be written is not dropped: the message waits for the broker.
            outage = unavailable(publish_exc) or DependencyUnavailableError("kafka", describe(publish_exc))
            await self._wait_for(outage)
            raise outage from publish_exc
        self.dead_lettered += 1
        log.error("event_dead_lettered", group=self.group, topic=self.topic, dlq=self.dlq, error=describe(exc))


def _key_of(message: KafkaMessage) -> str:
    raw = getattr(message.raw_message, "key", None)
    if isinstance(raw, bytes):
        return raw.decode("utf-8", "replace")
    return str(raw or "")

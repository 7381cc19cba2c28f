"""A service's connections and lifecycle: pool, migrations, outbox relay, broker, health.

The host never gives up on a dependency that is down: it keeps retrying in the
background, says in one line what is wrong, and ``health()`` reports it. The
same code runs embedded (shared in-memory broker) and distributed (own Kafka
connection): only ``own_broker`` differs.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import structlog
from aiokafka.client import AIOKafkaClient
from faststream.kafka import KafkaBroker, KafkaRouter

from contracts import Event
from eventkit.consumer import Consumer, Handler
from eventkit.deadletters import waiting_on_kafka
from eventkit.migrations import migrate
from eventkit.relay import OutboxRelay

log = structlog.get_logger(__name__)

CHECK_TIMEOUT_S = 3.0
"""The longest a service's own health check may take (its dependency's probe should be shorter)."""
DLQ_COUNT_TTL_S = 10.0
"""How long a count of dead letters read from Kafka is reused by ``/health``."""
Check = Callable[[], Awaitable[str | None]]
Startup = Callable[[asyncpg.Pool], Awaitable[None]]
"""Work a service does once its schema is migrated and before it reports ready (e.g. demo data)."""
"""A health check: ``None`` when fine, otherwise a one-line description of the problem."""


@dataclass(frozen=True)
class Subscription:
    topic: str
    handlers: Mapping[type[Event], Handler]


@dataclass
class CheckResult:
    ok: bool
    detail: str
    degraded: bool = False
    """Not ok, yet the service works: something waits for a person (e.g. dead letters)."""


@dataclass
class ServiceHost:
    name: str
    database_url: str
    broker: KafkaBroker
    migrations: Path
    subscriptions: Sequence[Subscription] = ()
    own_broker: bool = True
    bus_address: str = "the configured servers"
    checks: dict[str, Check] = field(default_factory=dict)
    startup: Sequence[Startup] = ()
    consumer_group: str | None = None
    """The Kafka consumer group; the service's name unless a test isolates itself with its own."""
    pool: asyncpg.Pool | None = None
    problems: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.schema = self.name
        self.group = self.consumer_group or self.name
        self._tasks: list[asyncio.Task[Any]] = []
        self._broker_started = False
        self._dlq_cache: tuple[float, int, dict[str, int]] | None = None
        self.relay: OutboxRelay | None = None
        self.router = KafkaRouter()
        self.consumers = [Consumer(s.topic, self.group, s.handlers, self, self.publish) for s in self.subscriptions]
        for consumer in self.consumers:
            consumer.attach(self.router)
        self.broker.include_router(self.router)

    async def publish(self, topic: str, key: str, body: bytes, headers: dict[str, str]) -> None:
        """Publish and wait for the broker's acknowledgement (acks=all, idempotent producer)."""
        await self.broker.publish(body, topic=topic, key=key.encode(), headers=headers)

    async def send(self, topic: str, key: str, body: bytes, headers: dict[str, str]) -> Awaitable[object] | None:
        """Hand a message to the producer without waiting; returns the confirmation to await.

        The in-memory broker delivers at once and returns ``None``. Per partition the
        idempotent producer writes in the order of the calls, so a relay can send a
        whole batch and then await all confirmations together.
        """
        return await self.broker.publish(body, topic=topic, key=key.encode(), headers=headers, no_confirm=True)

    async def start(self) -> None:
        self.problems["postgres"] = "connecting"
        if self.own_broker:
            self.problems["kafka"] = "connecting"
        self._tasks.append(asyncio.create_task(self._connect_database(), name=f"{self.name}-db"))
        if self.own_broker:
            self._tasks.append(asyncio.create_task(self._connect_broker(), name=f"{self.name}-kafka"))

    async def stop(self, grace_s: float = 10.0) -> None:
        """Stop the background work, the broker and the pool; a stop never waits longer than ``grace_s`` per step.

        A run is stopped by a service manager that will kill it if it hangs: better to end the
        stragglers (a task that ignores its cancel, a connection never released) and say so.
        """
        for task in self._tasks:
            task.cancel()
        if self._tasks:
            done, stuck = await asyncio.wait(self._tasks, timeout=grace_s)
            for task in done:
                if not task.cancelled() and task.exception() is not None:
                    log.warning("task_failed_while_stopping", service=self.name, task=task.get_name())
            for task in stuck:
                log.error("task_did_not_stop", service=self.name, task=task.get_name())
        self._tasks.clear()
        if self.own_broker and self._broker_started:
            await self.broker.stop()
        if self.pool is not None:
            pool, self.pool = self.pool, None
            try:
                await asyncio.wait_for(pool.close(), grace_s)
            except TimeoutError:
                log.error("pool_did_not_close", service=self.name)
                pool.terminate()

    @contextlib.asynccontextmanager
    async def lifespan(self, _app: object = None) -> AsyncIterator[None]:
        await self.start()
        try:
            yield
        finally:
            await self.stop()

    async def wait_ready(self, timeout_s: float = 60.0) -> None:
        """Wait until every dependency answers; raise with the problems if it takes too long."""
        deadline = asyncio.get_running_loop().time() + timeout_s
        while self.problems or self.pool is None:
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(f"{self.name} not ready: {self.problems}")
            await asyncio.sleep(0.1)

    async def health(self) -> dict[str, CheckResult]:
        """Every check at once, each bounded (about 3 s at most): a gateway asking with a 5 s timeout always
        hears which dependency is wrong, even when several are down together."""
        names = ["postgres", *(["kafka"] if self.own_broker else []), *self.checks]
        probes = [self._check_postgres(), *([self._check_kafka()] if self.own_broker else [])]
        probes += [self._run_check(check) for check in self.checks.values()]
        if self.consumers:
            names.append("dead_letters")
            probes.append(self._check_dead_letters())
        results = dict(zip(names, await asyncio.gather(*probes), strict=True))
        # A consumer waiting on a dependency knows better than a probe: the probe may pass
        # while every real call fails (a bucket that answers HEAD but refuses writes, a timeout).
        for consumer in self.consumers:
            for dependency, detail in consumer.unreachable.items():
                waiting = f"{detail} (consumer {self.group} of {consumer.topic} waits and redelivers)"
                results[dependency] = CheckResult(False, waiting)
        return results

    async def _check_kafka(self) -> CheckResult:
        problem = self.problems.get("kafka")
        if problem is None and not await self.broker.ping(timeout=2.0):
            problem = "Kafka does not answer"
        return CheckResult(problem is None, problem or "connected")

    async def _run_check(self, check: Check) -> CheckResult:
        try:
            async with asyncio.timeout(CHECK_TIMEOUT_S):
                problem = await check()
        except TimeoutError:
            problem = f"no answer within {CHECK_TIMEOUT_S:g} s"
        except Exception as exc:  # noqa: BLE001 - a failing check is a health answer, not a crash
            problem = _describe(exc)
        return CheckResult(problem is None, problem or "ok")

    async def _check_dead_letters(self) -> CheckResult:
        """Dead letters waiting, per dead-letter topic of this group: degraded, never a silent ok."""
        counts = {c.dlq: c.dead_lettered for c in self.consumers}
        source = "since this process started"
        # Ask Kafka only while it is connected: a health answer must not wait on a broker known to be down.
        if self.own_broker and self._broker_started and "kafka" not in self.problems:
            now, mine = asyncio.get_running_loop().time(), sum(counts.values())
            # Reused for a while, but never past a dead letter this process has just written.
            if self._dlq_cache is None or now - self._dlq_cache[0] > DLQ_COUNT_TTL_S or self._dlq_cache[1] != mine:
                try:
                    async with asyncio.timeout(3.0):
                        found = await waiting_on_kafka(self.bus_address, self.group, list(counts))
                    self._dlq_cache = (now, mine, found)
                except Exception as exc:  # noqa: BLE001 - fall back to this process's own count
                    log.warning("dead_letter_count_failed", service=self.name, error=_describe(exc))
                    self._dlq_cache = None
            if self._dlq_cache is not None:
                counts, source = self._dlq_cache[2], f"not yet replayed by {self.group}.replay"
        waiting = {dlq: n for dlq, n in counts.items() if n}
        if not waiting:
            return CheckResult(True, "no dead letters waiting")
        listed = ", ".join(f"{n} in {dlq}" for dlq, n in sorted(waiting.items()))
        return CheckResult(False, f"dead letters waiting ({source}): {listed}", degraded=True)

    async def _check_postgres(self) -> CheckResult:
        if self.pool is None:
            return CheckResult(False, self.problems.get("postgres", "not connected"))
        try:
            async with asyncio.timeout(2.0):
                pending = await self.pool.fetchval("select count(*) from outbox where published_at is null")
        except Exception as exc:  # noqa: BLE001
            return CheckResult(False, f"PostgreSQL does not answer: {type(exc).__name__}: {exc}")
        detail = f"connected, schema {self.schema}, {pending} event(s) waiting in the outbox"
        if self.relay is None:
            return CheckResult(True, detail)
        if self.relay.last_error:
            return CheckResult(False, f"{detail}; relay failing: {self.relay.last_error}")
        # A standby relay is healthy: another replica of the service holds the leader lock and publishes.
        role = {"leader": "relay publishing", "standby": "relay on standby (another replica publishes)"}
        return CheckResult(True, f"{detail}; {role.get(self.relay.role, 'relay starting')}")

    async def _connect_database(self) -> None:
        delay = 0.5
        while True:
            pool: asyncpg.Pool | None = None
            try:
                pool = await asyncpg.create_pool(
                    self.database_url,
                    min_size=1,
                    max_size=10,
                    timeout=5,
                    server_settings={"search_path": self.schema, "application_name": self.name},
                )
                async with pool.acquire() as conn:
                    applied = await migrate(conn, self.schema, self.migrations)
                for step in self.startup:
                    await step(pool)
                break
            except BaseException as exc:
                if pool is not None:
                    with contextlib.suppress(Exception):
                        await pool.close()
                if not isinstance(exc, Exception):
                    raise  # cancelled while starting: the pool is closed, stop here
                self.problems["postgres"] = f"cannot use PostgreSQL at {_redact(self.database_url)}: {_describe(exc)}"
                log.error("postgres_unavailable", service=self.name, error=self.problems["postgres"])
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)
        self.pool = pool
        self.problems.pop("postgres", None)
        log.info("postgres_ready", service=self.name, migrations_applied=len(applied))
        self.relay = OutboxRelay(pool, self.schema, self.send)
        self._tasks.append(asyncio.create_task(self.relay.run(), name=f"{self.name}-relay"))

    async def _connect_broker(self) -> None:
        delay = 0.5
        while True:
            try:
                await _probe_kafka(self.bus_address)
                await self.broker.start()
                self._broker_started = True
                break
            except Exception as exc:  # noqa: BLE001 - reported in health, retried
                self.problems["kafka"] = f"cannot reach Kafka at {self.bus_address}: {_describe(exc)}"
                log.error("kafka_unavailable", service=self.name, error=self.problems["kafka"])
                with contextlib.suppress(Exception):
                    await self.broker.stop()
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)
        self.problems.pop("kafka", None)
        log.info("kafka_ready", service=self.name)


def kafka_broker(bootstrap: str, *, client_id: str) -> KafkaBroker:
    """A broker whose producer loses nothing: idempotent, ``acks=all``."""
    return KafkaBroker(
        bootstrap,
        client_id=client_id,
        acks="all",
        enable_idempotence=True,
        request_timeout_ms=10_000,
        logger=None,
    )


async def _probe_kafka(bootstrap: str) -> None:
    """Bootstrap a throw-away client first: a broker that fails half-way through start leaks its producer."""
    client = AIOKafkaClient(bootstrap_servers=bootstrap, request_timeout_ms=5000)
    try:
        await client.bootstrap()
    finally:
        await client.close()


def _describe(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if text.startswith(type(exc).__name__) else f"{type(exc).__name__}: {text}"


def _redact(url: str) -> str:
    """Hide a password in a connection URL before it reaches a log or a health page."""
    if "@" not in url or "://" not in url:
        return url
    scheme, rest = url.split("://", 1)
    creds, host = rest.rsplit("@", 1)
    user = creds.split(":", 1)[0]
    return f"{scheme}://{user}@{host}"

"""The one line between an outage (wait and redeliver) and a failure (retry, then dead-letter)."""

from __future__ import annotations

import asyncpg
from aiokafka.errors import KafkaConnectionError, KafkaTimeoutError, NodeNotReadyError, RequestTimedOutError


class DependencyUnavailableError(Exception):
    """A dependency of the service cannot be reached: PostgreSQL, Kafka, the object store, SMTP.

    Adapters raise it for connection failures and timeouts. A consumer never
    dead-letters a message for it: the message waits and comes back, and the
    service's ``/health`` names the dependency until a message succeeds again.
    ``dependency`` is the name the service's health check uses for it
    (``postgres``, ``kafka``, ``object_store``, ``smtp``).
    """

    def __init__(self, dependency: str, detail: str):
        super().__init__(f"cannot reach {dependency}: {detail}")
        self.dependency = dependency
        self.detail = detail


class NotReadyError(DependencyUnavailableError):
    """The service has no database yet: a message is redelivered, not dead-lettered; a route answers 503."""

    def __init__(self, detail: str = "database not connected yet"):
        super().__init__("postgres", detail)


POSTGRES_DOWN = (
    asyncpg.PostgresConnectionError,  # SQLSTATE class 08
    asyncpg.exceptions.ConnectionDoesNotExistError,  # the connection dropped mid-way
    asyncpg.CannotConnectNowError,
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    asyncpg.TooManyConnectionsError,
)
"""The driver's errors that mean PostgreSQL itself cannot be used (not that a statement was wrong)."""
_KAFKA_DOWN = (KafkaConnectionError, KafkaTimeoutError, NodeNotReadyError, RequestTimedOutError)


def unavailable(exc: BaseException) -> DependencyUnavailableError | None:
    """The outage ``exc`` stands for, or ``None`` when it is a failure of the work itself.

    PostgreSQL's and Kafka's connection errors are recognised here; every other
    dependency's adapter raises :class:`DependencyUnavailableError` itself. A plain
    ``OSError`` is not an outage: it may come from the handler's own logic.
    """
    if isinstance(exc, DependencyUnavailableError):
        return exc
    if isinstance(exc, POSTGRES_DOWN):
        return DependencyUnavailableError("postgres", describe(exc))
    if isinstance(exc, _KAFKA_DOWN):
        return DependencyUnavailableError("kafka", describe(exc))
    return None


def describe(exc: BaseException) -> str:
    """``Type: message`` in one line."""
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__

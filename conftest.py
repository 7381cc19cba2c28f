"""Shared fixtures: the real servers tests run against, and a fresh database per session.

``CONTIGO_TEST_SERVERS=local`` (default) starts PostgreSQL, Kafka and MinIO with
deploy/local/servers.sh; ``testcontainers`` starts them as containers where a Docker
engine exists. A server that cannot be started fails the tests that need it, loudly.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from testkit.databases import fresh_database

REPO = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Servers:
    database_url: str
    kafka_bootstrap: str
    s3_endpoint: str
    s3_access_key: str
    s3_secret_key: str


def _local_servers() -> Servers:
    result = subprocess.run(
        ["bash", str(REPO / "deploy/local/servers.sh"), "start"], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        pytest.fail(f"deploy/local/servers.sh start failed:\n{result.stdout}\n{result.stderr}", pytrace=False)
    env = subprocess.run(
        ["bash", str(REPO / "deploy/local/servers.sh"), "env"], capture_output=True, text=True, check=True
    ).stdout
    values = dict(line.split("=", 1) for line in env.splitlines() if "=" in line and not line.startswith("#"))
    return Servers(
        values["CONTIGO_DATABASE_URL"],
        values["CONTIGO_KAFKA_BOOTSTRAP"],
        values["CONTIGO_S3_ENDPOINT"],
        values["CONTIGO_S3_ACCESS_KEY"],
        values["CONTIGO_S3_SECRET_KEY"],
    )


def _container_servers(stack: list) -> Servers:
    from testcontainers.community.kafka import KafkaContainer
    from testcontainers.community.minio import MinioContainer
    from testcontainers.community.postgres import PostgresContainer

    pg = PostgresContainer("postgres:16", driver=None).start()
    kafka = KafkaContainer("apache/kafka:4.1.1").with_kraft().start()
    minio = MinioContainer().start()
    stack.extend([pg, kafka, minio])
    cfg = minio.get_config()
    return Servers(
        pg.get_connection_url(), kafka.get_bootstrap_server(), cfg["endpoint"], cfg["access_key"], cfg["secret_key"]
    )


@pytest.fixture(scope="session")
def servers() -> Iterator[Servers]:
    mode = os.environ.get("CONTIGO_TEST_SERVERS", "local")
    if mode == "local":
        yield _local_servers()
    elif mode == "testcontainers":
        stack: list = []
        try:
            yield _container_servers(stack)
        finally:
            for container in reversed(stack):
                container.stop()
    else:
        pytest.fail(f"CONTIGO_TEST_SERVERS must be local or testcontainers, not {mode!r}", pytrace=False)


@pytest.fixture(scope="session")
def database_url(servers: Servers) -> Iterator[str]:
    """A database of its own for this test session, dropped at the end."""
    with fresh_database(servers.database_url) as url:
        yield url


@pytest.fixture(scope="session")
def own_database(servers: Servers) -> Callable[[], contextlib.AbstractContextManager[str]]:
    """``with own_database() as url:`` a database no other test shares, for a whole running system:
    two systems on one database share each service's schema, outbox and relay lock, so one's relay
    would publish the other's events into its own broker."""
    return lambda: fresh_database(servers.database_url)

"""Bad configuration gives a clear error naming what is wrong, and /health shows it."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid

import pytest
from litestar.testing import AsyncTestClient

import cases.app
import cases.config
import documents.app
import documents.config
from eventkit.host import kafka_broker

pytestmark = pytest.mark.integration


async def health_once_settled(client: AsyncTestClient, check: str) -> dict:
    """The first answer in which ``check`` is no longer 'connecting'."""
    for _ in range(100):
        response = await client.get("/health")
        body = response.json()
        if body["checks"].get(check, {}).get("detail") != "connecting":
            return response.status_code, body
        await asyncio.sleep(0.1)
    raise AssertionError(f"{check} still connecting")


async def test_an_unreachable_kafka_is_named_in_health(database_url):
    settings = cases.config.Settings(database_url=database_url, kafka_bootstrap="127.0.0.1:1")
    app = cases.app.create_app(settings, kafka_broker("127.0.0.1:1", client_id="bad"), own_broker=True)

    async with AsyncTestClient(app) as client:
        status, body = await health_once_settled(client, "kafka")

    assert status == 503
    assert body["checks"]["kafka"]["ok"] is False
    assert "cannot reach Kafka at 127.0.0.1:1" in body["checks"]["kafka"]["detail"]


async def test_a_postgresql_that_is_down_is_named_in_health(servers):
    url = "postgresql://postgres@127.0.0.1:1/contigo"
    settings = cases.config.Settings(database_url=url, kafka_bootstrap=servers.kafka_bootstrap)
    app = cases.app.create_app(settings, kafka_broker(servers.kafka_bootstrap, client_id="bad"), own_broker=True)

    async with AsyncTestClient(app) as client:
        status, body = await health_once_settled(client, "postgres")

    assert status == 503
    assert "cannot use PostgreSQL at postgresql://postgres@127.0.0.1:1/contigo" in body["checks"]["postgres"]["detail"]
    assert "Traceback" not in body["checks"]["postgres"]["detail"]


async def test_a_missing_bucket_is_named_in_health(database_url, servers):
    bucket = f"missing-{uuid.uuid4().hex[:8]}"
    settings = documents.config.Settings(
        database_url=database_url,
        kafka_bootstrap=servers.kafka_bootstrap,
        s3_endpoint=servers.s3_endpoint,
        s3_access_key=servers.s3_access_key,
        s3_secret_key=servers.s3_secret_key,
        s3_bucket=bucket,
    )
    app = documents.app.create_app(settings, kafka_broker(servers.kafka_bootstrap, client_id="t"), own_broker=True)

    async with AsyncTestClient(app) as client:
        await app.state.host.wait_ready(60)
        response = await client.get("/health")

    assert response.status_code == 503
    assert response.json()["checks"]["object_store"]["detail"] == (
        f"bucket {bucket} at {servers.s3_endpoint} does not exist (run `contigo init`)"
    )


def test_a_service_started_without_its_database_says_which_variable_is_missing():
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONTIGO_")}

    result = subprocess.run(
        [sys.executable, "-m", "contigo.cli", "serve", "cases", "--port", "18999"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 2
    assert "CONTIGO_DATABASE_URL is required but not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_malformed_port_is_refused_naming_its_variable():
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONTIGO_")}
    env |= {"CONTIGO_DATABASE_URL": "postgresql://x@127.0.0.1:1/x", "CONTIGO_SMTP_PORT": "veinticinco"}

    result = subprocess.run(
        [sys.executable, "-m", "contigo.cli", "serve", "identity", "--port", "18998"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 2
    assert "CONTIGO_SMTP_PORT is invalid" in result.stderr

"""``contigo init``: wait for the servers, create the database roles, the topics and the bucket, apply
every migration as the owner role."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import asyncpg
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from minio import Minio

from authkit import load_or_create_private_key, public_path
from contigo.dbroles import password_variable, provision
from contigo.services import SERVICES
from contracts import topics
from eventkit.settings import ConfigError

PARTITIONS = 3


def _require(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise ConfigError(f"{name} is required but not set")
    return value


async def _retry(what: str, attempt, timeout_s: float):
    deadline = asyncio.get_running_loop().time() + timeout_s
    while True:
        try:
            return await attempt()
        except Exception as exc:  # noqa: BLE001 - retried until the deadline, then reported plainly
            if asyncio.get_running_loop().time() > deadline:
                raise RuntimeError(f"{what}: {type(exc).__name__}: {exc}") from None
            await asyncio.sleep(1.0)


async def create_topics(bootstrap: str, replication: int = 1) -> list[str]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        wanted = [t for t in topics.ALL if t not in existing]
        if wanted:
            try:
                await admin.create_topics([NewTopic(t, PARTITIONS, replication) for t in wanted])
            except TopicAlreadyExistsError:
                pass
        return wanted
    finally:
        await admin.close()


async def migrate_all(admin_url: str, passwords: dict[str, str | None] | None = None) -> dict[str, list[str]]:
    """Every service's role and schema, migrated as the owner (see ``contigo.dbroles``)."""
    conn = await asyncpg.connect(admin_url, timeout=5)
    try:
        return await provision(conn, [(s.name, s.migrations) for s in SERVICES], passwords or {})
    finally:
        await conn.close()


def admin_database_url() -> str:
    """The administrator's URL: ``CONTIGO_ADMIN_DATABASE_URL``, else ``CONTIGO_DATABASE_URL``."""
    return os.environ.get("CONTIGO_ADMIN_DATABASE_URL") or _require("CONTIGO_DATABASE_URL")


def passwords_from_env() -> dict[str, str | None]:
    """Each service's password from ``CONTIGO_DB_PASSWORD_<SERVICE>``; unset leaves the role's as it is."""
    return {s.name: os.environ.get(password_variable(s.name)) or None for s in SERVICES}


def ensure_bucket(endpoint: str, access_key: str, secret_key: str, bucket: str, secure: bool) -> bool:
    client = Minio(endpoint, access_key=access_key, secret_key=secret_key, secure=secure)
    if client.bucket_exists(bucket):
        return False
    client.make_bucket(bucket)
    return True


async def init(timeout_s: float = 120.0) -> None:
    database_url = admin_database_url()
    bootstrap = _require("CONTIGO_KAFKA_BOOTSTRAP")
    endpoint = _require("CONTIGO_S3_ENDPOINT")
    bucket = os.environ.get("CONTIGO_S3_BUCKET") or "contigo-documents"
    secure = os.environ.get("CONTIGO_S3_SECURE", "false").lower() in ("1", "true", "yes")
    access_key = _require("CONTIGO_S3_ACCESS_KEY")
    secret_key = _require("CONTIGO_S3_SECRET_KEY")

    key_file = os.environ.get("CONTIGO_TOKEN_KEY_FILE")
    if key_file:
        load_or_create_private_key(Path(key_file))
        print(f"token key: {key_file} (public half {public_path(Path(key_file))})")
    applied = await _retry(
        f"PostgreSQL at {database_url.split('@')[-1]}",
        lambda: migrate_all(database_url, passwords_from_env()),
        timeout_s,
    )
    for service, versions in applied.items():
        print(f"migrations {service}: {', '.join(versions) or 'up to date'}")
    created = await _retry(f"Kafka at {bootstrap}", lambda: create_topics(bootstrap), timeout_s)
    print(f"topics created: {', '.join(created) or 'none (all exist)'}")
    made = await _retry(
        f"MinIO at {endpoint}",
        lambda: asyncio.to_thread(ensure_bucket, endpoint, access_key, secret_key, bucket, secure),
        timeout_s,
    )
    print(f"bucket {bucket}: {'created' if made else 'exists'}")

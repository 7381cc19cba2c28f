"""Versioned SQL migrations per service schema, applied at start.

Written here rather than taken from a library: the migration tools on PyPI
(alembic, yoyo, ...) need SQLAlchemy or a second, synchronous driver, while every
service speaks asyncpg and plain SQL. This runner is small: numbered files,
one transaction each, a table of applied versions, an advisory lock so two
processes of one service never migrate at once.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from pathlib import Path

import asyncpg

KIT_SQL = Path(__file__).with_name("sql")
_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


@dataclass(frozen=True)
class Migration:
    version: str
    path: Path


def discover(folder: Path, prefix: str) -> list[Migration]:
    found = []
    for path in sorted(folder.glob("*.sql")):
        match = _NAME.match(path.name)
        if not match:
            raise ValueError(f"migration {path} is not named NNNN_what.sql")
        found.append(Migration(f"{prefix}:{match.group(1)}", path))
    return found


def plan(schema: str, service_sql: Path) -> list[Migration]:
    """The kit's own tables first, then the service's migrations."""
    return discover(KIT_SQL, "eventkit") + discover(service_sql, schema)


class MigrationsPendingError(RuntimeError):
    """The schema lacks migrations and this connection's role may not apply them (it owns nothing)."""


async def pending(conn: asyncpg.Connection, schema: str, service_sql: Path) -> list[Migration]:
    """The migrations of ``schema`` not applied yet; reads only, so a service's own role may ask."""
    todo = plan(schema, service_sql)
    if not await conn.fetchval("select to_regclass($1) is not null", f"{schema}.schema_migrations"):
        return todo
    done = {r["version"] for r in await conn.fetch(f"select version from {schema}.schema_migrations")}
    return [m for m in todo if m.version not in done]


async def migrate(conn: asyncpg.Connection, schema: str, service_sql: Path) -> list[str]:
    """Apply pending migrations into ``schema``; returns the versions applied now.

    Up to date, it changes nothing and needs no privilege beyond reading ``schema_migrations``:
    a service connecting with its own role (which owns nothing) checks and goes on, while the
    owner role (``contigo init``, the runs' provisioning) is the one that applies them.
    """
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", schema):
        raise ValueError(f"bad schema name {schema!r}")
    applied_now = []
    lock = zlib.crc32(f"migrate:{schema}".encode())
    await conn.execute("select pg_advisory_lock($1)", lock)
    try:
        todo = await pending(conn, schema, service_sql)
        if not todo:
            return []
        try:
            await conn.execute(f"create schema if not exists {schema}")
            await conn.execute(
                f"create table if not exists {schema}.schema_migrations ("
                " version text primary key, file text not null, applied_at timestamptz not null default now())"
            )
            for m in todo:
                async with conn.transaction():
                    await conn.execute(f"set local search_path to {schema}")
                    await conn.execute(m.path.read_text(encoding="utf-8"))
                    await conn.execute(
                        f"insert into {schema}.schema_migrations (version, file) values ($1, $2)",
                        m.version,
                        m.path.name,
                    )
                applied_now.append(m.version)
        except asyncpg.InsufficientPrivilegeError as exc:
            role = await conn.fetchval("select current_user")
            versions = ", ".join(m.version for m in todo if m.version not in applied_now)
            raise MigrationsPendingError(
                f"schema {schema} lacks {versions} and role {role} may not apply them ({exc}); "
                "run 'contigo init' (migrations run as the owner role)"
            ) from None
    finally:
        await conn.execute("select pg_advisory_unlock($1)", lock)
    return applied_now

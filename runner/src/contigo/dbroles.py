"""PostgreSQL roles: an owner that migrates, and per service a login that owns nothing.

``contigo_owner`` (no login) owns every schema and object; migrations run as it (``set role``
from the administrator's connection). Each service logs in as ``<service>_app``: USAGE on its own
schema only, and on its tables only what it needs — SELECT, INSERT, UPDATE, DELETE on ordinary
tables; never TRUNCATE, REFERENCES, TRIGGER; nothing on another service's schema. Not being the
owner, it cannot ALTER a table or disable its triggers. The exceptions below narrow it further:
append-only tables (credentials, revocations, access logs) are SELECT and INSERT only. Default
privileges give tables and sequences a later migration creates the same grants.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Iterable, Mapping
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import asyncpg

from eventkit.migrations import migrate

OWNER = "contigo_owner"
TABLE_DEFAULT = "select, insert, update, delete"

KIT_TABLES = {
    # Read at start to check every migration is applied; written by the owner only.
    "schema_migrations": "select",
    # The relay marks rows sent (``for update skip locked`` needs UPDATE); rows are never deleted.
    "outbox": "select, insert, update (published_at)",
    # A claim is an insert (``on conflict do nothing returning``); nothing updates or deletes it.
    "inbox": "select, insert",
    # The chain heads are written by the ledger trigger, which runs as the owner.
    "ledger_heads": "",
}
APPEND_ONLY = {
    "identity": ("credentials", "credential_revocations", "staff_revocations"),
    "padron": ("access_log",),
    "cases": ("access_log",),
}
"""Read and added to only, and hash-chained (the ledger ``contigo verify-ledger`` checks)."""
INSERT_ONLY = {"identity": ("login_audit",)}
"""Read and added to only, not chained: the login audit (its trigger refuses changes too)."""


def app_role(service: str) -> str:
    return f"{service}_app"


PASSWORD_VARIABLES = {
    "identity": "CONTIGO_DB_PASSWORD_IDENTITY",
    "access": "CONTIGO_DB_PASSWORD_ACCESS",
    "documents": "CONTIGO_DB_PASSWORD_DOCUMENTS",
    "padron": "CONTIGO_DB_PASSWORD_PADRON",
    "cases": "CONTIGO_DB_PASSWORD_CASES",
}


def password_variable(service: str) -> str:
    """The variable that holds ``service``'s database password (compose, ``contigo init``)."""
    return PASSWORD_VARIABLES[service]


def table_privileges(service: str) -> dict[str, str]:
    """The exceptions to ``TABLE_DEFAULT`` for ``service``'s schema: table → privileges ('' = none)."""
    kept = (*APPEND_ONLY.get(service, ()), *INSERT_ONLY.get(service, ()))
    return KIT_TABLES | {t: "select, insert" for t in kept}


def local_passwords(folder: Path, services: Iterable[str]) -> dict[str, str]:
    """Each service's database password, made once and kept (mode 0600) in ``folder`` (local runs)."""
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    found = {}
    for service in services:
        path = folder / f"{app_role(service)}.password"
        if not path.exists():
            path.write_text(secrets.token_urlsafe(24) + "\n", encoding="utf-8")
            path.chmod(0o600)
        found[service] = path.read_text(encoding="utf-8").strip()
    return found


def service_url(admin_url: str, service: str, password: str | None) -> str:
    """``admin_url`` (same server and database) logging in as ``service``'s role with ``password``."""
    parts = urlsplit(admin_url)
    host = parts.netloc.rsplit("@", 1)[-1]
    login = quote(app_role(service), safe="") + (f":{quote(password, safe='')}" if password else "")
    return urlunsplit((parts.scheme, f"{login}@{host}", parts.path, parts.query, parts.fragment))


async def _quoted(conn: asyncpg.Connection, template: str, *args: str) -> str:
    return await conn.fetchval(
        f"select format('{template}', {', '.join(f'${i + 1}::text' for i in range(len(args)))})", *args
    )


async def _ensure_role(conn: asyncpg.Connection, role: str, *, login: bool, password: str | None) -> None:
    # Roles belong to the cluster, not the database: two provisionings (two test databases) may race.
    for _ in range(5):
        try:
            if not await conn.fetchval("select 1 from pg_roles where rolname = $1", role):
                await conn.execute(await _quoted(conn, "create role %I", role))
            attrs = "login" if login else "nologin"
            await conn.execute(
                await _quoted(
                    conn, f"alter role %I {attrs} nosuperuser nocreatedb nocreaterole noreplication nobypassrls", role
                )
            )
            if password is not None:
                await conn.execute(await _quoted(conn, "alter role %I password %L", role, password))
            return
        except (asyncpg.DuplicateObjectError, asyncpg.UniqueViolationError, asyncpg.InternalServerError):
            await asyncio.sleep(0.2)
    raise RuntimeError(f"could not create the PostgreSQL role {role}")


async def _adopt(conn: asyncpg.Connection, schema: str) -> None:
    """Hand to the owner what an earlier version (migrating as the superuser) created in ``schema``."""
    owner_of = "select pg_get_userbyid(nspowner) from pg_namespace where nspname = $1"
    if await conn.fetchval(owner_of, schema) != OWNER:
        await conn.execute(await _quoted(conn, "alter schema %I owner to %I", schema, OWNER))
    rels = await conn.fetch(
        "select c.relname, c.relkind from pg_class c join pg_namespace n on n.oid = c.relnamespace"
        " where n.nspname = $1 and c.relkind in ('r', 'p', 'v', 'm', 'f', 'S')"
        " and pg_get_userbyid(c.relowner) <> $2"
        # A sequence owned by a column follows its table.
        " and not exists (select 1 from pg_depend d where d.objid = c.oid and d.deptype in ('a', 'i')"
        "                 and d.refclassid = 'pg_class'::regclass)"
        " order by c.relkind = 'S'",
        schema,
        OWNER,
    )
    for rel in rels:
        kind = {"v": "view", "m": "materialized view", "f": "foreign table", "S": "sequence"}.get(
            rel["relkind"], "table"
        )
        await conn.execute(await _quoted(conn, f"alter {kind} %I.%I owner to %I", schema, rel["relname"], OWNER))
    funcs = await conn.fetch(
        "select p.oid::regprocedure::text as sig from pg_proc p join pg_namespace n on n.oid = p.pronamespace"
        " where n.nspname = $1 and pg_get_userbyid(p.proowner) <> $2",
        schema,
        OWNER,
    )
    for fn in funcs:
        await conn.execute(f"alter function {fn['sig']} owner to {OWNER}")


async def _grant(conn: asyncpg.Connection, schema: str, service: str) -> None:
    """Set ``service``'s role's privileges on its schema to exactly the policy (run as the owner)."""
    role = app_role(service)
    q = lambda template, *a: _quoted(conn, template, *a)  # noqa: E731
    await conn.execute(await q("grant usage on schema %I to %I", schema, role))
    await conn.execute(await q("revoke all on all tables in schema %I from %I", schema, role))
    await conn.execute(await q(f"grant {TABLE_DEFAULT} on all tables in schema %I to %I", schema, role))
    tables = {
        r["relname"]
        for r in await conn.fetch(
            "select relname from pg_class c join pg_namespace n on n.oid = c.relnamespace"
            " where n.nspname = $1 and c.relkind in ('r', 'p')",
            schema,
        )
    }
    for table, privileges in table_privileges(service).items():
        if table not in tables:
            continue
        await conn.execute(await q("revoke all on %I.%I from %I", schema, table, role))
        if privileges:
            await conn.execute(await q(f"grant {privileges} on %I.%I to %I", schema, table, role))
    await conn.execute(await q("grant usage on all sequences in schema %I to %I", schema, role))
    await conn.execute(
        await q(
            f"alter default privileges for role %I in schema %I grant {TABLE_DEFAULT} on tables to %I",
            OWNER,
            schema,
            role,
        )
    )
    await conn.execute(
        await q("alter default privileges for role %I in schema %I grant usage on sequences to %I", OWNER, schema, role)
    )
    # Functions are executable by PUBLIC by default; the ledger's stay the owner's (triggers only).
    await conn.execute(
        await q(
            "alter default privileges for role %I in schema %I revoke execute on functions from public", OWNER, schema
        )
    )


async def provision(
    conn: asyncpg.Connection, services: Iterable[tuple[str, Path]], passwords: Mapping[str, str | None]
) -> dict[str, list[str]]:
    """Create the roles, migrate every schema as the owner, set each service's privileges.

    ``conn`` is an administrator's (a superuser, or a role that may create roles and act as the
    owner). A password of ``None`` leaves that role's password as it is. Idempotent.
    """
    services = list(services)
    await _ensure_role(conn, OWNER, login=False, password=None)
    for name, _ in services:
        await _ensure_role(conn, app_role(name), login=True, password=passwords.get(name))
    database = await conn.fetchval("select current_database()")
    await conn.execute(await _quoted(conn, "grant create on database %I to %I", database, OWNER))
    applied = {}
    for name, migrations in services:
        await conn.execute(await _quoted(conn, "create schema if not exists %I authorization %I", name, OWNER))
        await _adopt(conn, name)
        await conn.execute(await _quoted(conn, "set role %I", OWNER))
        try:
            applied[name] = await migrate(conn, name, migrations)
            await _grant(conn, name, name)
        finally:
            await conn.execute("reset role")
    return applied

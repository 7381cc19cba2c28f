"""Each service's own database role: what it is refused, from its own connection; and the ledger's
hash chains, which show a row changed or removed even by a superuser."""

from __future__ import annotations

import asyncio
import itertools
import subprocess
import sys
import uuid
from collections.abc import Iterator

import asyncpg
import pytest
from testkit.databases import fresh_database

from contigo.dbroles import APPEND_ONLY, OWNER, local_passwords, provision, service_url
from contigo.embedded import provision_roles
from contigo.ledger import verify_all
from contigo.pgserver import EmbeddedPostgres
from contigo.processes import Children
from contigo.services import SERVICES
from eventkit.migrations import MigrationsPendingError, migrate

NAMES = [s.name for s in SERVICES]
# A table of each schema besides the kit's, to show another service cannot read it.
OWN_TABLE = {
    "identity": "credentials",
    "access": "access_requests",
    "documents": "documents",
    "padron": "beneficiaries",
    "cases": "oficios",
}
APPEND_ONLY_TABLES = [(svc, table) for svc, tables in APPEND_ONLY.items() for table in tables]


def run(coro):
    return asyncio.run(coro)


async def _provision(admin_url: str, passwords: dict[str, str]) -> None:
    conn = await asyncpg.connect(admin_url)
    try:
        await provision(conn, [(s.name, s.migrations) for s in SERVICES], passwords)
    finally:
        await conn.close()


@pytest.fixture(scope="module")
def db(servers, tmp_path_factory) -> Iterator[dict[str, str]]:
    """A provisioned database: ``admin`` (the superuser) and each service's own URL."""
    passwords = local_passwords(tmp_path_factory.mktemp("roles"), NAMES)
    with fresh_database(servers.database_url, prefix="roles") as admin:
        run(_provision(admin, passwords))
        yield {"admin": admin} | {name: service_url(admin, name, passwords[name]) for name in NAMES}


async def _as(url: str, sql: str, *args) -> object:
    conn = await asyncpg.connect(url)
    try:
        return await conn.fetch(sql, *args)
    finally:
        await conn.close()


async def _script(url: str, sql: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def refused(url: str, sql: str, *args) -> str:
    with pytest.raises(asyncpg.InsufficientPrivilegeError) as caught:
        run(_as(url, sql, *args))
    # The privilege check, not a trigger (padron's append-only trigger raises the same SQLSTATE).
    assert "permission denied" in str(caught.value) or "must be owner" in str(caught.value)
    return str(caught.value)


def _credential_sql() -> str:
    return (
        "insert into identity.credentials (account_id, username, password_hash, ally_type, ubigeo, request_id)"
        " values ($1, $2, 'hash', 'GOBIERNO_LOCAL', '090101', $3)"
    )


def _issue(url: str) -> uuid.UUID:
    account = uuid.uuid4()
    run(_as(url, _credential_sql(), account, f"u-{account.hex[:10]}", uuid.uuid4()))
    return account


def test_each_service_logs_in_as_its_own_role_that_owns_nothing(db):
    for name in NAMES:
        rows = run(
            _as(
                db[name],
                "select current_user as me, (select count(*) from pg_class where relowner = "
                "(select oid from pg_roles where rolname = current_user)) as owned",
            )
        )

        assert rows[0]["me"] == f"{name}_app"
        assert rows[0]["owned"] == 0


def test_identity_cannot_disable_the_trigger_that_keeps_credentials_immutable(db):
    detail = refused(db["identity"], "alter table identity.credentials disable trigger credentials_immutable")

    assert "must be owner" in detail


@pytest.mark.parametrize(
    "statement",
    [
        "update identity.credentials set password_hash = 'rewritten'",
        "delete from identity.credentials",
        "truncate identity.credentials",
        "alter table identity.credentials add column backdoor text",
        "drop trigger credentials_immutable on identity.credentials",
        "update identity.credential_revocations set reason = 'rewritten'",
        "delete from identity.credential_revocations",
    ],
)
def test_identity_cannot_rewrite_or_remove_credentials_or_revocations(db, statement):
    _issue(db["identity"])

    refused(db["identity"], statement)


def test_identity_issues_and_reads_credentials_with_its_own_role(db):
    account = _issue(db["identity"])

    rows = run(_as(db["identity"], "select username from identity.credentials where account_id = $1", account))

    assert len(rows) == 1


@pytest.mark.parametrize(("service", "table"), APPEND_ONLY_TABLES)
@pytest.mark.parametrize("verb", ["update {t} set chain_seq = chain_seq", "delete from {t}", "truncate {t}"])
def test_no_service_rewrites_its_append_only_tables(db, service, table, verb):
    refused(db[service], verb.format(t=f"{service}.{table}"))


@pytest.mark.parametrize("verb", ["update {t} set outcome = outcome", "delete from {t}", "truncate {t}"])
def test_identity_only_adds_to_its_login_audit(db, verb):
    refused(db["identity"], verb.format(t="identity.login_audit"))


@pytest.mark.parametrize(("reader", "owner"), list(itertools.permutations(NAMES, 2)))
def test_no_service_reads_another_service_schema(db, reader, owner):
    detail = refused(db[reader], f"select * from {owner}.{OWN_TABLE[owner]}")

    assert f"schema {owner}" in detail


@pytest.mark.parametrize("service", NAMES)
@pytest.mark.parametrize(
    "statement",
    [
        "alter table {t} disable trigger all",
        "truncate {t}",
        "drop table {t}",
        "alter table {t} owner to {role}",
    ],
)
def test_no_service_alters_truncates_or_gives_away_its_own_tables(db, service, statement):
    table = f"{service}.{OWN_TABLE[service]}"

    refused(db[service], statement.format(t=table, role=f"{service}_app"))


def test_provisioning_again_changes_nothing_and_keeps_every_refusal(db):
    run(_provision(db["admin"], {}))

    refused(db["identity"], "update identity.credentials set password_hash = 'rewritten'")
    refused(db["cases"], "select * from padron.access_log")
    assert run(_as(db["padron"], "select count(*) as n from padron.access_log"))[0]["n"] >= 0


@pytest.mark.parametrize("service", NAMES)
def test_a_service_creates_no_table_anywhere(db, service):
    refused(db[service], f"create table {service}.intruder (x int)")
    refused(db[service], "create table public.intruder (x int)")
    refused(db[service], f"alter table {service}.outbox add column x int")


@pytest.mark.parametrize("service", NAMES)
def test_the_relay_may_mark_outbox_rows_sent_but_not_delete_or_rewrite_them(db, service):
    event = uuid.uuid4()
    run(
        _as(
            db[service],
            f"insert into {service}.outbox (event_id, topic, key, type, body) values ($1, 't', 'k', 'T', 'x')",
            event,
        )
    )

    run(_as(db[service], f"update {service}.outbox set published_at = now() where event_id = $1", event))

    refused(db[service], f"update {service}.outbox set body = 'y' where event_id = $1", event)
    refused(db[service], f"delete from {service}.outbox where event_id = $1", event)
    refused(db[service], f"delete from {service}.inbox")
    refused(db[service], f"insert into {service}.schema_migrations (version, file) values ('x', 'y')")
    refused(db[service], f"select * from {service}.ledger_heads")


def test_a_table_a_later_migration_creates_gets_the_service_grants(db):
    run(
        _script(
            db["admin"], f"set role {OWNER}; create table access.later_things (id bigserial primary key, what text)"
        )
    )

    run(_as(db["access"], "insert into access.later_things (what) values ('ok')"))
    rows = run(_as(db["access"], "select what from access.later_things"))

    assert [r["what"] for r in rows] == ["ok"]
    refused(db["access"], "truncate access.later_things")
    refused(db["identity"], "select * from access.later_things")


def test_a_service_role_checks_its_migrations_and_applies_none(db, tmp_path):
    identity = next(s for s in SERVICES if s.name == "identity")
    extra = tmp_path / "migrations"
    extra.mkdir()
    for path in identity.migrations.glob("*.sql"):
        (extra / path.name).write_text(path.read_text())
    (extra / "0999_more.sql").write_text("create table more_things (x int);\n")

    async def check() -> tuple[list[str], str]:
        conn = await asyncpg.connect(db["identity"])
        try:
            up_to_date = await migrate(conn, "identity", identity.migrations)
            with pytest.raises(MigrationsPendingError) as pending:
                await migrate(conn, "identity", extra)
            return up_to_date, str(pending.value)
        finally:
            await conn.close()

    up_to_date, pending = run(check())

    assert up_to_date == []
    assert "identity:0999" in pending and "contigo init" in pending


# -- the ledger -------------------------------------------------------------------------------------


@pytest.fixture
def ledger_db(servers, tmp_path) -> Iterator[dict[str, str]]:
    """A provisioned database of its own per test: tampering with it must not break another test."""
    passwords = local_passwords(tmp_path / "roles", NAMES)
    with fresh_database(servers.database_url, prefix="ledger") as admin:
        run(_provision(admin, passwords))
        yield {"admin": admin} | {name: service_url(admin, name, passwords[name]) for name in NAMES}


def _problems(url: str) -> dict[str, str]:
    return {r.chain: r.problem for r in run(verify_all(url)) if r.problem}


def _log_access(url: str, schema: str, n: int) -> None:
    extra = ", records, beneficiary_ids" if schema == "padron" else ", case_ids"
    value = ", 1, '{}'" if schema == "padron" else ", '{}'"
    for i in range(n):
        run(
            _as(
                url,
                f"insert into {schema}.access_log (username, role, scope, action, resource, allowed{extra})"
                f" values ('ana', 'ALLY', '090101', 'READ', 'r{i}', true{value})",
            )
        )


def test_untouched_chains_verify_and_the_command_says_so(ledger_db):
    for _ in range(3):
        _issue(ledger_db["identity"])
    _log_access(ledger_db["padron"], "padron", 3)
    _log_access(ledger_db["cases"], "cases", 2)

    done = subprocess.run(
        [sys.executable, "-m", "contigo.cli", "verify-ledger", "--database-url", ledger_db["admin"]],
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert "identity.credentials: 3 row(s), intact" in done.stdout
    assert "padron.access_log: 3 row(s), intact" in done.stdout
    assert "ledger: every chain intact" in done.stdout


def test_links_are_made_by_the_database_whatever_the_service_sends(ledger_db):
    run(
        _as(
            ledger_db["padron"],
            "insert into padron.access_log (username, role, scope, action, resource, allowed,"
            " chain_seq, prev_hash, row_hash) values ('x', 'ALLY', 's', 'READ', 'r', true, 99,"
            " '\\x00', '\\x00')",
        )
    )

    rows = run(_as(ledger_db["admin"], "select chain_seq, length(row_hash) as n from padron.access_log"))

    assert [(r["chain_seq"], r["n"]) for r in rows] == [(1, 32)]
    assert _problems(ledger_db["admin"]) == {}


def test_a_superuser_update_of_a_credential_is_found(ledger_db):
    accounts = [_issue(ledger_db["identity"]) for _ in range(3)]
    run(
        _script(
            ledger_db["admin"],
            "alter table identity.credentials disable trigger credentials_immutable;"
            f" update identity.credentials set password_hash = 'x' where account_id = '{accounts[1]}';"
            " alter table identity.credentials enable trigger credentials_immutable",
        )
    )

    done = subprocess.run(
        [sys.executable, "-m", "contigo.cli", "verify-ledger", "--database-url", ledger_db["admin"]],
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 1
    assert f"identity.credentials: row 2 (account_id {accounts[1]}) changed" in done.stdout


def test_a_superuser_delete_of_a_middle_access_log_entry_is_found(ledger_db):
    _log_access(ledger_db["padron"], "padron", 4)
    run(
        _script(
            ledger_db["admin"],
            "alter table padron.access_log disable trigger user;"
            " delete from padron.access_log where chain_seq = 2;"
            " alter table padron.access_log enable trigger user",
        )
    )

    assert _problems(ledger_db["admin"]) == {
        "padron.access_log": "row 2 removed (the chain goes on at row 3 (entry_id 3))"
    }


def test_a_superuser_delete_of_the_last_revocation_is_found(ledger_db):
    accounts = [_issue(ledger_db["identity"]) for _ in range(2)]
    for account in accounts:
        run(
            _as(
                ledger_db["identity"],
                "insert into identity.credential_revocations (account_id, reason) values ($1, 'r')",
                account,
            )
        )
    run(
        _script(
            ledger_db["admin"],
            "alter table identity.credential_revocations disable trigger user;"
            " delete from identity.credential_revocations where chain_seq = 2;"
            " alter table identity.credential_revocations enable trigger user",
        )
    )

    assert _problems(ledger_db["admin"]) == {"identity.credential_revocations": "row 2 removed (the last rows)"}


def test_rows_written_before_the_ledger_are_chained_by_its_migration(servers, tmp_path):
    identity = next(s for s in SERVICES if s.name == "identity")
    before = tmp_path / "before"
    before.mkdir()
    for path in identity.migrations.glob("000[123]_*.sql"):
        (before / path.name).write_text(path.read_text())

    async def scenario(admin: str) -> None:
        conn = await asyncpg.connect(admin)
        try:
            await migrate(conn, "identity", before)  # as an earlier version did: the superuser, no ledger yet
            await conn.execute(_credential_sql(), uuid.uuid4(), "old-1", uuid.uuid4())
            await conn.execute(_credential_sql(), uuid.uuid4(), "old-2", uuid.uuid4())
        finally:
            await conn.close()

    with fresh_database(servers.database_url, prefix="ledger") as admin:
        run(scenario(admin))
        run(_provision(admin, local_passwords(tmp_path / "roles", NAMES)))
        _issue(service_url(admin, "identity", None))

        reports = {r.chain: r for r in run(verify_all(admin))}
        owners = run(
            _as(
                admin,
                "select distinct pg_get_userbyid(relowner) as o from pg_class c"
                " join pg_namespace n on n.oid = c.relnamespace where nspname = 'identity'",
            )
        )

    assert reports["identity.credentials"].rows == 3 and reports["identity.credentials"].problem is None
    assert [r["o"] for r in owners] == [OWNER]


# -- the embedded run's own PostgreSQL --------------------------------------------------------------


def test_the_embedded_postgres_asks_every_role_for_its_password_and_each_service_gets_its_own(tmp_path):
    children = Children()
    try:
        admin = EmbeddedPostgres(tmp_path, children).start()
        urls = run(provision_roles(tmp_path, admin))
        without_password = admin.replace(admin.split("@")[0].split("//")[1], "postgres")
        wrong = service_url(admin, "identity", "not-the-password")

        me = run(_as(urls["identity"], "select current_user as me"))
        for url in (without_password, wrong):
            with pytest.raises((asyncpg.InvalidPasswordError, asyncpg.InvalidAuthorizationSpecificationError)):
                run(_as(url, "select 1"))
        refused(urls["identity"], "update identity.credentials set password_hash = 'x'")
        refused(urls["access"], "select * from identity.credentials")
    finally:
        children.stop()

    assert me[0]["me"] == "identity_app"
    assert (tmp_path / "keys" / "db" / "identity_app.password").stat().st_mode & 0o777 == 0o600

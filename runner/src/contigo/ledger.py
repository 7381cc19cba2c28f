"""``contigo verify-ledger``: walk every hash chain and name the first row changed or removed.

The chains are made by eventkit's ledger trigger (``eventkit/sql/0002_ledger.sql``). The check
recomputes each hash here, from the row as PostgreSQL serializes it, so a row edited by anyone — a
superuser with the triggers off included — no longer matches; a row removed leaves a gap in the
sequence numbers or a link that points to nothing; removed last rows disagree with the chain's head.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import asyncpg

GENESIS = bytes(32)
CHAINS = (
    ("identity", "credentials", "account_id"),
    ("identity", "credential_revocations", "account_id"),
    ("identity", "staff_revocations", "staff_id"),
    ("padron", "access_log", "entry_id"),
    ("cases", "access_log", "entry_id"),
)
# The settings the trigger hashes under (see ledger_link): the text of a row must not depend on the session.
# The canonical text, written out here rather than calling the schema's ledger_canonical(): a check
# must not trust a function the one who tampered could have replaced.
CANONICAL = "jsonb_strip_nulls(to_jsonb(t) - array['chain_seq', 'prev_hash', 'row_hash'])::text"
SESSION = {"timezone": "UTC", "intervalstyle": "iso_8601", "bytea_output": "hex", "extra_float_digits": "1"}


@dataclass(frozen=True)
class ChainReport:
    chain: str
    rows: int
    problem: str | None = None

    def line(self) -> str:
        return f"{self.chain}: {self.problem}" if self.problem else f"{self.chain}: {self.rows} row(s), intact"


def row_hash(canonical: str, prev_hash: bytes) -> bytes:
    return hashlib.sha256(canonical.encode("utf-8") + prev_hash).digest()


def _link_problem(row: asyncpg.Record, key: str, expected_seq: int, prev: bytes) -> str | None:
    """What is wrong with ``row`` when the chain so far ended at ``expected_seq - 1`` with hash ``prev``."""
    where = f"row {row['chain_seq']} ({key} {row['key']})"
    if row["chain_seq"] is None or row["row_hash"] is None:
        return f"{key} {row['key']} has no link: added with the ledger trigger off"
    if row["chain_seq"] < expected_seq:
        return f"{where} repeats a sequence number: changed"
    if row["chain_seq"] > expected_seq:
        last = row["chain_seq"] - 1
        return (
            f"row {expected_seq}{f' to {last}' if last > expected_seq else ''} removed (the chain goes on at {where})"
        )
    if row_hash(row["canonical"], row["prev_hash"]) != row["row_hash"]:
        return f"{where} changed: its content no longer matches its hash"
    if row["prev_hash"] != prev:
        return f"{where} does not follow row {expected_seq - 1}: one of them changed"
    return None


async def verify_chain(conn: asyncpg.Connection, schema: str, table: str, key: str) -> ChainReport:
    chain = f"{schema}.{table}"
    if not await conn.fetchval("select to_regclass($1) is not null", f"{schema}.ledger_heads"):
        return ChainReport(chain, 0, "no ledger in this schema (migrations not applied?)")
    head = await conn.fetchrow(f"select last_seq, last_hash from {schema}.ledger_heads where chain = $1", table)
    if head is None:
        return ChainReport(chain, 0, "the chain's head is missing (removed, or the table was never chained)")
    expected_seq, prev, count = 1, GENESIS, 0
    query = (
        f"select chain_seq, prev_hash, row_hash, {key}::text as key, {CANONICAL} as canonical"
        f" from {schema}.{table} t order by chain_seq nulls first, {key}"
    )
    async with conn.transaction(readonly=True):
        async for row in conn.cursor(query, prefetch=1000):
            count += 1
            problem = _link_problem(row, key, expected_seq, prev)
            if problem:
                return ChainReport(chain, count, problem)
            expected_seq, prev = expected_seq + 1, row["row_hash"]
    if head["last_seq"] != expected_seq - 1 or head["last_hash"] != prev:
        if head["last_seq"] > expected_seq - 1:
            last = head["last_seq"]
            removed = f"row {expected_seq}" + (f" to {last}" if last > expected_seq else "")
            return ChainReport(chain, count, f"{removed} removed (the last rows)")
        return ChainReport(chain, count, f"the chain's head does not match row {expected_seq - 1}: changed")
    return ChainReport(chain, count)


async def verify_all(database_url: str) -> list[ChainReport]:
    """One report per chain; connect as a role that may read them (an administrator or an auditor)."""
    conn = await asyncpg.connect(database_url, timeout=10, server_settings=SESSION)
    try:
        return [await verify_chain(conn, *chain) for chain in CHAINS]
    finally:
        await conn.close()

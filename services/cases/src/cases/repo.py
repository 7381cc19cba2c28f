"""asyncpg repository of the cases service: plain SQL, rows in and out."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from cases.domain import AccountFact, RequestStep
from contracts.events import AccessRequested, CredentialsIssued, CredentialsRevoked, PadronPublished


class AccountsPgRepo:
    def __init__(self, conn: asyncpg.Connection):
        self._conn = conn

    async def add_account(self, event: CredentialsIssued, event_id: UUID) -> None:
        j = event.jurisdiction
        # A revocation may have arrived first (topics are ordered per key only): keep it.
        await self._conn.execute(
            "insert into ally_accounts (account_id, username, ally_type, ubigeo, entity_name, request_id, issued_at,"
            " issued_event) values ($1, $2, $3, $4, $5, $6, $7, $8)"
            " on conflict (account_id) do update set username = excluded.username, issued_at = excluded.issued_at,"
            " issued_event = excluded.issued_event",
            event.account_id,
            event.username,
            j.ally_type,
            j.ubigeo,
            j.entity_name,
            event.request_id,
            event.issued_at,
            event_id,
        )

    async def mark_revoked(self, event: CredentialsRevoked, event_id: UUID) -> None:
        j = event.jurisdiction
        await self._conn.execute(
            "insert into ally_accounts (account_id, username, ally_type, ubigeo, entity_name, request_id,"
            " issued_at, revoked_at, revoke_reason, revoked_event) values ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9)"
            " on conflict (account_id) do update set revoked_at = excluded.revoked_at,"
            " revoke_reason = excluded.revoke_reason, revoked_event = excluded.revoked_event",
            event.account_id,
            event.username,
            j.ally_type,
            j.ubigeo,
            j.entity_name,
            event.request_id,
            event.revoked_at,
            event.reason,
            event_id,
        )

    async def append_fact(self, fact: AccountFact) -> None:
        await self._conn.execute(
            "insert into account_history (event_id, account_id, kind, occurred_at) values ($1, $2, $3, $4)",
            fact.event_id,
            fact.account_id,
            fact.kind,
            fact.occurred_at,
        )


class FactsPgRepo:
    """Access requests and padrón versions as announced, for evidence."""

    def __init__(self, conn: asyncpg.Connection):
        self._conn = conn

    async def remember_request(self, event: AccessRequested) -> None:
        j, r = event.jurisdiction, event.responsible
        await self._conn.execute(
            "insert into access_requests (request_id, code, ally_type, ubigeo, entity_name, office, position)"
            " values ($1, $2, $3, $4, $5, $6, $7) on conflict (request_id) do update set"
            " office = excluded.office, position = excluded.position",
            event.request_id, event.code, j.ally_type, j.ubigeo, j.entity_name, r.office, r.position,
        )  # fmt: skip

    async def add_request_step(self, step: RequestStep) -> None:
        await self._conn.execute(
            "insert into access_request_history (event_id, request_id, step, attempt, occurred_at, reason)"
            " values ($1, $2, $3, $4, $5, $6) on conflict (event_id) do nothing",
            step.event_id, step.request_id, step.step, step.attempt, step.occurred_at, step.reason,
        )  # fmt: skip

    async def add_padron(self, event: PadronPublished, event_id: UUID, published_at: datetime) -> None:
        inserted = await self._conn.fetchval(
            "insert into padron_publications (padron_id, event_id, period, resolution_number, resolution_date,"
            " published_at) values ($1, $2, $3, $4, $5, $6) on conflict (padron_id) do nothing returning padron_id",
            event.padron_id, event_id, event.period, event.resolution_number, event.resolution_date, published_at,
        )  # fmt: skip
        if inserted is None:
            return
        await self._conn.copy_records_to_table(
            "padron_counts",
            records=[(event.padron_id, c.ubigeo, c.category, c.count) for c in event.counts],
            columns=["padron_id", "ubigeo", "category", "count"],
        )


async def answer_of(conn: asyncpg.Connection, oficio_id: UUID) -> dict[str, Any] | None:
    """The answer to an oficio, if asked for: its state and its documents (each code once issued)."""
    row = await conn.fetchrow("select response_id, state, issued_at from responses where oficio_id = $1", oficio_id)
    if row is None:
        return None
    docs = await conn.fetch(
        "select kind, number, title, verification_code from response_documents where response_id = $1"
        " order by position",
        row["response_id"],
    )
    return dict(row) | {"documents": [dict(d) for d in docs]}

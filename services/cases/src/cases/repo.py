"""asyncpg repository of the cases service: plain SQL, rows in and out."""

from __future__ import annotations

import asyncpg

from cases.domain import AccountFact
from contracts.events import CredentialsIssued, CredentialsRevoked


class AccountsPgRepo:
    def __init__(self, conn: asyncpg.Connection):
        self._conn = conn

    async def add_account(self, event: CredentialsIssued) -> None:
        j = event.jurisdiction
        # A revocation may have arrived first (topics are ordered per key only): keep it.
        await self._conn.execute(
            "insert into ally_accounts (account_id, username, ally_type, ubigeo, entity_name, request_id, issued_at)"
            " values ($1, $2, $3, $4, $5, $6, $7)"
            " on conflict (account_id) do update set username = excluded.username, issued_at = excluded.issued_at",
            event.account_id,
            event.username,
            j.ally_type,
            j.ubigeo,
            j.entity_name,
            event.request_id,
            event.issued_at,
        )

    async def mark_revoked(self, event: CredentialsRevoked) -> None:
        j = event.jurisdiction
        await self._conn.execute(
            "insert into ally_accounts (account_id, username, ally_type, ubigeo, entity_name, request_id,"
            " issued_at, revoked_at, revoke_reason) values ($1, $2, $3, $4, $5, $6, $7, $7, $8)"
            " on conflict (account_id) do update set revoked_at = excluded.revoked_at,"
            " revoke_reason = excluded.revoke_reason",
            event.account_id,
            event.username,
            j.ally_type,
            j.ubigeo,
            j.entity_name,
            event.request_id,
            event.revoked_at,
            event.reason,
        )

    async def append_fact(self, fact: AccountFact) -> None:
        await self._conn.execute(
            "insert into account_history (event_id, account_id, kind, occurred_at) values ($1, $2, $3, $4)",
            fact.event_id,
            fact.account_id,
            fact.kind,
            fact.occurred_at,
        )

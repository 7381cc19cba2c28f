"""asyncpg repository of collection authorizations and their history: plain SQL, set-based expiry."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import asyncpg

from padron.authorizations.domain import AuthorizationInput, AuthorizationRef
from padron.beneficiaries.domain import BeneficiaryRef
from padron.beneficiaries.repo import BeneficiaryPgRepo

SYSTEM_USER = "sistema"

_EXPIRE = """
with expired as (
    update collection_authorizations set state = 'VENCIDA', updated_at = now()
    where state = 'VIGENTE' and valid_until < $1
    returning authorization_id, valid_until
), logged as (
    insert into authorization_history (authorization_id, action, valid_until, reason, at, by_user)
    select authorization_id, 'VENCIDA', valid_until, 'Terminó su vigencia.', clock_timestamp(), $2 from expired
    returning 1
)
select count(*) from logged
"""


async def expire_authorizations(conn: asyncpg.Connection, today: date, user: str = SYSTEM_USER) -> int:
    """Turn every VIGENTE authorization whose validity ended before ``today`` into VENCIDA, with its history
    row; set-based, so it can run before each authorization request and on a schedule. Returns how many."""
    return await conn.fetchval(_EXPIRE, today, user)


class AuthorizationPgRepo(BeneficiaryPgRepo):
    """Authorizations, and the beneficiary row they lock (one VIGENTE authorization per beneficiary)."""

    async def expire_authorizations(self, today: date) -> int:
        return await expire_authorizations(self._conn, today)

    async def authorization_for_update(self, authorization_id: UUID) -> AuthorizationRef | None:
        row = await self._conn.fetchrow(
            "select authorization_id, beneficiary_id, ubigeo, state, valid_until from collection_authorizations"
            " where authorization_id = $1 for update",
            authorization_id,
        )
        return AuthorizationRef(**row) if row else None

    async def _history(
        self, authorization_id: UUID, action: str, valid_until: date | None, reason: str | None, user: str
    ) -> None:
        # clock_timestamp: several steps in one transaction keep their order
        await self._conn.execute(
            "insert into authorization_history (authorization_id, action, valid_until, reason, at, by_user)"
            " values ($1, $2, $3, $4, clock_timestamp(), $5)",
            authorization_id,
            action,
            valid_until,
            reason,
            user,
        )

    async def add_authorization(
        self,
        authorization_id: UUID,
        ref: BeneficiaryRef,
        data: AuthorizationInput,
        user: str,
        reason: str | None = None,
    ) -> None:
        await self._conn.execute(
            "insert into collection_authorizations (authorization_id, beneficiary_id, ubigeo, collector_dni,"
            " collector_names, relationship, state, valid_from, valid_until)"
            " values ($1, $2, $3, $4, $5, $6, 'VIGENTE', $7, $8)",
            authorization_id,
            ref.beneficiary_id,
            ref.ubigeo,
            data.collector_dni,
            data.collector_names,
            data.relationship,
            data.valid_from,
            data.valid_until,
        )
        await self._history(authorization_id, "AUTORIZADA", data.valid_until, reason, user)

    async def revoke_vigentes(self, beneficiary_id: UUID, keep: UUID, reason: str, user: str) -> int:
        return await self._conn.fetchval(
            """
            with revoked as (
                update collection_authorizations set state = 'REVOCADA', updated_at = now()
                where beneficiary_id = $1 and state = 'VIGENTE' and authorization_id <> $2
                returning authorization_id, valid_until
            ), logged as (
                insert into authorization_history (authorization_id, action, valid_until, reason, at, by_user)
                select authorization_id, 'REVOCADA', valid_until, $3, clock_timestamp(), $4 from revoked
                returning 1
            )
            select count(*) from logged
            """,
            beneficiary_id,
            keep,
            reason,
            user,
        )

    async def set_authorization(
        self, authorization_id: UUID, state: str, valid_until: date, action: str, reason: str | None, user: str
    ) -> None:
        await self._conn.execute(
            "update collection_authorizations set state = $2, valid_until = $3, updated_at = now()"
            " where authorization_id = $1",
            authorization_id,
            state,
            valid_until,
        )
        await self._history(authorization_id, action, valid_until, reason, user)

    async def authorizations(self, beneficiary_id: UUID) -> list[dict[str, Any]]:
        rows = await self._conn.fetch(
            "select authorization_id, beneficiary_id, collector_dni, collector_names, relationship, state,"
            " valid_from, valid_until from collection_authorizations where beneficiary_id = $1"
            " order by valid_from desc, authorization_id",
            beneficiary_id,
        )
        history = await self._conn.fetch(
            "select authorization_id, action, valid_until, reason, at, by_user from authorization_history"
            " where authorization_id = any($1::uuid[]) order by at",
            [r["authorization_id"] for r in rows],
        )
        steps: dict[UUID, list[dict[str, Any]]] = {}
        for h in history:
            steps.setdefault(h["authorization_id"], []).append(
                {k: h[k] for k in ("action", "valid_until", "reason", "at", "by_user")}
            )
        return [dict(r) | {"history": steps.get(r["authorization_id"], [])} for r in rows]

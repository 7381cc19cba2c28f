"""asyncpg repository of affiliation requests: plain SQL, keyset pages over (submitted_at, affiliation_id)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from padron.affiliations.domain import AffiliationInput, AffiliationRef
from padron.shared.repo import PgRepo
from padron.shared.scope import Scope

_AFFILIATION_COLUMNS = (
    "affiliation_id, ubigeo, applicant_dni, applicant_names, detail, state, observations, submitted_by,"
    " submitted_at, decided_by, decided_at"
)


class AffiliationPgRepo(PgRepo):
    async def add_affiliation_request(
        self, affiliation_id: UUID, ubigeo: str, data: AffiliationInput, user: str
    ) -> None:
        await self._conn.execute(
            "insert into affiliation_requests (affiliation_id, ubigeo, applicant_dni, applicant_names, detail, state,"
            " submitted_by, submitted_at) values ($1, $2, $3, $4, $5, 'PENDIENTE', $6, clock_timestamp())",
            affiliation_id,
            ubigeo,
            data.applicant_dni,
            data.applicant_names,
            data.detail,
            user,
        )

    async def affiliation_for_update(self, affiliation_id: UUID) -> AffiliationRef | None:
        row = await self._conn.fetchrow(
            "select affiliation_id, ubigeo, state from affiliation_requests where affiliation_id = $1 for update",
            affiliation_id,
        )
        return AffiliationRef(**row) if row else None

    async def decide_affiliation(self, affiliation_id: UUID, state: str, observations: str | None, user: str) -> None:
        await self._conn.execute(
            "update affiliation_requests set state = $2, observations = $3, decided_by = $4, decided_at = now()"
            " where affiliation_id = $1",
            affiliation_id,
            state,
            observations,
            user,
        )

    async def affiliation_requests(
        self, scope: Scope, state: str | None, after: tuple[datetime, UUID] | None, limit: int
    ) -> list[dict[str, Any]]:
        where, params = ["true"], []
        if scope.kind == "DISTRICT":
            params.append(scope.ubigeo)
            where.append(f"ubigeo = ${len(params)}")
        elif scope.kind == "REGION":
            params.append(scope.ubigeo)
            where.append(f"left(ubigeo, 2) = ${len(params)}")
        if state is not None:
            params.append(state)
            where.append(f"state = ${len(params)}")
        if after is not None:
            params.extend(after)
            where.append(f"(submitted_at, affiliation_id) > (${len(params) - 1}, ${len(params)})")
        params.append(limit)
        rows = await self._conn.fetch(
            f"select {_AFFILIATION_COLUMNS} from affiliation_requests where {' and '.join(where)}"
            f" order by submitted_at, affiliation_id limit ${len(params)}",
            *params,
        )
        return [dict(r) for r in rows]

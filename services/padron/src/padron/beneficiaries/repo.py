"""asyncpg repository of beneficiaries: the record and its status history, in plain SQL."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

import asyncpg

from padron.beneficiaries.domain import FIELDS, BeneficiaryRef
from padron.shared.errors import ConflictError
from padron.shared.repo import PgRepo


class BeneficiaryPgRepo(PgRepo):
    async def add_beneficiary(self, beneficiary_id: UUID, values: dict[str, Any], checked: dict, user: str) -> None:
        columns = ", ".join(FIELDS)
        params = ", ".join(f"${i}" for i in range(3, len(FIELDS) + 3))
        try:
            await self._conn.execute(
                f"insert into beneficiaries (beneficiary_id, requirements, {columns}) values ($1, $2::jsonb, {params})",
                beneficiary_id,
                json.dumps(checked),
                *(values[f] for f in FIELDS),
            )
        except asyncpg.UniqueViolationError:
            raise ConflictError("Ya existe un beneficiario con ese DNI en el padrón.") from None
        await self._conn.execute(
            "insert into status_history (beneficiary_id, status, reason, changed_by) values ($1, 'VIGENTE', $2, $3)",
            beneficiary_id,
            "Afiliación",
            user,
        )

    async def beneficiary(self, beneficiary_id: UUID, *, lock: bool = False) -> BeneficiaryRef | None:
        row = await self._conn.fetchrow(
            "select beneficiary_id, ubigeo, status from beneficiaries where beneficiary_id = $1"
            + (" for update" if lock else ""),
            beneficiary_id,
        )
        return BeneficiaryRef(**row) if row else None

    async def set_status(self, beneficiary_id: UUID, status: str, reason: str | None, user: str) -> None:
        await self._conn.execute(
            "update beneficiaries set status = $2, status_reason = $3, status_changed_at = now(), updated_at = now()"
            " where beneficiary_id = $1",
            beneficiary_id,
            status,
            None if status == "VIGENTE" else reason,
        )
        await self._conn.execute(
            "insert into status_history (beneficiary_id, status, reason, changed_by) values ($1, $2, $3, $4)",
            beneficiary_id,
            status,
            reason,
            user,
        )

"""asyncpg repository of FAD: plain SQL on one connection inside the caller's transaction.

An approved FAD writes the collection authorization through ``AuthorizationPgRepo``: one way to write
authorizations and their history.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

import asyncpg

from eventkit import messages
from padron.authorizations.domain import AuthorizationInput
from padron.authorizations.repo import AuthorizationPgRepo
from padron.beneficiaries.domain import BeneficiaryRef
from padron.fad.domain import CONTACT_FIELDS, AuthorizedPerson, Fad, HistoryEntry
from padron.fad.handlers import Authorization
from padron.shared.reports import ListQuery
from padron.shared.reports_repo import ReportPgRepo, page_sql
from padron.shared.scope import Scope

FAD_COLUMNS = (
    "f.fad_id, f.beneficiary_id, f.ubigeo, f.changes, f.state, f.submitted_by, f.submitted_at, f.decided_by,"
    " f.decided_at, f.decision_note, b.dni, b.names"
)


def _fad(row: asyncpg.Record) -> Fad:
    return Fad(**(dict(row) | {"changes": json.loads(row["changes"])}))


class FadPgRepo(ReportPgRepo):
    async def add_fad(
        self, fad_id: UUID, beneficiary_id: UUID, ubigeo: str, proposed: dict[str, Any], submitted_by: str
    ) -> Fad:
        row = await self._conn.fetchrow(
            "insert into fads (fad_id, beneficiary_id, ubigeo, changes, submitted_by)"
            " values ($1, $2, $3, $4::jsonb, $5)"
            " returning fad_id, beneficiary_id, ubigeo, changes, state, submitted_by, submitted_at",
            fad_id,
            beneficiary_id,
            ubigeo,
            json.dumps(proposed, ensure_ascii=False),
            submitted_by,
        )
        return _fad(row)

    async def fads(self, scope: Scope, query: ListQuery) -> list[Fad]:
        sql, params = page_sql("fads", FAD_COLUMNS, "f", "submitted_at", "fad_id", scope, query)
        return [_fad(r) for r in await self._conn.fetch(sql, *params)]

    async def fad(self, fad_id: UUID, *, for_update: bool = False) -> Fad | None:
        lock = " for update of f" if for_update else ""
        row = await self._conn.fetchrow(
            f"select {FAD_COLUMNS} from fads f join beneficiaries b using (beneficiary_id) where f.fad_id = $1{lock}",
            fad_id,
        )
        return _fad(row) if row else None

    async def fad_history(self, fad_id: UUID) -> list[HistoryEntry]:
        rows = await self._conn.fetch(
            "select field, before_value, after_value, applied_at, applied_by from fad_history"
            " where fad_id = $1 order by applied_at, field",
            fad_id,
        )
        return [HistoryEntry(**dict(r)) for r in rows]

    async def contact_for_update(self, beneficiary_id: UUID) -> dict[str, str | None]:
        row = await self._conn.fetchrow(
            f"select {', '.join(CONTACT_FIELDS)} from beneficiaries where beneficiary_id = $1 for update",
            beneficiary_id,
        )
        return dict(row)

    async def update_contact(self, beneficiary_id: UUID, values: dict[str, str]) -> None:
        names = [name for name in CONTACT_FIELDS if name in values]  # column names from our own list only
        sets = ", ".join(f"{name} = ${i}" for i, name in enumerate(names, start=2))
        await self._conn.execute(
            f"update beneficiaries set {sets}, updated_at = now() where beneficiary_id = $1",
            beneficiary_id,
            *(values[name] for name in names),
        )

    async def current_authorization(self, beneficiary_id: UUID) -> Authorization | None:
        row = await self._conn.fetchrow(
            "select authorization_id, collector_dni, collector_names, relationship from collection_authorizations"
            " where beneficiary_id = $1 and state = 'VIGENTE' order by valid_from desc limit 1 for update",
            beneficiary_id,
        )
        if row is None:
            return None
        person = AuthorizedPerson(row["collector_dni"], row["collector_names"], row["relationship"])
        return Authorization(row["authorization_id"], person)

    async def revoke_authorization(self, authorization_id: UUID, by: str, reason: str) -> None:
        registry = AuthorizationPgRepo(self._uow)  # one way to write authorizations and their history
        current = await registry.authorization_for_update(authorization_id)
        if current is not None:
            await registry.set_authorization(authorization_id, "REVOCADA", current.valid_until, "REVOCADA", reason, by)

    async def authorize(
        self,
        beneficiary_id: UUID,
        ubigeo: str,
        person: AuthorizedPerson,
        valid_from: date,
        valid_until: date,
        by: str,
        reason: str,
    ) -> UUID:
        authorization_id = messages.new_id()
        data = AuthorizationInput(person.dni, person.names, person.relationship, valid_from, valid_until)
        ref = BeneficiaryRef(beneficiary_id, ubigeo, "VIGENTE")
        await AuthorizationPgRepo(self._uow).add_authorization(authorization_id, ref, data, by, reason)
        return authorization_id

    async def add_history(self, fad_id: UUID, beneficiary_id: UUID, entries: Sequence[HistoryEntry], by: str) -> None:
        await self._conn.executemany(
            "insert into fad_history (fad_id, beneficiary_id, field, before_value, after_value, applied_by)"
            " values ($1, $2, $3, $4, $5, $6)",
            [(fad_id, beneficiary_id, e.field, e.before_value, e.after_value, by) for e in entries],
        )

    async def decide_fad(self, fad_id: UUID, state: str, by: str, note: str | None) -> None:
        await self._conn.execute(
            "update fads set state = $2, decided_by = $3, decided_at = now(), decision_note = $4 where fad_id = $1",
            fad_id,
            state,
            by,
            note,
        )

"""asyncpg repository of the registry: plain SQL; the padrón is frozen set-based, in one statement."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from uuid import UUID

import asyncpg

from contracts import Event
from eventkit import outbox
from eventkit.messages import wrap
from padron import registry
from padron.beneficiary import FIELDS
from padron.registry import Period
from padron.registry_handlers import AffiliationRef, AuthorizationRef, BeneficiaryRef, PublishedVersion
from padron.shared import accesslog
from padron.shared.errors import ConflictError
from padron.shared.scope import Scope

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

# Every beneficiary gets its category from the previous version and the rule table of
# registry.category_rules(), by hash joins. "Seen in an older version" reads only the older entries of the
# exit categories (registry.exit_categories(): an index range per version), not the older versions whole.
# The counts come from the rows just inserted, in the same statement.
_FREEZE = """
with rules (previous, seen, current, category, amount) as (
    select * from unnest($3::text[], $4::bool[], $5::text[], $6::text[], $7::numeric[])
), left_before as (
    select distinct beneficiary_id from padron_entries where padron_id = any($8::uuid[]) and category = any($9::text[])
), now_and_before as (
    select b.beneficiary_id, b.ubigeo, b.status, coalesce(p.status, '') as previous,
           p.status is not null or l.beneficiary_id is not null as seen
    from beneficiaries b
    left join padron_entries p on p.padron_id = $2 and p.beneficiary_id = b.beneficiary_id
    left join left_before l on l.beneficiary_id = b.beneficiary_id
), frozen as (
    insert into padron_entries (padron_id, beneficiary_id, ubigeo, status, category, amount)
    select $1, n.beneficiary_id, n.ubigeo, n.status, r.category, r.amount
    from now_and_before n
    join rules r on r.previous = n.previous and r.seen = n.seen and r.current = n.status
    order by n.beneficiary_id  -- appends to the primary key instead of splitting pages all over it
    returning ubigeo, category
)
insert into padron_counts (padron_id, ubigeo, category, count)
select $1, ubigeo, category, count(*) from frozen group by ubigeo, category
returning ubigeo, category, count
"""

_AFFILIATION_COLUMNS = (
    "affiliation_id, ubigeo, applicant_dni, applicant_names, detail, state, observations, submitted_by,"
    " submitted_at, decided_by, decided_at"
)


async def expire_authorizations(conn: asyncpg.Connection, today: date, user: str = SYSTEM_USER) -> int:
    """Turn every VIGENTE authorization whose validity ended before ``today`` into VENCIDA, with its history
    row; set-based, so it can run before each authorization request and on a schedule. Returns how many."""
    return await conn.fetchval(_EXPIRE, today, user)


class RegistryPgRepo:
    def __init__(self, conn: asyncpg.Connection):
        self._conn = conn

    async def log_read(
        self, scope: Scope, action: str, resource: str, beneficiary_ids: Sequence[UUID] = (), records: int | None = None
    ) -> None:
        await accesslog.record(self._conn, scope, action, resource, beneficiary_ids=beneficiary_ids, records=records)

    async def publish(self, event: Event, key: str) -> None:
        await outbox.add(self._conn, wrap(event, key=key))

    # Beneficiaries ---------------------------------------------------------------------------------------

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

    # Padrón versions -------------------------------------------------------------------------------------

    async def lock_publication(self) -> None:
        """One publication at a time: 'after the latest' holds until this transaction ends."""
        await self._conn.execute("select pg_advisory_xact_lock(hashtext('padron.publication'))")

    async def period_exists(self, period: Period) -> bool:
        return bool(await self._conn.fetchval("select 1 from padrones where period = $1", str(period)))

    async def published_versions(self) -> list[PublishedVersion]:
        rows = await self._conn.fetch("select padron_id, period_order from padrones order by period_order desc")
        return [PublishedVersion(r["padron_id"], Period(r["period_order"] // 10, r["period_order"] % 10)) for r in rows]

    async def freeze(
        self,
        padron_id: UUID,
        period: Period,
        resolution_number: str,
        resolution_date: date,
        user: str,
        previous: UUID | None,
        older: Sequence[UUID],
    ) -> list[tuple[str, str, int]]:
        await self._conn.execute(
            "insert into padrones (padron_id, period, period_order, resolution_number, resolution_date, published_by)"
            " values ($1, $2, $3, $4, $5, $6)",
            padron_id,
            str(period),
            period.order,
            resolution_number,
            resolution_date,
            user,
        )
        rules = registry.category_rules()
        rows = await self._conn.fetch(
            _FREEZE,
            padron_id,
            previous,
            [r.previous for r in rules],
            [r.seen_before for r in rules],
            [r.current for r in rules],
            [r.category for r in rules],
            [r.amount for r in rules],
            list(older),
            registry.exit_categories(),
        )
        return sorted((r["ubigeo"], r["category"], r["count"]) for r in rows)

    async def versions(self) -> list[dict[str, Any]]:
        padrones = await self._conn.fetch(
            "select padron_id, period, resolution_number, resolution_date, published_at, published_by"
            " from padrones order by period_order desc"
        )
        counts = await self._conn.fetch(
            "select padron_id, category, sum(count)::bigint as n from padron_counts group by 1, 2"
        )
        totals: dict[UUID, dict[str, int]] = {}
        for c in counts:
            totals.setdefault(c["padron_id"], {})[c["category"]] = c["n"]
        return [dict(p) | {"counts": totals.get(p["padron_id"], {})} for p in padrones]

    async def version(self, period: Period) -> dict[str, Any] | None:
        found = await self._conn.fetchrow(
            "select padron_id, period, resolution_number, resolution_date, published_at, published_by"
            " from padrones where period = $1",
            str(period),
        )
        if found is None:
            return None
        counts = await self._conn.fetch(
            "select left(ubigeo, 2) as region, category, sum(count)::bigint as n from padron_counts"
            " where padron_id = $1 group by 1, 2",
            found["padron_id"],
        )
        return dict(found) | {"region_counts": [(c["region"], c["category"], c["n"]) for c in counts]}

    # Collection authorizations ---------------------------------------------------------------------------

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
        data: registry.AuthorizationInput,
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

    # Affiliation requests --------------------------------------------------------------------------------

    async def add_affiliation_request(
        self, affiliation_id: UUID, ubigeo: str, data: registry.AffiliationInput, user: str
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

"""asyncpg repository of padrón versions: plain SQL; the padrón is frozen set-based, in one statement."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

from padron.shared.repo import PgRepo
from padron.versions import domain
from padron.versions.domain import Period
from padron.versions.handlers import PublishedVersion

# Every beneficiary gets its category from the previous version and the rule table of
# domain.category_rules(), by hash joins. "Seen in an older version" reads only the older entries of the
# exit categories (domain.exit_categories(): an index range per version), not the older versions whole.
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


class VersionPgRepo(PgRepo):
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
        rules = domain.category_rules()
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
            domain.exit_categories(),
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

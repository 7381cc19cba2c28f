"""What the scoped views read: counters for summaries, keyset pages, one beneficiary, the access log.

Summaries read only the counters (district_counts, padron_counts), never the beneficiaries: a region is
a range of the counters' primary key, so a summary reads at most a few thousand rows at any size. Lists
page by keyset over an index, so each page is one index range scan.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg
import msgspec

from contracts import ubigeo
from padron.beneficiaries.domain import STATUSES
from padron.views.domain import (
    BANK_COLUMNS,
    NATIONAL,
    Counts,
    breakdown,
    district_name,
    merge,
    padron_view,
    region_span,
    tally,
    with_totals,
)


async def find_padron(conn: asyncpg.Connection, period: str | None = None) -> asyncpg.Record | None:
    """The padrón of ``period``, or the latest published one."""
    columns = "padron_id, period, resolution_number, resolution_date, published_at"
    if period:
        return await conn.fetchrow(f"select {columns} from padrones where period = $1", period)
    return await conn.fetchrow(f"select {columns} from padrones order by period_order desc limit 1")


async def national_summary(conn: asyncpg.Connection, padron: asyncpg.Record | None) -> dict[str, Any]:
    """Program staff: the country, by region."""
    metrics = await conn.fetch(
        "select left(ubigeo, 2) as key, metric, sum(value)::bigint as value from district_counts group by 1, 2"
    )
    categories = await _categories(conn, padron, NATIONAL, "left(ubigeo, 2)")
    regions = tally(ubigeo.regions(), metrics, categories, padron=padron is not None)
    return {
        "level": "NACIONAL",
        "code": None,
        "name": "Perú",
        "padron": padron_view(padron),
        "totals": with_totals(merge(regions.values(), padron=padron is not None)),
        "regions": breakdown(regions, ubigeo.regions()),
    }


async def region_summary(conn: asyncpg.Connection, region: str, padron: asyncpg.Record | None) -> dict[str, Any]:
    """A region, by province and by district."""
    lo, hi = region_span(region)
    metrics = await conn.fetch(
        "select ubigeo as key, metric, value from district_counts where ubigeo between $1 and $2", lo, hi
    )
    categories = await _categories(conn, padron, (lo, hi), "ubigeo")
    has = padron is not None
    in_region = {c: d for c, d in ubigeo.districts().items() if d.region_code == region}
    districts = tally(in_region, metrics, categories, padron=has)
    province_codes = sorted({c[:4] for c in in_region})
    provinces = {p: merge((c for k, c in districts.items() if k[:4] == p), padron=has) for p in province_codes}
    return {
        "level": "REGION",
        "code": region,
        "name": ubigeo.regions().get(region, region),
        "padron": padron_view(padron),
        "totals": with_totals(merge(districts.values(), padron=has)),
        "provinces": breakdown(provinces, {p: ubigeo.provinces()[p][1] for p in province_codes}),
        "districts": breakdown(districts, {c: d.district for c, d in in_region.items()}),
    }


async def district_summary(conn: asyncpg.Connection, code: str, padron: asyncpg.Record | None) -> dict[str, Any]:
    """One district."""
    metrics = await conn.fetch("select ubigeo as key, metric, value from district_counts where ubigeo = $1", code)
    categories = await _categories(conn, padron, (code, code), "ubigeo")
    counts = tally([code], metrics, categories, padron=padron is not None)[code]
    return {
        "level": "DISTRITO",
        "code": code,
        "name": district_name(code),
        "padron": padron_view(padron),
        "totals": with_totals(counts),
    }


async def entity_summary(conn: asyncpg.Connection, padron: asyncpg.Record | None) -> dict[str, Any]:
    """Other allies: the latest padrón's categories, national totals only."""
    totals: Counts = {}
    if padron is not None:
        rows = await _categories(conn, padron, NATIONAL, "'PE'")
        totals = {"padron_categories": tally(["PE"], [], rows, padron=True)["PE"]["padron_categories"]}
    return {
        "level": "NACIONAL",
        "code": None,
        "name": "Perú",
        "padron": padron_view(padron),
        "totals": with_totals(totals),
    }


async def _categories(
    conn: asyncpg.Connection, padron: asyncpg.Record | None, span: tuple[str, str], key_sql: str
) -> list[asyncpg.Record]:
    if padron is None:
        return []
    # key_sql is one of this module's constant expressions, never input.
    return await conn.fetch(
        f"select {key_sql} as key, category, sum(count)::bigint as value from padron_counts"
        " where padron_id = $1 and ubigeo between $2 and $3 group by 1, 2",
        padron["padron_id"],
        *span,
    )


async def expected_rows(conn: asyncpg.Connection, code: str, status: str | None) -> int:
    """How many beneficiaries a district export holds, from the exact counters."""
    metrics = [f"status:{status}"] if status else [f"status:{s}" for s in STATUSES]
    total = await conn.fetchval(
        "select coalesce(sum(value), 0)::bigint from district_counts where ubigeo = $1 and metric = any($2::text[])",
        code,
        metrics,
    )
    return int(total)


async def expected_entries(conn: asyncpg.Connection, padron_id: UUID, category: str, span: tuple[str, str]) -> int:
    total = await conn.fetchval(
        "select coalesce(sum(count), 0)::bigint from padron_counts"
        " where padron_id = $1 and ubigeo between $2 and $3 and category = $4",
        padron_id,
        *span,
        category,
    )
    return int(total)


async def beneficiaries_page(
    conn: asyncpg.Connection,
    code: str,
    status: str | None,
    after: tuple[str, UUID],
    limit: int,
    columns: Iterable[str],
) -> list[asyncpg.Record]:
    """Beneficiaries of one district after ``after`` in (names, beneficiary_id) order: a range scan of
    beneficiaries_district_page. ``columns`` come from this module's constants, never from input."""
    select = ", ".join(dict.fromkeys(("beneficiary_id", "names", *columns)))
    return await conn.fetch(
        f"select {select} from beneficiaries"
        " where ubigeo = $1 and ($2::text is null or status = $2) and (names, beneficiary_id) > ($3, $4)"
        " order by names, beneficiary_id limit $5",
        code,
        status,
        after[0],
        after[1],
        limit,
    )


async def beneficiary(conn: asyncpg.Connection, beneficiary_id: UUID) -> asyncpg.Record | None:
    return await conn.fetchrow("select * from beneficiaries where beneficiary_id = $1", beneficiary_id)


async def beneficiary_detail(conn: asyncpg.Connection, row: Mapping[str, Any], *, bank: bool) -> dict[str, Any]:
    """The whole record (bank data only to staff), its status history and current collection authorization."""
    bid = row["beneficiary_id"]
    history = await conn.fetch(
        "select status, reason, changed_at, changed_by from status_history"
        " where beneficiary_id = $1 order by changed_at",
        bid,
    )
    authorization = await conn.fetchrow(
        "select authorization_id, collector_dni, collector_names, relationship, state, valid_from, valid_until"
        " from collection_authorizations where beneficiary_id = $1"
        " order by state = 'VIGENTE' desc, valid_until desc, updated_at desc limit 1",
        bid,
    )
    current = None
    if authorization is not None:
        steps = await conn.fetch(
            "select action, valid_until, reason, at, by_user from authorization_history"
            " where authorization_id = $1 order by at",
            authorization["authorization_id"],
        )
        current = {**dict(authorization), "history": [dict(s) for s in steps]}
    hidden = () if bank else BANK_COLUMNS
    record = {k: v for k, v in dict(row).items() if k not in hidden}
    if isinstance(record.get("requirements"), str):
        record["requirements"] = msgspec.json.decode(record["requirements"])
    return {
        **record,
        "district": district_name(row["ubigeo"]),
        "status_history": [dict(h) for h in history],
        "authorization": current,
    }


async def category_page(
    conn: asyncpg.Connection,
    padron_id: UUID,
    category: str,
    span: tuple[str, str],
    after: tuple[str, UUID],
    limit: int,
) -> list[asyncpg.Record]:
    """Entries of one category within ``span`` after ``after`` in (ubigeo, beneficiary_id) order: one range
    scan of padron_entries_category_page whether the span is the country, a region or a district.

    The scan starts at the row comparison alone: a separate ``ubigeo >= lo`` beside it would leave the
    planner free to start there instead, and walk the whole span up to the cursor on every page."""
    start = max(after, (span[0], UUID(int=0)))
    return await conn.fetch(
        "select e.beneficiary_id, e.ubigeo, e.category, e.status, e.amount, b.dni, b.names"
        " from padron_entries e join beneficiaries b using (beneficiary_id)"
        " where e.padron_id = $1 and e.category = $2 and (e.ubigeo, e.beneficiary_id) > ($3, $4)"
        " and e.ubigeo <= $5 order by e.ubigeo, e.beneficiary_id limit $6",
        padron_id,
        category,
        start[0],
        start[1],
        span[1],
        limit,
    )


async def access_page(
    conn: asyncpg.Connection,
    *,
    username: str | None,
    since: datetime | None,
    action: str | None,
    before: int,
    limit: int,
) -> list[asyncpg.Record]:
    """Newest first, keyset over entry_id; only the filters given enter the SQL, so a username filter is a
    range scan of access_log_user_page."""
    where, args = ["entry_id < $1"], [before]
    for sql, value in (("username = ${}", username), ("at >= ${}", since), ("action = ${}", action)):
        if value is not None:
            args.append(value)
            where.append(sql.format(len(args)))
    args.append(limit)
    return await conn.fetch(
        "select entry_id, at, username, role, ally_type, scope, action, resource, allowed, records,"
        f" beneficiary_ids from access_log where {' and '.join(where)} order by entry_id desc limit ${len(args)}",
        *args,
    )

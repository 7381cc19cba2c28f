"""The facts of a district as of a date, read with plain SQL: accounts, requests, the latest padrón."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import asyncpg

from cases.evidence.assemble import ACTIVE_CATEGORIES, Coverage
from eventkit.clock import LIMA


def cutoff_of(as_of: date) -> datetime:
    """The end of ``as_of`` in Lima: a fact counts if it happened before it."""
    return datetime.combine(as_of + timedelta(days=1), time(0), LIMA)


async def accounts(conn: asyncpg.Connection, kind: str, code: str, cutoff: datetime) -> list[dict[str, Any]]:
    rows = await conn.fetch(
        "select a.account_id, a.issued_at, a.revoked_at, a.revoke_reason, a.issued_event, a.revoked_event,"
        " r.office, r.position from ally_accounts a left join access_requests r using (request_id)"
        " where a.ally_type = $1 and a.ubigeo = $2 and a.issued_at < $3 order by a.issued_at",
        kind, code, cutoff,
    )  # fmt: skip
    return [dict(r) for r in rows]


async def requests(conn: asyncpg.Connection, district: str, cutoff: datetime) -> list[dict[str, Any]]:
    """The district's local-government requests sent before the cutoff, each with its steps until then."""
    rows = await conn.fetch(
        "select r.request_id, r.code, h.event_id, h.step, h.occurred_at, h.reason from access_requests r"
        " join access_request_history h using (request_id)"
        " where r.ally_type = 'GOBIERNO_LOCAL' and r.ubigeo = $1 and h.occurred_at < $2"
        " order by r.code, h.occurred_at",
        district, cutoff,
    )  # fmt: skip
    found: dict[Any, dict[str, Any]] = {}
    for row in rows:
        request = found.setdefault(
            row["request_id"], {"request_id": row["request_id"], "code": row["code"], "steps": []}
        )
        request["steps"].append(dict(row))
    return [r for r in found.values() if r["steps"][0]["step"] == "ENVIADA"]


async def coverage(conn: asyncpg.Connection, district: str, cutoff: datetime) -> Coverage | None:
    padron = await conn.fetchrow(
        "select padron_id, event_id, period, published_at from padron_publications where published_at < $1"
        " order by published_at desc limit 1",
        cutoff,
    )
    if padron is None:
        return None
    intervention = await conn.fetch(
        "select ubigeo from padron_counts where padron_id = $1 and category = any($2::text[])"
        " group by ubigeo having sum(count) > 0",
        padron["padron_id"], list(ACTIVE_CATEGORIES),
    )  # fmt: skip
    active = await conn.fetch(
        "select distinct on (ubigeo) ubigeo, issued_event from ally_accounts where ally_type = 'GOBIERNO_LOCAL'"
        " and issued_at < $1 and (revoked_at is null or revoked_at >= $1) and issued_event is not null"
        " order by ubigeo, issued_at",
        cutoff,
    )
    counts = await conn.fetch(
        "select category, count from padron_counts where padron_id = $1 and ubigeo = $2", padron["padron_id"], district
    )
    return Coverage(
        padron_event=padron["event_id"],
        period=padron["period"],
        published_at=padron["published_at"],
        intervention=frozenset(r["ubigeo"] for r in intervention),
        with_account={r["ubigeo"]: r["issued_event"] for r in active},
        district_counts={r["category"]: r["count"] for r in counts},
    )

"""Gather a case's evidence as of a date: its district's and region's accounts, requests and coverage."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date

import asyncpg

from cases.evidence import assemble, repo
from cases.evidence.domain import EvidenceItem

MoreEvidence = Callable[[asyncpg.Connection, str, date], Awaitable[list[EvidenceItem]]]
"""Evidence another part of the service adds (the trainings registry), for one district as of a date."""


async def gather(
    conn: asyncpg.Connection, district: str, as_of: date, more: tuple[MoreEvidence, ...] = ()
) -> list[EvidenceItem]:
    """Every item, as of the end of ``as_of`` in Lima: a fact of a later day never counts."""
    cutoff = repo.cutoff_of(as_of)
    region = district[:2]
    items = assemble.account_items(
        "GOBIERNO_LOCAL", district, await repo.accounts(conn, "GOBIERNO_LOCAL", district, cutoff), as_of, cutoff
    )
    items += assemble.account_items(
        "GOBIERNO_REGIONAL", region, await repo.accounts(conn, "GOBIERNO_REGIONAL", region, cutoff), as_of, cutoff
    )
    items += assemble.request_items(await repo.requests(conn, district, cutoff), as_of)
    for source in more:
        items += await source(conn, district, as_of)
    items += assemble.coverage_items(await repo.coverage(conn, district, cutoff), district, as_of)
    return items

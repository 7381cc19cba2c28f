"""asyncpg repository of oficios, their cases, timelines and the access log: plain SQL, rows in and out."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

import asyncpg

from cases.oficios.domain import Filing
from cases.shared.scope import Caller


class OficiosRepo:
    def __init__(self, conn: asyncpg.Connection):
        self._conn = conn

    async def taken_numbers(self, oficio_number: str, case_numbers: Sequence[str]) -> tuple[bool, list[str]]:
        """Whether the oficio's number is taken, and which of the case numbers are."""
        oficio = await self._conn.fetchval("select exists (select 1 from oficios where number = $1)", oficio_number)
        rows = await self._conn.fetch("select number from cases where number = any($1::text[])", list(case_numbers))
        return oficio, [r["number"] for r in rows]

    async def add(self, filing: Filing) -> None:
        f = filing
        await self._conn.execute(
            "insert into oficios (oficio_id, number, region, sent_on, received_on, sender, channel, filed_by, due_on)"
            " values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            f.oficio_id, f.number, f.region, f.sent_on, f.received_on, f.sender, f.channel, f.filed_by, f.due_on,
        )  # fmt: skip
        await self._conn.executemany(
            "insert into cases (case_id, oficio_id, position, number, ubigeo) values ($1, $2, $3, $4, $5)",
            [(c.case_id, f.oficio_id, i + 1, c.number, c.ubigeo) for i, c in enumerate(f.cases)],
        )
        await self._conn.executemany(
            "insert into critical_points (case_id, position, category, description) values ($1, $2, $3, $4)",
            [(c.case_id, j + 1, p.category, p.description) for c in f.cases for j, p in enumerate(c.points)],
        )
        await self._conn.executemany(
            "insert into interviewees (case_id, position, role, office, names) values ($1, $2, $3, $4, $5)",
            [(c.case_id, j + 1, p.role, p.office, p.names) for c in f.cases for j, p in enumerate(c.interviewees)],
        )

    async def step(self, case_ids: Sequence[UUID], step: str, detail: str, by_user: str) -> None:
        """One entry on the timeline of each case."""
        await self._conn.executemany(
            "insert into case_timeline (case_id, step, detail, by_user) values ($1, $2, $3, $4)",
            [(case_id, step, detail, by_user) for case_id in case_ids],
        )

    async def get(self, oficio_id: UUID, *, lock: bool = False) -> dict[str, Any] | None:
        row = await self._conn.fetchrow(
            "select * from oficios where oficio_id = $1" + (" for update" if lock else ""), oficio_id
        )
        return dict(row) if row else None

    async def route(self, oficio_id: UUID, unit: str, routed_on: date, by_user: str) -> None:
        await self._conn.execute(
            "update oficios set unit = $2, routed_on = $3, routed_by = $4 where oficio_id = $1",
            oficio_id, unit, routed_on, by_user,
        )  # fmt: skip

    async def case(self, case_id: UUID) -> dict[str, Any] | None:
        """A case with its oficio's region and date."""
        row = await self._conn.fetchrow(
            "select c.case_id, c.number, c.ubigeo, c.state, o.region, o.sent_on, o.number as oficio_number"
            " from cases c join oficios o using (oficio_id) where c.case_id = $1",
            case_id,
        )
        return dict(row) if row else None

    async def cases_of(self, oficio_id: UUID) -> list[dict[str, Any]]:
        """The oficio's cases in order, each with its critical points, people interviewed and timeline."""
        cases = [
            dict(r)
            for r in await self._conn.fetch(
                "select case_id, position, number, ubigeo, state, opened_at from cases where oficio_id = $1"
                " order by position",
                oficio_id,
            )
        ]
        ids = [c["case_id"] for c in cases]
        points = await self._conn.fetch(
            "select case_id, position, category, description from critical_points where case_id = any($1::uuid[])"
            " order by position",
            ids,
        )
        people = await self._conn.fetch(
            "select case_id, role, office, names from interviewees where case_id = any($1::uuid[]) order by position",
            ids,
        )
        steps = await self._conn.fetch(
            "select case_id, at, step, detail, by_user from case_timeline where case_id = any($1::uuid[])"
            " order by entry_id",
            ids,
        )
        for case in cases:
            case["points"] = [dict(p) for p in points if p["case_id"] == case["case_id"]]
            case["interviewees"] = [dict(p) for p in people if p["case_id"] == case["case_id"]]
            case["timeline"] = [dict(s) for s in steps if s["case_id"] == case["case_id"]]
        return cases

    async def listing(self, region: str | None, overdue_on: date | None, limit: int) -> list[dict[str, Any]]:
        """Oficios newest first (of one region, or every region); ``overdue_on``: only those due before that
        day whose cases are not all answered yet, the most overdue first."""
        where, args = ["true"], []
        if region is not None:
            args.append(region)
            where.append(f"o.region = ${len(args)}")
        order = "o.received_on desc, o.number"
        if overdue_on is not None:
            args.append(overdue_on)
            where.append(f"o.due_on < ${len(args)}")
            where.append("exists (select 1 from cases c where c.oficio_id = o.oficio_id and c.state <> 'RESPONDIDO')")
            order = "o.due_on, o.number"
        args.append(limit)
        rows = await self._conn.fetch(
            "select o.*, (select count(*) from cases c where c.oficio_id = o.oficio_id) as case_count,"
            " (select count(*) from cases c where c.oficio_id = o.oficio_id and c.state = 'RESPONDIDO') as answered"
            f" from oficios o where {' and '.join(where)} order by {order} limit ${len(args)}",
            *args,
        )
        return [dict(r) for r in rows]


async def log_access(
    conn: asyncpg.Connection, caller: Caller, action: str, resource: str, *, allowed: bool, case_ids: Sequence[UUID]
) -> None:
    """Append one entry to the Ley 29733 access log; in the transaction that reads the data."""
    await conn.execute(
        "insert into access_log (username, role, scope, action, resource, allowed, case_ids)"
        " values ($1, $2, $3, $4, $5, $6, $7)",
        caller.username, caller.role, caller.label, action, resource, allowed, list(case_ids),
    )  # fmt: skip

"""asyncpg repository of cases' analyses, their actions, the queue and the report: plain SQL, rows in and out."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

import asyncpg

from cases.analysis.domain import Action, Analysis, Finding
from cases.repo import answer_of

CASE = (
    "select c.case_id, c.number, c.ubigeo, c.state, c.oficio_id, c.position, o.region, o.sent_on, o.received_on,"
    " o.due_on, o.unit, o.number as oficio_number from cases c join oficios o using (oficio_id)"
)


class AnalysesRepo:
    def __init__(self, conn: asyncpg.Connection):
        self._conn = conn

    async def case(self, case_id: UUID, *, lock: bool = False) -> dict[str, Any] | None:
        row = await self._conn.fetchrow(CASE + " where c.case_id = $1" + (" for update of c" if lock else ""), case_id)
        return dict(row) if row else None

    async def point_positions(self, case_id: UUID) -> set[int]:
        rows = await self._conn.fetch("select position from critical_points where case_id = $1", case_id)
        return {r["position"] for r in rows}

    async def points(self, case_id: UUID) -> list[dict[str, Any]]:
        rows = await self._conn.fetch(
            "select position, category, description from critical_points where case_id = $1 order by position",
            case_id,
        )
        return [dict(r) for r in rows]

    async def analysis(self, case_id: UUID) -> Analysis | None:
        row = await self._conn.fetchrow("select * from analyses where case_id = $1", case_id)
        if row is None:
            return None
        findings = await self._conn.fetch(
            "select point, text, evidence from findings where case_id = $1 order by point", case_id
        )
        actions = await self.actions(case_id)
        return Analysis(
            tuple(Finding(f["point"], f["text"], tuple(f["evidence"])) for f in findings),
            row["conclusion"],
            row["justification"],
            tuple(Action(a["position"], a["description"], a["owner"], a["due_on"]) for a in actions),
        )

    async def record(self, case_id: UUID) -> dict[str, Any] | None:
        """The analysis row itself: who wrote it, whether and when it resolved the case, the frozen evidence."""
        row = await self._conn.fetchrow("select * from analyses where case_id = $1", case_id)
        if row is None:
            return None
        record = dict(row)
        if record["evidence_snapshot"] is not None:
            record["evidence_snapshot"] = json.loads(record["evidence_snapshot"])
        return record

    async def actions(self, case_id: UUID) -> list[dict[str, Any]]:
        rows = await self._conn.fetch("select * from improvement_actions where case_id = $1 order by position", case_id)
        return [dict(r) for r in rows]

    async def save(self, case_id: UUID, analysis: Analysis, by_user: str) -> None:
        a = analysis
        await self._conn.execute(
            "insert into analyses (case_id, conclusion, justification, updated_by) values ($1, $2, $3, $4)"
            " on conflict (case_id) do update set conclusion = excluded.conclusion,"
            " justification = excluded.justification, updated_by = excluded.updated_by, updated_at = now()",
            case_id, a.conclusion, a.justification, by_user,
        )  # fmt: skip
        await self._conn.execute("delete from findings where case_id = $1", case_id)
        await self._conn.execute("delete from improvement_actions where case_id = $1", case_id)
        await self._conn.executemany(
            "insert into findings (case_id, point, text, evidence) values ($1, $2, $3, $4)",
            [(case_id, f.point, f.text, list(f.evidence)) for f in a.findings],
        )
        await self._conn.executemany(
            "insert into improvement_actions (case_id, position, description, owner, due_on)"
            " values ($1, $2, $3, $4, $5)",
            [(case_id, x.position, x.description, x.owner, x.due_on) for x in a.actions],
        )

    async def resolve(self, case_id: UUID, by_user: str, as_of: date, snapshot: list[dict[str, Any]]) -> None:
        await self._conn.execute(
            "update analyses set resolved_at = now(), resolved_by = $2, evidence_as_of = $3,"
            " evidence_snapshot = $4::jsonb where case_id = $1",
            case_id, by_user, as_of, json.dumps(snapshot, ensure_ascii=False),
        )  # fmt: skip
        await self._conn.execute("update cases set state = 'RESUELTO' where case_id = $1", case_id)

    async def action(self, case_id: UUID, position: int) -> dict[str, Any] | None:
        row = await self._conn.fetchrow(
            "select * from improvement_actions where case_id = $1 and position = $2", case_id, position
        )
        return dict(row) if row else None

    async def set_action(self, case_id: UUID, position: int, status: str, note: str | None, by_user: str) -> None:
        await self._conn.execute(
            "update improvement_actions set status = $3, status_note = $4, status_at = now(), status_by = $5"
            " where case_id = $1 and position = $2",
            case_id, position, status, note, by_user,
        )  # fmt: skip

    async def step(self, case_ids: Sequence[UUID], step: str, detail: str, by_user: str) -> None:
        await self._conn.executemany(
            "insert into case_timeline (case_id, step, detail, by_user) values ($1, $2, $3, $4)",
            [(case_id, step, detail, by_user) for case_id in case_ids],
        )

    async def response_of(self, oficio_id: UUID) -> dict[str, Any] | None:
        return await answer_of(self._conn, oficio_id)

    async def queue(self, region: str | None, state: str | None, unit: str | None, limit: int) -> list[dict[str, Any]]:
        """Cases by due date (the nearest first), of one region, state or unit if given."""
        where, args = ["true"], []
        for column, value in (("o.region", region), ("c.state", state), ("o.unit", unit)):
            if value is not None:
                args.append(value)
                where.append(f"{column} = ${len(args)}")
        args.append(limit)
        rows = await self._conn.fetch(
            CASE + f" where {' and '.join(where)} order by o.due_on, o.number, c.position limit ${len(args)}", *args
        )
        return [dict(r) for r in rows]

    async def report_rows(self, year: int) -> list[dict[str, Any]]:
        """Every case of oficios received in ``year``: region, state, conclusion, days from reception to answer."""
        rows = await self._conn.fetch(
            "select c.case_id, o.region, c.state, a.conclusion, o.received_on,"
            " (r.issued_at at time zone 'America/Lima')::date - o.received_on as days"
            " from cases c join oficios o using (oficio_id)"
            " left join analyses a on a.case_id = c.case_id and a.resolved_at is not null"
            " left join responses r on r.oficio_id = o.oficio_id and r.state = 'EMITIDA'"
            " where extract(year from o.received_on) = $1",
            year,
        )
        return [dict(r) for r in rows]

    async def report_categories(self, year: int) -> list[dict[str, Any]]:
        rows = await self._conn.fetch(
            "select p.category, count(distinct p.case_id) as cases from critical_points p join cases c using (case_id)"
            " join oficios o using (oficio_id) where extract(year from o.received_on) = $1 group by p.category",
            year,
        )
        return [dict(r) for r in rows]

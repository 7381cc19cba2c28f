"""asyncpg repository of oficios' answers and the numbering of their documents: plain SQL, rows in and out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

import asyncpg

from cases.analysis.repo import AnalysesRepo
from cases.oficios.domain import CATEGORIES
from cases.repo import answer_of
from cases.responses.domain import CaseAnswer, Signers
from contracts.events import ResponseDocument


class ResponsesRepo:
    def __init__(self, conn: asyncpg.Connection):
        self._conn = conn

    async def oficio(self, oficio_id: UUID, *, lock: bool = False) -> dict[str, Any] | None:
        row = await self._conn.fetchrow(
            "select * from oficios where oficio_id = $1" + (" for update" if lock else ""), oficio_id
        )
        return dict(row) if row else None

    async def has_response(self, oficio_id: UUID) -> bool:
        return await self._conn.fetchval("select exists (select 1 from responses where oficio_id = $1)", oficio_id)

    async def case_states(self, oficio_id: UUID) -> list[dict[str, Any]]:
        rows = await self._conn.fetch(
            "select case_id, number, state from cases where oficio_id = $1 order by position", oficio_id
        )
        return [dict(r) for r in rows]

    async def answers(self, oficio_id: UUID) -> list[CaseAnswer]:
        """Each resolved case of the oficio, in order, as its answer tells it."""
        analyses = AnalysesRepo(self._conn)
        answers = []
        for case in await self.case_states(oficio_id):
            case_id = case["case_id"]
            row = await analyses.case(case_id)
            analysis = await analyses.analysis(case_id)
            record = await analyses.record(case_id)
            assert row is not None and analysis is not None and record is not None and analysis.conclusion
            answers.append(
                CaseAnswer(
                    number=row["number"],
                    ubigeo=row["ubigeo"],
                    points=[p | {"category_label": CATEGORIES[p["category"]]} for p in await analyses.points(case_id)],
                    findings={f.point: (f.text, f.evidence) for f in analysis.findings},
                    conclusion=analysis.conclusion,
                    justification=analysis.justification,
                    actions=await analyses.actions(case_id),
                    evidence=record["evidence_snapshot"],
                )
            )
        return answers

    async def next_number(self, kind: str, unit: str, year: int) -> int:
        """The next number of a type of document of a unit in a year (the row lock orders concurrent ones)."""
        return await self._conn.fetchval(
            "insert into document_numbers (kind, unit, year, last) values ($1, $2, $3, 1)"
            " on conflict (kind, unit, year) do update set last = document_numbers.last + 1 returning last",
            kind, unit, year,
        )  # fmt: skip

    async def add(
        self, response_id: UUID, oficio_id: UUID, signers: Signers, by_user: str, docs: list[ResponseDocument]
    ) -> None:
        s = signers
        await self._conn.execute(
            "insert into responses (response_id, oficio_id, addressee, author_name, author_role, director_name,"
            " director_role, requested_by) values ($1, $2, $3, $4, $5, $6, $7, $8)",
            response_id, oficio_id, s.addressee, s.author_name, s.author_role, s.director_name, s.director_role,
            by_user,
        )  # fmt: skip
        await self._conn.executemany(
            "insert into response_documents (response_id, position, kind, number, title) values ($1, $2, $3, $4, $5)",
            [(response_id, i, d.kind, d.number, d.title) for i, d in enumerate(docs, 1)],
        )

    async def response(self, response_id: UUID, *, lock: bool = False) -> dict[str, Any] | None:
        row = await self._conn.fetchrow(
            "select r.response_id, r.oficio_id, r.state, o.number as oficio_number from responses r"
            " join oficios o using (oficio_id) where r.response_id = $1" + (" for update of r" if lock else ""),
            response_id,
        )
        if row is None:
            return None
        docs = await self._conn.fetch(
            "select kind, verification_code from response_documents where response_id = $1 order by position",
            response_id,
        )
        return dict(row) | {"documents": [dict(d) for d in docs]}

    async def record_issued(self, response_id: UUID, kind: str, document_id: UUID, code: str) -> None:
        await self._conn.execute(
            "update response_documents set document_id = $3, verification_code = $4, issued_at = now()"
            " where response_id = $1 and kind = $2 and document_id is null",
            response_id, kind, document_id, code,
        )  # fmt: skip

    async def mark_answered(self, response_id: UUID, oficio_id: UUID) -> None:
        await self._conn.execute(
            "update responses set state = 'EMITIDA', issued_at = now() where response_id = $1", response_id
        )
        await self._conn.execute("update cases set state = 'RESPONDIDO' where oficio_id = $1", oficio_id)

    async def step(self, case_ids: Sequence[UUID], step: str, detail: str, by_user: str) -> None:
        await AnalysesRepo(self._conn).step(case_ids, step, detail, by_user)

    async def view(self, oficio_id: UUID) -> dict[str, Any] | None:
        return await answer_of(self._conn, oficio_id)

"""Training attendance as evidence for a case's district, read from the trainings registry."""

from __future__ import annotations

from datetime import date

import asyncpg

from cases.evidence.domain import EvidenceItem
from cases.trainings.statements import SessionFacts, evidence_items


async def training_evidence(conn: asyncpg.Connection, ubigeo: str, as_of: date) -> list[EvidenceItem]:
    """Sessions held on or before ``as_of`` that the district attended, and those it was invited to and missed."""
    rows = await conn.fetch(
        "select s.session_id, s.held_on, s.topic, s.modality, s.organiser, i.invitation_id,"
        " coalesce(array_agg(row(a.attendance_id, a.office, a.attendees)) filter (where a.attendance_id is not null),"
        " '{}') as attendance"
        " from training_sessions s"
        " left join training_invitations i on i.session_id = s.session_id and i.ubigeo = $1"
        " left join training_attendance a on a.session_id = s.session_id and a.ubigeo = $1"
        " where s.held_on <= $2 and (i.invitation_id is not null or a.attendance_id is not null)"
        " group by s.session_id, i.invitation_id",
        ubigeo,
        as_of,
    )
    sessions = [
        SessionFacts(
            r["session_id"],
            r["held_on"],
            r["topic"],
            r["modality"],
            r["organiser"],
            r["invitation_id"],
            tuple((a[0], a[1], a[2]) for a in r["attendance"]),
        )
        for r in rows
    ]
    return evidence_items(ubigeo, as_of, sessions)

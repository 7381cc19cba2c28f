"""The trainings registry in PostgreSQL (plain SQL): sessions, invitations and attendance, each row with its id."""

from __future__ import annotations

import uuid
from uuid import UUID

import asyncpg

from cases.shared.errors import NotFoundError
from cases.trainings.domain import SessionInput

NO_SESSION = "No existe esa capacitación."


async def add_session(conn: asyncpg.Connection, session: SessionInput, created_by: str) -> UUID:
    session_id = uuid.uuid4()
    await conn.execute(
        "insert into training_sessions (session_id, held_on, topic, modality, organiser, created_by)"
        " values ($1, $2, $3, $4, $5, $6)",
        session_id,
        session.held_on,
        session.topic,
        session.modality,
        session.organiser,
        created_by,
    )
    return session_id


async def invite_districts(conn: asyncpg.Connection, session_id: UUID, ubigeos: list[str]) -> list[UUID]:
    """Invitations of the districts not yet invited; the ids of the new rows."""
    await _require_session(conn, session_id)
    ids: list[UUID] = []
    for place in ubigeos:
        invitation_id = await conn.fetchval(
            "insert into training_invitations (invitation_id, session_id, ubigeo) values ($1, $2, $3)"
            " on conflict (session_id, ubigeo) do nothing returning invitation_id",
            uuid.uuid4(),
            session_id,
            place,
        )
        if invitation_id:
            ids.append(invitation_id)
    return ids


async def record_attendance(
    conn: asyncpg.Connection,
    session_id: UUID,
    ubigeo: str,
    office: str,
    position: str,
    recorded_by: str,
    attendees: int = 1,
) -> UUID:
    await _require_session(conn, session_id)
    attendance_id = uuid.uuid4()
    await conn.execute(
        "insert into training_attendance (attendance_id, session_id, ubigeo, office, position, attendees, recorded_by)"
        " values ($1, $2, $3, $4, $5, $6, $7)",
        attendance_id,
        session_id,
        ubigeo,
        office,
        position,
        attendees,
        recorded_by,
    )
    return attendance_id


async def _require_session(conn: asyncpg.Connection, session_id: UUID) -> None:
    if not await conn.fetchval("select true from training_sessions where session_id = $1", session_id):
        raise NotFoundError(NO_SESSION)

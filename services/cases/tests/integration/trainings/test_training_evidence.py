"""Training evidence from the registry on real PostgreSQL: attended and missed as of a date, not later ones."""

from __future__ import annotations

from datetime import date

import pytest

from cases.trainings.domain import SessionInput
from cases.trainings.evidence import training_evidence
from cases.trainings.repo import add_session, invite_districts, record_attendance

pytestmark = pytest.mark.integration

DISTRICT = "090101"


async def test_evidence_as_of_a_date_shows_attended_and_missed_and_not_a_later_session(conn):
    app = await add_session(conn, SessionInput(date(2022, 5, 12), "Aplicación USUARIO ALIADO", "VIRTUAL", "UAC"), "a")
    rights = await add_session(
        conn,
        SessionInput(date(2022, 8, 3), "Derechos de los usuarios de los servicios de salud", "PRESENCIAL", "UAC"),
        "a",
    )
    later = await add_session(conn, SessionInput(date(2023, 2, 1), "Inclusión financiera", "VIRTUAL", "UAC"), "a")
    invitations = {s: (await invite_districts(conn, s, [DISTRICT, "090102"]))[0] for s in (app, rights, later)}
    first = await record_attendance(conn, app, DISTRICT, "OMAPED", "Responsable", "a")
    second = await record_attendance(conn, app, DISTRICT, "OMAPED", "Asistente", "a")
    await record_attendance(conn, later, DISTRICT, "OMAPED", "Responsable", "a")

    items = await training_evidence(conn, DISTRICT, date(2022, 12, 31))

    assert [i.key for i in items] == [
        f"training.session.{app}.attended",
        f"training.session.{rights}.missed",
        "training.summary",
    ]
    assert items[0].statement.endswith("(virtual, organizada por la UAC): 2 asistentes de OMAPED.")
    assert set(items[0].source_events) == {invitations[app], first, second}
    assert items[1].source_events == (invitations[rights],)
    assert "asistió a 1 de 2 capacitaciones" in items[2].statement

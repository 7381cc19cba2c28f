"""Training evidence says, in Spanish, which sessions a district attended or missed, and never counts later ones."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from cases.trainings.statements import SOURCE, SessionFacts, evidence_items

pytestmark = pytest.mark.unit

DISTRICT = "090101"


def session(held_on: date, *, invited: bool = True, attendance=()) -> SessionFacts:
    return SessionFacts(
        uuid.uuid4(),
        held_on,
        "Aplicación USUARIO ALIADO",
        "VIRTUAL",
        "UAC",
        uuid.uuid4() if invited else None,
        tuple(attendance),
    )


def test_an_attended_session_says_how_many_came_from_which_office():
    attendance_id = uuid.uuid4()
    attended = session(date(2022, 5, 12), attendance=[(attendance_id, "OMAPED", 2)])

    items = evidence_items(DISTRICT, date(2022, 12, 31), [attended])

    first = items[0]
    assert first.key == f"training.session.{attended.session_id}.attended"
    assert first.statement == (
        "La municipalidad del distrito de Huancavelica asistió a la capacitación «Aplicación USUARIO ALIADO»"
        " del 12/05/2022 (virtual, organizada por la UAC): 2 asistentes de OMAPED."
    )
    assert (first.group, first.source, first.value) == ("TRAININGS", SOURCE, 2)
    assert first.source_events == (attended.invitation_id, attendance_id)


def test_an_invited_and_missed_session_is_its_own_item():
    missed = session(date(2022, 6, 1))

    items = evidence_items(DISTRICT, date(2022, 12, 31), [missed])

    assert items[0].key == f"training.session.{missed.session_id}.missed"
    assert items[0].statement.endswith("y no asistió.")


def test_the_summary_counts_attended_of_invited_and_ignores_later_sessions():
    sessions = [
        session(date(2022, 5, 12), attendance=[(uuid.uuid4(), "OMAPED", 1)]),
        session(date(2022, 6, 1)),
        session(date(2023, 1, 10), attendance=[(uuid.uuid4(), "OMAPED", 3)]),
    ]

    items = evidence_items(DISTRICT, date(2022, 12, 31), sessions)

    assert [i.key.rsplit(".", 1)[-1] for i in items] == ["attended", "missed", "summary"]
    summary = items[-1]
    assert summary.value == 1
    assert "asistió a 1 de 2 capacitaciones" in summary.statement

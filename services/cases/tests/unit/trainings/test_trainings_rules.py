"""Trainings registry rules: sessions checked by field, the attendance CSV all or nothing, evidence statements."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from cases.shared.errors import FormError
from cases.trainings.domain import parse_attendance_csv, session_input
from cases.trainings.statements import SessionFacts, evidence_items

pytestmark = pytest.mark.unit

SESSION = uuid.UUID("00000000-0000-4000-8000-000000000001")


def test_a_session_without_date_or_modality_names_each_field_in_spanish():
    body = {"topic": "Aplicación USUARIO ALIADO", "modality": "MIXTA", "organiser": "UAC"}

    with pytest.raises(FormError) as refused:
        session_input(body)

    assert refused.value.errors == {
        "held_on": "Indique la fecha de la capacitación (AAAA-MM-DD).",
        "modality": "Use PRESENCIAL o VIRTUAL.",
    }


def test_a_free_topic_is_accepted():
    body = {"held_on": "2022-05-12", "topic": "Tema libre", "modality": "virtual", "organiser": "UAC"}

    found = session_input(body)

    assert (found.held_on, found.modality) == (date(2022, 5, 12), "VIRTUAL")


def test_an_excel_csv_with_bom_and_semicolons_is_read():
    data = f"\ufeffsession_id;ubigeo;office;position\r\n{SESSION};090101;OMAPED;Jefe de OMAPED\r\n".encode()

    rows = parse_attendance_csv(data)

    assert [(r.line, r.ubigeo, r.office, r.position) for r in rows] == [(2, "090101", "OMAPED", "Jefe de OMAPED")]


def test_a_csv_with_one_bad_line_is_refused_naming_that_line():
    data = f"session_id,ubigeo,office,position\n{SESSION},090101,OMAPED,Jefe\n{SESSION},090199,OMAPED,Jefe\n"

    with pytest.raises(FormError) as refused:
        parse_attendance_csv(data.encode())

    assert refused.value.errors == {"línea 3": "línea 3: el ubigeo 090199 no existe"}


def test_evidence_says_attended_missed_and_the_summary_and_ignores_later_sessions():
    attended = SessionFacts(
        SESSION, date(2022, 5, 12), "Aplicación USUARIO ALIADO", "VIRTUAL", "UAC", uuid.uuid4(),
        ((uuid.uuid4(), "OMAPED", 2),),
    )  # fmt: skip
    missed = SessionFacts(uuid.uuid4(), date(2022, 6, 1), "Inclusión financiera", "PRESENCIAL", "UAC", uuid.uuid4())
    later = SessionFacts(uuid.uuid4(), date(2022, 9, 1), "Otro", "VIRTUAL", "UAC", uuid.uuid4())

    items = evidence_items("090101", date(2022, 7, 1), [later, missed, attended])

    assert [i.key for i in items] == [
        f"training.session.{SESSION}.attended",
        f"training.session.{missed.session_id}.missed",
        "training.summary",
    ]
    assert items[0].statement == (
        "La municipalidad del distrito de Huancavelica asistió a la capacitación «Aplicación USUARIO ALIADO»"
        " del 12/05/2022 (virtual, organizada por la UAC): 2 asistentes de OMAPED."
    )
    assert items[2].value == 1 and "asistió a 1 de 2 capacitaciones" in items[2].statement

"""The trainings registry checks a session field by field and an attendance CSV line by line, in Spanish."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from cases.shared.errors import FormError
from cases.trainings.domain import parse_attendance_csv, session_input

pytestmark = pytest.mark.unit

SESSION = uuid.UUID("5b1f6a3e-9a7e-4c55-9a44-1f0c2b7d8e01")


def test_a_complete_session_is_accepted_with_its_modality_in_capitals():
    body = {"held_on": "2022-05-12", "topic": "Aplicación USUARIO ALIADO", "modality": "virtual", "organiser": "UAC"}

    session = session_input(body)

    assert (session.held_on, session.modality, session.organiser) == (date(2022, 5, 12), "VIRTUAL", "UAC")


def test_a_session_with_wrong_fields_names_each_of_them_in_spanish():
    body = {"held_on": "12/05/2022", "topic": "", "modality": "MIXTA"}

    with pytest.raises(FormError) as refused:
        session_input(body)

    assert set(refused.value.errors) == {"held_on", "topic", "modality", "organiser"}
    assert refused.value.errors["modality"] == "Use PRESENCIAL o VIRTUAL."


def test_a_csv_with_a_bom_and_semicolons_as_excel_writes_it_is_read():
    data = f"\ufeffsession_id;ubigeo;office;position\r\n{SESSION};090101;OMAPED;Responsable\r\n".encode()

    rows = parse_attendance_csv(data)

    assert [(r.line, r.session_id, r.ubigeo, r.office, r.position) for r in rows] == [
        (2, SESSION, "090101", "OMAPED", "Responsable")
    ]


def test_a_csv_with_one_bad_line_is_refused_whole_naming_the_line():
    data = (
        f"session_id,ubigeo,office,position\n{SESSION},090101,OMAPED,Responsable\n{SESSION},090199,OMAPED,Responsable\n"
    ).encode()

    with pytest.raises(FormError) as refused:
        parse_attendance_csv(data)

    assert refused.value.errors == {"línea 3": "línea 3: el ubigeo 090199 no existe"}


def test_a_csv_without_its_header_is_refused():
    data = f"{SESSION},090101,OMAPED,Responsable\n".encode()

    with pytest.raises(FormError) as refused:
        parse_attendance_csv(data)

    assert refused.value.errors == {"file": "Cabecera no válida."}

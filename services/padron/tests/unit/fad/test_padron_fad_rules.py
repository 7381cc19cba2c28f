"""The rules of a FAD: what is accepted, what is refused and how it is said in Spanish."""

from __future__ import annotations

from datetime import date

import pytest

from padron.fad import domain as fad
from padron.fad.domain import AuthorizedPerson, Decision
from padron.shared.errors import ConflictError, FormError

pytestmark = pytest.mark.unit


def refusal(call, *args) -> dict[str, str]:
    with pytest.raises(FormError) as caught:
        call(*args)
    return caught.value.errors


def test_a_fad_keeps_each_proposed_value_cleaned():
    proposed = fad.fad_changes(
        {
            "changes": {
                "address": " Jr. Lima 123, Huancavelica ",
                "phone": "987 654 321",
                "contact_name": "ROJAS, LUIS",
                "contact_phone": "067-451234",
                "authorized_person": {"dni": "41234567", "names": "QUISPE, ROSA", "relationship": "HIJA"},
            }
        }
    )

    assert proposed == {
        "address": "Jr. Lima 123, Huancavelica",
        "phone": "987 654 321",
        "contact_name": "ROJAS, LUIS",
        "contact_phone": "067-451234",
        "authorized_person": {"dni": "41234567", "names": "QUISPE, ROSA", "relationship": "HIJA"},
    }


def test_a_fad_without_changes_is_refused():
    assert refusal(fad.fad_changes, {"changes": {}}) == {"changes": "Indique al menos un dato a actualizar."}
    assert refusal(fad.fad_changes, {}) == {"changes": "Indique al menos un dato a actualizar."}


def test_fields_a_fad_cannot_change_are_refused_one_by_one():
    errors = refusal(fad.fad_changes, {"changes": {"dni": "40123456", "status": "VIGENTE", "phone": "987654321"}})

    assert errors == {
        "changes.dni": "Este dato no se puede actualizar con una FAD.",
        "changes.status": "Este dato no se puede actualizar con una FAD.",
    }


def test_phones_follow_the_same_rule_as_the_registry():
    errors = refusal(fad.fad_changes, {"changes": {"phone": "12345", "contact_phone": "887654321"}})

    assert errors == {
        "changes.phone": "Teléfono no válido (celular de 9 dígitos o fijo con código de ciudad).",
        "changes.contact_phone": "Teléfono no válido (celular de 9 dígitos o fijo con código de ciudad).",
    }


def test_an_empty_or_too_long_address_is_refused():
    assert refusal(fad.fad_changes, {"changes": {"address": "  "}}) == {"changes.address": "Dato obligatorio."}
    assert refusal(fad.fad_changes, {"changes": {"address": "A" * 201}}) == {
        "changes.address": "Escriba la dirección en máximo 200 caracteres."
    }


def test_a_value_that_is_not_text_is_refused():
    errors = refusal(fad.fad_changes, {"changes": {"contact_name": 12}})

    assert errors == {"changes.contact_name": "Escriba un texto."}


def test_the_authorized_person_needs_a_dni_of_eight_digits_names_and_relationship():
    errors = refusal(
        fad.fad_changes,
        {"changes": {"authorized_person": {"dni": "4123456", "names": "", "age": 40}}},
    )

    assert errors == {
        "changes.authorized_person.age": "Dato no reconocido.",
        "changes.authorized_person.dni": "El DNI debe tener 8 dígitos.",
        "changes.authorized_person.names": "Dato obligatorio.",
        "changes.authorized_person.relationship": "Dato obligatorio.",
    }


def test_rejecting_a_fad_needs_its_reason():
    assert refusal(fad.decision, {"approve": False}) == {"note": "Indique el motivo del rechazo."}
    assert fad.decision({"approve": False, "note": " Dirección ilegible "}) == Decision(False, "Dirección ilegible")


def test_a_decision_must_say_approve_true_or_false():
    errors = refusal(fad.decision, {"approve": "si"})

    assert errors == {"approve": "Indique si aprueba (true) o rechaza (false) la FAD."}


def test_a_decided_fad_cannot_be_decided_again():
    with pytest.raises(ConflictError, match="ya fue decidida"):
        fad.decided("APROBADA", Decision(True, None))


def test_only_the_values_that_differ_are_history():
    current = {"address": "Jr. Lima 123", "phone": None, "contact_name": "ROJAS, LUIS", "contact_phone": None}

    entries = fad.contact_changes(current, {"address": "Jr. Lima 123", "phone": "987654321"})

    assert entries == [fad.HistoryEntry("phone", None, "987654321")]


def test_an_authorization_granted_on_the_29th_of_february_ends_on_the_28th_a_year_later():
    assert fad.authorization_until(date(2028, 2, 29)) == date(2029, 2, 28)
    assert fad.authorization_until(date(2026, 5, 4)) == date(2027, 5, 4)


def test_the_authorized_person_is_written_in_the_history_with_dni_and_relationship():
    assert AuthorizedPerson("41234567", "QUISPE, ROSA", "HIJA").text() == "QUISPE, ROSA (DNI 41234567, HIJA)"

"""The rules of alerts: what is accepted, what is refused and how it is said in Spanish."""

from __future__ import annotations

import pytest

from padron.alerts import domain as alerts
from padron.shared.errors import ConflictError, FormError

pytestmark = pytest.mark.unit


def refusal(call, *args) -> dict[str, str]:
    with pytest.raises(FormError) as caught:
        call(*args)
    return caught.value.errors


def test_an_alert_keeps_its_type_and_the_detail_without_surrounding_spaces():
    alert = alerts.alert_input({"alert_type": "FALLECIMIENTO", "detail": "  Falleció el 3 de marzo.  "})

    assert alert == alerts.AlertInput("FALLECIMIENTO", "Falleció el 3 de marzo.")


def test_an_alert_of_an_unknown_type_and_without_detail_is_refused_field_by_field():
    errors = refusal(alerts.alert_input, {"alert_type": "MUDANZA", "detail": "   "})

    assert errors == {
        "alert_type": "Use FALLECIMIENTO, CAMBIO_DE_DOMICILIO, NO_COBRA, EN_RIESGO u OTRO.",
        "detail": "Dato obligatorio.",
    }


def test_an_alert_detail_longer_than_a_thousand_characters_is_refused():
    errors = refusal(alerts.alert_input, {"alert_type": "OTRO", "detail": "x" * 1001})

    assert errors == {"detail": "Describa la alerta en máximo 1000 caracteres."}


def test_a_detail_of_exactly_a_thousand_characters_is_accepted():
    alert = alerts.alert_input({"alert_type": "OTRO", "detail": "x" * 1000})

    assert len(alert.detail) == 1000


def test_an_alert_with_a_field_nobody_asked_for_is_refused():
    errors = refusal(alerts.alert_input, {"alert_type": "NO_COBRA", "detail": "No cobra", "dni": "40123456"})

    assert errors == {"dni": "Dato no reconocido."}


def test_an_attended_alert_cannot_be_attended_again():
    assert alerts.attended("ABIERTA") == "ATENDIDA"
    with pytest.raises(ConflictError, match="ya fue atendida"):
        alerts.attended("ATENDIDA")

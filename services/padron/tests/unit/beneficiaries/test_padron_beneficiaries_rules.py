"""Beneficiary rules: status changes, the pension requirements, a new affiliation."""

from __future__ import annotations

from datetime import date

import pytest

from padron.beneficiaries import domain as beneficiaries
from padron.shared.errors import ConflictError, FormError

pytestmark = pytest.mark.unit


TODAY = date(2026, 7, 15)


def test_suspending_or_disaffiliating_needs_a_reason():
    with pytest.raises(FormError) as refused:
        beneficiaries.check_status_change("VIGENTE", "SUSPENDIDO", "  ")

    assert "reason" in refused.value.errors
    beneficiaries.check_status_change("VIGENTE", "SUSPENDIDO", "No cobra hace 3 periodos")
    beneficiaries.check_status_change("SUSPENDIDO", "VIGENTE", "")


def test_a_disaffiliation_is_final():
    with pytest.raises(ConflictError, match="definitiva"):
        beneficiaries.check_status_change("DESAFILIADO", "VIGENTE", "")


def test_an_unknown_status_is_refused():
    with pytest.raises(FormError) as refused:
        beneficiaries.check_status_change("VIGENTE", "FALLECIDO", "x")

    assert refused.value.errors == {"status": "Use VIGENTE, SUSPENDIDO o DESAFILIADO."}


def test_an_unmet_requirement_is_named_in_spanish():
    checked = {"discapacidad_severa": False, "sin_otra_pension_ni_ingresos": True, "pobreza_sisfoh_vigente": False}

    assert beneficiaries.unmet_requirements(checked) == {
        "requirements.discapacidad_severa": "El certificado de discapacidad debe ser de grado SEVERA.",
        "requirements.pobreza_sisfoh_vigente": (
            "La clasificación SISFOH debe ser POBRE o POBRE_EXTREMO y estar vigente."
        ),
    }


def test_a_new_affiliate_is_vigente_and_a_json_boolean_reads_as_si_or_no():
    row, errors = beneficiaries.affiliation_row({"dni": "40123321", "other_pension": False}, TODAY)

    assert errors == {}
    assert row["status"] == "VIGENTE"
    assert row["other_pension"] == "NO"
    assert row["affiliated_on"] == "2026-07-15"


def test_an_affiliation_cannot_start_suspended():
    _row, errors = beneficiaries.affiliation_row({"status": "SUSPENDIDO"}, TODAY)

    assert errors == {"status": "Una afiliación nueva queda VIGENTE; suspenda o desafilie después."}

"""Registry rules: padrón categories, periods, status changes, authorizations and affiliation requests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from padron.affiliations import domain as affiliations
from padron.authorizations import domain as authorizations
from padron.beneficiaries import domain as beneficiaries
from padron.shared.errors import ConflictError, FormError
from padron.versions import domain as versions
from padron.versions.domain import Period, category

pytestmark = pytest.mark.unit

TODAY = date(2026, 7, 15)


@pytest.mark.parametrize(
    ("previous", "seen_before", "current", "expected"),
    [
        ("VIGENTE", True, "VIGENTE", "CONTINUADOR"),
        (None, False, "VIGENTE", "NUEVO"),
        ("SUSPENDIDO", True, "VIGENTE", "REINCORPORADO"),
        ("DESAFILIADO", True, "VIGENTE", "REINCORPORADO"),
        (None, True, "VIGENTE", "REINCORPORADO"),
        ("VIGENTE", True, "SUSPENDIDO", "SUSPENDIDO"),
        ("SUSPENDIDO", True, "SUSPENDIDO", "SUSPENDIDO"),
        (None, False, "SUSPENDIDO", "SUSPENDIDO"),
        ("VIGENTE", True, "DESAFILIADO", "DESAFILIADO"),
        ("SUSPENDIDO", True, "DESAFILIADO", "DESAFILIADO"),
        ("DESAFILIADO", True, "DESAFILIADO", None),
        (None, True, "DESAFILIADO", None),
        (None, False, "DESAFILIADO", None),
    ],
)
def test_a_beneficiarys_category_follows_its_status_in_the_previous_padron(previous, seen_before, current, expected):
    assert category(previous, seen_before, current) == expected


def test_the_rule_table_used_by_the_publication_sql_says_the_same_as_the_rule():
    rules = {(r.previous, r.seen_before, r.current): r.category for r in versions.category_rules()}

    for previous in (None, "VIGENTE", "SUSPENDIDO", "DESAFILIADO"):
        for seen in (False, True) if previous is None else (True,):
            for current in ("VIGENTE", "SUSPENDIDO", "DESAFILIADO"):
                assert rules.get((previous or "", seen, current)) == category(previous, seen, current)


def test_only_vigente_entries_are_paid_300_soles():
    amounts = {(r.current, r.amount) for r in versions.category_rules()}

    assert amounts == {
        ("VIGENTE", Decimal("300.00")),
        ("SUSPENDIDO", Decimal("0.00")),
        ("DESAFILIADO", Decimal("0.00")),
    }


def test_one_leaves_the_padron_only_through_a_desafiliado_entry():
    assert versions.exit_categories() == ["DESAFILIADO"]


def test_a_padrons_pension_total_counts_the_paid_categories_only():
    counts = {"CONTINUADOR": 10, "NUEVO": 2, "REINCORPORADO": 1, "SUSPENDIDO": 5, "DESAFILIADO": 3}

    assert versions.pension_total(counts) == Decimal("3900.00")


@pytest.mark.parametrize(
    ("text", "year", "bimester"),
    [("I-2026", 2026, 1), ("IV-2026", 2026, 4), ("v-2022", 2022, 5), (" VI-2025 ", 2025, 6)],
)
def test_a_period_is_read_as_bimester_and_year(text, year, bimester):
    period = Period.parse(text)

    assert (period.year, period.bimester) == (year, bimester)
    assert period.order == year * 10 + bimester


@pytest.mark.parametrize("text", ["VII-2026", "V2022", "5-2022", "V-22", "", "IIII-2026"])
def test_a_malformed_period_is_refused_in_spanish(text):
    with pytest.raises(FormError) as refused:
        Period.parse(text)

    assert refused.value.errors == {"period": "Use el bimestre en romanos y el año, por ejemplo V-2022."}


def test_periods_sort_across_years_and_print_back_as_written():
    periods = [Period.parse(p) for p in ("I-2027", "VI-2026", "IV-2026", "V-2026")]

    assert [str(p) for p in sorted(periods)] == ["IV-2026", "V-2026", "VI-2026", "I-2027"]


def test_only_a_period_after_the_latest_may_be_published():
    latest = Period.parse("V-2026")

    versions.check_next_period(Period.parse("VI-2026"), latest)
    versions.check_next_period(Period.parse("I-2030"), latest)
    versions.check_next_period(Period.parse("I-2020"), None)
    with pytest.raises(ConflictError, match="no es posterior al último publicado"):
        versions.check_next_period(Period.parse("IV-2026"), latest)
    with pytest.raises(ConflictError):
        versions.check_next_period(Period.parse("V-2026"), latest)


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


def test_an_authorization_needs_a_collector_and_a_validity_that_has_not_ended():
    with pytest.raises(FormError) as refused:
        authorizations.authorization_input(
            {"collector_dni": "123", "valid_from": "2026-07-01", "valid_until": "2026-06-30"}, TODAY
        )

    assert refused.value.errors == {
        "collector_dni": "El DNI debe tener 8 dígitos.",
        "collector_names": "Dato obligatorio.",
        "relationship": "Dato obligatorio.",
        "valid_until": "La vigencia debe terminar después de empezar.",
    }


def test_a_renewal_must_extend_the_validity_and_a_revoked_one_cannot_be_renewed():
    current = date(2026, 12, 31)

    assert authorizations.renewal_until("VIGENTE", current, "2027-06-30", TODAY) == date(2027, 6, 30)
    assert authorizations.renewal_until("VENCIDA", date(2026, 7, 1), "2026-12-31", TODAY) == current
    with pytest.raises(FormError):
        authorizations.renewal_until("VIGENTE", current, "2026-12-31", TODAY)
    with pytest.raises(ConflictError, match="revocada"):
        authorizations.renewal_until("REVOCADA", current, "2027-06-30", TODAY)


def test_a_no_conforme_decision_needs_observations_and_a_request_is_decided_once():
    with pytest.raises(FormError) as refused:
        affiliations.check_affiliation_decision("PENDIENTE", "NO_CONFORME", "")

    assert refused.value.errors == {"observations": "Indique por qué la solicitud no es conforme."}
    affiliations.check_affiliation_decision("PENDIENTE", "CONFORME", "")
    with pytest.raises(ConflictError, match="ya fue atendida"):
        affiliations.check_affiliation_decision("CONFORME", "NO_CONFORME", "Duplicada")


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

"""Padrón version rules: categories, the pension paid, periods and their order."""

from __future__ import annotations

from decimal import Decimal

import pytest

from padron.shared.errors import ConflictError, FormError
from padron.versions import domain as versions
from padron.versions.domain import Period, category

pytestmark = pytest.mark.unit


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

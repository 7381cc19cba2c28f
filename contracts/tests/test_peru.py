"""One DNI, RUC and phone rule for every service."""

from __future__ import annotations

import pytest

from contracts.peru import is_dni, is_mobile, is_phone, is_ruc, ruc_check_digit

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("value", "ok"), [("01234567", True), ("1234567", False), ("123456789", False), ("1234567a", False), ("", False)]
)
def test_a_dni_is_exactly_eight_digits(value, ok):
    assert is_dni(value) is ok


def test_a_ruc_needs_its_check_digit_and_a_prefix_sunat_issues():
    body = "2013175763"
    good = body + str(ruc_check_digit(body))
    wrong_digit = body + str((ruc_check_digit(body) + 1) % 10)

    assert is_ruc(good)
    assert not is_ruc(wrong_digit)
    assert not is_ruc("30" + good[2:])
    assert not is_ruc(good[:-1])


def test_a_mobile_starts_with_nine_and_a_landline_with_its_area_code():
    assert is_mobile("987654321") and not is_mobile("012345678")
    assert is_phone("987654321") and is_phone("012345678") and not is_phone("87654321")


def test_sunats_own_ruc_passes_and_a_changed_digit_does_not():
    assert ruc_check_digit("2013131295") == 5
    assert is_ruc("20131312955")
    assert not is_ruc("20131312954")


def test_digits_of_other_scripts_are_not_a_dni():
    assert not is_dni("٤٠١٢٣٤٥٦")

"""Identity's rules: authority matching per ally type, usernames, passwords, RUCs."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from contracts import peru
from contracts.events import AccessRequested, Jurisdiction, Person, Responsible
from identity import domain
from identity.adapters.registries import FileAuthorityRegister
from identity.handlers import check_authority

pytestmark = pytest.mark.unit

TODAY = date(2025, 6, 1)
REGISTER = FileAuthorityRegister()


def request_for(jurisdiction: Jurisdiction, dni: str) -> AccessRequested:
    return AccessRequested(
        request_id=uuid.uuid4(),
        code="SOL-2025-000001",
        attempt=1,
        jurisdiction=jurisdiction,
        authority=Person(dni=dni, names="X"),
        authority_role="ALCALDE",
        responsible=Responsible(dni="12345678", names="Y", office="OMAPED", position="Jefe", email="y@example.pe"),
    )


def previous_and_current(kind: domain.AuthorityKind, code: str) -> tuple[domain.Authority, domain.Authority]:
    previous = REGISTER.current(kind, code, date(2021, 6, 1))
    current = REGISTER.current(kind, code, TODAY)
    assert previous is not None and current is not None and previous.dni != current.dni
    return previous, current


def test_the_mayor_in_office_matches_and_the_reason_names_the_district_but_no_dni():
    mayor = REGISTER.current("ALCALDE", "090201", TODAY)

    verdict = check_authority(
        request_for(Jurisdiction(ally_type="GOBIERNO_LOCAL", ubigeo="090201"), mayor.dni), REGISTER, TODAY
    )

    assert (verdict.result, verdict.period) == ("MATCH", "2023-2026")
    assert "Acobamba, Acobamba, Huancavelica" in verdict.reason
    assert mayor.dni not in verdict.reason


def test_a_mayor_of_the_previous_term_does_not_match_today():
    previous, _ = previous_and_current("ALCALDE", "010101")
    jurisdiction = Jurisdiction(ally_type="GOBIERNO_LOCAL", ubigeo="010101")

    verdict = check_authority(request_for(jurisdiction, previous.dni), REGISTER, TODAY)

    assert verdict.result == "MISMATCH"
    assert verdict.reason == (
        "El DNI registrado no corresponde al alcalde vigente de Chachapoyas, Chachapoyas, Amazonas (periodo 2023-2026)."
    )


def test_the_previous_mayor_matched_while_in_office():
    previous, _ = previous_and_current("ALCALDE", "010101")
    jurisdiction = Jurisdiction(ally_type="GOBIERNO_LOCAL", ubigeo="010101")

    verdict = check_authority(request_for(jurisdiction, previous.dni), REGISTER, date(2021, 6, 1))

    assert (verdict.result, verdict.period) == ("MATCH", "2019-2022")


def test_a_regional_request_is_judged_against_the_governor_not_a_mayor_of_the_region():
    previous, governor = previous_and_current("GOBERNADOR_REGIONAL", "06")
    mayor = REGISTER.current("ALCALDE", "060101", TODAY)
    jurisdiction = Jurisdiction(ally_type="GOBIERNO_REGIONAL", ubigeo="06")

    results = [
        check_authority(request_for(jurisdiction, p.dni), REGISTER, TODAY).result for p in (governor, previous, mayor)
    ]

    assert results == ["MATCH", "MISMATCH", "MISMATCH"]


def test_another_ally_is_judged_against_the_head_of_its_entity():
    previous, head = previous_and_current("TITULAR", "20000802256")
    jurisdiction = Jurisdiction(ally_type="OTRO_ALIADO", entity_ruc="20000802256", entity_name="Nombre declarado")

    matched = check_authority(request_for(jurisdiction, head.dni), REGISTER, TODAY)
    refused = check_authority(request_for(jurisdiction, previous.dni), REGISTER, TODAY)

    assert matched.result == "MATCH" and refused.result == "MISMATCH"
    assert head.entity_name in refused.reason


def test_an_entity_missing_from_the_register_is_not_found():
    ruc = "2099999999" + str(peru.ruc_check_digit("2099999999"))
    jurisdiction = Jurisdiction(ally_type="OTRO_ALIADO", entity_ruc=ruc)

    verdict = check_authority(request_for(jurisdiction, "12345678"), REGISTER, TODAY)

    assert verdict.result == "NOT_FOUND"
    assert verdict.reason == f"No hay una autoridad registrada para la entidad con RUC {ruc} (periodo 2023-2026)."


def test_a_district_code_that_does_not_exist_is_not_found_with_its_reason():
    verdict = check_authority(
        request_for(Jurisdiction(ally_type="GOBIERNO_LOCAL", ubigeo="999999"), "12345678"), REGISTER, TODAY
    )

    assert verdict.result == "NOT_FOUND"
    assert "distrito válido" in verdict.reason


def test_usernames_say_the_jurisdiction_and_count_earlier_accounts():
    local = Jurisdiction(ally_type="GOBIERNO_LOCAL", ubigeo="090101")
    regional = Jurisdiction(ally_type="GOBIERNO_REGIONAL", ubigeo="09")
    entity = Jurisdiction(ally_type="OTRO_ALIADO", entity_ruc="20000802256")

    names = [domain.username_for(local, 0), domain.username_for(local, 1), domain.username_for(local, 2)]

    assert names == ["gl090101", "gl090101-2", "gl090101-3"]
    assert domain.username_for(regional, 0) == "gr09"
    assert domain.username_for(entity, 0) == "oa20000802256"


def test_a_username_is_refused_for_a_jurisdiction_that_does_not_fit_its_ally_type():
    with pytest.raises(domain.InvalidJurisdictionError):
        domain.username_base(Jurisdiction(ally_type="GOBIERNO_REGIONAL", ubigeo="090101"))


def test_new_passwords_are_long_mixed_unambiguous_and_different():
    passwords = {domain.new_password() for _ in range(200)}

    assert len(passwords) == 200
    assert all(domain.is_strong(p) and len(p) >= 14 for p in passwords)
    assert not set("".join(passwords)) & set("0O1lI'\"` \\")


def test_a_short_or_single_class_password_is_not_strong():
    assert not domain.is_strong("Ab3#Ab3#Ab3#")
    assert not domain.is_strong("abcdefghijkmnpqr")
    with pytest.raises(ValueError, match="at least 14"):
        domain.new_password(10)


# Guessed passwords ----------------------------------------------------------------


def test_the_wait_is_nothing_below_five_failures_then_one_minute_doubling_up_to_fifteen():
    waits = [domain.lockout_wait(n, domain.ACCOUNT_LOCKOUT) for n in range(1, 11)]

    assert [w.total_seconds() / 60 for w in waits] == [0, 0, 0, 0, 1, 2, 4, 8, 15, 15]


def test_an_address_waits_only_after_twenty_failures():
    assert domain.lockout_wait(19, domain.ADDRESS_LOCKOUT) == timedelta(0)
    assert domain.lockout_wait(20, domain.ADDRESS_LOCKOUT) == timedelta(minutes=1)


def test_the_fifth_failure_locks_the_account_for_a_minute_and_then_it_opens_again():
    at = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
    guard = domain.LoginGuard("account", "a1")

    for minute in range(5):
        guard = guard.failed(at + timedelta(seconds=minute))
    last = at + timedelta(seconds=4)

    assert guard.failures == 5 and guard.locked_until == last + timedelta(minutes=1)
    assert guard.locked_at(last + timedelta(seconds=59))
    assert not guard.locked_at(last + timedelta(minutes=1))


def test_failures_twelve_hours_apart_start_counting_again():
    at = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
    guard = domain.LoginGuard("account", "a1", failures=4, last_failure_at=at)

    later = guard.failed(at + timedelta(hours=12))

    assert (later.failures, later.locked_until) == (1, None)


def test_a_lock_refuses_the_right_password_and_attempts_during_it_are_not_counted():
    at = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
    account = domain.LoginAccount(sub="a1", username="gl090101", role="ALLY", password_hash="h")
    locked = domain.LoginGuard("account", "a1", failures=5, last_failure_at=at, locked_until=at + timedelta(minutes=1))

    outcome = domain.login_outcome(account, True, [locked], at + timedelta(seconds=30))

    assert outcome == "locked"
    assert domain.guards_after(outcome, [locked], at + timedelta(seconds=30)) == []


def test_a_wrong_password_for_an_unknown_user_counts_against_the_address():
    at = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
    address = domain.LoginGuard("address", "203.0.113.9")

    outcome = domain.login_outcome(None, False, [address], at)
    (after,) = domain.guards_after(outcome, [address], at)

    assert outcome == "unknown" and after.failures == 1

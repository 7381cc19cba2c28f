"""The shipped synthetic registries: generated deterministically, complete, and consistent."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from contracts import ubigeo
from contracts.peru import is_ruc
from identity.adapters import registry_gen
from identity.adapters.registries import FileAuthorityRegister, FileCitizenRegistry

pytestmark = pytest.mark.unit


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_generating_again_gives_the_shipped_files_byte_for_byte(tmp_path):
    citizens, authorities = registry_gen.write(tmp_path)

    assert citizens.read_bytes() == (registry_gen.DATA_DIR / registry_gen.CITIZENS_FILE).read_bytes()
    assert authorities.read_bytes() == (registry_gen.DATA_DIR / registry_gen.AUTHORITIES_FILE).read_bytes()


def test_every_region_district_and_entity_has_one_authority_in_the_current_term():
    current = [
        r for r in rows(registry_gen.DATA_DIR / registry_gen.AUTHORITIES_FILE) if r["period_start"] == "2023-01-01"
    ]

    by_kind = {kind: {r["jurisdiction"] for r in current if r["kind"] == kind} for kind in registry_gen.PREVIOUS_EVERY}

    assert by_kind["GOBERNADOR_REGIONAL"] == set(ubigeo.regions())
    assert by_kind["ALCALDE"] == set(ubigeo.districts())
    assert len(by_kind["TITULAR"]) == 40
    assert len(current) == 25 + 1891 + 40


def test_some_jurisdictions_also_list_an_authority_of_the_previous_term():
    previous = [
        r for r in rows(registry_gen.DATA_DIR / registry_gen.AUTHORITIES_FILE) if r["period_end"] == "2022-12-31"
    ]

    assert {r["kind"] for r in previous} == {"GOBERNADOR_REGIONAL", "ALCALDE", "TITULAR"}


def test_every_entity_has_a_valid_ruc_a_name_and_says_whether_it_is_public():
    entities = FileAuthorityRegister().entities()

    assert len(entities) == 40
    assert all(is_ruc(e.ruc) and e.ruc.startswith("20") and e.name for e in entities)
    assert {e.public for e in entities} == {True, False}


def test_every_authority_is_a_citizen_with_the_same_names_and_there_are_thousands_more():
    citizens = FileCitizenRegistry()
    authorities = rows(registry_gen.DATA_DIR / registry_gen.AUTHORITIES_FILE)
    all_citizens = rows(registry_gen.DATA_DIR / registry_gen.CITIZENS_FILE)

    assert all(citizens.find(a["dni"]) == a["names"] for a in authorities)
    assert len(all_citizens) == len({a["dni"] for a in authorities}) + registry_gen.EXTRA_CITIZENS
    assert all(len(c["dni"]) == 8 and ", " in c["names"] for c in all_citizens)


def test_the_term_elected_in_2026_takes_office_on_the_first_of_january_2027():
    register = FileAuthorityRegister()

    outgoing = register.current("ALCALDE", "090101", date(2026, 12, 31))
    incoming = register.current("ALCALDE", "090101", date(2027, 1, 1))
    head_before = register.current("TITULAR", register.entities()[0].ruc, date(2026, 12, 31))
    head_after = register.current("TITULAR", register.entities()[0].ruc, date(2027, 1, 1))

    assert outgoing is not None and incoming is not None
    assert outgoing.dni != incoming.dni
    assert incoming.period == "2027-2030"
    assert head_before.dni == head_after.dni

"""The synthetic padrón: the size and shape of the V-2022 padrón, the same every time, any size, no real DNI reuse."""

from __future__ import annotations

import csv
import io
import itertools
from collections import Counter
from datetime import date

import pytest

from contracts import ubigeo
from padron.beneficiaries.domain import FIELDS, requirements, validate
from padron.imports import synthetic

pytestmark = pytest.mark.unit

AS_OF = date(2026, 1, 15)


@pytest.fixture(scope="module")
def padron() -> list[tuple[str, ...]]:
    return list(synthetic.rows(as_of=AS_OF))


def age(born: str) -> int:
    birth = date.fromisoformat(born)
    return AS_OF.year - birth.year - ((AS_OF.month, AS_OF.day) < (birth.month, birth.day))


def test_the_default_padron_has_80326_beneficiaries_in_the_25_regions_and_1746_districts(padron):
    districts = {row[4] for row in padron}

    assert len(padron) == 80_326
    assert len({code[:2] for code in districts}) == 25
    assert len(districts) == 1_746
    assert districts <= set(ubigeo.districts())
    assert synthetic.district_counts() == Counter(row[4] for row in padron)


def test_lima_cajamarca_and_piura_are_the_largest_regions_in_that_order(padron):
    by_region = Counter(row[4][:2] for row in padron)

    largest = [code for code, _ in by_region.most_common(5)]

    assert largest == ["15", "06", "20", "10", "08"]  # Lima, Cajamarca, Piura, Huánuco, Cusco


def test_a_regions_capital_district_is_its_largest(padron):
    by_district = Counter(row[4] for row in padron)

    for region in ("15", "06", "20", "08"):
        in_region = {code: n for code, n in by_district.items() if code[:2] == region}
        assert max(in_region, key=in_region.__getitem__) == f"{region}0101"


def test_women_men_and_children_are_as_many_as_in_the_v2022_padron(padron):
    sexes = Counter(row[3] for row in padron)
    minors = sum(1 for row in padron if age(row[2]) < 18)

    assert sexes == {"F": 36_991, "M": 43_335}
    assert minors == 23_388


def test_every_row_is_valid_and_every_vigente_row_meets_the_pension_requirements(padron):
    problems = []
    for row in padron:
        values, errors = validate(dict(zip(FIELDS, row, strict=True)), AS_OF)
        if errors or (values["status"] == "VIGENTE" and not requirements(values, AS_OF)["cumple"]):
            problems.append((row[0], errors))

    assert problems == []


def test_dnis_are_unique_and_a_few_are_suspended_or_disaffiliated_with_a_reason(padron):
    statuses = Counter(row[18] for row in padron)

    assert len({row[0] for row in padron}) == len(padron)
    assert 0.01 < statuses["SUSPENDIDO"] / len(padron) < 0.05
    assert 0.005 < statuses["DESAFILIADO"] / len(padron) < 0.03
    assert all(row[19] for row in padron if row[18] != "VIGENTE")


def test_names_and_addresses_look_peruvian(padron):
    first = padron[0]

    assert all(", " in row[1] and row[1] == row[1].upper() for row in padron[:1000])
    assert first[5].split()[0] in {"Jr.", "Av.", "Calle", "Psje.", "Prol.", "Caserío"}


def test_the_same_seed_and_date_give_the_same_padron_and_another_seed_another_one():
    first = list(itertools.islice(synthetic.rows(as_of=AS_OF), 2_000))
    again = list(itertools.islice(synthetic.rows(as_of=AS_OF), 2_000))
    other = list(itertools.islice(synthetic.rows(seed=7, as_of=AS_OF), 2_000))

    assert first == again
    assert first != other


def test_a_padron_of_ten_million_is_streamed_not_built_in_memory():
    stream = synthetic.rows(10_000_000, as_of=AS_OF)

    head = list(itertools.islice(stream, 3))
    counts = synthetic.district_counts(10_000_000)

    assert len(head) == 3
    assert sum(counts.values()) == 10_000_000
    assert len(counts) == 1_746


@pytest.mark.parametrize("n", [1, 500, 1_746, 5_000])
def test_any_size_gives_exactly_that_many_rows(n):
    produced = sum(1 for _ in synthetic.rows(n, as_of=AS_OF))

    assert produced == n
    assert sum(synthetic.district_counts(n).values()) == n


def test_the_csv_starts_with_the_import_header_and_holds_every_row():
    text = b"".join(synthetic.csv_chunks(2_500, as_of=AS_OF, rows_per_chunk=1_000)).decode()

    rows = list(csv.reader(io.StringIO(text)))

    assert tuple(rows[0]) == FIELDS
    assert [tuple(r) for r in rows[1:]] == list(synthetic.rows(2_500, as_of=AS_OF))


def test_the_command_writes_the_csv_file(tmp_path):
    out = tmp_path / "padron.csv"

    code = synthetic.main(["--rows", "300", "--out", str(out), "--as-of", "2026-01-15"])

    assert code == 0
    assert out.read_bytes() == b"".join(synthetic.csv_chunks(300, as_of=AS_OF))

"""The views' pure parts: masking of a page, counting blocks (cursors are the kit's paging)."""

from __future__ import annotations

from decimal import Decimal
from uuid import uuid4

import pytest

from padron.views import domain as views

pytestmark = pytest.mark.unit


def test_a_page_for_another_ally_shows_masked_dni_and_names_the_district_and_the_category_only():
    rows = [
        {
            "beneficiary_id": uuid4(),
            "dni": "40123321",
            "names": "QUISPE MAMANI, ANA",
            "ubigeo": "090101",
            "category": "CONTINUADOR",
            "status": "VIGENTE",
            "amount": Decimal("300.00"),
        },
        {
            "beneficiary_id": uuid4(),
            "dni": "71234567",
            "names": "HUAMÁN ROJAS, LUIS ALBERTO",
            "ubigeo": "150101",
            "category": "DESAFILIADO",
            "status": "DESAFILIADO",
            "amount": Decimal("0.00"),
        },
    ]

    page = [views.masked_entry(r) for r in rows]

    assert page == [
        {
            "dni": "4****321",
            "names": "Q***** M*****, A**",
            "district": "Huancavelica, Huancavelica, Huancavelica",
            "category": "CONTINUADOR",
        },
        {
            "dni": "7****567",
            "names": "H***** R****, L*** A******",
            "district": "Lima, Lima, Lima",
            "category": "DESAFILIADO",
        },
    ]


def test_counts_are_grouped_per_place_with_zeros_and_totals():
    counts = views.tally(
        ["090101", "090102"],
        [("090101", "status:VIGENTE", 7), ("090101", "status:SUSPENDIDO", 1), ("090102", "affiliation:CONFORME", 2)],
        [("090101", "NUEVO", 3)],
        padron=True,
    )

    region = views.with_totals(views.merge(counts.values(), padron=True))

    assert region["beneficiaries"] == {"VIGENTE": 7, "SUSPENDIDO": 1, "DESAFILIADO": 0, "total": 8}
    assert region["affiliation_requests"] == {"PENDIENTE": 0, "CONFORME": 2, "NO_CONFORME": 0, "total": 2}
    assert region["padron_categories"]["NUEVO"] == 3
    assert views.with_totals(counts["090102"])["beneficiaries"]["total"] == 0


def test_a_region_is_a_range_of_its_district_codes():
    lo, hi = views.region_span("09")

    assert lo <= "090101" <= hi
    assert lo <= "099999" <= hi
    assert not lo <= "100101" <= hi
    assert not lo <= "080101" <= hi

"""What a CTVC oficio must say before it is filed, and when its answer falls due."""

from __future__ import annotations

from datetime import date

import pytest

from authkit import Claims
from cases.oficios.domain import add_business_days, file_oficio
from cases.shared.errors import ForbiddenError, FormError
from cases.shared.scope import Caller, caller_of

pytestmark = pytest.mark.unit

CTVC = Caller("CTVC", "ctvc09", "CTVC", region="09")
STAFF = Caller("STAFF", "analista", "ANALYST", unit="UAC")
TODAY = date(2022, 8, 16)


def a_form(**changes) -> dict:
    form = {
        "number": "OFICIO N° 033-2022-CTVC/HUANCAVELICA",
        "sent_on": "2022-08-10",
        "received_on": "2022-08-11",
        "sender": "Presidente del CTVC Huancavelica",
        "cases": [
            {
                "number": "0050-2022-ctvc/hvc",
                "ubigeo": "090101",
                "points": [{"category": "SIN_CAPACITACION", "description": "La OMAPED no recibió capacitación."}],
                "interviewees": [{"role": "Responsable", "office": "OMAPED", "names": "ANA QUISPE"}],
            }
        ],
    }
    return form | changes


def test_a_ctvc_files_for_its_own_region_and_the_answer_is_due_in_business_days():
    filing = file_oficio(a_form(), CTVC, TODAY, 15)

    assert filing.region == "09"
    assert filing.channel == "PLATAFORMA"
    assert filing.cases[0].number == "0050-2022-CTVC/HVC"
    # 15 business days after Thursday 11 August 2022: 30 August (Santa Rosa de Lima) is a holiday.
    assert filing.due_on == date(2022, 9, 2)


def test_a_ctvc_cannot_file_a_case_of_another_region():
    form = a_form(cases=[a_form()["cases"][0] | {"ubigeo": "150101"}])

    with pytest.raises(FormError) as refused:
        file_oficio(form, CTVC, TODAY, 15)

    assert refused.value.errors == {"cases.0.ubigeo": "El distrito no pertenece a la región Huancavelica."}


def test_staff_register_a_paper_oficio_naming_its_region():
    filing = file_oficio(a_form(region="09"), STAFF, TODAY, 15)

    assert (filing.region, filing.channel) == ("09", "PAPEL")

    with pytest.raises(FormError) as refused:
        file_oficio(a_form(), STAFF, TODAY, 15)
    assert refused.value.errors == {"region": "Elija la región del CTVC."}


def test_every_problem_is_named_at_its_field_in_spanish():
    form = a_form(
        number="",
        sent_on="2022-08-20",
        received_on="2022-08-12",
        cases=[
            {"number": "50-2022", "ubigeo": "099999", "points": [{"category": "NADA", "description": ""}]},
            {"number": "0051-2022-CTVC/HVC", "ubigeo": "090101", "points": []},
        ],
    )

    with pytest.raises(FormError) as refused:
        file_oficio(form, CTVC, TODAY, 15)

    assert refused.value.errors == {
        "number": "Este dato es obligatorio.",
        "sent_on": "La fecha del oficio no puede ser posterior a hoy.",
        "received_on": "La fecha de recepción no puede ser anterior a la fecha del oficio.",
        "cases.0.number": "Escriba el número como 0050-2022-CTVC/HVC.",
        "cases.0.ubigeo": "Elija el departamento, la provincia y el distrito del caso.",
        "cases.0.points.0.category": "Elija una categoría del catálogo.",
        "cases.0.points.0.description": "Este dato es obligatorio.",
        "cases.1.points": "Registre al menos un punto crítico.",
    }


def test_a_case_number_repeated_in_one_oficio_is_refused():
    case = a_form()["cases"][0]

    with pytest.raises(FormError) as refused:
        file_oficio(a_form(cases=[case, case]), CTVC, TODAY, 15)

    assert refused.value.errors == {"cases.1.number": "Este número de caso se repite en el oficio."}


def test_reception_before_the_oficios_date_is_refused():
    with pytest.raises(FormError) as refused:
        file_oficio(a_form(sent_on="2022-08-12", received_on="2022-08-11"), CTVC, TODAY, 15)

    assert refused.value.errors == {"received_on": "La fecha de recepción no puede ser anterior a la fecha del oficio."}


def test_business_days_skip_weekends_and_perus_holidays():
    assert add_business_days(date(2022, 7, 27), 1) == date(2022, 8, 1)  # 28-29 July: Fiestas Patrias, then a weekend


def test_only_ctvc_and_case_staff_are_callers_of_the_cases_service():
    ally = Claims(sub="s", username="gl090101", role="ALLY", ally_type="GOBIERNO_LOCAL", ubigeo="090101")
    evaluator = Claims(sub="s", username="evaluador", role="EVALUATOR")
    ctvc = Claims(sub="s", username="ctvc09", role="CTVC", ubigeo="09")

    assert caller_of(ctvc) == Caller("CTVC", "ctvc09", "CTVC", region="09")
    for refused in (ally, evaluator):
        with pytest.raises(ForbiddenError):
            caller_of(refused)

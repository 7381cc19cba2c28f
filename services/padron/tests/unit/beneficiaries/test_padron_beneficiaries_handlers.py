"""Beneficiary use cases with a fake repository: who may affiliate, and what is stored."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from padron.beneficiaries import handlers as beneficiaries
from padron.beneficiaries.domain import BeneficiaryRef
from padron.shared.errors import FormError
from padron.shared.scope import Scope

pytestmark = pytest.mark.unit


TODAY = date(2026, 7, 15)
STAFF = Scope("STAFF", "evaluador", "EVALUATOR")


class FakeBeneficiaryRepo:
    def __init__(self):
        self.beneficiaries: dict[uuid.UUID, BeneficiaryRef] = {}

    async def add_beneficiary(self, beneficiary_id, values, checked, user):
        self.beneficiaries[beneficiary_id] = BeneficiaryRef(beneficiary_id, values["ubigeo"], "VIGENTE")

    async def beneficiary(self, beneficiary_id, *, lock=False):
        return self.beneficiaries.get(beneficiary_id)


def applicant(**changes) -> dict:
    return {
        "dni": "40123321",
        "names": "QUISPE MAMANI, ANA",
        "birth_date": "1950-03-02",
        "sex": "F",
        "ubigeo": "090101",
        "address": "Jr. Lima 123",
        "certificate_number": "CD-1",
        "certificate_severity": "SEVERA",
        "certificate_issuer": "MINSA",
        "certificate_date": "2020-01-10",
        "sisfoh_classification": "POBRE",
        "sisfoh_expires_on": "2027-01-01",
        "other_pension": False,
    } | changes


async def test_an_applicant_whose_sisfoh_classification_expired_is_not_stored():
    repo = FakeBeneficiaryRepo()

    with pytest.raises(FormError) as refused:
        await beneficiaries.affiliate(applicant(sisfoh_expires_on="2026-07-14"), STAFF, repo, TODAY)

    assert list(refused.value.errors) == ["requirements.pobreza_sisfoh_vigente"]
    assert repo.beneficiaries == {}

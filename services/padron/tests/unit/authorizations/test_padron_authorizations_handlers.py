"""Collection authorization use cases with a fake repository: who may authorize whom."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from padron.authorizations import handlers as authorizations
from padron.beneficiaries.domain import BeneficiaryRef
from padron.shared.errors import ConflictError, OutOfScopeError
from padron.shared.scope import Scope

pytestmark = pytest.mark.unit


TODAY = date(2026, 7, 15)
STAFF = Scope("STAFF", "evaluador", "EVALUATOR")
DISTRICT = Scope("DISTRICT", "muni", "ALLY", "GOBIERNO_LOCAL", ubigeo="090101")
OTHER_DISTRICT = Scope("DISTRICT", "muni2", "ALLY", "GOBIERNO_LOCAL", ubigeo="090102")
REGION = Scope("REGION", "gore", "ALLY", "GOBIERNO_REGIONAL", ubigeo="09")


class FakeAuthorizationRepo:
    def __init__(self):
        self.beneficiaries: dict[uuid.UUID, BeneficiaryRef] = {}
        self.revoked: list[uuid.UUID] = []
        self.authorized: list[uuid.UUID] = []

    async def beneficiary(self, beneficiary_id, *, lock=False):
        return self.beneficiaries.get(beneficiary_id)

    async def expire_authorizations(self, today):
        return 0

    async def revoke_vigentes(self, beneficiary_id, keep, reason, user):
        self.revoked.append(beneficiary_id)
        return 1

    async def add_authorization(self, authorization_id, ref, data, user):
        self.authorized.append(authorization_id)


async def test_a_local_government_authorizes_in_its_district_only():
    repo = FakeAuthorizationRepo()
    beneficiary_id = uuid.uuid4()
    repo.beneficiaries[beneficiary_id] = BeneficiaryRef(beneficiary_id, "090101", "VIGENTE")
    body = {
        "collector_dni": "41234567",
        "collector_names": "ROJAS, LUIS",
        "relationship": "HIJO",
        "valid_from": "2026-07-01",
        "valid_until": "2026-12-31",
    }

    await authorizations.authorize(beneficiary_id, body, DISTRICT, repo, TODAY)
    with pytest.raises(OutOfScopeError) as other:
        await authorizations.authorize(beneficiary_id, body, OTHER_DISTRICT, repo, TODAY)
    with pytest.raises(OutOfScopeError) as region:
        await authorizations.authorize(beneficiary_id, body, REGION, repo, TODAY)

    assert (other.value.status, region.value.status) == (404, 403)
    assert repo.revoked == [beneficiary_id]
    assert len(repo.authorized) == 1


async def test_a_disaffiliated_beneficiary_gets_no_new_authorization():
    repo = FakeAuthorizationRepo()
    beneficiary_id = uuid.uuid4()
    repo.beneficiaries[beneficiary_id] = BeneficiaryRef(beneficiary_id, "090101", "DESAFILIADO")

    with pytest.raises(ConflictError):
        await authorizations.authorize(beneficiary_id, {}, STAFF, repo, TODAY)

    assert repo.authorized == []

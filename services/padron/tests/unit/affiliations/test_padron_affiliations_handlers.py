"""Affiliation request use cases with a fake repository: where a request is filed, who may send one."""

from __future__ import annotations

import pytest

from padron.affiliations import handlers as affiliations
from padron.shared.errors import OutOfScopeError
from padron.shared.scope import Scope

pytestmark = pytest.mark.unit


STAFF = Scope("STAFF", "evaluador", "EVALUATOR")
DISTRICT = Scope("DISTRICT", "muni", "ALLY", "GOBIERNO_LOCAL", ubigeo="090101")


class FakeAffiliationRepo:
    def __init__(self):
        self.requests: list[tuple] = []

    async def add_affiliation_request(self, affiliation_id, ubigeo, data, user):
        self.requests.append((ubigeo, data.applicant_dni, user))


async def test_an_affiliation_request_is_filed_under_the_district_of_the_token():
    repo = FakeAffiliationRepo()
    body = {"applicant_dni": "40123321", "applicant_names": "HUAMAN, JUANA", "ubigeo": "150101"}

    await affiliations.submit_affiliation(body, DISTRICT, repo)
    with pytest.raises(OutOfScopeError):
        await affiliations.submit_affiliation(body, STAFF, repo)

    assert repo.requests == [("090101", "40123321", "muni")]

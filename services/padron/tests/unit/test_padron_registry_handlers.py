"""Registry use cases with a fake repository: who may act, what is stored, what is announced."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from padron.affiliations import handlers as affiliations
from padron.authorizations import handlers as authorizations
from padron.beneficiaries import handlers as beneficiaries
from padron.beneficiaries.domain import BeneficiaryRef
from padron.shared.errors import ConflictError, FormError, OutOfScopeError
from padron.shared.scope import Scope
from padron.versions import handlers as versions
from padron.versions.domain import Period
from padron.versions.handlers import PublishedVersion

pytestmark = pytest.mark.unit

TODAY = date(2026, 7, 15)
STAFF = Scope("STAFF", "evaluador", "EVALUATOR")
DISTRICT = Scope("DISTRICT", "muni", "ALLY", "GOBIERNO_LOCAL", ubigeo="090101")
OTHER_DISTRICT = Scope("DISTRICT", "muni2", "ALLY", "GOBIERNO_LOCAL", ubigeo="090102")
REGION = Scope("REGION", "gore", "ALLY", "GOBIERNO_REGIONAL", ubigeo="09")


class FakeRegistry:
    def __init__(self, published: list[PublishedVersion] = ()):
        self.beneficiaries: dict[uuid.UUID, BeneficiaryRef] = {}
        self.published = list(published)
        self.events: list[tuple[object, str]] = []
        self.frozen: list[tuple] = []
        self.revoked: list[uuid.UUID] = []
        self.authorized: list[uuid.UUID] = []
        self.requests: list[tuple] = []

    async def add_beneficiary(self, beneficiary_id, values, checked, user):
        self.beneficiaries[beneficiary_id] = BeneficiaryRef(beneficiary_id, values["ubigeo"], "VIGENTE")

    async def beneficiary(self, beneficiary_id, *, lock=False):
        return self.beneficiaries.get(beneficiary_id)

    async def lock_publication(self):
        pass

    async def period_exists(self, period):
        return any(v.period == period for v in self.published)

    async def published_versions(self):
        return self.published

    async def freeze(self, padron_id, period, resolution_number, resolution_date, user, previous, older):
        self.frozen.append((period, previous, list(older)))
        return [("090101", "CONTINUADOR", 7), ("150101", "NUEVO", 2)]

    async def emit(self, event, key):
        self.events.append((event, key))

    async def expire_authorizations(self, today):
        return 0

    async def revoke_vigentes(self, beneficiary_id, keep, reason, user):
        self.revoked.append(beneficiary_id)
        return 1

    async def add_authorization(self, authorization_id, ref, data, user):
        self.authorized.append(authorization_id)

    async def add_affiliation_request(self, affiliation_id, ubigeo, data, user):
        self.requests.append((ubigeo, data.applicant_dni, user))


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
    repo = FakeRegistry()

    with pytest.raises(FormError) as refused:
        await beneficiaries.affiliate(applicant(sisfoh_expires_on="2026-07-14"), STAFF, repo, TODAY)

    assert list(refused.value.errors) == ["requirements.pobreza_sisfoh_vigente"]
    assert repo.beneficiaries == {}


async def test_a_publication_compares_with_the_latest_version_and_announces_its_district_counts():
    latest, older = uuid.uuid4(), uuid.uuid4()
    repo = FakeRegistry([PublishedVersion(latest, Period(2026, 4)), PublishedVersion(older, Period(2026, 3))])

    event = await versions.publish_padron("V-2026", " RD-15-2026 ", "2026-08-30", STAFF, repo)

    assert repo.frozen == [(Period(2026, 5), latest, [older])]
    assert repo.events == [(event, str(event.padron_id))]
    assert (event.period, event.resolution_number, event.resolution_date) == ("V-2026", "RD-15-2026", date(2026, 8, 30))
    assert [(c.ubigeo, c.category, c.count) for c in event.counts] == [
        ("090101", "CONTINUADOR", 7),
        ("150101", "NUEVO", 2),
    ]


async def test_a_publication_without_a_resolution_date_or_by_an_ally_is_refused_and_freezes_nothing():
    repo = FakeRegistry()

    with pytest.raises(FormError):
        await versions.publish_padron("V-2026", "RD-1", "", STAFF, repo)
    with pytest.raises(OutOfScopeError):
        await versions.publish_padron("V-2026", "RD-1", "2026-08-30", DISTRICT, repo)

    assert repo.frozen == repo.events == []


async def test_a_local_government_authorizes_in_its_district_only():
    repo = FakeRegistry()
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
    repo = FakeRegistry()
    beneficiary_id = uuid.uuid4()
    repo.beneficiaries[beneficiary_id] = BeneficiaryRef(beneficiary_id, "090101", "DESAFILIADO")

    with pytest.raises(ConflictError):
        await authorizations.authorize(beneficiary_id, {}, STAFF, repo, TODAY)

    assert repo.authorized == []


async def test_an_affiliation_request_is_filed_under_the_district_of_the_token():
    repo = FakeRegistry()
    body = {"applicant_dni": "40123321", "applicant_names": "HUAMAN, JUANA", "ubigeo": "150101"}

    await affiliations.submit_affiliation(body, DISTRICT, repo)
    with pytest.raises(OutOfScopeError):
        await affiliations.submit_affiliation(body, STAFF, repo)

    assert repo.requests == [("090101", "40123321", "muni")]

"""Alert use cases with a fake repository: who may raise one, what is announced."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from contracts.events import AlertRaised
from padron.alerts import handlers as alert_handlers
from padron.alerts.domain import Alert
from padron.shared.errors import OutOfScopeError
from padron.shared.scope import Scope

pytestmark = pytest.mark.unit


LOCAL = Scope("DISTRICT", "gl-090101", "ALLY", "GOBIERNO_LOCAL", ubigeo="090101")
OTHER_LOCAL = Scope("DISTRICT", "gl-150101", "ALLY", "GOBIERNO_LOCAL", ubigeo="150101")
REGION = Scope("REGION", "gr-09", "ALLY", "GOBIERNO_REGIONAL", ubigeo="09")
ENTITY = Scope("ENTITY", "oa-conadis", "ALLY", "OTRO_ALIADO", entity_ruc="20100000001")
STAFF = Scope("STAFF", "evaluador", "EVALUATOR")


class FakeAlertRepo:
    def __init__(self):
        self.beneficiaries: dict[uuid.UUID, dict] = {}
        self.alerts_by_id: dict[uuid.UUID, Alert] = {}
        self.published: list[tuple] = []
        self.reads: list[tuple] = []

    def add_beneficiary(self, ubigeo="090101", **contact) -> uuid.UUID:
        beneficiary_id = uuid.uuid4()
        values = {"address": "Jr. Lima 123", "phone": None, "contact_name": None, "contact_phone": None}
        self.beneficiaries[beneficiary_id] = {"ubigeo": ubigeo, **values, **contact}
        return beneficiary_id

    async def beneficiary_ubigeo(self, beneficiary_id):
        found = self.beneficiaries.get(beneficiary_id)
        return found["ubigeo"] if found else None

    async def add_alert(self, alert_id, beneficiary_id, ubigeo, data, raised_by):
        alert = Alert(
            alert_id, beneficiary_id, ubigeo, data.alert_type, data.detail, "ABIERTA", raised_by, datetime.now(UTC)
        )
        self.alerts_by_id[alert_id] = alert
        return alert

    async def alerts(self, scope, query):
        return [a for a in self.alerts_by_id.values() if scope.covers_district(a.ubigeo)][: query.limit + 1]

    async def alert_for_update(self, alert_id):
        return self.alerts_by_id.get(alert_id)

    async def set_alert_state(self, alert_id, state):
        self.alerts_by_id[alert_id] = replace(self.alerts_by_id[alert_id], state=state)

    async def emit(self, payload, key):
        self.published.append((payload, key))

    async def log_read(self, scope, action, resource, beneficiary_ids):
        self.reads.append((scope.username, action, list(beneficiary_ids)))


async def refused(call) -> OutOfScopeError:
    with pytest.raises(OutOfScopeError) as caught:
        await call
    return caught.value


async def test_a_local_government_raises_an_alert_and_the_event_is_keyed_by_the_beneficiary():
    repo = FakeAlertRepo()
    beneficiary_id = repo.add_beneficiary()

    alert = await alert_handlers.raise_alert(
        beneficiary_id, {"alert_type": "NO_COBRA", "detail": "No cobra hace dos periodos."}, LOCAL, repo
    )

    assert repo.published == [
        (
            AlertRaised(
                alert_id=alert.alert_id,
                beneficiary_id=beneficiary_id,
                alert_type="NO_COBRA",
                ubigeo="090101",
                raised_by="gl-090101",
            ),
            str(beneficiary_id),
        )
    ]


async def test_an_alert_about_a_beneficiary_of_another_district_is_answered_as_not_found():
    repo = FakeAlertRepo()
    beneficiary_id = repo.add_beneficiary(ubigeo="090101")

    refusal = await refused(
        alert_handlers.raise_alert(beneficiary_id, {"alert_type": "OTRO", "detail": "x"}, OTHER_LOCAL, repo)
    )

    assert refusal.status == 404
    assert repo.alerts_by_id == {}


async def test_regional_governments_and_other_allies_cannot_raise_alerts_and_staff_can():
    repo = FakeAlertRepo()
    beneficiary_id = repo.add_beneficiary()
    body = {"alert_type": "EN_RIESGO", "detail": "Vive solo."}

    region = await refused(alert_handlers.raise_alert(beneficiary_id, body, REGION, repo))
    entity = await refused(alert_handlers.raise_alert(beneficiary_id, body, ENTITY, repo))
    by_staff = await alert_handlers.raise_alert(beneficiary_id, body, STAFF, repo)

    assert region.status == entity.status == 403
    assert by_staff.raised_by == "evaluador"

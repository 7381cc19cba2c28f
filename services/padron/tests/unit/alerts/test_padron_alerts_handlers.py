"""Alert use cases with a fake repository: who may raise one, what is announced."""

from __future__ import annotations

import pytest

from contracts.events import AlertRaised
from padron.alerts import handlers as alert_handlers
from padron.shared.scope import Scope

pytestmark = pytest.mark.unit


LOCAL = Scope("DISTRICT", "gl-090101", "ALLY", "GOBIERNO_LOCAL", ubigeo="090101")
OTHER_LOCAL = Scope("DISTRICT", "gl-150101", "ALLY", "GOBIERNO_LOCAL", ubigeo="150101")
REGION = Scope("REGION", "gr-09", "ALLY", "GOBIERNO_REGIONAL", ubigeo="09")
ENTITY = Scope("ENTITY", "oa-conadis", "ALLY", "OTRO_ALIADO", entity_ruc="20100000001")
STAFF = Scope("STAFF", "evaluador", "EVALUATOR")


async def test_a_local_government_raises_an_alert_and_the_event_is_keyed_by_the_beneficiary(repo):
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


async def test_an_alert_about_a_beneficiary_of_another_district_is_answered_as_not_found(repo, refused):
    beneficiary_id = repo.add_beneficiary(ubigeo="090101")

    refusal = await refused(
        alert_handlers.raise_alert(beneficiary_id, {"alert_type": "OTRO", "detail": "x"}, OTHER_LOCAL, repo)
    )

    assert refusal.status == 404
    assert repo.alerts_by_id == {}


async def test_regional_governments_and_other_allies_cannot_raise_alerts_and_staff_can(repo, refused):
    beneficiary_id = repo.add_beneficiary()
    body = {"alert_type": "EN_RIESGO", "detail": "Vive solo."}

    region = await refused(alert_handlers.raise_alert(beneficiary_id, body, REGION, repo))
    entity = await refused(alert_handlers.raise_alert(beneficiary_id, body, ENTITY, repo))
    by_staff = await alert_handlers.raise_alert(beneficiary_id, body, STAFF, repo)

    assert region.status == entity.status == 403
    assert by_staff.raised_by == "evaluador"

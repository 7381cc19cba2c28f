"""FAD use cases with a fake repository: who may propose and decide, what is applied, what is announced."""

from __future__ import annotations

from datetime import date

import pytest

from contracts.events import FADApplied, FADSubmitted
from padron.fad import handlers as fad_handlers
from padron.fad.domain import HistoryEntry
from padron.shared.scope import Scope

pytestmark = pytest.mark.unit


LOCAL = Scope("DISTRICT", "gl-090101", "ALLY", "GOBIERNO_LOCAL", ubigeo="090101")
OTHER_LOCAL = Scope("DISTRICT", "gl-150101", "ALLY", "GOBIERNO_LOCAL", ubigeo="150101")
REGION = Scope("REGION", "gr-09", "ALLY", "GOBIERNO_REGIONAL", ubigeo="09")
ENTITY = Scope("ENTITY", "oa-conadis", "ALLY", "OTRO_ALIADO", entity_ruc="20100000001")
STAFF = Scope("STAFF", "evaluador", "EVALUATOR")
TODAY = date(2026, 5, 4)


async def test_a_fad_is_proposed_only_by_the_local_government_of_the_district(repo, refused):
    beneficiary_id = repo.add_beneficiary()
    body = {"changes": {"phone": "987654321"}}

    statuses = [
        (await refused(fad_handlers.submit_fad(beneficiary_id, body, scope, repo))).status
        for scope in (REGION, ENTITY, STAFF, OTHER_LOCAL)
    ]
    fad = await fad_handlers.submit_fad(beneficiary_id, body, LOCAL, repo)

    assert statuses == [403, 403, 403, 404]
    assert fad.state == "PENDIENTE"
    assert repo.published[-1][0] == FADSubmitted(
        fad_id=fad.fad_id, beneficiary_id=beneficiary_id, ubigeo="090101", submitted_by="gl-090101", fields=["phone"]
    )


async def test_approving_a_fad_changes_the_beneficiary_and_replaces_the_authorized_person_with_history(repo):
    beneficiary_id = repo.add_beneficiary(phone="987654321")
    first = {"changes": {"authorized_person": {"dni": "41234567", "names": "QUISPE, ROSA", "relationship": "HIJA"}}}
    earlier = await fad_handlers.submit_fad(beneficiary_id, first, LOCAL, repo)
    await fad_handlers.decide_fad(earlier.fad_id, {"approve": True}, STAFF, repo, TODAY)
    repo.history.clear()
    second = {
        "changes": {
            "phone": "987654321",
            "address": "Av. Grau 45",
            "authorized_person": {"dni": "42345678", "names": "QUISPE, JUAN", "relationship": "HIJO"},
        }
    }
    fad = await fad_handlers.submit_fad(beneficiary_id, second, LOCAL, repo)

    decided = await fad_handlers.decide_fad(fad.fad_id, {"approve": True}, STAFF, repo, TODAY)

    assert decided.state == "APROBADA"
    assert decided.applied_fields == ["address", "authorized_person"]
    assert repo.beneficiaries[beneficiary_id]["address"] == "Av. Grau 45"
    assert repo.history == [
        HistoryEntry("address", "Jr. Lima 123", "Av. Grau 45"),
        HistoryEntry("authorized_person", "QUISPE, ROSA (DNI 41234567, HIJA)", "QUISPE, JUAN (DNI 42345678, HIJO)"),
    ]
    assert sorted((a["person"].dni, a["state"]) for a in repo.authorizations.values()) == [
        ("41234567", "REVOCADA"),
        ("42345678", "VIGENTE"),
    ]
    assert all(a["valid_until"] == date(2027, 5, 4) for a in repo.authorizations.values())
    assert repo.published[-1] == (
        FADApplied(
            fad_id=fad.fad_id, beneficiary_id=beneficiary_id, ubigeo="090101", decided_by="evaluador", approved=True
        ),
        str(beneficiary_id),
    )


async def test_rejecting_a_fad_changes_nothing_and_says_so_in_the_event(repo):
    beneficiary_id = repo.add_beneficiary()
    fad = await fad_handlers.submit_fad(beneficiary_id, {"changes": {"address": "Av. Grau 45"}}, LOCAL, repo)

    decided = await fad_handlers.decide_fad(
        fad.fad_id, {"approve": False, "note": "La dirección no existe."}, STAFF, repo, TODAY
    )

    assert decided.state == "RECHAZADA"
    assert repo.beneficiaries[beneficiary_id]["address"] == "Jr. Lima 123"
    assert repo.history == []
    assert repo.published[-1][0].approved is False


async def test_only_staff_decide_a_fad(repo, refused):
    beneficiary_id = repo.add_beneficiary()
    fad = await fad_handlers.submit_fad(beneficiary_id, {"changes": {"address": "Av. Grau 45"}}, LOCAL, repo)

    refusal = await refused(fad_handlers.decide_fad(fad.fad_id, {"approve": True}, LOCAL, repo, TODAY))

    assert refusal.status == 403
    assert repo.fads_by_id[fad.fad_id].state == "PENDIENTE"

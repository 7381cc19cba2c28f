"""FAD use cases with a fake repository: who may propose and decide, what is applied, what is announced."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from contracts.events import FADApplied, FADSubmitted
from padron.fad import domain as fad_domain
from padron.fad import handlers as fad_handlers
from padron.fad.domain import Fad, HistoryEntry
from padron.fad.handlers import Authorization
from padron.shared.errors import OutOfScopeError
from padron.shared.scope import Scope

pytestmark = pytest.mark.unit


LOCAL = Scope("DISTRICT", "gl-090101", "ALLY", "GOBIERNO_LOCAL", ubigeo="090101")
OTHER_LOCAL = Scope("DISTRICT", "gl-150101", "ALLY", "GOBIERNO_LOCAL", ubigeo="150101")
REGION = Scope("REGION", "gr-09", "ALLY", "GOBIERNO_REGIONAL", ubigeo="09")
ENTITY = Scope("ENTITY", "oa-conadis", "ALLY", "OTRO_ALIADO", entity_ruc="20100000001")
STAFF = Scope("STAFF", "evaluador", "EVALUATOR")
TODAY = date(2026, 5, 4)


class FakeFadRepo:
    def __init__(self):
        self.beneficiaries: dict[uuid.UUID, dict] = {}
        self.fads_by_id: dict[uuid.UUID, Fad] = {}
        self.history: list[HistoryEntry] = []
        self.authorizations: dict[uuid.UUID, dict] = {}
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

    async def add_fad(self, fad_id, beneficiary_id, ubigeo, proposed, submitted_by):
        fad = Fad(fad_id, beneficiary_id, ubigeo, proposed, "PENDIENTE", submitted_by, datetime.now(UTC))
        self.fads_by_id[fad_id] = fad
        return fad

    async def fads(self, scope, query):
        return [f for f in self.fads_by_id.values() if scope.covers_district(f.ubigeo)][: query.limit + 1]

    async def fad(self, fad_id, *, for_update=False):
        return self.fads_by_id.get(fad_id)

    async def fad_history(self, fad_id):
        return list(self.history)

    async def contact_for_update(self, beneficiary_id):
        row = self.beneficiaries[beneficiary_id]
        return {k: row[k] for k in fad_domain.CONTACT_FIELDS}

    async def update_contact(self, beneficiary_id, values):
        self.beneficiaries[beneficiary_id].update(values)

    async def current_authorization(self, beneficiary_id):
        for authorization_id, a in self.authorizations.items():
            if a["beneficiary_id"] == beneficiary_id and a["state"] == "VIGENTE":
                return Authorization(authorization_id, a["person"])
        return None

    async def revoke_authorization(self, authorization_id, by, reason):
        self.authorizations[authorization_id]["state"] = "REVOCADA"

    async def authorize(self, beneficiary_id, ubigeo, person, valid_from, valid_until, by, reason):
        authorization_id = uuid.uuid4()
        self.authorizations[authorization_id] = {
            "beneficiary_id": beneficiary_id,
            "person": person,
            "state": "VIGENTE",
            "valid_until": valid_until,
        }
        return authorization_id

    async def add_history(self, fad_id, beneficiary_id, entries, by):
        self.history.extend(entries)

    async def decide_fad(self, fad_id, state, by, note):
        self.fads_by_id[fad_id] = replace(self.fads_by_id[fad_id], state=state, decided_by=by, decision_note=note)

    async def emit(self, payload, key):
        self.published.append((payload, key))

    async def log_read(self, scope, action, resource, beneficiary_ids):
        self.reads.append((scope.username, action, list(beneficiary_ids)))


async def refused(call) -> OutOfScopeError:
    with pytest.raises(OutOfScopeError) as caught:
        await call
    return caught.value


async def test_a_fad_is_proposed_only_by_the_local_government_of_the_district():
    repo = FakeFadRepo()
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


async def test_approving_a_fad_changes_the_beneficiary_and_replaces_the_authorized_person_with_history():
    repo = FakeFadRepo()
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


async def test_rejecting_a_fad_changes_nothing_and_says_so_in_the_event():
    repo = FakeFadRepo()
    beneficiary_id = repo.add_beneficiary()
    fad = await fad_handlers.submit_fad(beneficiary_id, {"changes": {"address": "Av. Grau 45"}}, LOCAL, repo)

    decided = await fad_handlers.decide_fad(
        fad.fad_id, {"approve": False, "note": "La dirección no existe."}, STAFF, repo, TODAY
    )

    assert decided.state == "RECHAZADA"
    assert repo.beneficiaries[beneficiary_id]["address"] == "Jr. Lima 123"
    assert repo.history == []
    assert repo.published[-1][0].approved is False


async def test_only_staff_decide_a_fad():
    repo = FakeFadRepo()
    beneficiary_id = repo.add_beneficiary()
    fad = await fad_handlers.submit_fad(beneficiary_id, {"changes": {"address": "Av. Grau 45"}}, LOCAL, repo)

    refusal = await refused(fad_handlers.decide_fad(fad.fad_id, {"approve": True}, LOCAL, repo, TODAY))

    assert refusal.status == 403
    assert repo.fads_by_id[fad.fad_id].state == "PENDIENTE"

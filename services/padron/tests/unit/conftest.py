"""What padrón's handler tests share: a fake repository for the alert and FAD use cases, and how a refusal
is caught."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from padron.alerts.domain import Alert
from padron.fad import domain as fad_domain
from padron.fad.domain import Fad, HistoryEntry
from padron.fad.handlers import Authorization
from padron.shared.errors import OutOfScopeError


class FakePadronRepo:
    """Alerts, FADs and the beneficiaries they are about, kept in dicts; what is announced and read, in lists."""

    def __init__(self):
        self.beneficiaries: dict[uuid.UUID, dict] = {}
        self.alerts_by_id: dict[uuid.UUID, Alert] = {}
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


async def _refused(call) -> OutOfScopeError:
    with pytest.raises(OutOfScopeError) as caught:
        await call
    return caught.value


@pytest.fixture
def repo() -> FakePadronRepo:
    """A fresh fake repository, empty."""
    return FakePadronRepo()


@pytest.fixture
def refused():
    """Awaits a use case that must refuse the caller; answers the refusal."""
    return _refused

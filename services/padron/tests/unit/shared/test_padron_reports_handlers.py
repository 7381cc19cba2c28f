"""The lists alerts and FAD share, with a fake repository: pages, the read logged, who may list."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from padron.alerts import handlers as alert_handlers
from padron.alerts.domain import Alert
from padron.fad import domain as fad_domain
from padron.fad import handlers as fad_handlers
from padron.fad.domain import Fad, HistoryEntry
from padron.fad.handlers import Authorization
from padron.shared import reports
from padron.shared.errors import OutOfScopeError
from padron.shared.reports import ListQuery
from padron.shared.scope import Scope

pytestmark = pytest.mark.unit


LOCAL = Scope("DISTRICT", "gl-090101", "ALLY", "GOBIERNO_LOCAL", ubigeo="090101")
REGION = Scope("REGION", "gr-09", "ALLY", "GOBIERNO_REGIONAL", ubigeo="09")
ENTITY = Scope("ENTITY", "oa-conadis", "ALLY", "OTRO_ALIADO", entity_ruc="20100000001")


class FakeReportsRepo:
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


async def refused(call) -> OutOfScopeError:
    with pytest.raises(OutOfScopeError) as caught:
        await call
    return caught.value


async def test_a_list_says_where_the_next_page_starts_and_logs_whose_data_was_read():
    repo = FakeReportsRepo()
    ids = [repo.add_beneficiary() for _ in range(3)]
    for beneficiary_id in ids:
        await alert_handlers.raise_alert(beneficiary_id, {"alert_type": "OTRO", "detail": "x"}, LOCAL, repo)

    page = await alert_handlers.list_alerts(ListQuery(None, None, 2), REGION, "/padron/alerts", repo)

    assert len(page.items) == 2
    last = page.items[-1]
    assert reports.decode_cursor(page.next) == (last.raised_at, last.alert_id)
    assert repo.reads == [("gr-09", "LIST_ALERTS", sorted(a.beneficiary_id for a in page.items))]


async def test_other_allies_cannot_list_alerts_or_fads():
    repo = FakeReportsRepo()

    alerts = await refused(alert_handlers.list_alerts(ListQuery(None, None, 10), ENTITY, "/padron/alerts", repo))
    fads = await refused(fad_handlers.list_fads(ListQuery(None, None, 10), ENTITY, "/padron/fad", repo))

    assert alerts.status == fads.status == 403
    assert repo.reads == []

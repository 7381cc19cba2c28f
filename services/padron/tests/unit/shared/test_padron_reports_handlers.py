"""The lists alerts and FAD share, with a fake repository: pages, the read logged, who may list."""

from __future__ import annotations

import pytest

from padron.alerts import handlers as alert_handlers
from padron.fad import handlers as fad_handlers
from padron.shared import reports
from padron.shared.reports import ListQuery
from padron.shared.scope import Scope

pytestmark = pytest.mark.unit


LOCAL = Scope("DISTRICT", "gl-090101", "ALLY", "GOBIERNO_LOCAL", ubigeo="090101")
REGION = Scope("REGION", "gr-09", "ALLY", "GOBIERNO_REGIONAL", ubigeo="09")
ENTITY = Scope("ENTITY", "oa-conadis", "ALLY", "OTRO_ALIADO", entity_ruc="20100000001")


async def test_a_list_says_where_the_next_page_starts_and_logs_whose_data_was_read(repo):
    ids = [repo.add_beneficiary() for _ in range(3)]
    for beneficiary_id in ids:
        await alert_handlers.raise_alert(beneficiary_id, {"alert_type": "OTRO", "detail": "x"}, LOCAL, repo)

    page = await alert_handlers.list_alerts(ListQuery(None, None, 2), REGION, "/padron/alerts", repo)

    assert len(page.items) == 2
    last = page.items[-1]
    assert reports.decode_cursor(page.next) == (last.raised_at, last.alert_id)
    assert repo.reads == [("gr-09", "LIST_ALERTS", sorted(a.beneficiary_id for a in page.items))]


async def test_other_allies_cannot_list_alerts_or_fads(repo, refused):
    alerts = await refused(alert_handlers.list_alerts(ListQuery(None, None, 10), ENTITY, "/padron/alerts", repo))
    fads = await refused(fad_handlers.list_fads(ListQuery(None, None, 10), ENTITY, "/padron/fad", repo))

    assert alerts.status == fads.status == 403
    assert repo.reads == []

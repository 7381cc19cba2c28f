"""Alert use cases: raise (the district's municipality or staff), list (logged), attend (staff).

Each runs in one transaction, speaking to a repository, never to a driver.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, Protocol
from uuid import UUID

from contracts import Event
from contracts.events import AlertRaised
from padron.alerts import domain
from padron.alerts.domain import Alert, AlertInput
from padron.shared import reports
from padron.shared.errors import NotFoundError
from padron.shared.reports import ListQuery, Page
from padron.shared.scope import Scope


class AlertRepo(Protocol):
    async def beneficiary_ubigeo(self, beneficiary_id: UUID) -> str | None: ...
    async def add_alert(
        self, alert_id: UUID, beneficiary_id: UUID, ubigeo: str, data: AlertInput, raised_by: str
    ) -> Alert: ...
    async def alerts(self, scope: Scope, query: ListQuery) -> list[Alert]: ...
    async def alert_for_update(self, alert_id: UUID) -> Alert | None: ...
    async def set_alert_state(self, alert_id: UUID, state: str) -> None: ...
    async def emit(self, event: Event, key: str) -> None: ...
    async def log_read(self, scope: Scope, action: str, resource: str, beneficiary_ids: Sequence[UUID]) -> None: ...


async def raise_alert(beneficiary_id: UUID, body: Any, scope: Scope, repo: AlertRepo) -> Alert:
    domain.check_may_raise_alerts(scope)
    data = domain.alert_input(body)
    ubigeo = await reports.district_of(beneficiary_id, scope, repo)
    alert = await repo.add_alert(uuid.uuid4(), beneficiary_id, ubigeo, data, scope.username)
    await repo.emit(
        AlertRaised(
            alert_id=alert.alert_id,
            beneficiary_id=beneficiary_id,
            alert_type=alert.alert_type,
            ubigeo=ubigeo,
            raised_by=scope.username,
        ),
        key=str(beneficiary_id),
    )
    return alert


async def list_alerts(query: ListQuery, scope: Scope, resource: str, repo: AlertRepo) -> Page:
    reports.check_may_list(scope)
    page = reports.page_of(await repo.alerts(scope, query), query.limit, "raised_at", "alert_id")
    await repo.log_read(scope, "LIST_ALERTS", resource, sorted({a.beneficiary_id for a in page.items}))
    return page


async def attend_alert(alert_id: UUID, scope: Scope, repo: AlertRepo) -> Alert:
    reports.check_staff(scope, "Solo el personal del programa puede dar por atendida una alerta.")
    alert = await repo.alert_for_update(alert_id)
    if alert is None:
        raise NotFoundError("No encontramos esa alerta.")
    state = domain.attended(alert.state)
    await repo.set_alert_state(alert_id, state)
    return replace(alert, state=state)

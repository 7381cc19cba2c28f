"""asyncpg repository of alerts: plain SQL on one connection inside the caller's transaction."""

from __future__ import annotations

from uuid import UUID

import asyncpg

from padron.alerts.domain import Alert, AlertInput
from padron.shared.reports import ListQuery
from padron.shared.reports_repo import ReportPgRepo, page_sql
from padron.shared.scope import Scope

ALERT_COLUMNS = (
    "a.alert_id, a.beneficiary_id, a.ubigeo, a.alert_type, a.detail, a.state, a.raised_by, a.raised_at, b.dni, b.names"
)


def _alert(row: asyncpg.Record) -> Alert:
    return Alert(**dict(row))


class AlertPgRepo(ReportPgRepo):
    async def add_alert(
        self, alert_id: UUID, beneficiary_id: UUID, ubigeo: str, data: AlertInput, raised_by: str
    ) -> Alert:
        row = await self._conn.fetchrow(
            "insert into alerts (alert_id, beneficiary_id, ubigeo, alert_type, detail, raised_by)"
            " values ($1, $2, $3, $4, $5, $6)"
            " returning alert_id, beneficiary_id, ubigeo, alert_type, detail, state, raised_by, raised_at",
            alert_id,
            beneficiary_id,
            ubigeo,
            data.alert_type,
            data.detail,
            raised_by,
        )
        return _alert(row)

    async def alerts(self, scope: Scope, query: ListQuery) -> list[Alert]:
        sql, params = page_sql("alerts", ALERT_COLUMNS, "a", "raised_at", "alert_id", scope, query)
        return [_alert(r) for r in await self._conn.fetch(sql, *params)]

    async def alert_for_update(self, alert_id: UUID) -> Alert | None:
        row = await self._conn.fetchrow(
            "select alert_id, beneficiary_id, ubigeo, alert_type, detail, state, raised_by, raised_at"
            " from alerts where alert_id = $1 for update",
            alert_id,
        )
        return _alert(row) if row else None

    async def set_alert_state(self, alert_id: UUID, state: str) -> None:
        await self._conn.execute("update alerts set state = $2 where alert_id = $1", alert_id, state)

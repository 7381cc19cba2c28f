"""The SQL alerts and FAD share: the caller's jurisdiction as a condition, newest-first keyset pages."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from padron.shared.repo import PgRepo
from padron.shared.reports import ListQuery
from padron.shared.scope import Scope


def jurisdiction(scope: Scope, alias: str, params: list[Any]) -> str:
    """The SQL condition of the caller's jurisdiction; staff see every district."""
    if scope.kind == "DISTRICT":
        params.append(scope.ubigeo)
        return f"{alias}.ubigeo = ${len(params)}"
    if scope.kind == "REGION":
        params.append(scope.ubigeo)
        return f"left({alias}.ubigeo, 2) = ${len(params)}"
    if scope.kind == "STAFF":
        return "true"
    return "false"


def page_sql(table: str, columns: str, alias: str, at: str, record_id: str, scope: Scope, query: ListQuery) -> tuple:
    """Newest first, keyset over (at, id); one row more than the page tells whether another page follows."""
    params: list[Any] = []
    where = [jurisdiction(scope, alias, params)]
    if query.state:
        params.append(query.state)
        where.append(f"{alias}.state = ${len(params)}")
    if query.after:
        params.extend(query.after)
        where.append(f"({alias}.{at}, {alias}.{record_id}) < (${len(params) - 1}, ${len(params)})")
    params.append(query.limit + 1)
    sql = (
        f"select {columns} from {table} {alias} join beneficiaries b using (beneficiary_id)"
        f" where {' and '.join(where)} order by {alias}.{at} desc, {alias}.{record_id} desc limit ${len(params)}"
    )
    return sql, params


class ReportPgRepo(PgRepo):
    async def beneficiary_ubigeo(self, beneficiary_id: UUID) -> str | None:
        return await self._conn.fetchval("select ubigeo from beneficiaries where beneficiary_id = $1", beneficiary_id)

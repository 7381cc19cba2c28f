"""The access log (Ley 29733): who read which personal data and who was refused; programme staff only."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Request, get
from litestar.params import QueryParameter

from eventkit.http import refusals
from eventkit.paging import page_of
from eventkit.providers import PageDep, UnitsDep
from padron.shared.api import ScopeDep, resource, view
from padron.views import domain, repo
from padron.views.api.common import STAFF_ONLY, Scoped, SinceQuery, since_of

UsernameQuery = Annotated[str | None, QueryParameter(name="username", description="Solo las entradas de este usuario.")]
ActionQuery = Annotated[
    str | None,
    QueryParameter(
        name="action", description="Solo las entradas de esta acción, por ejemplo LIST_BENEFICIARIES o DENIED."
    ),
]


class AccessEntry(msgspec.Struct, kw_only=True):
    entry_id: int
    at: datetime
    username: str
    role: str
    ally_type: str | None
    scope: str
    action: str
    resource: str
    allowed: bool
    records: int | None
    beneficiary_ids: list[UUID]


class AccessPage(msgspec.Struct, kw_only=True):
    items: list[AccessEntry]
    next: str | None
    """The ``after`` of the next (older) page; none on the last one."""


class AccessLog(Scoped):
    async def entries(
        self, request: Request, username: str | None, action: str | None, since: str | None
    ) -> dict[str, Any]:
        caller = self.caller
        if caller.kind != "STAFF":
            await self.deny(caller, resource(request), STAFF_ONLY)
        from_date = since_of(since)
        (before,) = self.page.key(tuple[int], (domain.LAST_ENTRY,))
        limit = self.page.limit
        async with self.transaction() as conn:
            rows = await repo.access_page(
                conn, username=username or None, since=from_date, action=action or None, before=before, limit=limit + 1
            )
        page = page_of(rows, limit, lambda r: (r["entry_id"],))
        return {"items": [dict(r) for r in page.items], "next": page.next}


def routes() -> list[Any]:
    @get(
        "/padron/access-log",
        summary="Registro de accesos a datos personales (Ley 29733)",
        responses=refusals(401, 403, 422),
    )
    async def access_log(
        request: Request,
        caller: ScopeDep,
        units: UnitsDep,
        page: PageDep,
        username: UsernameQuery = None,
        action: ActionQuery = None,
        since: SinceQuery = None,
    ) -> AccessPage:
        return view(await AccessLog(caller, units, page).entries(request, username, action, since), AccessPage)

    return [access_log]

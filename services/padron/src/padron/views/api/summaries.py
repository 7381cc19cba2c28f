"""The summaries: counters of the caller's jurisdiction, a region by province and district, one district."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

import msgspec
from litestar import Request, get
from litestar.params import FromPath
from msgspec import UNSET, UnsetType

from contracts import ubigeo
from eventkit.http import UserError, refusals
from eventkit.providers import UnitsDep
from padron.shared.api import ScopeDep, resource, view
from padron.views import repo
from padron.views.api.common import NO_DISTRICT, NO_REGION, Scoped, outside

Counts = dict[str, dict[str, int]]
"""Block (beneficiaries, authorizations, affiliation_requests, alerts, fads, padron_categories) -> state -> count,
each block with its ``total``."""


class PadronRef(msgspec.Struct, kw_only=True):
    padron_id: UUID
    period: str
    resolution_number: str
    resolution_date: date
    published_at: datetime


class PlaceCounts(msgspec.Struct, kw_only=True):
    code: str
    name: str
    beneficiaries: dict[str, int]
    authorizations: dict[str, int]
    affiliation_requests: dict[str, int]
    alerts: dict[str, int]
    fads: dict[str, int]
    padron_categories: dict[str, int] | UnsetType = UNSET
    """Once a padrón is published."""


class Summary(msgspec.Struct, kw_only=True):
    level: Literal["NACIONAL", "REGION", "DISTRITO"]
    code: str | None
    name: str
    padron: PadronRef | None
    """The latest published padrón, if any."""
    totals: Counts
    regions: list[PlaceCounts] | UnsetType = UNSET
    provinces: list[PlaceCounts] | UnsetType = UNSET
    districts: list[PlaceCounts] | UnsetType = UNSET


class Summaries(Scoped):
    async def summary(self) -> dict[str, Any]:
        caller = self.caller
        async with self.transaction() as conn:
            padron = await repo.find_padron(conn)
            if caller.kind == "STAFF":
                return await repo.national_summary(conn, padron)
            if caller.kind == "REGION":
                return await repo.region_summary(conn, caller.ubigeo or "", padron)
            if caller.kind == "DISTRICT":
                return await repo.district_summary(conn, caller.ubigeo or "", padron)
            return await repo.entity_summary(conn, padron)

    async def region_summary(self, region: str, request: Request) -> dict[str, Any]:
        caller = self.caller
        if not ubigeo.is_region(region):
            raise UserError(NO_REGION, 404)
        if not caller.covers_region(region):
            await self.deny(caller, resource(request), outside(caller))
        async with self.transaction() as conn:
            return await repo.region_summary(conn, region, await repo.find_padron(conn))

    async def district_summary(self, code: str, request: Request) -> dict[str, Any]:
        caller = self.caller
        if not ubigeo.is_district(code):
            raise UserError(NO_DISTRICT, 404)
        if not caller.covers_district(code):
            await self.deny(caller, resource(request), outside(caller))
        async with self.transaction() as conn:
            return await repo.district_summary(conn, code, await repo.find_padron(conn))


def routes() -> list[Any]:
    @get(
        "/padron/summary",
        summary="Resumen del padrón en la jurisdicción del usuario",
        responses=refusals(401, 403),
    )
    async def summary(caller: ScopeDep, units: UnitsDep) -> Summary:
        return view(await Summaries(caller, units).summary(), Summary)

    @get(
        "/padron/regions/{region:str}/summary",
        summary="Resumen de una región, por provincia y distrito",
        responses=refusals(401, 403, 404),
    )
    async def region_summary(region: FromPath[str], request: Request, caller: ScopeDep, units: UnitsDep) -> Summary:
        return view(await Summaries(caller, units).region_summary(region, request), Summary)

    @get(
        "/padron/districts/{code:str}/summary",
        summary="Resumen de un distrito",
        responses=refusals(401, 403, 404),
    )
    async def district_summary(code: FromPath[str], request: Request, caller: ScopeDep, units: UnitsDep) -> Summary:
        return view(await Summaries(caller, units).district_summary(code, request), Summary)

    return [summary, region_summary, district_summary]

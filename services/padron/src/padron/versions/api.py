"""Padrón version routes: publish a period's padrón (programme staff), the versions and their totals (aggregates)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import msgspec
import structlog
from litestar import get, post
from litestar.params import FromPath, JSONBody

from eventkit.http import refusals
from eventkit.providers import UnitsDep
from padron.shared.api import ScopeDep, transaction, view
from padron.versions import handlers
from padron.versions.repo import VersionPgRepo

log = structlog.get_logger(__name__)


class PublicationBody(msgspec.Struct, kw_only=True):
    period: str
    """The bimester in Roman numerals and the year, e.g. ``V-2022``."""
    resolution_number: str
    resolution_date: date


class PublishedPadron(msgspec.Struct, kw_only=True):
    id: UUID
    period: str
    resolution_number: str
    resolution_date: date
    totals: dict[str, int]


class VersionSummary(msgspec.Struct, kw_only=True):
    padron_id: UUID
    period: str
    resolution_number: str
    resolution_date: date
    published_at: datetime
    published_by: str
    totals: dict[str, int]
    pension_total: Decimal


class RegionTotals(msgspec.Struct, kw_only=True):
    region: str
    name: str
    totals: dict[str, int]


class VersionDetail(VersionSummary, kw_only=True):
    regions: list[RegionTotals]


def routes() -> list[Any]:
    @post(
        "/padron/versions",
        summary="Publicar el padrón de un periodo (personal del programa)",
        status_code=201,
        responses=refusals(
            400, 401, 403, 409, 422, r409="El periodo ya fue publicado o no es posterior al último publicado."
        ),
    )
    async def publish(data: JSONBody[PublicationBody], caller: ScopeDep, units: UnitsDep) -> PublishedPadron:
        async with transaction(units, caller, "versions") as uow:
            event = await handlers.publish_padron(
                data.period, data.resolution_number, data.resolution_date.isoformat(), caller, VersionPgRepo(uow)
            )
        log.info("padron_published", padron_id=str(event.padron_id), period=event.period, by=caller.username)
        totals: dict[str, int] = {}
        for c in event.counts:
            totals[c.category] = totals.get(c.category, 0) + c.count
        return PublishedPadron(
            id=event.padron_id,
            period=event.period,
            resolution_number=event.resolution_number,
            resolution_date=event.resolution_date,
            totals=totals,
        )

    @get(
        "/padron/versions",
        summary="Versiones publicadas del padrón con sus totales",
        responses=refusals(401, 403),
    )
    async def versions(caller: ScopeDep, units: UnitsDep) -> list[VersionSummary]:
        async with transaction(units, caller, "versions") as uow:
            return view(await handlers.versions(VersionPgRepo(uow)), list[VersionSummary])

    @get(
        "/padron/versions/{period:str}",
        summary="Totales de una versión por categoría y por región",
        responses=refusals(401, 403, 404, 422),
    )
    async def version(period: FromPath[str], caller: ScopeDep, units: UnitsDep) -> VersionDetail:
        async with transaction(units, caller, f"versions/{period}") as uow:
            return view(await handlers.version(period, VersionPgRepo(uow)), VersionDetail)

    return [publish, versions, version]

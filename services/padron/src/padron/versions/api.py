"""Padrón version routes: publish a period's padrón (programme staff), the versions and their totals (aggregates)."""

from __future__ import annotations

from typing import Any

import structlog
from litestar import Request, get, post
from litestar.params import FromPath

from eventkit.providers import UnitsDep
from padron.shared.api import ScopeDep, object_of, text_of, transaction
from padron.versions import handlers
from padron.versions.repo import VersionPgRepo

log = structlog.get_logger(__name__)


def routes() -> list[Any]:
    @post("/padron/versions", summary="Publicar el padrón de un periodo (personal del programa)", status_code=201)
    async def publish(request: Request, caller: ScopeDep, units: UnitsDep) -> dict[str, Any]:
        body = await object_of(request)
        async with transaction(units, caller, "versions") as uow:
            event = await handlers.publish_padron(
                text_of(body, "period"),
                text_of(body, "resolution_number"),
                body.get("resolution_date"),
                caller,
                VersionPgRepo(uow),
            )
        log.info("padron_published", padron_id=str(event.padron_id), period=event.period, by=caller.username)
        totals: dict[str, int] = {}
        for c in event.counts:
            totals[c.category] = totals.get(c.category, 0) + c.count
        return {
            "id": event.padron_id,
            "period": event.period,
            "resolution_number": event.resolution_number,
            "resolution_date": event.resolution_date,
            "totals": totals,
        }

    @get("/padron/versions", summary="Versiones publicadas del padrón con sus totales")
    async def versions(request: Request, caller: ScopeDep, units: UnitsDep) -> list[dict[str, Any]]:
        async with transaction(units, caller, "versions") as uow:
            return await handlers.versions(VersionPgRepo(uow))

    @get("/padron/versions/{period:str}", summary="Totales de una versión por categoría y por región")
    async def version(period: FromPath[str], request: Request, caller: ScopeDep, units: UnitsDep) -> dict[str, Any]:
        async with transaction(units, caller, f"versions/{period}") as uow:
            return await handlers.version(period, VersionPgRepo(uow))

    return [publish, versions, version]

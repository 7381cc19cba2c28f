"""Padrón version use cases: publish a period's padrón (programme staff), read the published versions' totals."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol
from uuid import UUID

from contracts import Event, ubigeo
from contracts.events import DistrictCount, PadronPublished
from padron.shared.errors import ConflictError, FormError, NotFoundError
from padron.shared.fields import required_date
from padron.shared.scope import Scope, require_staff
from padron.versions import domain
from padron.versions.domain import Period


@dataclass(frozen=True)
class PublishedVersion:
    padron_id: UUID
    period: Period


class VersionRepo(Protocol):
    async def emit(self, event: Event, key: str) -> None: ...
    async def lock_publication(self) -> None: ...
    async def period_exists(self, period: Period) -> bool: ...
    async def published_versions(self) -> list[PublishedVersion]: ...
    async def freeze(
        self,
        padron_id: UUID,
        period: Period,
        resolution_number: str,
        resolution_date: date,
        user: str,
        previous: UUID | None,
        older: Sequence[UUID],
    ) -> list[tuple[str, str, int]]: ...
    async def versions(self) -> list[dict[str, Any]]: ...
    async def version(self, period: Period) -> dict[str, Any] | None: ...


async def publish_padron(
    period_text: str, resolution_number: str, raw_resolution_date: Any, scope: Scope, repo: VersionRepo
) -> PadronPublished:
    """Freeze every beneficiary's category against the previous version and announce the counts."""
    require_staff(scope, "publicar el padrón")
    period = Period.parse(period_text)
    resolution_date = required_date(raw_resolution_date, "resolution_date")
    if not resolution_number.strip():
        raise FormError("Falta la resolución.", {"resolution_number": "Indique el número de la resolución."})
    await repo.lock_publication()
    if await repo.period_exists(period):
        raise ConflictError(f"El padrón {period} ya fue publicado.")
    published = await repo.published_versions()  # newest first
    domain.check_next_period(period, published[0].period if published else None)
    padron_id = uuid.uuid4()
    counts = await repo.freeze(
        padron_id,
        period,
        resolution_number.strip(),
        resolution_date,
        scope.username,
        published[0].padron_id if published else None,
        [v.padron_id for v in published[1:]],
    )
    event = PadronPublished(
        padron_id=padron_id,
        period=str(period),
        resolution_number=resolution_number.strip(),
        resolution_date=resolution_date,
        counts=[DistrictCount(ubigeo=u, category=c, count=n) for u, c, n in counts],
    )
    await repo.emit(event, str(padron_id))
    return event


def _summary(found: dict[str, Any], counts: dict[str, int]) -> dict[str, Any]:
    return {
        "padron_id": found["padron_id"],
        "period": found["period"],
        "resolution_number": found["resolution_number"],
        "resolution_date": found["resolution_date"],
        "published_at": found["published_at"],
        "published_by": found["published_by"],
        "totals": domain.totals_by_category(counts),
        "pension_total": domain.pension_total(counts),
    }


async def versions(repo: VersionRepo) -> list[dict[str, Any]]:
    """Every published version, newest first, with its totals by category (aggregates only)."""
    return [_summary(v, v["counts"]) for v in await repo.versions()]


async def version(period_text: str, repo: VersionRepo) -> dict[str, Any]:
    """One version's totals by category and by region (aggregates only: any logged-in scope)."""
    period = Period.parse(period_text)
    found = await repo.version(period)
    if found is None:
        raise NotFoundError(f"No hay un padrón publicado para el periodo {period}.")
    overall: dict[str, int] = {}
    by_region: dict[str, dict[str, int]] = {}
    for region, cat, n in found["region_counts"]:
        overall[cat] = overall.get(cat, 0) + n
        by_region.setdefault(region, {})[cat] = n
    names = ubigeo.regions()
    regions = [
        {"region": code, "name": names.get(code, code), "totals": domain.totals_by_category(counts)}
        for code, counts in sorted(by_region.items())
    ]
    return _summary(found, overall) | {"regions": regions}

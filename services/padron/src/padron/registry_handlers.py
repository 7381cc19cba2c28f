"""Registry use cases: affiliation, status changes, padrón publication, collection authorizations, affiliation
requests. They check the caller's scope, apply one rule, and speak to a repository, never to a driver."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol
from uuid import UUID

from contracts import Event, ubigeo
from contracts.events import DistrictCount, PadronPublished
from padron import beneficiary, registry
from padron.registry import Period
from padron.shared.errors import ConflictError, FormError, NotFoundError, OutOfScopeError
from padron.shared.scope import Scope


@dataclass(frozen=True)
class BeneficiaryRef:
    beneficiary_id: UUID
    ubigeo: str
    status: str


@dataclass(frozen=True)
class AuthorizationRef:
    authorization_id: UUID
    beneficiary_id: UUID
    ubigeo: str
    state: str
    valid_until: date


@dataclass(frozen=True)
class AffiliationRef:
    affiliation_id: UUID
    ubigeo: str
    state: str


@dataclass(frozen=True)
class PublishedVersion:
    padron_id: UUID
    period: Period


class RegistryRepo(Protocol):
    async def log_read(
        self, scope: Scope, action: str, resource: str, beneficiary_ids: Sequence[UUID] = (), records: int | None = None
    ) -> None: ...
    async def publish(self, event: Event, key: str) -> None: ...

    async def add_beneficiary(self, beneficiary_id: UUID, values: dict[str, Any], checked: dict, user: str) -> None: ...
    async def beneficiary(self, beneficiary_id: UUID, *, lock: bool = False) -> BeneficiaryRef | None: ...
    async def set_status(self, beneficiary_id: UUID, status: str, reason: str | None, user: str) -> None: ...

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

    async def expire_authorizations(self, today: date) -> int: ...
    async def authorization_for_update(self, authorization_id: UUID) -> AuthorizationRef | None: ...
    async def add_authorization(
        self, authorization_id: UUID, ref: BeneficiaryRef, data: registry.AuthorizationInput, user: str
    ) -> None: ...
    async def revoke_vigentes(self, beneficiary_id: UUID, keep: UUID, reason: str, user: str) -> int: ...
    async def set_authorization(
        self, authorization_id: UUID, state: str, valid_until: date, action: str, reason: str | None, user: str
    ) -> None: ...
    async def authorizations(self, beneficiary_id: UUID) -> list[dict[str, Any]]: ...

    async def add_affiliation_request(
        self, affiliation_id: UUID, ubigeo: str, data: registry.AffiliationInput, user: str
    ) -> None: ...
    async def affiliation_for_update(self, affiliation_id: UUID) -> AffiliationRef | None: ...
    async def decide_affiliation(
        self, affiliation_id: UUID, state: str, observations: str | None, user: str
    ) -> None: ...
    async def affiliation_requests(
        self, scope: Scope, state: str | None, after: tuple[datetime, UUID] | None, limit: int
    ) -> list[dict[str, Any]]: ...


def require_staff(scope: Scope, action: str) -> None:
    if scope.kind != "STAFF":
        raise OutOfScopeError(f"Solo el personal del programa puede {action}.", 403)


def _not_found(scope: Scope) -> NotFoundError:
    if scope.kind == "STAFF":
        return NotFoundError("No encontramos ese beneficiario.")
    return NotFoundError("No encontramos ese beneficiario en su distrito.")


def require_local_reach(scope: Scope, ubigeo: str) -> None:
    """Staff reach every beneficiary; a local government only those of its district (else 404, logged)."""
    if not scope.covers_district(ubigeo):
        raise OutOfScopeError("No encontramos ese beneficiario en su distrito.", 404)


def require_authorization_actor(scope: Scope) -> None:
    if scope.kind not in ("STAFF", "DISTRICT"):
        raise OutOfScopeError(
            "Las autorizaciones de cobro las gestiona el gobierno local del distrito o el personal del programa; "
            "su cuenta consulta solo los resúmenes.",
            403,
        )


# Beneficiaries -------------------------------------------------------------------------------------------


async def affiliate(body: dict[str, Any], scope: Scope, repo: RegistryRepo, today: date) -> UUID:
    require_staff(scope, "afiliar beneficiarios")
    row, errors = registry.affiliation_row(body, today)
    values, invalid = beneficiary.validate(row, today)
    errors |= invalid
    if errors:
        raise FormError("Hay datos del beneficiario por corregir.", errors)
    checked = beneficiary.requirements(values, today)
    if not checked["cumple"]:
        raise FormError("No cumple los requisitos de la pensión; no se registró.", registry.unmet_requirements(checked))
    beneficiary_id = uuid.uuid4()
    await repo.add_beneficiary(beneficiary_id, values, checked, scope.username)
    return beneficiary_id


async def change_status(beneficiary_id: UUID, status: str, reason: str, scope: Scope, repo: RegistryRepo) -> str:
    require_staff(scope, "cambiar el estado de un beneficiario")
    ref = await repo.beneficiary(beneficiary_id, lock=True)
    if ref is None:
        raise _not_found(scope)
    registry.check_status_change(ref.status, status, reason)
    await repo.set_status(beneficiary_id, status, reason.strip() or None, scope.username)
    return status


# Padrón versions -----------------------------------------------------------------------------------------


async def publish_padron(
    period_text: str, resolution_number: str, raw_resolution_date: Any, scope: Scope, repo: RegistryRepo
) -> PadronPublished:
    """Freeze every beneficiary's category against the previous version and announce the counts."""
    require_staff(scope, "publicar el padrón")
    period = Period.parse(period_text)
    resolution_date = registry.required_date(raw_resolution_date, "resolution_date")
    if not resolution_number.strip():
        raise FormError("Falta la resolución.", {"resolution_number": "Indique el número de la resolución."})
    await repo.lock_publication()
    if await repo.period_exists(period):
        raise ConflictError(f"El padrón {period} ya fue publicado.")
    published = await repo.published_versions()  # newest first
    registry.check_next_period(period, published[0].period if published else None)
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
    await repo.publish(event, str(padron_id))
    return event


def _summary(found: dict[str, Any], counts: dict[str, int]) -> dict[str, Any]:
    return {
        "padron_id": found["padron_id"],
        "period": found["period"],
        "resolution_number": found["resolution_number"],
        "resolution_date": found["resolution_date"],
        "published_at": found["published_at"],
        "published_by": found["published_by"],
        "totals": registry.totals_by_category(counts),
        "pension_total": registry.pension_total(counts),
    }


async def versions(repo: RegistryRepo) -> list[dict[str, Any]]:
    """Every published version, newest first, with its totals by category (aggregates only)."""
    return [_summary(v, v["counts"]) for v in await repo.versions()]


async def version(period_text: str, repo: RegistryRepo) -> dict[str, Any]:
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
        {"region": code, "name": names.get(code, code), "totals": registry.totals_by_category(counts)}
        for code, counts in sorted(by_region.items())
    ]
    return _summary(found, overall) | {"regions": regions}


# Collection authorizations -------------------------------------------------------------------------------


async def authorize(beneficiary_id: UUID, body: dict[str, Any], scope: Scope, repo: RegistryRepo, today: date) -> UUID:
    """A new VIGENTE authorization; the beneficiary's previous VIGENTE one, if any, is revoked."""
    require_authorization_actor(scope)
    await repo.expire_authorizations(today)
    ref = await repo.beneficiary(beneficiary_id, lock=True)  # the lock keeps one VIGENTE per beneficiary
    if ref is None:
        raise _not_found(scope)
    require_local_reach(scope, ref.ubigeo)
    if ref.status == "DESAFILIADO":
        raise ConflictError("El beneficiario está DESAFILIADO; no se le pueden registrar autorizaciones de cobro.")
    data = registry.authorization_input(body, today)
    authorization_id = uuid.uuid4()
    replaced = "Reemplazada por una nueva autorización."
    await repo.revoke_vigentes(beneficiary_id, authorization_id, replaced, scope.username)
    await repo.add_authorization(authorization_id, ref, data, scope.username)
    return authorization_id


async def _authorization(authorization_id: UUID, scope: Scope, repo: RegistryRepo, today: date) -> AuthorizationRef:
    require_authorization_actor(scope)
    await repo.expire_authorizations(today)
    found = await repo.authorization_for_update(authorization_id)
    if found is None:
        raise NotFoundError("No encontramos esa autorización de cobro.")
    if not scope.covers_district(found.ubigeo):
        raise OutOfScopeError("No encontramos esa autorización de cobro.", 404)
    return found


async def renew(authorization_id: UUID, raw_until: Any, scope: Scope, repo: RegistryRepo, today: date) -> date:
    """Extend the validity; a VENCIDA one comes back VIGENTE (and replaces any other VIGENTE one)."""
    found = await _authorization(authorization_id, scope, repo, today)
    until = registry.renewal_until(found.state, found.valid_until, raw_until, today)
    if found.state != "VIGENTE":
        await repo.beneficiary(found.beneficiary_id, lock=True)  # the lock keeps one VIGENTE per beneficiary
        replaced = "Reemplazada al renovarse otra autorización."
        await repo.revoke_vigentes(found.beneficiary_id, authorization_id, replaced, scope.username)
    await repo.set_authorization(authorization_id, "VIGENTE", until, "RENOVADA", None, scope.username)
    return until


async def revoke(authorization_id: UUID, reason: str, scope: Scope, repo: RegistryRepo, today: date) -> None:
    found = await _authorization(authorization_id, scope, repo, today)
    registry.check_revocation(found.state, reason)
    until, user = found.valid_until, scope.username
    await repo.set_authorization(authorization_id, "REVOCADA", until, "REVOCADA", reason.strip(), user)


async def authorizations(beneficiary_id: UUID, scope: Scope, repo: RegistryRepo, today: date) -> list[dict[str, Any]]:
    """Every authorization with its history; the collectors' data is personal: the read is logged."""
    require_authorization_actor(scope)
    await repo.expire_authorizations(today)
    ref = await repo.beneficiary(beneficiary_id)
    if ref is None:
        raise _not_found(scope)
    require_local_reach(scope, ref.ubigeo)
    found = await repo.authorizations(beneficiary_id)
    await repo.log_read(
        scope, "VIEW_AUTHORIZATIONS", f"beneficiaries/{beneficiary_id}/authorizations", [beneficiary_id]
    )
    return found


# Affiliation requests ------------------------------------------------------------------------------------


async def submit_affiliation(body: dict[str, Any], scope: Scope, repo: RegistryRepo) -> UUID:
    if scope.kind != "DISTRICT" or scope.ubigeo is None:
        raise OutOfScopeError("Solo un gobierno local envía solicitudes de afiliación de su distrito.", 403)
    data = registry.affiliation_input(body)
    affiliation_id = uuid.uuid4()
    await repo.add_affiliation_request(affiliation_id, scope.ubigeo, data, scope.username)
    return affiliation_id


async def decide_affiliation(
    affiliation_id: UUID, state: str, observations: str, scope: Scope, repo: RegistryRepo
) -> str:
    require_staff(scope, "calificar solicitudes de afiliación")
    found = await repo.affiliation_for_update(affiliation_id)
    if found is None:
        raise NotFoundError("No encontramos esa solicitud de afiliación.")
    registry.check_affiliation_decision(found.state, state, observations)
    await repo.decide_affiliation(affiliation_id, state, observations.strip() or None, scope.username)
    return state


async def affiliation_requests(
    state: str | None, after: tuple[datetime, UUID] | None, limit: int, scope: Scope, repo: RegistryRepo
) -> tuple[list[dict[str, Any]], bool]:
    """A page of the requests the caller's jurisdiction reaches; applicants' data is personal: logged."""
    if scope.kind == "ENTITY":
        raise OutOfScopeError("Las solicitudes de afiliación las consultan los gobiernos regionales y locales.", 403)
    registry.check_affiliation_state(state)
    page = await repo.affiliation_requests(scope, state, after, limit + 1)
    more = len(page) > limit
    page = page[:limit]
    resource = f"affiliation-requests?state={state or ''}"
    await repo.log_read(scope, "LIST_AFFILIATION_REQUESTS", resource, records=len(page))
    return page, more

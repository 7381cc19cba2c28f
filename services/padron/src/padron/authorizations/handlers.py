"""Collection authorization use cases: authorize, renew, revoke, read them with their history.

They check the caller's scope, apply one rule, and speak to a repository, never to a driver.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any, Protocol
from uuid import UUID

from padron.authorizations import domain
from padron.authorizations.domain import AuthorizationInput, AuthorizationRef
from padron.beneficiaries.domain import BeneficiaryRef, not_found
from padron.shared.errors import ConflictError, NotFoundError, OutOfScopeError
from padron.shared.scope import Scope


class AuthorizationRepo(Protocol):
    async def log_read(
        self, scope: Scope, action: str, resource: str, beneficiary_ids: Sequence[UUID] = (), records: int | None = None
    ) -> None: ...
    async def beneficiary(self, beneficiary_id: UUID, *, lock: bool = False) -> BeneficiaryRef | None: ...
    async def expire_authorizations(self, today: date) -> int: ...
    async def authorization_for_update(self, authorization_id: UUID) -> AuthorizationRef | None: ...
    async def add_authorization(
        self, authorization_id: UUID, ref: BeneficiaryRef, data: AuthorizationInput, user: str
    ) -> None: ...
    async def revoke_vigentes(self, beneficiary_id: UUID, keep: UUID, reason: str, user: str) -> int: ...
    async def set_authorization(
        self, authorization_id: UUID, state: str, valid_until: date, action: str, reason: str | None, user: str
    ) -> None: ...
    async def authorizations(self, beneficiary_id: UUID) -> list[dict[str, Any]]: ...


async def authorize(
    beneficiary_id: UUID, body: dict[str, Any], scope: Scope, repo: AuthorizationRepo, today: date
) -> UUID:
    """A new VIGENTE authorization; the beneficiary's previous VIGENTE one, if any, is revoked."""
    domain.require_authorization_actor(scope)
    await repo.expire_authorizations(today)
    ref = await repo.beneficiary(beneficiary_id, lock=True)  # the lock keeps one VIGENTE per beneficiary
    if ref is None:
        raise not_found(scope)
    domain.require_local_reach(scope, ref.ubigeo)
    if ref.status == "DESAFILIADO":
        raise ConflictError("El beneficiario está DESAFILIADO; no se le pueden registrar autorizaciones de cobro.")
    data = domain.authorization_input(body, today)
    authorization_id = uuid.uuid4()
    replaced = "Reemplazada por una nueva autorización."
    await repo.revoke_vigentes(beneficiary_id, authorization_id, replaced, scope.username)
    await repo.add_authorization(authorization_id, ref, data, scope.username)
    return authorization_id


async def _authorization(
    authorization_id: UUID, scope: Scope, repo: AuthorizationRepo, today: date
) -> AuthorizationRef:
    domain.require_authorization_actor(scope)
    await repo.expire_authorizations(today)
    found = await repo.authorization_for_update(authorization_id)
    if found is None:
        raise NotFoundError("No encontramos esa autorización de cobro.")
    if not scope.covers_district(found.ubigeo):
        raise OutOfScopeError("No encontramos esa autorización de cobro.", 404)
    return found


async def renew(authorization_id: UUID, raw_until: Any, scope: Scope, repo: AuthorizationRepo, today: date) -> date:
    """Extend the validity; a VENCIDA one comes back VIGENTE (and replaces any other VIGENTE one)."""
    found = await _authorization(authorization_id, scope, repo, today)
    until = domain.renewal_until(found.state, found.valid_until, raw_until, today)
    if found.state != "VIGENTE":
        await repo.beneficiary(found.beneficiary_id, lock=True)  # the lock keeps one VIGENTE per beneficiary
        replaced = "Reemplazada al renovarse otra autorización."
        await repo.revoke_vigentes(found.beneficiary_id, authorization_id, replaced, scope.username)
    await repo.set_authorization(authorization_id, "VIGENTE", until, "RENOVADA", None, scope.username)
    return until


async def revoke(authorization_id: UUID, reason: str, scope: Scope, repo: AuthorizationRepo, today: date) -> None:
    found = await _authorization(authorization_id, scope, repo, today)
    domain.check_revocation(found.state, reason)
    until, user = found.valid_until, scope.username
    await repo.set_authorization(authorization_id, "REVOCADA", until, "REVOCADA", reason.strip(), user)


async def authorizations(
    beneficiary_id: UUID, scope: Scope, repo: AuthorizationRepo, today: date
) -> list[dict[str, Any]]:
    """Every authorization with its history; the collectors' data is personal: the read is logged."""
    domain.require_authorization_actor(scope)
    await repo.expire_authorizations(today)
    ref = await repo.beneficiary(beneficiary_id)
    if ref is None:
        raise not_found(scope)
    domain.require_local_reach(scope, ref.ubigeo)
    found = await repo.authorizations(beneficiary_id)
    await repo.log_read(
        scope, "VIEW_AUTHORIZATIONS", f"beneficiaries/{beneficiary_id}/authorizations", [beneficiary_id]
    )
    return found

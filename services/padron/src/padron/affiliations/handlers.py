"""Affiliation request use cases: submit (a local government), decide (programme staff), list (logged).

They check the caller's scope, apply one rule, and speak to a repository, never to a driver.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from padron.affiliations import domain
from padron.affiliations.domain import AffiliationInput, AffiliationRef
from padron.shared.errors import NotFoundError, OutOfScopeError
from padron.shared.scope import Scope, require_staff


class AffiliationRepo(Protocol):
    async def log_read(
        self, scope: Scope, action: str, resource: str, beneficiary_ids: Sequence[UUID] = (), records: int | None = None
    ) -> None: ...
    async def add_affiliation_request(
        self, affiliation_id: UUID, ubigeo: str, data: AffiliationInput, user: str
    ) -> None: ...
    async def affiliation_for_update(self, affiliation_id: UUID) -> AffiliationRef | None: ...
    async def decide_affiliation(
        self, affiliation_id: UUID, state: str, observations: str | None, user: str
    ) -> None: ...
    async def affiliation_requests(
        self, scope: Scope, state: str | None, after: tuple[datetime, UUID] | None, limit: int
    ) -> list[dict[str, Any]]: ...


async def submit_affiliation(body: dict[str, Any], scope: Scope, repo: AffiliationRepo) -> UUID:
    if scope.kind != "DISTRICT" or scope.ubigeo is None:
        raise OutOfScopeError("Solo un gobierno local envía solicitudes de afiliación de su distrito.", 403)
    data = domain.affiliation_input(body)
    affiliation_id = uuid.uuid4()
    await repo.add_affiliation_request(affiliation_id, scope.ubigeo, data, scope.username)
    return affiliation_id


async def decide_affiliation(
    affiliation_id: UUID, state: str, observations: str, scope: Scope, repo: AffiliationRepo
) -> str:
    require_staff(scope, "calificar solicitudes de afiliación")
    found = await repo.affiliation_for_update(affiliation_id)
    if found is None:
        raise NotFoundError("No encontramos esa solicitud de afiliación.")
    domain.check_affiliation_decision(found.state, state, observations)
    await repo.decide_affiliation(affiliation_id, state, observations.strip() or None, scope.username)
    return state


async def affiliation_requests(
    state: str | None, after: tuple[datetime, UUID] | None, limit: int, scope: Scope, repo: AffiliationRepo
) -> tuple[list[dict[str, Any]], bool]:
    """A page of the requests the caller's jurisdiction reaches; applicants' data is personal: logged."""
    if scope.kind == "ENTITY":
        raise OutOfScopeError("Las solicitudes de afiliación las consultan los gobiernos regionales y locales.", 403)
    domain.check_affiliation_state(state)
    page = await repo.affiliation_requests(scope, state, after, limit + 1)
    more = len(page) > limit
    page = page[:limit]
    resource = f"affiliation-requests?state={state or ''}"
    await repo.log_read(scope, "LIST_AFFILIATION_REQUESTS", resource, records=len(page))
    return page, more

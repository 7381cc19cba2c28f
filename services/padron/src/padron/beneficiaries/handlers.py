"""Beneficiary use cases: affiliation and status changes. They check the caller's scope, apply one rule, and
speak to a repository, never to a driver."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any, Protocol
from uuid import UUID

from padron.beneficiaries import domain
from padron.beneficiaries.domain import BeneficiaryRef
from padron.shared.errors import FormError
from padron.shared.scope import Scope, require_staff


class BeneficiaryRepo(Protocol):
    async def add_beneficiary(self, beneficiary_id: UUID, values: dict[str, Any], checked: dict, user: str) -> None: ...
    async def beneficiary(self, beneficiary_id: UUID, *, lock: bool = False) -> BeneficiaryRef | None: ...
    async def set_status(self, beneficiary_id: UUID, status: str, reason: str | None, user: str) -> None: ...


async def affiliate(body: dict[str, Any], scope: Scope, repo: BeneficiaryRepo, today: date) -> UUID:
    require_staff(scope, "afiliar beneficiarios")
    row, errors = domain.affiliation_row(body, today)
    values, invalid = domain.validate(row, today)
    errors |= invalid
    if errors:
        raise FormError("Hay datos del beneficiario por corregir.", errors)
    checked = domain.requirements(values, today)
    if not checked["cumple"]:
        raise FormError("No cumple los requisitos de la pensión; no se registró.", domain.unmet_requirements(checked))
    beneficiary_id = uuid.uuid4()
    await repo.add_beneficiary(beneficiary_id, values, checked, scope.username)
    return beneficiary_id


async def change_status(beneficiary_id: UUID, status: str, reason: str, scope: Scope, repo: BeneficiaryRepo) -> str:
    require_staff(scope, "cambiar el estado de un beneficiario")
    ref = await repo.beneficiary(beneficiary_id, lock=True)
    if ref is None:
        raise domain.not_found(scope)
    domain.check_status_change(ref.status, status, reason)
    await repo.set_status(beneficiary_id, status, reason.strip() or None, scope.username)
    return status

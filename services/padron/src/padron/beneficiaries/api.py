"""Beneficiary routes: affiliate (programme staff), suspend, disaffiliate or reactivate.

Decode, call one handler with the caller's scope (from the token only); refusals are answered from
``app.ERRORS``, and scope refusals are logged in a transaction of their own.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
import structlog
from litestar import post
from litestar.params import FromPath, JSONBody

from eventkit.http import refusals
from eventkit.providers import ClockDep, UnitsDep
from padron.beneficiaries import handlers
from padron.beneficiaries.repo import BeneficiaryPgRepo
from padron.shared.api import ScopeDep, transaction

log = structlog.get_logger(__name__)

Status = Literal["VIGENTE", "SUSPENDIDO", "DESAFILIADO"]


class AffiliationBody(msgspec.Struct, kw_only=True):
    """A new beneficiary, with the data the pension's requirements are checked on."""

    dni: str
    names: Annotated[str, msgspec.Meta(max_length=150)]
    birth_date: date
    sex: Literal["F", "M"]
    ubigeo: str
    address: str
    phone: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    certificate_number: str
    certificate_severity: Literal["LEVE", "MODERADA", "SEVERA"]
    certificate_issuer: str
    certificate_date: date
    sisfoh_classification: Literal["POBRE_EXTREMO", "POBRE", "NO_POBRE"]
    sisfoh_expires_on: date
    other_pension: bool = False
    bank_name: str | None = None
    bank_account: str | None = None
    status: Status | None = None
    """A new affiliate is VIGENTE; any other status is refused (suspend or disaffiliate afterwards)."""
    affiliated_on: date | None = None


class StatusBody(msgspec.Struct, kw_only=True):
    status: Status
    reason: str = ""
    """Required to suspend or disaffiliate."""


class BeneficiaryStatus(msgspec.Struct, kw_only=True):
    id: UUID
    status: Status


def _row(data: AffiliationBody) -> dict[str, Any]:
    """The body as the domain reads a form: dates as ISO text, an absent value as no value."""
    return {k: v for k, v in msgspec.to_builtins(data).items() if v is not None}


def routes() -> list[Any]:
    @post(
        "/padron/beneficiaries",
        summary="Afiliar un beneficiario (personal del programa)",
        status_code=201,
        responses=refusals(400, 401, 403, 409, 422, r409="Ya existe un beneficiario con ese DNI en el padrón."),
    )
    async def affiliate(
        data: JSONBody[AffiliationBody], caller: ScopeDep, units: UnitsDep, clock: ClockDep
    ) -> BeneficiaryStatus:
        async with transaction(units, caller, "beneficiaries") as uow:
            beneficiary_id = await handlers.affiliate(_row(data), caller, BeneficiaryPgRepo(uow), clock.today())
        log.info("beneficiary_affiliated", beneficiary_id=str(beneficiary_id), by=caller.username)
        return BeneficiaryStatus(id=beneficiary_id, status="VIGENTE")

    @post(
        "/padron/beneficiaries/{beneficiary_id:uuid}/status",
        summary="Suspender, desafiliar o reactivar",
        status_code=200,
        responses=refusals(
            400,
            401,
            403,
            404,
            409,
            422,
            r409="La desafiliación es definitiva, o el beneficiario ya está en ese estado.",
        ),
    )
    async def change_status(
        beneficiary_id: FromPath[UUID], data: JSONBody[StatusBody], caller: ScopeDep, units: UnitsDep
    ) -> BeneficiaryStatus:
        async with transaction(units, caller, f"beneficiaries/{beneficiary_id}/status") as uow:
            status = await handlers.change_status(
                beneficiary_id, data.status, data.reason, caller, BeneficiaryPgRepo(uow)
            )
        log.info("beneficiary_status_changed", beneficiary_id=str(beneficiary_id), status=status, by=caller.username)
        return BeneficiaryStatus(id=beneficiary_id, status=data.status)

    return [affiliate, change_status]

"""Beneficiary routes: affiliate (programme staff), suspend, disaffiliate or reactivate.

Decode, call one handler with the caller's scope (from the token only); refusals are answered from
``app.ERRORS``, and scope refusals are logged in a transaction of their own.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import structlog
from litestar import Request, post
from litestar.params import FromPath

from eventkit.providers import ClockDep, UnitsDep
from padron.beneficiaries import handlers
from padron.beneficiaries.repo import BeneficiaryPgRepo
from padron.shared.api import ScopeDep, object_of, text_of, transaction

log = structlog.get_logger(__name__)


def routes() -> list[Any]:
    @post("/padron/beneficiaries", summary="Afiliar un beneficiario (personal del programa)", status_code=201)
    async def affiliate(request: Request, caller: ScopeDep, units: UnitsDep, clock: ClockDep) -> dict[str, Any]:
        body = await object_of(request)
        async with transaction(units, caller, "beneficiaries") as uow:
            beneficiary_id = await handlers.affiliate(body, caller, BeneficiaryPgRepo(uow), clock.today())
        log.info("beneficiary_affiliated", beneficiary_id=str(beneficiary_id), by=caller.username)
        return {"id": beneficiary_id, "status": "VIGENTE"}

    @post(
        "/padron/beneficiaries/{beneficiary_id:uuid}/status",
        summary="Suspender, desafiliar o reactivar",
        status_code=200,
    )
    async def change_status(
        beneficiary_id: FromPath[UUID], request: Request, caller: ScopeDep, units: UnitsDep
    ) -> dict[str, Any]:
        body = await object_of(request)
        async with transaction(units, caller, f"beneficiaries/{beneficiary_id}/status") as uow:
            status = await handlers.change_status(
                beneficiary_id, text_of(body, "status"), text_of(body, "reason"), caller, BeneficiaryPgRepo(uow)
            )
        log.info("beneficiary_status_changed", beneficiary_id=str(beneficiary_id), status=status, by=caller.username)
        return {"id": beneficiary_id, "status": status}

    return [affiliate, change_status]

"""Use cases of oficios: file one with its cases, route it to a unit, read it (logged), list them."""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol
from uuid import UUID

import structlog

from cases.oficios.domain import Filing, file_oficio
from cases.shared.errors import FormError, NotFoundError
from cases.shared.scope import Caller
from contracts import Event
from contracts.events import CaseOpened
from contracts.units import UNITS

log = structlog.get_logger(__name__)

NO_OFICIO = "El oficio no existe."


class Outbox(Protocol):
    async def emit(self, event: Event, key: str) -> Any: ...


class Oficios(Protocol):
    async def taken_numbers(self, oficio_number: str, case_numbers: list[str]) -> tuple[bool, list[str]]: ...
    async def add(self, filing: Filing) -> None: ...
    async def step(self, case_ids: list[UUID], step: str, detail: str, by_user: str) -> None: ...
    async def get(self, oficio_id: UUID, *, lock: bool = False) -> dict[str, Any] | None: ...
    async def route(self, oficio_id: UUID, unit: str, routed_on: date, by_user: str) -> None: ...
    async def cases_of(self, oficio_id: UUID) -> list[dict[str, Any]]: ...


async def file(form: dict, caller: Caller, today: date, answer_days: int, repo: Oficios, outbox: Outbox) -> Filing:
    """Record an oficio and its cases, one ``CaseOpened`` per case, in the caller's one transaction."""
    filing = file_oficio(form, caller, today, answer_days)
    oficio_taken, cases_taken = await repo.taken_numbers(filing.number, [c.number for c in filing.cases])
    if oficio_taken:
        raise FormError("Revise los datos del oficio.", {"number": "Ya se registró un oficio con este número."})
    if cases_taken:
        errors = {
            f"cases.{i}.number": "Ya se registró un caso con este número."
            for i, c in enumerate(filing.cases)
            if c.number in cases_taken
        }
        raise FormError("Revise los datos del oficio.", errors)
    await repo.add(filing)
    ids = [c.case_id for c in filing.cases]
    how = "por la plataforma" if filing.channel == "PLATAFORMA" else "en papel (registrado por el programa)"
    await repo.step(
        ids, "RECIBIDO", f"Oficio {filing.number} recibido el {filing.received_on:%d/%m/%Y} {how}.", caller.username
    )
    for case in filing.cases:
        opened = CaseOpened(case_id=case.case_id, oficio=filing.number, case_number=case.number, ubigeo=case.ubigeo)
        await outbox.emit(opened, key=str(case.case_id))
    log.info("oficio_filed", oficio_id=str(filing.oficio_id), region=filing.region, cases=len(ids))
    return filing


async def visible(oficio_id: UUID, caller: Caller, repo: Oficios) -> dict[str, Any]:
    """The oficio, if the caller may see it; another region's oficio does not exist for a CTVC."""
    oficio = await repo.get(oficio_id)
    if oficio is None or not caller.sees_region(oficio["region"]):
        raise NotFoundError(NO_OFICIO)
    return oficio


async def route(oficio_id: UUID, unit: str, routed_on: date, caller: Caller, today: date, repo: Oficios) -> None:
    """The proveído: staff route the oficio to a unit, on a date between its reception and today."""
    caller.require_staff("derivar un oficio")
    oficio = await repo.get(oficio_id, lock=True)
    if oficio is None:
        raise NotFoundError(NO_OFICIO)
    errors = {}
    if unit not in UNITS:
        errors["unit"] = "Elija la unidad a la que se deriva el oficio."
    if routed_on < oficio["received_on"] or routed_on > today:
        errors["routed_on"] = "La fecha del proveído debe estar entre la recepción del oficio y hoy."
    if errors:
        raise FormError("Revise los datos del proveído.", errors)
    if oficio["unit"] == unit and oficio["routed_on"] == routed_on:
        return  # the same proveído again changes nothing
    if oficio["unit"] is not None and oficio["unit"] != unit:
        detail = f"Derivado de nuevo a la {UNITS[unit]} ({unit}) el {routed_on:%d/%m/%Y}."
    else:
        detail = f"Derivado a la {UNITS[unit]} ({unit}) el {routed_on:%d/%m/%Y}."
    await repo.route(oficio_id, unit, routed_on, caller.username)
    ids = [c["case_id"] for c in await repo.cases_of(oficio_id)]
    await repo.step(ids, "DERIVADO", detail, caller.username)

"""Use cases of an oficio's answer: ask documents for it (``CaseResponseRequested``), and, as documents
announces each one issued (``DocumentIssued``), record its code; with the last, the cases are answered
(``CaseResponseIssued`` per case)."""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol
from uuid import UUID, uuid4

import structlog

from cases.responses.domain import KINDS, CaseAnswer, Signers, document_number, signers_input, write_answer
from cases.shared.errors import ConflictError, NotFoundError
from cases.shared.scope import Caller
from contracts import Event
from contracts.events import CaseResponseIssued, CaseResponseRequested, DocumentIssued, ResponseDocument

log = structlog.get_logger(__name__)


class Outbox(Protocol):
    async def emit(self, event: Event, key: str) -> Any: ...


class Responses(Protocol):
    async def oficio(self, oficio_id: UUID, *, lock: bool = False) -> dict[str, Any] | None: ...
    async def has_response(self, oficio_id: UUID) -> bool: ...
    async def case_states(self, oficio_id: UUID) -> list[dict[str, Any]]: ...
    async def answers(self, oficio_id: UUID) -> list[CaseAnswer]: ...
    async def next_number(self, kind: str, unit: str, year: int) -> int: ...
    async def add(
        self, response_id: UUID, oficio_id: UUID, signers: Signers, by_user: str, docs: list[ResponseDocument]
    ) -> None: ...
    async def response(self, response_id: UUID, *, lock: bool = False) -> dict[str, Any] | None: ...
    async def record_issued(self, response_id: UUID, kind: str, document_id: UUID, code: str) -> None: ...
    async def mark_answered(self, response_id: UUID, oficio_id: UUID) -> None: ...
    async def step(self, case_ids: list[UUID], step: str, detail: str, by_user: str) -> None: ...


async def request(
    oficio_id: UUID, form: dict, caller: Caller, today: date, repo: Responses, outbox: Outbox
) -> tuple[UUID, list[ResponseDocument]]:
    """Write the answer of an oficio whose cases are all resolved, number its documents, ask for them."""
    caller.require_staff("emitir la respuesta a un oficio")
    oficio = await repo.oficio(oficio_id, lock=True)
    if oficio is None:
        raise NotFoundError("El oficio no existe.")
    if await repo.has_response(oficio_id):
        raise ConflictError("La respuesta a este oficio ya fue emitida o se está emitiendo.")
    states = await repo.case_states(oficio_id)
    pending = [c["number"] for c in states if c["state"] != "RESUELTO"]
    if pending:
        raise ConflictError("Resuelva todos los casos del oficio antes de responder: falta " + ", ".join(pending) + ".")
    if oficio["unit"] is None:
        raise ConflictError("Derive el oficio a una unidad antes de emitir la respuesta: esa unidad firma el informe.")
    signers = signers_input(form)
    informe = document_number("INFORME", await repo.next_number("INFORME", oficio["unit"], today.year), today.year,
                              oficio["unit"])  # fmt: skip
    answer = document_number("OFICIO", await repo.next_number("OFICIO", "DE", today.year), today.year, "DE")
    docs = write_answer(oficio, await repo.answers(oficio_id), informe, answer, signers, today)
    response_id = uuid4()
    await repo.add(response_id, oficio_id, signers, caller.username, docs)
    case_ids = [c["case_id"] for c in states]
    await repo.step(case_ids, "RESPUESTA", f"Se emiten el {informe}, sus anexos y el {answer}.", caller.username)
    requested = CaseResponseRequested(
        response_id=response_id,
        oficio_id=oficio_id,
        oficio_number=oficio["number"],
        region=oficio["region"],
        case_ids=case_ids,
        documents=docs,
    )
    await outbox.emit(requested, key=str(oficio_id))
    log.info("response_requested", oficio_id=str(oficio_id), response_id=str(response_id))
    return response_id, docs


async def document_issued(event: DocumentIssued, repo: Responses, outbox: Outbox) -> None:
    """One document of an answer is signed and stored; the last one answers the oficio's cases."""
    if event.kind not in KINDS:
        return  # a DDC: not an answer's
    try:
        response_id = UUID(event.subject_id)
    except ValueError:
        return
    response = await repo.response(response_id, lock=True)
    if response is None:
        log.warning("document_of_unknown_response", response_id=event.subject_id, kind=event.kind)
        return
    await repo.record_issued(response_id, event.kind, event.document_id, event.verification_code)
    response = await repo.response(response_id)
    assert response is not None
    codes = [d["verification_code"] for d in response["documents"]]
    if response["state"] != "SOLICITADA" or None in codes:
        return
    await repo.mark_answered(response_id, response["oficio_id"])
    case_ids = [c["case_id"] for c in await repo.case_states(response["oficio_id"])]
    await repo.step(case_ids, "RESPONDIDO", "Respuesta emitida y firmada: " + ", ".join(codes) + ".", "documentos")
    for case_id in case_ids:
        issued = CaseResponseIssued(case_id=case_id, oficio=response["oficio_number"], document_codes=codes)
        await outbox.emit(issued, key=str(case_id))
    log.info("response_issued", response_id=str(response_id), cases=len(case_ids))

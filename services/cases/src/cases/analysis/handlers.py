"""Use cases of a case's analysis: save a draft, resolve the case (``CaseResolved``), follow its actions."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any, Protocol
from uuid import UUID

import structlog

from cases.analysis.domain import ACTION_STATES, Analysis, action_status, analysis_input, require_complete
from cases.evidence.domain import EvidenceItem
from cases.shared.errors import ConflictError, NotFoundError
from cases.shared.scope import Caller
from contracts import Event
from contracts.events import CaseResolved

log = structlog.get_logger(__name__)

NO_CASE = "El caso no existe."
Evidence = Callable[[str, date], Awaitable[list[EvidenceItem]]]
"""The evidence of a district as of a date (``cases.evidence.gather`` bound to a connection)."""


class Outbox(Protocol):
    async def emit(self, event: Event, key: str) -> Any: ...


class Analyses(Protocol):
    async def case(self, case_id: UUID, *, lock: bool = False) -> dict[str, Any] | None: ...
    async def point_positions(self, case_id: UUID) -> set[int]: ...
    async def analysis(self, case_id: UUID) -> Analysis | None: ...
    async def save(self, case_id: UUID, analysis: Analysis, by_user: str) -> None: ...
    async def resolve(self, case_id: UUID, by_user: str, as_of: date, snapshot: list[dict[str, Any]]) -> None: ...
    async def action(self, case_id: UUID, position: int) -> dict[str, Any] | None: ...
    async def set_action(self, case_id: UUID, position: int, status: str, note: str | None, by_user: str) -> None: ...
    async def step(self, case_ids: list[UUID], step: str, detail: str, by_user: str) -> None: ...


def snapshot_of(items: list[EvidenceItem]) -> list[dict[str, Any]]:
    """The evidence as the resolution froze it (JSON), each item with its sources."""
    return [
        {
            "key": i.key,
            "group": i.group,
            "statement": i.statement,
            "source": i.source,
            "dated": i.dated.isoformat(),
            "value": i.value,
            "source_events": [str(e) for e in i.source_events],
        }
        for i in items
    ]


async def _open_case(case_id: UUID, repo: Analyses) -> dict[str, Any]:
    case = await repo.case(case_id, lock=True)
    if case is None:
        raise NotFoundError(NO_CASE)
    if case["state"] != "ABIERTO":
        raise ConflictError("El caso ya fue resuelto: su análisis no se modifica.")
    return case


async def save_draft(case_id: UUID, form: dict, caller: Caller, repo: Analyses, evidence: Evidence) -> Analysis:
    """Keep the analysis as written so far; only an open case's, citing only the case's own evidence."""
    caller.require_staff("analizar un caso")
    case = await _open_case(case_id, repo)
    keys = {i.key for i in await evidence(case["ubigeo"], case["sent_on"])}
    analysis = analysis_input(form, await repo.point_positions(case_id), keys, case["received_on"])
    await repo.save(case_id, analysis, caller.username)
    return analysis


async def resolve(case_id: UUID, caller: Caller, repo: Analyses, evidence: Evidence, outbox: Outbox) -> None:
    """FUNDADO or INFUNDADO: the analysis complete, the evidence frozen as of the oficio's date, ``CaseResolved``."""
    caller.require_staff("resolver un caso")
    case = await _open_case(case_id, repo)
    analysis = require_complete(await repo.analysis(case_id), await repo.point_positions(case_id))
    assert analysis.conclusion is not None
    items = await evidence(case["ubigeo"], case["sent_on"])
    known = {i.key for i in items}
    cited = {k for f in analysis.findings for k in f.evidence}
    if not cited <= known:  # the evidence changed since the draft (a late fact cannot, but a correction can)
        raise ConflictError("La evidencia citada ya no está en el caso: revise y guarde de nuevo el análisis.")
    await repo.resolve(case_id, caller.username, case["sent_on"], snapshot_of(items))
    await repo.step(
        [case_id], "RESUELTO", f"Caso resuelto: {analysis.conclusion}. {analysis.justification}", caller.username
    )
    resolved = CaseResolved(
        case_id=case_id, case_number=case["number"], ubigeo=case["ubigeo"], conclusion=analysis.conclusion
    )
    await outbox.emit(resolved, key=str(case_id))
    log.info("case_resolved", case_id=str(case_id), conclusion=analysis.conclusion)


async def follow_action(case_id: UUID, position: int, form: dict, caller: Caller, repo: Analyses) -> None:
    """An improvement action's progress, after the case is resolved, on the case's timeline."""
    caller.require_staff("actualizar una acción de mejora")
    case = await repo.case(case_id, lock=True)
    if case is None:
        raise NotFoundError(NO_CASE)
    if case["state"] == "ABIERTO":
        raise ConflictError("Las acciones de mejora se siguen cuando el caso está resuelto.")
    if await repo.action(case_id, position) is None:
        raise NotFoundError("La acción de mejora no existe.")
    status, note = action_status(form)
    await repo.set_action(case_id, position, status, note, caller.username)
    detail = f"Acción de mejora {position}: {ACTION_STATES[status].lower()}." + (f" {note}" if note else "")
    await repo.step([case_id], "ACCION", detail, caller.username)

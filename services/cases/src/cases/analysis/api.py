"""HTTP routes of cases: the queue, one case with its analysis and answer, the analysis, resolution, actions,
and the report. Refusals come from ``cases.app.ERRORS``.

A case's view holds no personal data (the people interviewed are read, and logged, with the oficio).
A CTVC sees its region's cases; their analysis only once the answer is issued.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from statistics import median
from typing import Annotated, Any
from uuid import UUID

import asyncpg
import msgspec
from litestar import get, post, put
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from cases.analysis import handlers
from cases.analysis.domain import ACTION_STATES
from cases.analysis.repo import AnalysesRepo
from cases.evidence.domain import EvidenceItem
from cases.evidence.gather import gather
from cases.oficios.api import ResponseView, response_view
from cases.oficios.domain import CATEGORIES
from cases.shared.api import CallerDep
from cases.shared.errors import NotFoundError
from cases.shared.scope import Caller
from cases.trainings.evidence import training_evidence
from contracts import ubigeo
from contracts.units import UNITS
from eventkit.http import refusals
from eventkit.providers import ClockDep, UnitsDep


class FindingBody(msgspec.Struct, kw_only=True):
    point: Annotated[int, msgspec.Meta(description="Número del punto crítico (1, 2, ...)")]
    text: str = ""
    evidence: Annotated[list[str], msgspec.Meta(description="Claves de la evidencia del caso que cita")] = []


class ActionBody(msgspec.Struct, kw_only=True):
    description: str = ""
    owner: Annotated[str, msgspec.Meta(description="Unidad responsable: " + ", ".join(UNITS))] = ""
    due_on: Annotated[str, msgspec.Meta(description="Plazo (AAAA-MM-DD)")] = ""


class AnalysisBody(msgspec.Struct, kw_only=True):
    findings: list[FindingBody] = []
    conclusion: Annotated[str | None, msgspec.Meta(description="FUNDADO o INFUNDADO")] = None
    justification: str = ""
    actions: list[ActionBody] = []


class ActionStatusBody(msgspec.Struct, kw_only=True):
    status: Annotated[str, msgspec.Meta(description=", ".join(ACTION_STATES))]
    note: str | None = None


class FindingView(msgspec.Struct):
    point: int
    text: str
    evidence: list[str]


class ActionView(msgspec.Struct):
    position: int
    description: str
    owner: str
    owner_name: str
    due_on: date
    status: str
    status_label: str
    status_note: str | None


class AnalysisView(msgspec.Struct):
    findings: list[FindingView]
    conclusion: str | None
    justification: str
    actions: list[ActionView]
    updated_at: datetime
    updated_by: str
    resolved_at: datetime | None
    resolved_by: str | None
    evidence_as_of: date | None


class PointView(msgspec.Struct):
    position: int
    category: str
    category_label: str
    description: str


class CaseSummary(msgspec.Struct):
    case_id: UUID
    number: str
    oficio_id: UUID
    oficio_number: str
    region: str
    region_name: str
    ubigeo: str
    place: str
    state: str
    due_on: date
    days_left: int
    overdue: bool
    unit: str | None


class CaseDetail(msgspec.Struct):
    case_id: UUID
    number: str
    oficio_id: UUID
    oficio_number: str
    region: str
    region_name: str
    ubigeo: str
    place: str
    state: str
    due_on: date
    unit: str | None
    points: list[PointView]
    analysis: AnalysisView | None
    response: ResponseView | None


def _summary(row: dict[str, Any], today: date) -> CaseSummary:
    return CaseSummary(
        case_id=row["case_id"],
        number=row["number"],
        oficio_id=row["oficio_id"],
        oficio_number=row["oficio_number"],
        region=row["region"],
        region_name=ubigeo.describe(row["region"]),
        ubigeo=row["ubigeo"],
        place=ubigeo.describe(row["ubigeo"]),
        state=row["state"],
        due_on=row["due_on"],
        days_left=(row["due_on"] - today).days,
        overdue=row["state"] != "RESPONDIDO" and row["due_on"] < today,
        unit=row["unit"],
    )


async def _analysis_view(repo: AnalysesRepo, case_id: UUID) -> AnalysisView | None:
    record = await repo.record(case_id)
    analysis = await repo.analysis(case_id)
    if record is None or analysis is None:
        return None
    actions = await repo.actions(case_id)
    return AnalysisView(
        findings=[FindingView(f.point, f.text, list(f.evidence)) for f in analysis.findings],
        conclusion=analysis.conclusion,
        justification=analysis.justification,
        actions=[
            ActionView(
                a["position"],
                a["description"],
                a["owner"],
                UNITS[a["owner"]],
                a["due_on"],
                a["status"],
                ACTION_STATES[a["status"]],
                a["status_note"],
            )
            for a in actions
        ],
        updated_at=record["updated_at"],
        updated_by=record["updated_by"],
        resolved_at=record["resolved_at"],
        resolved_by=record["resolved_by"],
        evidence_as_of=record["evidence_as_of"],
    )


async def case_detail(conn: asyncpg.Connection, case_id: UUID, caller: Caller) -> CaseDetail:
    repo = AnalysesRepo(conn)
    case = await repo.case(case_id)
    if case is None or not caller.sees_region(case["region"]):
        raise NotFoundError(handlers.NO_CASE)
    shows_analysis = caller.kind == "STAFF" or case["state"] == "RESPONDIDO"
    return CaseDetail(
        case_id=case_id,
        number=case["number"],
        oficio_id=case["oficio_id"],
        oficio_number=case["oficio_number"],
        region=case["region"],
        region_name=ubigeo.describe(case["region"]),
        ubigeo=case["ubigeo"],
        place=ubigeo.describe(case["ubigeo"]),
        state=case["state"],
        due_on=case["due_on"],
        unit=case["unit"],
        points=[
            PointView(p["position"], p["category"], CATEGORIES[p["category"]], p["description"])
            for p in await repo.points(case_id)
        ],
        analysis=await _analysis_view(repo, case_id) if shows_analysis else None,
        response=response_view(await repo.response_of(case["oficio_id"])),
    )


def evidence_of(conn: asyncpg.Connection) -> handlers.Evidence:
    async def evidence(district: str, as_of: date) -> list[EvidenceItem]:
        return await gather(conn, district, as_of, more=(training_evidence,))

    return evidence


@get(
    "/cases",
    summary="Casos por fecha de vencimiento (un CTVC: los de su región)",
    description="Filtros: ``state`` (ABIERTO, RESUELTO, RESPONDIDO), ``unit`` (la unidad a la que se derivó).",
    responses=refusals(401, 403),
)
async def list_cases(
    caller: CallerDep,
    units: UnitsDep,
    clock: ClockDep,
    case_state: Annotated[str | None, QueryParameter(name="state")] = None,
    unit: FromQuery[str | None] = None,
    region: FromQuery[str | None] = None,
    limit: FromQuery[int] = 200,
) -> list[CaseSummary]:
    where = caller.region if caller.kind == "CTVC" else region
    async with units.open() as uow:
        rows = await AnalysesRepo(uow.conn).queue(where, case_state, unit, min(max(limit, 1), 500))
    today = clock.today()
    return [_summary(r, today) for r in rows]


@get(
    "/cases/{case_id:uuid}",
    summary="Un caso: sus puntos críticos, su análisis y su respuesta",
    responses=refusals(401, 403, 404),
)
async def get_case(case_id: FromPath[UUID], caller: CallerDep, units: UnitsDep) -> CaseDetail:
    async with units.open() as uow:
        return await case_detail(uow.conn, case_id, caller)


@put(
    "/cases/{case_id:uuid}/analysis",
    summary="Guardar el análisis de un caso (borrador, personal)",
    description="Un hallazgo por punto crítico que cita evidencia del caso por su clave, la conclusión, su "
    "justificación y las acciones de mejora. Se reemplaza entero en cada guardado mientras el caso está abierto.",
    responses=refusals(400, 401, 403, 404, 409, 422, r409="El caso ya fue resuelto."),
)
async def save_analysis(
    case_id: FromPath[UUID], data: JSONBody[AnalysisBody], caller: CallerDep, units: UnitsDep
) -> CaseDetail:
    async with units.open() as uow:
        repo = AnalysesRepo(uow.conn)
        await handlers.save_draft(case_id, msgspec.to_builtins(data), caller, repo, evidence_of(uow.conn))
        return await case_detail(uow.conn, case_id, caller)


@post(
    "/cases/{case_id:uuid}/resolution",
    summary="Resolver el caso: FUNDADO o INFUNDADO (personal)",
    description="Congela la evidencia a la fecha del oficio y anuncia CaseResolved.",
    status_code=200,
    responses=refusals(401, 403, 404, 409, 422, r422="El análisis está incompleto (cada dato en su clave)."),
)
async def resolve_case(case_id: FromPath[UUID], caller: CallerDep, units: UnitsDep) -> CaseDetail:
    async with units.open() as uow:
        await handlers.resolve(case_id, caller, AnalysesRepo(uow.conn), evidence_of(uow.conn), uow)
        return await case_detail(uow.conn, case_id, caller)


@post(
    "/cases/{case_id:uuid}/actions/{position:int}",
    summary="Avance de una acción de mejora (personal)",
    status_code=200,
    responses=refusals(400, 401, 403, 404, 409, 422),
)
async def follow_action(
    case_id: FromPath[UUID],
    position: FromPath[int],
    data: JSONBody[ActionStatusBody],
    caller: CallerDep,
    units: UnitsDep,
) -> CaseDetail:
    async with units.open() as uow:
        await handlers.follow_action(case_id, position, msgspec.to_builtins(data), caller, AnalysesRepo(uow.conn))
        return await case_detail(uow.conn, case_id, caller)


class RegionRow(msgspec.Struct):
    region: str
    region_name: str
    cases: int
    fundado: int
    infundado: int
    open: int


class CategoryRow(msgspec.Struct):
    category: str
    label: str
    cases: int


class ConclusionRow(msgspec.Struct):
    conclusion: str
    cases: int


class DaysToAnswer(msgspec.Struct):
    answered: int
    median: float | None
    max: int | None


class CasesReport(msgspec.Struct):
    year: int
    total: int
    answered: int
    by_region: list[RegionRow]
    by_category: list[CategoryRow]
    by_conclusion: list[ConclusionRow]
    days_to_answer: DaysToAnswer


@get(
    "/cases/report",
    summary="Reporte de casos: por región, categoría, conclusión y días hasta la respuesta (personal)",
    description="De los oficios recibidos en ``year`` (el año en curso si falta). Días: de la recepción del "
    "oficio a la emisión de su respuesta, en días calendario.",
    responses=refusals(401, 403),
)
async def cases_report(
    caller: CallerDep, units: UnitsDep, clock: ClockDep, year: FromQuery[int | None] = None
) -> CasesReport:
    caller.require_staff("ver el reporte de casos")
    year = year or clock.today().year
    async with units.open() as uow:
        repo = AnalysesRepo(uow.conn)
        rows = await repo.report_rows(year)
        categories = await repo.report_categories(year)
    regions: dict[str, Counter[str]] = {}
    for r in rows:
        count = regions.setdefault(r["region"], Counter())
        count["cases"] += 1
        count[(r["conclusion"] or "").lower() if r["conclusion"] else "open"] += 1
    days = [r["days"] for r in rows if r["days"] is not None]
    conclusions = Counter(r["conclusion"] for r in rows if r["conclusion"])
    return CasesReport(
        year=year,
        total=len(rows),
        answered=sum(1 for r in rows if r["state"] == "RESPONDIDO"),
        by_region=[
            RegionRow(k, ubigeo.describe(k), c["cases"], c["fundado"], c["infundado"], c["open"])
            for k, c in sorted(regions.items())
        ],
        by_category=[
            CategoryRow(k, CATEGORIES[k], next((c["cases"] for c in categories if c["category"] == k), 0))
            for k in CATEGORIES
        ],
        by_conclusion=[ConclusionRow(k, conclusions[k]) for k in ("FUNDADO", "INFUNDADO")],
        days_to_answer=DaysToAnswer(len(days), float(median(days)) if days else None, max(days) if days else None),
    )


def routes() -> list[Any]:
    return [list_cases, cases_report, get_case, save_analysis, resolve_case, follow_action]

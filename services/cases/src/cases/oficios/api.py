"""HTTP routes of oficios: decode, call one handler, answer; refusals come from ``cases.app.ERRORS``.

Reading an oficio shows the people interviewed (personal data): the read is written to the access
log in the same transaction, and a refused read (another region's oficio) in a transaction of its own.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Request, get, post
from litestar.datastructures import State
from litestar.params import FromPath, FromQuery, JSONBody

from cases.evidence.gather import gather
from cases.oficios import handlers
from cases.oficios.domain import CATEGORIES
from cases.oficios.repo import OficiosRepo, log_access
from cases.repo import answer_of
from cases.shared.api import CallerDep
from cases.shared.errors import NotFoundError
from cases.trainings.evidence import training_evidence
from contracts import ubigeo
from contracts.units import UNITS
from eventkit.http import refusals
from eventkit.providers import ClockDep, UnitsDep


class PointBody(msgspec.Struct, kw_only=True):
    category: Annotated[str, msgspec.Meta(description="Código del catálogo: " + ", ".join(CATEGORIES))]
    description: str


class IntervieweeBody(msgspec.Struct, kw_only=True):
    role: str
    office: str
    names: Annotated[str | None, msgspec.Meta(description="Se guarda en el caso; nunca sale en un evento.")] = None


class CaseBody(msgspec.Struct, kw_only=True):
    number: Annotated[str, msgspec.Meta(description="NNNN-AAAA-CTVC/REG, p. ej. 0050-2022-CTVC/HVC")]
    ubigeo: Annotated[str, msgspec.Meta(description="Distrito del INEI (6 dígitos)")]
    points: list[PointBody]
    interviewees: list[IntervieweeBody] = msgspec.field(default_factory=list)


class OficioBody(msgspec.Struct, kw_only=True):
    number: Annotated[str, msgspec.Meta(description="p. ej. OFICIO N° 033-2022-CTVC/HUANCAVELICA")]
    sent_on: Annotated[str, msgspec.Meta(description="Fecha del oficio (AAAA-MM-DD)")]
    sender: str
    cases: list[CaseBody]
    received_on: Annotated[str | None, msgspec.Meta(description="Fecha de recepción; hoy si falta")] = None
    region: Annotated[str | None, msgspec.Meta(description="Solo el personal (oficio en papel)")] = None


class RoutingBody(msgspec.Struct, kw_only=True):
    unit: Annotated[str, msgspec.Meta(description="Unidad: " + ", ".join(UNITS))]
    routed_on: date


class Point(msgspec.Struct):
    category: str
    category_label: str
    description: str


class Person(msgspec.Struct):
    role: str
    office: str
    names: str | None


class Step(msgspec.Struct):
    at: datetime
    step: str
    detail: str
    by_user: str


class CaseView(msgspec.Struct):
    case_id: UUID
    number: str
    ubigeo: str
    place: str
    state: str
    points: list[Point]
    interviewees: list[Person]
    timeline: list[Step]


class DocumentView(msgspec.Struct):
    kind: str
    number: str
    title: str
    code: Annotated[str | None, msgspec.Meta(description="Código de verificación, cuando ya se emitió")]


class ResponseView(msgspec.Struct):
    response_id: UUID
    state: Annotated[str, msgspec.Meta(description="SOLICITADA (generándose y firmándose) o EMITIDA")]
    issued_at: datetime | None
    documents: list[DocumentView]


def response_view(row: dict[str, Any] | None) -> ResponseView | None:
    if row is None:
        return None
    return ResponseView(
        row["response_id"],
        row["state"],
        row["issued_at"],
        [DocumentView(d["kind"], d["number"], d["title"], d["verification_code"]) for d in row["documents"]],
    )


class OficioSummary(msgspec.Struct):
    oficio_id: UUID
    number: str
    region: str
    region_name: str
    sent_on: date
    received_on: date
    sender: str
    channel: str
    due_on: date
    overdue: bool
    unit: str | None
    routed_on: date | None
    case_count: int
    answered: int


class OficioView(msgspec.Struct):
    oficio_id: UUID
    number: str
    region: str
    region_name: str
    sent_on: date
    received_on: date
    sender: str
    channel: str
    filed_by: str
    due_on: date
    overdue: bool
    unit: str | None
    unit_name: str | None
    routed_on: date | None
    cases: list[CaseView]
    response: ResponseView | None


def _resource(request: Request) -> str:
    return request.url.path


def _overdue(row: dict[str, Any], today: date, answered: bool) -> bool:
    return not answered and row["due_on"] < today


SHARED = ("oficio_id", "number", "region", "sent_on", "received_on", "sender", "channel", "due_on", "unit", "routed_on")


def _shared(row: dict[str, Any], today: date, answered: bool) -> dict[str, Any]:
    """What a summary and the whole oficio both say about it."""
    fields = {k: row[k] for k in SHARED}
    return fields | {"region_name": ubigeo.describe(row["region"]), "overdue": _overdue(row, today, answered)}


def oficio_view(
    row: dict[str, Any], cases: list[dict[str, Any]], answer: dict[str, Any] | None, today: date
) -> OficioView:
    answered = bool(cases) and all(c["state"] == "RESPONDIDO" for c in cases)
    return OficioView(
        **_shared(row, today, answered),
        filed_by=row["filed_by"],
        unit_name=UNITS.get(row["unit"] or ""),
        cases=[
            CaseView(
                case_id=c["case_id"],
                number=c["number"],
                ubigeo=c["ubigeo"],
                place=ubigeo.describe(c["ubigeo"]),
                state=c["state"],
                points=[Point(p["category"], CATEGORIES[p["category"]], p["description"]) for p in c["points"]],
                interviewees=[Person(p["role"], p["office"], p["names"]) for p in c["interviewees"]],
                timeline=[Step(s["at"], s["step"], s["detail"], s["by_user"]) for s in c["timeline"]],
            )
            for c in cases
        ],
        response=response_view(answer),
    )


async def _read(oficio_id: UUID, caller: CallerDep, units: UnitsDep, clock: ClockDep, resource: str) -> OficioView:
    try:
        async with units.open() as uow:
            repo = OficiosRepo(uow.conn)
            oficio = await handlers.visible(oficio_id, caller, repo)
            # the answer before its cases: both change in one commit, and a later statement sees at least
            # what an earlier one saw, so an answer read EMITIDA always comes with its cases RESPONDIDO
            answer = await answer_of(uow.conn, oficio_id)
            cases = await repo.cases_of(oficio_id)
            await log_access(
                uow.conn, caller, "READ_OFICIO", resource, allowed=True, case_ids=[c["case_id"] for c in cases]
            )
    except NotFoundError:
        async with units.open() as uow:
            await log_access(uow.conn, caller, "DENIED", resource, allowed=False, case_ids=[])
        raise
    return oficio_view(oficio, cases, answer, clock.today())


@post(
    "/oficios",
    summary="Registrar un oficio del CTVC con sus casos",
    description="Un CTVC registra los de su región; el personal registra un oficio llegado en papel (con su región).",
    status_code=201,
    responses=refusals(400, 401, 403, r422="Datos no válidos o número de oficio o de caso ya registrado."),
)
async def file_oficio(
    data: JSONBody[OficioBody], caller: CallerDep, units: UnitsDep, clock: ClockDep, state: State, request: Request
) -> OficioView:
    form = msgspec.to_builtins(data)
    async with units.open() as uow:
        repo = OficiosRepo(uow.conn)
        filing = await handlers.file(form, caller, clock.today(), state.answer_days, repo, uow)
    return await _read(filing.oficio_id, caller, units, clock, _resource(request) + f"/{filing.oficio_id}")


@get(
    "/oficios",
    summary="Oficios (un CTVC: los de su región), los más recientes primero",
    description="``overdue=true``: solo los vencidos sin responder, el más atrasado primero.",
    responses=refusals(401, 403, 422),
)
async def list_oficios(
    caller: CallerDep,
    units: UnitsDep,
    clock: ClockDep,
    region: FromQuery[str | None] = None,
    overdue: FromQuery[bool] = False,
    limit: FromQuery[int] = 100,
) -> list[OficioSummary]:
    limit = min(max(limit, 1), 500)
    where = caller.region if caller.kind == "CTVC" else region
    today = clock.today()
    async with units.open() as uow:
        rows = await OficiosRepo(uow.conn).listing(where, today if overdue else None, limit)
    return [
        OficioSummary(
            **_shared(r, today, r["answered"] == r["case_count"]),
            case_count=r["case_count"],
            answered=r["answered"],
        )
        for r in rows
    ]


@get(
    "/oficios/{oficio_id:uuid}",
    summary="Un oficio con sus casos (lectura registrada)",
    responses=refusals(401, 403, 404),
)
async def get_oficio(
    oficio_id: FromPath[UUID], caller: CallerDep, units: UnitsDep, clock: ClockDep, request: Request
) -> OficioView:
    return await _read(oficio_id, caller, units, clock, _resource(request))


@post(
    "/oficios/{oficio_id:uuid}/routing",
    summary="Derivar el oficio a una unidad (proveído)",
    status_code=200,
    responses=refusals(400, 401, 403, 404, 422),
)
async def route_oficio(
    oficio_id: FromPath[UUID],
    data: JSONBody[RoutingBody],
    caller: CallerDep,
    units: UnitsDep,
    clock: ClockDep,
    request: Request,
) -> OficioView:
    async with units.open() as uow:
        await handlers.route(oficio_id, data.unit, data.routed_on, caller, clock.today(), OficiosRepo(uow.conn))
    return await _read(oficio_id, caller, units, clock, _resource(request))


class EvidenceView(msgspec.Struct):
    key: str
    group: str
    statement: str
    source: str
    dated: str
    value: int | float | str | None
    source_events: list[UUID]


class CaseEvidence(msgspec.Struct):
    case_id: UUID
    number: str
    as_of: date
    items: list[EvidenceView]


@get(
    "/cases/{case_id:uuid}/evidence",
    summary="Evidencia de un caso a una fecha (la del oficio si falta), con la fuente de cada dato",
    description="Se calcula con los hechos registrados hasta el fin de ese día (hora de Lima); cada dato nombra "
    "los eventos de los que proviene.",
    responses=refusals(401, 403, 404, 422),
)
async def case_evidence(
    case_id: FromPath[UUID], caller: CallerDep, units: UnitsDep, as_of: FromQuery[date | None] = None
) -> CaseEvidence:
    caller.require_staff("consultar la evidencia de un caso")
    async with units.open() as uow:
        case = await OficiosRepo(uow.conn).case(case_id)
        if case is None:
            raise NotFoundError("El caso no existe.")
        day = as_of or case["sent_on"]
        items = await gather(uow.conn, case["ubigeo"], day, more=(training_evidence,))
    return CaseEvidence(
        case_id=case_id,
        number=case["number"],
        as_of=day,
        items=[
            EvidenceView(
                key=i.key,
                group=i.group,
                statement=i.statement,
                source=i.source,
                dated=i.dated.isoformat(),
                value=i.value,
                source_events=list(i.source_events),
            )
            for i in items
        ],
    )


def routes() -> list[Any]:
    return [file_oficio, list_oficios, get_oficio, route_oficio, case_evidence]

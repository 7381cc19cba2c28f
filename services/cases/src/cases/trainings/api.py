"""HTTP routes of the trainings registry: sessions, the districts invited, attendance by form or CSV (staff)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Request, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath, JSONBody

from cases.shared.api import CallerDep
from cases.shared.errors import FormError, NotFoundError
from cases.trainings import repo
from cases.trainings.domain import MODALITIES, TOPICS, parse_attendance_csv, session_input
from contracts import ubigeo
from eventkit.http import refusals
from eventkit.providers import UnitsDep

MAX_CSV_BYTES = 16 * 1024 * 1024


class SessionBody(msgspec.Struct, kw_only=True):
    held_on: Annotated[str, msgspec.Meta(description="Fecha (AAAA-MM-DD)")]
    topic: Annotated[str, msgspec.Meta(description="Un tema del catálogo u otro (3 a 200 caracteres)")]
    modality: Annotated[str, msgspec.Meta(description=" o ".join(MODALITIES))]
    organiser: Annotated[str, msgspec.Meta(description="Unidad que organiza, p. ej. UAC")]


class InvitationBody(msgspec.Struct, kw_only=True):
    places: Annotated[list[str], msgspec.Meta(description="Distritos (6 dígitos), provincias (4) o regiones (2)")]


class AttendanceBody(msgspec.Struct, kw_only=True):
    ubigeo: str
    office: str
    position: str
    attendees: Annotated[int, msgspec.Meta(ge=1, le=500)] = 1


class Session(msgspec.Struct):
    session_id: UUID
    held_on: date
    topic: str
    modality: str
    organiser: str
    invited: int
    attended: int


class Recorded(msgspec.Struct):
    ids: list[UUID]


@get("/trainings/topics", summary="Temas del catálogo de capacitaciones", responses=refusals())
async def topics() -> list[str]:
    return list(TOPICS)


@post(
    "/trainings/sessions",
    summary="Registrar una capacitación (personal)",
    status_code=201,
    responses=refusals(400, 401, 403, 422),
)
async def create_session(data: JSONBody[SessionBody], caller: CallerDep, units: UnitsDep) -> Session:
    caller.require_staff("registrar capacitaciones")
    session = session_input(msgspec.to_builtins(data))
    async with units.open() as uow:
        session_id = await repo.add_session(uow.conn, session, caller.username)
    return Session(session_id, session.held_on, session.topic, session.modality, session.organiser, 0, 0)


@get(
    "/trainings/sessions", summary="Capacitaciones registradas, las más recientes primero", responses=refusals(401, 403)
)
async def list_sessions(caller: CallerDep, units: UnitsDep) -> list[Session]:
    caller.require_staff("consultar el registro de capacitaciones")
    async with units.open() as uow:
        rows = await uow.conn.fetch(
            "select s.session_id, s.held_on, s.topic, s.modality, s.organiser,"
            " (select count(*) from training_invitations i where i.session_id = s.session_id) as invited,"
            " (select count(distinct a.ubigeo) from training_attendance a where a.session_id = s.session_id)"
            " as attended from training_sessions s order by s.held_on desc, s.topic limit 500"
        )
    return [Session(**dict(r)) for r in rows]


def _districts(places: list[str]) -> list[str]:
    """Every district named, or in a province or region named; each unknown code refused at its place."""
    found: list[str] = []
    errors = {}
    for i, code in enumerate(places):
        inside = [d for d in ubigeo.districts() if len(code) in (2, 4, 6) and d.startswith(code)]
        if not inside:
            errors[f"places.{i}"] = f"El código {code} no es una región, provincia ni distrito del INEI."
        found += inside
    if errors or not found:
        raise FormError("Revise los lugares invitados.", errors or {"places": "Indique al menos un lugar."})
    return sorted(set(found))


@post(
    "/trainings/sessions/{session_id:uuid}/invitations",
    summary="Invitar distritos (o provincias o regiones enteras) a una capacitación",
    status_code=201,
    responses=refusals(400, 401, 403, 404, 422),
)
async def invite(
    session_id: FromPath[UUID], data: JSONBody[InvitationBody], caller: CallerDep, units: UnitsDep
) -> Recorded:
    caller.require_staff("invitar a una capacitación")
    districts = _districts(data.places)
    async with units.open() as uow:
        return Recorded(await repo.invite_districts(uow.conn, session_id, districts))


@post(
    "/trainings/sessions/{session_id:uuid}/attendance",
    summary="Registrar la asistencia de una oficina de un distrito",
    status_code=201,
    responses=refusals(400, 401, 403, 404, 422),
)
async def attend(
    session_id: FromPath[UUID], data: JSONBody[AttendanceBody], caller: CallerDep, units: UnitsDep
) -> Recorded:
    caller.require_staff("registrar asistencia")
    errors = {}
    if not ubigeo.is_district(data.ubigeo):
        errors["ubigeo"] = "Elija el distrito de la oficina que asistió."
    for field in ("office", "position"):
        if not 2 <= len(getattr(data, field).strip()) <= 200:
            errors[field] = "Este dato es obligatorio (de 2 a 200 caracteres)."
    if errors:
        raise FormError("Revise los datos de la asistencia.", errors)
    async with units.open() as uow:
        found = await repo.record_attendance(
            uow.conn,
            session_id,
            data.ubigeo,
            data.office.strip(),
            data.position.strip(),
            caller.username,
            data.attendees,
        )
    return Recorded([found])


@post(
    "/trainings/attendance/import",
    summary="Importar asistencia desde CSV (session_id, ubigeo, office, position), todo o nada",
    description="El CSV como cuerpo (text/csv) o en el campo file de un formulario multipart; separado por comas "
    "o punto y coma, con o sin BOM.",
    status_code=201,
    request_max_body_size=MAX_CSV_BYTES,
    responses=refusals(401, 403, 413, 422),
)
async def import_attendance(request: Request, caller: CallerDep, units: UnitsDep) -> Recorded:
    caller.require_staff("importar asistencia")
    rows = parse_attendance_csv(await _csv(request))
    ids = []
    async with units.open() as uow:  # one transaction: a row that fails leaves nothing imported
        for row in rows:
            try:
                ids.append(
                    await repo.record_attendance(
                        uow.conn, row.session_id, row.ubigeo, row.office, row.position, caller.username
                    )
                )
            except NotFoundError:
                message = f"línea {row.line}: no existe la capacitación {row.session_id}"
                raise FormError(
                    "El archivo tiene errores; no se importó ninguna línea.", {f"línea {row.line}": message}
                ) from None
    return Recorded(ids)


async def _csv(request: Request) -> bytes:
    """The CSV as the body (``text/csv``) or as the multipart field ``file`` (a form in a browser)."""
    if request.content_type[0] != "multipart/form-data":
        return await request.body()
    upload = (await request.form()).get("file")
    if not isinstance(upload, UploadFile):
        raise FormError("Adjunte el archivo CSV en el campo «file».", {"file": "Adjunte el archivo CSV."})
    return await upload.read()


def routes() -> list[Any]:
    return [topics, create_session, list_sessions, invite, attend, import_attendance]

"""HTTP API of the access service: decode, call one handler; refusals are answered from ``ERRORS``.

Routes take the kit's units of work and Lima's clock, and access's ``deps`` and ``evaluator``. A route
with a body or a caller to check opens its unit (``units``) only once both are checked, so a bad
body or a caller who is not an evaluator is refused as such even while the database is not ready.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from typing import Annotated
from uuid import UUID

import msgspec
from altcha import v1 as altcha
from litestar import Router, get, post, put
from litestar.params import FromPath, FromQuery, JSONBody

from access import handlers
from access.deps import DepsDep, EvaluatorDep
from access.domain import Decision, FormError, RequestForm, TransitionError
from access.repo import RequestsRepo
from access.views import RequestView, view
from contracts import ubigeo
from eventkit.errors import NotReadyError
from eventkit.http import ErrorTable, UserError, refusals
from eventkit.providers import ClockDep, UnitsDep, UowDep

ERRORS = ErrorTable(
    {
        FormError: (422, "Hay errores en el formulario."),
        TransitionError: 409,
        handlers.NotFoundError: 404,
        handlers.CaptchaError: 400,
        NotReadyError: (503, "El servicio está iniciando; intente nuevamente en unos segundos."),
    }
)
"""Every domain refusal of access: its status, and the error's own Spanish message unless one is given."""


class SubmitBody(msgspec.Struct, kw_only=True):
    altcha: Annotated[
        str | None, msgspec.Meta(description="El reto ALTCHA resuelto (base64); lo pide un borrador u observada.")
    ] = None


class ResumeBody(msgspec.Struct, kw_only=True):
    code: str
    authority_dni: str


class DecisionBody(msgspec.Struct, kw_only=True):
    decision: Decision
    reason: Annotated[str, msgspec.Meta(description="El motivo del rechazo (REJECT).")] = ""
    observations: Annotated[list[str], msgspec.Meta(description="Lo que el solicitante debe corregir (OBSERVE).")] = (
        msgspec.field(default_factory=list)
    )


class CurrentAttempt(msgspec.Struct):
    attempt: int


class CaptchaChallenge(msgspec.Struct):
    """An ALTCHA challenge, with the keys the ALTCHA widget reads."""

    algorithm: str
    challenge: str
    maxnumber: int
    salt: str
    signature: str


PURPOSES = ("download", "upload")
PURPOSE_ERROR = "Indique para qué se consulta el intento: download (descargar el DDC) o upload (subir un documento)."

NO_REQUEST = "La solicitud no existe."
EVALUATOR_ONLY = {
    "r401": "Falta la sesión de un evaluador o expiró.",
    "r403": "Solo el personal evaluador puede ver y decidir solicitudes.",
}


class Place(msgspec.Struct):
    code: str
    name: str


def captcha_signature(deps: DepsDep, payload: str | None) -> str:
    if not payload:
        raise UserError("Resuelva la verificación anti-robots antes de enviar.", 400)
    try:
        ok, _error = altcha.verify_solution(payload, deps.captcha_key, True)
        signature = msgspec.json.decode(base64.b64decode(payload))["signature"]
    except Exception:  # noqa: BLE001 - any malformed payload is the same refusal
        ok, signature = False, ""
    if not ok:
        raise UserError("La verificación anti-robots no es válida o expiró; resuélvala de nuevo.", 400)
    return signature


@get("/ubigeo/regions", summary="Regiones (departamentos) del INEI", responses=refusals())
async def regions() -> list[Place]:
    return [Place(c, n) for c, n in sorted(ubigeo.regions().items())]


@get(
    "/ubigeo/regions/{code:str}/provinces",
    summary="Provincias de una región",
    responses=refusals(r404="La región no existe en el ubigeo del INEI."),
)
async def provinces(code: FromPath[str]) -> list[Place]:
    found = [Place(c, n) for c, (r, n) in sorted(ubigeo.provinces().items()) if r == code]
    if not found:
        raise UserError("La región no existe en el ubigeo del INEI.", 404)
    return found


@get(
    "/ubigeo/provinces/{code:str}/districts",
    summary="Distritos de una provincia",
    responses=refusals(r404="La provincia no existe en el ubigeo del INEI."),
)
async def districts(code: FromPath[str]) -> list[Place]:
    found = [Place(d.ubigeo, d.district) for d in ubigeo.districts().values() if d.province_code == code]
    if not found:
        raise UserError("La provincia no existe en el ubigeo del INEI.", 404)
    return found


@get(
    "/captcha",
    summary="Reto ALTCHA (prueba de trabajo) para el envío final",
    description="Vale 20 minutos y abre un solo envío.",
    responses=refusals(),
)
async def captcha(deps: DepsDep) -> CaptchaChallenge:
    challenge = altcha.create_challenge(
        altcha.ChallengeOptions(
            hmac_key=deps.captcha_key,
            max_number=deps.captcha_max,
            expires=datetime.now(UTC) + timedelta(minutes=20),
        )
    )
    return CaptchaChallenge(
        algorithm=challenge.algorithm,
        challenge=challenge.challenge,
        maxnumber=challenge.max_number,
        salt=challenge.salt,
        signature=challenge.signature,
    )


@post(
    "/access-requests",
    summary="Crear una solicitud (borrador)",
    description="Basta el tipo de aliado y el DNI de la autoridad; la respuesta trae el código para retomarla.",
    status_code=201,
    responses=refusals(400, 422),
)
async def create(data: JSONBody[RequestForm], units: UnitsDep, clock: ClockDep) -> RequestView:
    async with units.open() as uow:
        created = await handlers.create_draft(data, RequestsRepo(uow.conn), datetime.now(UTC))
    return view(created, clock.today())


@put(
    "/access-requests/{request_id:uuid}",
    summary="Guardar el borrador",
    description="Reemplaza el formulario entero; solo mientras la solicitud es un borrador o está observada.",
    responses=refusals(400, 404, 422, r409="La solicitud ya fue enviada o se quiso cambiar el tipo de aliado."),
)
async def save(
    request_id: FromPath[UUID], data: JSONBody[RequestForm], units: UnitsDep, clock: ClockDep
) -> RequestView:
    async with units.open() as uow:
        saved = await handlers.save_draft(request_id, data, RequestsRepo(uow.conn))
    return view(saved, clock.today())


@get(
    "/access-requests/{request_id:uuid}",
    summary="Estado de la solicitud",
    responses=refusals(r404=NO_REQUEST),
)
async def status(request_id: FromPath[UUID], uow: UowDep, clock: ClockDep) -> RequestView:
    found = await handlers.load(RequestsRepo(uow.conn), request_id)
    return view(found, clock.today())


@post(
    "/access-requests/resume",
    summary="Retomar con código y DNI de la autoridad",
    status_code=200,
    responses=refusals(400, 422, r404="No hay una solicitud con ese código y ese DNI (no se dice cuál falló)."),
)
async def resume(data: JSONBody[ResumeBody], units: UnitsDep, clock: ClockDep) -> RequestView:
    async with units.open() as uow:
        found = await handlers.resume(data.code, data.authority_dni, RequestsRepo(uow.conn))
    return view(found, clock.today())


@post(
    "/access-requests/{request_id:uuid}/submit",
    summary="Enviar la solicitud",
    description="Un borrador u observada necesita el reto ALTCHA resuelto; reenviar una ya enviada no cambia nada.",
    status_code=202,
    responses=refusals(
        404,
        r400="Falta la verificación anti-robots, no es válida, expiró o ya fue usada; o el cuerpo no es JSON.",
        r422="El formulario está incompleto o tiene datos no válidos (``errors`` nombra cada campo).",
    ),
)
async def submit(
    request_id: FromPath[UUID],
    units: UnitsDep,
    clock: ClockDep,
    deps: DepsDep,
    data: JSONBody[SubmitBody | None] = None,
) -> RequestView:
    body = data or SubmitBody()  # an empty body is a send without a captcha: refused as such, not as a bad body
    async with units.open() as uow:
        requests = RequestsRepo(uow.conn)
        current = await handlers.load(requests, request_id)
        signature = None
        if current.state in ("DRAFT", "OBSERVED"):
            signature = captcha_signature(deps, body.altcha)
        sent = await handlers.submit(request_id, signature, requests, uow, datetime.now(UTC))
    return view(sent, clock.today())


@get(
    "/access-requests/{request_id:uuid}/current-attempt",
    summary="Intento vigente del DDC que se descarga o del documento que se sube (para el gateway)",
    responses=refusals(
        r404=NO_REQUEST,
        r409="Aún no hay un DDC que dar: no fue enviada, está observada, ya fue evaluada o el DDC se está generando.",
        r422="``purpose`` falta o no es download ni upload.",
    ),
)
async def current_attempt(
    request_id: FromPath[UUID], units: UnitsDep, purpose: FromQuery[str | None] = None
) -> CurrentAttempt:
    if purpose not in PURPOSES:
        raise UserError(PURPOSE_ERROR, 422, {"purpose": PURPOSE_ERROR})
    async with units.open() as uow:
        attempt = await handlers.current_attempt(request_id, purpose, RequestsRepo(uow.conn))
    return CurrentAttempt(attempt)


@get(
    "/evaluation/queue",
    summary="Cola de evaluación (personal evaluador)",
    responses=refusals(**EVALUATOR_ONLY),
)
async def queue(evaluator: EvaluatorDep, units: UnitsDep, clock: ClockDep) -> list[RequestView]:
    async with units.open() as uow:  # opened once the caller is known to be an evaluator
        pending = await handlers.evaluation_queue(RequestsRepo(uow.conn))
    return [view(r, clock.today()) for r in pending]


@post(
    "/evaluation/{request_id:uuid}/decision",
    summary="Aprobar, observar o rechazar",
    description="Solo una solicitud en evaluación; OBSERVE pide observaciones y REJECT un motivo.",
    status_code=200,
    responses=refusals(400, 404, 422, r409="La solicitud no está en evaluación.", **EVALUATOR_ONLY),
)
async def decision(
    request_id: FromPath[UUID], data: JSONBody[DecisionBody], evaluator: EvaluatorDep, units: UnitsDep, clock: ClockDep
) -> RequestView:
    async with units.open() as uow:
        decided = await handlers.decide(
            request_id,
            data.decision,
            evaluator,
            RequestsRepo(uow.conn),
            uow,
            reason=data.reason,
            observations=data.observations,
        )
    return view(decided, clock.today())


ROUTER = Router(
    path="/",
    route_handlers=[
        regions,
        provinces,
        districts,
        captcha,
        create,
        save,
        status,
        resume,
        submit,
        current_attempt,
        queue,
        decision,
    ],
)

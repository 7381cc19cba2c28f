"""HTTP API of the access service: decode, call one handler; refusals are answered from ``ERRORS``.

Routes take the kit's units of work and Lima's clock, and access's ``deps`` and ``evaluator``. A route
with a body or a caller to check opens its unit (``units``) only once both are checked, so a bad
body or a caller who is not an evaluator is refused as such even while the database is not ready.
"""

from __future__ import annotations

import base64
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import msgspec
from altcha import v1 as altcha
from litestar import Request, Router, get, post, put
from litestar.params import FromPath, FromQuery

from access import handlers
from access.deps import DepsDep, EvaluatorDep
from access.domain import FormError, RequestForm, TransitionError
from access.repo import RequestsRepo
from access.views import RequestView, view
from contracts import ubigeo
from eventkit.errors import NotReadyError
from eventkit.http import ErrorTable, UserError
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

_FIELD = re.compile(r"at `\$\.?([^`]*)`")


class SubmitBody(msgspec.Struct, kw_only=True):
    altcha: str | None = None


class ResumeBody(msgspec.Struct, kw_only=True):
    code: str
    authority_dni: str


class DecisionBody(msgspec.Struct, kw_only=True):
    decision: str
    reason: str = ""
    observations: list[str] = msgspec.field(default_factory=list)


class CurrentAttempt(msgspec.Struct):
    attempt: int


PURPOSES = ("download", "upload")
PURPOSE_ERROR = "Indique para qué se consulta el intento: download (descargar el DDC) o upload (subir un documento)."


class Place(msgspec.Struct):
    code: str
    name: str


def decode(body: bytes, kind: type[Any]) -> Any:
    try:
        return msgspec.json.decode(body or b"{}", type=kind)
    except msgspec.ValidationError as exc:
        match = _FIELD.search(str(exc))
        path = (match.group(1) if match else "") or "body"
        if "missing required field" in str(exc):
            missing = re.search(r"`(\w+)`", str(exc))
            path = ".".join(p for p in (match.group(1) if match else "", missing.group(1) if missing else "") if p)
            raise UserError("Faltan datos en el formulario.", 422, {path: "Este dato es obligatorio."}) from None
        raise UserError("Hay datos con un formato no válido.", 422, {path: "Valor no válido."}) from None
    except msgspec.DecodeError:
        raise UserError("El cuerpo de la solicitud no es JSON válido.", 400) from None


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


@get("/ubigeo/regions", summary="Regiones (departamentos) del INEI")
async def regions() -> list[Place]:
    return [Place(c, n) for c, n in sorted(ubigeo.regions().items())]


@get("/ubigeo/regions/{code:str}/provinces", summary="Provincias de una región")
async def provinces(code: FromPath[str]) -> list[Place]:
    found = [Place(c, n) for c, (r, n) in sorted(ubigeo.provinces().items()) if r == code]
    if not found:
        raise UserError("La región no existe en el ubigeo del INEI.", 404)
    return found


@get("/ubigeo/provinces/{code:str}/districts", summary="Distritos de una provincia")
async def districts(code: FromPath[str]) -> list[Place]:
    found = [Place(d.ubigeo, d.district) for d in ubigeo.districts().values() if d.province_code == code]
    if not found:
        raise UserError("La provincia no existe en el ubigeo del INEI.", 404)
    return found


@get("/captcha", summary="Reto ALTCHA (prueba de trabajo) para el envío final")
async def captcha(deps: DepsDep) -> dict[str, Any]:
    challenge = altcha.create_challenge(
        altcha.ChallengeOptions(
            hmac_key=deps.captcha_key,
            max_number=deps.captcha_max,
            expires=datetime.now(UTC) + timedelta(minutes=20),
        )
    )
    return {
        "algorithm": challenge.algorithm,
        "challenge": challenge.challenge,
        "maxnumber": challenge.max_number,
        "salt": challenge.salt,
        "signature": challenge.signature,
    }


@post("/access-requests", summary="Crear una solicitud (borrador)", status_code=201)
async def create(request: Request, units: UnitsDep, clock: ClockDep) -> RequestView:
    form = decode(await request.body(), RequestForm)
    async with units.open() as uow:
        created = await handlers.create_draft(form, RequestsRepo(uow.conn), datetime.now(UTC))
    return view(created, clock.today())


@put("/access-requests/{request_id:uuid}", summary="Guardar el borrador")
async def save(request_id: FromPath[UUID], request: Request, units: UnitsDep, clock: ClockDep) -> RequestView:
    form = decode(await request.body(), RequestForm)
    async with units.open() as uow:
        saved = await handlers.save_draft(request_id, form, RequestsRepo(uow.conn))
    return view(saved, clock.today())


@get("/access-requests/{request_id:uuid}", summary="Estado de la solicitud")
async def status(request_id: FromPath[UUID], uow: UowDep, clock: ClockDep) -> RequestView:
    found = await handlers.load(RequestsRepo(uow.conn), request_id)
    return view(found, clock.today())


@post("/access-requests/resume", summary="Retomar con código y DNI de la autoridad", status_code=200)
async def resume(request: Request, units: UnitsDep, clock: ClockDep) -> RequestView:
    body = decode(await request.body(), ResumeBody)
    async with units.open() as uow:
        found = await handlers.resume(body.code, body.authority_dni, RequestsRepo(uow.conn))
    return view(found, clock.today())


@post("/access-requests/{request_id:uuid}/submit", summary="Enviar la solicitud", status_code=202)
async def submit(
    request_id: FromPath[UUID], request: Request, units: UnitsDep, clock: ClockDep, deps: DepsDep
) -> RequestView:
    body = decode(await request.body(), SubmitBody)
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
)
async def current_attempt(
    request_id: FromPath[UUID], units: UnitsDep, purpose: FromQuery[str | None] = None
) -> CurrentAttempt:
    if purpose not in PURPOSES:
        raise UserError(PURPOSE_ERROR, 422, {"purpose": PURPOSE_ERROR})
    async with units.open() as uow:
        attempt = await handlers.current_attempt(request_id, purpose, RequestsRepo(uow.conn))
    return CurrentAttempt(attempt)


@get("/evaluation/queue", summary="Cola de evaluación (personal evaluador)")
async def queue(evaluator: EvaluatorDep, units: UnitsDep, clock: ClockDep) -> list[RequestView]:
    async with units.open() as uow:  # opened once the caller is known to be an evaluator
        pending = await handlers.evaluation_queue(RequestsRepo(uow.conn))
    return [view(r, clock.today()) for r in pending]


@post("/evaluation/{request_id:uuid}/decision", summary="Aprobar, observar o rechazar", status_code=200)
async def decision(
    request_id: FromPath[UUID], request: Request, evaluator: EvaluatorDep, units: UnitsDep, clock: ClockDep
) -> RequestView:
    body = decode(await request.body(), DecisionBody)
    async with units.open() as uow:
        decided = await handlers.decide(
            request_id,
            body.decision,
            evaluator,
            RequestsRepo(uow.conn),
            uow,
            reason=body.reason,
            observations=body.observations,
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

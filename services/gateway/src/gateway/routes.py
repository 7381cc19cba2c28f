"""The public API: each route names the service that answers it, and who may call it."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import HttpMethod, Request, Router, get, post, put, route
from litestar.datastructures import State
from litestar.middleware.rate_limit import RateLimitConfig
from litestar.params import FromPath
from litestar.response import Response

from gateway.proxy import MULTIPART_FRAMING, GatewayError, Services

EVALUATORS = ("EVALUATOR", "ADMIN")


def services(state: State) -> Services:
    return state.services


# -- reference data and look-ups (rate limited) ---------------------------------------


@get("/api/ubigeo/regions", summary="Regiones (departamentos) del INEI", tags=["Consultas"])
async def regions(request: Request, state: State) -> Response[Any]:
    return await services(state).forward("access", request, "/ubigeo/regions")


@get("/api/ubigeo/regions/{code:str}/provinces", summary="Provincias de una región", tags=["Consultas"])
async def provinces(code: FromPath[str], request: Request, state: State) -> Response[Any]:
    return await services(state).forward("access", request, f"/ubigeo/regions/{code}/provinces")


@get("/api/ubigeo/provinces/{code:str}/districts", summary="Distritos de una provincia", tags=["Consultas"])
async def districts(code: FromPath[str], request: Request, state: State) -> Response[Any]:
    return await services(state).forward("access", request, f"/ubigeo/provinces/{code}/districts")


@get("/api/dni/{dni:str}", summary="Nombres de una persona por su DNI", tags=["Consultas"])
async def dni_lookup(dni: FromPath[str], request: Request, state: State) -> Response[Any]:
    return await services(state).forward("identity", request, f"/citizens/{dni}")


@get(
    "/api/authorities",
    summary="Autoridad vigente de una región, distrito o entidad (registro sintético)",
    tags=["Consultas"],
)
async def authorities(request: Request, state: State) -> Response[Any]:
    return await services(state).forward("identity", request, "/authorities")


@get("/api/entities", summary="Entidades del registro sintético (otros aliados)", tags=["Consultas"])
async def entities(request: Request, state: State) -> Response[Any]:
    return await services(state).forward("identity", request, "/entities")


@post("/api/auth/login", summary="Iniciar sesión", tags=["Sesión"])
async def login(request: Request, state: State) -> Response[Any]:
    return await services(state).forward("identity", request, "/auth/login")


# -- the access request -----------------------------------------------------------------


@get("/api/captcha", summary="Reto ALTCHA para el envío final", tags=["Solicitud de acceso"])
async def captcha(request: Request, state: State) -> Response[Any]:
    return await services(state).forward("access", request, "/captcha")


@post("/api/access-requests", summary="Crear una solicitud (borrador)", tags=["Solicitud de acceso"])
async def create_request(request: Request, state: State) -> Response[Any]:
    return await services(state).forward("access", request, "/access-requests")


@post(
    "/api/access-requests/resume",
    summary="Retomar una solicitud con su código y el DNI de la autoridad",
    tags=["Solicitud de acceso"],
)
async def resume_request(request: Request, state: State) -> Response[Any]:
    return await services(state).forward("access", request, "/access-requests/resume")


@get("/api/access-requests/{request_id:uuid}", summary="Estado de la solicitud", tags=["Solicitud de acceso"])
async def request_status(request_id: FromPath[UUID], request: Request, state: State) -> Response[Any]:
    return await services(state).forward("access", request, f"/access-requests/{request_id}")


@put("/api/access-requests/{request_id:uuid}", summary="Guardar el borrador", tags=["Solicitud de acceso"])
async def save_request(request_id: FromPath[UUID], request: Request, state: State) -> Response[Any]:
    return await services(state).forward("access", request, f"/access-requests/{request_id}")


@post("/api/access-requests/{request_id:uuid}/submit", summary="Enviar la solicitud", tags=["Solicitud de acceso"])
async def submit_request(request_id: FromPath[UUID], request: Request, state: State) -> Response[Any]:
    return await services(state).forward("access", request, f"/access-requests/{request_id}/submit")


@get("/api/access-requests/{request_id:uuid}/ddc", summary="Descargar el DDC prellenado", tags=["Solicitud de acceso"])
async def download_ddc(request_id: FromPath[UUID], request: Request, state: State) -> Response[Any]:
    # Access knows the current attempt the moment it changes; documents only once AccessRequested
    # reaches it. Asking access first is what keeps the previous attempt's DDC from being served.
    svc = services(state)
    attempt = await svc.current_attempt(str(request_id), "download")
    if isinstance(attempt, Response):
        return attempt
    return await svc.forward("documents", request, f"/requests/{request_id}/ddc", params={"attempt": str(attempt)})


@post(
    "/api/access-requests/{request_id:uuid}/documents",
    summary="Subir el DDC firmado o el documento de designación (PDF, máx. 10 MB); ?kind=DDC_SIGNED|DESIGNATION",
    tags=["Solicitud de acceso"],
    request_max_body_size=11 * 1024 * 1024,
)
async def upload_document(request_id: FromPath[UUID], request: Request, state: State) -> Response[Any]:
    svc = services(state)
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > svc.max_upload_bytes + MULTIPART_FRAMING:
        raise GatewayError(status_code=413, detail="El archivo supera el límite de 10 MB.")
    # An upload access would not count (not sent, observed, decided, or its attempt's DDC not
    # generated yet) is refused here, before anything is stored.
    attempt = await svc.current_attempt(str(request_id), "upload")
    if isinstance(attempt, Response):
        return attempt
    params = {"attempt": str(attempt)}
    if "kind" in request.query_params:
        params["kind"] = request.query_params["kind"]
    return await svc.forward(
        "documents", request, f"/requests/{request_id}/documents", body=svc.limited_stream(request), params=params
    )


# -- evaluation (program staff) -------------------------------------------------------------


@get("/api/evaluation/queue", summary="Cola de evaluación", tags=["Evaluación"])
async def evaluation_queue(request: Request, state: State) -> Response[Any]:
    _claims, authorization = await services(state).caller(request, EVALUATORS)
    return await services(state).forward("access", request, "/evaluation/queue", authorization=authorization)


@post(
    "/api/evaluation/{request_id:uuid}/decision",
    summary="Aprobar, observar o rechazar una solicitud",
    tags=["Evaluación"],
)
async def evaluation_decision(request_id: FromPath[UUID], request: Request, state: State) -> Response[Any]:
    _claims, authorization = await services(state).caller(request, EVALUATORS)
    return await services(state).forward(
        "access", request, f"/evaluation/{request_id}/decision", authorization=authorization
    )


# -- the padrón (any logged-in account; the padrón service scopes every answer by the token) ----

PADRON_METHODS = [HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT]
PADRON_MAX_BODY = 512 * 1024 * 1024  # a whole padrón as CSV for the bulk import


@route(
    "/api/padron/{path:path}",
    http_method=PADRON_METHODS,
    summary="Padrón: resúmenes, listas, autorizaciones, alertas, FAD, versiones e importación (según la cuenta)",
    tags=["Padrón"],
    request_max_body_size=PADRON_MAX_BODY,
)
async def padron(path: FromPath[str], request: Request, state: State) -> Response[Any]:
    svc = services(state)
    _claims, authorization = await svc.caller(request)
    body = request.stream() if request.method != "GET" else None
    return await svc.forward("padron", request, f"/padron/{path.lstrip('/')}", body=body, authorization=authorization)


@get("/api/me", summary="Quién soy: la cuenta de la sesión", tags=["Sesión"])
async def me(request: Request, state: State) -> dict[str, Any]:
    claims, _ = await services(state).caller(request)
    return claims


# -- verification -------------------------------------------------------------------------


@get("/api/verify/{code:str}", summary="Verificar un documento emitido por su código", tags=["Verificación"])
async def verify(code: FromPath[str], request: Request, state: State) -> Response[Any]:
    return await services(state).forward("documents", request, f"/verify/{code}")


@get("/.well-known/jwks.json", summary="Claves públicas de los tokens (JWKS)", tags=["Sesión"])
async def jwks(request: Request, state: State) -> Response[Any]:
    return await services(state).forward("identity", request, "/.well-known/jwks.json")


def api_router(rate_limit_per_minute: int) -> Router:
    limited = Router(
        path="/",
        # resume answers a guess of code and DNI: limited like the look-ups and the login
        route_handlers=[
            regions,
            provinces,
            districts,
            dni_lookup,
            authorities,
            entities,
            login,
            captcha,
            resume_request,
        ],
        middleware=[RateLimitConfig(rate_limit=("minute", rate_limit_per_minute)).middleware],
    )
    return Router(
        path="/",
        route_handlers=[
            limited,
            create_request,
            request_status,
            save_request,
            submit_request,
            download_ddc,
            upload_document,
            evaluation_queue,
            evaluation_decision,
            me,
            padron,
            verify,
            jwks,
        ],
    )

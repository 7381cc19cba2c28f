"""The public API: each route names the service that answers it, the service's path, and who may call it.

Most routes only relay (:func:`relay`); the route's ``opt`` keeps the service and its path, so the
published OpenAPI document takes each operation's bodies and answers from the service that owns
them (``contigo openapi``). Only the DDC download, the upload and the evaluator's view of an upload
do more: they ask access first.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Sequence
from typing import Any, Literal

from litestar import HttpMethod, Request, Router, get, post
from litestar.datastructures import State
from litestar.handlers import HTTPRouteHandler
from litestar.middleware.rate_limit import RateLimitConfig
from litestar.response import Response

from gateway.proxy import MULTIPART_FRAMING, GatewayError, Services

EVALUATORS = ("EVALUATOR", "ADMIN")
PADRON_MAX_BODY = 512 * 1024 * 1024  # a whole padrón as CSV for the bulk import
Caller = Literal["anyone", "session", "evaluator"]


def services(state: State) -> Services:
    return state.services


def relay(
    method: str,
    path: str,
    service: str,
    target: str,
    *,
    summary: str,
    tag: str,
    caller: Caller = "anyone",
    stream: bool = False,
    upload: str | None = None,
    tells_client: bool = False,
    **options: Any,
) -> HTTPRouteHandler:
    """A route answered by ``service`` at ``target`` (``{name}`` filled from the route's path parameters).

    ``caller``: ``session`` needs an active session, ``evaluator`` one of program staff who evaluate;
    their token is passed on. ``stream`` relays the body as it arrives instead of reading it first;
    ``upload`` names the file it carries (``csv``), for the published document. ``tells_client`` says
    whose request it is in ``X-Forwarded-For`` (the login: identity counts failures per address too).
    """

    async def handler(request: Request, state: State) -> Response[Any]:
        svc = services(state)
        authorization = None
        if caller != "anyone":
            _claims, authorization = await svc.caller(request, EVALUATORS if caller == "evaluator" else None)
        body = request.stream() if stream else None
        where = target.format(**{k: str(v) for k, v in request.path_params.items()})
        client = state.client_of(request).removeprefix("via-web:") if tells_client else None
        return await svc.forward(service, request, where, body=body, authorization=authorization, client=client)

    handler.__name__ = handler.__qualname__ = operation_id(method, target)
    return HTTPRouteHandler(
        path=path,
        http_method=HttpMethod(method),
        summary=summary,
        tags=[tag],
        operation_id=handler.__name__,
        opt={"service": service, "target": target, "caller": caller} | ({"upload": upload} if upload else {}),
        **options,
    )(handler)


def operation_id(method: str, target: str) -> str:
    """``get_padron_beneficiaries_by_beneficiary_id``: the method and the service's path, in words."""
    words = [w for w in target.replace(".", "/").replace("-", "_").split("/") if w]
    return "_".join([method.lower(), *(f"by_{w[1:-1]}" if w.startswith("{") else w for w in words)])


LOOKUPS, SESSION, REQUEST, EVALUATION, PADRON, VERIFY = (
    "Consultas",
    "Sesión",
    "Solicitud de acceso",
    "Evaluación",
    "Padrón",
    "Verificación",
)

# Rate limited: look-ups of people and authorities, the login, and resume (a guess of code and DNI).
LIMITED = [
    relay(
        "GET",
        "/api/ubigeo/regions",
        "access",
        "/ubigeo/regions",
        summary="Regiones (departamentos) del INEI",
        tag=LOOKUPS,
    ),
    relay(
        "GET",
        "/api/ubigeo/regions/{code:str}/provinces",
        "access",
        "/ubigeo/regions/{code}/provinces",
        summary="Provincias de una región",
        tag=LOOKUPS,
    ),
    relay(
        "GET",
        "/api/ubigeo/provinces/{code:str}/districts",
        "access",
        "/ubigeo/provinces/{code}/districts",
        summary="Distritos de una provincia",
        tag=LOOKUPS,
    ),
    relay(
        "GET",
        "/api/dni/{dni:str}",
        "identity",
        "/citizens/{dni}",
        summary="Nombres de una persona por su DNI",
        tag=LOOKUPS,
    ),
    relay(
        "GET",
        "/api/authorities",
        "identity",
        "/authorities",
        summary="Autoridad vigente de una región, distrito o entidad (registro sintético)",
        tag=LOOKUPS,
    ),
    relay(
        "GET",
        "/api/entities",
        "identity",
        "/entities",
        summary="Entidades del registro sintético (otros aliados)",
        tag=LOOKUPS,
    ),
    relay(
        "POST", "/api/auth/login", "identity", "/auth/login", summary="Iniciar sesión", tag=SESSION, tells_client=True
    ),
    relay("GET", "/api/captcha", "access", "/captcha", summary="Reto ALTCHA para el envío final", tag=REQUEST),
    relay(
        "POST",
        "/api/access-requests/resume",
        "access",
        "/access-requests/resume",
        summary="Retomar una solicitud con su código y el DNI de la autoridad",
        tag=REQUEST,
    ),
]

REQUESTS = [
    relay(
        "POST",
        "/api/access-requests",
        "access",
        "/access-requests",
        summary="Crear una solicitud (borrador)",
        tag=REQUEST,
    ),
    relay(
        "GET",
        "/api/access-requests/{request_id:uuid}",
        "access",
        "/access-requests/{request_id}",
        summary="Estado de la solicitud",
        tag=REQUEST,
    ),
    relay(
        "PUT",
        "/api/access-requests/{request_id:uuid}",
        "access",
        "/access-requests/{request_id}",
        summary="Guardar el borrador",
        tag=REQUEST,
    ),
    relay(
        "POST",
        "/api/access-requests/{request_id:uuid}/submit",
        "access",
        "/access-requests/{request_id}/submit",
        summary="Enviar la solicitud",
        tag=REQUEST,
    ),
    relay(
        "GET",
        "/api/evaluation/queue",
        "access",
        "/evaluation/queue",
        summary="Cola de evaluación",
        tag=EVALUATION,
        caller="evaluator",
    ),
    relay(
        "POST",
        "/api/evaluation/{request_id:uuid}/decision",
        "access",
        "/evaluation/{request_id}/decision",
        summary="Aprobar, observar o rechazar una solicitud",
        tag=EVALUATION,
        caller="evaluator",
    ),
    relay(
        "GET",
        "/api/evaluation/{request_id:uuid}/uploads",
        "documents",
        "/requests/{request_id}/uploads",
        summary="Todas las versiones que subió el solicitante, con su hora (personal evaluador)",
        tag=EVALUATION,
        caller="evaluator",
    ),
    relay(
        "GET",
        "/api/verify/{code:str}",
        "documents",
        "/verify/{code}",
        summary="Verificar un documento emitido por su código",
        tag=VERIFY,
    ),
    relay(
        "GET",
        "/api/verify/{code:str}/pdf",
        "documents",
        "/verify/{code}/pdf",
        summary="Descargar por su código un documento firmado de respuesta a un CTVC",
        tag=VERIFY,
    ),
    relay(
        "GET",
        "/.well-known/jwks.json",
        "identity",
        "/.well-known/jwks.json",
        summary="Claves públicas de los tokens (JWKS)",
        tag=SESSION,
    ),
]


ACCOUNTS = "Cuentas del personal"
# Identity itself refuses every caller but a live ADMIN; the gateway only asks for a session.
ACCOUNT_ROUTES = [
    relay(
        "POST",
        "/api/staff-accounts",
        "identity",
        "/staff-accounts",
        summary="Crear una cuenta del personal (CTVC, analista o evaluador)",
        tag=ACCOUNTS,
        caller="session",
    ),
    relay(
        "GET",
        "/api/staff-accounts",
        "identity",
        "/staff-accounts",
        summary="Cuentas del personal",
        tag=ACCOUNTS,
        caller="session",
    ),
    relay(
        "POST",
        "/api/staff-accounts/{staff_id:uuid}/revoke",
        "identity",
        "/staff-accounts/{staff_id}/revoke",
        summary="Revocar una cuenta del personal",
        tag=ACCOUNTS,
        caller="session",
    ),
    relay(
        "POST",
        "/api/accounts/{username:str}/unlock",
        "identity",
        "/accounts/{username}/unlock",
        summary="Desbloquear una cuenta que esperaba tras intentos fallidos de inicio de sesión",
        tag=ACCOUNTS,
        caller="session",
    ),
]


def padron(method: str, path: str, summary: str, **options: Any) -> HTTPRouteHandler:
    """A padrón route: any active session; padrón scopes every answer by the token it is passed."""
    target = "/padron" + path.replace(":uuid}", "}").replace(":str}", "}")
    return relay(
        method,
        "/api/padron" + path,
        "padron",
        target,
        summary=summary,
        tag=PADRON,
        caller="session",
        stream=method != "GET",
        **options,
    )


BID, AID = "/beneficiaries/{beneficiary_id:uuid}", "{authorization_id:uuid}"
PADRON_ROUTES = [
    padron("GET", "/summary", "Resumen del padrón en la jurisdicción de la cuenta"),
    padron("GET", "/regions/{region:str}/summary", "Resumen de una región, por provincia y distrito"),
    padron("GET", "/districts/{code:str}/summary", "Resumen de un distrito"),
    padron("GET", "/beneficiaries", "Beneficiarios de un distrito, por páginas"),
    padron("GET", "/beneficiaries.csv", "Beneficiarios de un distrito en CSV"),
    padron("GET", "/beneficiaries/{beneficiary_id:str}", "Ficha de un beneficiario"),
    padron("POST", "/beneficiaries", "Afiliar un beneficiario (personal del programa)"),
    padron("POST", f"{BID}/status", "Suspender, desafiliar o reactivar a un beneficiario (personal del programa)"),
    padron("GET", "/categories", "Personas del padrón por categoría, por páginas"),
    padron("GET", "/categories.csv", "Personas del padrón por categoría en CSV"),
    padron("GET", "/access-log", "Registro de accesos a datos personales (Ley 29733)"),
    padron("POST", "/versions", "Publicar el padrón de un periodo (personal del programa)"),
    padron("GET", "/versions", "Versiones publicadas del padrón con sus totales"),
    padron("GET", "/versions/{period:str}", "Totales de una versión por categoría y por región"),
    padron("POST", f"{BID}/authorizations", "Otorgar una autorización de cobro"),
    padron("GET", f"{BID}/authorizations", "Autorizaciones de cobro e historial"),
    padron("POST", f"/authorizations/{AID}/renew", "Renovar una autorización de cobro"),
    padron("POST", f"/authorizations/{AID}/revoke", "Revocar una autorización de cobro"),
    padron("POST", "/affiliation-requests", "Enviar una solicitud de afiliación"),
    padron("GET", "/affiliation-requests", "Solicitudes de afiliación de su jurisdicción, por páginas"),
    padron(
        "POST", "/affiliation-requests/{affiliation_id:uuid}/decision", "Decidir una solicitud de afiliación (personal)"
    ),
    padron("POST", f"{BID}/alerts", "Registrar una alerta"),
    padron("GET", "/alerts", "Alertas de su jurisdicción (más recientes primero)"),
    padron("POST", "/alerts/{alert_id:uuid}/attend", "Dar por atendida una alerta"),
    padron("POST", f"{BID}/fad", "Presentar una FAD"),
    padron("GET", "/fad", "FAD de su jurisdicción (más recientes primero)"),
    padron("GET", "/fad/{fad_id:uuid}", "Una FAD con su historial antes/después"),
    padron("POST", "/fad/{fad_id:uuid}/decision", "Aprobar o rechazar una FAD (personal)"),
    padron(
        "POST",
        "/imports",
        "Importar beneficiarios desde CSV, todo o nada (personal)",
        upload="csv",
        request_max_body_size=PADRON_MAX_BODY,
    ),
]


@get(
    "/api/access-requests/{request_id:uuid}/ddc",
    summary="Descargar el DDC prellenado",
    tags=[REQUEST],
    operation_id="get_access_requests_by_request_id_ddc",
    opt={"service": "documents", "target": "/requests/{request_id}/ddc", "caller": "anyone"},
)
async def download_ddc(request: Request, state: State) -> Response[Any]:
    # Access knows the current attempt the moment it changes; documents only once AccessRequested
    # reaches it. Asking access first is what keeps the previous attempt's DDC from being served.
    request_id = str(request.path_params["request_id"])
    svc = services(state)
    attempt = await svc.current_attempt(request_id, "download")
    if isinstance(attempt, Response):
        return attempt
    return await svc.forward("documents", request, f"/requests/{request_id}/ddc", params={"attempt": str(attempt)})


@post(
    "/api/access-requests/{request_id:uuid}/documents",
    summary="Subir el DDC firmado o el documento de designación (PDF, máx. 10 MB)",
    tags=[REQUEST],
    request_max_body_size=11 * 1024 * 1024,
    operation_id="post_access_requests_by_request_id_documents",
    opt={"service": "documents", "target": "/requests/{request_id}/documents", "caller": "anyone", "upload": "pdf"},
)
async def upload_document(request: Request, state: State) -> Response[Any]:
    request_id = str(request.path_params["request_id"])
    svc = services(state)
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > svc.max_upload_bytes + MULTIPART_FRAMING:
        raise GatewayError(status_code=413, detail="El archivo supera el límite de 10 MB.")
    # An upload access would not count (not sent, observed, decided, or its attempt's DDC not
    # generated yet) is refused here, before anything is stored.
    attempt = await svc.current_attempt(request_id, "upload")
    if isinstance(attempt, Response):
        return attempt
    params = {"attempt": str(attempt)}
    if "kind" in request.query_params:
        params["kind"] = request.query_params["kind"]
    return await svc.forward(
        "documents", request, f"/requests/{request_id}/documents", body=svc.limited_stream(request), params=params
    )


@get(
    "/api/evaluation/{request_id:uuid}/documents/{kind:str}",
    summary="Ver el DDC firmado o la designación que subió el solicitante (personal evaluador)",
    tags=[EVALUATION],
    operation_id="get_evaluation_by_request_id_documents_by_kind",
    opt={"service": "documents", "target": "/requests/{request_id}/documents/{kind}", "caller": "evaluator"},
)
async def uploaded_document(request: Request, state: State) -> Response[Any]:
    request_id, kind = str(request.path_params["request_id"]), request.path_params["kind"]
    svc = services(state)
    await svc.caller(request, EVALUATORS)
    # The current attempt as access says it: what a corrected request sent earlier is not shown as current.
    attempt = await svc.current_attempt(request_id, "download")
    if isinstance(attempt, Response):
        return attempt
    params = {"attempt": str(attempt)}
    if "sha256" in request.query_params:  # the version access counted, as the evaluator's page names it
        params["sha256"] = request.query_params["sha256"]
    return await svc.forward("documents", request, f"/requests/{request_id}/documents/{kind}", params=params)


@get(
    "/api/me",
    summary="Quién soy: la cuenta de la sesión",
    tags=[SESSION],
    operation_id="get_me",
    opt={"caller": "session"},
)
async def me(request: Request, state: State) -> dict[str, Any]:
    claims, _ = await services(state).caller(request)
    return claims


PROXY_KEY_HEADER = "x-contigo-proxy-key"
CLIENT_HEADER = "x-contigo-client"


def client_of(proxy_key: str) -> Callable[[Request], str]:
    """Whom the rate limit counts: the address the web application vouches for, with the shared key;
    anyone else's own address (a header without the key is ignored, so it cannot be forged)."""

    def identify(request: Request) -> str:
        direct = request.client.host if request.client else "127.0.0.1"
        sent_key = request.headers.get(PROXY_KEY_HEADER, "")
        relayed = request.headers.get(CLIENT_HEADER, "")
        if proxy_key and relayed and hmac.compare_digest(sent_key.encode(), proxy_key.encode()):
            return f"via-web:{relayed}"
        return direct

    return identify


def api_router(rate_limit_per_minute: int, proxy_key: str = "", more: Sequence[HTTPRouteHandler] = ()) -> Router:
    """The public API; ``more`` adds the routes other modules build on :func:`relay` (the cases service's)."""
    limit = RateLimitConfig(rate_limit=("minute", rate_limit_per_minute), identifier_for_request=client_of(proxy_key))
    limited = Router(
        path="/",
        route_handlers=LIMITED,
        middleware=[limit.middleware],
        opt={"rate_limited": True},
    )
    return Router(
        path="/",
        route_handlers=[
            limited,
            *REQUESTS,
            download_ddc,
            upload_document,
            uploaded_document,
            me,
            *ACCOUNT_ROUTES,
            *PADRON_ROUTES,
            *more,
        ],
    )

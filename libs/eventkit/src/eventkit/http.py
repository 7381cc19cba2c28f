"""The HTTP pieces every service shares: ``/health``, Spanish refusals, the table of domain errors, the app factory."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

import msgspec
import structlog
from litestar import Litestar, Request, get
from litestar.datastructures import State
from litestar.exceptions import HTTPException, ValidationException
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import OpenAPIMediaType, OpenAPIResponse, Operation, Reference
from litestar.response import Response

from eventkit.errors import POSTGRES_DOWN, DependencyUnavailableError, NotReadyError, unavailable
from eventkit.host import ServiceHost

log = structlog.get_logger(__name__)

if TYPE_CHECKING:
    from authkit import Verifier
    from eventkit.clock import Clock


def health_payload(service: str, results: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """``ok`` (200), ``degraded`` (200: it works, but something waits for a person) or ``unavailable`` (503)."""
    down = any(not r.ok and not getattr(r, "degraded", False) for r in results.values())
    degraded = not down and any(not r.ok for r in results.values())
    status = "unavailable" if down else "degraded" if degraded else "ok"
    checks: dict[str, Any] = {}
    for name, r in results.items():
        checks[name] = {"ok": r.ok, "detail": r.detail} | ({"degraded": True} if getattr(r, "degraded", False) else {})
    return (503 if down else 200), {"service": service, "status": status, "checks": checks}


class UserError(Exception):
    """A refusal a person reads: a Spanish message, an HTTP status, and per-field messages.

    Rendered as ``{"detail": "...", "errors": {"field.path": "..."}}``.
    """

    def __init__(self, detail: str, status: int = 422, errors: dict[str, str] | None = None):
        super().__init__(detail)
        self.detail = detail
        self.status = status
        self.errors = errors or {}


class ErrorBody(msgspec.Struct, omit_defaults=True):
    """Every refusal's body: a Spanish ``detail`` and, for a form, a message per field."""

    detail: str
    errors: dict[str, str] | None = None


REFUSALS = {
    400: "La solicitud no es válida.",
    401: "Falta la sesión o expiró.",
    403: "La cuenta no tiene permiso para esta acción.",
    404: "No existe.",
    409: "No se puede en el estado actual.",
    413: "El archivo supera el límite permitido.",
    422: "Hay datos que faltan o no son válidos (``errors`` nombra cada campo).",
    429: "Demasiadas solicitudes; espere un minuto.",
    503: "El servicio está iniciando o una dependencia no responde; reintente.",
}


def refusals(*statuses: int, **described: str) -> dict[int, ResponseSpec]:
    """The ``responses=`` of a route: each refusal it can answer, with :class:`ErrorBody` and a Spanish description.

    ``refusals(404, 422)`` uses the kit's descriptions; ``refusals(409, r409="Ya fue enviada.")`` says
    what a status means for that route. 503 (not ready / a dependency down) is always listed.
    """
    codes = {*statuses, *(int(k.lstrip("r")) for k in described), 503}
    return {
        code: ResponseSpec(
            data_container=ErrorBody,
            description=described.get(f"r{code}", REFUSALS.get(code, SPANISH.get(code, "Rechazo."))),
            generate_examples=False,
        )
        for code in sorted(codes)
    }


@dataclass
class ServiceOperation(Operation):
    """An operation whose refusals are the ones the kit answers, all with :class:`ErrorBody`.

    Litestar documents a 400 "Validation Exception" on every route with a parameter, in its own body
    shape; the kit answers a refused value 422 (:func:`validation_error_response`). So the generic
    400 goes, except where a body can be sent that is not JSON at all; routes list the rest
    (``responses=refusals(...)``), which replace Litestar's own.
    """

    def __post_init__(self) -> None:
        found = (self.responses or {}).get("400")
        if found is None or getattr(found, "description", "") != HTTPStatus.BAD_REQUEST.description:
            return
        if self.request_body is None:
            del self.responses["400"]
        else:
            self.responses["400"] = OpenAPIResponse(
                description=NOT_JSON,
                content={"application/json": OpenAPIMediaType(schema=Reference(ref="#/components/schemas/ErrorBody"))},
            )


def user_error_response(_request: Request, exc: UserError) -> Response[dict[str, Any]]:
    body: dict[str, Any] = {"detail": exc.detail}
    if exc.errors:
        body["errors"] = exc.errors
    return Response(body, status_code=exc.status)


SPANISH = {
    400: "La solicitud no es válida.",
    401: "Inicie sesión para continuar.",
    403: "No tiene permiso para esta acción.",
    404: "No encontrado.",
    405: "Método no permitido.",
    413: "El archivo supera el límite permitido.",
    429: "Demasiadas solicitudes; espere un minuto e intente nuevamente.",
    500: "Ocurrió un error interno; intente nuevamente en unos minutos.",
    503: "El servicio no está disponible; intente nuevamente en unos minutos.",
}


ErrorEntry = int | tuple[int, str | None]
"""A status alone (the error's own message is the answer) or ``(status, message)`` (the table's message)."""


def _route_name(request: Request) -> str:
    handler = request.scope.get("route_handler")
    return getattr(handler, "handler_name", "") or "unknown"


class ErrorTable:
    """One table from domain errors to HTTP answers, instead of ``except`` chains in routes.

    ``ErrorTable({NotFoundError: (404, "Solicitud no encontrada."), ConflictError: 409})``.
    The domain raises plain exceptions (it imports no framework); the table says what each
    means to a person: its status, and the Spanish ``detail`` — the table's message, or the
    error's own when the entry gives none. An error with an ``errors`` mapping (per-field
    messages, like :class:`UserError`) is rendered ``{"detail": ..., "errors": {...}}``.
    A subclass is answered as its nearest listed ancestor.
    """

    def __init__(self, entries: Mapping[type[Exception], ErrorEntry]):
        self.entries = {kind: entry if isinstance(entry, tuple) else (entry, None) for kind, entry in entries.items()}

    def __or__(self, other: ErrorTable) -> ErrorTable:
        return ErrorTable({**self.entries, **other.entries})

    def answer(self, exc: Exception) -> tuple[int, dict[str, Any]]:
        """The status and body for ``exc`` (which must be of a listed kind)."""
        kind = next(k for k in type(exc).__mro__ if k in self.entries)
        status, message = self.entries[kind]
        body: dict[str, Any] = {"detail": message or str(exc) or SPANISH.get(status, SPANISH[400])}
        errors = getattr(exc, "errors", None)
        if isinstance(errors, Mapping) and errors:
            body["errors"] = dict(errors)
        return status, body

    def exception_handlers(self) -> dict[type[Exception], Callable[[Request, Exception], Response[dict[str, Any]]]]:
        """The table as Litestar ``exception_handlers``."""

        def respond(request: Request, exc: Exception) -> Response[dict[str, Any]]:
            status, body = self.answer(exc)
            # The route's name and the error's kind, never the path or the message: they may hold a DNI.
            log.info("request_refused", status=status, error=type(exc).__name__, route=_route_name(request))
            return Response(body, status_code=status)

        return dict.fromkeys(self.entries, respond)


NOT_JSON = "El cuerpo de la solicitud no es JSON válido."
_KINDS = {
    "str": "un texto",
    "int": "un número entero",
    "float": "un número",
    "bool": "verdadero o falso",
    "object": "un objeto",
    "array": "una lista",
    "uuid": "un identificador (UUID)",
    "date": "una fecha (AAAA-MM-DD)",
    "datetime": "una fecha y hora (ISO 8601)",
}
_MISSING = re.compile(r"missing required field `([^`]+)`")
_UNKNOWN = re.compile(r"unknown field `([^`]+)`")
_EXPECTED = re.compile(r"Expected `([a-z]+)")
_LENGTH = re.compile(r"of length ([<>]=) (\d+)")
_BOUND = re.compile(r"`[a-z]+` ([<>]=?) (-?[\d.]+)")


def field_message(message: str) -> str:
    """A decoder's English complaint about one value, said in Spanish to the person who typed it."""
    if message.startswith("Invalid enum value"):
        return "Valor no permitido."
    if length := _LENGTH.search(message):
        most = "<" in length.group(1)
        return f"Debe tener {'como máximo' if most else 'al menos'} {length.group(2)} caracteres."
    if bound := _BOUND.search(message):
        return f"Debe ser {'como máximo' if '<' in bound.group(1) else 'al menos'} {bound.group(2)}."
    if "does not match" in message or "matching regex" in message:
        return "El formato no es válido."
    if (expected := _EXPECTED.search(message)) and expected.group(1) in _KINDS:
        return f"Debe ser {_KINDS[expected.group(1)]}."
    return "Valor no válido."


def validation_error_response(_request: Request, exc: ValidationException) -> Response[dict[str, Any]]:
    """A body, query or path value the route's types refuse: 422 naming each field, in Spanish.

    Routes declare ``data: SomeStruct`` (so the OpenAPI document shows the body) and Litestar's
    decoder refuses what does not fit; this says so the way :class:`UserError` does. A body that is
    not JSON at all is a 400.
    """
    problems = [p for p in (exc.extra if isinstance(exc.extra, list) else []) if isinstance(p, dict)]
    if not problems:
        detail = NOT_JSON if "JSON" in str(exc.detail) else SPANISH[400]
        return Response({"detail": detail}, status_code=400)
    errors: dict[str, str] = {}
    missing = False
    for problem in problems:
        message, key = str(problem.get("message", "")), str(problem.get("key", ""))
        key = "" if key == "data" else key
        if found := _MISSING.search(message):
            missing = True
            errors[".".join(k for k in (key, found.group(1)) if k)] = "Este dato es obligatorio."
        elif found := _UNKNOWN.search(message):
            errors[".".join(k for k in (key, found.group(1)) if k)] = "Este dato no se acepta aquí."
        elif message == "'data'" or (not key and problem.get("source") == "body"):
            errors["body"] = "Envíe los datos en formato JSON." if message == "'data'" else field_message(message)
        else:
            errors[key or "body"] = field_message(message)
    detail = "Faltan datos en el formulario." if missing else "Hay datos con un formato no válido."
    return Response({"detail": detail, "errors": errors}, status_code=422)


def framework_error_response(request: Request, exc: Exception) -> Response[dict[str, Any]]:
    """The framework's own refusals (unknown path, bad path parameter, ...) in Spanish too.

    An unexpected error is logged (its kind, where, and the trace) before the person reads the
    Spanish 500: Litestar itself logs exceptions only in debug mode.
    """
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    if status >= 500 and not isinstance(exc, HTTPException):
        log.error("unexpected_error", route=_route_name(request), error=type(exc).__name__, exc_info=exc)
    if status == 400 and any(w in str(getattr(exc, "detail", "")) for w in ("JSON is malformed", "truncated")):
        return Response({"detail": NOT_JSON}, status_code=400)
    return Response({"detail": SPANISH.get(status, SPANISH[400])}, status_code=status)


UNAVAILABLE = {
    "postgres": "La base de datos no está disponible; intente nuevamente en unos minutos.",
    "object_store": "El almacén de documentos no está disponible; intente nuevamente en unos minutos.",
    "kafka": "El servicio de mensajería no está disponible; intente nuevamente en unos minutos.",
    "smtp": "El servidor de correo no está disponible; intente nuevamente en unos minutos.",
}
"""What a person reads when a dependency is down, by the name :class:`DependencyUnavailableError` gives it."""


def dependency_unavailable_response(request: Request, exc: Exception) -> Response[dict[str, Any]]:
    """A dependency that cannot be reached is the service being unavailable, not an internal error: 503 at once,
    saying which one in Spanish (a service still connecting says only that it is not available yet).

    Handles :class:`DependencyUnavailableError` and the driver's own connection errors that reach a route
    without passing through a unit of work.
    """
    outage = unavailable(exc) or DependencyUnavailableError("postgres", str(exc))
    log.warning("dependency_unavailable", route=_route_name(request), dependency=outage.dependency, error=outage.detail)
    detail = SPANISH[503] if isinstance(exc, NotReadyError) else UNAVAILABLE.get(outage.dependency, SPANISH[503])
    return Response({"detail": detail}, status_code=503, headers={"Retry-After": "30"})


def cleanup_error_response(request: Request, exc: ExceptionGroup[Exception]) -> Response[dict[str, Any]]:
    """A request whose dependencies failed to close: the unit of work found PostgreSQL gone under the route.

    Litestar throws a route's error into its generator dependencies (the request's unit of work) and
    groups what they raise instead; an outage among them is still an outage, anything else a 500.
    """
    for failure in _leaves(exc):
        if unavailable(failure) is not None:
            return dependency_unavailable_response(request, failure)
    return framework_error_response(request, exc)


def _leaves(group: BaseExceptionGroup[Exception]) -> list[Exception]:
    found: list[Exception] = []
    for failure in group.exceptions:
        found.extend(_leaves(failure) if isinstance(failure, BaseExceptionGroup) else [failure])
    return found


def create_service_app(
    host: ServiceHost,
    route_handlers: Sequence[Any] = (),
    *,
    title: str,
    errors: ErrorTable | None = None,
    verifier: Verifier | None = None,
    clock: Clock | None = None,
    dependencies: Mapping[str, Any] | None = None,
    **options: Any,
) -> Litestar:
    """A service's Litestar app: its routes, ``GET /health``, the host's lifespan and the kit's dependencies.

    Routes declare ``uow``, ``units``, ``claims``, ``clock`` or ``page`` by name
    (:func:`eventkit.providers.service_dependencies`; ``verifier`` checks ``claims``, ``clock``
    defaults to Lima's); ``dependencies`` adds the service's own. ``errors`` maps domain errors
    to answers. ``options`` go to ``Litestar`` (e.g. ``request_max_body_size``).
    """
    from eventkit.providers import service_dependencies  # providers need this module's UserError

    @get("/health", include_in_schema=True, summary="Estado del servicio y de sus dependencias")
    async def health() -> Response[dict[str, Any]]:
        status, body = health_payload(host.name, await host.health())
        return Response(body, status_code=status)

    app = Litestar(
        route_handlers=[health, *route_handlers],
        lifespan=[host.lifespan],
        openapi_config=OpenAPIConfig(title=title, version="0.1.0", path="/schema"),
        state=State({"host": host}),
        dependencies={**service_dependencies(verifier=verifier, clock=clock), **(dependencies or {})},
        exception_handlers={
            **(errors.exception_handlers() if errors else {}),
            UserError: user_error_response,
            ValidationException: validation_error_response,
            DependencyUnavailableError: dependency_unavailable_response,
            **dict.fromkeys(POSTGRES_DOWN, dependency_unavailable_response),
            ExceptionGroup: cleanup_error_response,
            HTTPException: framework_error_response,
            500: framework_error_response,
        },
        **options,
    )
    # Litestar has no app-wide operation class; the document is built lazily, so setting it here counts.
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            if getattr(handler, "operation_class", None) is Operation:
                handler.operation_class = ServiceOperation
    return app

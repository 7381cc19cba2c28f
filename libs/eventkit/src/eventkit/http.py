"""The HTTP pieces every service shares: ``/health`` and the app factory."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from litestar import Litestar, Request, get
from litestar.datastructures import State
from litestar.exceptions import HTTPException
from litestar.openapi.config import OpenAPIConfig
from litestar.response import Response

from eventkit.errors import DependencyUnavailableError
from eventkit.host import ServiceHost


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


def framework_error_response(_request: Request, exc: Exception) -> Response[dict[str, Any]]:
    """The framework's own refusals (unknown path, bad path parameter, ...) in Spanish too."""
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    return Response({"detail": SPANISH.get(status, SPANISH[400])}, status_code=status)


def dependency_unavailable_response(_request: Request, exc: DependencyUnavailableError) -> Response[dict[str, Any]]:
    """A dependency that cannot be reached is the service being unavailable, not an internal error."""
    return Response({"detail": SPANISH[503]}, status_code=503, headers={"Retry-After": "30"})


def create_service_app(
    host: ServiceHost, route_handlers: Sequence[Any] = (), *, title: str, **options: Any
) -> Litestar:
    """A service's Litestar app: its routes, ``GET /health``, and the host's lifespan.

    ``options`` go to ``Litestar`` (e.g. ``request_max_body_size``).
    """

    @get("/health", include_in_schema=True, summary="Service and dependency health")
    async def health() -> Response[dict[str, Any]]:
        status, body = health_payload(host.name, await host.health())
        return Response(body, status_code=status)

    return Litestar(
        route_handlers=[health, *route_handlers],
        lifespan=[host.lifespan],
        openapi_config=OpenAPIConfig(title=title, version="0.1.0", path="/schema"),
        state=State({"host": host}),
        exception_handlers={
            UserError: user_error_response,
            DependencyUnavailableError: dependency_unavailable_response,
            HTTPException: framework_error_response,
            500: framework_error_response,
        },
        **options,
    )

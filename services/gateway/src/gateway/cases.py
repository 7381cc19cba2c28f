"""The public routes of the cases service: CTVC oficios and cases, evidence, analysis, answers, trainings.

Any active session may call them; cases itself decides from the token who sees what (a CTVC its
region's oficios, staff every region) and refuses everyone else.
"""

from __future__ import annotations

from typing import Any

from litestar.handlers import HTTPRouteHandler

from gateway.routes import relay

CASES, TRAININGS = "Casos CTVC", "Capacitaciones"


def cases(method: str, path: str, summary: str, *, tag: str = CASES, **options: Any) -> HTTPRouteHandler:
    """A cases route: ``/api{path}`` answered by cases at ``{path}`` (path parameter types dropped)."""
    target = path.replace(":uuid}", "}").replace(":str}", "}")
    return relay(method, "/api" + path, "cases", target, summary=summary, tag=tag, caller="session", **options)


CASES_ROUTES: list[HTTPRouteHandler] = [
    cases("POST", "/oficios", "Registrar un oficio del CTVC con sus casos"),
    cases("GET", "/oficios", "Oficios de su región (CTVC) o de todas (personal); vencidos con overdue=true"),
    cases("GET", "/oficios/{oficio_id:uuid}", "Un oficio con sus casos, puntos críticos y línea de tiempo"),
    cases("POST", "/oficios/{oficio_id:uuid}/routing", "Derivar un oficio a una unidad (proveído, personal)"),
    cases("GET", "/cases/{case_id:uuid}/evidence", "Evidencia de un caso a una fecha, con sus fuentes (personal)"),
]

TRAININGS_ROUTES: list[HTTPRouteHandler] = [
    cases("GET", "/trainings/topics", "Temas del catálogo de capacitaciones", tag=TRAININGS),
    cases("POST", "/trainings/sessions", "Registrar una capacitación (personal)", tag=TRAININGS),
    cases("GET", "/trainings/sessions", "Capacitaciones registradas (personal)", tag=TRAININGS),
    cases(
        "POST",
        "/trainings/sessions/{session_id:uuid}/invitations",
        "Invitar distritos a una capacitación",
        tag=TRAININGS,
    ),
    cases(
        "POST",
        "/trainings/sessions/{session_id:uuid}/attendance",
        "Registrar la asistencia de una oficina",
        tag=TRAININGS,
    ),
    cases(
        "POST",
        "/trainings/attendance/import",
        "Importar asistencia desde CSV, todo o nada (personal)",
        tag=TRAININGS,
        stream=True,
        upload="csv",
        request_max_body_size=16 * 1024 * 1024,
    ),
]

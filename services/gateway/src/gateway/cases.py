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
    target = path
    for kind in (":uuid}", ":str}", ":int}"):
        target = target.replace(kind, "}")
    return relay(method, "/api" + path, "cases", target, summary=summary, tag=tag, caller="session", **options)


CASES_ROUTES: list[HTTPRouteHandler] = [
    cases("POST", "/oficios", "Registrar un oficio del CTVC con sus casos"),
    cases("GET", "/oficios", "Oficios de su región (CTVC) o de todas (personal); vencidos con overdue=true"),
    cases("GET", "/oficios/{oficio_id:uuid}", "Un oficio con sus casos, puntos críticos y línea de tiempo"),
    cases("POST", "/oficios/{oficio_id:uuid}/routing", "Derivar un oficio a una unidad (proveído, personal)"),
    cases("GET", "/cases/{case_id:uuid}/evidence", "Evidencia de un caso a una fecha, con sus fuentes (personal)"),
    cases("GET", "/cases", "Casos por fecha de vencimiento (un CTVC: los de su región)"),
    cases("GET", "/cases/report", "Reporte de casos por región, categoría, conclusión y días (personal)"),
    cases("GET", "/cases/{case_id:uuid}", "Un caso con su análisis y su respuesta"),
    cases("PUT", "/cases/{case_id:uuid}/analysis", "Guardar el análisis de un caso (borrador, personal)"),
    cases("POST", "/cases/{case_id:uuid}/resolution", "Resolver un caso: FUNDADO o INFUNDADO (personal)"),
    cases("POST", "/cases/{case_id:uuid}/actions/{position:int}", "Avance de una acción de mejora (personal)"),
    cases("POST", "/oficios/{oficio_id:uuid}/response", "Emitir la respuesta al oficio: informe, anexos y oficio"),
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

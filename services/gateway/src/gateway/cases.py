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


CASES_ROUTES: list[HTTPRouteHandler] = []

TRAININGS_ROUTES: list[HTTPRouteHandler] = []

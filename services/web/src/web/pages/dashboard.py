"""The panel: the account's jurisdiction in numbers, each block a bar chart followed by its table.

Staff see the country by region and may pick a region; a regional government sees its region by
province and district; a municipality its district; another ally the padrón's categories.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.params import FromQuery
from litestar.response import Template

from web.gateway import call, call_as, require
from web.pages.ally import ALLIES_AND_STAFF, REFUSALS, padron_line, query
from web.pages.charts import Bar, Chart, number
from web.pages.words import CATEGORIES, STATUSES

# Each block of the API's counts: its chart's title and its states in the order they are drawn.
BLOCKS: tuple[tuple[str, str, dict[str, str]], ...] = (
    ("beneficiaries", "Usuarios del programa por estado", STATUSES),
    (
        "authorizations",
        "Autorizaciones de cobro por estado",
        {"VIGENTE": "Vigente", "VENCIDA": "Vencida", "REVOCADA": "Revocada"},
    ),
    (
        "affiliation_requests",
        "Solicitudes de afiliación por resultado",
        {"CONFORME": "Conformes", "NO_CONFORME": "No conformes", "PENDIENTE": "Pendientes"},
    ),
    ("alerts", "Alertas por estado", {"ABIERTA": "Abiertas", "ATENDIDA": "Atendidas"}),
    ("fads", "FAD por estado", {"PENDIENTE": "Pendientes", "APROBADA": "Aprobadas", "RECHAZADA": "Rechazadas"}),
    ("padron_categories", "Personas del padrón publicado por categoría", CATEGORIES),
)
LEVELS = {"NACIONAL": "todo el país", "REGION": "la región", "DISTRITO": "el distrito"}


def charts(totals: dict[str, dict[str, int]]) -> list[Chart]:
    """A chart for each block the API counted for this account, in the panel's order."""
    found = []
    for key, title, states in BLOCKS:
        counts = totals.get(key)
        if counts is None:
            continue
        bars = tuple(Bar(label, int(counts.get(state, 0))) for state, label in states.items())
        found.append(Chart(key=key.replace("_", "-"), title=title, bars=bars))
    return found


def place_rows(places: list[dict[str, Any]], link: str = "") -> list[dict[str, Any]]:
    """A breakdown's rows: each place's users by status (and its total), with a link when it leads somewhere."""
    rows = []
    for place in places:
        counts = place.get("beneficiaries", {})
        rows.append(
            {
                "name": place["name"],
                "href": f"{link}{place['code']}" if link else "",
                "cells": [number(int(counts.get(s, 0))) for s in STATUSES] + [number(int(counts.get("total", 0)))],
            }
        )
    return rows


@get("/panel", include_in_schema=False, exception_handlers=REFUSALS)
async def dashboard(request: Request, region: FromQuery[str] = "") -> Template:
    account = require(request, *ALLIES_AND_STAFF)
    # Any account may ask for a region by address; the API answers only for the regions it covers.
    path = f"/api/padron/regions/{region}/summary" if region else "/api/padron/summary"
    summary = await call_as(request, account, "GET", path)
    breakdowns = []
    if summary.get("regions"):
        breakdowns.append(("Usuarios por región", "Región", place_rows(summary["regions"], "/panel?region=")))
    if summary.get("provinces"):
        breakdowns.append(("Usuarios por provincia", "Provincia", place_rows(summary["provinces"])))
    if summary.get("districts"):
        link = "/beneficiarios?ubigeo=" if account.is_staff else ""
        breakdowns.append(("Usuarios por distrito", "Distrito", place_rows(summary["districts"], link)))
    regions = await call(request, "GET", "/api/ubigeo/regions") if account.is_staff else []
    context = {
        "summary": summary,
        "place": summary["name"] if summary["level"] != "NACIONAL" else "Perú",
        "charts": charts(summary.get("totals", {})),
        "breakdowns": breakdowns,
        "statuses": list(STATUSES.values()),
        "padron_line": padron_line(summary.get("padron")),
        "regions": regions,
        "region": region,
        "national": "/panel" + query() if region and account.is_staff else "",
    }
    return Template(template_name="ally_dashboard.html", context=context)


ROUTES = [dashboard]

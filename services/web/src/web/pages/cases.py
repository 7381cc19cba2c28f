"""Casos CTVC: a CTVC's oficios and cases, filing a new oficio, and one oficio with its answer.

The CTVC files for its own region (the token's ``ubigeo`` is the two-digit region), so the district
select lists only that region's districts, grouped by province: one select per case, no JavaScript.
Rows are a fixed set of blank ones; "Agregar otro caso" / "Agregar punto crítico" / "Agregar otra
persona" are submit buttons that re-render the form with one more row and everything as typed.
Empty rows are dropped before the API sees them; its errors (by the path of what was sent) are
shown at the row they came from.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from litestar import Request, get, post
from litestar.datastructures import FormMultiDict
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from web.gateway import CTVC, RefusedError, call, call_as, require
from web.pages.staff import options, when
from web.pages.words import CASE_STATES, CONCLUSIONS, POINT_CATEGORIES
from web.sessions import Account

HOME = "/ctvc"
NEW = "/ctvc/oficios/nuevo"
# The blank rows a new form starts with, and how many the add buttons may reach.
CASE_ROWS, POINT_ROWS, PERSON_ROWS = 1, 2, 1
MOST_ROWS = 20
CASE_FIELDS = ("number", "ubigeo")
POINT_FIELDS = ("category", "description")
PERSON_FIELDS = ("role", "office", "names")
OFICIO_FIELDS = ("number", "sent_on", "sender")


def day(text: str | None) -> str:
    return date.fromisoformat(text).strftime("%d/%m/%Y") if text else "—"


def verify_href(code: str) -> str:
    return f"/verificar?{urlencode({'codigo': code})}"


def due_words(item: dict[str, Any]) -> str:
    """The due date with its mark in words (never colour alone)."""
    due = day(item.get("due_on"))
    if item.get("state") != "ABIERTO":
        return due
    if item.get("overdue"):
        return f"{due} (vencido)"
    left = item.get("days_left")
    if left == 0:
        return f"{due} (vence hoy)"
    return f"{due} (quedan {left} días)" if isinstance(left, int) else due


def documents_of(response: dict[str, Any] | None) -> list[dict[str, str]]:
    """The answer's documents, each with its verification link once issued."""
    if not response:
        return []
    return [
        {
            "title": d.get("title") or d["kind"],
            "number": d.get("number") or "",
            "code": d.get("code") or "",
            "href": verify_href(d["code"]) if d.get("code") else "",
        }
        for d in response.get("documents") or []
    ]


# --- Inicio del CTVC ------------------------------------------------------------------------------------


@get(HOME, include_in_schema=False)
async def ctvc_home(request: Request, enviado: FromQuery[str] = "") -> Template:
    account = require(request, *CTVC)
    oficios = await call_as(request, account, "GET", "/api/oficios", params={"limit": 100})
    cases = await call_as(request, account, "GET", "/api/cases", params={"limit": 200})
    answered: dict[str, dict[str, Any]] = {}
    for item in cases:
        if item.get("state") == "RESPONDIDO":
            answered[str(item["case_id"])] = await call_as(request, account, "GET", f"/api/cases/{item['case_id']}")
    rows = []
    for item in cases:
        detail = answered.get(str(item["case_id"])) or {}
        analysis = detail.get("analysis") or {}
        rows.append(
            item
            | {
                "state_label": CASE_STATES.get(item["state"], item["state"]),
                "due": due_words(item),
                "conclusion": CONCLUSIONS.get(analysis.get("conclusion") or "", ""),
                "justification": analysis.get("justification") or "",
                "documents": documents_of(detail.get("response")),
            }
        )
    oficio_rows = [
        o | {"sent": day(o.get("sent_on")), "due": day(o.get("due_on")) + (" (vencido)" if o.get("overdue") else "")}
        for o in oficios
    ]
    context = {"oficios": oficio_rows, "cases": rows, "sent": enviado}
    return Template("cases_ctvc_home.html", context=context)


# --- Nuevo oficio ---------------------------------------------------------------------------------------


async def districts_of(request: Request, region: str) -> list[dict[str, Any]]:
    """The region's districts grouped by province, for one select (INEI's lists, cached per process)."""
    groups = []
    for province in await call(request, "GET", f"/api/ubigeo/regions/{region}/provinces"):
        districts = await call(request, "GET", f"/api/ubigeo/provinces/{province['code']}/districts")
        groups.append({"name": province["name"], "options": districts})
    return groups


def _count(form: FormMultiDict, name: str, least: int) -> int:
    try:
        found = int(str(form.get(name, least)))
    except ValueError:
        found = least
    return max(least, min(found, MOST_ROWS))


def read_form(form: FormMultiDict) -> dict[str, Any]:
    """The form as typed: the oficio's fields and every row shown, blank ones included."""
    values: dict[str, Any] = {k: str(form.get(k, "")).strip() for k in OFICIO_FIELDS}
    cases = []
    for i in range(_count(form, "case_rows", CASE_ROWS)):
        prefix = f"cases-{i}"
        case: dict[str, Any] = {k: str(form.get(f"{prefix}-{k}", "")).strip() for k in CASE_FIELDS}
        case["points"] = [
            {k: str(form.get(f"{prefix}-points-{j}-{k}", "")).strip() for k in POINT_FIELDS}
            for j in range(_count(form, f"{prefix}-point_rows", POINT_ROWS))
        ]
        case["interviewees"] = [
            {k: str(form.get(f"{prefix}-interviewees-{j}-{k}", "")).strip() for k in PERSON_FIELDS}
            for j in range(_count(form, f"{prefix}-person_rows", PERSON_ROWS))
        ]
        cases.append(case)
    values["cases"] = cases
    return values


def blank_form() -> dict[str, Any]:
    return read_form(FormMultiDict())


def add_row(values: dict[str, Any], action: str) -> bool:
    """An "add" button: one more blank row where it says; False if the action is not one."""
    if action == "agregar_caso" and len(values["cases"]) < MOST_ROWS:
        values["cases"].append(read_form(FormMultiDict())["cases"][0])
        return True
    found = re.fullmatch(r"agregar_(punto|persona)-(\d+)", action)
    if not found or int(found.group(2)) >= len(values["cases"]):
        return action.startswith("agregar")
    case = values["cases"][int(found.group(2))]
    rows, fields = ("points", POINT_FIELDS) if found.group(1) == "punto" else ("interviewees", PERSON_FIELDS)
    if len(case[rows]) < MOST_ROWS:
        case[rows].append(dict.fromkeys(fields, ""))
    return True


def filled(row: dict[str, Any]) -> bool:
    return any(v for v in row.values() if isinstance(v, str))


def body_of(values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The API's body without the empty rows, and where each sent item's errors go (path prefix → id)."""
    where: dict[str, str] = {}
    cases = []
    for i, case in enumerate(values["cases"]):
        points = [(j, p) for j, p in enumerate(case["points"]) if filled(p)]
        people = [(j, p) for j, p in enumerate(case["interviewees"]) if filled(p)]
        if not filled(case) and not points and not people:
            continue
        sent = len(cases)
        where[f"cases.{sent}"] = f"cases-{i}"
        for n, (j, _) in enumerate(points):
            where[f"cases.{sent}.points.{n}"] = f"cases-{i}-points-{j}"
        for n, (j, _) in enumerate(people):
            where[f"cases.{sent}.interviewees.{n}"] = f"cases-{i}-interviewees-{j}"
        cases.append(
            {
                "number": case["number"],
                "ubigeo": case["ubigeo"],
                "points": [dict(p) for _, p in points],
                "interviewees": [
                    {"role": p["role"], "office": p["office"], "names": p["names"] or None} for _, p in people
                ],
            }
        )
    body = {"number": values["number"], "sent_on": values["sent_on"], "sender": values["sender"], "cases": cases}
    return body, where


FIRST_OF = {"cases": "cases-0-number", "region": "number"}


def field_of(path: str, where: dict[str, str]) -> str:
    """The id of the input that shows the API's error at ``path`` ("cases.1.points.0.category" → its row)."""
    if path in OFICIO_FIELDS:
        return path
    parts = path.split(".")
    for cut in range(len(parts), 0, -1):
        prefix = ".".join(parts[:cut])
        if prefix in where:
            rest = parts[cut:]
            if not rest:  # the whole row or list: its first input
                return where[prefix] + ("-category" if ".points." in prefix else "-number")
            if rest[0] == "points" and len(rest) == 1:
                return where[prefix] + "-points-0-category"
            if rest[0] == "interviewees" and len(rest) == 1:
                return where[prefix] + "-interviewees-0-role"
            return where[prefix] + "-" + "-".join(rest)
    return FIRST_OF.get(parts[0], "number")


async def new_page(
    request: Request, account: Account, values: dict[str, Any], errors: list[dict[str, str]], detail: str, status: int
) -> Template:
    region = str(account.claims.get("ubigeo") or "")[:2]
    context = {
        "values": values,
        "districts": await districts_of(request, region) if region else [],
        "categories": options(POINT_CATEGORIES),
        "errors": errors,
        "by_field": {e["field"]: e["message"] for e in errors},
        "detail": detail,
    }
    return Template("cases_ctvc_new.html", context=context, status_code=status)


@get(NEW, include_in_schema=False)
async def new_oficio(request: Request) -> Template:
    account = require(request, *CTVC)
    return await new_page(request, account, blank_form(), [], "", 200)


@post(NEW, include_in_schema=False, status_code=303)
async def file_oficio(request: Request) -> Template | Redirect:
    account = require(request, *CTVC)
    form = await request.form()
    values = read_form(form)
    action = str(form.get("accion", "enviar"))
    if add_row(values, action):
        return await new_page(request, account, values, [], "", 200)
    body, where = body_of(values)
    try:
        made = await call_as(request, account, "POST", "/api/oficios", json=body)
    except RefusedError as refused:
        errors = [{"field": field_of(k, where), "message": m} for k, m in refused.errors.items()]
        if not errors:
            errors = [{"field": "number", "message": refused.detail}]
        return await new_page(request, account, values, errors, refused.detail, 422)
    return Redirect(f"/ctvc/oficios/{made['oficio_id']}?enviado=1", status_code=303)


# --- Un oficio ------------------------------------------------------------------------------------------


async def read_oficio(request: Request, account: Account, oficio_id: UUID) -> dict[str, Any]:
    try:
        return await call_as(request, account, "GET", f"/api/oficios/{oficio_id}")
    except RefusedError as refused:
        if refused.status in (404, 422):
            raise NotFoundException() from None
        raise


def case_sections(oficio: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        case
        | {
            "state_label": CASE_STATES.get(case["state"], case["state"]),
            "timeline_rows": [
                [when(s["at"]), s["detail"] or s["step"], s.get("by_user") or "—"] for s in case["timeline"]
            ],
            "point_rows": [[str(n), p["category_label"], p["description"]] for n, p in enumerate(case["points"], 1)],
            "people_rows": [[p["role"], p["office"], p.get("names") or "—"] for p in case["interviewees"]],
        }
        for case in oficio.get("cases") or []
    ]


def oficio_rows(oficio: dict[str, Any]) -> list[dict[str, str]]:
    late = " (vencido)" if oficio.get("overdue") else ""
    return [
        {"key": "Número", "value": oficio["number"]},
        {"key": "Región", "value": oficio.get("region_name") or oficio["region"]},
        {"key": "Remitente", "value": oficio["sender"]},
        {"key": "Fecha del oficio", "value": day(oficio.get("sent_on"))},
        {"key": "Recibido el", "value": day(oficio.get("received_on"))},
        {"key": "Plazo de respuesta", "value": day(oficio.get("due_on")) + late},
        {"key": "Derivado a", "value": oficio.get("unit_name") or oficio.get("unit") or "Aún sin derivar"},
    ]


def answer_rows(analysis: dict[str, Any]) -> list[dict[str, str]]:
    rows = [
        {"key": "Conclusión", "value": CONCLUSIONS.get(analysis.get("conclusion") or "", "—")},
        {"key": "Justificación", "value": analysis.get("justification") or "—"},
    ]
    for action in analysis.get("actions") or []:
        owner = action.get("owner_name") or action.get("owner", "")
        status = action.get("status_label") or action.get("status", "")
        rows.append(
            {
                "key": f"Acción de mejora {action['position']}",
                "value": f"{action['description']} ({owner}, plazo {day(str(action['due_on']))}; {status})",
            }
        )
    return rows


@get("/ctvc/oficios/{oficio_id:uuid}", include_in_schema=False)
async def ctvc_oficio(request: Request, oficio_id: FromPath[UUID], enviado: FromQuery[str] = "") -> Template:
    account = require(request, *CTVC)
    oficio = await read_oficio(request, account, oficio_id)
    response = oficio.get("response")
    sections = case_sections(oficio)
    for section in sections:  # once answered, the CTVC sees each case's conclusion and actions
        if section["state"] == "RESPONDIDO":
            analysis = (await call_as(request, account, "GET", f"/api/cases/{section['case_id']}")).get("analysis")
            section["answer"] = answer_rows(analysis or {})
    context = {
        "oficio": oficio,
        "rows": oficio_rows(oficio),
        "cases": sections,
        "response": response,
        "documents": documents_of(response),
        "sent": enviado,
    }
    return Template("cases_ctvc_oficio.html", context=context)


ROUTES = [ctvc_home, new_oficio, file_oficio, ctvc_oficio]

"""Casos (analysts and administrators, under /gestion): the queue, one case's analysis, one oficio's
routing and answer, and the report.

The analysis form saves a draft (``PUT /api/cases/{id}/analysis``) with each critical point's finding
and the evidence items it cites; "Resolver el caso" saves it too and asks to confirm in a second
submit (no JavaScript), which resolves it. Rows of improvement actions are a fixed set of blank ones
plus an "add" button that re-renders the form as typed. The API's Spanish refusals are shown at the
input they name: ``findings.{i}`` and ``actions.{i}`` are indices of what was sent, mapped back here.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from litestar import Request, get, post
from litestar.datastructures import FormMultiDict
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from web.gateway import CASE_STAFF, RefusedError, call_as, require
from web.pages.cases import case_sections, day, documents_of, due_words, oficio_rows
from web.pages.staff import options, when
from web.pages.words import ACTION_STATES, CASE_STATES, CONCLUSIONS, EVIDENCE_GROUPS, UNITS
from web.sessions import Account

QUEUE = "/gestion/casos"
ACTION_ROWS = 2
MOST_ACTIONS = 20
RESPONSE_FIELDS = ("addressee", "author_name", "author_role", "director_name", "director_role")


async def _get(request: Request, account: Account, path: str, **kwargs: Any) -> Any:
    try:
        return await call_as(request, account, "GET", path, **kwargs)
    except RefusedError as refused:
        if refused.status in (404, 422):
            raise NotFoundException() from None
        raise


# --- La cola --------------------------------------------------------------------------------------------


@get(QUEUE, include_in_schema=False)
async def case_queue(request: Request, estado: FromQuery[str] = "") -> Template:
    account = require(request, *CASE_STAFF)
    state = estado if estado in CASE_STATES else ""
    query: dict[str, Any] = {"limit": 200} | ({"state": state} if state else {})
    items = await call_as(request, account, "GET", "/api/cases", params=query)
    rows = [
        item | {"state_label": CASE_STATES.get(item["state"], item["state"]), "due": due_words(item)}
        for item in sorted(items, key=lambda i: (i["due_on"], i["number"]))
    ]
    context = {"rows": rows, "states": options(CASE_STATES), "state": state}
    return Template("cases_queue.html", context=context)


# --- Un caso --------------------------------------------------------------------------------------------


def dated_label(dated: Any) -> str:
    """An evidence item's date as in Peru (dd/mm/aaaa), or as the API wrote it if it is not a plain date."""
    try:
        return day(str(dated))
    except ValueError:
        return str(dated or "—")


def evidence_groups(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The evidence by group, in the order of ``EVIDENCE_GROUPS`` (any other group last)."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        groups.setdefault(item["group"], []).append(item | {"dated_label": dated_label(item.get("dated"))})
    order = [g for g in EVIDENCE_GROUPS if g in groups] + [g for g in groups if g not in EVIDENCE_GROUPS]
    return [{"code": g, "label": EVIDENCE_GROUPS.get(g, g), "items": groups[g]} for g in order]


def values_of(case: dict[str, Any]) -> dict[str, Any]:
    """The form's values from the saved analysis (or blank), with the fixed blank action rows."""
    analysis = case.get("analysis") or {}
    findings = {f["point"]: f for f in analysis.get("findings") or []}
    actions = [
        {"description": a["description"], "owner": a["owner"], "due_on": str(a["due_on"])}
        for a in analysis.get("actions") or []
    ]
    actions += [dict.fromkeys(("description", "owner", "due_on"), "") for _ in range(ACTION_ROWS)]
    return {
        "findings": {
            p["position"]: {
                "text": findings.get(p["position"], {}).get("text", ""),
                "evidence": list(findings.get(p["position"], {}).get("evidence", [])),
            }
            for p in case["points"]
        },
        "conclusion": analysis.get("conclusion") or "",
        "justification": analysis.get("justification") or "",
        "actions": actions,
    }


def read_analysis(form: FormMultiDict, case: dict[str, Any]) -> dict[str, Any]:
    try:
        rows = max(1, min(int(str(form.get("action_rows", ACTION_ROWS))), MOST_ACTIONS))
    except ValueError:
        rows = ACTION_ROWS
    return {
        "findings": {
            p["position"]: {
                "text": str(form.get(f"finding-{p['position']}-text", "")).strip(),
                "evidence": [str(v) for v in form.getall(f"finding-{p['position']}-evidence", [])],
            }
            for p in case["points"]
        },
        "conclusion": str(form.get("conclusion", "")),
        "justification": str(form.get("justification", "")).strip(),
        "actions": [
            {k: str(form.get(f"action-{i}-{k}", "")).strip() for k in ("description", "owner", "due_on")}
            for i in range(rows)
        ],
    }


def analysis_body(values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The API's body and, for each sent index, the id prefix of its inputs."""
    where: dict[str, str] = {}
    findings = []
    for position, found in values["findings"].items():
        where[f"findings.{len(findings)}"] = f"finding-{position}"
        findings.append({"point": position, "text": found["text"], "evidence": found["evidence"]})
    actions = []
    for i, action in enumerate(values["actions"]):
        where[f"actions.{len(actions)}"] = f"action-{i}"
        actions.append(action)
    body = {
        "findings": findings,
        "conclusion": values["conclusion"] or None,
        "justification": values["justification"],
        "actions": actions,
    }
    return body, where


def analysis_errors(refused: RefusedError, where: dict[str, str]) -> list[dict[str, str]]:
    found = []
    for path, message in refused.errors.items():
        parts = path.split(".")
        if parts[0] in ("findings", "actions") and len(parts) >= 2 and ".".join(parts[:2]) in where:
            field = parts[2] if len(parts) > 2 else ("text" if parts[0] == "findings" else "description")
            field = "text" if parts[0] == "findings" and field == "point" else field
            found.append({"field": f"{where['.'.join(parts[:2])]}-{field}", "message": message})
        elif parts[0] == "points" and len(parts) == 2:
            found.append({"field": f"finding-{parts[1]}-text", "message": message})
        elif parts[0] in ("conclusion", "justification"):
            found.append({"field": parts[0], "message": message})
    return found or [{"field": "justification", "message": refused.detail}]


def case_rows(case: dict[str, Any]) -> list[dict[str, str]]:
    analysis = case.get("analysis") or {}
    rows = [
        {"key": "Oficio", "value": case["oficio_number"]},
        {"key": "Región", "value": case.get("region_name") or case["region"]},
        {"key": "Lugar", "value": case["place"]},
        {"key": "Estado", "value": CASE_STATES.get(case["state"], case["state"])},
        {"key": "Plazo de respuesta", "value": day(case["due_on"])},
    ]
    if analysis.get("resolved_at"):
        rows += [
            {"key": "Conclusión", "value": CONCLUSIONS.get(analysis.get("conclusion") or "", "—")},
            {"key": "Justificación", "value": analysis.get("justification") or "—"},
            {"key": "Resuelto el", "value": when(analysis["resolved_at"])},
            {"key": "Resuelto por", "value": analysis.get("resolved_by") or "—"},
        ]
    return rows


async def case_page(
    request: Request,
    account: Account,
    case_id: UUID,
    values: dict[str, Any] | None = None,
    errors: list[dict[str, str]] | None = None,
    *,
    confirm: bool = False,
    banner: str = "",
    status: int = 200,
) -> Template:
    case = await _get(request, account, f"/api/cases/{case_id}")
    evidence = await _get(request, account, f"/api/cases/{case_id}/evidence")
    items = evidence.get("items") or []
    analysis = case.get("analysis") or {}
    errors = errors or []
    context = {
        "case": case,
        "rows": case_rows(case),
        "groups": evidence_groups(items),
        "items": items,
        "as_of": day(str(evidence.get("as_of"))) if evidence.get("as_of") else "—",
        "open": case["state"] == "ABIERTO",
        "values": values or values_of(case),
        "units": options(UNITS),
        "action_states": options(ACTION_STATES),
        "actions": analysis.get("actions") or [],
        "findings": {f["point"]: f for f in analysis.get("findings") or []},
        "labels": {i["key"]: i["statement"] for i in items},
        "errors": errors,
        "by_field": {e["field"]: e["message"] for e in errors},
        "confirm": confirm,
        "banner": banner,
    }
    return Template("cases_case.html", context=context, status_code=status)


@get(f"{QUEUE}/{{case_id:uuid}}", include_in_schema=False)
async def case_detail(request: Request, case_id: FromPath[UUID], guardado: FromQuery[str] = "") -> Template:
    account = require(request, *CASE_STAFF)
    banners = {"1": "Borrador guardado.", "resuelto": "Caso resuelto.", "accion": "Estado de la acción guardado."}
    return await case_page(request, account, case_id, banner=banners.get(guardado, ""))


@post(f"{QUEUE}/{{case_id:uuid}}", include_in_schema=False, status_code=303)
async def save_analysis(request: Request, case_id: FromPath[UUID]) -> Template | Redirect:
    account = require(request, *CASE_STAFF)
    form = await request.form()
    action = str(form.get("accion", "guardar"))
    here = f"{QUEUE}/{case_id}"
    if action == "confirmar":
        try:
            await call_as(request, account, "POST", f"/api/cases/{case_id}/resolution")
        except RefusedError as refused:
            errors = analysis_errors(refused, {})
            return await case_page(request, account, case_id, errors=errors, status=refused.status)
        return Redirect(f"{here}?guardado=resuelto", status_code=303)
    case = await _get(request, account, f"/api/cases/{case_id}")
    values = read_analysis(form, case)
    if action == "agregar_accion":
        if len(values["actions"]) < MOST_ACTIONS:
            values["actions"].append(dict.fromkeys(("description", "owner", "due_on"), ""))
        return await case_page(request, account, case_id, values)
    body, where = analysis_body(values)
    try:
        await call_as(request, account, "PUT", f"/api/cases/{case_id}/analysis", json=body)
    except RefusedError as refused:
        errors = analysis_errors(refused, where)
        return await case_page(request, account, case_id, values, errors, status=refused.status)
    if action == "resolver":
        return await case_page(request, account, case_id, values, confirm=True, banner="Borrador guardado.")
    return Redirect(f"{here}?guardado=1", status_code=303)


@post(f"{QUEUE}/{{case_id:uuid}}/acciones/{{position:int}}", include_in_schema=False, status_code=303)
async def action_status(request: Request, case_id: FromPath[UUID], position: FromPath[int]) -> Template | Redirect:
    account = require(request, *CASE_STAFF)
    form = await request.form()
    body = {"status": str(form.get("status", "")), "note": str(form.get("note", "")).strip() or None}
    try:
        await call_as(request, account, "POST", f"/api/cases/{case_id}/actions/{position}", json=body)
    except RefusedError as refused:
        field = f"accion-{position}-" + ("note" if "note" in refused.errors else "status")
        message = refused.errors.get("note") or refused.errors.get("status") or refused.detail
        errors = [{"field": field, "message": message}]
        return await case_page(request, account, case_id, errors=errors, status=refused.status)
    return Redirect(f"{QUEUE}/{case_id}?guardado=accion", status_code=303)


# --- Un oficio ------------------------------------------------------------------------------------------


async def oficio_page(
    request: Request,
    account: Account,
    oficio_id: UUID,
    values: dict[str, str] | None = None,
    errors: list[dict[str, str]] | None = None,
    status: int = 200,
    banner: str = "",
) -> Template:
    oficio = await _get(request, account, f"/api/oficios/{oficio_id}")
    cases = oficio.get("cases") or []
    response = oficio.get("response")
    errors = errors or []
    context = {
        "oficio": oficio,
        "rows": oficio_rows(oficio),
        "cases": case_sections(oficio),
        "units": options(UNITS),
        "ready": bool(cases) and all(c["state"] == "RESUELTO" for c in cases) and not response,
        "response": response,
        "documents": documents_of(response),
        "values": values or {"unit": oficio.get("unit") or "", "routed_on": str(oficio.get("routed_on") or "")},
        "errors": errors,
        "by_field": {e["field"]: e["message"] for e in errors},
        "banner": banner,
    }
    return Template("cases_oficio.html", context=context, status_code=status)


@get("/gestion/oficios/{oficio_id:uuid}", include_in_schema=False)
async def staff_oficio(request: Request, oficio_id: FromPath[UUID], hecho: FromQuery[str] = "") -> Template:
    account = require(request, *CASE_STAFF)
    banners = {"derivado": "Oficio derivado.", "respuesta": "Respuesta solicitada."}
    return await oficio_page(request, account, oficio_id, banner=banners.get(hecho, ""))


def form_errors(refused: RefusedError, fields: tuple[str, ...]) -> list[dict[str, str]]:
    found = [{"field": k, "message": m} for k, m in refused.errors.items() if k in fields]
    return found or [{"field": fields[0], "message": refused.detail}]


@post("/gestion/oficios/{oficio_id:uuid}/derivar", include_in_schema=False, status_code=303)
async def route_oficio(request: Request, oficio_id: FromPath[UUID]) -> Template | Redirect:
    account = require(request, *CASE_STAFF)
    form = await request.form()
    values = {k: str(form.get(k, "")).strip() for k in ("unit", "routed_on")}
    try:
        await call_as(request, account, "POST", f"/api/oficios/{oficio_id}/routing", json=values)
    except RefusedError as refused:
        errors = form_errors(refused, ("unit", "routed_on"))
        return await oficio_page(request, account, oficio_id, values, errors, refused.status)
    return Redirect(f"/gestion/oficios/{oficio_id}?hecho=derivado", status_code=303)


@post("/gestion/oficios/{oficio_id:uuid}/respuesta", include_in_schema=False, status_code=303)
async def answer_oficio(request: Request, oficio_id: FromPath[UUID]) -> Template | Redirect:
    account = require(request, *CASE_STAFF)
    form = await request.form()
    values = {k: str(form.get(k, "")).strip() for k in RESPONSE_FIELDS}
    try:
        await call_as(request, account, "POST", f"/api/oficios/{oficio_id}/response", json=values)
    except RefusedError as refused:
        errors = form_errors(refused, RESPONSE_FIELDS)
        return await oficio_page(request, account, oficio_id, values, errors, refused.status)
    return Redirect(f"/gestion/oficios/{oficio_id}?hecho=respuesta", status_code=303)


# --- Reporte --------------------------------------------------------------------------------------------


@get(f"{QUEUE}/reporte", include_in_schema=False)
async def case_report(request: Request, anio: FromQuery[str] = "") -> Template:
    account = require(request, *CASE_STAFF)
    year = int(anio) if anio.isdigit() and len(anio) == 4 else date.today().year
    report = await call_as(request, account, "GET", "/api/cases/report", params={"year": year})
    days = report.get("days_to_answer") or {}
    context = {
        "year": year,
        "report": report,
        "regions": [
            [r["region_name"], str(r["cases"]), str(r["fundado"]), str(r["infundado"]), str(r["open"])]
            for r in report.get("by_region") or []
        ],
        "categories": [[c["label"], str(c["cases"])] for c in report.get("by_category") or []],
        "conclusions": [
            [CONCLUSIONS.get(c["conclusion"] or "", "Sin conclusión"), str(c["cases"])]
            for c in report.get("by_conclusion") or []
        ],
        "days": [
            ["Casos respondidos", str(days.get("answered", 0))],
            ["Mediana de días", "—" if days.get("median") is None else str(days["median"])],
            ["Máximo de días", "—" if days.get("max") is None else str(days["max"])],
        ],
    }
    return Template("cases_report.html", context=context)


ROUTES = [case_queue, case_report, case_detail, save_analysis, action_status, staff_oficio, route_oficio, answer_oficio]

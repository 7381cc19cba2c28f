"""Programme staff's queues under /gestion: alerts, FADs, affiliation requests, a new affiliate, the access log.

Every padrón action here is for programme staff (EVALUATOR or ADMIN alike: the padrón service checks
"staff", not a role), so every page is guarded the same way; the API scopes and refuses again anyway.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from litestar import Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from web.gateway import STAFF, RefusedError, call_as, require
from web.pages.words import ALERT_STATES, ALERT_TYPES, FAD_STATES, ROLES
from web.sessions import LIMA

# What a FAD can change, in the words of the FAD form.
FAD_FIELDS = {
    "address": "Dirección",
    "phone": "Teléfono",
    "contact_name": "Nombre del contacto",
    "contact_phone": "Teléfono del contacto",
    "authorized_person": "Autorizado/a al cobro",
}


def when(text: str | None) -> str:
    """An API date-time as a person in Lima reads it."""
    if not text:
        return "—"
    return datetime.fromisoformat(text).astimezone(LIMA).strftime("%d/%m/%Y %H:%M")


def options(labels: dict[str, str]) -> list[dict[str, str]]:
    return [{"code": code, "name": name} for code, name in labels.items()]


def page_query(after: str, state: str, limit: int = 25) -> dict[str, Any]:
    query: dict[str, Any] = {"limit": limit}
    if after:
        query["after"] = after
    if state:
        query["state"] = state
    return query


def next_href(path: str, answer: dict[str, Any], **kept: str) -> str:
    """The link to the next page, keeping the filters; empty on the last page."""
    if not answer.get("next"):
        return ""
    return f"{path}?{urlencode({k: v for k, v in kept.items() if v} | {'despues': answer['next']})}"


def summary(refusal: RefusedError, fields: dict[str, str], first: str) -> list[dict[str, str]]:
    """The API's refusal as the error summary: each field's error at its input, or the detail at ``first``."""
    found = [{"field": fields[k], "message": m} for k, m in refusal.errors.items() if k in fields]
    return found or [{"field": first, "message": refusal.detail}]


def person_of(item: dict[str, Any]) -> str:
    names = item.get("names") or "Usuario/a"
    return f"{names} (DNI {item['dni']})" if item.get("dni") else names


# --- Alertas --------------------------------------------------------------------------------------------


async def alerts_page(
    request: Request, estado: str, despues: str, refusal: RefusedError | None = None, done: str = ""
) -> Template:
    account = require(request, *STAFF)
    state = estado if estado in ALERT_STATES else ""
    answer = await call_as(request, account, "GET", "/api/padron/alerts", params=page_query(despues, state))
    rows = [
        item
        | {
            "when": when(item["raised_at"]),
            "person": person_of(item),
            "type": ALERT_TYPES.get(item["alert_type"], item["alert_type"]),
            "state_label": ALERT_STATES.get(item["state"], item["state"]),
        }
        for item in answer["items"]
    ]
    context = {
        "rows": rows,
        "states": options(ALERT_STATES),
        "state": state,
        "next": next_href("/gestion/alertas", answer, estado=state),
        "first": bool(despues),
        "errors": [{"field": "alertas", "message": refusal.detail}] if refusal else [],
        "done": done,
        "back": f"/gestion/alertas?{urlencode({'estado': state})}" if state else "/gestion/alertas",
    }
    return Template("staff_alerts.html", context=context, status_code=refusal.status if refusal else 200)


@get("/gestion/alertas", include_in_schema=False)
async def alert_queue(
    request: Request, estado: FromQuery[str] = "", despues: FromQuery[str] = "", atendida: FromQuery[str] = ""
) -> Template:
    return await alerts_page(request, estado, despues, done=atendida)


@post("/gestion/alertas/{alert_id:uuid}/atender", include_in_schema=False, status_code=303)
async def attend_alert(request: Request, alert_id: FromPath[UUID]) -> Template | Redirect:
    account = require(request, *STAFF)
    estado = str((await request.form()).get("estado", ""))
    try:
        await call_as(request, account, "POST", f"/api/padron/alerts/{alert_id}/attend")
    except RefusedError as exc:
        return await alerts_page(request, estado, "", exc)
    return Redirect(f"/gestion/alertas?{urlencode({'estado': estado, 'atendida': str(alert_id)})}", status_code=303)


# --- FAD ------------------------------------------------------------------------------------------------


@get("/gestion/fad", include_in_schema=False)
async def fad_queue(request: Request, estado: FromQuery[str] = "", despues: FromQuery[str] = "") -> Template:
    account = require(request, *STAFF)
    state = estado if estado in FAD_STATES else ""
    answer = await call_as(request, account, "GET", "/api/padron/fad", params=page_query(despues, state))
    rows = [
        item
        | {
            "when": when(item["submitted_at"]),
            "person": person_of(item),
            "state_label": FAD_STATES.get(item["state"], item["state"]),
            "fields": ", ".join(FAD_FIELDS.get(k, k) for k, v in (item.get("changes") or {}).items() if v),
        }
        for item in answer["items"]
    ]
    context = {
        "rows": rows,
        "states": options(FAD_STATES),
        "state": state,
        "next": next_href("/gestion/fad", answer, estado=state),
        "first": bool(despues),
    }
    return Template("staff_fad_queue.html", context=context)


def shown(field: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if field == "authorized_person" and isinstance(value, dict):
        return f"{value.get('names', '')} (DNI {value.get('dni', '')}), {value.get('relationship', '')}"
    return str(value)


def current_values(record: dict[str, Any]) -> dict[str, Any]:
    """What the beneficiary's record holds now, in the FAD's terms."""
    values: dict[str, Any] = {k: record.get(k) for k in ("address", "phone", "contact_name", "contact_phone")}
    current = record.get("authorization")
    if current and current.get("state") == "VIGENTE":
        values["authorized_person"] = {
            "names": current["collector_names"],
            "dni": current["collector_dni"],
            "relationship": current["relationship"],
        }
    return values


async def fad_page(
    request: Request, fad_id: UUID, values: dict[str, str] | None = None, refusal: RefusedError | None = None
) -> Template:
    account = require(request, *STAFF)
    try:
        fad = await call_as(request, account, "GET", f"/api/padron/fad/{fad_id}")
    except RefusedError as exc:
        raise NotFoundException() from exc
    changes = {k: v for k, v in (fad.get("changes") or {}).items() if v is not None}
    pending = fad["state"] == "PENDIENTE"
    before: dict[str, Any] = {}
    if pending:
        # Before a decision the FAD's history is empty: "before" is the record as it stands now.
        record = await call_as(request, account, "GET", f"/api/padron/beneficiaries/{fad['beneficiary_id']}")
        before = current_values(record)
    changed = [
        [FAD_FIELDS.get(k, k), shown(k, before.get(k)) if pending else "", shown(k, v)] for k, v in changes.items()
    ]
    history = [
        [FAD_FIELDS.get(h["field"], h["field"]), h.get("before_value") or "—", h.get("after_value") or "—",
         when(h.get("applied_at")), h.get("applied_by") or "—"]
        for h in fad.get("history") or []
    ]  # fmt: skip
    rows = [
        {"key": "Usuario/a", "value": fad.get("names") or "—"},
        {"key": "DNI", "value": fad.get("dni") or "—"},
        {"key": "Distrito (ubigeo)", "value": fad["ubigeo"]},
        {"key": "Presentada por", "value": fad["submitted_by"]},
        {"key": "Presentada el", "value": when(fad["submitted_at"])},
        {"key": "Estado", "value": FAD_STATES.get(fad["state"], fad["state"])},
    ]
    if not pending:
        rows += [
            {"key": "Decidida por", "value": fad.get("decided_by") or "—"},
            {"key": "Decidida el", "value": when(fad.get("decided_at"))},
            {"key": "Observación", "value": fad.get("decision_note") or "—"},
        ]
    errors = summary(refusal, {"approve": "decision", "note": "note"}, "decision") if refusal else []
    context = {
        "fad": fad,
        "rows": rows,
        "changed": changed,
        "pending": pending,
        "history": history,
        "values": values or {},
        "errors": errors,
        "by_field": {e["field"]: e["message"] for e in errors},
        "detail": refusal.detail if refusal and refusal.errors else "",
    }
    return Template("staff_fad.html", context=context, status_code=422 if refusal else 200)


@get("/gestion/fad/{fad_id:uuid}", include_in_schema=False)
async def fad_detail(request: Request, fad_id: FromPath[UUID]) -> Template:
    return await fad_page(request, fad_id)


@post("/gestion/fad/{fad_id:uuid}", include_in_schema=False, status_code=303)
async def decide_fad(request: Request, fad_id: FromPath[UUID]) -> Template | Redirect:
    account = require(request, *STAFF)
    form = await request.form()
    values = {"decision": str(form.get("decision", "")), "note": str(form.get("note", ""))}
    if values["decision"] not in ("aprobar", "rechazar"):
        refusal = RefusedError(422, "Revise la decisión.", {"approve": "Elija si aprueba o rechaza la FAD."})
        return await fad_page(request, fad_id, values, refusal)
    body = {"approve": values["decision"] == "aprobar", "note": values["note"].strip() or None}
    try:
        await call_as(request, account, "POST", f"/api/padron/fad/{fad_id}/decision", json=body)
    except RefusedError as exc:
        return await fad_page(request, fad_id, values, exc)
    return Redirect(f"/gestion/fad/{fad_id}", status_code=303)


# --- Registro de accesos (Ley 29733) ----------------------------------------------------------------------


@get("/gestion/registro-de-accesos", include_in_schema=False)
async def access_log(
    request: Request,
    usuario: FromQuery[str] = "",
    desde: FromQuery[str] = "",
    accion: FromQuery[str] = "",
    despues: FromQuery[str] = "",
) -> Template:
    account = require(request, *STAFF)
    values = {"usuario": usuario.strip(), "desde": desde.strip(), "accion": accion.strip().upper()}
    query: dict[str, Any] = {"limit": 50}
    for api_name, name in (("username", "usuario"), ("since", "desde"), ("action", "accion")):
        if values[name]:
            query[api_name] = values[name]
    if despues:
        query["after"] = despues
    errors: list[dict[str, str]] = []
    answer: dict[str, Any] = {"items": [], "next": None}
    status = 200
    try:
        answer = await call_as(request, account, "GET", "/api/padron/access-log", params=query)
    except RefusedError as exc:
        errors = summary(exc, {"since": "desde", "username": "usuario", "action": "accion"}, "desde")
        status = 422
    rows = [
        [
            when(item["at"]),
            item["username"],
            ROLES.get(item["role"], item["role"]),
            item["action"],
            item["resource"],
            "Sí" if item["allowed"] else "No (denegado)",
            "—" if item.get("records") is None else str(item["records"]),
        ]
        for item in answer["items"]
    ]
    context = {
        "values": values,
        "rows": rows,
        "errors": errors,
        "by_field": {e["field"]: e["message"] for e in errors},
        "next": next_href("/gestion/registro-de-accesos", answer, **values),
        "first": bool(despues),
    }
    return Template("staff_access_log.html", context=context, status_code=status)


ROUTES = [alert_queue, attend_alert, fad_queue, fad_detail, decide_fad, access_log]

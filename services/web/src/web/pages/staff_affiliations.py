"""Programme staff qualify the affiliation requests of local governments, and affiliate a beneficiary."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from litestar import Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from web.gateway import STAFF, RefusedError, call_as, require
from web.pages.staff import next_href, options, page_query, summary, when
from web.pages.words import AFFILIATION_STATES

DECISIONS = [
    {"value": "CONFORME", "label": "Conforme", "hint": "La solicitud cumple; se puede afiliar a la persona."},
    {"value": "NO_CONFORME", "label": "No conforme", "hint": "Indique las observaciones."},
]


async def affiliations_page(
    request: Request,
    estado: str,
    despues: str,
    refusal: RefusedError | None = None,
    failed: str = "",
    values: dict[str, str] | None = None,
    done: str = "",
) -> Template:
    account = require(request, *STAFF)
    state = estado if estado in AFFILIATION_STATES else ""
    answer = await call_as(
        request, account, "GET", "/api/padron/affiliation-requests", params=page_query(despues, state)
    )
    rows = [
        item
        | {
            "when": when(item["submitted_at"]),
            "decided": when(item.get("decided_at")),
            "state_label": AFFILIATION_STATES.get(item["state"], item["state"]),
        }
        for item in answer["items"]
    ]
    errors: list[dict[str, str]] = []
    if refusal:
        ids = {"state": f"decision-{failed}", "observations": f"observaciones-{failed}"}
        errors = summary(refusal, ids, f"decision-{failed}")
    context = {
        "rows": rows,
        "states": options(AFFILIATION_STATES),
        "state": state,
        "decisions": DECISIONS,
        "next": next_href("/gestion/afiliaciones", answer, estado=state),
        "first": bool(despues),
        "errors": errors,
        "by_field": {e["field"]: e["message"] for e in errors},
        "detail": refusal.detail if refusal and refusal.errors else "",
        "failed": failed,
        "values": values or {},
        "done": done,
    }
    return Template("staff_affiliations.html", context=context, status_code=422 if refusal else 200)


@get("/gestion/afiliaciones", include_in_schema=False)
async def affiliation_queue(
    request: Request, estado: FromQuery[str] = "", despues: FromQuery[str] = "", decidida: FromQuery[str] = ""
) -> Template:
    return await affiliations_page(request, estado, despues, done=decidida)


@post("/gestion/afiliaciones/{affiliation_id:uuid}/decision", include_in_schema=False, status_code=303)
async def decide_affiliation(request: Request, affiliation_id: FromPath[UUID]) -> Template | Redirect:
    account = require(request, *STAFF)
    form = await request.form()
    values = {"decision": str(form.get("decision", "")), "observaciones": str(form.get("observaciones", ""))}
    estado = str(form.get("estado", ""))
    failed = str(affiliation_id)
    if values["decision"] not in ("CONFORME", "NO_CONFORME"):
        refusal = RefusedError(422, "Revise la decisión.", {"state": "Elija si la solicitud es conforme o no."})
        return await affiliations_page(request, estado, "", refusal, failed, values)
    body = {"state": values["decision"], "observations": values["observaciones"].strip()}
    try:
        await call_as(
            request, account, "POST", f"/api/padron/affiliation-requests/{affiliation_id}/decision", json=body
        )
    except RefusedError as exc:
        return await affiliations_page(request, estado, "", exc, failed, values)
    query = urlencode({"estado": estado, "decidida": failed})
    return Redirect(f"/gestion/afiliaciones?{query}", status_code=303)


# --- Afiliar un beneficiario ----------------------------------------------------------------------------

# (API field, label, hint, input type); the requirements' refusals are shown at the field they depend on.
BENEFICIARY_FIELDS: list[tuple[str, str, str, str]] = [
    ("dni", "DNI", "8 dígitos.", "text"),
    ("names", "Apellidos y nombres", "Como en el DNI: APELLIDOS, NOMBRES.", "text"),
    ("birth_date", "Fecha de nacimiento", "", "date"),
    ("ubigeo", "Ubigeo del distrito", "6 dígitos, por ejemplo 040101.", "text"),
    ("address", "Dirección", "", "text"),
    ("phone", "Teléfono (opcional)", "", "tel"),
    ("contact_name", "Nombre del contacto (opcional)", "", "text"),
    ("contact_phone", "Teléfono del contacto (opcional)", "", "tel"),
    ("certificate_number", "Número del certificado de discapacidad", "", "text"),
    ("certificate_issuer", "Establecimiento que emitió el certificado", "", "text"),
    ("certificate_date", "Fecha del certificado", "", "date"),
    ("sisfoh_expires_on", "Vigencia de la clasificación SISFOH", "La fecha hasta la que está vigente.", "date"),
    ("bank_name", "Banco (opcional)", "", "text"),
    ("bank_account", "Número de cuenta (opcional)", "", "text"),
]
CHOICES = {
    "sex": ("Sexo", [{"code": "F", "name": "Femenino"}, {"code": "M", "name": "Masculino"}]),
    "certificate_severity": (
        "Grado de discapacidad del certificado",
        [{"code": c, "name": c.capitalize()} for c in ("LEVE", "MODERADA", "SEVERA")],
    ),
    "sisfoh_classification": (
        "Clasificación socioeconómica (SISFOH)",
        [
            {"code": "POBRE_EXTREMO", "name": "Pobre extremo"},
            {"code": "POBRE", "name": "Pobre"},
            {"code": "NO_POBRE", "name": "No pobre"},
        ],
    ),
}
REQUIREMENTS = {
    "requirements.discapacidad_severa": "certificate_severity",
    "requirements.sin_otra_pension_ni_ingresos": "other_pension",
    "requirements.pobreza_sisfoh_vigente": "sisfoh_classification",
}
OPTIONAL = {"phone", "contact_name", "contact_phone", "bank_name", "bank_account"}


def beneficiary_body(values: dict[str, str]) -> dict[str, Any]:
    body: dict[str, Any] = {}
    for name in [f[0] for f in BENEFICIARY_FIELDS] + list(CHOICES):
        value = values.get(name, "").strip()
        if value or name not in OPTIONAL:
            body[name] = value
    body["other_pension"] = values.get("other_pension") == "si"
    return body


def beneficiary_form(values: dict[str, str], refusal: RefusedError | None = None) -> Template:
    errors: dict[str, str] = {}
    if refusal:
        for key, message in refusal.errors.items():
            field = REQUIREMENTS.get(key, key)
            errors[field] = f"{errors[field]} {message}" if field in errors else message
    order = [f[0] for f in BENEFICIARY_FIELDS[:3]] + ["sex"] + [f[0] for f in BENEFICIARY_FIELDS[3:]]
    order += ["certificate_severity", "sisfoh_classification", "other_pension"]
    known = [{"field": f, "message": errors[f]} for f in order if f in errors]
    unknown = [{"field": "dni", "message": m} for f, m in errors.items() if f not in order]
    summary_rows = known + unknown or ([{"field": "dni", "message": refusal.detail}] if refusal else [])
    context = {
        "fields": BENEFICIARY_FIELDS,
        "choices": CHOICES,
        "values": values,
        "errors": errors,
        "summary": summary_rows,
        "detail": refusal.detail if refusal and errors else "",
    }
    return Template("staff_beneficiary_new.html", context=context, status_code=422 if refusal else 200)


@get("/gestion/beneficiarios/nuevo", include_in_schema=False)
async def new_beneficiary(request: Request) -> Template:
    require(request, *STAFF)
    return beneficiary_form({})


@post("/gestion/beneficiarios/nuevo", include_in_schema=False, status_code=303)
async def affiliate_beneficiary(request: Request) -> Template | Redirect:
    account = require(request, *STAFF)
    values = {k: str(v) for k, v in (await request.form()).items() if k != "_csrf_token"}
    try:
        created = await call_as(request, account, "POST", "/api/padron/beneficiaries", json=beneficiary_body(values))
    except RefusedError as exc:
        return beneficiary_form(values, exc)
    return Redirect(f"/gestion/beneficiarios/afiliado?{urlencode({'id': created['id']})}", status_code=303)


@get("/gestion/beneficiarios/afiliado", include_in_schema=False)
async def beneficiary_affiliated(request: Request, id: FromQuery[str] = "") -> Template:
    require(request, *STAFF)
    return Template("staff_beneficiary_done.html", context={"id": id})


ROUTES = [affiliation_queue, decide_affiliation, new_beneficiary, affiliate_beneficiary, beneficiary_affiliated]

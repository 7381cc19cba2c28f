"""A district's beneficiaries (the municipality's own; staff pick region, province and district) and
each one's ficha, with the forms an ally or staff may send about them.

Every form posts to its own address; on a refusal the ficha is shown again (422) with the refusal
at that form's inputs and in the error summary, every answer kept; on success, a 303 back to the
ficha with a banner saying what was done.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from web.gateway import STAFF, RefusedError, call, call_as, require
from web.pages.ally import (
    PAGE_SIZE,
    REFUSALS,
    csv_download,
    form_of,
    lima_date,
    options,
    query,
    refusal_summary,
)
from web.pages.words import ALERT_TYPES, AUTHORIZATION_STATES, STATUSES
from web.sessions import Account

LOCAL_AND_STAFF = ("ALLY", *STAFF)
LOCAL = ("GOBIERNO_LOCAL",)
STATUS_ACTIONS = {
    "SUSPENDIDO": ("Suspender", "Deja de recibir la pensión hasta que se reactive."),
    "DESAFILIADO": ("Desafiliar", "Es definitivo: no se puede reactivar después."),
    "VIGENTE": ("Reactivar", "Vuelve a estar vigente."),
}
SEX = {"F": "Femenino", "M": "Masculino"}
DONE = {
    "alerta": "Se registró la alerta. El programa la atenderá.",
    "fad": "Se presentó la FAD. El programa revisará los cambios propuestos antes de aplicarlos.",
    "autorizacion": "Se otorgó la autorización de cobro.",
    "renovacion": "Se renovó la autorización de cobro.",
    "revocacion": "Se revocó la autorización de cobro.",
    "estado": "Se cambió el estado del usuario.",
}
# Each form: the API's field names -> the ids of its inputs (the first one takes errors of no field).
ALERT_FIELDS = {"alert_type": "alerta-tipo", "detail": "alerta-detalle"}
FAD_FIELDS = {
    "changes.address": "fad-direccion",
    "changes.phone": "fad-telefono",
    "changes.contact_name": "fad-contacto",
    "changes.contact_phone": "fad-telefono-contacto",
    "changes.authorized_person.dni": "fad-autorizado-dni",
    "changes.authorized_person.names": "fad-autorizado-nombres",
    "changes.authorized_person.relationship": "fad-autorizado-parentesco",
    "changes.authorized_person": "fad-autorizado-dni",
    "changes": "fad-direccion",
}
GRANT_FIELDS = {
    "collector_dni": "otorgar-dni",
    "collector_names": "otorgar-nombres",
    "relationship": "otorgar-parentesco",
    "valid_from": "otorgar-desde",
    "valid_until": "otorgar-hasta",
}
STATUS_FIELDS = {"status": "estado", "reason": "estado-motivo", "status_reason": "estado-motivo"}


def _guard(request: Request) -> Account:
    return require(request, *LOCAL_AND_STAFF, ally_types=LOCAL)


async def places(request: Request, region: str, province: str) -> dict[str, list[dict[str, str]]]:
    """Staff's selects, each one once the one above it is chosen (GET forms, no script needed)."""
    found: dict[str, list[dict[str, str]]] = {"regions": await call(request, "GET", "/api/ubigeo/regions")}
    found["provinces"] = await call(request, "GET", f"/api/ubigeo/regions/{region}/provinces") if region else []
    codes = {p["code"] for p in found["provinces"]}
    found["districts"] = (
        await call(request, "GET", f"/api/ubigeo/provinces/{province}/districts") if province in codes else []
    )
    return found


def list_params(estado: str, ubigeo: str) -> dict[str, str]:
    return {k: v for k, v in {"status": estado, "ubigeo": ubigeo}.items() if v}


@get("/beneficiarios", include_in_schema=False, exception_handlers=REFUSALS)
async def beneficiaries_page(
    request: Request,
    estado: FromQuery[str] = "",
    ubigeo: FromQuery[str] = "",
    region: FromQuery[str] = "",
    provincia: FromQuery[str] = "",
    after: FromQuery[str] = "",
) -> Template:
    account = _guard(request)
    region, provincia = (region or ubigeo[:2]), (provincia or ubigeo[:4])
    picker = await places(request, region, provincia) if account.is_staff else None
    page = None
    # A municipality's list is its own district's; staff see one once they pick a district.
    if not account.is_staff or ubigeo:
        params = list_params(estado, ubigeo) | {"limit": str(PAGE_SIZE)} | ({"after": after} if after else {})
        page = await call_as(request, account, "GET", "/api/padron/beneficiaries", params=params)
    rows = [
        {
            "href": f"/beneficiarios/{item['beneficiary_id']}",
            "names": item["names"],
            "dni": item["dni"],
            "status": STATUSES.get(item["status"], item["status"]),
            "address": item.get("address") or "—",
            "affiliated_on": lima_date(item.get("affiliated_on")),
        }
        for item in (page["items"] if page else [])
    ]
    context = {
        "picker": picker,
        "region": region,
        "province": provincia,
        "ubigeo": ubigeo,
        "district": page["district"] if page else None,
        "statuses": options(STATUSES),
        "status": estado,
        "rows": rows,
        "next": query(estado=estado, ubigeo=ubigeo, after=page["next"]) if page and page.get("next") else "",
        "first": query(estado=estado, ubigeo=ubigeo) if after else "",
        "download": "/beneficiarios/descarga" + query(estado=estado, ubigeo=ubigeo),
    }
    return Template(template_name="ally_beneficiaries.html", context=context)


@get("/beneficiarios/descarga", include_in_schema=False, exception_handlers=REFUSALS)
async def beneficiaries_csv(request: Request, estado: FromQuery[str] = "", ubigeo: FromQuery[str] = "") -> Response:
    account = _guard(request)
    place = ubigeo or account.claims.get("ubigeo") or "distrito"
    name = f"beneficiarios-{place}{'-' + estado.lower() if estado else ''}.csv"
    return await csv_download(request, account, "/api/padron/beneficiaries.csv", list_params(estado, ubigeo), name)


def ficha_rows(record: dict[str, Any]) -> list[dict[str, str]]:
    status = STATUSES.get(record["status"], record["status"])
    if record.get("status_reason"):
        status = f"{status} ({record['status_reason']})"
    rows = [
        ("DNI", record["dni"]),
        ("Apellidos y nombres", record["names"]),
        ("Estado", status),
        ("Fecha de nacimiento", lima_date(record.get("birth_date"))),
        ("Sexo", SEX.get(record.get("sex", ""), record.get("sex", ""))),
        ("Distrito", record.get("district") or record.get("ubigeo", "")),
        ("Dirección", record.get("address") or "—"),
        ("Teléfono", record.get("phone") or "—"),
        ("Persona de contacto", record.get("contact_name") or "—"),
        ("Teléfono de contacto", record.get("contact_phone") or "—"),
        ("Afiliado desde", lima_date(record.get("affiliated_on"))),
        (
            "Certificado de discapacidad",
            f"N.° {record.get('certificate_number', '')}, {record.get('certificate_issuer', '')},"
            f" {lima_date(record.get('certificate_date'))} ({str(record.get('certificate_severity', '')).lower()})",
        ),
        (
            "Clasificación socioeconómica (SISFOH)",
            f"{str(record.get('sisfoh_classification', '')).replace('_', ' ').lower()},"
            f" vence el {lima_date(record.get('sisfoh_expires_on'))}",
        ),
    ]
    if record.get("bank_account"):
        rows.append(("Cuenta bancaria", f"{record.get('bank_name') or ''} {record['bank_account']}".strip()))
    return [{"key": key, "value": value} for key, value in rows]


def authorization_views(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "id": item["authorization_id"],
            "collector": f"{item['collector_names']} (DNI {item['collector_dni']})",
            "relationship": item["relationship"],
            "state": AUTHORIZATION_STATES.get(item["state"], item["state"]),
            "revoked": item["state"] == "REVOCADA",
            "period": f"del {lima_date(item['valid_from'])} al {lima_date(item['valid_until'])}",
            "history": [
                {
                    "action": step["action"].capitalize(),
                    "at": lima_date(step["at"]),
                    "by": step["by_user"],
                    "detail": "; ".join(
                        part
                        for part in (
                            f"hasta el {lima_date(step['valid_until'])}" if step.get("valid_until") else "",
                            step.get("reason") or "",
                        )
                        if part
                    )
                    or "—",
                }
                for step in item.get("history", [])
            ],
        }
        for item in items
    ]


async def ficha(
    request: Request, account: Account, beneficiary_id: str, refusal: dict[str, Any] | None = None, **extra: Any
) -> Template:
    """The ficha; with ``refusal`` (which form, its summary, its messages, its answers), at 422."""
    record = await call_as(request, account, "GET", f"/api/padron/beneficiaries/{beneficiary_id}")
    authorizations = await call_as(
        request, account, "GET", f"/api/padron/beneficiaries/{beneficiary_id}/authorizations"
    )
    failed = refusal or {}
    context = {
        "id": beneficiary_id,
        "record": record,
        "rows": ficha_rows(record),
        "status_history": [
            {
                "status": STATUSES.get(step["status"], step["status"]),
                "at": lima_date(step["changed_at"]),
                "by": step["changed_by"],
                "reason": step.get("reason") or "—",
            }
            for step in record.get("status_history", [])
        ],
        "authorizations": authorization_views(authorizations),
        "alert_types": [{"value": code, "label": label} for code, label in ALERT_TYPES.items()],
        "status_actions": [
            {"value": code, "label": label, "hint": hint}
            for code, (label, hint) in STATUS_ACTIONS.items()
            if code != record["status"]
        ],
        "staff": account.is_staff,
        "may_authorize": record["status"] != "DESAFILIADO",
        "summary": failed.get("summary", []),
        "detail": failed.get("detail", ""),
        "errors": failed.get("errors", {}),
        "values": failed.get("values", {}),
        "done": "",
    } | extra
    return Template(template_name="ally_beneficiary.html", context=context, status_code=422 if refusal else 200)


@get("/beneficiarios/{beneficiary_id:str}", include_in_schema=False, exception_handlers=REFUSALS)
async def beneficiary_page(request: Request, beneficiary_id: FromPath[str], hecho: FromQuery[str] = "") -> Template:
    account = _guard(request)
    return await ficha(request, account, beneficiary_id, done=DONE.get(hecho, ""))


async def _send(
    request: Request,
    beneficiary_id: str,
    path: str,
    body: dict[str, Any],
    values: dict[str, str],
    fields: dict[str, str],
    done: str,
    *,
    account: Account,
) -> Template | Redirect:
    try:
        await call_as(request, account, "POST", path, json=body)
    except RefusedError as exc:
        refusal = refusal_summary(exc, fields, next(iter(fields.values()))) | {"values": values}
        return await ficha(request, account, beneficiary_id, refusal)
    return Redirect(f"/beneficiarios/{beneficiary_id}?hecho={done}", status_code=303)


@post("/beneficiarios/{beneficiary_id:str}/alerta", include_in_schema=False, exception_handlers=REFUSALS)
async def raise_alert(request: Request, beneficiary_id: FromPath[str]) -> Template | Redirect:
    account = _guard(request)
    values = await form_of(request)
    body: dict[str, Any] = {"alert_type": values.get("alerta-tipo") or None, "detail": values.get("alerta-detalle", "")}
    path = f"/api/padron/beneficiaries/{beneficiary_id}/alerts"
    return await _send(request, beneficiary_id, path, body, values, ALERT_FIELDS, "alerta", account=account)


def fad_body(values: dict[str, str]) -> dict[str, Any]:
    """Only what the person filled is proposed as a change; the authorized person goes whole or not at all."""
    changes: dict[str, Any] = {}
    for name, field in (
        ("address", "fad-direccion"),
        ("phone", "fad-telefono"),
        ("contact_name", "fad-contacto"),
        ("contact_phone", "fad-telefono-contacto"),
    ):
        if values.get(field):
            changes[name] = values[field]
    person = {
        "dni": values.get("fad-autorizado-dni", ""),
        "names": values.get("fad-autorizado-nombres", ""),
        "relationship": values.get("fad-autorizado-parentesco", ""),
    }
    if any(person.values()):
        changes["authorized_person"] = person
    return {"changes": changes}


@post("/beneficiarios/{beneficiary_id:str}/fad", include_in_schema=False, exception_handlers=REFUSALS)
async def submit_fad(request: Request, beneficiary_id: FromPath[str]) -> Template | Redirect:
    account = _guard(request)
    values = await form_of(request)
    path = f"/api/padron/beneficiaries/{beneficiary_id}/fad"
    return await _send(request, beneficiary_id, path, fad_body(values), values, FAD_FIELDS, "fad", account=account)


@post("/beneficiarios/{beneficiary_id:str}/autorizaciones", include_in_schema=False, exception_handlers=REFUSALS)
async def grant_authorization(request: Request, beneficiary_id: FromPath[str]) -> Template | Redirect:
    account = _guard(request)
    values = await form_of(request)
    body = {name: values.get(field, "") for name, field in GRANT_FIELDS.items()}
    path = f"/api/padron/beneficiaries/{beneficiary_id}/authorizations"
    return await _send(request, beneficiary_id, path, body, values, GRANT_FIELDS, "autorizacion", account=account)


@post(
    "/beneficiarios/{beneficiary_id:str}/autorizaciones/{authorization_id:str}/renovar",
    include_in_schema=False,
    exception_handlers=REFUSALS,
)
async def renew_authorization(
    request: Request, beneficiary_id: FromPath[str], authorization_id: FromPath[str]
) -> Template | Redirect:
    account = _guard(request)
    values = await form_of(request)
    field = f"renovar-{authorization_id}"
    path = f"/api/padron/authorizations/{authorization_id}/renew"
    body = {"valid_until": values.get(field, "")}
    return await _send(
        request, beneficiary_id, path, body, values, {"valid_until": field}, "renovacion", account=account
    )


@post(
    "/beneficiarios/{beneficiary_id:str}/autorizaciones/{authorization_id:str}/revocar",
    include_in_schema=False,
    exception_handlers=REFUSALS,
)
async def revoke_authorization(
    request: Request, beneficiary_id: FromPath[str], authorization_id: FromPath[str]
) -> Template | Redirect:
    account = _guard(request)
    values = await form_of(request)
    field = f"revocar-{authorization_id}"
    path = f"/api/padron/authorizations/{authorization_id}/revoke"
    body = {"reason": values.get(field, "")}
    return await _send(request, beneficiary_id, path, body, values, {"reason": field}, "revocacion", account=account)


@post("/beneficiarios/{beneficiary_id:str}/estado", include_in_schema=False, exception_handlers=REFUSALS)
async def change_status(request: Request, beneficiary_id: FromPath[str]) -> Template | Redirect:
    account = require(request, *STAFF)
    values = await form_of(request)
    body: dict[str, Any] = {"status": values.get("estado") or None, "reason": values.get("estado-motivo", "")}
    path = f"/api/padron/beneficiaries/{beneficiary_id}/status"
    return await _send(request, beneficiary_id, path, body, values, STATUS_FIELDS, "estado", account=account)


ROUTES = [
    beneficiaries_page,
    beneficiaries_csv,
    beneficiary_page,
    raise_alert,
    submit_fad,
    grant_authorization,
    renew_authorization,
    revoke_authorization,
    change_status,
]

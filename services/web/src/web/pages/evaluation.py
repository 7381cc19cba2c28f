"""Evaluación (staff): the queue, one request with its uploaded PDFs shown in the page, and the decision.

The request is read as the public API gives it (``GET /api/access-requests/{id}``); its PDFs come
through this site (``/evaluacion/{id}/documentos/{kind}``), which asks the gateway with the
evaluator's token, so the embedded document is same-origin and the token never reaches the
browser. The decision is one form that posts; the rules of a decision (observations for OBSERVE,
a reason for REJECT) are the access service's, and its Spanish refusals are shown at the field.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Request, get, post
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Redirect, Response, Template

from web.gateway import STAFF, RefusedError, call_as, check, require, send
from web.pages.words import ALLY_TYPES
from web.security import EMBEDDABLE_HEADERS
from web.sessions import LIMA

QUEUE = "/evaluacion"
OVERDUE = "Vencida"
DUE_TODAY = "Vence hoy"
DOCUMENTS = {"DDC_SIGNED": "DDC firmado", "DESIGNATION": "Documento de designación"}
# The API's decision values, and what the radios say.
DECISIONS = {
    "APPROVE": ("Aprobar", "Se crearán las credenciales y se enviarán por correo a la persona responsable."),
    "OBSERVE": ("Observar", "El solicitante corrige lo que usted indique y envía la solicitud de nuevo."),
    "REJECT": ("Rechazar", "La solicitud termina; el solicitante recibe el motivo."),
}
# The banner's word for each state a decision leaves a request in.
DECIDED_WORDS = {
    "APPROVED": "aprobada",
    "CREDENTIALS_ISSUED": "aprobada",
    "OBSERVED": "observada",
    "REJECTED": "rechazada",
}
CHECKS = {
    "MATCH": "Coincide con el registro oficial",
    "MISMATCH": "No coincide con el registro oficial",
    "NOT_FOUND": "No figura en el registro oficial",
}
# The API's field names, and the ids of the inputs that show their refusals (in the form's order).
FIELDS = {"decision": "decision", "observations": "observaciones", "reason": "motivo"}
NO_DECISION = "Elija una decisión: aprobar, observar o rechazar."


def peruvian_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def queue_rows(items: list[dict[str, Any]], today: date) -> list[list[str]]:
    """The queue by due date (requests without one last), each mark in words, never colour alone."""

    def due(item: dict[str, Any]) -> date | None:
        return date.fromisoformat(item["due_date"]) if item.get("due_date") else None

    rows = []
    for item in sorted(items, key=lambda i: (due(i) is None, due(i) or today, i.get("code", ""))):
        day = due(item)
        mark = OVERDUE if item.get("overdue") else DUE_TODAY if day == today else ""
        rows.append(
            [
                item.get("code", ""),
                item.get("ally_type_label") or ALLY_TYPES.get(item.get("ally_type", ""), ""),
                item.get("jurisdiction_label") or "—",
                peruvian_date(day) if day else "Sin fecha",
                mark,
            ]
        )
    return rows


def queue_links(items: list[dict[str, Any]]) -> dict[str, str]:
    """Each request's code and the address of its page."""
    return {item["code"]: f"{QUEUE}/{item['id']}" for item in items if item.get("id") and item.get("code")}


def today_in_lima(request: Request) -> date:
    return datetime.fromtimestamp(request.app.state.clock().timestamp(), LIMA).date()


@get(QUEUE, include_in_schema=False)
async def evaluation_queue(request: Request, decidida: FromQuery[UUID | None] = None) -> Template:
    account = require(request, *STAFF)
    items = await call_as(request, account, "GET", "/api/evaluation/queue")
    today = today_in_lima(request)
    context: dict[str, Any] = {
        "rows": queue_rows(items, today),
        "links": queue_links(items),
        "today": peruvian_date(today),
        "banner": await _banner(request, account, decidida),
    }
    return Template(template_name="evaluation_queue.html", context=context)


async def _banner(request: Request, account: Any, decided: UUID | None) -> str:
    """ "Solicitud SA-... aprobada": said from the request's state now, not from the address."""
    if decided is None:
        return ""
    try:
        view = await call_as(request, account, "GET", f"/api/access-requests/{decided}")
    except RefusedError:
        return ""
    state = view.get("state")
    return f"Solicitud {view['code']} {DECIDED_WORDS[state]}." if state in DECIDED_WORDS else ""


def data_rows(view: dict[str, Any]) -> list[dict[str, str]]:
    """The request's data as the summary list shows it; an answer not given is a dash."""
    form = view.get("form") or {}
    rows = [
        ("Código", view.get("code")),
        ("Estado", view.get("state_label")),
        ("Tipo de aliado", view.get("ally_type_label") or ALLY_TYPES.get(view.get("ally_type", ""), "")),
    ]
    entity = form.get("entity") or {}
    if view.get("ally_type") == "OTRO_ALIADO":
        public = entity.get("public")
        rows += [
            ("Entidad", entity.get("name") or view.get("jurisdiction_label")),
            ("RUC de la entidad", entity.get("ruc")),
            ("Naturaleza", None if public is None else "Pública" if public else "Privada"),
            ("Aprobación del ROF", entity.get("rof_document")),
            ("Designación del titular", entity.get("designation_document")),
        ]
    else:
        rows += [("Ámbito", view.get("jurisdiction_label")), ("Ubigeo", form.get("ubigeo"))]
    for prefix, whose in (("authority", "de la autoridad"), ("responsible", "de la persona responsable")):
        person = form.get(prefix) or {}
        rows += [
            (f"DNI {whose}", person.get("dni")),
            (f"Nombres {whose}", person.get("names")),
            (f"Celular {whose}", person.get("mobile")),
            (f"Teléfono fijo {whose}", person.get("landline")),
            (f"Correo personal {whose}", person.get("personal_email")),
            (f"Correo institucional {whose}", person.get("institutional_email")),
        ]
        if prefix == "responsible":
            rows += [("Oficina", person.get("office")), ("Cargo", person.get("position"))]
    if view.get("due_date"):
        due = peruvian_date(date.fromisoformat(view["due_date"]))
        rows.append(("Fecha de vencimiento", f"{due} (vencida)" if view.get("overdue") else due))
    return [{"key": key, "value": value or "—"} for key, value in rows]


def check_rows(view: dict[str, Any]) -> list[dict[str, str]]:
    found = view.get("authority_check")
    if not found:
        return [{"key": "Resultado", "value": "Aún sin verificar"}]
    rows = [{"key": "Resultado", "value": CHECKS.get(found.get("result"), found.get("result") or "—")}]
    if found.get("reason"):
        rows.append({"key": "Detalle", "value": found["reason"]})
    return rows


BROKEN_SIGNATURE = (
    "La firma digital de este documento no es válida: el archivo cambió después de firmarse. "
    "Verifíquelo con el solicitante antes de aprobar."
)


def _when(stamp: str) -> str:
    moment = datetime.fromisoformat(stamp).astimezone(LIMA)
    return f"{peruvian_date(moment.date())}, {moment:%H:%M}"


def version_rows(versions: list[dict[str, Any]], kind: str, attempt: int, current_sha: str | None) -> list[list[str]]:
    """Every file sent of ``kind``, oldest first; the one access counts for the current attempt is «Vigente»."""
    rows = []
    for version in versions:
        if version.get("kind") != kind:
            continue
        current = version.get("attempt") == attempt and version.get("sha256") == current_sha
        intact = version.get("intact")
        rows.append(
            [
                _when(version["uploaded_at"]),
                str(version.get("attempt")),
                "Sin firma digital" if intact is None else "Firma válida" if intact else "Firma alterada",
                (version.get("sha256") or "")[:16],
                "Vigente" if current else "Anterior",
            ]
        )
    return rows


def document_sections(view: dict[str, Any], versions: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Each required document: what documents' checks found, every version sent, and where this site serves
    the PDF access counted."""
    sections = []
    for kind in view.get("required_documents") or []:
        uploaded = (view.get("documents") or {}).get(kind)
        section: dict[str, Any] = {"kind": kind, "title": DOCUMENTS.get(kind, kind), "uploaded": bool(uploaded)}
        section["versions"] = version_rows(
            versions or [], kind, view.get("attempt") or 0, (uploaded or {}).get("sha256")
        )
        if uploaded:
            signed = uploaded.get("digitally_signed")
            intact = uploaded.get("intact")
            section["warning"] = BROKEN_SIGNATURE if intact is False else ""
            section["rows"] = [
                {"key": "Firma digital", "value": "Sí, firmado digitalmente" if signed else "No tiene firma digital"},
                {"key": "Firmante", "value": uploaded.get("signer") or "—"},
                {
                    "key": "Integridad",
                    "value": "Sin firma que comprobar"
                    if intact is None
                    else "Intacto: no cambió desde que se firmó"
                    if intact
                    else "Alterado: cambió después de firmarse",
                },
                {"key": "SHA-256 (inicio)", "value": (uploaded.get("sha256") or "")[:16]},
            ]
            # An observed request's documents belong to an attempt the applicant must send again.
            if view.get("state") != "OBSERVED":
                section["src"] = f"{QUEUE}/{view['id']}/documentos/{kind}"
                section["version"] = uploaded.get("sha256") or ""
        sections.append(section)
    return sections


def decision_options() -> list[dict[str, str]]:
    return [{"value": value, "label": label, "hint": hint} for value, (label, hint) in DECISIONS.items()]


def decision_text(view: dict[str, Any]) -> list[dict[str, str]]:
    """What was decided, for a request no longer in evaluation."""
    rows = [{"key": "Estado", "value": view.get("state_label") or "—"}]
    if view.get("rejection_reason"):
        rows.append({"key": "Motivo del rechazo", "value": view["rejection_reason"]})
    if view.get("observations"):
        rows.append({"key": "Observaciones", "value": " · ".join(view["observations"])})
    if view.get("account_username"):
        rows.append({"key": "Usuario creado", "value": view["account_username"]})
    return rows


class DecisionForm(msgspec.Struct, kw_only=True):
    decision: str = ""
    observaciones: str = ""
    motivo: str = ""


def _page(view: dict[str, Any], values: DecisionForm, errors: list[dict[str, str]], detail: str, status: int):
    by_field = {e["field"]: e["message"] for e in errors}
    context = {
        "view": view,
        "data": data_rows(view),
        "check": check_rows(view),
        "documents": document_sections(view, view.get("versions")),
        "pending": view.get("state") == "PENDING_EVALUATION",
        "decided": decision_text(view),
        "options": decision_options(),
        "values": values,
        "errors": errors,
        "by_field": by_field,
        "detail": detail,
    }
    return Template(template_name="evaluation_request.html", context=context, status_code=status)


@get(f"{QUEUE}/{{request_id:uuid}}", include_in_schema=False)
async def evaluation_request(request: Request, request_id: FromPath[UUID]) -> Template:
    account = require(request, *STAFF)
    view = await _view(request, account, request_id)
    return _page(view, DecisionForm(), [], "", 200)


async def _view(request: Request, account: Any, request_id: UUID) -> dict[str, Any]:
    """The request as access shows it, with every version of its documents (``versions``) as documents keeps them."""
    try:
        view = await call_as(request, account, "GET", f"/api/access-requests/{request_id}")
    except RefusedError as refused:
        if refused.status == 404:
            raise NotFoundException() from None
        raise
    try:
        view["versions"] = await call_as(request, account, "GET", f"/api/evaluation/{request_id}/uploads")
    except RefusedError as refused:
        if refused.status != 404:  # documents has not heard of a request never sent: no versions yet
            raise
        view["versions"] = []
    return view


def decision_errors(refused: RefusedError, values: DecisionForm) -> list[dict[str, str]]:
    """The API's refusal at each field it names; no decision chosen, in the radios' own words."""
    found = [
        {"field": field, "message": refused.errors[name]}
        for name, field in FIELDS.items()
        if name in refused.errors and name != "decision"
    ]
    if values.decision not in DECISIONS:
        found.insert(0, {"field": "decision", "message": NO_DECISION})
    elif "decision" in refused.errors:
        found.insert(0, {"field": "decision", "message": refused.errors["decision"]})
    return found or [{"field": "decision", "message": refused.detail}]


@post(f"{QUEUE}/{{request_id:uuid}}", include_in_schema=False)
async def decide(
    request: Request,
    request_id: FromPath[UUID],
    data: Annotated[DecisionForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Template | Redirect:
    account = require(request, *STAFF)
    body = {
        "decision": data.decision,
        "reason": data.motivo.strip(),
        "observations": [line.strip() for line in data.observaciones.splitlines() if line.strip()],
    }
    try:
        await call_as(request, account, "POST", f"/api/evaluation/{request_id}/decision", json=body)
    except RefusedError as refused:
        if refused.status == 404:
            raise NotFoundException() from None
        view = await _view(request, account, request_id)
        if refused.status == 409:  # decided meanwhile (another evaluator): the page now shows the decision
            return _page(view, data, [{"field": "decision", "message": refused.detail}], "", 409)
        errors = decision_errors(refused, data)
        # The API's sentence above the list, unless it only repeats an entry (or is about the radios' value).
        detail = (
            "" if data.decision not in DECISIONS or refused.detail in {e["message"] for e in errors} else refused.detail
        )
        return _page(view, data, errors, detail, 422)
    return Redirect(f"{QUEUE}?decidida={request_id}", status_code=303)


@get(f"{QUEUE}/{{request_id:uuid}}/documentos/{{kind:str}}", include_in_schema=False)
async def uploaded_pdf(
    request: Request,
    request_id: FromPath[UUID],
    kind: FromPath[str],
    descargar: FromQuery[str] = "",
    version: FromQuery[str] = "",
) -> Response[bytes]:
    """The PDF as the gateway gives it to this evaluator (the ``version`` access counted, by its SHA-256);
    inline to embed it here, or as a download."""
    account = require(request, *STAFF)
    if kind not in DOCUMENTS or (version and not re.fullmatch(r"[0-9a-f]{64}", version)):
        raise NotFoundException()
    path = f"/api/evaluation/{request_id}/documents/{kind}"
    params = {"sha256": version} if version else None
    try:
        answer = check(
            request, await send(request, "GET", path, token=account.token, params=params), token=account.token
        )
    except RefusedError as refused:
        if refused.status in (404, 409):
            raise NotFoundException() from None
        raise
    name = f"{'DDC-firmado' if kind == 'DDC_SIGNED' else 'Designacion'}-{request_id}.pdf"
    disposition = "attachment" if descargar else "inline"
    headers = {"content-disposition": f'{disposition}; filename="{name}"', "cache-control": "private, no-store"}
    return Response(answer.content, media_type="application/pdf", headers=headers | EMBEDDABLE_HEADERS)


ROUTES = [evaluation_queue, evaluation_request, decide, uploaded_pdf]

"""Solicitar acceso, first half: the access type, the steps (as far as the request has gone), the
authority's and the responsible person's data (saved as a draft, and corrected the same way once
observed), and continuing a saved request. "Revise sus respuestas", sending and what follows are in
``web.pages.request_send``.

Every page is a form that posts and a page the server answers, so none needs JavaScript. The
rules are the access service's: a handler sends what was typed to the gateway's public API and
shows its Spanish refusals (``detail`` and ``errors`` by field path) on the same form, every
answer kept.

Where the request lives between pages: in the address, ``/solicitud/{id}/...``. The id is a random
UUID made by the access service, which nobody can guess (unlike the short code, which is only
good together with the authority's DNI), so the address is the key, like a link in an e-mail. It
needs no cookie and no session store, works in two tabs at once and survives a restart of the web
process; the Referrer-Policy (``same-origin``) keeps it from leaving the site. Before the first
save there is no id: the chosen type travels in the query (``?tipo=GOBIERNO_LOCAL``) and then in a
hidden field of the form.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote
from uuid import UUID

from litestar import Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from web.gateway import RefusedError, call

START = "/solicitar-acceso"
RESUME = "/continuar-solicitud"
KINDS = {
    "GOBIERNO_REGIONAL": ("Gobierno regional", "La gobernadora o el gobernador regional propone el acceso."),
    "GOBIERNO_LOCAL": ("Gobierno local", "La alcaldesa o el alcalde de la municipalidad propone el acceso."),
    "OTRO_ALIADO": ("Otro aliado estratégico", "La o el titular de la entidad pública o privada propone el acceso."),
}
AUTHORITY = {
    "GOBIERNO_REGIONAL": "gobernadora o gobernador regional",
    "GOBIERNO_LOCAL": "alcaldesa o alcalde",
    "OTRO_ALIADO": "titular de la entidad",
}
PERSON = [
    ("dni", "DNI", "8 dígitos, sin puntos ni espacios.", "off"),
    ("names", "Nombres y apellidos", "Como figuran en el DNI.", "off"),
    ("mobile", "Celular", "9 dígitos. Ingrese al menos un teléfono: celular o fijo.", "off"),
    ("landline", "Teléfono fijo", "", "off"),
    ("personal_email", "Correo electrónico personal", "", "off"),
    ("institutional_email", "Correo electrónico institucional", "", "off"),
]
RESPONSIBLE_ONLY = [("office", "Oficina", "Por ejemplo, OMAPED.", "off"), ("position", "Cargo", "", "off")]
ENTITY = [
    ("name", "Nombre de la entidad", "", "organization"),
    ("ruc", "RUC", "11 dígitos.", "off"),
    (
        "rof_document",
        "Documento que aprueba el ROF",
        "Solo si la entidad es pública. Por ejemplo, D.S. N.° 001-2024.",
        "off",
    ),
    (
        "designation_document",
        "Documento de designación del titular",
        "Solo si la entidad es pública. Por ejemplo, R.S. N.° 045-2025.",
        "off",
    ),
]
PUBLIC = [{"value": "si", "label": "Pública", "hint": ""}, {"value": "no", "label": "Privada", "hint": ""}]
PLACES = ("region", "province", "district")


def fields_of(kind: str) -> list[tuple[str, str, list[tuple[str, str, str, str]]]]:
    """(prefix, legend, fields) of each group of the data page; ids are the API's field paths."""
    groups = []
    if kind == "OTRO_ALIADO":
        groups.append(("entity", "Datos de la entidad", ENTITY))
    groups.append(("authority", "Datos de la autoridad", PERSON))
    groups.append(("responsible", "Datos de la persona responsable del acceso", PERSON + RESPONSIBLE_ONLY))
    return groups


def form_of(kind: str, values: dict[str, str]) -> dict[str, Any]:
    """What was typed, as the API's RequestForm; an empty answer is a missing one."""
    form: dict[str, Any] = {"ally_type": kind}
    for prefix, _legend, fields in fields_of(kind):
        form[prefix] = {name: (values.get(f"{prefix}.{name}") or "").strip() or None for name, *_ in fields}
    if kind == "OTRO_ALIADO":
        # What a public entity alone needs is sent only when answered (absent is the API's "none").
        form["entity"]["public"] = {"si": True, "no": False}.get(values.get("entity.public", ""))
        form["entity"] = {k: v for k, v in form["entity"].items() if v is not None or k in ("name", "ruc")}
    if kind == "GOBIERNO_LOCAL":
        form["ubigeo"] = values.get("district") or None
    elif kind == "GOBIERNO_REGIONAL":
        form["ubigeo"] = values.get("region") or None
    return form


def values_of(form: dict[str, Any]) -> dict[str, str]:
    """The API's RequestForm as the data page's fields."""
    kind = form["ally_type"]
    values: dict[str, str] = {}
    for prefix, _legend, fields in fields_of(kind):
        part = form.get(prefix) or {}
        for name, *_ in fields:
            value = part.get(name)
            values[f"{prefix}.{name}"] = "" if value is None else str(value)
    if kind == "OTRO_ALIADO":
        values["entity.public"] = {True: "si", False: "no"}.get((form.get("entity") or {}).get("public"), "")
    ubigeo = form.get("ubigeo") or ""
    if kind == "GOBIERNO_LOCAL" and ubigeo:
        values.update(region=ubigeo[:2], province=ubigeo[:4], district=ubigeo)
    elif kind == "GOBIERNO_REGIONAL" and ubigeo:
        values["region"] = ubigeo
    return values


def field_id(kind: str, path: str) -> str:
    """Where an API error is shown: its own field, or the place select that stands for ``ubigeo``."""
    if path == "ubigeo":
        return "district" if kind == "GOBIERNO_LOCAL" else "region"
    return path


def summary(refusal: RefusedError, errors: dict[str, str], first_field: str) -> tuple[list[dict[str, str]], str]:
    """The error summary's links and its sentence: each field's error, or the detail alone at the first field."""
    if errors:
        return [{"field": f, "message": m} for f, m in errors.items()], refusal.detail
    return [{"field": first_field, "message": refusal.detail}], ""


def kind_or_404(kind: str) -> str:
    if kind not in KINDS:
        raise NotFoundException()
    return kind


# --- Tipo de acceso ----------------------------------------------------------------------------


def kind_page(chosen: str = "", error: str = "", status: int = 200) -> Template:
    options = [{"value": k, "label": label, "hint": hint} for k, (label, hint) in KINDS.items()]
    context = {"options": options, "chosen": chosen, "error": error}
    return Template(template_name="request_kind.html", context=context, status_code=status)


@get(START, include_in_schema=False)
async def choose_kind() -> Template:
    return kind_page()


@post(START, include_in_schema=False, status_code=303)
async def chose_kind(request: Request) -> Template | Redirect:
    kind = (await request.form()).get("tipo", "")
    if kind not in KINDS:
        return kind_page(error="Elija el tipo de acceso.", status=422)
    return Redirect(f"{START}/pasos?tipo={kind}", status_code=303)


# --- Los pasos ---------------------------------------------------------------------------------


def tasks_page(kind: str, view: dict[str, Any] | None) -> Template:
    if view is None:
        tasks = [
            {"label": f"Tipo de acceso: {KINDS[kind][0]}", "href": START, "status": "Elegido"},
            {"label": DATA_TASK, "href": f"{START}/datos?tipo={kind}", "status": "Por completar"},
            {"label": "Revisar sus respuestas y enviar la solicitud", "href": None, "status": "Aún no disponible"},
            {"label": "Descargar el DDC", "href": None, "status": "Aún no disponible"},
            {"label": "Subir los documentos firmados", "href": None, "status": "Aún no disponible"},
            {"label": "Evaluación", "href": None, "status": "Aún no disponible"},
        ]
    else:
        tasks = progress(view)
    return Template(template_name="request_tasks.html", context={"tasks": tasks, "view": view})


DATA_TASK = "Datos de la autoridad y de la persona responsable"


def progress(view: dict[str, Any]) -> list[dict[str, str | None]]:
    """Each step of a saved request as far as it has gone, linked while it can be done."""
    base, state = f"/solicitud/{view['id']}", view["state"]
    editable = state in ("DRAFT", "OBSERVED")
    sent = state != "DRAFT"
    ddc_ready = bool(view["ddc"]["ready"]) and state in ("SUBMITTED", "PENDING_EVALUATION")
    required = view.get("required_documents") or []
    received = [k for k in required if k in (view.get("documents") or {})]
    if state == "OBSERVED":
        send_status = "Observada: corrija y envíe de nuevo"
    else:
        send_status = "Enviada" if sent else "Pendiente"
    if not sent or state == "OBSERVED":
        ddc_status, docs_status = "Aún no disponible", "Aún no disponible"
    else:
        ddc_status = "Listo para descargar" if view["ddc"]["ready"] else "Generándose"
        docs_status = "Recibidos" if received and len(received) == len(required) else "Pendiente"
    evaluation = {
        "PENDING_EVALUATION": "En evaluación",
        "APPROVED": "Aprobada",
        "CREDENTIALS_ISSUED": "Aprobada: credenciales enviadas",
        "REJECTED": "Rechazada",
        "OBSERVED": "Observada",
    }.get(state, "Aún no disponible")
    return [
        {"label": f"Tipo de acceso: {KINDS[view['ally_type']][0]}", "href": None, "status": "Elegido"},
        {"label": DATA_TASK, "href": f"{base}/datos" if editable else None, "status": "Guardado"},
        {"label": "Revisar sus respuestas y enviar la solicitud", "href": f"{base}/revisar", "status": send_status},
        {"label": "Descargar el DDC", "href": f"{base}/ddc" if ddc_ready else None, "status": ddc_status},
        {
            "label": "Subir los documentos firmados",
            "href": f"{base}/documentos" if ddc_ready else None,
            "status": docs_status,
        },
        {"label": "Evaluación", "href": f"{base}/estado" if sent else None, "status": evaluation},
    ]


@get(f"{START}/pasos", include_in_schema=False)
async def tasks_before_saving(tipo: FromQuery[str] = "") -> Template:
    return tasks_page(kind_or_404(tipo), None)


async def load(request: Request, request_id: FromPath[UUID]) -> dict[str, Any]:
    try:
        return await call(request, "GET", f"/api/access-requests/{request_id}")
    except RefusedError as exc:
        raise NotFoundException() from exc


@get("/solicitud/{request_id:uuid}/pasos", include_in_schema=False)
async def tasks_of_saved(request: Request, request_id: FromPath[UUID]) -> Template:
    view = await load(request, request_id)
    return tasks_page(view["ally_type"], view)


# --- Datos de la autoridad y de la persona responsable ------------------------------------------


async def places(request: Request, kind: str, values: dict[str, str]) -> dict[str, list[dict[str, str]]]:
    """The selects' options from the API's ubigeo, each list only once the one above it is chosen.

    A province or district left from another region is dropped, so what is shown is what is sent.
    """
    found: dict[str, list[dict[str, str]]] = {"regions": await call(request, "GET", "/api/ubigeo/regions")}
    region, province = values.get("region", ""), values.get("province", "")
    if kind != "GOBIERNO_LOCAL":
        return found
    if region not in {p["code"] for p in found["regions"]}:
        values.update(region="", province="", district="")
        return found
    found["provinces"] = await call(request, "GET", f"/api/ubigeo/regions/{region}/provinces")
    if province not in {p["code"] for p in found["provinces"]}:
        values.update(province="", district="")
        return found
    found["districts"] = await call(request, "GET", f"/api/ubigeo/provinces/{province}/districts")
    if values.get("district") not in {p["code"] for p in found["districts"]}:
        values["district"] = ""
    return found


async def data_page(
    request: Request,
    kind: str,
    values: dict[str, str],
    view: dict[str, Any] | None = None,
    refusal: RefusedError | None = None,
    status: int = 200,
) -> Template:
    errors = {field_id(kind, k): m for k, m in (refusal.errors if refusal else {}).items()}
    groups = fields_of(kind)
    first = f"{groups[0][0]}.{groups[0][2][0][0]}"
    listed, detail = summary(refusal, errors, first) if refusal else ([], "")
    action = f"/solicitud/{view['id']}/datos" if view else f"{START}/datos"
    context = {
        "kind": kind,
        "kind_label": KINDS[kind][0],
        "public_options": PUBLIC,
        "authority": AUTHORITY[kind],
        "groups": groups,
        "values": values,
        "errors": errors,
        "summary": listed,
        "detail": detail,
        "places": await places(request, kind, values),
        "action": action,
        "view": view,
    }
    return Template(template_name="request_data.html", context=context, status_code=status)


@get(f"{START}/datos", include_in_schema=False)
async def data_before_saving(request: Request, tipo: FromQuery[str] = "") -> Template:
    return await data_page(request, kind_or_404(tipo), {})


@get("/solicitud/{request_id:uuid}/datos", include_in_schema=False)
async def data_of_saved(request: Request, request_id: FromPath[UUID]) -> Template:
    view = await load(request, request_id)
    return await data_page(request, view["ally_type"], values_of(view["form"]), view)


async def act(request: Request, view: dict[str, Any] | None) -> Template | Redirect:
    """One form, three buttons: show the next place list, look up names by DNI, or save the draft."""
    sent = dict(await request.form())
    kind = view["ally_type"] if view else kind_or_404(str(sent.get("tipo", "")))
    values = {k: str(v) for k, v in sent.items() if k not in {"_csrf_token", "accion", "tipo"}}
    action = str(sent.get("accion", ""))
    if action.startswith("buscar-") and action.removeprefix("buscar-") in {"authority", "responsible"}:
        prefix = action.removeprefix("buscar-")
        dni = values.get(f"{prefix}.dni", "").strip()
        try:
            # Quoted: what was typed stays one path segment of the public API.
            citizen = await call(request, "GET", f"/api/dni/{quote(dni or '-', safe='')}")
        except RefusedError as exc:
            refusal = RefusedError(exc.status, exc.detail, {f"{prefix}.dni": exc.errors.get("dni") or exc.detail})
            return await data_page(request, kind, values, view, refusal, 422)
        values[f"{prefix}.names"] = citizen["names"]
        return await data_page(request, kind, values, view)
    if action != "guardar":
        return await data_page(request, kind, values, view)
    form = form_of(kind, values)
    try:
        if view is None:
            saved = await call(request, "POST", "/api/access-requests", json=form)
        else:
            saved = await call(request, "PUT", f"/api/access-requests/{view['id']}", json=form)
    except RefusedError as exc:
        return await data_page(request, kind, values, view, exc, 422)
    return Redirect(f"/solicitud/{saved['id']}/guardada", status_code=303)


@post(f"{START}/datos", include_in_schema=False, status_code=303)
async def send_data_before_saving(request: Request) -> Template | Redirect:
    return await act(request, None)


@post("/solicitud/{request_id:uuid}/datos", include_in_schema=False, status_code=303)
async def send_data_of_saved(request: Request, request_id: FromPath[UUID]) -> Template | Redirect:
    return await act(request, await load(request, request_id))


@get("/solicitud/{request_id:uuid}/guardada", include_in_schema=False)
async def saved_page(request: Request, request_id: FromPath[UUID]) -> Template:
    view = await load(request, request_id)
    return Template(template_name="request_saved.html", context={"view": view})


# --- Continuar una solicitud guardada ------------------------------------------------------------


def resume_page(values: dict[str, str] | None = None, refusal: RefusedError | None = None) -> Template:
    errors = dict(refusal.errors) if refusal else {}
    listed, detail = summary(refusal, errors, "code") if refusal else ([], "")
    context = {"values": values or {}, "errors": errors, "summary": listed, "detail": detail}
    return Template(template_name="request_resume.html", context=context, status_code=422 if refusal else 200)


@get(RESUME, include_in_schema=False)
async def resume_form() -> Template:
    return resume_page()


@post(RESUME, include_in_schema=False, status_code=303)
async def resume(request: Request) -> Template | Redirect:
    sent = await request.form()
    values = {"code": str(sent.get("code", "")), "authority_dni": str(sent.get("authority_dni", ""))}
    try:
        view = await call(request, "POST", "/api/access-requests/resume", json=values)
    except RefusedError as exc:
        return resume_page(values, exc)
    return Redirect(f"/solicitud/{view['id']}/revisar", status_code=303)


# --- Revise sus respuestas -------------------------------------------------------------------------


def review_rows(view: dict[str, Any]) -> list[dict[str, str]]:
    kind, base = view["ally_type"], f"/solicitud/{view['id']}/datos"
    values = values_of(view["form"])
    rows = [{"key": "Tipo de acceso", "value": view.get("ally_type_label") or KINDS[kind][0]}]
    if kind != "OTRO_ALIADO":
        where = "region" if kind == "GOBIERNO_REGIONAL" else "district"
        rows.append(
            {
                "key": "Región" if kind == "GOBIERNO_REGIONAL" else "Distrito",
                "value": view.get("jurisdiction_label") or "No indicado",
                "href": f"{base}#{where}",
                "change": "la región" if kind == "GOBIERNO_REGIONAL" else "el distrito",
            }
        )
    if kind == "OTRO_ALIADO":
        public = {"si": "Pública", "no": "Privada"}.get(values.get("entity.public", ""), "No indicado")
        rows.append(
            {
                "key": "La entidad es",
                "value": public,
                "href": f"{base}#entity.public",
                "change": "si es pública o privada",
            }
        )
    for prefix, legend, fields in fields_of(kind):
        whose = legend.removeprefix("Datos ")
        for name, label, *_ in fields:
            key = f"{prefix}.{name}"
            rows.append(
                {
                    "key": f"{label} ({whose})",
                    "value": values.get(key) or "No indicado",
                    "href": f"{base}#{key}",
                    "change": f"{label if label.isupper() else label[0].lower() + label[1:]} {whose}",
                }
            )
    return rows


ROUTES = [
    choose_kind,
    chose_kind,
    tasks_before_saving,
    tasks_of_saved,
    data_before_saving,
    data_of_saved,
    send_data_before_saving,
    send_data_of_saved,
    saved_page,
    resume_form,
    resume,
]

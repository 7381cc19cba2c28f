"""The allies' pages (also open to programme staff): panel, beneficiaries, padrón, affiliation requests.

The padrón service scopes every answer by the token (a municipality sees its district, a regional
government its region, another ally masked categories, staff everything), so these pages never
filter by jurisdiction themselves: they pass what the address asks for and show the API's refusal
as a Spanish page (``refused_page``) when the address points outside the account's jurisdiction.

This module holds what the pages share and the padrón and affiliation pages; the panel is in
``web.pages.dashboard``, the beneficiaries' list and ficha in ``web.pages.beneficiaries``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from litestar import Request, Response, get, post
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from web.gateway import STAFF, RefusedError, call_as, check, require, send
from web.pages.words import AFFILIATION_STATES, CATEGORIES, STATUSES
from web.sessions import LIMA, Account

ALLIES_AND_STAFF = ("ALLY", *STAFF)
PAGE_SIZE = 50
REFUSED_TITLES = {
    403: "No tiene permiso para ver esta página",
    404: "No se encontró lo que busca",
    409: "No se puede hacer eso ahora",
}


def refused_page(_request: Request, exc: RefusedError) -> Template:
    """What the API refused outside any form (an address edited by hand, mostly) as a Spanish page."""
    status = exc.status if exc.status in REFUSED_TITLES else 400
    title = REFUSED_TITLES.get(status, "La solicitud no es válida")
    paragraphs = [exc.detail, *exc.errors.values()]
    if status in (403, 404):
        paragraphs.append("Solo puede consultar los datos de su jurisdicción. Revise la dirección o vuelva al panel.")
    context = {"title": title, "paragraphs": paragraphs}
    return Template(template_name="error.html", context=context, status_code=status)


# Every page of the allies' shows an API refusal its form cannot hold as a page, never as a crash.
REFUSALS: Mapping[Any, Any] = {RefusedError: refused_page}


def lima_date(value: str | None) -> str:
    """An ISO date or date-time as Peru writes it (a date-time in Lima's time)."""
    if not value:
        return "—"
    if "T" in value:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return moment.astimezone(LIMA).strftime("%d/%m/%Y %H:%M")
    return date.fromisoformat(value).strftime("%d/%m/%Y")


def padron_line(padron: Mapping[str, Any] | None) -> str:
    if not padron:
        return "Todavía no hay un padrón publicado."
    return (
        f"Padrón publicado: periodo {padron['period']}, aprobado con la resolución {padron['resolution_number']}"
        f" del {lima_date(padron['resolution_date'])}."
    )


def options(labels: Mapping[str, str]) -> list[dict[str, str]]:
    return [{"code": code, "name": name} for code, name in labels.items()]


def query(**params: str | None) -> str:
    """A query string of the non-empty parameters, for links that keep the page's filters."""
    kept = {k: v for k, v in params.items() if v}
    return f"?{urlencode(kept)}" if kept else ""


def summary_of(errors: dict[str, str], fields: Mapping[str, str], first: str) -> tuple[list[dict[str, str]], dict]:
    """The API's errors (by its field names) as the error summary's list and the messages by input id;
    an error of no known field is put on ``first``, the form's first input."""
    by_id: dict[str, str] = {}
    for name, message in errors.items():
        target = fields.get(name)
        if target is None:
            target = next((fields[k] for k in fields if name.startswith(f"{k}.")), first)
        by_id.setdefault(target, message)
    order = list(dict.fromkeys([*fields.values(), first]))
    listed = sorted(by_id.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order))
    return [{"field": target, "message": message} for target, message in listed], by_id


def refusal_summary(exc: RefusedError, fields: Mapping[str, str], first: str) -> dict[str, Any]:
    """A refusal for a form: the summary (with the API's sentence), messages by input id."""
    if exc.status == 404:
        raise exc
    listed, by_id = summary_of(exc.errors, fields, first)
    if not listed:
        listed, by_id = [{"field": first, "message": exc.detail}], {first: exc.detail}
        return {"summary": listed, "detail": "", "errors": by_id}
    return {"summary": listed, "detail": exc.detail, "errors": by_id}


async def form_of(request: Request) -> dict[str, str]:
    """The posted form, every answer as text, trimmed (the CSRF token left out)."""
    form = await request.form()
    return {k: str(v).strip() for k, v in form.items() if k != "_csrf_token"}


async def csv_download(request: Request, account: Account, path: str, params: dict[str, str], name: str) -> Response:
    """The API's CSV as a download; a refusal raised as a page like any other."""
    answer = check(request, await send(request, "GET", path, token=account.token, params=params), token=account.token)
    return Response(
        content=answer.content,
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )


def is_local(account: Account) -> bool:
    return account.claims.get("ally_type") == "GOBIERNO_LOCAL"


def may_open_fichas(account: Account) -> bool:
    return account.is_staff or is_local(account)


# --- Padrón: the published padrón's people by category -------------------------------------------------


def entry_rows(items: list[dict[str, Any]], *, link: bool) -> list[dict[str, Any]]:
    rows = []
    for item in items:
        href = f"/beneficiarios/{item['beneficiary_id']}" if link and item.get("beneficiary_id") else ""
        rows.append(
            {
                "dni": item.get("dni", ""),
                "names": item.get("names", ""),
                "href": href,
                "district": item.get("district", ""),
                "category": CATEGORIES.get(item.get("category", ""), item.get("category", "")),
                "status": STATUSES.get(item.get("status") or "", item.get("status") or ""),
                "amount": f"S/ {item['amount']}" if item.get("amount") else "",
            }
        )
    return rows


def first_category(versions: list[dict[str, Any]], period: str) -> str:
    """The page opens on the first category with people in the chosen (or latest) padrón: a first padrón
    has only new people, so "Continuador" would open on an empty list."""
    chosen = next((v for v in versions if v["period"] == period), versions[0] if versions else None)
    totals = chosen.get("totals", {}) if chosen else {}
    return next((c for c in CATEGORIES if totals.get(c)), "CONTINUADOR")


@get("/padron", include_in_schema=False, exception_handlers=REFUSALS)
async def padron_page(
    request: Request,
    categoria: FromQuery[str] = "",
    periodo: FromQuery[str] = "",
    after: FromQuery[str] = "",
) -> Template:
    account = require(request, *ALLIES_AND_STAFF)
    versions = await call_as(request, account, "GET", "/api/padron/versions")
    categoria = categoria or first_category(versions, periodo)
    params = {"category": categoria, "limit": str(PAGE_SIZE)}
    if periodo:
        params["period"] = periodo
    if after:
        params["after"] = after
    page = await call_as(request, account, "GET", "/api/padron/categories", params=params) if versions else None
    rows = entry_rows(page["items"], link=may_open_fichas(account)) if page else []
    context = {
        "versions": [{"code": v["period"], "name": f"{v['period']} ({v['resolution_number']})"} for v in versions],
        "categories": options(CATEGORIES),
        "category": categoria,
        "category_label": CATEGORIES.get(categoria, categoria),
        "period": periodo,
        "padron": page["padron"] if page else None,
        "padron_line": padron_line(page["padron"] if page else None),
        "rows": rows,
        "full": any(row["amount"] or row["status"] for row in rows),
        "next": query(categoria=categoria, periodo=periodo, after=page["next"]) if page and page["next"] else "",
        "first": query(categoria=categoria, periodo=periodo) if after else "",
        "download": "/padron/descarga" + query(categoria=categoria, periodo=periodo),
    }
    return Template(template_name="ally_padron.html", context=context)


@get("/padron/descarga", include_in_schema=False, exception_handlers=REFUSALS)
async def padron_csv(
    request: Request, categoria: FromQuery[str] = "CONTINUADOR", periodo: FromQuery[str] = ""
) -> Response:
    account = require(request, *ALLIES_AND_STAFF)
    params = {"category": categoria} | ({"period": periodo} if periodo else {})
    name = f"padron-{periodo or 'ultimo'}-{categoria.lower()}.csv"
    return await csv_download(request, account, "/api/padron/categories.csv", params, name)


# --- Affiliation requests of a municipality ------------------------------------------------------------

AFFILIATION_FIELDS = {
    "applicant_dni": "solicitud-dni",
    "applicant_names": "solicitud-nombres",
    "detail": "solicitud-detalle",
}
SENT = "Se envió la solicitud de afiliación. El programa la revisará y verá aquí si resultó conforme."


@get("/afiliaciones", include_in_schema=False, exception_handlers=REFUSALS)
async def affiliations_page(
    request: Request, estado: FromQuery[str] = "", after: FromQuery[str] = "", hecho: FromQuery[str] = ""
) -> Template:
    account = require(request, "ALLY", ally_types=("GOBIERNO_LOCAL",))
    params = {"limit": str(PAGE_SIZE)} | ({"state": estado} if estado else {}) | ({"after": after} if after else {})
    page = await call_as(request, account, "GET", "/api/padron/affiliation-requests", params=params)
    rows = [
        {
            "dni": item["applicant_dni"],
            "names": item["applicant_names"],
            "submitted": lima_date(item["submitted_at"]),
            "state": AFFILIATION_STATES.get(item["state"], item["state"]),
            "observations": item.get("observations") or "—",
        }
        for item in page["items"]
    ]
    context = {
        "rows": rows,
        "states": options(AFFILIATION_STATES),
        "state": estado,
        "next": query(estado=estado, after=page["next"]) if page.get("next") else "",
        "first": query(estado=estado) if after else "",
        "done": SENT if hecho == "enviada" else "",
    }
    return Template(template_name="ally_affiliations.html", context=context)


def _new_affiliation(values: dict[str, str], refusal: dict[str, Any] | None = None) -> Template:
    context = {"values": values, "summary": [], "detail": "", "errors": {}} | (refusal or {})
    return Template(template_name="ally_affiliation_new.html", context=context, status_code=422 if refusal else 200)


@get("/afiliaciones/nueva", include_in_schema=False)
async def new_affiliation_page(request: Request) -> Template:
    require(request, "ALLY", ally_types=("GOBIERNO_LOCAL",))
    return _new_affiliation({})


@post("/afiliaciones/nueva", include_in_schema=False, exception_handlers=REFUSALS)
async def send_affiliation(request: Request) -> Template | Redirect:
    account = require(request, "ALLY", ally_types=("GOBIERNO_LOCAL",))
    values = await form_of(request)
    body = {
        "applicant_dni": values.get("solicitud-dni", ""),
        "applicant_names": values.get("solicitud-nombres", ""),
        "detail": values.get("solicitud-detalle") or None,
    }
    try:
        await call_as(request, account, "POST", "/api/padron/affiliation-requests", json=body)
    except RefusedError as exc:
        return _new_affiliation(values, refusal_summary(exc, AFFILIATION_FIELDS, "solicitud-dni"))
    return Redirect("/afiliaciones?hecho=enviada", status_code=303)


def _routes() -> list[Any]:
    # Imported here: those modules use this one's helpers.
    from web.pages.beneficiaries import ROUTES as BENEFICIARY_ROUTES
    from web.pages.dashboard import ROUTES as DASHBOARD_ROUTES

    return [
        *DASHBOARD_ROUTES,
        *BENEFICIARY_ROUTES,
        padron_page,
        padron_csv,
        affiliations_page,
        new_affiliation_page,
        send_affiliation,
    ]


ROUTES = _routes()

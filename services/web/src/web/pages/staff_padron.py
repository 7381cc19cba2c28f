"""The published padrón versions, publishing the next one, and importing beneficiaries from a CSV (all or nothing).

The import's result is the answer to the form's post itself (no redirect), so it works without
JavaScript; ``static/importar.js`` only sends the same form with an upload progress bar and puts the
same answer on the page.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from litestar import Request, get, post
from litestar.datastructures import UploadFile
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from web.gateway import STAFF, RefusedError, call_as, check, require, send
from web.pages.staff import summary, when

CATEGORIES = {
    "CONTINUADOR": "Continuadores",
    "NUEVO": "Nuevos",
    "REINCORPORADO": "Reincorporados",
    "SUSPENDIDO": "Suspendidos",
    "DESAFILIADO": "Desafiliados",
}
PUBLISH_FIELDS = {"period": "periodo", "resolution_number": "resolucion", "resolution_date": "fecha-resolucion"}
TEMPLATE_CSV = "/static/plantilla-beneficiarios.csv"


def category_names(totals: dict[str, int]) -> list[str]:
    """The categories in the programme's order, then any the API adds."""
    return [c for c in CATEGORIES if c in totals] + sorted(c for c in totals if c not in CATEGORIES)


def peruvian(day: str) -> str:
    """'2026-09-15' as 15/09/2026."""
    return f"{day[8:10]}/{day[5:7]}/{day[:4]}"


def number(value: int) -> str:
    return f"{value:,}".replace(",", " ")


async def padron_page(
    request: Request, values: dict[str, str] | None = None, refusal: RefusedError | None = None, published: str = ""
) -> Template:
    account = require(request, *STAFF)
    versions = await call_as(request, account, "GET", "/api/padron/versions")
    rows = [
        {
            "period": v["period"],
            "href": f"/gestion/padron/{quote(v['period'], safe='')}",
            "resolution": f"{v['resolution_number']} ({peruvian(v['resolution_date'])})",
            "published": when(v["published_at"]),
            "by": v["published_by"],
            "people": number(sum(v["totals"].values())),
            "pension": v["pension_total"],
        }
        for v in versions
    ]
    errors = summary(refusal, PUBLISH_FIELDS, "periodo") if refusal else []
    context = {
        "rows": rows,
        "values": values or {},
        "errors": errors,
        "by_field": {e["field"]: e["message"] for e in errors},
        "detail": refusal.detail if refusal and refusal.errors else "",
        "published": published,
        "template_csv": TEMPLATE_CSV,
    }
    return Template("staff_padron.html", context=context, status_code=422 if refusal else 200)


@get("/gestion/padron", include_in_schema=False)
async def padron_versions(request: Request, publicada: FromQuery[str] = "") -> Template:
    return await padron_page(request, published=publicada)


@post("/gestion/padron/publicar", include_in_schema=False, status_code=303)
async def publish_version(request: Request) -> Template | Redirect:
    account = require(request, *STAFF)
    form = await request.form()
    values = {name: str(form.get(name, "")).strip() for name in PUBLISH_FIELDS.values()}
    body = {api: values[name] for api, name in PUBLISH_FIELDS.items()}
    body["period"] = body["period"].upper()
    try:
        await call_as(request, account, "POST", "/api/padron/versions", json=body)
    except RefusedError as exc:
        return await padron_page(request, values, exc)
    return Redirect(f"/gestion/padron/{quote(body['period'], safe='')}?publicada=si", status_code=303)


@get("/gestion/padron/{period:str}", include_in_schema=False)
async def padron_version(request: Request, period: FromPath[str], publicada: FromQuery[str] = "") -> Template:
    account = require(request, *STAFF)
    try:
        version = await call_as(request, account, "GET", f"/api/padron/versions/{quote(period, safe='')}")
    except RefusedError as exc:
        raise NotFoundException() from exc
    names = category_names(version["totals"])
    totals = [[CATEGORIES.get(c, c), number(version["totals"][c])] for c in names]
    totals.append(["Total", number(sum(version["totals"].values()))])
    region_names = sorted({c for r in version["regions"] for c in r["totals"]}, key=lambda c: (c not in CATEGORIES, c))
    regions = [
        [f"{r['name']} ({r['region']})", *(number(r["totals"].get(c, 0)) for c in region_names)]
        for r in version["regions"]
    ]
    rows = [
        {"key": "Periodo", "value": version["period"]},
        {"key": "Resolución", "value": version["resolution_number"]},
        {"key": "Fecha de la resolución", "value": peruvian(version["resolution_date"])},
        {"key": "Publicada el", "value": when(version["published_at"])},
        {"key": "Publicada por", "value": version["published_by"]},
        {"key": "Monto total de la pensión (S/)", "value": version["pension_total"]},
    ]
    context = {
        "version": version,
        "rows": rows,
        "totals": totals,
        "region_head": ["Región", *(CATEGORIES.get(c, c) for c in region_names)],
        "regions": regions,
        "published": publicada == "si",
    }
    return Template("staff_padron_version.html", context=context)


# --- Importar beneficiarios -----------------------------------------------------------------------------


def import_result(answer: dict[str, Any] | None, refusal: dict[str, Any] | None, status: int) -> Template:
    rows = []
    for row in (refusal or {}).get("errors") or []:
        for column, message in (row.get("errors") or {}).items():
            rows.append([str(row.get("line", "")), column, message, row.get("dni") or "—"])
    context = {"answer": answer, "refusal": refusal, "rows": rows, "template_csv": TEMPLATE_CSV}
    return Template("staff_import_result.html", context=context, status_code=status)


@post("/gestion/padron/importar", include_in_schema=False, status_code=200)
async def import_beneficiaries(request: Request) -> Template:
    account = require(request, *STAFF)
    upload = (await request.form()).get("archivo")
    if not isinstance(upload, UploadFile) or not upload.filename:
        refusal = {"detail": "Elija el archivo CSV que quiere importar.", "error_rows": 0, "errors": []}
        return import_result(None, refusal, 422)
    content = await upload.read()
    files = {"file": (upload.filename, content, "text/csv")}
    answer = await send(request, "POST", "/api/padron/imports", token=account.token, files=files)
    if answer.status_code == 422:
        # The import's refusal lists its errors by row, not by field: read here, not by ``call``.
        body = answer.json()
        return import_result(None, body if isinstance(body, dict) else {"detail": "", "errors": []}, 422)
    try:
        check(request, answer, token=account.token)
    except RefusedError as exc:
        return import_result(None, {"detail": exc.detail, "error_rows": 0, "errors": []}, exc.status)
    return import_result(answer.json(), None, 200)


@get("/gestion/padron/importar", include_in_schema=False)
async def import_form_redirect(request: Request) -> Redirect:
    require(request, *STAFF)
    return Redirect("/gestion/padron#importar", status_code=303)


ROUTES = [padron_versions, publish_version, padron_version, import_beneficiaries, import_form_redirect]

"""An administrator creates CTVC, analyst and evaluator accounts, and revokes staff accounts.

Identity generates each username and password and e-mails the password once; no page ever shows it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from litestar import Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from web.gateway import RefusedError, call, call_as, require
from web.pages.staff import options, summary, when
from web.pages.words import STAFF_ROLES, UNITS

CREATABLE = {code: STAFF_ROLES[code] for code in ("CTVC", "ANALYST", "EVALUATOR")}
FIELDS = {"role": "rol", "full_name": "nombres", "email": "correo", "region": "region", "unit": "unidad"}


async def accounts_page(
    request: Request,
    refusal: RefusedError | None = None,
    values: dict[str, str] | None = None,
    failed: str = "",
    created: str = "",
    revoked: str = "",
) -> Template:
    account = require(request, "ADMIN")
    listed = await call_as(request, account, "GET", "/api/staff-accounts")
    regions = await call(request, "GET", "/api/ubigeo/regions")
    region_names = {r["code"]: r["name"] for r in regions}
    rows = [
        item
        | {
            "role_label": STAFF_ROLES.get(item["role"], item["role"]),
            "scope": region_names.get(item.get("region") or "", "")
            or UNITS.get(item.get("unit") or "", "")
            or "Todo el programa",
            "created": when(item.get("created_at")),
            "revoked": when(item.get("revoked_at")) if item.get("revoked_at") else "",
            "mine": item["staff_id"] == account.claims.get("sub"),
        }
        for item in listed
    ]
    errors: list[dict[str, str]] = []
    if refusal and failed:
        errors = summary(refusal, {"reason": f"motivo-{failed}"}, f"motivo-{failed}")
    elif refusal:
        errors = summary(refusal, FIELDS, "rol")
    context = {
        "rows": rows,
        "roles": options(CREATABLE),
        "regions": regions,
        "units": options(UNITS),
        "values": values or {},
        "errors": errors,
        "by_field": {e["field"]: e["message"] for e in errors},
        "detail": refusal.detail if refusal and refusal.errors else "",
        "failed": failed,
        "created": created,
        "revoked": revoked,
    }
    return Template("staff_accounts.html", context=context, status_code=refusal.status if refusal else 200)


@get("/gestion/cuentas", include_in_schema=False)
async def staff_accounts(request: Request, creada: FromQuery[str] = "", revocada: FromQuery[str] = "") -> Template:
    return await accounts_page(request, created=creada, revoked=revocada)


@post("/gestion/cuentas", include_in_schema=False, status_code=303)
async def create_staff_account(request: Request) -> Template | Redirect:
    account = require(request, "ADMIN")
    form = await request.form()
    values = {name: str(form.get(name, "")).strip() for name in FIELDS.values()}
    body: dict[str, Any] = {key: values[name] for key, name in FIELDS.items() if values[name]}
    try:
        created = await call_as(request, account, "POST", "/api/staff-accounts", json=body)
    except RefusedError as exc:
        return await accounts_page(request, exc, values)
    return Redirect(f"/gestion/cuentas?{urlencode({'creada': created['username']})}", status_code=303)


@post("/gestion/cuentas/{staff_id:uuid}/revocar", include_in_schema=False, status_code=303)
async def revoke_staff_account(request: Request, staff_id: FromPath[UUID]) -> Template | Redirect:
    account = require(request, "ADMIN")
    reason = str((await request.form()).get("motivo", "")).strip()
    try:
        revoked = await call_as(
            request, account, "POST", f"/api/staff-accounts/{staff_id}/revoke", json={"reason": reason}
        )
    except RefusedError as exc:
        return await accounts_page(request, exc, {"motivo": reason}, failed=str(staff_id))
    return Redirect(f"/gestion/cuentas?{urlencode({'revocada': revoked['username']})}", status_code=303)


ROUTES = [staff_accounts, create_staff_account, revoke_staff_account]

"""The scoped views of the padrón: summaries, the district list, one beneficiary, padrón categories,
CSV exports and the access log. The scope comes from the token only; every read of personal data is
written to the access log, and every refusal too."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any
from uuid import UUID

import asyncpg
from litestar import Request, get
from litestar.params import FromPath
from litestar.response import Stream

from contracts import ubigeo
from eventkit.http import UserError
from padron import accesslog, csvexport, views
from padron.beneficiary import STATUSES
from padron.deps import PadronDeps
from padron.scope import Scope

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
CHUNK = 1000
LIMA = timezone(timedelta(hours=-5))  # Peru keeps no daylight saving time
_PERIOD = re.compile(r"(I|II|III|IV|V|VI)-\d{4}")

NO_REGION = "La región no existe en el ubigeo del INEI."
NO_DISTRICT = "El distrito no existe en el ubigeo del INEI."
NO_BENEFICIARY = "No se encontró el beneficiario."
REGION_COUNTS = (
    "Los gobiernos regionales consultan los conteos de su región (resumen por provincia y distrito), "
    "no la lista de beneficiarios con datos personales."
)
ENTITY_CATEGORIES = "Su entidad solo puede consultar las categorías del padrón, con los datos personales enmascarados."
STAFF_ONLY = "Solo el personal del programa puede consultar el registro de accesos."
CSV_TYPE = "text/csv; charset=utf-8"

Row = Any  # an asyncpg.Record or a mapping shaped from one


def resource(request: Request) -> str:
    """What was asked for, as the access log records it."""
    query = request.url.query
    return f"{request.url.path}?{query}" if query else request.url.path


def outside(scope: Scope) -> str:
    """Why another jurisdiction's data is refused, in the caller's terms."""
    if scope.kind == "REGION":
        region = ubigeo.regions().get(scope.ubigeo or "", "")
        return f"Su gobierno regional solo puede consultar datos de la región {region}."
    if scope.kind == "DISTRICT":
        district = views.district_name(scope.ubigeo or "")
        return f"Su municipalidad solo puede consultar datos de su distrito ({district})."
    return ENTITY_CATEGORIES


def bad_query(field: str, message: str) -> UserError:
    return UserError("Hay parámetros de consulta no válidos.", 400, {field: message})


def limit_of(request: Request) -> int:
    raw = request.query_params.get("limit")
    if not raw:
        return DEFAULT_LIMIT
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise bad_query("limit", f"Use un número entre 1 y {MAX_LIMIT}.")
    return int(raw)


def cursor_of(request: Request, kind: Any, first: Any) -> Any:
    raw = request.query_params.get("after")
    if not raw:
        return first
    try:
        return views.decode_cursor(raw, kind)
    except ValueError:
        raise bad_query("after", "El cursor de página no es válido; vuelva a la primera página.") from None


def choice_of(request: Request, name: str, allowed: Sequence[str], *, required: bool = False) -> str | None:
    raw = request.query_params.get(name) or None
    if raw is None and required:
        raise bad_query(name, f"Indique {name}: {', '.join(allowed)}.")
    if raw is not None and raw not in allowed:
        raise bad_query(name, f"Use {', '.join(allowed)}.")
    return raw


def period_of(request: Request) -> str | None:
    period = request.query_params.get("period") or None
    if period is not None and not _PERIOD.fullmatch(period):
        raise bad_query("period", "Periodo no válido; use por ejemplo V-2022.")
    return period


def since_of(request: Request) -> datetime | None:
    raw = request.query_params.get("since")
    if not raw:
        return None
    try:
        since = datetime.fromisoformat(raw)
    except ValueError:
        raise bad_query("since", "Fecha no válida; use AAAA-MM-DD o AAAA-MM-DDTHH:MM.") from None
    return since if since.tzinfo else since.replace(tzinfo=LIMA)


def page(rows: list[Row], limit: int, key: Callable[[Row], tuple[Any, ...]]) -> tuple[list[Row], str | None]:
    """The first ``limit`` of ``limit + 1`` rows fetched, and the cursor of the next page if there is one."""
    shown = rows[:limit]
    return shown, (views.encode_cursor(*key(shown[-1])) if len(rows) > limit else None)


def ids(rows: list[Row]) -> list[UUID]:
    return [r["beneficiary_id"] for r in rows]


def by_name(row: Row) -> tuple[str, UUID]:
    return row["names"], row["beneficiary_id"]


def by_place(row: Row) -> tuple[str, UUID]:
    return row["ubigeo"], row["beneficiary_id"]


def span_of(scope: Scope) -> tuple[str, str]:
    """The ubigeo range a scope sees of the padrón."""
    if scope.kind == "REGION":
        return views.region_span(scope.ubigeo or "")
    if scope.kind == "DISTRICT":
        return scope.ubigeo or "", scope.ubigeo or ""
    return views.NATIONAL


def csv_file(body: AsyncIterator[bytes], filename: str) -> Stream:
    return Stream(body, media_type=CSV_TYPE, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


async def streamed(
    head: Sequence[str],
    chunk: Callable[[Any], Awaitable[list[Row]]],
    key: Callable[[Row], Any],
    first: Any,
    shape: Callable[[Row], Any] = lambda r: r,
) -> AsyncIterator[bytes]:
    """A CSV file in keyset chunks, each read in a short transaction of its own, so a slow download
    holds no transaction open."""
    yield csvexport.header(head)
    after = first
    while True:
        rows = await chunk(after)
        if rows:
            yield csvexport.lines([shape(r) for r in rows], head)
        if len(rows) < CHUNK:
            return
        after = key(rows[-1])


class ViewsApi:
    """The views' use of their dependencies: a transaction, the caller's scope, logged refusals."""

    def __init__(self, deps: PadronDeps):
        self.deps = deps

    async def summary(self, request: Request) -> dict[str, Any]:
        scope = self.deps.scope(request)
        async with self.deps.transaction() as conn:
            padron = await views.find_padron(conn)
            if scope.kind == "STAFF":
                return await views.national_summary(conn, padron)
            if scope.kind == "REGION":
                return await views.region_summary(conn, scope.ubigeo or "", padron)
            if scope.kind == "DISTRICT":
                return await views.district_summary(conn, scope.ubigeo or "", padron)
            return await views.entity_summary(conn, padron)

    async def region_summary(self, region: str, request: Request) -> dict[str, Any]:
        scope = self.deps.scope(request)
        if not ubigeo.is_region(region):
            raise UserError(NO_REGION, 404)
        if not scope.covers_region(region):
            await self.deps.deny(scope, resource(request), outside(scope))
        async with self.deps.transaction() as conn:
            return await views.region_summary(conn, region, await views.find_padron(conn))

    async def district_summary(self, code: str, request: Request) -> dict[str, Any]:
        scope = self.deps.scope(request)
        if not ubigeo.is_district(code):
            raise UserError(NO_DISTRICT, 404)
        if not scope.covers_district(code):
            await self.deps.deny(scope, resource(request), outside(scope))
        async with self.deps.transaction() as conn:
            return await views.district_summary(conn, code, await views.find_padron(conn))

    async def district_of(self, scope: Scope, request: Request) -> str:
        """The district whose list is asked for: only the district itself, or program staff, read one."""
        if scope.kind == "REGION":
            await self.deps.deny(scope, resource(request), REGION_COUNTS)
        if scope.kind == "ENTITY":
            await self.deps.deny(scope, resource(request), ENTITY_CATEGORIES)
        code = request.query_params.get("ubigeo") or (scope.ubigeo if scope.kind == "DISTRICT" else None)
        if not code:
            raise bad_query("ubigeo", "Indique el distrito (ubigeo de 6 dígitos).")
        if not ubigeo.is_district(code):
            raise UserError(NO_DISTRICT, 404)
        if not scope.covers_district(code):
            await self.deps.deny(scope, resource(request), outside(scope))
        return code

    async def beneficiaries(self, request: Request) -> dict[str, Any]:
        scope = self.deps.scope(request)
        code = await self.district_of(scope, request)
        status = choice_of(request, "status", STATUSES)
        after = cursor_of(request, tuple[str, UUID], views.FIRST_NAME)
        limit = limit_of(request)
        staff = scope.kind == "STAFF"
        columns = views.LIST_COLUMNS + (views.BANK_COLUMNS if staff else ())
        async with self.deps.transaction() as conn:
            rows = await views.beneficiaries_page(conn, code, status, after, limit + 1, columns)
            shown, following = page(rows, limit, by_name)
            await accesslog.record(conn, scope, "LIST_BENEFICIARIES", resource(request), beneficiary_ids=ids(shown))
        items = [views.beneficiary_item(r, bank=staff) for r in shown]
        return {"district": {"code": code, "name": views.district_name(code)}, "items": items, "next": following}

    async def beneficiaries_csv(self, request: Request) -> Stream:
        scope = self.deps.scope(request)
        code = await self.district_of(scope, request)
        status = choice_of(request, "status", STATUSES)
        columns = views.STAFF_EXPORT if scope.kind == "STAFF" else views.DISTRICT_EXPORT
        # Logged, and committed, before any row leaves: an interrupted download is on record too.
        async with self.deps.transaction() as conn:
            count = await views.expected_rows(conn, code, status)
            await accesslog.record(conn, scope, "EXPORT_CSV", resource(request), records=count)

        async def chunk(after: tuple[str, UUID]) -> list[Row]:
            async with self.deps.transaction() as conn:
                return await views.beneficiaries_page(conn, code, status, after, CHUNK, columns)

        return csv_file(streamed(columns, chunk, by_name, views.FIRST_NAME), f"padron-{code}.csv")

    async def beneficiary(self, beneficiary_id: str, request: Request) -> dict[str, Any]:
        scope = self.deps.scope(request)
        if scope.kind in ("REGION", "ENTITY"):
            await self.deps.deny(scope, resource(request), NO_BENEFICIARY, 404)
        try:
            bid = UUID(beneficiary_id)
        except ValueError:
            raise UserError(NO_BENEFICIARY, 404) from None
        async with self.deps.transaction() as conn:
            row = await views.beneficiary(conn, bid)
            if row is not None and scope.covers_district(row["ubigeo"]):
                detail = await views.beneficiary_detail(conn, row, bank=scope.kind == "STAFF")
                await accesslog.record(conn, scope, "VIEW_BENEFICIARY", resource(request), beneficiary_ids=[bid])
                return detail
        if row is None and scope.kind == "STAFF":
            raise UserError(NO_BENEFICIARY, 404)
        # Another district's beneficiary answers as one that does not exist: nobody can probe who lives where.
        await self.deps.deny(scope, resource(request), NO_BENEFICIARY, 404)
        raise AssertionError("deny always raises")

    async def padron_of(self, conn: asyncpg.Connection, period: str | None) -> asyncpg.Record:
        found = await views.find_padron(conn, period)
        if found is None:
            raise UserError(
                f"No hay un padrón publicado del periodo {period}." if period else "Aún no hay un padrón publicado.",
                404,
            )
        return found

    async def categories(self, request: Request) -> dict[str, Any]:
        scope = self.deps.scope(request)
        category = choice_of(request, "category", views.CATEGORIES, required=True)
        period = period_of(request)
        after = cursor_of(request, tuple[str, UUID], views.FIRST_ENTRY)
        limit = limit_of(request)
        async with self.deps.transaction() as conn:
            padron = await self.padron_of(conn, period)
            rows = await views.category_page(conn, padron["padron_id"], category, span_of(scope), after, limit + 1)
            shown, following = page(rows, limit, by_place)
            await accesslog.record(conn, scope, "LIST_CATEGORIES", resource(request), beneficiary_ids=ids(shown))
        shape = views.masked_entry if scope.kind == "ENTITY" else views.entry_item
        items = [shape(r) for r in shown]
        return {"padron": views.padron_view(padron), "category": category, "items": items, "next": following}

    async def categories_csv(self, request: Request) -> Stream:
        scope = self.deps.scope(request)
        category = choice_of(request, "category", views.CATEGORIES, required=True) or ""
        period = period_of(request)
        span = span_of(scope)
        async with self.deps.transaction() as conn:
            padron = await self.padron_of(conn, period)
            count = await views.expected_entries(conn, padron["padron_id"], category, span)
            await accesslog.record(conn, scope, "EXPORT_CSV", resource(request), records=count)
        masked = scope.kind == "ENTITY"

        async def chunk(after: tuple[str, UUID]) -> list[Row]:
            async with self.deps.transaction() as conn:
                return await views.category_page(conn, padron["padron_id"], category, span, after, CHUNK)

        body = streamed(
            views.MASKED_COLUMNS if masked else views.ENTRY_COLUMNS,
            chunk,
            by_place,
            views.FIRST_ENTRY,
            views.masked_entry if masked else views.entry_item,
        )
        return csv_file(body, f"padron-{padron['period']}-{category}.csv")

    async def access_log(self, request: Request) -> dict[str, Any]:
        scope = self.deps.scope(request)
        if scope.kind != "STAFF":
            await self.deps.deny(scope, resource(request), STAFF_ONLY)
        username = request.query_params.get("username") or None
        action = request.query_params.get("action") or None
        since = since_of(request)
        (before,) = cursor_of(request, tuple[int], (views.LAST_ENTRY,))
        limit = limit_of(request)
        async with self.deps.transaction() as conn:
            rows = await views.access_page(
                conn, username=username, since=since, action=action, before=before, limit=limit + 1
            )
        shown, following = page(rows, limit, lambda r: (r["entry_id"],))
        return {"items": [dict(r) for r in shown], "next": following}


def routes(deps: PadronDeps) -> list[Any]:
    api = ViewsApi(deps)

    @get("/padron/summary", summary="Resumen del padrón en la jurisdicción del usuario")
    async def summary(request: Request) -> dict[str, Any]:
        return await api.summary(request)

    @get("/padron/regions/{region:str}/summary", summary="Resumen de una región, por provincia y distrito")
    async def region_summary(region: FromPath[str], request: Request) -> dict[str, Any]:
        return await api.region_summary(region, request)

    @get("/padron/districts/{code:str}/summary", summary="Resumen de un distrito")
    async def district_summary(code: FromPath[str], request: Request) -> dict[str, Any]:
        return await api.district_summary(code, request)

    @get("/padron/beneficiaries", summary="Beneficiarios de un distrito, por páginas")
    async def beneficiaries(request: Request) -> dict[str, Any]:
        return await api.beneficiaries(request)

    @get("/padron/beneficiaries.csv", summary="Beneficiarios de un distrito en CSV")
    async def beneficiaries_csv(request: Request) -> Stream:
        return await api.beneficiaries_csv(request)

    @get("/padron/beneficiaries/{beneficiary_id:str}", summary="Ficha de un beneficiario")
    async def beneficiary(beneficiary_id: FromPath[str], request: Request) -> dict[str, Any]:
        return await api.beneficiary(beneficiary_id, request)

    @get("/padron/categories", summary="Personas del padrón por categoría, por páginas")
    async def categories(request: Request) -> dict[str, Any]:
        return await api.categories(request)

    @get("/padron/categories.csv", summary="Personas del padrón por categoría en CSV")
    async def categories_csv(request: Request) -> Stream:
        return await api.categories_csv(request)

    @get("/padron/access-log", summary="Registro de accesos a datos personales (Ley 29733)")
    async def access_log(request: Request) -> dict[str, Any]:
        return await api.access_log(request)

    return [
        summary,
        region_summary,
        district_summary,
        beneficiaries,
        beneficiaries_csv,
        beneficiary,
        categories,
        categories_csv,
        access_log,
    ]

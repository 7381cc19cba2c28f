"""The scoped views of the padrón: summaries, the district list, one beneficiary, padrón categories,
CSV exports and the access log. The caller comes from the token only; every read of personal data is
written to the access log, and every refusal too."""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any, NoReturn
from uuid import UUID

import asyncpg
from litestar import Request, get
from litestar.params import FromPath
from litestar.response import Stream

from contracts import ubigeo
from eventkit.clock import LIMA
from eventkit.http import UserError
from eventkit.paging import PageQuery, page_of
from eventkit.providers import PageDep, Units, UnitsDep
from padron.beneficiaries.domain import STATUSES
from padron.shared import accesslog, csvexport
from padron.shared.api import ScopeDep, deny
from padron.shared.scope import Scope
from padron.views import domain, repo

CHUNK = 1000
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


def outside(caller: Scope) -> str:
    """Why another jurisdiction's data is refused, in the caller's terms."""
    if caller.kind == "REGION":
        region = ubigeo.regions().get(caller.ubigeo or "", "")
        return f"Su gobierno regional solo puede consultar datos de la región {region}."
    if caller.kind == "DISTRICT":
        district = domain.district_name(caller.ubigeo or "")
        return f"Su municipalidad solo puede consultar datos de su distrito ({district})."
    return ENTITY_CATEGORIES


def bad_query(field: str, message: str) -> UserError:
    return UserError("Hay parámetros de consulta no válidos.", 400, {field: message})


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


def split(page: Any) -> tuple[list[Row], str | None]:
    return page.items, page.next


def ids(rows: list[Row]) -> list[UUID]:
    return [r["beneficiary_id"] for r in rows]


def by_name(row: Row) -> tuple[str, UUID]:
    return row["names"], row["beneficiary_id"]


def by_place(row: Row) -> tuple[str, UUID]:
    return row["ubigeo"], row["beneficiary_id"]


def span_of(caller: Scope) -> tuple[str, str]:
    """The ubigeo range a caller sees of the padrón."""
    if caller.kind == "REGION":
        return domain.region_span(caller.ubigeo or "")
    if caller.kind == "DISTRICT":
        return caller.ubigeo or "", caller.ubigeo or ""
    return domain.NATIONAL


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
    """The views of one request: the caller's scope, the page asked for, short transactions, logged refusals.

    Each block opens a transaction of its own (``units``): a refusal is logged outside the one it rolls
    back, and a CSV export reads chunk by chunk while the download runs.
    """

    def __init__(self, caller: Scope, units: Units, page: PageQuery | None = None):
        self.caller = caller
        self.units = units
        self.page = page or PageQuery()

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[asyncpg.Connection]:
        async with self.units.open() as uow:
            yield uow.conn

    async def deny(self, caller: Scope, resource: str, message: str, status: int = 403) -> NoReturn:
        await deny(self.units, caller, resource, message, status)

    async def summary(self, request: Request) -> dict[str, Any]:
        caller = self.caller
        async with self.transaction() as conn:
            padron = await repo.find_padron(conn)
            if caller.kind == "STAFF":
                return await repo.national_summary(conn, padron)
            if caller.kind == "REGION":
                return await repo.region_summary(conn, caller.ubigeo or "", padron)
            if caller.kind == "DISTRICT":
                return await repo.district_summary(conn, caller.ubigeo or "", padron)
            return await repo.entity_summary(conn, padron)

    async def region_summary(self, region: str, request: Request) -> dict[str, Any]:
        caller = self.caller
        if not ubigeo.is_region(region):
            raise UserError(NO_REGION, 404)
        if not caller.covers_region(region):
            await self.deny(caller, resource(request), outside(caller))
        async with self.transaction() as conn:
            return await repo.region_summary(conn, region, await repo.find_padron(conn))

    async def district_summary(self, code: str, request: Request) -> dict[str, Any]:
        caller = self.caller
        if not ubigeo.is_district(code):
            raise UserError(NO_DISTRICT, 404)
        if not caller.covers_district(code):
            await self.deny(caller, resource(request), outside(caller))
        async with self.transaction() as conn:
            return await repo.district_summary(conn, code, await repo.find_padron(conn))

    async def district_of(self, caller: Scope, request: Request) -> str:
        """The district whose list is asked for: only the district itself, or program staff, read one."""
        if caller.kind == "REGION":
            await self.deny(caller, resource(request), REGION_COUNTS)
        if caller.kind == "ENTITY":
            await self.deny(caller, resource(request), ENTITY_CATEGORIES)
        code = request.query_params.get("ubigeo") or (caller.ubigeo if caller.kind == "DISTRICT" else None)
        if not code:
            raise bad_query("ubigeo", "Indique el distrito (ubigeo de 6 dígitos).")
        if not ubigeo.is_district(code):
            raise UserError(NO_DISTRICT, 404)
        if not caller.covers_district(code):
            await self.deny(caller, resource(request), outside(caller))
        return code

    async def beneficiaries(self, request: Request) -> dict[str, Any]:
        caller = self.caller
        code = await self.district_of(caller, request)
        status = choice_of(request, "status", STATUSES)
        after = self.page.key(tuple[str, UUID], domain.FIRST_NAME)
        limit = self.page.limit
        staff = caller.kind == "STAFF"
        columns = domain.LIST_COLUMNS + (domain.BANK_COLUMNS if staff else ())
        async with self.transaction() as conn:
            rows = await repo.beneficiaries_page(conn, code, status, after, limit + 1, columns)
            shown, following = split(page_of(rows, limit, by_name))
            await accesslog.record(conn, caller, "LIST_BENEFICIARIES", resource(request), beneficiary_ids=ids(shown))
        items = [domain.beneficiary_item(r, bank=staff) for r in shown]
        return {"district": {"code": code, "name": domain.district_name(code)}, "items": items, "next": following}

    async def beneficiaries_csv(self, request: Request) -> Stream:
        caller = self.caller
        code = await self.district_of(caller, request)
        status = choice_of(request, "status", STATUSES)
        columns = domain.STAFF_EXPORT if caller.kind == "STAFF" else domain.DISTRICT_EXPORT
        # Logged, and committed, before any row leaves: an interrupted download is on record too.
        async with self.transaction() as conn:
            count = await repo.expected_rows(conn, code, status)
            await accesslog.record(conn, caller, "EXPORT_CSV", resource(request), records=count)

        async def chunk(after: tuple[str, UUID]) -> list[Row]:
            async with self.transaction() as conn:
                return await repo.beneficiaries_page(conn, code, status, after, CHUNK, columns)

        return csv_file(streamed(columns, chunk, by_name, domain.FIRST_NAME), f"padron-{code}.csv")

    async def beneficiary(self, beneficiary_id: str, request: Request) -> dict[str, Any]:
        caller = self.caller
        if caller.kind in ("REGION", "ENTITY"):
            await self.deny(caller, resource(request), NO_BENEFICIARY, 404)
        try:
            bid = UUID(beneficiary_id)
        except ValueError:
            raise UserError(NO_BENEFICIARY, 404) from None
        async with self.transaction() as conn:
            row = await repo.beneficiary(conn, bid)
            if row is not None and caller.covers_district(row["ubigeo"]):
                detail = await repo.beneficiary_detail(conn, row, bank=caller.kind == "STAFF")
                await accesslog.record(conn, caller, "VIEW_BENEFICIARY", resource(request), beneficiary_ids=[bid])
                return detail
        if row is None and caller.kind == "STAFF":
            raise UserError(NO_BENEFICIARY, 404)
        # Another district's beneficiary answers as one that does not exist: nobody can probe who lives where.
        await self.deny(caller, resource(request), NO_BENEFICIARY, 404)
        raise AssertionError("deny always raises")

    async def padron_of(self, conn: asyncpg.Connection, period: str | None) -> asyncpg.Record:
        found = await repo.find_padron(conn, period)
        if found is None:
            raise UserError(
                f"No hay un padrón publicado del periodo {period}." if period else "Aún no hay un padrón publicado.",
                404,
            )
        return found

    async def categories(self, request: Request) -> dict[str, Any]:
        caller = self.caller
        category = choice_of(request, "category", domain.CATEGORIES, required=True)
        period = period_of(request)
        after = self.page.key(tuple[str, UUID], domain.FIRST_ENTRY)
        limit = self.page.limit
        async with self.transaction() as conn:
            padron = await self.padron_of(conn, period)
            rows = await repo.category_page(conn, padron["padron_id"], category, span_of(caller), after, limit + 1)
            shown, following = split(page_of(rows, limit, by_place))
            await accesslog.record(conn, caller, "LIST_CATEGORIES", resource(request), beneficiary_ids=ids(shown))
        shape = domain.masked_entry if caller.kind == "ENTITY" else domain.entry_item
        items = [shape(r) for r in shown]
        return {"padron": domain.padron_view(padron), "category": category, "items": items, "next": following}

    async def categories_csv(self, request: Request) -> Stream:
        caller = self.caller
        category = choice_of(request, "category", domain.CATEGORIES, required=True) or ""
        period = period_of(request)
        span = span_of(caller)
        async with self.transaction() as conn:
            padron = await self.padron_of(conn, period)
            count = await repo.expected_entries(conn, padron["padron_id"], category, span)
            await accesslog.record(conn, caller, "EXPORT_CSV", resource(request), records=count)
        masked = caller.kind == "ENTITY"

        async def chunk(after: tuple[str, UUID]) -> list[Row]:
            async with self.transaction() as conn:
                return await repo.category_page(conn, padron["padron_id"], category, span, after, CHUNK)

        body = streamed(
            domain.MASKED_COLUMNS if masked else domain.ENTRY_COLUMNS,
            chunk,
            by_place,
            domain.FIRST_ENTRY,
            domain.masked_entry if masked else domain.entry_item,
        )
        return csv_file(body, f"padron-{padron['period']}-{category}.csv")

    async def access_log(self, request: Request) -> dict[str, Any]:
        caller = self.caller
        if caller.kind != "STAFF":
            await self.deny(caller, resource(request), STAFF_ONLY)
        username = request.query_params.get("username") or None
        action = request.query_params.get("action") or None
        since = since_of(request)
        (before,) = self.page.key(tuple[int], (domain.LAST_ENTRY,))
        limit = self.page.limit
        async with self.transaction() as conn:
            rows = await repo.access_page(
                conn, username=username, since=since, action=action, before=before, limit=limit + 1
            )
        shown, following = split(page_of(rows, limit, lambda r: (r["entry_id"],)))
        return {"items": [dict(r) for r in shown], "next": following}


def routes() -> list[Any]:
    @get("/padron/summary", summary="Resumen del padrón en la jurisdicción del usuario")
    async def summary(request: Request, caller: ScopeDep, units: UnitsDep) -> dict[str, Any]:
        return await ViewsApi(caller, units).summary(request)

    @get("/padron/regions/{region:str}/summary", summary="Resumen de una región, por provincia y distrito")
    async def region_summary(
        region: FromPath[str], request: Request, caller: ScopeDep, units: UnitsDep
    ) -> dict[str, Any]:
        return await ViewsApi(caller, units).region_summary(region, request)

    @get("/padron/districts/{code:str}/summary", summary="Resumen de un distrito")
    async def district_summary(
        code: FromPath[str], request: Request, caller: ScopeDep, units: UnitsDep
    ) -> dict[str, Any]:
        return await ViewsApi(caller, units).district_summary(code, request)

    @get("/padron/beneficiaries", summary="Beneficiarios de un distrito, por páginas")
    async def beneficiaries(request: Request, caller: ScopeDep, units: UnitsDep, page: PageDep) -> dict[str, Any]:
        return await ViewsApi(caller, units, page).beneficiaries(request)

    @get("/padron/beneficiaries.csv", summary="Beneficiarios de un distrito en CSV")
    async def beneficiaries_csv(request: Request, caller: ScopeDep, units: UnitsDep) -> Stream:
        return await ViewsApi(caller, units).beneficiaries_csv(request)

    @get("/padron/beneficiaries/{beneficiary_id:str}", summary="Ficha de un beneficiario")
    async def beneficiary(
        beneficiary_id: FromPath[str], request: Request, caller: ScopeDep, units: UnitsDep
    ) -> dict[str, Any]:
        return await ViewsApi(caller, units).beneficiary(beneficiary_id, request)

    @get("/padron/categories", summary="Personas del padrón por categoría, por páginas")
    async def categories(request: Request, caller: ScopeDep, units: UnitsDep, page: PageDep) -> dict[str, Any]:
        return await ViewsApi(caller, units, page).categories(request)

    @get("/padron/categories.csv", summary="Personas del padrón por categoría en CSV")
    async def categories_csv(request: Request, caller: ScopeDep, units: UnitsDep) -> Stream:
        return await ViewsApi(caller, units).categories_csv(request)

    @get("/padron/access-log", summary="Registro de accesos a datos personales (Ley 29733)")
    async def access_log(request: Request, caller: ScopeDep, units: UnitsDep, page: PageDep) -> dict[str, Any]:
        return await ViewsApi(caller, units, page).access_log(request)

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

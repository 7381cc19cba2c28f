"""The CSV exports: a district's beneficiaries and the padrón by category, streamed in keyset chunks.

Logged, and committed, before any row leaves: an interrupted download is on record too.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any
from uuid import UUID

from litestar import Request, get
from litestar.openapi.datastructures import ResponseSpec
from litestar.response import Stream

from eventkit.http import refusals
from eventkit.providers import UnitsDep
from padron.beneficiaries.domain import STATUSES
from padron.shared import accesslog, csvexport
from padron.shared.api import ScopeDep, resource
from padron.views import domain, repo
from padron.views.api.common import (
    CategoryQuery,
    PeriodQuery,
    Scoped,
    StatusQuery,
    UbigeoQuery,
    choice_of,
    period_of,
    span_of,
)
from padron.views.api.lists import Row, by_name, by_place

CHUNK = 1000
CSV_TYPE = "text/csv; charset=utf-8"
# The success answer documented as what it is: a text file, not an empty schema.
CSV_FILE = ResponseSpec(
    data_container=str,
    media_type=CSV_TYPE,
    description="El archivo CSV: UTF-8 con BOM, comas, una fila por persona.",
    generate_examples=False,
)


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


class Exports(Scoped):
    async def beneficiaries_csv(self, request: Request, district: str | None, status: str | None) -> Stream:
        caller = self.caller
        code = await self.district_of(caller, request, district)
        status = choice_of(status, "status", STATUSES)
        columns = domain.STAFF_EXPORT if caller.kind == "STAFF" else domain.DISTRICT_EXPORT
        async with self.transaction() as conn:
            count = await repo.expected_rows(conn, code, status)
            await accesslog.record(conn, caller, "EXPORT_CSV", resource(request), records=count)

        async def chunk(after: tuple[str, UUID]) -> list[Row]:
            async with self.transaction() as conn:
                return await repo.beneficiaries_page(conn, code, status, after, CHUNK, columns)

        return csv_file(streamed(columns, chunk, by_name, domain.FIRST_NAME), f"padron-{code}.csv")

    async def categories_csv(self, request: Request, category: str | None, period: str | None) -> Stream:
        caller = self.caller
        category = choice_of(category, "category", domain.CATEGORIES, required=True) or ""
        period = period_of(period)
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


def routes() -> list[Any]:
    @get(
        "/padron/beneficiaries.csv",
        summary="Beneficiarios de un distrito en CSV",
        media_type=CSV_TYPE,
        responses={200: CSV_FILE, **refusals(401, 403, 404, 422)},
    )
    async def beneficiaries_csv(
        request: Request, caller: ScopeDep, units: UnitsDep, ubigeo: UbigeoQuery = None, status: StatusQuery = None
    ) -> Stream:
        return await Exports(caller, units).beneficiaries_csv(request, ubigeo, status)

    @get(
        "/padron/categories.csv",
        summary="Personas del padrón por categoría en CSV",
        media_type=CSV_TYPE,
        responses={200: CSV_FILE, **refusals(401, 403, 404, 422)},
    )
    async def categories_csv(
        request: Request,
        caller: ScopeDep,
        units: UnitsDep,
        category: CategoryQuery = None,
        period: PeriodQuery = None,
    ) -> Stream:
        return await Exports(caller, units).categories_csv(request, category, period)

    return [beneficiaries_csv, categories_csv]

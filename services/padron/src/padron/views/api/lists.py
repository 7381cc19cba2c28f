"""The lists of personal data, page by page: a district's beneficiaries, one beneficiary, the padrón by category.

Every read is written to the access log in the transaction that reads it.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import msgspec
from litestar import Request, get
from litestar.params import FromPath
from msgspec import UNSET, UnsetType

from eventkit.http import UserError, refusals
from eventkit.paging import page_of
from eventkit.providers import PageDep, UnitsDep
from padron.beneficiaries.domain import STATUSES
from padron.shared import accesslog
from padron.shared.api import ScopeDep, resource, view
from padron.views import domain, repo
from padron.views.api.common import (
    NO_BENEFICIARY,
    CategoryQuery,
    PeriodQuery,
    Scoped,
    StatusQuery,
    UbigeoQuery,
    choice_of,
    period_of,
    span_of,
)
from padron.views.api.summaries import PadronRef

Row = Any  # an asyncpg.Record or a mapping shaped from one


class District(msgspec.Struct, kw_only=True):
    code: str
    name: str


class BeneficiaryItem(msgspec.Struct, kw_only=True):
    beneficiary_id: UUID
    dni: str
    names: str
    birth_date: date
    sex: str
    ubigeo: str
    address: str
    phone: str | None
    contact_name: str | None
    contact_phone: str | None
    status: str
    status_reason: str | None
    affiliated_on: date
    bank_name: str | UnsetType | None = UNSET
    """Programme staff only, as ``bank_account``."""
    bank_account: str | UnsetType | None = UNSET


class BeneficiaryPage(msgspec.Struct, kw_only=True):
    district: District
    items: list[BeneficiaryItem]
    next: str | None


class StatusStep(msgspec.Struct, kw_only=True):
    status: str
    reason: str | None
    changed_at: datetime
    changed_by: str


class AuthorizationStep(msgspec.Struct, kw_only=True):
    action: str
    valid_until: date | None
    reason: str | None
    at: datetime
    by_user: str


class CurrentAuthorization(msgspec.Struct, kw_only=True):
    authorization_id: UUID
    collector_dni: str
    collector_names: str
    relationship: str
    state: str
    valid_from: date
    valid_until: date
    history: list[AuthorizationStep]


class BeneficiaryRecord(BeneficiaryItem, kw_only=True):
    """The whole record, its status history and its current collection authorization."""

    certificate_number: str
    certificate_severity: str
    certificate_issuer: str
    certificate_date: date
    sisfoh_classification: str
    sisfoh_expires_on: date
    other_pension: bool
    status_changed_at: datetime
    requirements: dict[str, bool]
    updated_at: datetime
    district: str
    status_history: list[StatusStep]
    authorization: CurrentAuthorization | None


class Entry(msgspec.Struct, kw_only=True):
    """A padrón entry; another ally sees only the masked DNI and names, the district and the category."""

    dni: str
    names: str
    district: str
    category: str
    beneficiary_id: UUID | UnsetType = UNSET
    ubigeo: str | UnsetType = UNSET
    status: str | UnsetType = UNSET
    amount: Decimal | UnsetType = UNSET


class CategoryPage(msgspec.Struct, kw_only=True):
    padron: PadronRef
    category: str
    items: list[Entry]
    next: str | None


def ids(rows: list[Row]) -> list[UUID]:
    return [r["beneficiary_id"] for r in rows]


def by_name(row: Row) -> tuple[str, UUID]:
    return row["names"], row["beneficiary_id"]


def by_place(row: Row) -> tuple[str, UUID]:
    return row["ubigeo"], row["beneficiary_id"]


class Lists(Scoped):
    async def beneficiaries(self, request: Request, district: str | None, status: str | None) -> dict[str, Any]:
        caller = self.caller
        code = await self.district_of(caller, request, district)
        status = choice_of(status, "status", STATUSES)
        after = self.page.key(tuple[str, UUID], domain.FIRST_NAME)
        limit = self.page.limit
        staff = caller.kind == "STAFF"
        columns = domain.LIST_COLUMNS + (domain.BANK_COLUMNS if staff else ())
        async with self.transaction() as conn:
            rows = await repo.beneficiaries_page(conn, code, status, after, limit + 1, columns)
            page = page_of(rows, limit, by_name)
            await accesslog.record(
                conn, caller, "LIST_BENEFICIARIES", resource(request), beneficiary_ids=ids(page.items)
            )
        items = [domain.beneficiary_item(r, bank=staff) for r in page.items]
        return {"district": {"code": code, "name": domain.district_name(code)}, "items": items, "next": page.next}

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

    async def categories(self, request: Request, category: str | None, period: str | None) -> dict[str, Any]:
        caller = self.caller
        category = choice_of(category, "category", domain.CATEGORIES, required=True)
        period = period_of(period)
        after = self.page.key(tuple[str, UUID], domain.FIRST_ENTRY)
        limit = self.page.limit
        async with self.transaction() as conn:
            padron = await self.padron_of(conn, period)
            rows = await repo.category_page(conn, padron["padron_id"], category, span_of(caller), after, limit + 1)
            page = page_of(rows, limit, by_place)
            await accesslog.record(conn, caller, "LIST_CATEGORIES", resource(request), beneficiary_ids=ids(page.items))
        shape = domain.masked_entry if caller.kind == "ENTITY" else domain.entry_item
        items = [shape(r) for r in page.items]
        return {"padron": domain.padron_view(padron), "category": category, "items": items, "next": page.next}


def routes() -> list[Any]:
    @get(
        "/padron/beneficiaries",
        summary="Beneficiarios de un distrito, por páginas",
        responses=refusals(401, 403, 404, 422),
    )
    async def beneficiaries(
        request: Request,
        caller: ScopeDep,
        units: UnitsDep,
        page: PageDep,
        ubigeo: UbigeoQuery = None,
        status: StatusQuery = None,
    ) -> BeneficiaryPage:
        return view(await Lists(caller, units, page).beneficiaries(request, ubigeo, status), BeneficiaryPage)

    @get(
        "/padron/beneficiaries/{beneficiary_id:str}",
        summary="Ficha de un beneficiario",
        responses=refusals(401, 403, 404),
    )
    async def beneficiary(
        beneficiary_id: FromPath[str], request: Request, caller: ScopeDep, units: UnitsDep
    ) -> BeneficiaryRecord:
        return view(await Lists(caller, units).beneficiary(beneficiary_id, request), BeneficiaryRecord)

    @get(
        "/padron/categories",
        summary="Personas del padrón por categoría, por páginas",
        responses=refusals(401, 403, 404, 422),
    )
    async def categories(
        request: Request,
        caller: ScopeDep,
        units: UnitsDep,
        page: PageDep,
        category: CategoryQuery = None,
        period: PeriodQuery = None,
    ) -> CategoryPage:
        return view(await Lists(caller, units, page).categories(request, category, period), CategoryPage)

    return [beneficiaries, beneficiary, categories]

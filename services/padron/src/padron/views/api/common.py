"""What the views' routes share: the caller's reach, the query parameters they declare and check, short transactions."""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from typing import Annotated, NoReturn

import asyncpg
from litestar import Request
from litestar.params import QueryParameter

from contracts import ubigeo
from eventkit.clock import LIMA
from eventkit.http import UserError
from eventkit.paging import PageQuery
from eventkit.providers import Units
from padron.beneficiaries.domain import Status
from padron.shared.api import deny, resource
from padron.shared.scope import Scope
from padron.views import domain, repo

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

# The query parameters, declared so the OpenAPI document lists them. A value outside a Literal is refused
# by the decoder (422, "Valor no permitido."); the checks below refuse the rest, 422 too.
UbigeoQuery = Annotated[
    str | None,
    QueryParameter(
        name="ubigeo",
        description="Ubigeo del distrito (6 dígitos). Una municipalidad puede omitirlo: se usa el suyo.",
    ),
]
StatusQuery = Annotated[
    Status | None, QueryParameter(name="status", description="Solo los beneficiarios en este estado.")
]
CategoryQuery = Annotated[
    domain.Category | None,
    # Required, yet typed optional: a missing one is then answered by ``choice_of`` naming it, in Spanish,
    # instead of the framework's bare 400.
    QueryParameter(name="category", required=True, description="Categoría del padrón que se consulta."),
]
PeriodQuery = Annotated[
    str | None,
    QueryParameter(
        name="period",
        description="Periodo del padrón, por ejemplo V-2022; sin él, el último padrón publicado.",
    ),
]
SinceQuery = Annotated[
    str | None,
    QueryParameter(
        name="since",
        description="Solo lo ocurrido desde esta fecha (AAAA-MM-DD) o fecha y hora (AAAA-MM-DDTHH:MM, hora de Lima).",
    ),
]


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
    """A query value refused: 422 naming it, as the kit answers a value its decoder refuses."""
    return UserError("Hay parámetros de consulta no válidos.", 422, {field: message})


def choice_of(value: str | None, name: str, allowed: Sequence[str], *, required: bool = False) -> str | None:
    raw = value or None
    if raw is None and required:
        raise bad_query(name, f"Indique {name}: {', '.join(allowed)}.")
    if raw is not None and raw not in allowed:
        raise bad_query(name, f"Use {', '.join(allowed)}.")
    return raw


def period_of(value: str | None) -> str | None:
    period = value or None
    if period is not None and not _PERIOD.fullmatch(period):
        raise bad_query("period", "Periodo no válido; use por ejemplo V-2022.")
    return period


def since_of(raw: str | None) -> datetime | None:
    if not raw:
        return None
    try:
        since = datetime.fromisoformat(raw)
    except ValueError:
        raise bad_query("since", "Fecha no válida; use AAAA-MM-DD o AAAA-MM-DDTHH:MM.") from None
    return since if since.tzinfo else since.replace(tzinfo=LIMA)


def span_of(caller: Scope) -> tuple[str, str]:
    """The ubigeo range a caller sees of the padrón."""
    if caller.kind == "REGION":
        return domain.region_span(caller.ubigeo or "")
    if caller.kind == "DISTRICT":
        return caller.ubigeo or "", caller.ubigeo or ""
    return domain.NATIONAL


class Scoped:
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

    async def district_of(self, caller: Scope, request: Request, asked: str | None) -> str:
        """The district whose list is asked for (``asked``, the ``ubigeo`` query value): only the district
        itself, or program staff, read one."""
        if caller.kind == "REGION":
            await self.deny(caller, resource(request), REGION_COUNTS)
        if caller.kind == "ENTITY":
            await self.deny(caller, resource(request), ENTITY_CATEGORIES)
        code = asked or (caller.ubigeo if caller.kind == "DISTRICT" else None)
        if not code:
            raise bad_query("ubigeo", "Indique el distrito (ubigeo de 6 dígitos).")
        if not ubigeo.is_district(code):
            raise UserError(NO_DISTRICT, 404)
        if not caller.covers_district(code):
            await self.deny(caller, resource(request), outside(caller))
        return code

    async def padron_of(self, conn: asyncpg.Connection, period: str | None) -> asyncpg.Record:
        found = await repo.find_padron(conn, period)
        if found is None:
            raise UserError(
                f"No hay un padrón publicado del periodo {period}." if period else "Aún no hay un padrón publicado.",
                404,
            )
        return found

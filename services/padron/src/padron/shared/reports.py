"""What alerts and FAD share - both are reports of a local government about a beneficiary of its district:
who may list them, and their newest-first pages with an opaque cursor.

Pure: no framework, no driver.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from padron.shared.errors import FormError, NotFoundError, OutOfScopeError
from padron.shared.scope import Scope

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
BENEFICIARY_NOT_FOUND = "No encontramos a ese usuario en su distrito."


@dataclass(frozen=True)
class ListQuery:
    state: str | None
    after: tuple[datetime, UUID] | None
    limit: int


@dataclass(frozen=True)
class Page:
    items: list[Any]
    next: str | None


def state_filter(raw: str | None, allowed: tuple[str, ...]) -> str | None:
    if not raw:
        return None
    if raw not in allowed:
        choices = f"{', '.join(allowed[:-1])} o {allowed[-1]}"
        raise FormError("Filtro no válido.", {"state": f"Use {choices}."})
    return raw


def page_limit(raw: str | None) -> int:
    if not raw:
        return DEFAULT_LIMIT
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise FormError("Tamaño de página no válido.", {"limit": f"Use un número entre 1 y {MAX_LIMIT}."})
    return int(raw)


def encode_cursor(at: datetime, record_id: UUID) -> str:
    """The position after a record in a newest-first list: opaque to the caller."""
    return base64.urlsafe_b64encode(f"{at.isoformat()}|{record_id}".encode()).decode()


def decode_cursor(raw: str | None) -> tuple[datetime, UUID] | None:
    if not raw:
        return None
    try:
        at, record_id = base64.urlsafe_b64decode(raw.encode()).decode().split("|")
        return datetime.fromisoformat(at), UUID(record_id)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise FormError("Página no válida.", {"after": "Use el valor next de la página anterior."}) from None


def page_of(items: list[Any], limit: int, at: str, record_id: str) -> Page:
    """The repository reads one row more than the page: its presence means there is a next page."""
    items, more = items[:limit], len(items) > limit
    last = items[-1] if more else None
    return Page(items, encode_cursor(getattr(last, at), getattr(last, record_id)) if last else None)


# Who may do what -------------------------------------------------------------------------------------


def check_in_district(scope: Scope, ubigeo: str) -> None:
    """A beneficiary of another district is answered as if it did not exist."""
    if not scope.covers_district(ubigeo):
        raise OutOfScopeError(BENEFICIARY_NOT_FOUND, 404)


def check_may_list(scope: Scope) -> None:
    if scope.kind == "ENTITY":
        raise OutOfScopeError("Su entidad no tiene acceso a alertas ni a FAD.", 403)


def check_staff(scope: Scope, message: str) -> None:
    if scope.kind != "STAFF":
        raise OutOfScopeError(message, 403)


class DistrictLookup(Protocol):
    async def beneficiary_ubigeo(self, beneficiary_id: UUID) -> str | None: ...


async def district_of(beneficiary_id: UUID, scope: Scope, repo: DistrictLookup) -> str:
    """The beneficiary's district; one the caller does not cover is answered as not found."""
    ubigeo = await repo.beneficiary_ubigeo(beneficiary_id)
    if ubigeo is None:
        raise NotFoundError(BENEFICIARY_NOT_FOUND)
    check_in_district(scope, ubigeo)
    return ubigeo

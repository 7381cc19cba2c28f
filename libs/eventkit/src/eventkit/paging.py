"""Keyset paging, one way everywhere: an opaque cursor in, ``limit`` bounded alike, a ``next`` cursor out.

Every list of every service pages with ``?after=<cursor>&limit=<n>``: ``limit`` defaults to
:data:`DEFAULT_LIMIT` and may not exceed :data:`MAX_LIMIT` (a bigger download is a CSV
export's job). The cursor is the sort key of the last row shown, opaque to the caller; an
offset is never used, so a page costs the same however deep it is.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

import msgspec
from litestar.params import FromQuery

from eventkit.http import UserError

DEFAULT_LIMIT = 50
MAX_LIMIT = 200

BAD_PAGE = "La página pedida no es válida."
BAD_LIMIT = f"Use un número entre 1 y {MAX_LIMIT}."
BAD_CURSOR = "Use el valor next de la página anterior."

T = TypeVar("T")
K = TypeVar("K")


class Page(msgspec.Struct, Generic[T], frozen=True):
    """One page of a list: its items and the cursor of the next page (``None`` on the last one)."""

    items: list[T]
    next: str | None = None


def encode_cursor(*key: Any) -> str:
    """An opaque cursor: base64url of the JSON of the last row's sort key."""
    return base64.urlsafe_b64encode(msgspec.json.encode(key)).rstrip(b"=").decode()


def decode_cursor(token: str, kind: type[K]) -> K:
    """The sort key in ``token`` as ``kind`` (e.g. ``tuple[str, UUID]``); a 422 naming ``after`` when it is not one."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        return msgspec.json.decode(raw, type=kind)
    except (binascii.Error, ValueError, msgspec.DecodeError, msgspec.ValidationError):
        raise UserError(BAD_PAGE, 422, {"after": BAD_CURSOR}) from None


class PageQuery(msgspec.Struct, frozen=True):
    """What the caller asked for: the raw cursor (``None``: the first page) and a bounded ``limit``."""

    after: str | None = None
    limit: int = DEFAULT_LIMIT

    def key(self, kind: type[K], first: K) -> K:
        """Where the page starts: the cursor's sort key, or ``first`` on the first page."""
        return first if not self.after else decode_cursor(self.after, kind)

    def fetch(self) -> int:
        """How many rows to read: one more than the page, whose presence means there is a next page."""
        return self.limit + 1


def page_query(after: FromQuery[str | None] = None, limit: FromQuery[str | None] = None) -> PageQuery:
    """Check ``?after=&limit=``; a limit outside 1..MAX_LIMIT is a 422 naming ``limit``.

    Also the Litestar dependency ``page`` (see :mod:`eventkit.providers`), so a route just
    declares ``page: PageQuery``.
    """
    if not limit:
        size = DEFAULT_LIMIT
    elif limit.isdigit() and 1 <= int(limit) <= MAX_LIMIT:
        size = int(limit)
    else:
        raise UserError(BAD_PAGE, 422, {"limit": BAD_LIMIT})
    return PageQuery(after or None, size)


def page_of(rows: Sequence[T], limit: int, key: Callable[[T], tuple[Any, ...]]) -> Page[T]:
    """The first ``limit`` of up to ``limit + 1`` rows read, and the cursor of the next page if there is one."""
    shown = list(rows[:limit])
    return Page(shown, encode_cursor(*key(shown[-1])) if len(rows) > limit else None)

"""Every list pages alike: a default and a maximum limit, an opaque cursor, a next cursor on all but the last page."""

from __future__ import annotations

import uuid

import pytest

from eventkit.http import UserError
from eventkit.paging import DEFAULT_LIMIT, MAX_LIMIT, Page, decode_cursor, encode_cursor, page_of, page_query

pytestmark = pytest.mark.unit


def test_no_limit_asked_gives_the_default_page_from_the_start():
    query = page_query()

    start = query.key(tuple[str, uuid.UUID], ("", uuid.UUID(int=0)))

    assert (query.limit, query.fetch()) == (DEFAULT_LIMIT, DEFAULT_LIMIT + 1)
    assert start == ("", uuid.UUID(int=0))


@pytest.mark.parametrize("limit", ["0", str(MAX_LIMIT + 1), "-3", "diez"])
def test_a_limit_outside_one_to_the_maximum_is_refused_naming_the_field(limit):
    with pytest.raises(UserError) as refused:
        page_query(limit=limit)

    assert refused.value.status == 422
    assert refused.value.errors == {"limit": f"Use un número entre 1 y {MAX_LIMIT}."}


def test_the_cursor_of_a_page_brings_back_the_sort_key_of_its_last_row():
    rows = [("ANA", uuid.uuid4()), ("BETO", uuid.uuid4()), ("CARLA", uuid.uuid4())]

    first = page_of(rows, 2, lambda r: r)
    resumed = page_query(after=first.next, limit="2").key(tuple[str, uuid.UUID], ("", uuid.UUID(int=0)))

    assert first.items == rows[:2]
    assert resumed == rows[1]


def test_the_last_page_has_no_next_cursor():
    page = page_of([1, 2], 2, lambda r: (r,))

    assert page == Page([1, 2], None)


def test_a_cursor_that_was_not_handed_out_is_refused_in_spanish():
    with pytest.raises(UserError) as refused:
        decode_cursor("bm90LWEtY3Vyc29y", tuple[str, uuid.UUID])

    assert refused.value.status == 422
    assert refused.value.errors == {"after": "Use el valor next de la página anterior."}


def test_a_cursor_of_another_list_does_not_fit_this_one():
    other = encode_cursor(42)

    with pytest.raises(UserError):
        decode_cursor(other, tuple[str, uuid.UUID])

"""The day a rule is judged on is Peru's day, whatever the server's clock says."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from eventkit.clock import LIMA, FixedClock, LimaClock

pytestmark = pytest.mark.unit


def test_late_evening_in_lima_is_still_the_same_day_although_utc_has_moved_on():
    clock = FixedClock(datetime(2025, 6, 2, 3, 30, tzinfo=UTC))

    today = clock.today()

    assert today == date(2025, 6, 1)
    assert clock.now().utcoffset().total_seconds() == -5 * 3600


def test_a_fixed_clock_given_a_date_says_that_date_all_day():
    clock = FixedClock(date(2025, 12, 31))

    now = clock.now()

    assert clock.today() == date(2025, 12, 31)
    assert now.tzinfo is LIMA


def test_a_naive_instant_is_read_as_limas_time():
    clock = FixedClock(datetime(2025, 1, 1, 23, 0))

    instant = clock.now()

    assert instant.astimezone(UTC) == datetime(2025, 1, 2, 4, 0, tzinfo=UTC)


def test_the_real_clock_tells_limas_date():
    clock = LimaClock()

    now, today = clock.now(), clock.today()

    assert now.tzinfo is LIMA
    assert today == datetime.now(LIMA).date()

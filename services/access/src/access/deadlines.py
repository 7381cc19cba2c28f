"""Service-level deadline: 5 business days, Peruvian public holidays excluded."""

from __future__ import annotations

from datetime import date, timedelta

import holidays

EVALUATION_BUSINESS_DAYS = 5


def add_business_days(start: date, days: int = EVALUATION_BUSINESS_DAYS) -> date:
    """The date ``days`` business days after ``start`` (weekends and holidays of Peru skipped)."""
    peru = holidays.country_holidays("PE", years=range(start.year, start.year + 2))
    current, counted = start, 0
    while counted < days:
        current += timedelta(days=1)
        if current.weekday() < 5 and current not in peru:
            counted += 1
    return current

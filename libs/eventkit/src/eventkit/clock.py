"""Peru's clock: the day a rule is judged on is Lima's day, not the server's (UTC) one."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

LIMA = ZoneInfo("America/Lima")
"""Peru's time zone; from ``zoneinfo`` rather than a fixed offset, so a future change of the rules is followed."""


class Clock(Protocol):
    """What routes and consumers are given instead of ``date.today()`` / ``datetime.now()``."""

    def now(self) -> datetime:
        """The current instant, aware, in Lima's time zone."""
        ...

    def today(self) -> date:
        """Today's date in Peru."""
        ...


class LimaClock:
    """The real clock, read in Lima: a server keeps UTC, where the day changes five hours early."""

    def now(self) -> datetime:
        return datetime.now(LIMA)

    def today(self) -> date:
        return self.now().date()


class FixedClock:
    """A clock that always says the same instant (tests, demos); a naive ``at`` is taken as Lima's time."""

    def __init__(self, at: datetime | date):
        if not isinstance(at, datetime):
            at = datetime(at.year, at.month, at.day, 12, tzinfo=LIMA)
        self._at = at if at.tzinfo else at.replace(tzinfo=LIMA)

    def now(self) -> datetime:
        return self._at.astimezone(LIMA)

    def today(self) -> date:
        return self.now().date()


def utc_now() -> datetime:
    """The current instant in UTC, for timestamps stored or sent on the bus (not for "which day is it")."""
    return datetime.now(UTC)

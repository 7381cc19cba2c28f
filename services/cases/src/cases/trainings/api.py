"""HTTP routes of the trainings registry (sessions, invitations, attendance, CSV import)."""

from __future__ import annotations

from typing import Any


def routes() -> list[Any]:
    return []

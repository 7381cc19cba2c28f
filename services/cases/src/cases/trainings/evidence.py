"""Training attendance as evidence for a case's district (filled by the trainings registry)."""

from __future__ import annotations

from datetime import date

import asyncpg

from cases.evidence.domain import EvidenceItem


async def training_evidence(conn: asyncpg.Connection, ubigeo: str, as_of: date) -> list[EvidenceItem]:
    """Sessions held on or before ``as_of`` that the district attended, and those it was invited to and missed."""
    raise NotImplementedError("the trainings registry is being built")

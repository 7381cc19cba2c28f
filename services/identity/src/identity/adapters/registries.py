"""File-backed adapters of the external registries (RENIEC, JNE), read once at start from the shipped CSVs."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date
from pathlib import Path

from identity.adapters.registry_gen import AUTHORITIES_FILE, CITIZENS_FILE, DATA_DIR
from identity.domain import Authority, AuthorityKind, RegisteredEntity


class FileCitizenRegistry:
    """DNI -> names, from ``citizens.csv``."""

    def __init__(self, path: Path = DATA_DIR / CITIZENS_FILE):
        with path.open(encoding="utf-8", newline="") as f:
            self._names = {row["dni"]: row["names"] for row in csv.DictReader(f)}

    def find(self, dni: str) -> str | None:
        return self._names.get(dni)


class FileAuthorityRegister:
    """Who held each post and when, from ``authorities.csv``."""

    def __init__(self, path: Path = DATA_DIR / AUTHORITIES_FILE):
        self._posts: dict[tuple[str, str], list[Authority]] = defaultdict(list)
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                authority = Authority(
                    kind=row["kind"],  # type: ignore[arg-type]
                    jurisdiction=row["jurisdiction"],
                    role=row["role"],
                    dni=row["dni"],
                    names=row["names"],
                    period_start=date.fromisoformat(row["period_start"]),
                    period_end=date.fromisoformat(row["period_end"]),
                    entity_name=row["entity_name"] or None,
                    public=(row["public"] == "true") if row["public"] else None,
                )
                self._posts[(authority.kind, authority.jurisdiction)].append(authority)

    def current(self, kind: AuthorityKind, jurisdiction: str, on_date: date) -> Authority | None:
        for authority in self._posts.get((kind, jurisdiction), ()):
            if authority.holds_office_on(on_date):
                return authority
        return None

    def entities(self) -> list[RegisteredEntity]:
        """Every entity with a head in the register, by name."""
        found = {
            a.jurisdiction: RegisteredEntity(a.jurisdiction, a.entity_name or "", bool(a.public))
            for (kind, _), posts in self._posts.items()
            if kind == "TITULAR"
            for a in posts
        }
        return sorted(found.values(), key=lambda e: e.name)

"""Padrón versions: bimonthly periods, the categories of a new padrón, its totals.

Pure: no framework, no driver. The publication SQL takes its categories from ``category_rules()``, so the
rule is written once, here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from padron.beneficiaries.domain import PENSION_SOLES, STATUSES
from padron.shared.errors import ConflictError, FormError

CATEGORIES = ("CONTINUADOR", "NUEVO", "REINCORPORADO", "SUSPENDIDO", "DESAFILIADO")
# A padrón entry is paid when the beneficiary is VIGENTE: these three categories.
PAID_CATEGORIES = ("CONTINUADOR", "NUEVO", "REINCORPORADO")
ROMAN = ("I", "II", "III", "IV", "V", "VI")


# Periods -------------------------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Period:
    """A bimonthly period of the padrón, 'V-2022': the fifth bimester (September-October) of 2022."""

    year: int
    bimester: int

    @classmethod
    def parse(cls, text: str) -> Period:
        match = re.fullmatch(r"(I|II|III|IV|V|VI)-(\d{4})", (text or "").strip().upper())
        if not match:
            raise FormError(
                "El periodo no es válido.", {"period": "Use el bimestre en romanos y el año, por ejemplo V-2022."}
            )
        return cls(int(match.group(2)), ROMAN.index(match.group(1)) + 1)

    @property
    def order(self) -> int:
        """year * 10 + bimester: sorts periods and finds the previous version."""
        return self.year * 10 + self.bimester

    def __str__(self) -> str:
        return f"{ROMAN[self.bimester - 1]}-{self.year}"


def check_next_period(period: Period, latest: Period | None) -> None:
    """A new version must come after the latest published one."""
    if latest is not None and period <= latest:
        raise ConflictError(
            f"El padrón {period} no es posterior al último publicado ({latest}); solo se publica el siguiente."
        )


# Categories ----------------------------------------------------------------------------------------------


def category(previous: str | None, seen_before: bool, current: str) -> str | None:
    """A beneficiary's category in a new padrón, from its status in the previous version (None: absent),
    whether it was in any older version, and its status now. None: not in the padrón."""
    if current == "VIGENTE":
        if previous == "VIGENTE":
            return "CONTINUADOR"
        if previous in ("SUSPENDIDO", "DESAFILIADO") or (previous is None and seen_before):
            return "REINCORPORADO"
        return "NUEVO"
    if current == "SUSPENDIDO":
        return "SUSPENDIDO"
    if current == "DESAFILIADO" and previous in ("VIGENTE", "SUSPENDIDO"):
        return "DESAFILIADO"
    return None


def amount_for(status: str) -> Decimal:
    """The pension of one bimonthly period: paid to VIGENTE beneficiaries only."""
    return Decimal(PENSION_SOLES if status == "VIGENTE" else 0).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class CategoryRule:
    previous: str  # '' when absent from the previous version
    seen_before: bool
    current: str
    category: str
    amount: Decimal


def category_rules() -> list[CategoryRule]:
    """``category`` as a table, for a set-based join: every combination that puts someone in the padrón."""
    rules = []
    for previous in (None, *STATUSES):
        for seen in (False, True):
            for current in STATUSES:
                # present in the previous version means seen before: the publication SQL never asks
                if previous is not None and not seen:
                    continue
                found = category(previous, seen, current)
                if found is not None:
                    rules.append(CategoryRule(previous or "", seen, current, found, amount_for(current)))
    return rules


def exit_categories() -> list[str]:
    """The categories after which a beneficiary may be absent from the next padrón.

    Someone absent from the previous version was in an older one exactly when an older entry of theirs has
    one of these categories (their last entry before dropping out does), so publication looks up only those
    few entries instead of every older version.
    """
    exits = {previous for previous in STATUSES for current in STATUSES if category(previous, True, current) is None}
    found = {category(p, seen, s) for s in exits for p in (None, *STATUSES) for seen in (False, True)}
    return sorted(c for c in found if c is not None)


def totals_by_category(counts: dict[str, int]) -> dict[str, int]:
    return {c: counts.get(c, 0) for c in CATEGORIES}


def pension_total(counts: dict[str, int]) -> Decimal:
    return amount_for("VIGENTE") * sum(counts.get(c, 0) for c in PAID_CATEGORIES)

"""Who is asking: a CTVC of one region, or programme staff who answer cases — from the verified token only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from authkit import Claims
from cases.shared.errors import ForbiddenError

STAFF_ROLES = ("ADMIN", "ANALYST")
NOT_FOR_YOU = "Solo los comités CTVC y el personal del programa que atiende casos pueden usar este servicio."


@dataclass(frozen=True)
class Caller:
    kind: Literal["CTVC", "STAFF"]
    username: str
    role: str
    region: str | None = None
    """A CTVC's region (2-digit ubigeo): the only one whose oficios and cases it sees."""
    unit: str | None = None
    """An analyst's unit (``UAC``, ``UOT``...)."""

    @property
    def label(self) -> str:
        """The scope as the access log writes it."""
        return f"CTVC {self.region}" if self.kind == "CTVC" else "NACIONAL"

    def sees_region(self, region: str) -> bool:
        return self.kind == "STAFF" or region == self.region

    def require_staff(self, action: str) -> None:
        """Only programme staff (an administrator or an analyst) may ``action``."""
        if self.kind != "STAFF":
            raise ForbiddenError(f"Solo el personal del programa puede {action}.")


def caller_of(claims: Claims) -> Caller:
    if claims.role in STAFF_ROLES:
        return Caller("STAFF", claims.username, claims.role, unit=claims.unit)
    if claims.role == "CTVC" and claims.ubigeo and len(claims.ubigeo) == 2:
        return Caller("CTVC", claims.username, claims.role, region=claims.ubigeo)
    raise ForbiddenError(NOT_FOR_YOU)

"""Who is asking and what they may see: taken from the verified token only, never from parameters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from authkit import Claims
from padron.shared.errors import OutOfScopeError, ScopeError

ScopeKind = Literal["STAFF", "REGION", "DISTRICT", "ENTITY"]


@dataclass(frozen=True)
class Scope:
    kind: ScopeKind
    username: str
    role: str
    ally_type: str | None = None
    ubigeo: str | None = None  # region (2 digits) or district (6 digits)
    entity_ruc: str | None = None

    @property
    def label(self) -> str:
        """The jurisdiction as written in the access log."""
        if self.kind == "STAFF":
            return "NACIONAL"
        return self.ubigeo or self.entity_ruc or "?"

    def covers_district(self, ubigeo: str) -> bool:
        if self.kind == "STAFF":
            return True
        if self.kind == "REGION":
            return ubigeo[:2] == self.ubigeo
        if self.kind == "DISTRICT":
            return ubigeo == self.ubigeo
        return False

    def covers_region(self, region: str) -> bool:
        return self.kind == "STAFF" or (self.kind == "REGION" and region == self.ubigeo)


def scope_of(claims: Claims) -> Scope:
    if claims.role in ("EVALUATOR", "ADMIN"):
        return Scope("STAFF", claims.username, claims.role)
    if claims.ally_type == "GOBIERNO_REGIONAL" and claims.ubigeo and len(claims.ubigeo) == 2:
        return Scope("REGION", claims.username, claims.role, claims.ally_type, ubigeo=claims.ubigeo)
    if claims.ally_type == "GOBIERNO_LOCAL" and claims.ubigeo and len(claims.ubigeo) == 6:
        return Scope("DISTRICT", claims.username, claims.role, claims.ally_type, ubigeo=claims.ubigeo)
    if claims.ally_type == "OTRO_ALIADO" and claims.entity_ruc:
        return Scope("ENTITY", claims.username, claims.role, claims.ally_type, entity_ruc=claims.entity_ruc)
    raise ScopeError("Su cuenta no tiene una jurisdicción válida para consultar el padrón.", 403)


def require_staff(scope: Scope, action: str) -> None:
    """Only programme staff may ``action`` (a refusal that is logged)."""
    if scope.kind != "STAFF":
        raise OutOfScopeError(f"Solo el personal del programa puede {action}.", 403)

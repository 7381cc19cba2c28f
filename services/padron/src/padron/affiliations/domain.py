"""Affiliation requests: a local government proposes someone of its district; programme staff qualify it.

Pure: no framework, no driver.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from padron.shared import fields
from padron.shared.errors import ConflictError, FormError

AFFILIATION_STATES = ("PENDIENTE", "CONFORME", "NO_CONFORME")


@dataclass(frozen=True)
class AffiliationRef:
    affiliation_id: UUID
    ubigeo: str
    state: str


@dataclass(frozen=True)
class AffiliationInput:
    applicant_dni: str
    applicant_names: str
    detail: str | None


def affiliation_input(body: dict[str, Any]) -> AffiliationInput:
    errors: dict[str, str] = {}
    dni = fields.dni(body.get("applicant_dni"), "applicant_dni", errors)
    names = fields.text(body.get("applicant_names"), "applicant_names", errors)
    detail = str(body.get("detail") or "").strip() or None
    if detail and len(detail) > 2000:
        errors["detail"] = "Máximo 2000 caracteres."
    if errors:
        raise FormError("Hay datos de la solicitud por corregir.", errors)
    return AffiliationInput(dni, names, detail)


def check_affiliation_decision(current: str, decision: str, observations: str) -> None:
    if decision not in ("CONFORME", "NO_CONFORME"):
        raise FormError("La decisión no es válida.", {"state": "Use CONFORME o NO_CONFORME."})
    if decision == "NO_CONFORME" and not observations.strip():
        raise FormError("Faltan las observaciones.", {"observations": "Indique por qué la solicitud no es conforme."})
    if current != "PENDIENTE":
        raise ConflictError(f"La solicitud ya fue atendida ({current}).")


def check_affiliation_state(state: str | None) -> None:
    if state is not None and state not in AFFILIATION_STATES:
        raise FormError("El filtro no es válido.", {"state": "Use PENDIENTE, CONFORME o NO_CONFORME."})

"""Collection authorizations: who may collect a beneficiary's pension, from when to when; renewal and revocation.

Pure: no framework, no driver.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from padron.shared import fields
from padron.shared.errors import ConflictError, FormError, OutOfScopeError
from padron.shared.scope import Scope


@dataclass(frozen=True)
class AuthorizationRef:
    authorization_id: UUID
    beneficiary_id: UUID
    ubigeo: str
    state: str
    valid_until: date


@dataclass(frozen=True)
class AuthorizationInput:
    collector_dni: str
    collector_names: str
    relationship: str
    valid_from: date
    valid_until: date


def authorization_input(body: dict[str, Any], today: date) -> AuthorizationInput:
    errors: dict[str, str] = {}
    dni = fields.dni(body.get("collector_dni"), "collector_dni", errors)
    names = fields.text(body.get("collector_names"), "collector_names", errors)
    relationship = fields.text(body.get("relationship"), "relationship", errors, 60)
    valid_from = fields.parse_date(body.get("valid_from"), "valid_from", errors)
    valid_until = fields.parse_date(body.get("valid_until"), "valid_until", errors)
    if valid_from and valid_until and valid_until < valid_from:
        errors["valid_until"] = "La vigencia debe terminar después de empezar."
    elif valid_until and valid_until < today:
        errors["valid_until"] = "La vigencia ya terminó; indique una fecha de hoy en adelante."
    if errors or valid_from is None or valid_until is None:
        raise FormError("Hay datos de la autorización por corregir.", errors)
    return AuthorizationInput(dni, names, relationship, valid_from, valid_until)


def renewal_until(state: str, current_until: date, raw_until: Any, today: date) -> date:
    """The new end of a renewal: later than the current one and not past. A REVOCADA one stays revoked."""
    if state == "REVOCADA":
        raise ConflictError("La autorización fue revocada y no se puede renovar; registre una nueva.")
    errors: dict[str, str] = {}
    until = fields.parse_date(raw_until, "valid_until", errors)
    if until is None:
        raise FormError("Indique hasta cuándo se renueva.", errors)
    if until <= current_until:
        raise FormError(
            "La renovación debe extender la vigencia.",
            {"valid_until": f"Indique una fecha posterior al {current_until.isoformat()}."},
        )
    if until < today:
        raise FormError("La renovación debe extender la vigencia.", {"valid_until": "La fecha ya pasó."})
    return until


def check_revocation(state: str, reason: str) -> None:
    if state == "REVOCADA":
        raise ConflictError("La autorización ya estaba revocada.")
    if not reason.strip():
        raise FormError("Falta el motivo.", {"reason": "Indique el motivo de la revocación."})


# Who may act -----------------------------------------------------------------------------------------


def require_local_reach(scope: Scope, ubigeo: str) -> None:
    """Staff reach every beneficiary; a local government only those of its district (else 404, logged)."""
    if not scope.covers_district(ubigeo):
        raise OutOfScopeError("No encontramos ese beneficiario en su distrito.", 404)


def require_authorization_actor(scope: Scope) -> None:
    if scope.kind not in ("STAFF", "DISTRICT"):
        raise OutOfScopeError(
            "Las autorizaciones de cobro las gestiona el gobierno local del distrito o el personal del programa; "
            "su cuenta consulta solo los resúmenes.",
            403,
        )

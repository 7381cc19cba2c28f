"""FAD (Ficha de Actualización de Datos): what a local government proposes to update of a beneficiary of its
district, and programme staff deciding it; an approved FAD changes the record and the collection authorization.

Pure: no framework, no driver. Input arrives as decoded JSON, refusals leave as ``padron.shared.errors``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID

from contracts import peru
from padron.shared import fields
from padron.shared.errors import ConflictError, FormError, OutOfScopeError
from padron.shared.fields import NOT_TEXT, UNEXPECTED
from padron.shared.reports import check_may_list
from padron.shared.scope import Scope

FAD_STATES = ("PENDIENTE", "APROBADA", "RECHAZADA")
# Columns of the beneficiary a FAD updates in place; authorized_person goes to collection_authorizations.
CONTACT_FIELDS = ("address", "phone", "contact_name", "contact_phone")
FAD_FIELDS = (*CONTACT_FIELDS, "authorized_person")
PERSON_FIELDS = ("dni", "names", "relationship")

MAX_NOTE = 1000
MAX_ADDRESS = 200
MAX_NAMES = 150
MAX_RELATIONSHIP = 50

UNKNOWN = "Este dato no se puede actualizar con una FAD."
FAD_NOT_FOUND = "No encontramos esa FAD en su jurisdicción."
PHONE_MESSAGE = "Teléfono no válido (celular de 9 dígitos o fijo con código de ciudad)."


@dataclass(frozen=True)
class AuthorizedPerson:
    dni: str
    names: str
    relationship: str

    def text(self) -> str:
        """As written in the FAD history."""
        return f"{self.names} (DNI {self.dni}, {self.relationship})"


@dataclass(frozen=True)
class Decision:
    approve: bool
    note: str | None


@dataclass(frozen=True)
class HistoryEntry:
    field: str
    before_value: str | None
    after_value: str | None
    applied_at: datetime | None = None
    applied_by: str | None = None


@dataclass(frozen=True)
class Fad:
    fad_id: UUID
    beneficiary_id: UUID
    ubigeo: str
    changes: dict[str, Any]
    state: str
    submitted_by: str
    submitted_at: datetime
    decided_by: str | None = None
    decided_at: datetime | None = None
    decision_note: str | None = None
    dni: str | None = None
    names: str | None = None
    history: list[HistoryEntry] = field(default_factory=list)


def _phone(value: Any, errors: dict[str, str], path: str) -> str | None:
    text = fields.strict_text(value, 20, errors, path, PHONE_MESSAGE)
    if text and path not in errors and not peru.is_phone(re.sub(r"[\s-]", "", text)):
        errors[path] = PHONE_MESSAGE
    return text


def _person(value: Any, errors: dict[str, str], path: str) -> dict[str, str] | None:
    if not isinstance(value, dict):
        errors[path] = "Indique dni, names y relationship de la persona autorizada."
        return None
    for name in value:
        if name not in PERSON_FIELDS:
            errors[f"{path}.{name}"] = UNEXPECTED
    dni = fields.strict_text(value.get("dni"), 8, errors, f"{path}.dni", "El DNI debe tener 8 dígitos.")
    if dni and f"{path}.dni" not in errors and not peru.is_dni(dni):
        errors[f"{path}.dni"] = "El DNI debe tener 8 dígitos."
    names = fields.strict_text(
        value.get("names"), MAX_NAMES, errors, f"{path}.names", f"Escriba los nombres en máximo {MAX_NAMES} caracteres."
    )
    relationship = fields.strict_text(
        value.get("relationship"),
        MAX_RELATIONSHIP,
        errors,
        f"{path}.relationship",
        f"Escriba el parentesco o relación en máximo {MAX_RELATIONSHIP} caracteres.",
    )
    return {"dni": dni or "", "names": names or "", "relationship": relationship or ""}


def fad_changes(body: Any) -> dict[str, Any]:
    """``{changes: {...}}`` -> the proposed values, cleaned; at least one, each one checked."""
    body = fields.json_object(body)
    errors = {name: UNEXPECTED for name in body if name != "changes"}
    changes = body.get("changes")
    if not isinstance(changes, dict) or not changes:
        errors["changes"] = "Indique al menos un dato a actualizar."
        raise FormError("La FAD no propone ningún cambio.", errors)
    cleaned: dict[str, Any] = {}
    for name, value in changes.items():
        path = f"changes.{name}"
        if name == "address":
            cleaned[name] = fields.strict_text(
                value, MAX_ADDRESS, errors, path, f"Escriba la dirección en máximo {MAX_ADDRESS} caracteres."
            )
        elif name in ("phone", "contact_phone"):
            cleaned[name] = _phone(value, errors, path)
        elif name == "contact_name":
            cleaned[name] = fields.strict_text(
                value, MAX_NAMES, errors, path, f"Escriba el nombre del contacto en máximo {MAX_NAMES} caracteres."
            )
        elif name == "authorized_person":
            cleaned[name] = _person(value, errors, path)
        else:
            errors[path] = UNKNOWN
    if errors:
        raise FormError("Revise los datos de la FAD.", errors)
    return cleaned


def decision(body: Any) -> Decision:
    """``{approve: true|false, note}``; rejecting needs the reason."""
    body = fields.json_object(body)
    errors = {name: UNEXPECTED for name in body if name not in ("approve", "note")}
    approve = body.get("approve")
    if not isinstance(approve, bool):
        errors["approve"] = "Indique si aprueba (true) o rechaza (false) la FAD."
    note = body.get("note")
    if note is not None and not isinstance(note, str):
        errors["note"] = NOT_TEXT
        note = None
    note = (note or "").strip() or None
    if approve is False and not note:
        errors["note"] = "Indique el motivo del rechazo."
    elif note and len(note) > MAX_NOTE:
        errors["note"] = f"Escriba la observación en máximo {MAX_NOTE} caracteres."
    if errors:
        raise FormError("Revise la decisión.", errors)
    return Decision(bool(approve), note)


def check_may_submit_fads(scope: Scope) -> None:
    """The municipality of the district only: staff decide FADs, they do not propose them."""
    if scope.kind != "DISTRICT":
        raise OutOfScopeError("Solo la municipalidad del distrito del usuario puede presentar una FAD.", 403)


def check_may_read(scope: Scope, ubigeo: str) -> None:
    check_may_list(scope)
    if not scope.covers_district(ubigeo):
        raise OutOfScopeError(FAD_NOT_FOUND, 404)


def decided(state: str, choice: Decision) -> str:
    if state != "PENDIENTE":
        raise ConflictError(f"La FAD ya fue decidida ({state}); no puede decidirse otra vez.")
    return "APROBADA" if choice.approve else "RECHAZADA"


def contact_changes(current: dict[str, str | None], changes: dict[str, Any]) -> list[HistoryEntry]:
    """Before/after of each beneficiary column the FAD really changes."""
    return [
        HistoryEntry(name, current.get(name), changes[name])
        for name in CONTACT_FIELDS
        if name in changes and changes[name] != current.get(name)
    ]


def authorized_person(changes: dict[str, Any]) -> AuthorizedPerson | None:
    person = changes.get("authorized_person")
    return AuthorizedPerson(**person) if person else None


def authorization_until(today: date) -> date:
    """An authorization granted today is valid for one year (29 February -> 28 February)."""
    try:
        return today.replace(year=today.year + 1)
    except ValueError:
        return today.replace(year=today.year + 1, day=28)

"""Alerts and FAD: the pure rules of what a local government may report or propose, and of deciding it.

No framework or driver here: input arrives as decoded JSON, refusals leave as the errors below.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID

from padron.shared.errors import ConflictError, FormError, OutOfScopeError
from padron.shared.scope import Scope

ALERT_TYPES = ("FALLECIMIENTO", "CAMBIO_DE_DOMICILIO", "NO_COBRA", "EN_RIESGO", "OTRO")
ALERT_STATES = ("ABIERTA", "ATENDIDA")
FAD_STATES = ("PENDIENTE", "APROBADA", "RECHAZADA")
# Columns of the beneficiary a FAD updates in place; authorized_person goes to collection_authorizations.
CONTACT_FIELDS = ("address", "phone", "contact_name", "contact_phone")
FAD_FIELDS = (*CONTACT_FIELDS, "authorized_person")
PERSON_FIELDS = ("dni", "names", "relationship")

MAX_DETAIL = 1000
MAX_NOTE = 1000
MAX_ADDRESS = 200
MAX_NAMES = 150
MAX_RELATIONSHIP = 50
DEFAULT_LIMIT = 50
MAX_LIMIT = 200

REQUIRED = "Dato obligatorio."
NOT_TEXT = "Escriba un texto."
UNKNOWN = "Este dato no se puede actualizar con una FAD."
UNEXPECTED = "Dato no reconocido."
# The same rule as beneficiary.validate: a 9-digit mobile or a landline with its city code.
PHONE = re.compile(r"9\d{8}|0\d{8}")
BENEFICIARY_NOT_FOUND = "No encontramos a ese usuario en su distrito."
FAD_NOT_FOUND = "No encontramos esa FAD en su jurisdicción."
PHONE_MESSAGE = "Teléfono no válido (celular de 9 dígitos o fijo con código de ciudad)."


@dataclass(frozen=True)
class AlertInput:
    alert_type: str
    detail: str


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
class Alert:
    alert_id: UUID
    beneficiary_id: UUID
    ubigeo: str
    alert_type: str
    detail: str
    state: str
    raised_by: str
    raised_at: datetime
    dni: str | None = None
    names: str | None = None


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


@dataclass(frozen=True)
class Page:
    items: list[Any]
    next: str | None


# Input ---------------------------------------------------------------------------------------------


def _text(value: Any, limit: int, errors: dict[str, str], path: str, message: str) -> str | None:
    if value is None:
        errors[path] = REQUIRED
        return None
    if not isinstance(value, str):
        errors[path] = NOT_TEXT
        return None
    text = value.strip()
    if not text:
        errors[path] = REQUIRED
    elif len(text) > limit:
        errors[path] = message
    return text


def _object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise FormError("Envíe los datos como un objeto JSON.")
    return body


def alert_input(body: Any) -> AlertInput:
    """``{alert_type, detail}``; anything else is refused field by field."""
    body = _object(body)
    errors = {name: UNEXPECTED for name in body if name not in ("alert_type", "detail")}
    alert_type = body.get("alert_type")
    if alert_type is None:
        errors["alert_type"] = REQUIRED
    elif alert_type not in ALERT_TYPES:
        errors["alert_type"] = "Use FALLECIMIENTO, CAMBIO_DE_DOMICILIO, NO_COBRA, EN_RIESGO u OTRO."
    detail = _text(
        body.get("detail"), MAX_DETAIL, errors, "detail", f"Describa la alerta en máximo {MAX_DETAIL} caracteres."
    )
    if errors:
        raise FormError("Revise los datos de la alerta.", errors)
    return AlertInput(str(alert_type), str(detail))


def _phone(value: Any, errors: dict[str, str], path: str) -> str | None:
    text = _text(value, 20, errors, path, PHONE_MESSAGE)
    if text and path not in errors and not PHONE.fullmatch(re.sub(r"[\s-]", "", text)):
        errors[path] = PHONE_MESSAGE
    return text


def _person(value: Any, errors: dict[str, str], path: str) -> dict[str, str] | None:
    if not isinstance(value, dict):
        errors[path] = "Indique dni, names y relationship de la persona autorizada."
        return None
    for name in value:
        if name not in PERSON_FIELDS:
            errors[f"{path}.{name}"] = UNEXPECTED
    dni = _text(value.get("dni"), 8, errors, f"{path}.dni", "El DNI debe tener 8 dígitos.")
    if dni and f"{path}.dni" not in errors and not re.fullmatch(r"\d{8}", dni):
        errors[f"{path}.dni"] = "El DNI debe tener 8 dígitos."
    names = _text(
        value.get("names"), MAX_NAMES, errors, f"{path}.names", f"Escriba los nombres en máximo {MAX_NAMES} caracteres."
    )
    relationship = _text(
        value.get("relationship"),
        MAX_RELATIONSHIP,
        errors,
        f"{path}.relationship",
        f"Escriba el parentesco o relación en máximo {MAX_RELATIONSHIP} caracteres.",
    )
    return {"dni": dni or "", "names": names or "", "relationship": relationship or ""}


def fad_changes(body: Any) -> dict[str, Any]:
    """``{changes: {...}}`` -> the proposed values, cleaned; at least one, each one checked."""
    body = _object(body)
    errors = {name: UNEXPECTED for name in body if name != "changes"}
    changes = body.get("changes")
    if not isinstance(changes, dict) or not changes:
        errors["changes"] = "Indique al menos un dato a actualizar."
        raise FormError("La FAD no propone ningún cambio.", errors)
    cleaned: dict[str, Any] = {}
    for name, value in changes.items():
        path = f"changes.{name}"
        if name == "address":
            cleaned[name] = _text(
                value, MAX_ADDRESS, errors, path, f"Escriba la dirección en máximo {MAX_ADDRESS} caracteres."
            )
        elif name in ("phone", "contact_phone"):
            cleaned[name] = _phone(value, errors, path)
        elif name == "contact_name":
            cleaned[name] = _text(
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
    body = _object(body)
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


def state_filter(raw: str | None, allowed: tuple[str, ...]) -> str | None:
    if not raw:
        return None
    if raw not in allowed:
        choices = f"{', '.join(allowed[:-1])} o {allowed[-1]}"
        raise FormError("Filtro no válido.", {"state": f"Use {choices}."})
    return raw


def page_limit(raw: str | None) -> int:
    if not raw:
        return DEFAULT_LIMIT
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise FormError("Tamaño de página no válido.", {"limit": f"Use un número entre 1 y {MAX_LIMIT}."})
    return int(raw)


def encode_cursor(at: datetime, record_id: UUID) -> str:
    """The position after a record in a newest-first list: opaque to the caller."""
    return base64.urlsafe_b64encode(f"{at.isoformat()}|{record_id}".encode()).decode()


def decode_cursor(raw: str | None) -> tuple[datetime, UUID] | None:
    if not raw:
        return None
    try:
        at, record_id = base64.urlsafe_b64decode(raw.encode()).decode().split("|")
        return datetime.fromisoformat(at), UUID(record_id)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise FormError("Página no válida.", {"after": "Use el valor next de la página anterior."}) from None


# Who may do what -------------------------------------------------------------------------------------


def check_may_raise_alerts(scope: Scope) -> None:
    """The municipality of the beneficiary's district, or program staff."""
    if scope.kind in ("REGION", "ENTITY"):
        raise OutOfScopeError("Solo la municipalidad del distrito del usuario puede registrar alertas.", 403)


def check_may_submit_fads(scope: Scope) -> None:
    """The municipality of the district only: staff decide FADs, they do not propose them."""
    if scope.kind != "DISTRICT":
        raise OutOfScopeError("Solo la municipalidad del distrito del usuario puede presentar una FAD.", 403)


def check_in_district(scope: Scope, ubigeo: str) -> None:
    """A beneficiary of another district is answered as if it did not exist."""
    if not scope.covers_district(ubigeo):
        raise OutOfScopeError(BENEFICIARY_NOT_FOUND, 404)


def check_may_list(scope: Scope) -> None:
    if scope.kind == "ENTITY":
        raise OutOfScopeError("Su entidad no tiene acceso a alertas ni a FAD.", 403)


def check_may_read(scope: Scope, ubigeo: str) -> None:
    check_may_list(scope)
    if not scope.covers_district(ubigeo):
        raise OutOfScopeError(FAD_NOT_FOUND, 404)


def check_staff(scope: Scope, message: str) -> None:
    if scope.kind != "STAFF":
        raise OutOfScopeError(message, 403)


# Transitions -----------------------------------------------------------------------------------------


def attended(state: str) -> str:
    if state != "ABIERTA":
        raise ConflictError("La alerta ya fue atendida.")
    return "ATENDIDA"


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

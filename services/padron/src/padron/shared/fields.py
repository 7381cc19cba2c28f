"""How the fields of a form are read: required text, a DNI, a date; what is wrong goes to ``errors`` in Spanish.

Pure: the aggregates' ``domain`` modules build their inputs with these and raise one ``FormError``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from contracts import peru
from padron.shared.errors import FormError

MAX_NAMES = 150
REQUIRED = "Dato obligatorio."
NOT_TEXT = "Escriba un texto."
UNEXPECTED = "Dato no reconocido."


def parse_date(raw: Any, field: str, errors: dict[str, str]) -> date | None:
    try:
        return date.fromisoformat(str(raw or "").strip())
    except ValueError:
        errors[field] = "Fecha no válida; use AAAA-MM-DD." if raw else REQUIRED
        return None


def required_date(raw: Any, field: str) -> date:
    errors: dict[str, str] = {}
    found = parse_date(raw, field, errors)
    if found is None:
        raise FormError("Hay una fecha por corregir.", errors)
    return found


def text(raw: Any, field: str, errors: dict[str, str], limit: int = MAX_NAMES) -> str:
    """Any value as stripped text; empty or longer than ``limit`` is an error."""
    value = str(raw or "").strip()
    if not value:
        errors[field] = REQUIRED
    elif len(value) > limit:
        errors[field] = f"Máximo {limit} caracteres."
    return value


def dni(raw: Any, field: str, errors: dict[str, str]) -> str:
    value = str(raw or "").strip()
    if not peru.is_dni(value):
        errors[field] = "El DNI debe tener 8 dígitos." if value else REQUIRED
    return value


def strict_text(value: Any, limit: int, errors: dict[str, str], path: str, message: str) -> str | None:
    """A JSON string, stripped: missing, not a string, empty or longer than ``limit`` (``message``) is an error."""
    if value is None:
        errors[path] = REQUIRED
        return None
    if not isinstance(value, str):
        errors[path] = NOT_TEXT
        return None
    found = value.strip()
    if not found:
        errors[path] = REQUIRED
    elif len(found) > limit:
        errors[path] = message
    return found


def json_object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise FormError("Envíe los datos como un objeto JSON.")
    return body

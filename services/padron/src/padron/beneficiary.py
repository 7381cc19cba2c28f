"""A beneficiary's record: its fields, how each is checked, the pension requirements, masking.

Shared by affiliation, the bulk import and the views, so a row means the same everywhere.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from contracts import ubigeo

# CSV columns of the bulk import and the export, in order.
FIELDS = (
    "dni",
    "names",
    "birth_date",
    "sex",
    "ubigeo",
    "address",
    "phone",
    "contact_name",
    "contact_phone",
    "certificate_number",
    "certificate_severity",
    "certificate_issuer",
    "certificate_date",
    "sisfoh_classification",
    "sisfoh_expires_on",
    "other_pension",
    "bank_name",
    "bank_account",
    "status",
    "status_reason",
    "affiliated_on",
)
OPTIONAL = {"phone", "contact_name", "contact_phone", "bank_name", "bank_account", "status_reason"}
SEVERITIES = ("LEVE", "MODERADA", "SEVERA")
SISFOH = ("POBRE_EXTREMO", "POBRE", "NO_POBRE")
STATUSES = ("VIGENTE", "SUSPENDIDO", "DESAFILIADO")
PENSION_SOLES = 300


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


CHOICES = {
    "sex": (("F", "M"), "Use F o M."),
    "certificate_severity": (SEVERITIES, "Use LEVE, MODERADA o SEVERA."),
    "sisfoh_classification": (SISFOH, "Use POBRE_EXTREMO, POBRE o NO_POBRE."),
    "status": (STATUSES, "Use VIGENTE, SUSPENDIDO o DESAFILIADO."),
}
DATES = ("birth_date", "certificate_date", "sisfoh_expires_on", "affiliated_on")


def _dates(v: dict[str, Any], errors: dict[str, str], today: date) -> None:
    for field in DATES:
        if v[field] is not None:
            parsed = _date(v[field])
            if parsed is None:
                errors[field] = "Fecha no válida; use AAAA-MM-DD."
            v[field] = parsed
    if isinstance(v["birth_date"], date) and v["birth_date"] > today:
        errors["birth_date"] = "La fecha de nacimiento no puede ser futura."


def _other_pension(raw: str | None, v: dict[str, Any], errors: dict[str, str]) -> None:
    other = (raw or "").strip().lower()
    if other in ("", "no", "false", "0"):
        v["other_pension"] = False
    elif other in ("si", "sí", "true", "1"):
        v["other_pension"] = True
    else:
        errors["other_pension"] = "Use SI o NO."


def validate(row: dict[str, str], today: date) -> tuple[dict[str, Any], dict[str, str]]:
    """Typed values and, per field, what is wrong (in Spanish). No errors: the row can be stored."""
    errors: dict[str, str] = {}
    v: dict[str, Any] = {}
    for field in FIELDS:
        raw = (row.get(field) or "").strip()
        if not raw and field not in OPTIONAL and field != "other_pension":
            errors[field] = "Dato obligatorio."
        v[field] = raw or None
    if v["dni"] and not re.fullmatch(r"[0-9]{8}", v["dni"]):
        errors["dni"] = "El DNI debe tener 8 dígitos."
    if v["names"] and (len(v["names"]) > 150 or "," not in v["names"]):
        errors["names"] = "Escriba 'APELLIDOS, NOMBRES' (máximo 150 caracteres)."
    _dates(v, errors, today)
    if v["ubigeo"] and not ubigeo.is_district(v["ubigeo"]):
        errors["ubigeo"] = "El distrito no existe en el ubigeo del INEI."
    for field, (allowed, message) in CHOICES.items():
        if v[field] and v[field] not in allowed:
            errors[field] = message
    if v["status"] in ("SUSPENDIDO", "DESAFILIADO") and not v["status_reason"]:
        errors["status_reason"] = "Indique el motivo de la suspensión o desafiliación."
    _other_pension(row.get("other_pension"), v, errors)
    for field in ("phone", "contact_phone"):
        if v[field] and not re.fullmatch(r"9[0-9]{8}|0[0-9]{8}", re.sub(r"[\s-]", "", v[field])):
            errors[field] = "Teléfono no válido (celular de 9 dígitos o fijo con código de ciudad)."
    return v, errors


def requirements(values: dict[str, Any], today: date) -> dict[str, bool]:
    """The pension's requirements as checked on affiliation: severe disability, no other pension or
    income, poverty per SISFOH still in force."""
    severe = values.get("certificate_severity") == "SEVERA"
    no_pension = not values.get("other_pension")
    expires = values.get("sisfoh_expires_on")
    poor = values.get("sisfoh_classification") in ("POBRE_EXTREMO", "POBRE") and bool(expires and expires >= today)
    return {
        "discapacidad_severa": severe,
        "sin_otra_pension_ni_ingresos": no_pension,
        "pobreza_sisfoh_vigente": poor,
        "cumple": severe and no_pension and poor,
    }


def mask_dni(dni: str) -> str:
    """'40123321' -> '4****321'."""
    return f"{dni[0]}****{dni[-3:]}" if len(dni) == 8 else "********"


def mask_names(names: str) -> str:
    """'QUISPE MAMANI, ANA' -> 'Q***** M*****, A**'."""

    def word(w: str) -> str:
        return w[0] + "*" * (len(w) - 1) if w else w

    return ", ".join(" ".join(word(w) for w in part.split()) for part in names.split(","))

"""A beneficiary's record: its fields, how each is checked, the pension requirements, masking, its status.

Shared by affiliation, the bulk import, the padrón versions and the views, so a row means the same everywhere.
Pure: no framework, no driver.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, get_args
from uuid import UUID

from contracts import peru, ubigeo
from padron.shared.errors import ConflictError, FormError, NotFoundError
from padron.shared.scope import Scope

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
Status = Literal["VIGENTE", "SUSPENDIDO", "DESAFILIADO"]
STATUSES: tuple[str, ...] = get_args(Status)
PENSION_SOLES = 300

REQUIREMENT_MESSAGES = {
    "discapacidad_severa": "El certificado de discapacidad debe ser de grado SEVERA.",
    "sin_otra_pension_ni_ingresos": "El solicitante no debe percibir otra pensión ni ingresos.",
    "pobreza_sisfoh_vigente": "La clasificación SISFOH debe ser POBRE o POBRE_EXTREMO y estar vigente.",
}


@dataclass(frozen=True)
class BeneficiaryRef:
    """What other aggregates need of a beneficiary: where it lives and its status."""

    beneficiary_id: UUID
    ubigeo: str
    status: str


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
    if v["dni"] and not peru.is_dni(v["dni"]):
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
        if v[field] and not peru.is_phone(re.sub(r"[\s-]", "", v[field])):
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


def not_found(scope: Scope) -> NotFoundError:
    """No such beneficiary, in the caller's terms."""
    if scope.kind == "STAFF":
        return NotFoundError("No encontramos ese beneficiario.")
    return NotFoundError("No encontramos ese beneficiario en su distrito.")


# Status ----------------------------------------------------------------------------------------------


def check_status_change(current: str, new: str, reason: str) -> None:
    """SUSPENDIDO and DESAFILIADO need a reason; DESAFILIADO is final."""
    if new not in STATUSES:
        raise FormError("El estado no es válido.", {"status": "Use VIGENTE, SUSPENDIDO o DESAFILIADO."})
    if new in ("SUSPENDIDO", "DESAFILIADO") and not reason.strip():
        raise FormError("Falta el motivo.", {"reason": "Indique el motivo de la suspensión o desafiliación."})
    if current == "DESAFILIADO":
        raise ConflictError(
            "El beneficiario está DESAFILIADO; la desafiliación es definitiva y no se puede revertir. "
            "Si corresponde, registre una nueva solicitud de afiliación."
        )
    if current == new:
        raise ConflictError(f"El beneficiario ya está {new}.")


# Affiliation -----------------------------------------------------------------------------------------


def unmet_requirements(checked: dict[str, bool]) -> dict[str, str]:
    """The failing requirements, each with what is missing (in Spanish)."""
    return {f"requirements.{k}": m for k, m in REQUIREMENT_MESSAGES.items() if not checked.get(k)}


def affiliation_row(body: dict[str, Any], today: date) -> tuple[dict[str, str], dict[str, str]]:
    """The body as a beneficiary row: strings as the CSV would carry them; a new affiliate is VIGENTE."""
    errors: dict[str, str] = {}
    row: dict[str, str] = {}
    for key, value in body.items():
        if isinstance(value, bool):
            row[key] = "SI" if value else "NO"
        elif value is None:
            row[key] = ""
        elif isinstance(value, str | int | float):
            row[key] = str(value)
        else:
            errors[key] = "Valor no válido."
    if row.get("status", "VIGENTE").strip().upper() not in ("", "VIGENTE"):
        errors["status"] = "Una afiliación nueva queda VIGENTE; suspenda o desafilie después."
    row["status"] = "VIGENTE"
    row["status_reason"] = ""
    row["affiliated_on"] = row.get("affiliated_on") or today.isoformat()
    return row, errors

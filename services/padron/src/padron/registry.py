"""Registry rules: periods, padrón categories, status changes, collection authorizations, affiliation requests.

Pure: no framework, no driver. The publication SQL takes its categories from ``category_rules()``, so the
rule is written once, here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from padron.beneficiary import PENSION_SOLES, STATUSES
from padron.shared.errors import ConflictError, FormError

CATEGORIES = ("CONTINUADOR", "NUEVO", "REINCORPORADO", "SUSPENDIDO", "DESAFILIADO")
# A padrón entry is paid when the beneficiary is VIGENTE: these three categories.
PAID_CATEGORIES = ("CONTINUADOR", "NUEVO", "REINCORPORADO")
ROMAN = ("I", "II", "III", "IV", "V", "VI")
AFFILIATION_STATES = ("PENDIENTE", "CONFORME", "NO_CONFORME")
MAX_NAMES = 150

REQUIREMENT_MESSAGES = {
    "discapacidad_severa": "El certificado de discapacidad debe ser de grado SEVERA.",
    "sin_otra_pension_ni_ingresos": "El solicitante no debe percibir otra pensión ni ingresos.",
    "pobreza_sisfoh_vigente": "La clasificación SISFOH debe ser POBRE o POBRE_EXTREMO y estar vigente.",
}


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


# Status --------------------------------------------------------------------------------------------------


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


# Collection authorizations -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuthorizationInput:
    collector_dni: str
    collector_names: str
    relationship: str
    valid_from: date
    valid_until: date


def _parse_date(raw: Any, field: str, errors: dict[str, str]) -> date | None:
    try:
        return date.fromisoformat(str(raw or "").strip())
    except ValueError:
        errors[field] = "Fecha no válida; use AAAA-MM-DD." if raw else "Dato obligatorio."
        return None


def required_date(raw: Any, field: str) -> date:
    errors: dict[str, str] = {}
    found = _parse_date(raw, field, errors)
    if found is None:
        raise FormError("Hay una fecha por corregir.", errors)
    return found


def _text(raw: Any, field: str, errors: dict[str, str], limit: int = MAX_NAMES) -> str:
    value = str(raw or "").strip()
    if not value:
        errors[field] = "Dato obligatorio."
    elif len(value) > limit:
        errors[field] = f"Máximo {limit} caracteres."
    return value


def _dni(raw: Any, field: str, errors: dict[str, str]) -> str:
    value = str(raw or "").strip()
    if not re.fullmatch(r"\d{8}", value):
        errors[field] = "El DNI debe tener 8 dígitos." if value else "Dato obligatorio."
    return value


def authorization_input(body: dict[str, Any], today: date) -> AuthorizationInput:
    errors: dict[str, str] = {}
    dni = _dni(body.get("collector_dni"), "collector_dni", errors)
    names = _text(body.get("collector_names"), "collector_names", errors)
    relationship = _text(body.get("relationship"), "relationship", errors, 60)
    valid_from = _parse_date(body.get("valid_from"), "valid_from", errors)
    valid_until = _parse_date(body.get("valid_until"), "valid_until", errors)
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
    until = _parse_date(raw_until, "valid_until", errors)
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


# Affiliation requests ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AffiliationInput:
    applicant_dni: str
    applicant_names: str
    detail: str | None


def affiliation_input(body: dict[str, Any]) -> AffiliationInput:
    errors: dict[str, str] = {}
    dni = _dni(body.get("applicant_dni"), "applicant_dni", errors)
    names = _text(body.get("applicant_names"), "applicant_names", errors)
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


# Beneficiary affiliation ---------------------------------------------------------------------------------


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

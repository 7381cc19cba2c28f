"""How a Peruvian form checks its fields: DNI, RUC, phone numbers, e-mails, ubigeo."""

from __future__ import annotations

import re

from contracts import peru, ubigeo

_EMAIL = re.compile(r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}$")


def digits(value: str) -> str:
    return re.sub(r"[\s\-().]", "", value or "")


def dni_error(value: str | None) -> str | None:
    if not value:
        return "Ingrese el DNI."
    if not peru.is_dni(value):
        return "El DNI debe tener 8 dígitos."
    return None


def ruc_error(value: str | None) -> str | None:
    if not value:
        return "Ingrese el RUC."
    if not re.fullmatch(r"[0-9]{11}", value):
        return "El RUC debe tener 11 dígitos."
    if value[:2] not in peru.RUC_PREFIXES:
        return "El RUC debe empezar con 10, 15, 16, 17 o 20."
    if peru.ruc_check_digit(value[:10]) != int(value[10]):
        return "El RUC no es válido: su dígito verificador no coincide."
    return None


def mobile_error(value: str) -> str | None:
    if not peru.is_mobile(digits(value)):
        return "El celular debe tener 9 dígitos y empezar con 9."
    return None


def landline_error(value: str) -> str | None:
    # Lima: 01 + 7 digits; other regions: 0 + 2-digit area code + 6 digits.
    number = digits(value)
    if not (re.fullmatch(r"01\d{7}", number) or re.fullmatch(r"0[4-8]\d{7}", number)):
        return "El teléfono fijo debe incluir el código de ciudad, p. ej. 01 4261234 o 064 123456."
    return None


def email_error(value: str | None) -> str | None:
    if not value:
        return "Ingrese el correo electrónico."
    if len(value) > 254 or not _EMAIL.match(value):
        return "El correo electrónico no es válido."
    return None


def names_error(value: str | None, what: str = "los nombres y apellidos") -> str | None:
    if not value or not value.strip():
        return f"Ingrese {what}."
    if len(value) > 150:
        return "El texto es demasiado largo (máximo 150 caracteres)."
    return None


def region_error(code: str | None) -> str | None:
    if not code:
        return "Seleccione la región."
    if not ubigeo.is_region(code):
        return "La región no existe en el ubigeo del INEI."
    return None


def district_error(code: str | None) -> str | None:
    if not code:
        return "Seleccione el distrito."
    if not ubigeo.is_district(code):
        return "El distrito no existe en el ubigeo del INEI."
    return None

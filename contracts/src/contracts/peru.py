"""Peruvian identifiers every service checks the same way: DNI, RUC (SUNAT's check digit), phone numbers.

One definition for identity, access and padrón, so a DNI one service accepts is never refused by
another. Each service says in its own words what is wrong; these only answer yes or no.
"""

from __future__ import annotations

import re

DNI_PATTERN = r"[0-9]{8}"
"""A DNI: exactly eight digits (leading zeros are part of it)."""

RUC_PREFIXES = ("10", "15", "16", "17", "20")
_RUC_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
_DNI = re.compile(DNI_PATTERN)
_RUC = re.compile(r"[0-9]{11}")
_MOBILE = re.compile(r"9[0-9]{8}")
_PHONE = re.compile(r"9[0-9]{8}|0[0-9]{8}")


def is_dni(value: str) -> bool:
    return bool(_DNI.fullmatch(value))


def ruc_check_digit(first_ten: str) -> int:
    """SUNAT's modulo-11 check digit of a RUC's first ten digits."""
    total = sum(int(d) * w for d, w in zip(first_ten, _RUC_WEIGHTS, strict=True))
    return (11 - total % 11) % 10


def is_ruc(value: str) -> bool:
    """Eleven digits, a prefix SUNAT issues, and the right check digit."""
    return bool(_RUC.fullmatch(value)) and value[:2] in RUC_PREFIXES and ruc_check_digit(value[:10]) == int(value[10])


def is_mobile(value: str) -> bool:
    """A mobile number: nine digits starting with 9 (spaces and dashes already removed)."""
    return bool(_MOBILE.fullmatch(value))


def is_phone(value: str) -> bool:
    """A mobile, or a landline written with its area code (0 and eight digits)."""
    return bool(_PHONE.fullmatch(value))

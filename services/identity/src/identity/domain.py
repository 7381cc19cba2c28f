"""Identity's rules: who the authority of a jurisdiction is, how accounts are named, what a password is."""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal
from uuid import UUID

from contracts import ubigeo
from contracts.events import Jurisdiction
from contracts.peru import is_ruc

REGISTER_NAME = "JNE (registro sintético)"
REVOKED_BY_NEW_REQUEST = "Se aprobó una nueva solicitud para la misma jurisdicción."
LOGIN_REFUSED = "Usuario o contraseña incorrectos."

AuthorityKind = Literal["GOBERNADOR_REGIONAL", "ALCALDE", "TITULAR"]
Result = Literal["MATCH", "MISMATCH", "NOT_FOUND"]

USERNAME_PREFIX = {"GOBIERNO_REGIONAL": "gr", "GOBIERNO_LOCAL": "gl", "OTRO_ALIADO": "oa"}


class InvalidJurisdictionError(ValueError):
    """The jurisdiction does not name a region, a district or an entity as its ally type requires."""


def period_of(on_date: date) -> tuple[date, date]:
    """The four-year term of regional and municipal authorities that contains ``on_date`` (2023-2026, ...)."""
    start = 2023 + (on_date.year - 2023) // 4 * 4
    return date(start, 1, 1), date(start + 3, 12, 31)


def period_label(start: date, end: date) -> str:
    return f"{start.year}-{end.year}"


@dataclass(frozen=True)
class Authority:
    """One row of the register of authorities: who held a post, where, and when."""

    kind: AuthorityKind
    jurisdiction: str
    role: str
    dni: str
    names: str
    period_start: date
    period_end: date
    entity_name: str | None = None
    public: bool | None = None

    @property
    def period(self) -> str:
        return period_label(self.period_start, self.period_end)

    def holds_office_on(self, on_date: date) -> bool:
        return self.period_start <= on_date <= self.period_end


@dataclass(frozen=True)
class RegisteredEntity:
    """An entity that may propose an OTRO_ALIADO: its RUC, name, and whether it is public."""

    ruc: str
    name: str
    public: bool


@dataclass(frozen=True)
class Target:
    """Whose DNI a request must carry: the authority ``kind`` of ``code``, as a person reads it."""

    kind: AuthorityKind
    code: str
    office: str


def authority_target(j: Jurisdiction, entity_name: str | None = None) -> Target:
    """The authority that must propose an ally of this jurisdiction; raises when the jurisdiction is malformed."""
    if j.ally_type == "GOBIERNO_REGIONAL":
        if not j.ubigeo or not ubigeo.is_region(j.ubigeo):
            raise InvalidJurisdictionError("La solicitud no indica una región válida (ubigeo de 2 dígitos).")
        return Target("GOBERNADOR_REGIONAL", j.ubigeo, f"gobernador regional vigente de {ubigeo.describe(j.ubigeo)}")
    if j.ally_type == "GOBIERNO_LOCAL":
        if not j.ubigeo or not ubigeo.is_district(j.ubigeo):
            raise InvalidJurisdictionError("La solicitud no indica un distrito válido (ubigeo de 6 dígitos).")
        return Target("ALCALDE", j.ubigeo, f"alcalde vigente de {ubigeo.describe(j.ubigeo)}")
    if not j.entity_ruc or not is_ruc(j.entity_ruc):
        raise InvalidJurisdictionError("La solicitud no indica un RUC válido de la entidad.")
    name = entity_name or j.entity_name
    entity = f"la entidad {name} (RUC {j.entity_ruc})" if name else f"la entidad con RUC {j.entity_ruc}"
    return Target("TITULAR", j.entity_ruc, f"titular vigente de {entity}")


@dataclass(frozen=True)
class Verdict:
    result: Result
    period: str
    reason: str


def judge(target: Target, authority: Authority | None, claimed_dni: str, on_date: date) -> Verdict:
    """Compare the DNI a request declares with the authority in office on ``on_date``; never quotes a DNI."""
    period = period_label(*period_of(on_date))
    if authority is None or not authority.holds_office_on(on_date):
        if target.kind == "TITULAR":
            reason = f"No hay una autoridad registrada para la entidad con RUC {target.code} (periodo {period})."
        else:
            reason = f"No hay un {target.office} en el registro (periodo {period})."
        return Verdict("NOT_FOUND", period, reason)
    period = authority.period
    if authority.dni == claimed_dni:
        return Verdict("MATCH", period, f"El DNI corresponde al {target.office} (periodo {period}).")
    return Verdict("MISMATCH", period, f"El DNI registrado no corresponde al {target.office} (periodo {period}).")


def invalid_jurisdiction_verdict(error: InvalidJurisdictionError, on_date: date) -> Verdict:
    return Verdict("NOT_FOUND", period_label(*period_of(on_date)), str(error))


# Accounts ---------------------------------------------------------------------

StaffRole = Literal["EVALUATOR", "ADMIN", "CTVC", "ANALYST"]


@dataclass(frozen=True)
class DemoStaff:
    """A demo staff account: a CTVC acts in its ``region``, an ANALYST for its ``unit``."""

    username: str
    role: StaffRole
    region: str | None = None
    unit: str | None = None


DEMO_STAFF: tuple[DemoStaff, ...] = (
    DemoStaff("evaluador", "EVALUATOR"),
    DemoStaff("admin", "ADMIN"),
    DemoStaff("ctvc", "CTVC", region="09"),  # Huancavelica
    DemoStaff("analista", "ANALYST", unit="UAC"),
)


@dataclass(frozen=True)
class Account:
    """An ally's account: issued once for one approved request, never modified, only revoked."""

    account_id: UUID
    username: str
    jurisdiction: Jurisdiction
    request_id: UUID


@dataclass(frozen=True)
class LoginAccount:
    """What login needs to know about an ally or staff account."""

    sub: str
    username: str
    role: Literal["ALLY", "EVALUATOR", "ADMIN", "CTVC", "ANALYST"]
    password_hash: str
    jurisdiction: Jurisdiction | None = None
    revoked: bool = False
    region: str | None = None
    """A CTVC's region (its token's ``ubigeo``)."""
    unit: str | None = None
    """An ANALYST's unit (its token's ``unit``)."""


def jurisdiction_code(j: Jurisdiction) -> str:
    """The code that identifies an ally's jurisdiction: its ubigeo, or its entity's RUC."""
    authority_target(j)  # validates
    return j.entity_ruc if j.ally_type == "OTRO_ALIADO" else j.ubigeo  # type: ignore[return-value]


def username_base(j: Jurisdiction) -> str:
    """``gr09``, ``gl090101`` or ``oa20123456786``: readable, and says where the account acts."""
    return USERNAME_PREFIX[j.ally_type] + jurisdiction_code(j)


def username_for(j: Jurisdiction, earlier_accounts: int) -> str:
    """The next username of a jurisdiction that already had ``earlier_accounts`` accounts."""
    base = username_base(j)
    return base if earlier_accounts == 0 else f"{base}-{earlier_accounts + 1}"


def describe_jurisdiction(j: Jurisdiction) -> str:
    """A jurisdiction as a letter names it."""
    if j.ally_type == "GOBIERNO_REGIONAL":
        return f"Gobierno Regional de {ubigeo.describe(j.ubigeo or '')}"
    if j.ally_type == "GOBIERNO_LOCAL":
        return f"Gobierno local del distrito de {ubigeo.describe(j.ubigeo or '')}"
    return f"{j.entity_name or 'Entidad'} (RUC {j.entity_ruc})"


# Passwords --------------------------------------------------------------------

# No characters that read alike (0/O/o, 1/l/I) and no quotes, spaces or backslashes.
LETTERS = "".join(c for c in string.ascii_letters if c not in "OoIl")
DIGITS = "23456789"
SYMBOLS = "!#$%&*+-=?@_"
PASSWORD_LENGTH = 16
MIN_PASSWORD_LENGTH = 14


def new_password(length: int = PASSWORD_LENGTH) -> str:
    """A strong random password with at least two letters, two digits and two symbols."""
    if length < MIN_PASSWORD_LENGTH:
        raise ValueError(f"a password has at least {MIN_PASSWORD_LENGTH} characters")
    alphabet = LETTERS + DIGITS + SYMBOLS
    chars = [secrets.choice(LETTERS) for _ in range(2)]
    chars += [secrets.choice(DIGITS) for _ in range(2)]
    chars += [secrets.choice(SYMBOLS) for _ in range(2)]
    chars += [secrets.choice(alphabet) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


def is_strong(password: str) -> bool:
    allowed = set(LETTERS + DIGITS + SYMBOLS)
    return (
        len(password) >= MIN_PASSWORD_LENGTH
        and set(password) <= allowed
        and any(c in LETTERS for c in password)
        and any(c in DIGITS for c in password)
        and any(c in SYMBOLS for c in password)
    )


# Mail ---------------------------------------------------------------------------

MAIL_RETRY_FIRST = timedelta(seconds=5)
MAIL_RETRY_MAX = timedelta(minutes=10)


def mail_retry_delay(failures: int) -> timedelta:
    """How long a mail waits after its ``failures``-th failed attempt: 5 s, 10 s, 20 s, ... at most 10 min."""
    if failures < 1:
        return timedelta(0)
    return min(MAIL_RETRY_FIRST * 2 ** min(failures - 1, 20), MAIL_RETRY_MAX)

"""Identity's rules: who the authority of a jurisdiction is, how accounts are named, what a password is."""

from __future__ import annotations

import re
import secrets
import string
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal
from uuid import UUID

from contracts import ubigeo, units
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


# Staff accounts created by an administrator ------------------------------------

CREATABLE_STAFF_ROLES: dict[str, str] = {
    "CTVC": "Comité de Transparencia y Vigilancia Ciudadana (CTVC)",
    "ANALYST": "Analista de unidad",
    "EVALUATOR": "Evaluador(a)",
}
ADMIN_ONLY = "Solo un administrador puede gestionar las cuentas del personal."
CANNOT_REVOKE_SELF = "Un administrador no puede revocar su propia cuenta."
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")


@dataclass(frozen=True)
class StaffDraft:
    """What an administrator asks for; ``region`` only for a CTVC, ``unit`` only for an ANALYST."""

    role: StaffRole
    full_name: str
    email: str
    region: str | None
    unit: str | None


def check_staff_draft(
    role: str | None, full_name: str | None, email: str | None, region: str | None, unit: str | None
) -> tuple[StaffDraft | None, dict[str, str]]:
    """The draft, or the Spanish refusal of each field at its key."""
    errors: dict[str, str] = {}
    full_name = " ".join((full_name or "").split())
    email = (email or "").strip()
    region = (region or "").strip() or None
    unit = (unit or "").strip() or None
    if role not in CREATABLE_STAFF_ROLES:
        errors["role"] = "Elija el rol de la cuenta: CTVC, analista o evaluador."
    if len(full_name) < 5 or " " not in full_name or len(full_name) > 120:
        errors["full_name"] = "Escriba los nombres y apellidos de la persona (entre 5 y 120 caracteres)."
    if not _EMAIL.match(email) or len(email) > 254:
        errors["email"] = "Escriba un correo electrónico válido, por ejemplo nombre@contigo.gob.pe."
    if role == "CTVC":
        if region is None or not ubigeo.is_region(region):
            errors["region"] = "Elija la región del CTVC."
    elif region is not None:
        errors["region"] = "Solo una cuenta CTVC tiene región."
    if role == "ANALYST":
        if unit is None or not units.is_unit(unit):
            errors["unit"] = "Elija la unidad del analista."
    elif unit is not None:
        errors["unit"] = "Solo una cuenta de analista tiene unidad."
    if errors:
        return None, errors
    return StaffDraft(role=role, full_name=full_name, email=email, region=region, unit=unit), {}  # type: ignore[arg-type]


def _ascii_word(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "".join(c for c in plain if c.isalnum())


def staff_username_base(draft: StaffDraft) -> str:
    """``ctvc.huancavelica``, ``uac.rrojas``, ``eval.rrojas``: readable, and says the role and scope."""
    if draft.role == "CTVC":
        return "ctvc." + _ascii_word(ubigeo.describe(draft.region or ""))
    words = [w for w in (_ascii_word(w) for w in draft.full_name.split()) if w]
    surname = words[-2] if len(words) >= 3 else words[-1]
    person = (words[0][0] if len(words) > 1 else "") + surname
    prefix = (draft.unit or "").lower() if draft.role == "ANALYST" else "eval"
    return f"{prefix}.{person}"


def staff_username(base: str, taken: set[str]) -> str:
    """``base``, or ``base2``, ``base3``... the first not in ``taken``."""
    if base not in taken:
        return base
    n = 2
    while f"{base}{n}" in taken:
        n += 1
    return f"{base}{n}"


def describe_staff_scope(role: str, region: str | None, unit: str | None) -> str:
    """Where a staff account acts, as a person reads it."""
    if role == "CTVC":
        return f"región {ubigeo.describe(region or '')}"
    if role == "ANALYST":
        return units.UNITS.get(unit or "", unit or "")
    return "todo el programa"


@dataclass(frozen=True)
class StaffRecord:
    """A staff account as an administrator sees it: never its password or hash."""

    staff_id: UUID
    username: str
    role: StaffRole
    region: str | None
    unit: str | None
    full_name: str | None
    email: str | None
    created_at: datetime
    created_by: str | None
    revoked_at: datetime | None = None
    revoked_reason: str | None = None
    revoked_by: str | None = None


# Guessed passwords ---------------------------------------------------------------

GuardKind = Literal["account", "address"]


@dataclass(frozen=True)
class LockoutPolicy:
    """Keycloak's default brute-force detection: after ``threshold`` failures each further one locks for longer.

    Failures older than ``forget_after`` (since the last one) are forgotten, as Keycloak's "failure reset time".
    """

    threshold: int
    first_wait: timedelta = timedelta(minutes=1)
    max_wait: timedelta = timedelta(minutes=15)
    forget_after: timedelta = timedelta(hours=12)


ACCOUNT_LOCKOUT = LockoutPolicy(threshold=5)
# An address is shared by an office (NAT) or by everyone behind the web: it tolerates more before it waits.
ADDRESS_LOCKOUT = LockoutPolicy(threshold=20)
LOCKOUTS: dict[GuardKind, LockoutPolicy] = {"account": ACCOUNT_LOCKOUT, "address": ADDRESS_LOCKOUT}


def lockout_wait(failures: int, policy: LockoutPolicy) -> timedelta:
    """How long logins wait after the ``failures``-th failure in a row: nothing below the threshold, then
    1 min, 2 min, 4 min, 8 min, and 15 min at most."""
    if failures < policy.threshold:
        return timedelta(0)
    return min(policy.first_wait * 2 ** min(failures - policy.threshold, 20), policy.max_wait)


@dataclass(frozen=True)
class LoginGuard:
    """The failures in a row of one account or one client address, and until when its logins are refused."""

    kind: GuardKind
    key: str
    failures: int = 0
    last_failure_at: datetime | None = None
    locked_until: datetime | None = None

    def locked_at(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until

    def failed(self, now: datetime) -> LoginGuard:
        """One more failure; a failure long after the last one starts counting again."""
        policy = LOCKOUTS[self.kind]
        fresh = self.last_failure_at is None or now - self.last_failure_at >= policy.forget_after
        failures = 1 if fresh else self.failures + 1
        wait = lockout_wait(failures, policy)
        return LoginGuard(self.kind, self.key, failures, now, now + wait if wait else None)

    def cleared(self) -> LoginGuard:
        """A successful login of the account, or an administrator's unlock."""
        return LoginGuard(self.kind, self.key)


LoginOutcome = Literal["ok", "wrong", "unknown", "locked", "revoked"]


def login_outcome(
    account: LoginAccount | None, password_ok: bool, guards: list[LoginGuard], now: datetime
) -> LoginOutcome:
    """What one login attempt comes to; only ``ok`` logs in. A lock refuses even the right password."""
    if any(g.locked_at(now) for g in guards):
        return "locked"
    if account is None:
        return "unknown"
    if not password_ok:
        return "wrong"
    return "revoked" if account.revoked else "ok"


def guards_after(outcome: LoginOutcome, guards: list[LoginGuard], now: datetime) -> list[LoginGuard]:
    """The guards that change after an attempt.

    A wrong or unknown attempt counts against the account and the address; attempts during a lock are not
    counted (the lock already holds, and a guesser gets one try per wait). A login clears its account's
    failures but not its address's: one good account must not let an address guess the others.
    """
    if outcome in ("wrong", "unknown"):
        return [g.failed(now) for g in guards]
    if outcome == "ok":
        return [g.cleared() for g in guards if g.kind == "account" and g.failures]
    return []

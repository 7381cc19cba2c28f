"""What identity's entry points (HTTP routes, subscribers) are given: its registries, keys and adapters."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone

from identity.handlers import (
    AuthorityRegister,
    CitizenRegistry,
    PasswordHasher,
    TokenSigner,
    TokenVerifier,
)
from identity.mail_outbox import MailBox

LIMA = timezone(timedelta(hours=-5), "America/Lima")  # Peru keeps no daylight saving time


def lima_today() -> date:
    """Today's date in Peru: the day on which an authority must be in office."""
    return datetime.now(LIMA).date()


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Deps:
    citizens: CitizenRegistry
    register: AuthorityRegister
    hasher: PasswordHasher
    mail_box: MailBox
    signer: TokenSigner
    verifier: TokenVerifier
    jwks: dict
    token_ttl_s: int
    public_url: str
    today: Callable[[], date] = lima_today
    now: Callable[[], datetime] = utc_now

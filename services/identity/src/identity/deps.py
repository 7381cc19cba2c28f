"""What identity's entry points (HTTP routes, subscribers) are given: its registries, keys, adapters and clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from litestar.di import Dependency
from litestar.params import SkipValidationMarker

from eventkit.clock import Clock, LimaClock
from identity.adapters.mail_outbox import MailBox
from identity.handlers import (
    AuthorityRegister,
    CitizenRegistry,
    PasswordHasher,
    TokenSigner,
    TokenVerifier,
)
from identity.views import Jwks


@dataclass(frozen=True)
class Deps:
    citizens: CitizenRegistry
    register: AuthorityRegister
    hasher: PasswordHasher
    mail_box: MailBox
    signer: TokenSigner
    verifier: TokenVerifier
    jwks: Jwks
    token_ttl_s: int
    public_url: str
    audit_key: bytes = b""
    """The HMAC key of the login audit's hashes of typed usernames."""
    clock: Clock = field(default_factory=LimaClock)
    """Lima's clock: an authority must be in office on Peru's date, not the server's (UTC) one."""


DepsDep = Annotated[Deps, Dependency(kind="named"), SkipValidationMarker()]
"""A route's ``deps`` parameter: Litestar injects the service's :class:`Deps` by name."""

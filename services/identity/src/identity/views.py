"""What identity's routes answer: one msgspec struct per body, so the OpenAPI document shows each one."""

from __future__ import annotations

from typing import Literal

import msgspec

from authkit import Claims, Role
from identity.domain import Authority, RegisteredEntity, StaffRecord


class CitizenView(msgspec.Struct, frozen=True):
    """A DNI and the names the identity register gives for it."""

    dni: str
    names: str


class AuthorityView(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """The authority in office: who holds the post, and for which period; ``entity_name`` only for an entity."""

    role: str
    dni: str
    names: str
    period: str
    jurisdiction: str
    entity_name: str | None = None


class EntityView(msgspec.Struct, frozen=True):
    """An entity that may ask for access as another ally."""

    ruc: str
    name: str
    public: bool


class Session(msgspec.Struct, frozen=True, kw_only=True):
    """A signed token, the way OAuth 2 answers a login."""

    access_token: str
    token_type: Literal["Bearer"]
    expires_in: int
    """Seconds until the token expires."""


class Jwk(msgspec.Struct, frozen=True):
    """One public key (RFC 8037: an Ed25519 key of type OKP)."""

    kty: str
    crv: str
    alg: str
    use: str
    kid: str
    x: str


class Jwks(msgspec.Struct, frozen=True):
    """The public keys that verify identity's tokens (RFC 7517)."""

    keys: list[Jwk]


class TokenClaims(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """A live token's claims; staff have no jurisdiction, so those claims are left out, except a CTVC's
    ``ubigeo`` (its region) and an ANALYST's ``unit``."""

    sub: str
    username: str
    role: Role
    ally_type: Literal["GOBIERNO_REGIONAL", "GOBIERNO_LOCAL", "OTRO_ALIADO"] | None = None
    ubigeo: str | None = None
    entity_ruc: str | None = None
    unit: str | None = None
    iss: str
    iat: int
    exp: int
    jti: str


class Introspection(msgspec.Struct, frozen=True, omit_defaults=True):
    """Whether a token is still good (RFC 7662); ``claims`` only when it is."""

    active: bool
    claims: TokenClaims | None = None


def authority_view(a: Authority) -> AuthorityView:
    return AuthorityView(
        role=a.role,
        dni=a.dni,
        names=a.names,
        period=a.period,
        jurisdiction=a.jurisdiction,
        entity_name=a.entity_name or None,
    )


def entity_view(e: RegisteredEntity) -> EntityView:
    return EntityView(ruc=e.ruc, name=e.name, public=e.public)


def introspection(claims: Claims | None) -> Introspection:
    if claims is None:
        return Introspection(active=False)
    return Introspection(active=True, claims=msgspec.convert(msgspec.to_builtins(claims), TokenClaims))


class StaffView(msgspec.Struct, frozen=True, kw_only=True):
    """A staff account as an administrator sees it: never its password or hash."""

    staff_id: str
    username: str
    role: Role
    region: str | None
    unit: str | None
    full_name: str | None
    email: str | None
    created_at: str
    created_by: str | None
    revoked_at: str | None = None
    revoked_reason: str | None = None
    revoked_by: str | None = None


def staff_view(s: StaffRecord) -> StaffView:
    return StaffView(
        staff_id=str(s.staff_id),
        username=s.username,
        role=s.role,
        region=s.region,
        unit=s.unit,
        full_name=s.full_name,
        email=s.email,
        created_at=s.created_at.isoformat(),
        created_by=s.created_by,
        revoked_at=s.revoked_at.isoformat() if s.revoked_at else None,
        revoked_reason=s.revoked_reason,
        revoked_by=s.revoked_by,
    )


class UnlockView(msgspec.Struct, frozen=True):
    """An account an administrator unlocked: it may log in again at once."""

    username: str
    failures_cleared: int
    """How many failed attempts in a row it had."""

"""Tokens: EdDSA-signed JWTs issued by identity and checked by the gateway and every service.

Identity alone holds the private key; every other process gets the public key
(a PEM file) and checks each token itself, taking the caller's role and
jurisdiction from the verified claims only.
"""

from __future__ import annotations

import base64
import hashlib
import os
import time
import uuid
from pathlib import Path
from typing import Any, Literal

import jwt
import msgspec
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ISSUER = "contigo-identity"
Role = Literal["ALLY", "EVALUATOR", "ADMIN", "CTVC", "ANALYST"]
"""``CTVC``: a regional oversight committee (``ubigeo`` is its region); ``ANALYST``: staff of a ``unit``."""


class Claims(msgspec.Struct, frozen=True, kw_only=True):
    sub: str
    username: str
    role: Role
    ally_type: Literal["GOBIERNO_REGIONAL", "GOBIERNO_LOCAL", "OTRO_ALIADO"] | None = None
    ubigeo: str | None = None
    entity_ruc: str | None = None
    unit: str | None = None
    iss: str = ISSUER
    iat: int = 0
    exp: int = 0
    jti: str = ""


class TokenError(Exception):
    """The token is missing, malformed, expired or not signed by identity."""


def key_id(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


class Signer:
    """Issues tokens with identity's private key."""

    def __init__(self, private_key: Ed25519PrivateKey, ttl_s: int = 8 * 3600):
        self._key = private_key
        self.public_key = private_key.public_key()
        self.kid = key_id(self.public_key)
        self._ttl_s = ttl_s

    def sign(self, claims: Claims) -> str:
        now = int(time.time())
        body = msgspec.to_builtins(claims) | {"iat": now, "exp": now + self._ttl_s, "jti": uuid.uuid4().hex}
        body = {k: v for k, v in body.items() if v is not None}
        return jwt.encode(body, self._key, algorithm="EdDSA", headers={"kid": self.kid})

    def jwks(self) -> dict[str, Any]:
        raw = self.public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        x = base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
        return {"keys": [{"kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "use": "sig", "kid": self.kid, "x": x}]}


class Verifier:
    """Checks tokens with identity's public key."""

    def __init__(self, public_key: Ed25519PublicKey):
        self._key = public_key

    def verify(self, token: str) -> Claims:
        try:
            body = jwt.decode(
                token, self._key, algorithms=["EdDSA"], issuer=ISSUER, options={"require": ["exp", "iat", "sub"]}
            )
            return msgspec.convert(body, Claims)
        except (jwt.PyJWTError, msgspec.ValidationError) as exc:
            raise TokenError(str(exc)) from None


def bearer(header: str | None) -> str:
    """The token of an ``Authorization: Bearer ...`` header."""
    if not header or not header.lower().startswith("bearer "):
        raise TokenError("missing bearer token")
    return header[7:].strip()


def load_or_create_private_key(path: Path) -> Ed25519PrivateKey:
    """Identity's key: read it, or create it (mode 0600) with its public half beside it."""
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError(f"{path} is not an Ed25519 private key")
        return key
    key = Ed25519PrivateKey.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
    public_path(path).write_bytes(
        key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    return key


def public_path(private_path: Path) -> Path:
    return private_path.with_name(private_path.stem + ".pub.pem")


def load_public_key(path: Path) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(path.read_bytes())
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError(f"{path} is not an Ed25519 public key")
    return key

"""Tokens: EdDSA-signed JWTs issued by identity and checked by the gateway and every service.

Identity alone holds the private key; every other process gets the public keys
(a PEM file: the current key, then the previous one) and checks each token itself,
taking the caller's role and jurisdiction from the verified claims only.

Rotation (:func:`rotate_keys`) makes a new current key and keeps the previous one's
public half, so a token signed before it validates until it expires; a second rotation
drops the oldest. Each token names its key in the ``kid`` header.
"""

from __future__ import annotations

import base64
import hashlib
import os
import threading
import time
import uuid
from collections.abc import Iterable
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

    def jwks(self, *previous: Ed25519PublicKey) -> dict[str, Any]:
        """The JWKS (RFC 7517): the signing key first, then the ``previous`` ones that still verify."""
        keys = [self.public_key, *(k for k in previous if key_id(k) != self.kid)]
        return {"keys": [jwk(k) for k in keys]}


def jwk(public_key: Ed25519PublicKey) -> dict[str, str]:
    """One public key as RFC 8037 writes an Ed25519 key."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    x = base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
    return {"kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "use": "sig", "kid": key_id(public_key), "x": x}


class Verifier:
    """Checks tokens with identity's public keys, the one named by the token's ``kid``.

    Built :meth:`from_file`, it reads the file again when it changes (at most once a second), so a
    rotation reaches a running service without a restart: the new key is accepted, a dropped one refused.
    """

    RELOAD_EVERY_S = 1.0

    def __init__(self, *public_keys: Ed25519PublicKey, source: Path | None = None):
        if not public_keys and source is None:
            raise ValueError("a verifier needs at least one public key")
        self._keys = {key_id(k): k for k in public_keys}
        self._source = source
        self._stamp = _stamp(source) if source else None
        self._checked_at = time.monotonic()
        self._lock = threading.Lock()

    @classmethod
    def from_file(cls, path: Path) -> Verifier:
        """The keys of a public key file (one PEM block per key), followed as the file changes."""
        return cls(*load_public_keys(path), source=path)

    @property
    def kids(self) -> list[str]:
        self._refresh()
        return list(self._keys)

    def verify(self, token: str) -> Claims:
        self._refresh()
        try:
            kid = jwt.get_unverified_header(token).get("kid")
            if kid and kid not in self._keys:
                self._refresh(force=True)  # signed by a key made since the last look at the file?
            candidates = [self._keys[kid]] if kid in self._keys else [] if kid else list(self._keys.values())
            if not candidates:
                raise TokenError("the token is signed by a key identity no longer uses")
            return self._decode(token, candidates)
        except jwt.PyJWTError as exc:
            raise TokenError(str(exc)) from None

    def _decode(self, token: str, candidates: list[Ed25519PublicKey]) -> Claims:
        last: Exception | None = None
        for key in candidates:
            try:
                body = jwt.decode(
                    token, key, algorithms=["EdDSA"], issuer=ISSUER, options={"require": ["exp", "iat", "sub"]}
                )
                return msgspec.convert(body, Claims)
            except jwt.InvalidSignatureError as exc:
                last = exc
            except (jwt.PyJWTError, msgspec.ValidationError) as exc:
                raise TokenError(str(exc)) from None
        raise TokenError(str(last))

    def _refresh(self, *, force: bool = False) -> None:
        if self._source is None or (not force and time.monotonic() - self._checked_at < self.RELOAD_EVERY_S):
            return
        with self._lock:
            self._checked_at = time.monotonic()
            stamp = _stamp(self._source)
            if stamp == self._stamp:
                return
            try:
                keys = load_public_keys(self._source)
            except (OSError, ValueError):
                return  # mid-rotation or unreadable: keep the keys that worked, try again later
            self._keys, self._stamp = {key_id(k): k for k in keys}, stamp


def _stamp(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_ino, st.st_mtime_ns, st.st_size  # a rotation replaces the file: a new inode


def bearer(header: str | None) -> str:
    """The token of an ``Authorization: Bearer ...`` header."""
    if not header or not header.lower().startswith("bearer "):
        raise TokenError("missing bearer token")
    return header[7:].strip()


def load_or_create_private_key(path: Path) -> Ed25519PrivateKey:
    """Identity's current key: read it, or create it (mode 0600) with its public half beside it."""
    if path.exists():
        return _read_private_key(path)
    key = Ed25519PrivateKey.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(_private_pem(key))
    _write_atomically(public_path(path), _public_pems([key.public_key()]), 0o644)
    return key


def rotate_keys(path: Path) -> tuple[str, str]:
    """A new current key in ``path``; the public file keeps the new key and the one it replaces, and drops any
    older one. Returns the new and the previous ``kid``.

    The public file is written first: if the rotation stops half-way, the key that still signs is in it.
    """
    previous = load_or_create_private_key(path).public_key()
    key = Ed25519PrivateKey.generate()
    _write_atomically(public_path(path), _public_pems([key.public_key(), previous]), 0o644)
    _write_atomically(path, _private_pem(key), 0o600)
    return key_id(key.public_key()), key_id(previous)


def verifying_keys(path: Path) -> list[Ed25519PublicKey]:
    """The public keys that verify identity's tokens: the current key's, then the previous one's, if any."""
    current = load_or_create_private_key(path).public_key()
    public = public_path(path)
    kept = [k for k in load_public_keys(public) if key_id(k) != key_id(current)] if public.exists() else []
    return [current, *kept[:1]]


def public_path(private_path: Path) -> Path:
    return private_path.with_name(private_path.stem + ".pub.pem")


def load_public_keys(path: Path) -> list[Ed25519PublicKey]:
    """Every Ed25519 public key of a PEM file, in order (the current key first)."""
    text = path.read_bytes()
    blocks = [b + _PEM_END for b in text.split(_PEM_END) if b.strip()]
    keys = []
    for block in blocks:
        key = serialization.load_pem_public_key(block.strip() + b"\n")
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError(f"{path} holds a key that is not an Ed25519 public key")
        keys.append(key)
    if not keys:
        raise ValueError(f"{path} holds no public key")
    return keys


def load_public_key(path: Path) -> Ed25519PublicKey:
    """The current key of a public key file (the first)."""
    return load_public_keys(path)[0]


_PEM_END = b"-----END PUBLIC KEY-----"


def _read_private_key(path: Path) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} is not an Ed25519 private key")
    return key


def _private_pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _public_pems(keys: Iterable[Ed25519PublicKey]) -> bytes:
    return b"".join(
        k.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo) for k in keys
    )


def _write_atomically(path: Path, data: bytes, mode: int) -> None:
    """Readers see the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise

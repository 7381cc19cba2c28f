"""Test keys: a signer for tokens and identity's public key written where a service reads it."""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from authkit import Signer


def token_keys(folder: Path) -> tuple[Signer, Path]:
    """A fresh key pair: the signer, and the public key's PEM file for ``token_public_key_file``."""
    key = Ed25519PrivateKey.generate()
    public = folder / "token.pub.pem"
    public.write_bytes(key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo))
    return Signer(key), public

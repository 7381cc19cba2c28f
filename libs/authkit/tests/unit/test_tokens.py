"""Tokens: signed by identity's key, refused when forged, expired or from another key."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from authkit import (
    Claims,
    Signer,
    TokenError,
    Verifier,
    bearer,
    key_id,
    load_or_create_private_key,
    load_public_key,
    public_path,
)

pytestmark = pytest.mark.unit

ALLY = Claims(sub="a1", username="gl090101", role="ALLY", ally_type="GOBIERNO_LOCAL", ubigeo="090101")


def test_a_token_carries_the_ally_type_and_jurisdiction():
    signer = Signer(Ed25519PrivateKey.generate())

    claims = Verifier(signer.public_key).verify(signer.sign(ALLY))

    assert (claims.role, claims.ally_type, claims.ubigeo) == ("ALLY", "GOBIERNO_LOCAL", "090101")
    assert claims.exp > claims.iat


def test_a_token_signed_by_another_key_is_refused():
    token = Signer(Ed25519PrivateKey.generate()).sign(ALLY)

    with pytest.raises(TokenError):
        Verifier(Ed25519PrivateKey.generate().public_key()).verify(token)


def test_an_expired_token_is_refused():
    signer = Signer(Ed25519PrivateKey.generate(), ttl_s=-10)

    with pytest.raises(TokenError, match="expired"):
        Verifier(signer.public_key).verify(signer.sign(ALLY))


def test_the_jwks_names_the_key_that_signs():
    signer = Signer(Ed25519PrivateKey.generate())

    (key,) = signer.jwks()["keys"]

    assert key["kid"] == signer.kid and key["crv"] == "Ed25519" and key["alg"] == "EdDSA"


def test_the_key_file_is_created_once_with_its_public_half(tmp_path):
    path = tmp_path / "keys" / "token.pem"

    first = load_or_create_private_key(path)
    second = load_or_create_private_key(path)

    assert Signer(first).kid == Signer(second).kid
    assert key_id(load_public_key(public_path(path))) == Signer(first).kid
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_a_missing_bearer_header_is_refused():
    with pytest.raises(TokenError):
        bearer(None)
    assert bearer("Bearer abc") == "abc"

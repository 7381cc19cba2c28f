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
    load_public_keys,
    public_path,
    rotate_keys,
    verifying_keys,
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


def test_a_token_signed_before_a_rotation_still_verifies_and_new_tokens_name_the_new_key(tmp_path):
    path = tmp_path / "keys" / "token.pem"
    old = Signer(load_or_create_private_key(path))
    before = old.sign(ALLY)

    new_kid, previous_kid = rotate_keys(path)
    new = Signer(load_or_create_private_key(path))
    verifier = Verifier.from_file(public_path(path))

    assert previous_kid == old.kid and new_kid == new.kid != old.kid
    assert [key_id(k) for k in load_public_keys(public_path(path))] == [new.kid, old.kid]
    assert verifier.verify(before).username == "gl090101"
    assert verifier.verify(new.sign(ALLY)).username == "gl090101"
    assert [k["kid"] for k in new.jwks(*verifying_keys(path))["keys"]] == [new.kid, old.kid]
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_after_a_second_rotation_the_oldest_key_is_gone_and_its_tokens_are_refused(tmp_path):
    path = tmp_path / "token.pem"
    oldest = Signer(load_or_create_private_key(path))
    token = oldest.sign(ALLY)
    rotate_keys(path)

    rotate_keys(path)
    current = Signer(load_or_create_private_key(path))
    kids = [k["kid"] for k in current.jwks(*verifying_keys(path))["keys"]]

    assert len(kids) == 2 and oldest.kid not in kids and kids[0] == current.kid
    with pytest.raises(TokenError, match="no longer uses"):
        Verifier.from_file(public_path(path)).verify(token)


def test_a_running_verifier_follows_the_public_file_through_a_rotation(tmp_path):
    path = tmp_path / "token.pem"
    first = Signer(load_or_create_private_key(path))
    verifier = Verifier.from_file(public_path(path))
    token = first.sign(ALLY)
    verifier.verify(token)

    rotate_keys(path)
    after_one = Verifier.from_file(public_path(path)).kids
    second = Signer(load_or_create_private_key(path))
    fresh = second.sign(ALLY)
    accepted = verifier.verify(fresh)  # a kid it has not seen: it reads the file again at once
    rotate_keys(path)
    verifier.RELOAD_EVERY_S = 0.0

    assert accepted.username == "gl090101" and len(after_one) == 2
    with pytest.raises(TokenError):
        verifier.verify(token)
    assert verifier.verify(fresh).username == "gl090101"


def test_a_public_file_of_one_key_as_before_rotation_still_loads(tmp_path):
    path = tmp_path / "token.pem"
    signer = Signer(load_or_create_private_key(path))

    (key,) = load_public_keys(public_path(path))

    assert key_id(key) == signer.kid == key_id(load_public_key(public_path(path)))

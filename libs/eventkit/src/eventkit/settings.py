"""Settings: a frozen struct per service, loaded once from ``CONTIGO_*`` variables."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TypeVar

import msgspec

from authkit import Verifier

PREFIX = "CONTIGO_"
S = TypeVar("S", bound=msgspec.Struct)


class ConfigError(Exception):
    """A missing or malformed setting; the message names the variable."""


def env_name(field: str) -> str:
    return PREFIX + field.upper()


def load_settings(cls: type[S], environ: Mapping[str, str] | None = None) -> S:
    """Build ``cls`` from the environment; every field ``x`` is read from ``CONTIGO_X``."""
    environ = os.environ if environ is None else environ
    values = {}
    for field in msgspec.structs.fields(cls):
        raw = environ.get(env_name(field.name))
        if raw is not None and raw != "":
            values[field.name] = raw
    try:
        return msgspec.convert(values, cls, strict=False)
    except msgspec.ValidationError as exc:
        raise ConfigError(_explain(str(exc))) from None


def _explain(message: str) -> str:
    missing = re.search(r"missing required field `(\w+)`", message)
    if missing:
        return f"{env_name(missing.group(1))} is required but not set"
    at = re.search(r"at `\$\.(\w+)`", message)
    if at:
        return f"{env_name(at.group(1))} is invalid: {message.split(' - at ', maxsplit=1)[0]}"
    return f"invalid configuration: {message}"


def token_verifier(public_key_file: str) -> Verifier | None:
    """Identity's public keys (current and previous) as a token verifier that follows the file as identity's keys
    rotate; ``None`` when not configured (the routes that need it answer 503).

    A file that cannot be read or is not an Ed25519 public key stops start-up, naming the variable.
    """
    if not public_key_file:
        return None
    try:
        return Verifier.from_file(Path(public_key_file))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"CONTIGO_TOKEN_PUBLIC_KEY_FILE is invalid: {exc}") from None

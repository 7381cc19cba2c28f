"""Settings of the access service, read once from CONTIGO_* variables."""

from __future__ import annotations

import msgspec


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    database_url: str
    kafka_bootstrap: str = "127.0.0.1:59092"
    # identity's public key (PEM) to check evaluators' tokens
    token_public_key_file: str = ""
    # HMAC key of the ALTCHA proof-of-work (CONTIGO_CAPTCHA_HMAC_KEY), shared by every access process so a
    # challenge one served is accepted by another or after a restart. Empty: a random key for this process
    # alone (said in the log at start); the local runs keep one in their data folder.
    captcha_hmac_key: str = ""
    captcha_max_number: int = 100_000

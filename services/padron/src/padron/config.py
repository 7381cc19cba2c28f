"""Settings of the padrón service, read once from CONTIGO_* variables."""

from __future__ import annotations

import msgspec


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    database_url: str
    kafka_bootstrap: str = "127.0.0.1:59092"
    # identity's public key (PEM): every request's scope comes from a token checked with it
    token_public_key_file: str = ""
    # Load the synthetic padrón (80,326 people, no real data) and publish a first version when empty.
    demo_data: bool = False

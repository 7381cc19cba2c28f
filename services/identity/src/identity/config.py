"""Settings of the identity service, read once from CONTIGO_* variables."""

from __future__ import annotations

import msgspec


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    database_url: str
    kafka_bootstrap: str = "127.0.0.1:59092"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    # Identity's Ed25519 private key (PEM); created with its public half beside it when missing.
    token_key_file: str = ""
    token_ttl_s: int = 28800
    # The key sealing queued e-mails (they hold passwords) until sent; created when missing.
    # Empty: mail.key beside the token key.
    mail_key_file: str = ""
    # The key of the login audit's keyed hashes of typed usernames; created when missing.
    # Empty: audit.key beside the token key.
    audit_key_file: str = ""
    mail_from: str = "Programa CONTIGO <no-responder@contigo.gob.pe>"
    # Where allies log in; named in the credentials e-mail.
    public_url: str = "http://127.0.0.1:8000"
    # When set, the demo staff accounts 'evaluador' and 'admin' exist with this password.
    demo_staff_password: str = ""
    # The Kafka consumer group; empty: the service's name. Tests isolate a process of their own with it.
    consumer_group: str = ""

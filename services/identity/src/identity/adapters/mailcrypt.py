"""Encryption at rest of the mail outbox: AES-GCM with identity's mail key, kept in a file."""

from __future__ import annotations

import base64
import os
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_BYTES = 32
NONCE_BYTES = 12


def default_mail_key_path(token_key_file: str) -> Path:
    """Beside identity's token key, so a run that keeps one keeps the other."""
    return Path(token_key_file).with_name("mail.key")


def load_or_create_mail_key(path: Path) -> bytes:
    """Read the 256-bit key (base64 text), or create it (mode 0600) when the file is missing."""
    if path.exists():
        key = base64.urlsafe_b64decode(path.read_text(encoding="ascii").strip())
        if len(key) != KEY_BYTES:
            raise ValueError(f"{path} does not hold a {KEY_BYTES * 8}-bit key")
        return key
    key = AESGCM.generate_key(bit_length=KEY_BYTES * 8)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(base64.urlsafe_b64encode(key).decode("ascii") + "\n")
    return key


class MailCipher:
    """Seals a mail body to its Message-ID: a sealed body moved to another row does not open."""

    def __init__(self, key: bytes):
        self._aead = AESGCM(key)

    def seal(self, message_id: str, text: str) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, text.encode("utf-8"), message_id.encode("utf-8"))

    def open(self, message_id: str, sealed: bytes) -> str:
        nonce, ciphertext = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:]
        return self._aead.decrypt(nonce, ciphertext, message_id.encode("utf-8")).decode("utf-8")

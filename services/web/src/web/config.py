"""Settings of the web application, read once from CONTIGO_* variables."""

from __future__ import annotations

import secrets
from pathlib import Path

import msgspec


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    # The gateway's public API; the only thing the web application talks to.
    gateway_url: str = "http://127.0.0.1:8000"
    # Signs the CSRF tokens. A file wins over a value; with neither, a fresh secret per start
    # (forms opened before a restart are then refused, in Spanish, and simply sent again).
    cookie_secret: str = ""
    cookie_secret_file: str = ""
    # Secure cookies need HTTPS; only local runs on http://127.0.0.1 turn them off.
    secure_cookies: bool = True
    # A signed-in person's session ends after this many minutes without opening a page
    # (CONTIGO_SESSION_MINUTES); every page says at what time it will.
    session_minutes: int = 30
    # Shared with the gateway (CONTIGO_PROXY_KEY): with it, the web tells the gateway each person's
    # address, so the gateway's rate limits count people, not the web application as one client.
    proxy_key: str = ""
    # Local runs only: the mail the local mail catcher kept, readable at /correo (CONTIGO_DEV_MAIL);
    # anywhere else those pages do not exist.
    dev_mail: bool = False
    # An upload that sends nothing for this many seconds is cut with a 408 (CONTIGO_UPLOAD_IDLE_S); a slow
    # link that keeps sending is never cut. No person may have more than CONTIGO_UPLOADS_PER_CLIENT open.
    upload_idle_s: float = 60.0
    uploads_per_client: int = 3

    def secret(self) -> str:
        if self.cookie_secret_file:
            return Path(self.cookie_secret_file).read_text(encoding="utf-8").strip()
        return self.cookie_secret or secrets.token_urlsafe(32)

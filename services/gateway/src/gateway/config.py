"""Settings of the gateway, read once from CONTIGO_* variables."""

from __future__ import annotations

import msgspec


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    identity_url: str = "http://127.0.0.1:8001"
    access_url: str = "http://127.0.0.1:8002"
    documents_url: str = "http://127.0.0.1:8003"
    padron_url: str = "http://127.0.0.1:8004"
    cases_url: str = "http://127.0.0.1:8005"
    # Folder of the local mail catcher, shown at /dev/mail; empty in production.
    dev_mail_dir: str = ""
    # The web application USUARIO ALIADO as people reach it (CONTIGO_WEB_URL). When set, /verificar (the
    # address printed in every DDC, on the gateway's public URL) sends people to its page; when empty
    # (the gateway on its own), the gateway's plain page answers.
    web_url: str = ""
    # Requests per minute per client address on the public look-ups and the login.
    rate_limit_per_minute: int = 120
    # Shared with the web application (CONTIGO_PROXY_KEY): a request carrying it may say, in
    # X-Contigo-Client, whose request it relays, so each person of the web has their own limit
    # instead of all of them sharing the web's address. Empty: no proxy is trusted.
    proxy_key: str = ""
    max_upload_bytes: int = 10 * 1024 * 1024
    # An upload that sends nothing for this many seconds is cut with a 408 (CONTIGO_UPLOAD_IDLE_S); a slow
    # link that keeps sending is never cut. No client may have more than CONTIGO_UPLOADS_PER_CLIENT open.
    upload_idle_s: float = 60.0
    uploads_per_client: int = 3

    def service_urls(self) -> dict[str, str]:
        return {
            "identity": self.identity_url,
            "access": self.access_url,
            "documents": self.documents_url,
            "padron": self.padron_url,
            "cases": self.cases_url,
        }

"""Settings of the gateway, read once from CONTIGO_* variables."""

from __future__ import annotations

import msgspec


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    identity_url: str = "http://127.0.0.1:8001"
    access_url: str = "http://127.0.0.1:8002"
    documents_url: str = "http://127.0.0.1:8003"
    padron_url: str = "http://127.0.0.1:8004"
    cases_url: str = "http://127.0.0.1:8005"

    def service_urls(self) -> dict[str, str]:
        return {
            "identity": self.identity_url,
            "access": self.access_url,
            "documents": self.documents_url,
            "padron": self.padron_url,
            "cases": self.cases_url,
        }

"""The start page: what USUARIO ALIADO is and who can get access."""

from __future__ import annotations

from litestar import get
from litestar.response import Template


@get("/", name="start", include_in_schema=False)
async def start_page() -> Template:
    return Template(template_name="start.html")


@get("/health", include_in_schema=False, sync_to_thread=False)
def health() -> dict[str, str]:
    """The web process answers; whether the gateway does is the gateway's own /health."""
    return {"status": "ok", "service": "web"}

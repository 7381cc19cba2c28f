"""What every response carries (security headers), and the CSRF cookie's rules."""

from __future__ import annotations

from litestar.config.csrf import CSRFConfig
from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope

from web.config import Settings

CSRF_COOKIE = "contigo_csrf"
# No inline script or style anywhere: scripts, when a page has one, are files of this site.
# Frames only of this site (an evaluator's page shows the uploaded PDF); no page may be framed, below.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)
# What a PDF this site serves for its own pages to embed carries instead: framed by this site only,
# loading nothing. object-src 'self' because Chromium applies it to the PDF viewer of the document itself.
EMBEDDABLE_HEADERS = {
    "content-security-policy": "default-src 'none'; object-src 'self'; frame-ancestors 'self'; base-uri 'none'",
    "x-frame-options": "SAMEORIGIN",
}
HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}


async def security_headers(message: Message, scope: Scope) -> None:
    """A ``before_send`` hook, so error pages and static files carry the headers too."""
    if message["type"] == "http.response.start":
        headers = MutableScopeHeaders.from_message(message)
        for name, value in HEADERS.items():
            if name in EMBEDDABLE_HEADERS and headers.get(name) == EMBEDDABLE_HEADERS[name]:
                continue  # a route that is meant to be framed by this site's pages set it
            headers[name] = value


def csrf_config(settings: Settings, secret: str) -> CSRFConfig:
    # The token travels in a hidden field of each form, so no script needs to read the cookie.
    return CSRFConfig(
        secret=secret,
        cookie_name=CSRF_COOKIE,
        cookie_httponly=True,
        cookie_samesite="lax",
        cookie_secure=settings.secure_cookies,
        exclude=["/static", "/health"],
    )

"""The person's accessibility options (larger text, high contrast), kept per browser in a cookie."""

from __future__ import annotations

from dataclasses import dataclass

from litestar import Request
from litestar.datastructures import Cookie

COOKIE = "contigo_opciones"
ONE_YEAR = 365 * 24 * 3600
LARGE_TEXT = "texto-grande"
HIGH_CONTRAST = "alto-contraste"


@dataclass(frozen=True)
class Options:
    large_text: bool = False
    high_contrast: bool = False

    @classmethod
    def of(cls, request: Request) -> Options:
        words = set(request.cookies.get(COOKIE, "").split("."))
        return cls(large_text=LARGE_TEXT in words, high_contrast=HIGH_CONTRAST in words)

    def classes(self) -> str:
        """The classes of ``<html>``: the stylesheet does the rest, so no script is needed."""
        return " ".join(name for name, on in ((LARGE_TEXT, self.large_text), (HIGH_CONTRAST, self.high_contrast)) if on)

    def cookie(self, *, secure: bool) -> Cookie:
        # Read only by the server, sent on every page of this site, so HttpOnly and Lax.
        value = ".".join(self.classes().split()) or "ninguna"
        return Cookie(key=COOKIE, value=value, max_age=ONE_YEAR, path="/", httponly=True, samesite="lax", secure=secure)


def preference_classes(request: Request) -> str:
    """For the base layout: every page, error pages too, wears the person's options."""
    return Options.of(request).classes()

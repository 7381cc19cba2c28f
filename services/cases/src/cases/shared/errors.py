"""The cases service's refusals: pure exceptions carrying the Spanish sentence a person reads (``app.ERRORS``)."""

from __future__ import annotations


class CasesError(Exception):
    """A refusal of the cases service, in Spanish."""


class FormError(CasesError):
    """Data that cannot be accepted, field by field (in Spanish): 422."""

    def __init__(self, message: str, errors: dict[str, str] | None = None):
        super().__init__(message)
        self.errors = errors or {}


class ConflictError(CasesError):
    """The action contradicts the current state (a case number taken, a case already answered): 409."""


class NotFoundError(CasesError):
    """No such record, or none the caller may open (a CTVC never learns another region's cases exist): 404."""


class ForbiddenError(CasesError):
    """The caller's role does not reach this action: 403."""

"""The padrón's refusals, one set for every aggregate: pure exceptions, answered by the one table in ``app``.

Each carries its Spanish message; ``FormError`` also says what is wrong field by field. No framework here:
the domain raises them, ``padron.app.ERRORS`` says what each means over HTTP.
"""

from __future__ import annotations


class PadronError(Exception):
    """A refusal of the padrón, in Spanish (the message is what the person reads)."""


class FormError(PadronError):
    """Data that cannot be accepted, field by field (in Spanish): 422."""

    def __init__(self, message: str, errors: dict[str, str] | None = None):
        super().__init__(message)
        self.errors = errors or {}


class ConflictError(PadronError):
    """The action contradicts the current state (a final status, a taken DNI, a decided FAD): 409."""


class NotFoundError(PadronError):
    """No such record (or none the caller may open): 404."""


class OutOfScopeError(PadronError):
    """The caller's jurisdiction or role does not reach this; ``status`` is 403 or 404.

    Logged when raised inside ``shared.api.logging_refusals``, in a transaction of its own, then answered.
    """

    def __init__(self, message: str, status: int = 403):
        super().__init__(message)
        self.status = status


class ScopeError(PadronError):
    """The verified token carries no jurisdiction the padrón knows: 403, before any route runs."""

    def __init__(self, message: str, status: int = 403):
        super().__init__(message)
        self.status = status

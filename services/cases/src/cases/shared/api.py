"""What cases' routes share besides the kit's providers: the caller, from the verified token."""

from __future__ import annotations

from typing import Annotated

from litestar.di import Dependency, Provide
from litestar.params import SkipValidationMarker

from cases.shared.scope import Caller, caller_of
from eventkit.providers import ClaimsDep


def provide_caller(claims: ClaimsDep) -> Caller:
    """The caller as cases sees them (the kit answers 401 without a valid token)."""
    return caller_of(claims)


CallerDep = Annotated[Caller, Dependency(kind="named"), SkipValidationMarker()]
DEPENDENCIES = {"caller": Provide(provide_caller, sync_to_thread=False)}

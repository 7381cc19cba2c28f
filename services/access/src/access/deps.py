"""What access's routes are given besides the kit's providers: the token check, the captcha key, the evaluator."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from litestar import Request
from litestar.di import Dependency, Provide
from litestar.params import SkipValidationMarker

from authkit import TokenError, Verifier, bearer
from eventkit.http import UserError

NOT_CONFIGURED = "La evaluación no está configurada (falta la clave pública de tokens)."
LOG_IN = "Inicie sesión como evaluador."
NOT_EVALUATOR = "Solo el personal evaluador puede ver y decidir solicitudes."


@dataclass(frozen=True)
class Deps:
    verifier: Verifier | None
    """Identity's public key, to check evaluators' tokens; ``None``: evaluation answers 503."""
    captcha_key: str
    captcha_max: int


DepsDep = Annotated[Deps, Dependency(kind="named"), SkipValidationMarker()]
EvaluatorDep = Annotated[str, Dependency(kind="named"), SkipValidationMarker()]


def provide_evaluator(request: Request, deps: DepsDep) -> str:
    """The username of the staff member evaluating; refused in access's own words (the kit's ``claims`` has others)."""
    if deps.verifier is None:
        raise UserError(NOT_CONFIGURED, 503)
    try:
        claims = deps.verifier.verify(bearer(request.headers.get("authorization")))
    except TokenError:
        raise UserError(LOG_IN, 401) from None
    if claims.role not in ("EVALUATOR", "ADMIN"):
        raise UserError(NOT_EVALUATOR, 403)
    return claims.username


def dependencies(deps: Deps) -> dict[str, Provide]:
    """Access's own providers, for ``create_service_app(..., dependencies=...)``."""
    return {
        "deps": Provide(lambda: deps, sync_to_thread=False, use_cache=True),
        "evaluator": Provide(provide_evaluator, sync_to_thread=False),
    }

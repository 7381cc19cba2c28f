"""Alerts: what a local government reports about a beneficiary of its district, and staff attending it.

Pure: no framework, no driver. Input arrives as decoded JSON, refusals leave as ``padron.shared.errors``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from padron.shared import fields
from padron.shared.errors import ConflictError, FormError, OutOfScopeError
from padron.shared.fields import REQUIRED, UNEXPECTED
from padron.shared.scope import Scope

ALERT_TYPES = ("FALLECIMIENTO", "CAMBIO_DE_DOMICILIO", "NO_COBRA", "EN_RIESGO", "OTRO")
ALERT_STATES = ("ABIERTA", "ATENDIDA")
MAX_DETAIL = 1000


@dataclass(frozen=True)
class AlertInput:
    alert_type: str
    detail: str


@dataclass(frozen=True)
class Alert:
    alert_id: UUID
    beneficiary_id: UUID
    ubigeo: str
    alert_type: str
    detail: str
    state: str
    raised_by: str
    raised_at: datetime
    dni: str | None = None
    names: str | None = None


def alert_input(body: Any) -> AlertInput:
    """``{alert_type, detail}``; anything else is refused field by field."""
    body = fields.json_object(body)
    errors = {name: UNEXPECTED for name in body if name not in ("alert_type", "detail")}
    alert_type = body.get("alert_type")
    if alert_type is None:
        errors["alert_type"] = REQUIRED
    elif alert_type not in ALERT_TYPES:
        errors["alert_type"] = "Use FALLECIMIENTO, CAMBIO_DE_DOMICILIO, NO_COBRA, EN_RIESGO u OTRO."
    detail = fields.strict_text(
        body.get("detail"), MAX_DETAIL, errors, "detail", f"Describa la alerta en máximo {MAX_DETAIL} caracteres."
    )
    if errors:
        raise FormError("Revise los datos de la alerta.", errors)
    return AlertInput(str(alert_type), str(detail))


def check_may_raise_alerts(scope: Scope) -> None:
    """The municipality of the beneficiary's district, or program staff."""
    if scope.kind in ("REGION", "ENTITY"):
        raise OutOfScopeError("Solo la municipalidad del distrito del usuario puede registrar alertas.", 403)


def attended(state: str) -> str:
    if state != "ABIERTA":
        raise ConflictError("La alerta ya fue atendida.")
    return "ATENDIDA"

"""What the API shows of a request: its state in words, checks, documents, deadline."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any
from uuid import UUID

import msgspec

from access.domain import LABELS, AccessRequest, RequestForm
from contracts import ubigeo

ALLY_LABELS = {
    "GOBIERNO_REGIONAL": "Gobierno Regional",
    "GOBIERNO_LOCAL": "Gobierno Local",
    "OTRO_ALIADO": "Otro aliado",
}


class RequestView(msgspec.Struct, kw_only=True):
    id: UUID
    code: str
    state: str
    state_label: str
    attempt: int
    ally_type: str
    ally_type_label: str
    jurisdiction_label: str | None
    form: RequestForm
    authority_check: dict[str, Any] | None
    ddc: dict[str, Any]
    documents: dict[str, Any]
    required_documents: list[str]
    due_date: date | None
    overdue: bool
    observations: list[str]
    rejection_reason: str | None
    account_username: str | None


def jurisdiction_label(r: AccessRequest) -> str | None:
    f = r.form
    if f.ally_type == "OTRO_ALIADO":
        return f.entity.name if f.entity else None
    try:
        return ubigeo.describe(f.ubigeo) if f.ubigeo else None
    except KeyError:
        return None


def view(r: AccessRequest, today: date) -> RequestView:
    check = None
    if r.authority_result:
        check = {"result": r.authority_result, "reason": r.authority_reason}
    return RequestView(
        id=r.request_id,
        code=r.code,
        state=r.state,
        state_label=LABELS[r.state],
        attempt=r.attempt,
        ally_type=r.form.ally_type,
        ally_type_label=ALLY_LABELS[r.form.ally_type],
        jurisdiction_label=jurisdiction_label(r),
        form=r.form,
        authority_check=check,
        ddc={"ready": r.ddc_ready, "verification_code": r.ddc_verification_code},
        documents={k: dataclasses.asdict(d) for k, d in r.documents.items()},
        required_documents=r.required_documents(),
        due_date=r.due_date,
        overdue=r.overdue(today),
        observations=r.observations,
        rejection_reason=r.rejection_reason,
        account_username=r.account_username,
    )

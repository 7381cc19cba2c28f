"""What the API shows of a request: its state in words, checks, documents, deadline."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import msgspec

from access.domain import LABELS, AccessRequest, RequestForm, State
from contracts import ubigeo
from contracts.events import AllyType

ALLY_LABELS = {
    "GOBIERNO_REGIONAL": "Gobierno Regional",
    "GOBIERNO_LOCAL": "Gobierno Local",
    "OTRO_ALIADO": "Otro aliado",
}


class AuthorityCheckView(msgspec.Struct):
    """What the official register said of the authority (identity's answer)."""

    result: str
    reason: str | None


class DdcView(msgspec.Struct):
    ready: bool
    verification_code: str | None


class DocumentView(msgspec.Struct, kw_only=True):
    """A document the applicant uploaded, as documents reported it."""

    kind: str
    sha256: str
    size: int
    digitally_signed: bool
    signer: str | None
    intact: bool | None


class RequestView(msgspec.Struct, kw_only=True):
    id: UUID
    code: str
    state: State
    state_label: str
    attempt: int
    ally_type: AllyType
    ally_type_label: str
    jurisdiction_label: str | None
    form: RequestForm
    authority_check: AuthorityCheckView | None
    ddc: DdcView
    documents: dict[str, DocumentView]
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
    check = AuthorityCheckView(r.authority_result, r.authority_reason) if r.authority_result else None
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
        ddc=DdcView(r.ddc_ready, r.ddc_verification_code),
        documents={
            k: DocumentView(
                kind=d.kind,
                sha256=d.sha256,
                size=d.size,
                digitally_signed=d.digitally_signed,
                signer=d.signer,
                intact=d.intact,
            )
            for k, d in r.documents.items()
        },
        required_documents=r.required_documents(),
        due_date=r.due_date,
        overdue=r.overdue(today),
        observations=r.observations,
        rejection_reason=r.rejection_reason,
        account_username=r.account_username,
    )

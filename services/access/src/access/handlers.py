"""Use cases of the access service: load the request, apply one rule, save, record the events."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Protocol
from uuid import UUID

from access.deadlines import add_business_days
from access.domain import (
    DECISION_ERROR,
    DECISIONS,
    AccessRequest,
    FormError,
    RequestForm,
    UploadedDocument,
    new_code,
    normalize,
)
from access.validation import dni_error
from contracts import Event
from contracts.events import AccessObserved, AuthorityVerified, CredentialsIssued, DDCGenerated, DDCUploaded


class NotFoundError(Exception):
    """No such request (or not one this caller may open)."""


class CaptchaError(Exception):
    """The proof-of-work was missing, wrong, expired or already used."""


class Requests(Protocol):
    async def add(self, request: AccessRequest) -> None: ...
    async def get(self, request_id: UUID) -> AccessRequest | None: ...
    async def find_by_code(self, code: str) -> AccessRequest | None: ...
    async def save(self, request: AccessRequest) -> None: ...
    async def record_decision(self, request: AccessRequest, decision: str, evaluator_id: str, detail: dict) -> None: ...
    async def claim_captcha(self, signature: str) -> bool: ...
    async def queue(self) -> list[AccessRequest]: ...


class Outbox(Protocol):
    """Where a use case puts the events it implies: the kit's unit of work, committed with the state."""

    async def emit(self, event: Event, key: str) -> object: ...


async def load(requests: Requests, request_id: UUID) -> AccessRequest:
    request = await requests.get(request_id)
    if request is None:
        raise NotFoundError("Solicitud no encontrada.")
    return request


async def _emit(requests: Requests, outbox: Outbox, request: AccessRequest, events: list[Event]) -> None:
    for event in events:
        if isinstance(event, AccessObserved):
            detail = {"observations": event.observations}
            await requests.record_decision(request, "OBSERVE", event.evaluator_id, detail)
        await outbox.emit(event, str(request.request_id))  # every access event is keyed by its request


async def create_draft(form: RequestForm, requests: Requests, now: datetime) -> AccessRequest:
    form = normalize(form)
    if problem := dni_error(form.authority.dni):
        raise FormError({"authority.dni": f"{problem} Lo necesitará, junto con el código, para retomar la solicitud."})
    request = AccessRequest(uuid.uuid4(), new_code(now.year), form)
    await requests.add(request)
    return request


async def save_draft(request_id: UUID, form: RequestForm, requests: Requests) -> AccessRequest:
    request = await load(requests, request_id)
    form = normalize(form)
    if problem := dni_error(form.authority.dni):
        raise FormError({"authority.dni": problem})
    request.save(form)
    await requests.save(request)
    return request


async def resume(code: str, authority_dni: str, requests: Requests) -> AccessRequest:
    """Both the code and the authority's DNI must match; the answer never says which one did not."""
    request = await requests.find_by_code(code.strip().upper())
    if request is None or request.form.authority.dni != authority_dni.strip():
        raise NotFoundError("No encontramos una solicitud con ese código y DNI de la autoridad.")
    return request


async def submit(
    request_id: UUID, captcha_signature: str | None, requests: Requests, outbox: Outbox, now: datetime
) -> AccessRequest:
    request = await load(requests, request_id)
    if request.state not in ("DRAFT", "OBSERVED"):
        return request  # already sent: the same answer, nothing new
    if not captcha_signature or not await requests.claim_captcha(captcha_signature):
        raise CaptchaError("La verificación anti-robots ya fue usada; resuélvala de nuevo.")
    events = request.submit(now)
    await requests.save(request)
    await _emit(requests, outbox, request, events)
    return request


def _advance(request: AccessRequest, today: date) -> None:
    request.ready_for_evaluation(today, add_business_days)


async def authority_verified(event: AuthorityVerified, requests: Requests, outbox: Outbox, today: date) -> None:
    request = await load(requests, event.request_id)
    events = request.authority_checked(event.attempt, event.result, event.reason)
    _advance(request, today)
    await requests.save(request)
    await _emit(requests, outbox, request, events)


async def ddc_generated(event: DDCGenerated, requests: Requests) -> None:
    request = await load(requests, event.request_id)
    request.ddc_generated(event.attempt, event.verification_code)
    await requests.save(request)


async def ddc_uploaded(event: DDCUploaded, requests: Requests, today: date) -> None:
    request = await load(requests, event.request_id)
    doc = UploadedDocument(event.kind, event.sha256, event.size, event.digitally_signed, event.signer, event.intact)
    request.document_uploaded(event.attempt, doc)
    _advance(request, today)
    await requests.save(request)


async def credentials_issued(event: CredentialsIssued, requests: Requests) -> None:
    request = await load(requests, event.request_id)
    request.credentials_issued(event.username)
    await requests.save(request)


async def decide(
    request_id: UUID,
    decision: str,
    evaluator_id: str,
    requests: Requests,
    outbox: Outbox,
    *,
    reason: str = "",
    observations=(),
) -> AccessRequest:
    if decision not in DECISIONS:
        raise FormError({"decision": DECISION_ERROR})
    request = await load(requests, request_id)
    if decision == "APPROVE":
        events = request.approve(evaluator_id)
        detail: dict = {}
    elif decision == "REJECT":
        events = request.reject(evaluator_id, reason)
        detail = {"reason": request.rejection_reason}
    else:
        events = request.observe(evaluator_id, list(observations))
        detail = {}
    await requests.save(request)
    if decision != "OBSERVE":
        await requests.record_decision(request, decision, evaluator_id, detail)
    await _emit(requests, outbox, request, events)
    return request


async def current_attempt(request_id: UUID, purpose: str, requests: Requests) -> int:
    """The attempt a DDC download or an upload belongs to now (asked by the gateway before documents)."""
    request = await load(requests, request_id)
    return request.upload_attempt() if purpose == "upload" else request.ddc_attempt()


async def evaluation_queue(requests: Requests) -> list[AccessRequest]:
    return await requests.queue()

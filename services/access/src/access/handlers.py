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
from contracts import Envelope, Event
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


class UnitOfWork(Protocol):
    requests: Requests

    async def publish(self, event: Event, cause: Envelope | None = None) -> None: ...


async def load(uow: UnitOfWork, request_id: UUID) -> AccessRequest:
    request = await uow.requests.get(request_id)
    if request is None:
        raise NotFoundError("Solicitud no encontrada.")
    return request


async def _emit(uow: UnitOfWork, request: AccessRequest, events: list[Event], cause: Envelope | None = None) -> None:
    for event in events:
        if isinstance(event, AccessObserved):
            detail = {"observations": event.observations}
            await uow.requests.record_decision(request, "OBSERVE", event.evaluator_id, detail)
        await uow.publish(event, cause)


async def create_draft(form: RequestForm, uow: UnitOfWork, now: datetime) -> AccessRequest:
    form = normalize(form)
    if problem := dni_error(form.authority.dni):
        raise FormError({"authority.dni": f"{problem} Lo necesitará, junto con el código, para retomar la solicitud."})
    request = AccessRequest(uuid.uuid4(), new_code(now.year), form)
    await uow.requests.add(request)
    return request


async def save_draft(request_id: UUID, form: RequestForm, uow: UnitOfWork) -> AccessRequest:
    request = await load(uow, request_id)
    form = normalize(form)
    if problem := dni_error(form.authority.dni):
        raise FormError({"authority.dni": problem})
    request.save(form)
    await uow.requests.save(request)
    return request


async def resume(code: str, authority_dni: str, uow: UnitOfWork) -> AccessRequest:
    """Both the code and the authority's DNI must match; the answer never says which one did not."""
    request = await uow.requests.find_by_code(code.strip().upper())
    if request is None or request.form.authority.dni != authority_dni.strip():
        raise NotFoundError("No encontramos una solicitud con ese código y DNI de la autoridad.")
    return request


async def submit(request_id: UUID, captcha_signature: str | None, uow: UnitOfWork, now: datetime) -> AccessRequest:
    request = await load(uow, request_id)
    if request.state not in ("DRAFT", "OBSERVED"):
        return request  # already sent: the same answer, nothing new
    if not captcha_signature or not await uow.requests.claim_captcha(captcha_signature):
        raise CaptchaError("La verificación anti-robots ya fue usada; resuélvala de nuevo.")
    events = request.submit(now)
    await uow.requests.save(request)
    await _emit(uow, request, events)
    return request


def _advance(request: AccessRequest, today: date) -> None:
    request.ready_for_evaluation(today, add_business_days)


async def authority_verified(envelope: Envelope, event: AuthorityVerified, uow: UnitOfWork, today: date) -> None:
    request = await load(uow, event.request_id)
    events = request.authority_checked(event.attempt, event.result, event.reason)
    _advance(request, today)
    await uow.requests.save(request)
    await _emit(uow, request, events, envelope)


async def ddc_generated(event: DDCGenerated, uow: UnitOfWork) -> None:
    request = await load(uow, event.request_id)
    request.ddc_generated(event.attempt, event.verification_code)
    await uow.requests.save(request)


async def ddc_uploaded(event: DDCUploaded, uow: UnitOfWork, today: date) -> None:
    request = await load(uow, event.request_id)
    doc = UploadedDocument(event.kind, event.sha256, event.size, event.digitally_signed, event.signer, event.intact)
    request.document_uploaded(event.attempt, doc)
    _advance(request, today)
    await uow.requests.save(request)


async def credentials_issued(event: CredentialsIssued, uow: UnitOfWork) -> None:
    request = await load(uow, event.request_id)
    request.credentials_issued(event.username)
    await uow.requests.save(request)


async def decide(
    request_id: UUID, decision: str, evaluator_id: str, uow: UnitOfWork, *, reason: str = "", observations=()
) -> AccessRequest:
    if decision not in DECISIONS:
        raise FormError({"decision": DECISION_ERROR})
    request = await load(uow, request_id)
    if decision == "APPROVE":
        events = request.approve(evaluator_id)
        detail: dict = {}
    elif decision == "REJECT":
        events = request.reject(evaluator_id, reason)
        detail = {"reason": request.rejection_reason}
    else:
        events = request.observe(evaluator_id, list(observations))
        detail = {}
    await uow.requests.save(request)
    if decision != "OBSERVE":
        await uow.requests.record_decision(request, decision, evaluator_id, detail)
    await _emit(uow, request, events)
    return request


async def current_attempt(request_id: UUID, purpose: str, uow: UnitOfWork) -> int:
    """The attempt a DDC download or an upload belongs to now (asked by the gateway before documents)."""
    request = await load(uow, request_id)
    return request.upload_attempt() if purpose == "upload" else request.ddc_attempt()


async def evaluation_queue(uow: UnitOfWork) -> list[AccessRequest]:
    return await uow.requests.queue()

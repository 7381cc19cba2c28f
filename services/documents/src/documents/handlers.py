"""Use cases of the documents service; they speak to a repository and ports, never to a driver."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol
from uuid import UUID, uuid4

import structlog

from contracts import Event
from contracts.events import (
    AccessRequested,
    CaseResponseRequested,
    DDCGenerated,
    DDCUploaded,
    DocumentIssued,
    ResponseDocument,
)
from documents.domain import (
    DDC_UNSIGNED,
    AnswerDocument,
    DDCSheet,
    IssuedDocument,
    KnownRequest,
    NoUploadError,
    PdfRefusedError,
    PdfReport,
    UnknownCodeError,
    UnknownRequestError,
    Upload,
    UploadKind,
    ddc_sheet,
    ensure_current,
    ensure_upload_allowed,
    is_unsigned_ddc,
    new_verification_code,
    normalize_code,
    object_key,
    sha256_hex,
)
from documents.ports import ObjectExistsError, ObjectStore

log = structlog.get_logger(__name__)


class DocumentsRepo(Protocol):
    """Documents' SQL inside one open unit of work; ``emit`` adds to that unit's outbox."""

    async def remember_request(self, request: KnownRequest) -> None: ...
    async def get_request(self, request_id: UUID) -> KnownRequest | None: ...
    async def lock_request(self, request_id: UUID) -> KnownRequest | None: ...
    async def find_ddc(self, request_id: UUID, attempt: int) -> IssuedDocument | None: ...
    async def add_document(self, document: IssuedDocument) -> bool: ...
    async def find_by_code(self, code: str) -> IssuedDocument | None: ...
    async def add_upload(self, upload: Upload) -> None: ...
    async def latest_upload(
        self, request_id: UUID, attempt: int, kind: UploadKind, sha256: str | None = None
    ) -> Upload | None: ...
    async def uploads_of(self, request_id: UUID) -> list[Upload]: ...
    async def find_answer_document(self, response_id: UUID, kind: str) -> AnswerDocument | None: ...
    async def answer_document_by_code(self, code: str) -> AnswerDocument | None: ...
    async def add_answer_document(self, document: AnswerDocument) -> bool: ...
    async def emit(self, payload: Event, *, key: str) -> None:
        """Into the outbox of the repository's unit of work (whose cause, if any, it names)."""
        ...


@dataclass(frozen=True)
class Tools:
    """The adapters the use cases need besides the repository."""

    store: ObjectStore
    render_ddc: Callable[[DDCSheet], bytes]
    inspect_pdf: Callable[[bytes], PdfReport]
    public_url: str
    max_upload_bytes: int = 10 * 1024 * 1024
    """The largest file an upload may carry."""
    sign_answer: Callable[[ResponseDocument, str, datetime], bytes] | None = None
    """A CTVC answer's document rendered with its code and signed by its author (blocking)."""
    read_signature: Callable[[bytes], tuple[str | None, bool]] | None = None
    """(certificate's name, intact) of a signed PDF (blocking)."""


async def keep_once(store: ObjectStore, data: bytes) -> tuple[str, str]:
    """Store ``data`` under its content address; an object already there is reused, never rewritten."""
    sha = sha256_hex(data)
    key = object_key(sha)
    if not await store.exists(key):
        try:
            await store.put(key, data, "application/pdf")
        except ObjectExistsError:
            pass  # a concurrent writer stored the very same bytes
    return key, sha


async def generate_ddc(event: AccessRequested, repo: DocumentsRepo, tools: Tools) -> bool:
    """Render the DDC of this attempt once; False when it already exists."""
    await repo.remember_request(KnownRequest(event.request_id, event.code, event.jurisdiction.ally_type, event.attempt))
    if await repo.find_ddc(event.request_id, event.attempt) is not None:
        return False
    issued_at = datetime.now(UTC)
    code = new_verification_code()
    pdf = await asyncio.to_thread(tools.render_ddc, ddc_sheet(event, code, issued_at, tools.public_url))
    key, sha = await keep_once(tools.store, pdf)
    document = IssuedDocument(
        uuid4(), event.request_id, event.attempt, "DDC", key, sha, len(pdf), code, event.code, issued_at
    )
    if not await repo.add_document(document):
        return False
    generated = DDCGenerated(
        request_id=event.request_id, attempt=event.attempt, object_key=key, sha256=sha, verification_code=code
    )
    await repo.emit(generated, key=str(event.request_id))
    log.info("ddc_generated", request_id=str(event.request_id), attempt=event.attempt, sha256=sha)
    return True


async def issue_answer(event: CaseResponseRequested, repo: DocumentsRepo, tools: Tools) -> int:
    """Render, sign and store each document of a CTVC answer once, ``DocumentIssued`` for each; how many were new."""
    assert tools.sign_answer is not None, "documents was started without a signing identity"
    new = 0
    for doc in event.documents:
        if await repo.find_answer_document(event.response_id, doc.kind) is not None:
            continue  # a redelivery: this one is already issued
        issued_at = datetime.now(UTC)
        code = new_verification_code()
        pdf = await asyncio.to_thread(tools.sign_answer, doc, code, issued_at)
        key, sha = await keep_once(tools.store, pdf)
        document = AnswerDocument(
            uuid4(), event.response_id, doc.kind, doc.number, doc.title, key, sha, len(pdf), code,
            doc.signer_name, doc.signer_role, issued_at,
        )  # fmt: skip
        if not await repo.add_answer_document(document):
            continue
        issued = DocumentIssued(
            document_id=document.document_id,
            kind=doc.kind,
            object_key=key,
            sha256=sha,
            verification_code=code,
            subject_id=str(event.response_id),
        )
        await repo.emit(issued, key=str(event.response_id))
        new += 1
        log.info("answer_document_issued", response_id=str(event.response_id), kind=doc.kind, sha256=sha)
    return new


async def current_ddc(request_id: UUID, attempt: int, repo: DocumentsRepo) -> IssuedDocument:
    """The DDC of ``attempt``, which the caller (the gateway, asking access) says is the current one.

    Documents alone cannot tell: it hears of a new attempt through AccessRequested, after access.
    """
    request = await repo.get_request(request_id)
    return ensure_current(request, attempt, await repo.find_ddc(request_id, attempt))


@dataclass(frozen=True)
class UploadDocument:
    """A file already read and checked (``report``), to keep for the request's ``attempt``.

    ``attempt`` is the request's current attempt as access told the gateway: the upload is taken
    only while documents holds that attempt's DDC, so the DDCUploaded it announces is one access counts.
    """

    request_id: UUID
    attempt: int
    kind: UploadKind
    data: bytes
    report: PdfReport


async def upload_document(cmd: UploadDocument, repo: DocumentsRepo, store: ObjectStore) -> Upload:
    """Keep, record and announce one checked PDF, in the caller's one unit of work.

    Checked under the request's row lock: a new attempt announced meanwhile waits for this upload, or
    refuses it. The object is written before the transaction commits; if the commit then fails it
    stays in the store unreferenced. That is harmless and not cleaned: objects are content-addressed
    and written once, so the same bytes sent again reuse it, and another upload or DDC may already
    point at the same key - deleting it could break a committed row.
    """
    request = await repo.lock_request(cmd.request_id)
    if request is None:
        raise UnknownRequestError(str(cmd.request_id))
    ddc = ensure_current(request, cmd.attempt, await repo.find_ddc(cmd.request_id, cmd.attempt), "upload")
    ensure_upload_allowed(request.ally_type, cmd.kind)
    if cmd.kind == "DDC_SIGNED":
        issued = {code for code in cmd.report.codes if await repo.find_by_code(code) is not None}
        if is_unsigned_ddc(sha256_hex(cmd.data), cmd.report, ddc, issued):
            raise PdfRefusedError(DDC_UNSIGNED)
    key, sha = await keep_once(store, cmd.data)
    upload = Upload(
        uuid4(),
        cmd.request_id,
        cmd.attempt,
        cmd.kind,
        key,
        sha,
        len(cmd.data),
        cmd.report.digitally_signed,
        cmd.report.signer,
        cmd.report.intact,
        datetime.now(UTC),
    )
    await repo.add_upload(upload)
    await repo.emit(_uploaded(upload), key=str(cmd.request_id))
    log.info(
        "document_uploaded",
        request_id=str(cmd.request_id),
        attempt=upload.attempt,
        kind=cmd.kind,
        sha256=sha,
        size=upload.size,
        digitally_signed=upload.digitally_signed,
        intact=upload.intact,
    )
    return upload


def _uploaded(upload: Upload) -> DDCUploaded:
    return DDCUploaded(
        request_id=upload.request_id,
        attempt=upload.attempt,
        kind=upload.kind,
        object_key=upload.object_key,
        sha256=upload.sha256,
        size=upload.size,
        digitally_signed=upload.digitally_signed,
        signer=upload.signer,
        intact=upload.intact,
    )


@dataclass(frozen=True)
class GetUpload:
    """The document of ``kind`` uploaded for ``attempt``, which the gateway (asking access) says is current."""

    request_id: UUID
    attempt: int
    kind: UploadKind
    sha256: str | None = None
    """The version the access service counted; without it, the last one sent."""


async def uploaded_document(cmd: GetUpload, repo: DocumentsRepo) -> tuple[KnownRequest, Upload]:
    """The upload of that kind for that attempt (the version asked for, or the last one sent), with its request."""
    request = await repo.get_request(cmd.request_id)
    if request is None:
        raise UnknownRequestError(str(cmd.request_id))
    upload = await repo.latest_upload(cmd.request_id, cmd.attempt, cmd.kind, cmd.sha256)
    if upload is None:
        raise NoUploadError(cmd.kind)
    return request, upload


async def upload_versions(request_id: UUID, repo: DocumentsRepo) -> list[Upload]:
    """Every file sent for the request, every attempt and kind, in the order they arrived."""
    if await repo.get_request(request_id) is None:
        raise UnknownRequestError(str(request_id))
    return await repo.uploads_of(request_id)


async def verify_code(typed: str, repo: DocumentsRepo) -> IssuedDocument | AnswerDocument:
    """The document a verification code names (a DDC or a CTVC answer's), however a person typed it."""
    code = normalize_code(typed)
    document: IssuedDocument | AnswerDocument | None = None
    if code is not None:
        document = await repo.find_by_code(code) or await repo.answer_document_by_code(code)
    if document is None:
        raise UnknownCodeError(typed)
    return document

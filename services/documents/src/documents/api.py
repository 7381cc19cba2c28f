"""HTTP routes of the documents service: decode -> handler -> response; refusals are answered from ``ERRORS``.

Routes take the kit's ``units`` and documents' ``tools`` (object store, PDF renderer and checker),
wired in ``app.py``. Each route checks what it was sent first and opens its one unit of work after,
so a bad query or file is refused as such while the database is not ready, and no connection is
held while an upload's body is read.
"""

from __future__ import annotations

import asyncio
import re
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Request, get, post
from litestar.datastructures import UploadFile
from litestar.di import Dependency
from litestar.enums import RequestEncodingType
from litestar.exceptions import ValidationException
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import Body, FromPath, QueryParameter, SkipValidationMarker
from litestar.response import Response

from documents import handlers
from documents.domain import (
    DDC_TITLE,
    UPLOAD_KINDS,
    AttemptSupersededError,
    DDCNotReadyError,
    IssuedDocument,
    NoUploadError,
    PdfRefusedError,
    UnknownCodeError,
    UnknownRequestError,
    UploadKind,
    UploadNotAllowedError,
    UploadTooLargeError,
    ddc_filename,
    sha256_hex,
    uploaded_filename,
)
from documents.handlers import Tools
from documents.repo import DocumentsPgRepo
from eventkit.errors import NotReadyError
from eventkit.http import ErrorTable, UserError, refusals, validation_error_response
from eventkit.providers import UnitsDep

NOT_READY = "El servicio de documentos se está iniciando; intente nuevamente en unos segundos."
NOT_FOUND = "Solicitud no encontrada."
BAD_ATTEMPT = "Indique el intento vigente de la solicitud (un número desde 1)."
BAD_KIND = "Indique el tipo de documento: DDC_SIGNED (DDC firmado) o DESIGNATION (documento de designación)."
FILE_AS_TEXT = (
    "Adjunte el PDF como archivo: el campo «file» llegó como texto, sin nombre de archivo. "
    'Con curl, use -F "file=@ddc.pdf".'
)
_CHUNK = 64 * 1024

ERRORS = ErrorTable(
    {
        NotReadyError: (503, NOT_READY),
        UnknownRequestError: (404, NOT_FOUND),
        DDCNotReadyError: 409,
        AttemptSupersededError: 409,
        UnknownCodeError: 404,
        NoUploadError: 404,
        UploadTooLargeError: 413,
        UploadNotAllowedError: 422,
        PdfRefusedError: 422,
    }
)
"""Every refusal of documents: its status, and the error's own Spanish message (and ``errors``) unless one is given."""


def errors_for(max_upload_bytes: int) -> ErrorTable:
    """``ERRORS``, plus a body past the app's size limit refused in the words of ``UploadTooLargeError``."""
    return ERRORS | ErrorTable({RequestEntityTooLarge: (413, str(UploadTooLargeError(max_upload_bytes)))})


ToolsDep = Annotated[Tools, Dependency(kind="named"), SkipValidationMarker()]
"""A route's ``tools`` parameter: documents' adapters, injected by name (see ``app.py``)."""

ATTEMPT = QueryParameter(description="El intento vigente de la solicitud, según el servicio de solicitudes (desde 1)")


SHA256 = QueryParameter(description="La versión que se quiere ver (su SHA-256); sin él, la última subida")
BAD_SHA256 = "Indique la versión por su SHA-256: 64 caracteres hexadecimales en minúscula."


def _attempt(value: str | None) -> int:
    """The current attempt, as access told the gateway; documents alone cannot know it in time."""
    if value is None or not value.isdigit() or int(value) < 1:
        raise UserError(BAD_ATTEMPT, 422, errors={"attempt": BAD_ATTEMPT})
    return int(value)


class UploadForm(msgspec.Struct):
    """The multipart form of an upload."""

    file: UploadFile
    """The PDF: the DDC signed by the authority, or the designation document."""


class UploadAnswer(msgspec.Struct):
    """An upload kept: what was stored and what its checks found."""

    upload_id: UUID
    kind: UploadKind
    sha256: str
    size: int
    digitally_signed: bool
    signer: str | None
    intact: bool | None
    """Whether the signed bytes are unchanged (``None`` when the file carries no signature)."""
    warning: str | None = None
    """What the applicant should know although the file was kept (a digital signature that no longer holds)."""


BROKEN_SIGNATURE = (
    "Se recibió el archivo, pero su firma digital no es válida: el archivo cambió después de firmarse. "
    "El evaluador lo verá así; si no es lo que quería enviar, fírmelo de nuevo y súbalo otra vez."
)


class UploadVersion(msgspec.Struct):
    """One file sent for a request: every upload is kept, with when it arrived."""

    upload_id: UUID
    attempt: int
    kind: UploadKind
    uploaded_at: datetime
    sha256: str
    size: int
    digitally_signed: bool
    signer: str | None
    intact: bool | None


class VerifiedDocument(msgspec.Struct):
    """A document issued by the Programme, found by its verification code."""

    code: str
    document: str
    request_code: str | None
    """The access request a DDC belongs to (``None`` for a CTVC answer's document)."""
    issued_at: datetime
    sha256: str
    kind: str = "DDC"
    number: str | None = None
    """``INFORME N° 000308-2022-MIDIS/PNPDS-UAC`` (a CTVC answer's document)."""
    signed: bool = False
    signer_name: str | None = None
    signer_role: str | None = None
    intact: bool | None = None
    """Whether the stored file's signature covers it whole and its digest matches (``None``: not signed)."""
    downloadable: bool = False
    """A CTVC answer's PDF is public (``/verify/{code}/pdf``); a DDC holds personal data and is not."""


PDF = {
    200: ResponseSpec(
        data_container=bytes,
        media_type="application/pdf",
        description="El DDC en PDF, como adjunto (Content-Disposition).",
        generate_examples=False,
    )
}


@get(
    "/requests/{request_id:uuid}/ddc",
    summary="Descargar el DDC prellenado de un intento",
    media_type="application/pdf",
    responses=PDF
    | refusals(
        409,
        422,
        r409="El DDC de ese intento aún se está generando, o la solicitud fue enviada de nuevo.",
        r422="Falta el intento o no es un número desde 1.",
    ),
)
async def get_ddc(
    request_id: FromPath[UUID],
    units: UnitsDep,
    tools: ToolsDep,
    attempt: Annotated[str | None, ATTEMPT] = None,
) -> Response[bytes]:
    number = _attempt(attempt)
    async with units.open() as uow:
        document = await handlers.current_ddc(request_id, number, DocumentsPgRepo(uow))
    return Response(
        await tools.store.get(document.object_key),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{ddc_filename(document.request_code)}"'},
    )


UPLOADED_PDF = {
    200: ResponseSpec(
        data_container=bytes,
        media_type="application/pdf",
        description="El PDF tal como se subió, para verlo en la página (Content-Disposition: inline).",
        generate_examples=False,
    )
}


@get(
    "/requests/{request_id:uuid}/documents/{kind:str}",
    summary="Ver un documento subido del intento vigente (DDC firmado o designación)",
    description="El PDF de ese tipo subido para el intento que se indica: la versión de ese SHA-256, o la última; "
    "para el personal evaluador.",
    media_type="application/pdf",
    responses=UPLOADED_PDF
    | refusals(
        404,
        422,
        r404="Documentos no conoce la solicitud, o su intento no tiene un documento de ese tipo.",
        r422="El tipo no es DDC_SIGNED ni DESIGNATION, falta el intento, o el SHA-256 no tiene su forma.",
    ),
)
async def get_upload(
    request_id: FromPath[UUID],
    kind: FromPath[str],
    units: UnitsDep,
    tools: ToolsDep,
    attempt: Annotated[str | None, ATTEMPT] = None,
    sha256: Annotated[str | None, SHA256] = None,
) -> Response[bytes]:
    if kind not in UPLOAD_KINDS:
        raise UserError(BAD_KIND, 422, errors={"kind": BAD_KIND})
    if sha256 is not None and not re.fullmatch(r"[0-9a-f]{64}", sha256):
        raise UserError(BAD_SHA256, 422, errors={"sha256": BAD_SHA256})
    command = handlers.GetUpload(request_id, _attempt(attempt), kind, sha256)
    async with units.open() as uow:
        request, upload = await handlers.uploaded_document(command, DocumentsPgRepo(uow))
    return Response(
        await tools.store.get(upload.object_key),
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{uploaded_filename(kind, request.code)}"'},
    )


def _upload_validation(request: Request, exc: ValidationException) -> Response[Any]:
    """The kit's 422, with the usual slip named: a ``file`` part sent as text (``-F file=<doc.pdf``)."""
    answer = validation_error_response(request, exc)
    content = answer.content
    if isinstance(content, dict) and content.get("errors", {}).get("file") == "Valor no válido.":
        content = {"detail": FILE_AS_TEXT, "errors": {**content["errors"], "file": FILE_AS_TEXT}}
        return Response(content, status_code=422)
    return answer


@post(
    "/requests/{request_id:uuid}/documents",
    exception_handlers={ValidationException: _upload_validation},
    status_code=201,
    summary="Subir el DDC firmado o la designación",
    description="Un PDF en el campo «file» de un formulario multipart/form-data; se revisa antes de guardarlo.",
    response_description="El archivo quedó guardado y anunciado; lo que sus revisiones encontraron.",
    responses=refusals(
        400,
        404,
        409,
        413,
        422,
        r400="El cuerpo no es un formulario multipart/form-data.",
        r404="Documentos no conoce la solicitud.",
        r409="El DDC de ese intento aún se está generando, o la solicitud fue enviada de nuevo.",
        r413="El archivo supera el límite de tamaño.",
        r422="Falta el tipo, el intento o el archivo; el archivo no es un PDF aceptado; o el tipo no corresponde.",
    ),
)
async def post_document(
    request_id: FromPath[UUID],
    data: Annotated[UploadForm, Body(media_type=RequestEncodingType.MULTI_PART)],
    units: UnitsDep,
    tools: ToolsDep,
    kind: Annotated[str | None, QueryParameter(description="DDC_SIGNED o DESIGNATION")] = None,
    attempt: Annotated[str | None, ATTEMPT] = None,
) -> UploadAnswer:
    if kind not in UPLOAD_KINDS:
        raise UserError(BAD_KIND, 422, errors={"kind": BAD_KIND})
    number = _attempt(attempt)
    content = await _read_within(data.file, tools.max_upload_bytes)
    report = await asyncio.to_thread(tools.inspect_pdf, content)  # CPU-bound: parsing, signatures
    command = handlers.UploadDocument(request_id, number, kind, content, report)
    async with units.open() as uow:
        upload = await handlers.upload_document(command, DocumentsPgRepo(uow), tools.store)
    return UploadAnswer(
        upload.upload_id,
        upload.kind,
        upload.sha256,
        upload.size,
        upload.digitally_signed,
        upload.signer,
        upload.intact,
        warning=BROKEN_SIGNATURE if upload.intact is False else None,
    )


@get(
    "/requests/{request_id:uuid}/uploads",
    summary="Todas las versiones subidas de una solicitud, en el orden en que llegaron",
    description="Cada archivo que pasó la revisión queda guardado; para el personal evaluador.",
    responses=refusals(404, r404="Documentos no conoce la solicitud."),
)
async def list_uploads(request_id: FromPath[UUID], units: UnitsDep) -> list[UploadVersion]:
    async with units.open() as uow:
        uploads = await handlers.upload_versions(request_id, DocumentsPgRepo(uow))
    return [
        UploadVersion(
            u.upload_id, u.attempt, u.kind, u.uploaded_at, u.sha256, u.size, u.digitally_signed, u.signer, u.intact
        )
        for u in uploads
    ]


async def _read_within(file: UploadFile, limit: int) -> bytes:
    """The file's bytes, read in chunks; past ``limit`` bytes reading stops and the upload is refused.

    The app's ``request_max_body_size`` (a little above ``limit``) refuses larger bodies before they
    are read; this holds the file itself to the exact limit.
    """
    try:
        chunks, total = [], 0
        while chunk := await file.read(_CHUNK):
            total += len(chunk)
            if total > limit:
                raise UploadTooLargeError(limit)
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        await file.close()


@get(
    "/verify/{code:str}",
    summary="Verificar un documento por su código",
    response_description="El documento que lleva ese código (escrito con o sin guiones, en cualquier caja); "
    "de un documento de respuesta a un CTVC, también quién lo firmó y si está íntegro.",
    responses=refusals(404, r404="Ningún documento lleva ese código."),
)
async def verify(code: FromPath[str], units: UnitsDep, tools: ToolsDep) -> VerifiedDocument:
    async with units.open() as uow:
        document = await handlers.verify_code(code, DocumentsPgRepo(uow))
    if isinstance(document, IssuedDocument):
        return VerifiedDocument(
            document.verification_code, DDC_TITLE, document.request_code, document.issued_at, document.sha256
        )
    assert tools.read_signature is not None
    data = await tools.store.get(document.object_key)
    _certificate, intact = await asyncio.to_thread(tools.read_signature, data)
    return VerifiedDocument(
        document.verification_code,
        document.title,
        None,
        document.issued_at,
        document.sha256,
        kind=document.kind,
        number=document.number,
        signed=True,
        signer_name=document.signer_name,
        signer_role=document.signer_role,
        intact=intact and sha256_hex(data) == document.sha256,
        downloadable=True,
    )


ANSWER_PDF = {
    200: ResponseSpec(
        data_container=bytes,
        media_type="application/pdf",
        description="El PDF firmado, tal como se guardó (Content-Disposition: inline).",
        generate_examples=False,
    )
}


@get(
    "/verify/{code:str}/pdf",
    summary="Descargar un documento de respuesta a un CTVC por su código",
    media_type="application/pdf",
    responses=ANSWER_PDF | refusals(404, r404="Ningún documento descargable lleva ese código."),
)
async def verified_pdf(code: FromPath[str], units: UnitsDep, tools: ToolsDep) -> Response[bytes]:
    async with units.open() as uow:
        document = await handlers.verify_code(code, DocumentsPgRepo(uow))
    if isinstance(document, IssuedDocument):
        raise UnknownCodeError(code)  # a DDC holds personal data: it is never downloaded by its code
    name = re.sub(r"[^A-Za-z0-9-]+", "-", document.number.replace("N°", "")).strip("-")
    return Response(
        await tools.store.get(document.object_key),
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}.pdf"'},
    )


ROUTES = (get_ddc, get_upload, post_document, list_uploads, verify, verified_pdf)

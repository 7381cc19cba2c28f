"""HTTP routes of the documents service: decode -> handler -> response; errors in Peruvian Spanish.

Routes take the kit's ``units`` (transactions opened once the request is decoded) and documents'
``tools`` (object store, PDF renderer and checker), wired in ``app.py``.
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

import structlog
from litestar import Request, get, post
from litestar.datastructures import UploadFile
from litestar.di import Dependency
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.params import FromPath, QueryParameter, SkipValidationMarker
from litestar.response import Response

from documents import handlers
from documents.domain import (
    DDC_TITLE,
    UPLOAD_KINDS,
    AttemptSupersededError,
    DDCNotReadyError,
    PdfRefusedError,
    UnknownCodeError,
    UnknownRequestError,
    UploadNotAllowedError,
    UploadTooLargeError,
)
from documents.handlers import Tools
from documents.repo import transactions
from eventkit.errors import NotReadyError
from eventkit.http import ErrorTable, UserError
from eventkit.providers import UnitsDep

log = structlog.get_logger(__name__)

NOT_READY = "El servicio de documentos se está iniciando; intente nuevamente en unos segundos."
GENERATING = "El DDC de esta solicitud aún se está generando; intente nuevamente en unos segundos."
GENERATING_CORRECTED = "El DDC de la solicitud corregida aún se está generando; intente nuevamente en unos segundos."
UPLOAD_GENERATING = "El DDC de esta solicitud aún se está generando; descárguelo y súbalo firmado."
UPLOAD_GENERATING_CORRECTED = (
    "El DDC de la solicitud corregida aún se está generando; descárguelo de nuevo y súbalo firmado."
)
SUPERSEDED = "La solicitud fue enviada de nuevo y tiene un DDC nuevo; descárguelo de nuevo."
UPLOAD_SUPERSEDED = "La solicitud fue enviada de nuevo y tiene un DDC nuevo; descárguelo de nuevo y súbalo firmado."
BAD_ATTEMPT = "Indique el intento vigente de la solicitud (un número desde 1)."
NOT_FOUND = "Solicitud no encontrada."
BAD_KIND = "Indique el tipo de documento: DDC_SIGNED (DDC firmado) o DESIGNATION (documento de designación)."
NO_FILE = "Adjunte el archivo PDF en el campo «file»."
_CHUNK = 64 * 1024


def too_large(limit: int) -> str:
    return f"El archivo supera el límite de {limit / (1024 * 1024):g} MB."


def _attempt(value: str | None) -> int:
    """The current attempt, as access told the gateway; documents alone cannot know it in time."""
    if value is None or not value.isdigit() or int(value) < 1:
        raise UserError(BAD_ATTEMPT, 422, errors={"attempt": BAD_ATTEMPT})
    return int(value)


ToolsDep = Annotated[Tools, Dependency(kind="named"), SkipValidationMarker()]
"""A route's ``tools`` parameter: documents' adapters, injected by name (see ``app.py``)."""

ERRORS = ErrorTable({NotReadyError: (503, NOT_READY)})
"""The refusals common to every route; the others depend on the route and the attempt, below."""


ATTEMPT = QueryParameter(description="El intento vigente de la solicitud, según el servicio de solicitudes")


@get("/requests/{request_id:uuid}/ddc", summary="Descargar el DDC prellenado de un intento")
async def get_ddc(
    request_id: FromPath[UUID],
    units: UnitsDep,
    tools: ToolsDep,
    attempt: Annotated[str | None, ATTEMPT] = None,
) -> Response[bytes]:
    number = _attempt(attempt)
    try:
        ddc = await handlers.download_ddc(request_id, number, transactions(units), tools.store)
    except DDCNotReadyError:
        raise UserError(GENERATING if number == 1 else GENERATING_CORRECTED, 409) from None
    except AttemptSupersededError:
        raise UserError(SUPERSEDED, 409) from None
    return Response(
        ddc.content,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{ddc.filename}"'},
    )


@post("/requests/{request_id:uuid}/documents", status_code=201, summary="Subir el DDC firmado o la designación")
async def post_document(
    request: Request[Any, Any, Any],
    request_id: FromPath[UUID],
    units: UnitsDep,
    tools: ToolsDep,
    kind: Annotated[str | None, QueryParameter(description="DDC_SIGNED o DESIGNATION")] = None,
    attempt: Annotated[str | None, ATTEMPT] = None,
) -> dict[str, Any]:
    if kind not in UPLOAD_KINDS:
        raise UserError(BAD_KIND, 422, errors={"kind": BAD_KIND})
    number = _attempt(attempt)
    limit = tools.max_upload_bytes
    command = handlers.UploadDocument(request_id, number, kind, lambda: _read_upload(request, limit))  # type: ignore[arg-type]
    try:
        upload = await handlers.upload_document(command, transactions(units), tools)
    except UnknownRequestError:
        raise UserError(NOT_FOUND, 404) from None
    except DDCNotReadyError:
        log.info("upload_refused", request_id=str(request_id), kind=kind, reason="ddc_not_ready", attempt=number)
        raise UserError(UPLOAD_GENERATING if number == 1 else UPLOAD_GENERATING_CORRECTED, 409) from None
    except AttemptSupersededError:
        log.info("upload_refused", request_id=str(request_id), kind=kind, reason="attempt_superseded", attempt=number)
        raise UserError(UPLOAD_SUPERSEDED, 409) from None
    except UploadTooLargeError:
        log.info("upload_refused", request_id=str(request_id), kind=kind, reason="too_large")
        message = too_large(limit)
        raise UserError(message, 413, errors={"file": message}) from None
    except UploadNotAllowedError as exc:
        log.info("upload_refused", request_id=str(request_id), kind=kind, reason="kind_not_allowed")
        raise UserError(str(exc), 422, errors={"kind": str(exc)}) from None
    except PdfRefusedError as exc:
        log.info("upload_refused", request_id=str(request_id), kind=kind, reason="invalid_pdf")
        raise UserError(exc.reason, 422, errors={"file": exc.reason}) from None
    return {
        "upload_id": str(upload.upload_id),
        "kind": upload.kind,
        "sha256": upload.sha256,
        "size": upload.size,
        "digitally_signed": upload.digitally_signed,
        "signer": upload.signer,
        "intact": upload.intact,
    }


async def _read_upload(request: Request[Any, Any, Any], limit: int) -> bytes:
    """The ``file`` part, read in chunks; past ``limit`` bytes reading stops and the upload is refused.

    The app's ``request_max_body_size`` (a little above ``limit``) refuses larger bodies before
    they are read; this check holds the file itself to the exact limit.
    """
    try:
        form = await request.form()
    except RequestEntityTooLarge:
        raise UploadTooLargeError from None
    try:
        file = form.get("file")
        if not isinstance(file, UploadFile):
            raise UserError(NO_FILE, 422, errors={"file": NO_FILE})
        chunks, total = [], 0
        while chunk := await file.read(_CHUNK):
            total += len(chunk)
            if total > limit:
                raise UploadTooLargeError
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        await form.close()


@get("/verify/{code:str}", summary="Verificar un documento por su código")
async def verify(code: FromPath[str], units: UnitsDep) -> dict[str, Any]:
    try:
        document = await handlers.verify_code(code, transactions(units))
    except UnknownCodeError:
        raise UserError(f"No existe un documento con el código {code.strip()}.", 404) from None
    return {
        "code": document.verification_code,
        "document": DDC_TITLE,
        "request_code": document.request_code,
        "issued_at": document.issued_at.isoformat(),
        "sha256": document.sha256,
    }


ROUTES = (get_ddc, post_document, verify)

"""The bulk import route: programme staff send a CSV of beneficiaries; all of it is stored or none of it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import msgspec
from litestar import Request, post
from litestar.datastructures import UploadFile
from litestar.openapi.datastructures import ResponseSpec
from litestar.response import Response

from eventkit.http import UserError, refusals
from eventkit.providers import ClockDep, UnitsDep
from padron.imports import repo
from padron.imports.domain import CHUNK_BYTES
from padron.shared import accesslog
from padron.shared.api import ScopeDep, deny

RESOURCE = "POST /padron/imports"
DESCRIPTION = (
    "El cuerpo es el archivo CSV (`Content-Type: text/csv`, UTF-8, hasta 512 MB, leído a medida que llega) "
    "o el campo `file` de un formulario multipart. Las columnas son las del padrón, en su orden; se guardan "
    "todas las filas o ninguna."
)


class Imported(msgspec.Struct, kw_only=True):
    imported: int


class RowRefusal(msgspec.Struct, kw_only=True):
    line: int
    """The line in the file, the header being line 1."""
    dni: str | None
    errors: dict[str, str]
    """Column -> what is wrong, in Spanish."""


class ImportRefusal(msgspec.Struct, kw_only=True):
    """A file that is not imported: nothing was stored."""

    detail: str
    error_rows: int
    errors: list[RowRefusal]
    """The first bad rows, each with what is wrong per column."""


RESPONSES = refusals(401, 403, 413) | {
    422: ResponseSpec(
        data_container=ImportRefusal,
        description="El archivo tiene filas con errores o no se puede leer; no se importó nada.",
        generate_examples=False,
    )
}


def routes() -> list[Any]:
    @post(
        "/padron/imports",
        status_code=201,
        summary="Importar beneficiarios desde CSV (todo o nada)",
        description=DESCRIPTION,
        responses=RESPONSES,
    )
    async def import_beneficiaries(
        request: Request, caller: ScopeDep, units: UnitsDep, clock: ClockDep
    ) -> Response[Imported]:
        """The CSV as the body (``Content-Type: text/csv``) or as the multipart field ``file``, streamed.

        201 ``{imported}``; 422 ``{detail, errors: [{line, dni, errors: {column: message}}], error_rows}``.
        """
        if caller.kind != "STAFF":
            await deny(units, caller, RESOURCE, "Solo el personal del programa puede importar beneficiarios.")
        source = await _upload(request)
        async with units.open() as uow:
            report = await repo.import_csv(uow.conn, source, clock.today())
            if report.ok:
                await accesslog.record(uow.conn, caller, "IMPORT_BENEFICIARIES", RESOURCE, records=report.imported)
        if not report.ok:
            rows = [RowRefusal(line=e.line, dni=e.dni, errors=e.errors) for e in report.errors]
            refusal = ImportRefusal(detail=report.detail, error_rows=report.error_rows, errors=rows)
            return Response(refusal, status_code=422)
        return Response(Imported(imported=report.imported), status_code=201)

    return [import_beneficiaries]


async def _upload(request: Request) -> AsyncIterator[bytes]:
    """The CSV's bytes, whether it came as the body or as the multipart field ``file``."""
    content_type, _ = request.content_type
    if content_type != "multipart/form-data":
        return request.stream()
    upload = (await request.form()).get("file")
    if not isinstance(upload, UploadFile):
        raise UserError("Adjunte el archivo CSV en el campo 'file'.", 422, {"file": "Adjunte el archivo CSV."})
    return _read(upload)


async def _read(upload: UploadFile) -> AsyncIterator[bytes]:
    try:
        while chunk := await upload.read(CHUNK_BYTES):
            yield chunk
    finally:
        await upload.close()

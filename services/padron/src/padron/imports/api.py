"""The bulk import route: programme staff send a CSV of beneficiaries; all of it is stored or none of it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from litestar import Request, post
from litestar.datastructures import UploadFile
from litestar.response import Response

from eventkit.http import UserError
from eventkit.providers import ClockDep, UnitsDep
from padron.imports import repo
from padron.imports.domain import CHUNK_BYTES
from padron.shared import accesslog
from padron.shared.api import ScopeDep, deny

RESOURCE = "POST /padron/imports"


def routes() -> list[Any]:
    @post("/padron/imports", status_code=201, summary="Importar beneficiarios desde CSV (todo o nada)")
    async def import_beneficiaries(
        request: Request, caller: ScopeDep, units: UnitsDep, clock: ClockDep
    ) -> Response[dict[str, Any]]:
        """The CSV as the body (``Content-Type: text/csv``) or as the multipart field ``file``.

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
            body: dict[str, Any] = {"detail": report.detail, "error_rows": report.error_rows}
            body["errors"] = [{"line": e.line, "dni": e.dni, "errors": e.errors} for e in report.errors]
            return Response(body, status_code=422)
        return Response({"imported": report.imported}, status_code=201)

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

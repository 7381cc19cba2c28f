"""HTTP route of an oficio's answer: ask for its documents. Refusals come from ``cases.app.ERRORS``."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import post
from litestar.params import FromPath, JSONBody

from cases.oficios.api import ResponseView, response_view
from cases.responses import handlers
from cases.responses.repo import ResponsesRepo
from cases.shared.api import CallerDep
from eventkit.http import refusals
from eventkit.providers import ClockDep, UnitsDep


class ResponseBody(msgspec.Struct, kw_only=True):
    addressee: Annotated[str, msgspec.Meta(description="A quién se dirige el oficio: nombre y cargo en el CTVC")]
    author_name: Annotated[str, msgspec.Meta(description="Quien firma el informe y sus anexos")]
    author_role: str
    director_name: Annotated[str, msgspec.Meta(description="Quien firma el oficio de la Dirección Ejecutiva")]
    director_role: str


@post(
    "/oficios/{oficio_id:uuid}/response",
    summary="Emitir la respuesta al oficio: informe, Anexo 01, Anexo 02 y oficio (personal)",
    description="Con todos sus casos resueltos y el oficio derivado a una unidad: numera los documentos y los "
    "pide al servicio de documentos, que los genera, firma y guarda; la respuesta pasa a EMITIDA cuando los cuatro "
    "tienen su código de verificación.",
    status_code=202,
    responses=refusals(400, 401, 403, 404, 409, 422, r409="Hay casos sin resolver, falta el proveído o ya se emitió."),
)
async def request_response(
    oficio_id: FromPath[UUID], data: JSONBody[ResponseBody], caller: CallerDep, units: UnitsDep, clock: ClockDep
) -> ResponseView:
    async with units.open() as uow:
        repo = ResponsesRepo(uow.conn)
        await handlers.request(oficio_id, msgspec.to_builtins(data), caller, clock.today(), repo, uow)
        view = response_view(await repo.view(oficio_id))
    assert view is not None
    return view


def routes() -> list[Any]:
    return [request_response]

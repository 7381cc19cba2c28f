"""Verificar un documento: anyone checks that a document the programme issued is authentic.

The code printed at the foot of a DDC (with or without dashes, in any case) is sent to the public
API's ``GET /api/verify/{code}``; the page answers what the programme issued under it (title,
request code, date and time in Lima, the SHA-256 of the file) or, at the field, that no document
has it. It is a GET form, so the address printed in the PDF (``/verificar?codigo=...``) opens the
answer directly.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import quote

from litestar import Request, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Response, Template

from web.gateway import RefusedError, call, check, send
from web.sessions import LIMA

FIELD = "codigo"
MISSING = "Ingrese el código de verificación."
NOT_FOUND = "No se encontró ningún documento con ese código. Revise que lo haya copiado completo."
# What a code can be written with (the API accepts spaces and dashes); anything else is never a code,
# and must not travel into the API's path.
TYPABLE = re.compile(r"[A-Za-z0-9 \-]{1,40}")


def issued_in_lima(issued_at: str) -> str:
    moment = datetime.fromisoformat(issued_at).astimezone(LIMA)
    return moment.strftime("%d/%m/%Y a las %H:%M (hora de Lima)")


INTACT = "Íntegro: el archivo guardado no fue modificado después de la firma."
BROKEN = "Atención: la firma no corresponde al archivo guardado. Comuníquese con el Programa CONTIGO."


def document_rows(document: dict[str, Any]) -> list[dict[str, str]]:
    rows = [{"key": "Documento", "value": str(document.get("document", ""))}]
    if document.get("signed"):
        rows += [
            {"key": "Número", "value": str(document.get("number") or "")},
            {
                "key": "Firmado digitalmente por",
                "value": f"{document.get('signer_name', '')} ({document.get('signer_role', '')})",
            },
            {"key": "Firma", "value": INTACT if document.get("intact") else BROKEN},
        ]
    else:
        rows.append({"key": "Código de la solicitud", "value": str(document.get("request_code", ""))})
    return [
        *rows,
        {"key": "Emitido el", "value": issued_in_lima(str(document["issued_at"]))},
        {"key": "Código de verificación", "value": str(document.get("code", ""))},
    ]


@get("/verificar", name="verify", include_in_schema=False)
async def verify_page(request: Request, codigo: FromQuery[str | None] = None) -> Template:
    context: dict[str, Any] = {"code": codigo or "", "errors": [], "document": None, "rows": []}
    if codigo is None:
        return Template(template_name="verify_page.html", context=context)
    typed = codigo.strip()
    if not typed:
        context["errors"] = [{"field": FIELD, "message": MISSING}]
        return Template(template_name="verify_page.html", context=context, status_code=422)
    if not TYPABLE.fullmatch(typed):
        context["errors"] = [{"field": FIELD, "message": NOT_FOUND}]
        return Template(template_name="verify_page.html", context=context, status_code=404)
    try:
        document = await call(request, "GET", f"/api/verify/{quote(typed, safe='')}")
    except RefusedError as refused:
        context["errors"] = [{"field": FIELD, "message": NOT_FOUND if refused.status == 404 else refused.detail}]
        return Template(template_name="verify_page.html", context=context, status_code=refused.status)
    context |= {"document": document, "rows": document_rows(document)}
    return Template(template_name="verify_page.html", context=context)


@get("/verificar/{code:str}/pdf", name="verify_pdf", include_in_schema=False)
async def verified_pdf(request: Request, code: FromPath[str]) -> Response[bytes]:
    """The signed PDF of a CTVC answer, by its code (the API refuses a DDC's: it holds personal data)."""
    if not TYPABLE.fullmatch(code):
        raise NotFoundException(NOT_FOUND)
    answer = await send(request, "GET", f"/api/verify/{quote(code, safe='')}/pdf")
    if answer.status_code == 404:
        raise NotFoundException(NOT_FOUND)
    check(request, answer)
    disposition = answer.headers.get("content-disposition", 'inline; filename="documento.pdf"')
    return Response(answer.content, media_type="application/pdf", headers={"content-disposition": disposition})


ROUTES = [verify_page, verified_pdf]

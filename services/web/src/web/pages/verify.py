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
from litestar.params import FromQuery
from litestar.response import Template

from web.gateway import RefusedError, call
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


def document_rows(document: dict[str, Any]) -> list[dict[str, str]]:
    return [
        {"key": "Documento", "value": str(document.get("document", ""))},
        {"key": "Código de la solicitud", "value": str(document.get("request_code", ""))},
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


ROUTES = [verify_page]

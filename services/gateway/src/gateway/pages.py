"""Pages for people: document verification (or the way to the web application's page), and, in local
runs only, the caught mail as JSON."""

from __future__ import annotations

import asyncio
import email
import email.policy
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
from litestar import Request, get
from litestar.datastructures import State
from litestar.params import FromQuery
from litestar.response import Redirect, Response

from gateway.proxy import GatewayError

_PAGE = """<!doctype html>
<html lang="es"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Verificar un documento — Programa CONTIGO</title>
<style>body{{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#222}}
input{{font-size:1.1rem;padding:.4rem;width:16rem}}button{{font-size:1.1rem;padding:.4rem 1rem}}
.ok{{background:#e8f5e9;padding:1rem;border-radius:.5rem}}.no{{background:#fdecea;padding:1rem;border-radius:.5rem}}
dt{{font-weight:bold}}code{{word-break:break-all}}</style></head>
<body><h1>Verificar un documento</h1>
<p>Ingrese el código de verificación impreso al pie del documento emitido por el Programa CONTIGO.</p>
<form method="get" action="/verificar"><label for="codigo">Código de verificación</label><br>
<input id="codigo" name="codigo" value="{code}" autocomplete="off" required>
<button type="submit">Verificar</button></form>
{result}</body></html>"""


def _result(code: str, status: int, body: dict[str, Any]) -> str:
    if status == 200:
        return (
            '<div class="ok"><p><strong>Documento auténtico.</strong></p><dl>'
            f"<dt>Documento</dt><dd>{escape(str(body.get('document', '')))}</dd>"
            f"<dt>Solicitud</dt><dd>{escape(str(body.get('request_code', '')))}</dd>"
            f"<dt>Emitido</dt><dd>{escape(str(body.get('issued_at', '')))}</dd>"
            f"<dt>Huella SHA-256 (integridad)</dt><dd><code>{escape(str(body.get('sha256', '')))}</code></dd>"
            "</dl><p>Compare la huella con la del archivo que tiene (por ejemplo, <code>sha256sum archivo.pdf</code>)."
            "</p></div>"
        )
    detail = body.get("detail") or "No se pudo verificar el documento."
    return f'<div class="no"><p>{escape(str(detail))}</p></div>'


@get("/verificar", summary="Página para verificar un documento", include_in_schema=False)
async def verification_page(state: State, codigo: FromQuery[str] = "") -> Response[str] | Redirect:
    """The DDCs print ``<public URL>/verificar?codigo=...``: with a web application configured, its page
    answers (303 there, the code kept); the gateway on its own still answers with this plain page."""
    if state.web_url:
        query = f"?{urlencode({'codigo': codigo})}" if codigo else ""
        return Redirect(f"{state.web_url.rstrip('/')}/verificar{query}", status_code=303)
    result = ""
    code = codigo.strip()
    if code:
        try:
            answer = await state.services.clients["documents"].get(f"/verify/{code}")
            result = _result(code, answer.status_code, answer.json())
        except (httpx.HTTPError, ValueError):
            result = _result(code, 503, {"detail": "El servicio de documentos no responde; intente más tarde."})
    return Response(_PAGE.format(code=escape(code), result=result), media_type="text/html; charset=utf-8")


def _message(path: Path) -> dict[str, Any]:
    msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    body = msg.get_body(preferencelist=("plain", "html"))
    return {
        "id": path.stem,
        "from": msg["From"],
        "to": msg["To"],
        "cc": msg["Cc"],
        "subject": msg["Subject"],
        "date": msg["Date"],
        "text": body.get_content() if body else "",
    }


@get(
    "/dev/mail",
    summary="Correos capturados por el servidor de correo local (solo modo embebido)",
    include_in_schema=False,
)
async def dev_mail(request: Request, state: State) -> list[dict[str, Any]]:
    folder = state.dev_mail_dir
    if not folder:
        raise GatewayError(status_code=404, detail="No disponible.")

    def read_all() -> list[dict[str, Any]]:
        files = sorted(Path(folder).glob("*.eml"), reverse=True)
        return [_message(p) for p in files[:200]]

    return await asyncio.to_thread(read_all)

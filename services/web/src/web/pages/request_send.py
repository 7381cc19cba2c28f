"""Solicitar acceso, second half: send the request from "Revise sus respuestas", the confirmation,
the prefilled DDC, the upload of the signed documents, and the request's status page.

Sending needs a solved ALTCHA challenge (the access service's ``POST .../submit {"altcha": ...}``).

With JavaScript, the vendored ALTCHA widget (``static/altcha/``, the package's CSP build: its CSS
is a file and its worker a script of this site, so ``script-src 'self'; style-src 'self'`` holds)
solves a challenge it fetches from ``/solicitud/verificacion``, a same-origin relay of the API's
``GET /api/captcha``, and the form posts the solution in the field ``altcha``; the web server
passes it on untouched.

Without JavaScript nobody can solve it in the browser, and a page that only says "enable
JavaScript" is a dead end. So the same form carries two cheap guards, and the web server solves
the challenge itself only for a send that passes them:

- a honeypot (``sitio_web``): visually hidden, inside an ``aria-hidden`` wrapper, out of the tab
  order and without autocomplete, so people (with or without a screen reader) leave it empty and
  form-filling robots do not;
- a signed stamp (``sello``): the time the page was rendered and the request's id, with an HMAC of
  the app's secret (stdlib ``hmac``), so it cannot be forged, moved to another request or reused
  after ``STAMP_MAX_AGE``; a send less than ``MIN_SECONDS`` after the page was shown is refused, as
  nobody reads the review that fast;
- a limit of guarded sends per client address (``GuardedSendLimiter``), because each one costs
  the web server a proof of work.

Each refusal is the same page again (422, its Spanish reason in the error summary, a fresh stamp).
The proof of work then runs in a worker thread (``altcha.solve_challenge``) and the send goes on
as with the widget. The guards only decide who gets the server's help; the access service still
checks the solution and that each challenge is used once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from collections import deque
from datetime import date
from typing import Any
from uuid import UUID

import anyio
from altcha import v1 as altcha
from litestar import Request, get, post
from litestar.datastructures import UploadFile
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Response, Template

from web.gateway import RefusedError, call, check, send
from web.pages.request import KINDS, load, review_rows

CHALLENGE_URL = "/solicitud/verificacion"
HONEYPOT = "sitio_web"
STAMP = "sello"
MIN_SECONDS = 3.0
STAMP_MAX_AGE = 30 * 60
# Guarded sends per client address and window: a person sends once or twice, a robot many times.
GUARDED_SENDS, GUARDED_WINDOW = 10, 10 * 60
SENDABLE = ("DRAFT", "OBSERVED")
DOCUMENTS = {
    "DDC_SIGNED": (
        "DDC firmado",
        "El DDC que descargó, firmado y sellado por la autoridad (escaneado) o firmado digitalmente. PDF, hasta 10 MB.",
    ),
    "DESIGNATION": (
        "Documento de designación",
        "La resolución o documento que designa a la o el titular de la entidad. PDF, hasta 10 MB.",
    ),
}
AUTHORITY_RESULTS = {
    "MATCH": "Coincide con el registro oficial",
    "MISMATCH": "No coincide con el registro oficial",
    "NOT_FOUND": "No figura en el registro oficial",
}
HONEYPOT_REFUSED = (
    "No pudimos confirmar que una persona envía el formulario. Deje vacíos los campos ocultos y envíe de nuevo."
)
TOO_FAST = "Envió el formulario demasiado rápido. Revise sus respuestas y vuelva a pulsar «Enviar la solicitud»."
BAD_STAMP = "La página de envío venció o no es válida. Revise sus respuestas y vuelva a pulsar «Enviar la solicitud»."
TOO_MANY = "Se hicieron demasiados envíos desde su conexión. Espere unos minutos y vuelva a intentarlo."
WIDGET_STRINGS = {
    "label": "No soy un robot",
    "verify": "Verificar",
    "verifying": "Verificando…",
    "verified": "Verificado",
    "loading": "Cargando…",
    "error": "Falló la verificación. Vuelva a intentarlo.",
    "expired": "La verificación venció. Vuelva a marcar la casilla.",
    "verificationRequired": "Marque «No soy un robot» antes de enviar.",
    "waitAlert": "Verificando; espere un momento.",
    "reload": "Volver a cargar",
    "ariaLinkLabel": "Visitar altcha.org",
}


# --- The guarded send without JavaScript -----------------------------------------------------------


class GuardedSendLimiter:
    """At most ``limit`` guarded sends per client address in a sliding ``window`` (seconds).

    In-process on purpose: the web application runs as one process (like its session store), the
    counts only need to survive minutes, and a shared store would be one more service for a guard
    that is not the real check (the access service verifies every solution and spends it once).
    """

    def __init__(self, limit: int = GUARDED_SENDS, window: float = GUARDED_WINDOW) -> None:
        self.limit, self.window = limit, window
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, client: str, now: float) -> bool:
        with self._lock:
            seen = self._seen.setdefault(client, deque())
            while seen and seen[0] <= now - self.window:
                seen.popleft()
            if len(seen) >= self.limit:
                return False
            seen.append(now)
            # Addresses with nothing recent are forgotten, so the table stays small.
            for other in [c for c, times in self._seen.items() if not times]:
                del self._seen[other]
            return True


def limiter(request: Request) -> GuardedSendLimiter:
    state = request.app.state
    if getattr(state, "guarded_send_limiter", None) is None:
        state.guarded_send_limiter = GuardedSendLimiter()
    return state.guarded_send_limiter


def stamp_key(request: Request) -> bytes:
    """A key of its own for the stamps, derived from the app's secret once per process."""
    state = request.app.state
    if getattr(state, "send_stamp_key", None) is None:
        state.send_stamp_key = key_of(state.settings.secret())
    return state.send_stamp_key


def key_of(secret: str) -> bytes:
    # Derived, not the secret itself: a stamp never helps forge the CSRF tokens signed with it.
    return hmac.new(secret.encode(), b"contigo-web: send stamp", hashlib.sha256).digest()


def signature(key: bytes, request_id: str, rendered_at: int) -> str:
    return hmac.new(key, f"{request_id}:{rendered_at}".encode(), hashlib.sha256).hexdigest()


def make_stamp(key: bytes, request_id: str, rendered_at: float) -> str:
    seconds = int(rendered_at)
    return f"{seconds}.{signature(key, request_id, seconds)}"


def stamp_problem(key: bytes, request_id: str, stamp: str, now: float) -> str | None:
    """Why a stamp does not let the send through, or ``None``."""
    seconds, _, signed = stamp.partition(".")
    if not seconds.isdigit() or not hmac.compare_digest(signed, signature(key, request_id, int(seconds))):
        return BAD_STAMP
    age = now - int(seconds)
    if age > STAMP_MAX_AGE or age < -5:
        return BAD_STAMP
    if age < MIN_SECONDS:
        return TOO_FAST
    return None


def solve(challenge: dict[str, Any]) -> str:
    """The proof of work, as the widget would send it (base64 JSON)."""
    solution = altcha.solve_challenge(
        challenge["challenge"], challenge["salt"], challenge["algorithm"], challenge["maxnumber"], 0
    )
    if solution is None:
        raise RefusedError(400, "No se pudo completar la verificación anti-robots; envíe de nuevo.", {})
    payload = {k: challenge[k] for k in ("algorithm", "challenge", "salt", "signature")} | {"number": solution.number}
    return base64.b64encode(json.dumps(payload).encode()).decode()


# --- Revise sus respuestas, and sending ------------------------------------------------------------


def review_page(
    request: Request,
    view: dict[str, Any],
    problems: list[dict[str, str]] | None = None,
    detail: str = "",
    status: int = 200,
) -> Template:
    context = {
        "view": view,
        "rows": review_rows(view),
        "sendable": view["state"] in SENDABLE,
        "stamp": make_stamp(stamp_key(request), str(view["id"]), time.time()),
        "honeypot": HONEYPOT,
        "challenge_url": CHALLENGE_URL,
        "widget_strings": WIDGET_STRINGS,
        "problems": problems or [],
        "detail": detail,
    }
    return Template(template_name="request_review.html", context=context, status_code=status)


@get("/solicitud/{request_id:uuid}/revisar", include_in_schema=False)
async def review(request: Request, request_id: FromPath[UUID]) -> Template:
    return review_page(request, await load(request, request_id))


@get(CHALLENGE_URL, include_in_schema=False)
async def challenge(request: Request) -> Response:
    """The API's ALTCHA challenge, for the widget, from this site's own address."""
    found = await call(request, "GET", "/api/captcha")
    return Response(found, media_type="application/json", headers={"cache-control": "no-store"})


def client_address(request: Request) -> str:
    # The peer address, not X-Forwarded-For: a header anyone can set would let a robot choose its bucket.
    return request.client.host if request.client else "desconocido"


@post("/solicitud/{request_id:uuid}/enviar", include_in_schema=False, status_code=303)
async def submit(request: Request, request_id: FromPath[UUID]) -> Template | Redirect:
    view = await load(request, request_id)
    if view["state"] not in SENDABLE:
        return Redirect(f"/solicitud/{request_id}/enviada", status_code=303)
    sent = await request.form()
    solved = str(sent.get("altcha") or "")

    def refuse(message: str, status: int = 422) -> Template:
        return review_page(request, view, [{"href": "#enviar", "message": message}], "", status)

    if str(sent.get(HONEYPOT) or ""):  # people leave it empty, with or without the widget
        return refuse(HONEYPOT_REFUSED)
    if not solved:
        now = time.time()
        if problem := stamp_problem(stamp_key(request), str(request_id), str(sent.get(STAMP) or ""), now):
            return refuse(problem)
        if not limiter(request).allow(client_address(request), now):
            return refuse(TOO_MANY, 429)
    try:
        if not solved:
            # A worker thread: the proof of work must not hold up the event loop's other pages.
            solved = await anyio.to_thread.run_sync(solve, await call(request, "GET", "/api/captcha"))
        await call(request, "POST", f"/api/access-requests/{request_id}/submit", json={"altcha": solved})
    except RefusedError as exc:
        if exc.status == 404:
            raise NotFoundException() from exc
        base = f"/solicitud/{request_id}/datos"
        problems = [{"href": f"{base}#{field_of(view, k)}", "message": m} for k, m in exc.errors.items()]
        return review_page(request, view, problems or [{"href": "#enviar", "message": exc.detail}], exc.detail, 422)
    return Redirect(f"/solicitud/{request_id}/enviada", status_code=303)


def field_of(view: dict[str, Any], path: str) -> str:
    if path == "ubigeo":
        return "district" if view["ally_type"] == "GOBIERNO_LOCAL" else "region"
    return path


# --- After sending -------------------------------------------------------------------------------


def day(value: str | None) -> str:
    return date.fromisoformat(value).strftime("%d/%m/%Y") if value else ""


def contact_email(view: dict[str, Any]) -> str:
    responsible = view["form"].get("responsible") or {}
    return responsible.get("institutional_email") or responsible.get("personal_email") or ""


def documents_of(view: dict[str, Any], just_sent: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Each required document, received or not, in words.

    ``just_sent``: the kinds uploaded a moment ago; the documents service checks them and tells
    access in the background, so until then they are "being checked", not "not received".
    """
    found = []
    for kind in view.get("required_documents") or []:
        label, hint = DOCUMENTS.get(kind, (kind, ""))
        doc = (view.get("documents") or {}).get(kind)
        if doc is None and kind in just_sent:
            words = "Recibido; revisando la firma (actualice esta página en unos segundos)"
        elif doc is None:
            words = "Aún no recibido"
        else:
            if doc["digitally_signed"]:
                intact = {True: "íntegro", False: "modificado después de firmarse", None: "integridad no verificable"}
                signed = f"firmado digitalmente por {doc['signer'] or 'una firma sin nombre'}; {intact[doc['intact']]}"
            else:
                signed = "sin firma digital; el equipo evaluador revisará la firma y el sello"
            words = f"Recibido: {signed}"
        found.append({"kind": kind, "label": label, "hint": hint, "received": doc is not None, "words": words})
    return found


def context_of(view: dict[str, Any], just_sent: tuple[str, ...] = ()) -> dict[str, Any]:
    check_ = view.get("authority_check")
    return {
        "view": view,
        "due": day(view.get("due_date")),
        "documents": documents_of(view, just_sent),
        "just_sent": [DOCUMENTS[k][0] for k in just_sent if k in DOCUMENTS],
        "authority": (
            {"result": AUTHORITY_RESULTS.get(check_["result"], check_["result"]), "reason": check_.get("reason")}
            if check_
            else None
        ),
        "email": contact_email(view),
        "kind_label": KINDS[view["ally_type"]][0],
    }


@get("/solicitud/{request_id:uuid}/enviada", include_in_schema=False)
async def sent_page(request: Request, request_id: FromPath[UUID]) -> Template:
    view = await load(request, request_id)
    return Template(template_name="request_send_done.html", context=context_of(view))


@get("/solicitud/{request_id:uuid}/estado", include_in_schema=False)
async def status_page(
    request: Request, request_id: FromPath[UUID], subidos: FromQuery[str] = "", alterados: FromQuery[str] = ""
) -> Template:
    view = await load(request, request_id)
    just_sent = tuple(k for k in subidos.split(",") if k in DOCUMENTS)
    context = context_of(view, just_sent)
    context["broken"] = [DOCUMENTS[k][0] for k in alterados.split(",") if k in just_sent]
    return Template(template_name="request_status.html", context=context)


@get("/solicitud/{request_id:uuid}/estado.json", include_in_schema=False)
async def status_json(request: Request, request_id: FromPath[UUID]) -> Response:
    """What the pages' script polls: whether the DDC can be downloaded yet."""
    view = await load(request, request_id)
    return Response(
        {"ddc_ready": bool(view["ddc"]["ready"]), "state": view["state"]}, headers={"cache-control": "no-store"}
    )


@get("/solicitud/{request_id:uuid}/ddc", include_in_schema=False)
async def download_ddc(request: Request, request_id: FromPath[UUID]) -> Response | Template:
    answer = await send(request, "GET", f"/api/access-requests/{request_id}/ddc")
    if answer.status_code == 409:
        view = await load(request, request_id)
        generating = view["state"] in ("SUBMITTED", "PENDING_EVALUATION") and not view["ddc"]["ready"]
        context = {"view": view, "generating": generating, "detail": answer.json().get("detail", "")}
        return Template(template_name="request_send_ddc.html", context=context, status_code=409)
    if answer.status_code == 404:
        raise NotFoundException()
    check(request, answer)
    view = await load(request, request_id)
    return Response(
        answer.content,
        media_type="application/pdf",
        headers={
            "content-disposition": f'attachment; filename="DDC-{view["code"]}.pdf"',
            "cache-control": "no-store",
        },
    )


# --- Subir los documentos firmados ------------------------------------------------------------------


def upload_page(
    view: dict[str, Any], errors: dict[str, str] | None = None, detail: str = "", status: int = 200
) -> Template:
    errors = errors or {}
    context = context_of(view) | {
        "errors": errors,
        "summary": [{"field": f"archivo-{k}", "message": m} for k, m in errors.items()],
        "detail": detail,
    }
    return Template(template_name="request_upload.html", context=context, status_code=status)


@get("/solicitud/{request_id:uuid}/documentos", include_in_schema=False)
async def upload_form(request: Request, request_id: FromPath[UUID]) -> Template:
    return upload_page(await load(request, request_id))


@post("/solicitud/{request_id:uuid}/documentos", include_in_schema=False, status_code=303)
async def upload(request: Request, request_id: FromPath[UUID]) -> Template | Redirect:
    view = await load(request, request_id)
    sent = await request.form()
    files = {}
    for kind in view["required_documents"]:
        chosen = sent.get(f"archivo-{kind}")
        if isinstance(chosen, UploadFile) and chosen.filename:
            files[kind] = (chosen.filename, await chosen.read(), chosen.content_type or "application/pdf")
    for chosen in sent.values():  # every spooled file, chosen or not, is let go at once
        if isinstance(chosen, UploadFile):
            await chosen.close()
    if not files:
        first = view["required_documents"][0]
        return upload_page(view, {first: f"Elija el archivo del {DOCUMENTS[first][0]}."}, status=422)
    errors: dict[str, str] = {}
    broken: list[str] = []
    for kind, file in files.items():
        try:
            answer = await call(
                request,
                "POST",
                f"/api/access-requests/{request_id}/documents",
                params={"kind": kind},
                files={"file": file},
            )
        except RefusedError as exc:
            errors[kind] = exc.errors.get("file") or exc.detail
        else:
            if isinstance(answer, dict) and answer.get("intact") is False:
                broken.append(kind)
    if errors:
        return upload_page(await load(request, request_id), errors, status=422)
    also = f"&alterados={','.join(broken)}" if broken else ""
    return Redirect(f"/solicitud/{request_id}/estado?subidos={','.join(files)}{also}", status_code=303)


ROUTES = [review, challenge, submit, sent_page, status_page, status_json, download_ddc, upload_form, upload]

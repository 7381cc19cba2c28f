"""What a test needs done before its person arrives, done through the public API.

A journey that starts after another (an evaluator's, an ally's with credentials) gets there the way
the system would: a request filled, sent with a solved ALTCHA, its DDC uploaded, approved by the
demo evaluator, and the credentials read from the e-mail the live system's mail catcher kept.

Every test that makes requests here picks jurisdictions of its own (the live system is shared by
the whole session, and a jurisdiction has one account), named beside each test.
"""

from __future__ import annotations

import base64
import io
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
from altcha import v1 as altcha
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject

T = TypeVar("T")


def eventually(probe: Callable[[], T | None], what: str, timeout_s: float = 60.0) -> T:
    deadline = time.monotonic() + timeout_s
    last: T | None = None
    while time.monotonic() < deadline:
        last = probe()
        if last:
            return last
        time.sleep(0.3)
    raise AssertionError(f"{what}: not within {timeout_s}s (last: {last})")


def solved_captcha(c: httpx.Client) -> str:
    """What the ALTCHA widget would send: the challenge solved, as base64 JSON."""
    ch = c.get("/api/captcha").json()
    solution = altcha.solve_challenge(ch["challenge"], ch["salt"], ch["algorithm"], ch["maxnumber"], 0)
    payload = {k: ch[k] for k in ("algorithm", "challenge", "salt", "signature")} | {"number": solution.number}
    return base64.b64encode(json.dumps(payload).encode()).decode()


def blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def signed_on_screen(pdf: bytes) -> bytes:
    """``pdf`` with a handwritten signature drawn on its first page (an ink annotation), as a person signs
    the DDC in a PDF viewer: the unsigned DDC itself is refused."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    stroke = ArrayObject(FloatObject(v) for v in (380, 120, 420, 150, 450, 110, 500, 140))
    ink = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Ink"),
            NameObject("/Rect"): ArrayObject(FloatObject(v) for v in (370, 100, 510, 160)),
            NameObject("/InkList"): ArrayObject([stroke]),
        }
    )
    writer.add_annotation(0, ink)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_text(data: bytes) -> str:
    """The text of every page of a PDF, in order (what a person copying from it would get)."""
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def contact(dni: str, names: str, tag: str, **extra: str) -> dict[str, str]:
    return {
        "dni": dni,
        "names": names,
        "mobile": "987654321",
        "personal_email": f"{tag}.personal@example.pe",
        "institutional_email": f"{tag}@entidad.gob.pe",
    } | extra


def complete_form(c: httpx.Client, ally_type: str, where: str, tag: str) -> dict[str, Any]:
    """A whole request of ``ally_type`` for ``where`` (a region's or district's ubigeo, or an entity's RUC),
    its authority the one the synthetic register has there, so the authority check matches."""
    query = {"ruc": where} if ally_type == "OTRO_ALIADO" else {"ubigeo": where}
    authority = c.get("/api/authorities", params=query).json()
    names = c.get(f"/api/dni/{authority['dni']}").json()["names"]
    form: dict[str, Any] = {
        "ally_type": ally_type,
        "authority": contact(authority["dni"], names, f"autoridad-{tag}"),
        "responsible": contact(
            "45678912",
            "Rosa Huamán Ccori",
            f"responsable-{tag}",
            landline="067 452311",
            office="OMAPED",
            position="Responsable de la OMAPED",
        ),
    }
    if ally_type == "OTRO_ALIADO":
        entity = next(e for e in c.get("/api/entities").json() if e["ruc"] == where)
        form["entity"] = {
            "name": entity["name"],
            "ruc": where,
            "public": entity["public"],
            "rof_document": "R.M. N.° 123-2024-MIMP",
            "designation_document": "R.S. N.° 045-2025",
        }
    else:
        form["ubigeo"] = where
    return form


def status(c: httpx.Client, request_id: str) -> dict[str, Any]:
    return c.get(f"/api/access-requests/{request_id}").json()


def send(c: httpx.Client, request_id: str) -> dict[str, Any]:
    """Send (or send again) with a solved ALTCHA; the API's answer."""
    answer = c.post(f"/api/access-requests/{request_id}/submit", json={"altcha": solved_captcha(c)})
    assert answer.status_code == 202, answer.text
    return answer.json()


def send_form(c: httpx.Client, form: dict[str, Any]) -> dict[str, Any]:
    """``form`` as a new request: a draft, saved whole, and sent; the draft's view (id and code)."""
    draft = c.post(
        "/api/access-requests", json={"ally_type": form["ally_type"], "authority": {"dni": form["authority"]["dni"]}}
    )
    assert draft.status_code == 201, draft.text
    saved = c.put(f"/api/access-requests/{draft.json()['id']}", json=form)
    assert saved.status_code == 200, saved.text
    send(c, draft.json()["id"])
    return draft.json()


def sent_request(c: httpx.Client, ally_type: str, where: str, tag: str) -> dict[str, Any]:
    """A request filled and sent; answers its view once its DDC is ready."""
    draft = send_form(c, complete_form(c, ally_type, where, tag))
    return eventually(lambda: (s := status(c, draft["id"]))["ddc"]["ready"] and s, "the DDC is ready")


def upload(c: httpx.Client, request_id: str, kind: str, data: bytes, name: str = "documento.pdf") -> httpx.Response:
    return c.post(
        f"/api/access-requests/{request_id}/documents",
        params={"kind": kind},
        files={"file": (name, data, "application/pdf")},
    )


def pending_request(c: httpx.Client, ally_type: str, where: str, tag: str) -> dict[str, Any]:
    """A request sent with its documents, waiting in the evaluation queue."""
    sent = sent_request(c, ally_type, where, tag)
    ddc = c.get(f"/api/access-requests/{sent['id']}/ddc")
    assert ddc.status_code == 200 and ddc.content.startswith(b"%PDF"), ddc.text
    signed = upload(c, sent["id"], "DDC_SIGNED", signed_on_screen(ddc.content), "ddc-firmado.pdf")
    assert signed.status_code == 201, signed.text
    if ally_type == "OTRO_ALIADO":
        assert upload(c, sent["id"], "DESIGNATION", blank_pdf(), "designacion.pdf").status_code == 201
    return eventually(
        lambda: (s := status(c, sent["id"]))["state"] == "PENDING_EVALUATION" and s, "the request enters the queue"
    )


def staff_token(c: httpx.Client, password: str, username: str = "evaluador") -> str:
    answer = c.post("/api/auth/login", json={"username": username, "password": password})
    assert answer.status_code == 200, answer.text
    return answer.json()["access_token"]


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str
    request_id: str


def approved_ally(c: httpx.Client, staff_password: str, ally_type: str, where: str, tag: str) -> Credentials:
    """An ally with credentials: a request through evaluation, approved, the e-mailed username and password."""
    pending = pending_request(c, ally_type, where, tag)
    token = staff_token(c, staff_password)
    decided = c.post(
        f"/api/evaluation/{pending['id']}/decision",
        json={"decision": "APPROVE"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert decided.status_code == 200, decided.text
    username, password = credentials_in(mail_for(c, pending["code"]))
    return Credentials(username, password, pending["id"])


def mail_for(c: httpx.Client, code: str) -> dict[str, Any]:
    """The mail the local catcher kept about request ``code`` (the credentials e-mail)."""
    return eventually(
        lambda: next((m for m in c.get("/dev/mail").json() if code in (m["subject"] or "")), None),
        f"the credentials e-mail of {code}",
    )


def credentials_in(mail: dict[str, Any]) -> tuple[str, str]:
    username = re.search(r"Usuario:\s*(\S+)", mail["text"])
    password = re.search(r"Contraseña:\s*(\S+)", mail["text"])
    assert username and password, mail["text"]
    return username.group(1), password.group(1)

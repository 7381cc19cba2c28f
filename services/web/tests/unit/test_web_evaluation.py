"""The evaluator's pages: a request with its PDFs embedded, and the decision, with a stand-in gateway.

The stand-in answers what these pages use, as the OpenAPI document says: ``POST /api/auth/login``,
``GET /api/me``, ``GET /api/evaluation/queue``, ``GET /api/access-requests/{id}``,
``GET /api/evaluation/{id}/documents/{kind}`` (staff only, 404 when not uploaded) and
``POST /api/evaluation/{id}/decision`` with the access service's refusals.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from litestar.testing import TestClient

from web.app import create_app
from web.config import Settings
from web.pages.evaluation import NO_DECISION
from web.security import CSRF_COOKIE

pytestmark = pytest.mark.unit

NOON = datetime(2026, 12, 2, 15, 0, tzinfo=UTC)
PASSWORD = "clave-de-prueba-1"
ACCOUNTS = {
    "evaluador": {"sub": "staff-1", "username": "evaluador", "role": "EVALUATOR"},
    "omaped.miraflores": {"sub": "ally-1", "username": "omaped.miraflores", "role": "ALLY", "ubigeo": "150122"},
}
PDF = b"%PDF-1.7\n% DDC firmado por la autoridad\n%%EOF\n"
SHA = "ab12cd34ef56ab78" + "0" * 48
OBSERVE_REFUSED = "Escriba al menos una observación para el solicitante."
REJECT_REFUSED = "Indique el motivo del rechazo."
STATES = {"APPROVE": "APPROVED", "OBSERVE": "OBSERVED", "REJECT": "REJECTED"}
LABELS = {
    "PENDING_EVALUATION": "En evaluación",
    "APPROVED": "Aprobada: enviando credenciales",
    "OBSERVED": "Observada: corrija y vuelva a enviar",
    "REJECTED": "Rechazada",
}


def pending_view(request_id: str, code: str, *, ally_type: str = "OTRO_ALIADO") -> dict:
    """A RequestView in evaluation: the DDC signed and intact, the designation not uploaded."""
    return {
        "id": request_id,
        "code": code,
        "state": "PENDING_EVALUATION",
        "state_label": LABELS["PENDING_EVALUATION"],
        "attempt": 1,
        "ally_type": ally_type,
        "ally_type_label": "Otro aliado",
        "jurisdiction_label": "Consejo Nacional para la Integración de la Persona con Discapacidad",
        "form": {
            "ally_type": ally_type,
            "ubigeo": None,
            "entity": {
                "name": "CONADIS",
                "ruc": "20433270461",
                "public": True,
                "rof_document": "D.S. N.° 002-2016-MIMP",
                "designation_document": "R.S. N.° 045-2025",
            },
            "authority": {"dni": "40123456", "names": "Juan Ñahui Pérez", "mobile": "987654321"},
            "responsible": {
                "dni": "45678912",
                "names": "María Quispe Mamani",
                "institutional_email": "mquispe@conadis.gob.pe",
                "office": "Dirección de Registro",
                "position": "Directora",
            },
        },
        "authority_check": {"result": "MATCH", "reason": "El DNI corresponde al titular (periodo 2023-2026)."},
        "ddc": {"ready": True, "verification_code": "K7QX-9M2P-4TZD"},
        "documents": {
            "DDC_SIGNED": {
                "kind": "DDC_SIGNED",
                "sha256": SHA,
                "size": len(PDF),
                "digitally_signed": True,
                "signer": "Juan Ñahui Pérez",
                "intact": True,
            }
        },
        "required_documents": ["DDC_SIGNED", "DESIGNATION"],
        "due_date": (NOON.date() + timedelta(days=5)).isoformat(),
        "overdue": False,
        "observations": [],
        "rejection_reason": None,
        "account_username": None,
    }


def _refusal(status: int, detail: str, errors: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, json={"detail": detail, "errors": errors})


@dataclass
class EvaluationGateway:
    requests: dict[str, dict] = field(default_factory=dict)
    decisions: list[dict] = field(default_factory=list)
    queue: list[dict] = field(default_factory=list)
    tokens: dict[str, str] = field(default_factory=dict)
    calls: list[tuple[str, str, str]] = field(default_factory=list)
    password: str = PASSWORD

    def client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.MockTransport(self.answer), base_url="http://gateway.test")

    def add(self, code: str) -> str:
        request_id = str(uuid.uuid4())
        self.requests[request_id] = pending_view(request_id, code)
        self.queue = [v for v in self.requests.values() if v["state"] == "PENDING_EVALUATION"]
        return request_id

    def answer(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        self.calls.append((request.method, path, request.headers.get("authorization", "")))
        if request.method == "POST" and path == "/api/auth/login":
            return self._login(json.loads(request.content))
        found = re.fullmatch(r"/api/(access-requests|evaluation)/([0-9a-f-]{36})(/.*)?", path)
        if found and found[1] == "access-requests" and found[3] is None:  # anyone with the id
            view = self.requests.get(found[2])
            return httpx.Response(200, json=view) if view else _refusal(404, "Solicitud no encontrada.")
        username = self.tokens.get(request.headers.get("authorization", "").removeprefix("Bearer "))
        if username is None:
            return _refusal(401, "Sesión no válida, vencida o revocada; inicie sesión nuevamente.")
        return self._signed_in(ACCOUNTS[username], request, found)

    def _login(self, body: dict) -> httpx.Response:
        if body.get("username") not in ACCOUNTS or body.get("password") != PASSWORD:
            return _refusal(401, "Usuario o contraseña incorrectos.")
        token = str(uuid.uuid4())
        self.tokens[token] = body["username"]
        return httpx.Response(200, json={"access_token": token, "expires_in": 3600, "token_type": "Bearer"})

    def _signed_in(self, claims: dict, request: httpx.Request, found: re.Match | None) -> httpx.Response:
        if request.url.path == "/api/me":
            return httpx.Response(200, json=claims)
        if claims["role"] not in ("EVALUATOR", "ADMIN"):
            return _refusal(403, "Su cuenta no tiene permiso para esta acción.")
        if request.url.path == "/api/evaluation/queue":
            return httpx.Response(200, json=self.queue)
        view = self.requests.get(found[2]) if found else None
        if found is None or view is None:
            return _refusal(404, "Solicitud no encontrada.")
        return self._of_request(view, request, found[3] or "")

    def _of_request(self, view: dict, request: httpx.Request, rest: str) -> httpx.Response:
        if rest == "/decision" and request.method == "POST":
            return self._decide(view, json.loads(request.content))
        if rest == "/uploads":
            return httpx.Response(200, json=view.get("versions", []))
        if rest.removeprefix("/documents/") in view["documents"]:
            asked = request.url.params.get("sha256")
            if asked and asked != view["documents"][rest.removeprefix("/documents/")]["sha256"]:
                return _refusal(404, "La solicitud no tiene un DDC firmado subido en su intento vigente.")
            return httpx.Response(200, content=PDF, headers={"content-type": "application/pdf"})
        return _refusal(404, "La solicitud no tiene un documento de designación subido en su intento vigente.")

    def _decide(self, view: dict, body: dict) -> httpx.Response:
        self.decisions.append(body)
        decision = body.get("decision")
        if decision not in STATES:
            return _refusal(422, "Hay datos que faltan o no son válidos.", {"decision": "Valor no permitido."})
        if view["state"] != "PENDING_EVALUATION":
            return _refusal(409, "La solicitud no está en evaluación.")
        if decision == "OBSERVE" and not body.get("observations"):
            return _refusal(422, OBSERVE_REFUSED, {"observations": OBSERVE_REFUSED})
        if decision == "REJECT" and not body.get("reason"):
            return _refusal(422, REJECT_REFUSED, {"reason": REJECT_REFUSED})
        view["state"] = STATES[decision]
        view["state_label"] = LABELS[view["state"]]
        view["observations"] = body.get("observations") or []
        view["rejection_reason"] = body.get("reason") or None
        self.queue = [v for v in self.requests.values() if v["state"] == "PENDING_EVALUATION"]
        return httpx.Response(200, json=view)


@pytest.fixture
def gateway() -> EvaluationGateway:
    return EvaluationGateway()


@pytest.fixture
def signed_in(gateway: EvaluationGateway) -> Iterator[Callable[..., TestClient]]:
    """Opens the web application signed in as a person (the evaluator unless told), closed after the test."""
    opened: list[TestClient] = []

    def open_as(username: str = "evaluador") -> TestClient:
        settings = Settings(cookie_secret="s" * 32, secure_cookies=False)
        app = create_app(settings, gateway=gateway.client(), clock=lambda: NOON)
        c = TestClient(app, base_url="http://testserver.local").__enter__()
        opened.append(c)
        c.get("/iniciar-sesion")
        form = {"usuario": username, "contrasena": gateway.password, "_csrf_token": c.cookies[CSRF_COOKIE]}
        c.post("/iniciar-sesion", data=form, follow_redirects=False)
        return c

    yield open_as
    for c in opened:
        c.__exit__(None, None, None)


def decide(c: TestClient, request_id: str, **answers: str):
    form = {"_csrf_token": c.cookies[CSRF_COOKIE], **answers}
    return c.post(f"/evaluacion/{request_id}", data=form, follow_redirects=False)


def test_each_request_in_the_queue_is_opened_by_its_code(gateway, signed_in) -> None:
    request_id = gateway.add("SA-2026-K7QX-9M2P")
    c = signed_in()

    page = c.get("/evaluacion")

    assert f'<a href="/evaluacion/{request_id}">SA-2026-K7QX-9M2P</a>' in page.text


def test_the_request_page_shows_its_data_the_authority_check_and_each_document_in_words(gateway, signed_in) -> None:
    request_id = gateway.add("SA-2026-K7QX-9M2P")
    c = signed_in()

    page = c.get(f"/evaluacion/{request_id}")

    assert page.status_code == 200
    for text in (
        "Otro aliado",
        "CONADIS",
        "20433270461",
        "Pública",
        "D.S. N.° 002-2016-MIMP",
        "R.S. N.° 045-2025",
        "Juan Ñahui Pérez",
        "María Quispe Mamani",
        "Directora",
        "07/12/2026",
        "Coincide con el registro oficial",
        "El DNI corresponde al titular (periodo 2023-2026).",
        "Sí, firmado digitalmente",
        "Intacto: no cambió desde que se firmó",
        SHA[:16],
        "El solicitante aún no subió este documento.",
    ):
        assert text in page.text, text
    assert SHA not in re.sub(r'="[^"]*"', "", page.text)  # shown by its start; the whole names the version asked
    src = f"/evaluacion/{request_id}/documentos/DDC_SIGNED?version={SHA}"
    assert f'<iframe class="evaluation-document__pdf" src="{src}"' in page.text
    assert f'href="{src}&amp;descargar=si"' in page.text and "Descargar el PDF" in page.text
    assert "Versiones subidas" not in page.text  # one version: nothing to tell apart
    assert page.text.count("<iframe") == 1


def test_a_mismatched_authority_and_an_unsigned_altered_file_are_said_plainly(gateway, signed_in) -> None:
    request_id = gateway.add("SA-2026-AAAA-BBBB")
    view = gateway.requests[request_id]
    view["authority_check"] = {"result": "MISMATCH", "reason": None}
    view["documents"]["DDC_SIGNED"] |= {"digitally_signed": False, "signer": None, "intact": None}
    c = signed_in()

    page = c.get(f"/evaluacion/{request_id}")

    assert "No coincide con el registro oficial" in page.text
    assert "No tiene firma digital" in page.text and "Sin firma que comprobar" in page.text


def test_the_pdf_comes_through_this_site_with_the_evaluators_token_and_may_be_framed_only_here(
    gateway, signed_in
) -> None:
    request_id = gateway.add("SA-2026-K7QX-9M2P")
    c = signed_in()

    shown = c.get(f"/evaluacion/{request_id}/documentos/DDC_SIGNED")
    downloaded = c.get(f"/evaluacion/{request_id}/documentos/DDC_SIGNED?descargar=si")
    page = c.get(f"/evaluacion/{request_id}")

    assert shown.status_code == 200 and shown.content == PDF
    assert shown.headers["content-type"] == "application/pdf"
    assert shown.headers["content-disposition"].startswith("inline;")
    assert downloaded.headers["content-disposition"].startswith("attachment;")
    assert shown.headers["x-frame-options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in shown.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert "frame-src 'self'" in page.headers["content-security-policy"]
    asked = [call for call in gateway.calls if call[1].endswith("/documents/DDC_SIGNED")]
    assert asked and all(call[2].startswith("Bearer ") for call in asked)


def test_a_document_not_uploaded_is_a_404_page(gateway, signed_in) -> None:
    request_id = gateway.add("SA-2026-K7QX-9M2P")
    c = signed_in()

    missing = c.get(f"/evaluacion/{request_id}/documentos/DESIGNATION")
    unknown_kind = c.get(f"/evaluacion/{request_id}/documentos/FOTO")
    unknown_request = c.get(f"/evaluacion/{uuid.uuid4()}")

    assert missing.status_code == 404 and unknown_kind.status_code == 404 and unknown_request.status_code == 404
    assert "x-frame-options" in missing.headers and missing.headers["x-frame-options"] == "DENY"


def test_an_ally_can_open_neither_the_request_nor_its_pdf(gateway, signed_in) -> None:
    request_id = gateway.add("SA-2026-K7QX-9M2P")
    c = signed_in("omaped.miraflores")

    page = c.get(f"/evaluacion/{request_id}")
    pdf = c.get(f"/evaluacion/{request_id}/documentos/DDC_SIGNED")

    assert page.status_code == 403 and pdf.status_code == 403
    assert "No tiene permiso" in page.text
    assert not [call for call in gateway.calls if "/documents/" in call[1]]


def test_the_decision_form_has_the_three_choices_and_both_fields_without_javascript(gateway, signed_in) -> None:
    request_id = gateway.add("SA-2026-K7QX-9M2P")
    c = signed_in()

    page = c.get(f"/evaluacion/{request_id}")

    for value in ("APPROVE", "OBSERVE", "REJECT"):
        assert f'value="{value}"' in page.text
    assert '<textarea class="input evaluation-form__text" id="observaciones"' in page.text
    assert 'id="motivo"' in page.text
    decision_form = page.text.split(f'action="/evaluacion/{request_id}"', 1)[1].split("</form>")[0]
    assert " hidden" not in decision_form  # the script hides what the chosen decision does not need


def test_observing_without_observations_is_refused_at_the_field_with_every_answer_kept(gateway, signed_in) -> None:
    request_id = gateway.add("SA-2026-K7QX-9M2P")
    c = signed_in()

    page = decide(c, request_id, decision="OBSERVE", observaciones="  \n ", motivo="borrador del motivo")

    assert page.status_code == 422
    assert page.text.count(OBSERVE_REFUSED) == 2  # in the summary and at the field
    assert 'href="#observaciones"' in page.text
    assert 'id="observaciones-error"' in page.text and 'aria-invalid="true"' in page.text
    assert 'value="OBSERVE" checked' in page.text
    assert 'value="borrador del motivo"' in page.text
    assert gateway.requests[request_id]["state"] == "PENDING_EVALUATION"


def test_no_decision_chosen_is_refused_at_the_radios(gateway, signed_in) -> None:
    request_id = gateway.add("SA-2026-K7QX-9M2P")
    c = signed_in()

    page = decide(c, request_id, observaciones="Falta el sello")

    assert page.status_code == 422
    assert NO_DECISION in page.text and 'href="#decision"' in page.text
    assert "Falta el sello</textarea>" in page.text


def test_observations_are_sent_one_per_line_and_the_queue_confirms(gateway, signed_in) -> None:
    request_id = gateway.add("SA-2026-K7QX-9M2P")
    c = signed_in()

    answer = decide(c, request_id, decision="OBSERVE", observaciones="Falta el sello\r\n\r\n El DNI no se lee \n")
    queue = c.get(answer.headers["location"])

    assert answer.status_code == 303 and answer.headers["location"] == f"/evaluacion?decidida={request_id}"
    assert gateway.decisions[-1] == {
        "decision": "OBSERVE",
        "reason": "",
        "observations": ["Falta el sello", "El DNI no se lee"],
    }
    assert "Solicitud SA-2026-K7QX-9M2P observada." in queue.text
    assert "No hay solicitudes por evaluar." in queue.text


def test_rejecting_needs_a_reason_and_then_the_request_shows_the_decision_without_a_form(gateway, signed_in) -> None:
    request_id = gateway.add("SA-2026-K7QX-9M2P")
    c = signed_in()

    refused = decide(c, request_id, decision="REJECT")
    rejected = decide(c, request_id, decision="REJECT", motivo="La entidad no trabaja con personas con discapacidad")
    queue = c.get(rejected.headers["location"])
    page = c.get(f"/evaluacion/{request_id}")

    assert refused.status_code == 422 and 'id="motivo-error"' in refused.text and REJECT_REFUSED in refused.text
    assert "Solicitud SA-2026-K7QX-9M2P rechazada." in queue.text
    assert '<form method="post" action="/evaluacion/' not in page.text
    assert "Rechazada" in page.text and "La entidad no trabaja con personas con discapacidad" in page.text


def test_approving_goes_back_to_the_queue_with_the_banner(gateway, signed_in) -> None:
    request_id = gateway.add("SA-2026-K7QX-9M2P")
    c = signed_in()

    answer = decide(c, request_id, decision="APPROVE")
    queue = c.get(answer.headers["location"])

    assert gateway.decisions[-1]["decision"] == "APPROVE"
    assert 'role="status"' in queue.text and "Solicitud SA-2026-K7QX-9M2P aprobada." in queue.text


def test_a_request_decided_meanwhile_shows_its_decision_and_why_the_form_is_gone(gateway, signed_in) -> None:
    request_id = gateway.add("SA-2026-K7QX-9M2P")
    c = signed_in()
    decide(c, request_id, decision="APPROVE")

    again = decide(c, request_id, decision="REJECT", motivo="Tarde")

    assert again.status_code == 409
    assert "La solicitud no está en evaluación." in again.text
    assert "Aprobada: enviando credenciales" in again.text


def test_the_banner_is_said_from_the_requests_state_not_from_the_address(gateway, signed_in) -> None:
    request_id = gateway.add("SA-2026-K7QX-9M2P")
    c = signed_in()

    queue = c.get(f"/evaluacion?decidida={request_id}")

    assert "SA-2026-K7QX-9M2P" in queue.text and "aprobada" not in queue.text and 'role="status"' not in queue.text


def test_every_version_sent_is_listed_the_counted_one_marked_and_a_broken_signature_warned(gateway, signed_in) -> None:
    request_id = gateway.add("SA-2026-CCCC-DDDD")
    view = gateway.requests[request_id]
    view["documents"]["DDC_SIGNED"] |= {"intact": False}
    earlier = "cd" * 32
    view["versions"] = [
        {"kind": "DDC_SIGNED", "attempt": 1, "sha256": earlier, "intact": None, "uploaded_at": "2026-12-01T14:05:00Z"},
        {"kind": "DDC_SIGNED", "attempt": 1, "sha256": SHA, "intact": False, "uploaded_at": "2026-12-01T15:30:00Z"},
    ]
    c = signed_in()

    page = c.get(f"/evaluacion/{request_id}")
    pdf = c.get(f"/evaluacion/{request_id}/documentos/DDC_SIGNED?version={SHA}")
    stale = c.get(f"/evaluacion/{request_id}/documentos/DDC_SIGNED?version={earlier}")
    forged = c.get(f"/evaluacion/{request_id}/documentos/DDC_SIGNED?version=../../x")

    assert "Atención:</strong> La firma digital de este documento no es válida" in page.text
    assert "Versiones subidas del DDC firmado (se evalúa la vigente)" in page.text
    assert re.search(
        r"01/12/2026, 09:05</th>\s*<td>1</td>\s*<td>Sin firma digital</td>\s*<td>cdcdcdcdcdcdcdcd</td>\s*<td>Anterior",
        page.text,
    )
    assert re.search(
        r"01/12/2026, 10:30</th>\s*<td>1</td>\s*<td>Firma alterada</td>\s*<td>ab12cd34ef56ab78</td>\s*<td>Vigente",
        page.text,
    )
    assert pdf.status_code == 200
    assert stale.status_code == forged.status_code == 404

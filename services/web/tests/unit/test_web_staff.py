"""Programme staff's /gestion pages, with a stand-in of the padrón's public API beside the shared sign-in one.

The padrón answers as the OpenAPI document (services/gateway/src/gateway/openapi.json) says, its Spanish
refusals included; sign-in, ``/api/me`` and tokens are the shared stand-in's (tests/conftest.py).
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from litestar.testing import TestClient

from web.app import create_app
from web.config import Settings
from web.security import CSRF_COOKIE

pytestmark = pytest.mark.unit

PASSWORD = "clave-de-prueba-1"
NOW = datetime(2026, 12, 2, 15, 0, tzinfo=UTC)
ALERT_OPEN = "11111111-1111-4111-8111-111111111111"
ALERT_DONE = "22222222-2222-4222-8222-222222222222"
FAD = "33333333-3333-4333-8333-333333333333"
BENEFICIARY = "44444444-4444-4444-8444-444444444444"
AFFILIATION = "55555555-5555-4555-8555-555555555555"


def refusal(status: int, detail: str, errors: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, json={"detail": detail, "errors": errors})


def alert(alert_id: str, state: str, detail: str) -> dict[str, Any]:
    return {
        "alert_id": alert_id,
        "alert_type": "NO_COBRA",
        "beneficiary_id": BENEFICIARY,
        "detail": detail,
        "dni": "47421015",
        "names": "AGUILAR PUMA, WALTER",
        "raised_at": "2026-12-01T14:30:00+00:00",
        "raised_by": "gl040101",
        "state": state,
        "ubigeo": "040101",
    }


FAD_VIEW = {
    "fad_id": FAD,
    "beneficiary_id": BENEFICIARY,
    "changes": {"address": "Calle Mercaderes 427", "phone": None},
    "decided_at": None,
    "decided_by": None,
    "decision_note": None,
    "dni": "47421015",
    "names": "AGUILAR PUMA, WALTER",
    "history": [],
    "state": "PENDIENTE",
    "submitted_at": "2026-12-01T14:30:00+00:00",
    "submitted_by": "gl040101",
    "ubigeo": "040101",
}
RECORD = {"beneficiary_id": BENEFICIARY, "address": "Psje. Arequipa 194", "phone": None, "authorization": None}
AFFILIATION_VIEW = {
    "affiliation_id": AFFILIATION,
    "applicant_dni": "70000001",
    "applicant_names": "CCORI, MARÍA",
    "decided_at": None,
    "decided_by": None,
    "detail": None,
    "observations": None,
    "state": "PENDIENTE",
    "submitted_at": "2026-12-01T14:30:00+00:00",
    "submitted_by": "gl040101",
    "ubigeo": "040101",
}
VERSION = {
    "padron_id": "66666666-6666-4666-8666-666666666666",
    "pension_total": "24097800.00",
    "period": "V-2022",
    "published_at": "2022-09-01T15:00:00+00:00",
    "published_by": "sistema",
    "resolution_date": "2022-08-30",
    "resolution_number": "R.D. N.° 001-2022",
    "totals": {"CONTINUADOR": 80000, "NUEVO": 326},
}


@dataclass
class Padron:
    """The padrón's routes the pages use; ``sent`` keeps what each call carried."""

    sent: list[tuple[str, str, dict[str, str], bytes]] = field(default_factory=list)
    next_alerts: str | None = None
    import_answer: httpx.Response = field(default_factory=lambda: httpx.Response(201, json={"imported": 2}))

    def answer(self, request: httpx.Request) -> httpx.Response:
        method, path = request.method, request.url.path.removeprefix("/api/padron")
        self.sent.append((method, path, dict(request.url.params), request.content))
        body = json.loads(request.content) if request.headers.get("content-type") == "application/json" else {}
        route = self.routes().get((method, path))
        return route(request, body) if route else refusal(404, "No existe.")

    def routes(self) -> dict[tuple[str, str], Any]:
        def ok(status: int, answer: Any) -> Any:
            return lambda request, body: httpx.Response(status, json=answer)

        return {
            ("GET", "/alerts"): self.alerts,
            ("POST", f"/alerts/{ALERT_DONE}/attend"): lambda r, b: refusal(409, "La alerta ya fue atendida."),
            ("POST", f"/alerts/{ALERT_OPEN}/attend"): ok(200, alert(ALERT_OPEN, "ATENDIDA", "No cobra")),
            ("GET", f"/fad/{FAD}"): ok(200, FAD_VIEW),
            ("GET", f"/beneficiaries/{BENEFICIARY}"): ok(200, RECORD),
            ("POST", f"/fad/{FAD}/decision"): self.fad_decision,
            ("GET", "/affiliation-requests"): ok(200, {"items": [AFFILIATION_VIEW], "next": None}),
            ("POST", f"/affiliation-requests/{AFFILIATION}/decision"): self.affiliation_decision,
            ("POST", "/beneficiaries"): self.affiliate,
            ("GET", "/versions"): ok(200, [VERSION]),
            ("POST", "/versions"): self.publish,
            ("POST", "/imports"): lambda r, b: self.import_answer,
            ("GET", "/access-log"): self.access_log,
        }

    def alerts(self, request: httpx.Request, body: dict[str, Any]) -> httpx.Response:
        items = [alert(ALERT_OPEN, "ABIERTA", "No cobra hace dos bimestres"), alert(ALERT_DONE, "ATENDIDA", "Ya")]
        return httpx.Response(200, json={"items": items, "next": self.next_alerts})

    def fad_decision(self, request: httpx.Request, body: dict[str, Any]) -> httpx.Response:
        if body.get("approve") is False and not body.get("note"):
            return refusal(422, "Revise la decisión.", {"note": "Indique el motivo del rechazo."})
        return httpx.Response(200, json={"fad_id": FAD, "state": "RECHAZADA"})

    def affiliation_decision(self, request: httpx.Request, body: dict[str, Any]) -> httpx.Response:
        if body.get("state") == "NO_CONFORME" and not body.get("observations"):
            message = "Indique por qué la solicitud no es conforme."
            return refusal(422, "Faltan las observaciones.", {"observations": message})
        return httpx.Response(200, json={"id": AFFILIATION, "state": body["state"]})

    def affiliate(self, request: httpx.Request, body: dict[str, Any]) -> httpx.Response:
        errors = {"requirements.discapacidad_severa": "El certificado de discapacidad debe ser de grado SEVERA."}
        return refusal(422, "No cumple los requisitos de la pensión; no se registró.", errors)

    def publish(self, request: httpx.Request, body: dict[str, Any]) -> httpx.Response:
        if body.get("period") != "VI-2022":
            detail = "El periodo no es válido."
            return refusal(422, detail, {"period": "Use el bimestre en romanos y el año, por ejemplo V-2022."})
        return httpx.Response(201, json={"id": VERSION["padron_id"], "period": "VI-2022"})

    def access_log(self, request: httpx.Request, body: dict[str, Any]) -> httpx.Response:
        if request.url.params.get("since") == "ayer":
            return refusal(422, "Revise los filtros.", {"since": "Use AAAA-MM-DD o AAAA-MM-DDTHH:MM."})
        entry = {
            "entry_id": 7,
            "at": "2026-12-01T14:30:00+00:00",
            "username": "gl040101",
            "role": "ALLY",
            "ally_type": "GOBIERNO_LOCAL",
            "scope": "DISTRICT",
            "action": "LIST_BENEFICIARIES",
            "resource": "GET /padron/beneficiaries",
            "allowed": True,
            "records": 10,
            "beneficiary_ids": [],
        }
        return httpx.Response(200, json={"items": [entry], "next": "7"})


@pytest.fixture
def padron() -> Padron:
    return Padron()


@pytest.fixture
def staff(stand_in, padron: Padron):
    """A web application whose gateway is both stand-ins, signed in as ``username`` on demand."""

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.startswith("/api/padron/"):
            token = request.headers.get("authorization", "").removeprefix("Bearer ")
            if token not in stand_in.tokens:
                return refusal(401, "Sesión no válida.")
            return padron.answer(request)
        return stand_in.answer(request)

    gateway = httpx.AsyncClient(transport=httpx.MockTransport(handler), base_url="http://gateway.test")
    settings = Settings(cookie_secret="s" * 32, secure_cookies=False, session_minutes=30)

    def signed_in(username: str = "evaluador") -> TestClient:
        app = create_app(settings, gateway=gateway, clock=lambda: NOW)
        c = clients.enter_context(TestClient(app, base_url="http://testserver.local"))
        c.get("/iniciar-sesion")
        form = {"usuario": username, "contrasena": PASSWORD, "_csrf_token": c.cookies[CSRF_COOKIE]}
        assert c.post("/iniciar-sesion", data=form, follow_redirects=False).status_code == 303
        return c

    with contextlib.ExitStack() as clients:
        yield signed_in


def csrf(c: TestClient) -> str:
    return c.cookies[CSRF_COOKIE]


PAGES = [
    "/gestion/alertas",
    "/gestion/fad",
    f"/gestion/fad/{FAD}",
    "/gestion/afiliaciones",
    "/gestion/beneficiarios/nuevo",
    "/gestion/padron",
    "/gestion/registro-de-accesos",
]


@pytest.mark.parametrize("path", PAGES)
def test_an_ally_is_told_in_spanish_that_staff_pages_are_not_for_them(staff, padron: Padron, path: str) -> None:
    c = staff("omaped.miraflores")

    page = c.get(path)

    assert page.status_code == 403
    assert "no tiene permiso" in page.text
    assert padron.sent == []


def test_someone_not_signed_in_is_sent_to_sign_in(staff) -> None:
    c = staff()
    c.post("/cerrar-sesion", data={"_csrf_token": csrf(c)})

    page = c.get("/gestion/alertas", follow_redirects=False)

    assert page.status_code == 303
    assert page.headers["location"].startswith("/iniciar-sesion")


def test_the_alert_queue_offers_to_attend_only_the_open_alerts_and_pages_on(staff, padron: Padron) -> None:
    padron.next_alerts = "cursor-2"
    c = staff("admin")

    page = c.get("/gestion/alertas?estado=ABIERTA")

    assert page.status_code == 200
    assert page.text.count(">Dar por atendida<") == 1
    assert f"/gestion/alertas/{ALERT_OPEN}/atender" in page.text
    assert f"/gestion/alertas/{ALERT_DONE}/atender" not in page.text
    assert "No cobra la pensión" in page.text and "01/12/2026 09:30" in page.text
    assert "estado=ABIERTA&amp;despues=cursor-2" in page.text
    assert padron.sent[-1][2] == {"limit": "25", "state": "ABIERTA"}


def test_attending_an_alert_returns_to_the_queue_with_a_notice(staff, padron: Padron) -> None:
    c = staff()

    sent = c.post(f"/gestion/alertas/{ALERT_OPEN}/atender", data={"_csrf_token": csrf(c), "estado": "ABIERTA"})

    assert sent.status_code == 200
    assert "Alerta dada por atendida" in sent.text
    assert ("POST", f"/alerts/{ALERT_OPEN}/attend", {}, b"") in padron.sent


def test_an_alert_attended_already_is_refused_with_the_apis_words(staff) -> None:
    c = staff()

    sent = c.post(f"/gestion/alertas/{ALERT_DONE}/atender", data={"_csrf_token": csrf(c)})

    assert sent.status_code == 409
    assert "La alerta ya fue atendida." in sent.text and "Hay un problema" in sent.text


def test_a_pending_fad_shows_the_record_now_beside_the_proposed_change(staff) -> None:
    c = staff()

    page = c.get(f"/gestion/fad/{FAD}")

    assert page.status_code == 200
    assert "Cambios propuestos: antes y después" in page.text
    row = page.text.split('<th scope="row">Dirección</th>')[1].split("</tr>")[0]
    assert "Psje. Arequipa 194" in row and "Calle Mercaderes 427" in row
    assert "Teléfono" not in page.text.split("Decisión")[0].split("Cambios propuestos")[1]


def test_rejecting_a_fad_without_a_reason_is_refused_at_the_reason_with_the_choice_kept(staff) -> None:
    c = staff()

    sent = c.post(f"/gestion/fad/{FAD}", data={"_csrf_token": csrf(c), "decision": "rechazar", "note": " "})

    assert sent.status_code == 422
    assert '<a href="#note">Indique el motivo del rechazo.</a>' in sent.text
    assert 'id="decision-2" name="decision" value="rechazar" checked' in sent.text
    assert 'aria-invalid="true">' in sent.text.split('id="note"')[1].split("</textarea>")[0]


def test_a_fad_decision_without_a_choice_asks_for_one(staff, padron: Padron) -> None:
    c = staff()

    sent = c.post(f"/gestion/fad/{FAD}", data={"_csrf_token": csrf(c), "note": "Visto en campo"})

    assert sent.status_code == 422
    assert '<a href="#decision">Elija si aprueba o rechaza la FAD.</a>' in sent.text
    assert "Visto en campo</textarea>" in sent.text
    assert not [s for s in padron.sent if s[0] == "POST"]


def test_rejecting_a_fad_with_a_reason_sends_it_and_shows_the_fad_again(staff, padron: Padron) -> None:
    c = staff()

    sent = c.post(
        f"/gestion/fad/{FAD}",
        data={"_csrf_token": csrf(c), "decision": "rechazar", "note": "No coincide"},
        follow_redirects=False,
    )

    assert sent.status_code == 303 and sent.headers["location"] == f"/gestion/fad/{FAD}"
    decision = next(s for s in padron.sent if s[0] == "POST")
    assert json.loads(decision[3]) == {"approve": False, "note": "No coincide"}


def test_a_no_conforme_without_observations_is_refused_at_that_requests_field(staff) -> None:
    c = staff()

    sent = c.post(
        f"/gestion/afiliaciones/{AFFILIATION}/decision", data={"_csrf_token": csrf(c), "decision": "NO_CONFORME"}
    )

    assert sent.status_code == 422
    assert f'<a href="#observaciones-{AFFILIATION}">Indique por qué la solicitud no es conforme.</a>' in sent.text
    assert f'id="decision-{AFFILIATION}-2" name="decision" value="NO_CONFORME" checked' in sent.text


def test_a_conforme_decision_goes_to_the_api_and_back_to_the_queue(staff, padron: Padron) -> None:
    c = staff()

    sent = c.post(
        f"/gestion/afiliaciones/{AFFILIATION}/decision",
        data={"_csrf_token": csrf(c), "decision": "CONFORME", "observaciones": ""},
    )

    assert "Solicitud calificada" in sent.text
    decision = next(s for s in padron.sent if s[0] == "POST")
    assert json.loads(decision[3]) == {"state": "CONFORME", "observations": ""}


def test_an_unmet_requirement_is_shown_at_the_field_it_depends_on(staff, padron: Padron) -> None:
    c = staff()
    form = {"_csrf_token": csrf(c), "dni": "70000001", "names": "CCORI, MARÍA", "certificate_severity": "MODERADA"}

    sent = c.post("/gestion/beneficiarios/nuevo", data=form)

    assert sent.status_code == 422
    assert '<a href="#certificate_severity">El certificado de discapacidad debe ser de grado SEVERA.</a>' in sent.text
    assert 'value="MODERADA" selected' in sent.text and 'value="CCORI, MARÍA"' in sent.text
    body = json.loads(next(s for s in padron.sent if s[0] == "POST")[3])
    assert body["other_pension"] is False and "phone" not in body


def test_publishing_a_bad_period_keeps_the_answers_and_a_good_one_opens_the_version(staff, padron: Padron) -> None:
    c = staff("admin")
    form = {"_csrf_token": csrf(c), "resolucion": "R.D. N.° 9-2026", "fecha-resolucion": "2026-09-01"}

    refused = c.post("/gestion/padron/publicar", data=form | {"periodo": "quinto"})
    published = c.post("/gestion/padron/publicar", data=form | {"periodo": "vi-2022"}, follow_redirects=False)

    assert refused.status_code == 422
    assert '<a href="#periodo">Use el bimestre en romanos y el año, por ejemplo V-2022.</a>' in refused.text
    assert 'value="R.D. N.° 9-2026"' in refused.text
    assert published.headers["location"] == "/gestion/padron/VI-2022?publicada=si"
    sent = [json.loads(s[3]) for s in padron.sent if s[0] == "POST"]
    assert sent[-1] == {"period": "VI-2022", "resolution_number": "R.D. N.° 9-2026", "resolution_date": "2026-09-01"}


def test_the_padron_page_lists_versions_and_offers_the_csv_template(staff) -> None:
    c = staff()

    page = c.get("/gestion/padron")
    template = c.get("/static/plantilla-beneficiarios.csv")

    assert '<a href="/gestion/padron/V-2022">V-2022' in page.text and "80 326" in page.text
    assert 'href="/static/plantilla-beneficiarios.csv" download' in page.text
    assert 'enctype="multipart/form-data"' in page.text and "<progress" in page.text
    assert template.text.startswith("dni,names,birth_date,") and len(template.text.strip().split(",")) == 21


def test_an_import_forwards_the_file_and_shows_how_many_were_imported(staff, padron: Padron) -> None:
    c = staff("admin")

    sent = c.post(
        "/gestion/padron/importar",
        data={"_csrf_token": csrf(c)},
        files={"archivo": ("beneficiarios.csv", b"dni,names\n", "text/csv")},
    )

    assert sent.status_code == 200 and "Se importaron 2 beneficiarios." in sent.text
    forwarded = next(s for s in padron.sent if s[1] == "/imports")[3]
    assert b'name="file"; filename="beneficiarios.csv"' in forwarded and b"dni,names\n" in forwarded


def test_a_refused_import_shows_each_bad_row_by_line_and_column(staff, padron: Padron) -> None:
    errors = [{"line": 4, "dni": "123", "errors": {"dni": "El DNI debe tener 8 dígitos."}}]
    body = {"detail": "El archivo tiene 1 fila con errores; no se importó ninguna.", "error_rows": 1, "errors": errors}
    padron.import_answer = httpx.Response(422, json=body)
    c = staff("admin")

    sent = c.post(
        "/gestion/padron/importar", data={"_csrf_token": csrf(c)}, files={"archivo": ("b.csv", b"x", "text/csv")}
    )

    assert sent.status_code == 422
    assert "No se importó nada" in sent.text and "Filas con errores: 1." in sent.text
    assert '<th scope="row">4</th><td>dni</td><td>El DNI debe tener 8 dígitos.</td>' in sent.text


def test_an_import_without_a_file_asks_for_one_without_calling_the_api(staff, padron: Padron) -> None:
    c = staff("admin")

    sent = c.post("/gestion/padron/importar", data={"_csrf_token": csrf(c)}, files={"otro": ("", b"", "text/csv")})

    assert sent.status_code == 422 and "Elija el archivo CSV que quiere importar." in sent.text
    assert not [s for s in padron.sent if s[1] == "/imports"]


def test_the_access_log_passes_its_filters_and_shows_a_bad_date_at_its_field(staff, padron: Padron) -> None:
    c = staff()

    page = c.get("/gestion/registro-de-accesos?usuario=gl040101&desde=2026-12-01&accion=list_beneficiaries")
    refused = c.get("/gestion/registro-de-accesos?desde=ayer")

    query = {"limit": "50", "username": "gl040101", "since": "2026-12-01", "action": "LIST_BENEFICIARIES"}
    assert padron.sent[0][2] == query
    assert "Accesos registrados del usuario gl040101" in page.text and "LIST_BENEFICIARIES" in page.text
    assert "despues=7" in page.text
    assert refused.status_code == 422
    assert '<a href="#desde">Use AAAA-MM-DD o AAAA-MM-DDTHH:MM.</a>' in refused.text


@pytest.mark.parametrize("path", ["/gestion/fad/99999999-9999-4999-8999-999999999999", "/gestion/padron/IX-1999"])
def test_a_fad_or_version_the_api_does_not_know_is_the_spanish_not_found_page(staff, path: str) -> None:
    c = staff()

    page = c.get(path)

    assert page.status_code == 404 and "No se encontró la página" in page.text

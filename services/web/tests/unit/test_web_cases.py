"""The cases pages (CTVC and analysts), with a stand-in of the cases service's public API beside the
shared sign-in one. The stand-in answers in the shapes of services/cases (oficios/api.py and
analysis/api.py) with their Spanish refusals; what the pages send is kept to be checked."""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from litestar.testing import TestClient

from web.app import create_app
from web.config import Settings
from web.security import CSRF_COOKIE

pytestmark = pytest.mark.unit

PASSWORD = "clave-de-prueba-1"
NOW = datetime(2026, 12, 2, 15, 0, tzinfo=UTC)
OFICIO = "11111111-1111-4111-8111-111111111111"
CASE_A = "22222222-2222-4222-8222-222222222222"
CASE_B = "33333333-3333-4333-8333-333333333333"
RESPONSE = "44444444-4444-4444-8444-444444444444"
EXTRA_ACCOUNTS = {
    "ctvc": {"sub": "ctvc-1", "username": "ctvc", "role": "CTVC", "ubigeo": "09"},
    "analista": {"sub": "staff-3", "username": "analista", "role": "ANALYST", "unit": "UAC"},
}
PROVINCES = [{"code": "0901", "name": "Huancavelica"}, {"code": "0907", "name": "Tayacaja"}]
DISTRICTS = {
    "0901": [{"code": "090101", "name": "Huancavelica"}],
    "0907": [{"code": "090701", "name": "Pampas"}, {"code": "090716", "name": "Pazos"}],
}


def refusal(status: int, detail: str, errors: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, json={"detail": detail, "errors": errors})


def summary(case_id: str, number: str, state: str, due_on: str, days_left: int, *, overdue: bool) -> dict:
    return {
        "case_id": case_id,
        "number": number,
        "oficio_id": OFICIO,
        "oficio_number": "OFICIO N° 033-2026-CTVC/HUANCAVELICA",
        "region": "09",
        "region_name": "Huancavelica",
        "ubigeo": "090716",
        "place": "Pazos, Tayacaja, Huancavelica",
        "state": state,
        "due_on": due_on,
        "days_left": days_left,
        "overdue": overdue,
        "unit": "UAC",
    }


EVIDENCE = {
    "case_id": CASE_A,
    "number": "0050-2026-CTVC/HVC",
    "as_of": "2026-11-30",
    "items": [
        {
            "key": "accounts.090716",
            "group": "ACCOUNTS",
            "statement": "El distrito no tiene cuenta de aliado",
            "source": "Servicio de acceso",
            "dated": "2026-11-30",
            "value": 0,
            "source_events": [],
        },
        {
            "key": "trainings.09",
            "group": "TRAININGS",
            "statement": "2 capacitaciones en la región",
            "source": "Capacitaciones",
            "dated": "2026-11-20",
            "value": 2,
            "source_events": [],
        },
    ],
}


@dataclass
class Cases:
    """The cases routes the pages use; ``sent`` keeps (method, path, params, json body)."""

    sent: list[tuple[str, str, dict[str, str], Any]] = field(default_factory=list)
    state: str = "ABIERTO"
    response: dict[str, Any] | None = None

    def detail(self, case_id: str) -> dict[str, Any]:
        analysis = None
        if self.state != "ABIERTO":
            analysis = {
                "findings": [{"point": 1, "text": "Sin cuenta", "evidence": ["accounts.090716"]}],
                "conclusion": "FUNDADO",
                "justification": "El distrito no tenía cuenta.",
                "actions": [
                    {
                        "position": 1,
                        "description": "Crear la cuenta",
                        "owner": "UAC",
                        "owner_name": "Unidad de Acompañamiento",
                        "due_on": "2026-12-31",
                        "status": "PENDIENTE",
                        "status_label": "Pendiente",
                        "status_note": None,
                    }
                ],
                "updated_at": "2026-12-01T15:00:00+00:00",
                "updated_by": "analista",
                "resolved_at": "2026-12-01T15:00:00+00:00",
                "resolved_by": "analista",
                "evidence_as_of": "2026-11-30",
            }
        base = summary(case_id, "0050-2026-CTVC/HVC", self.state, "2026-12-20", 18, overdue=False)
        points = [
            {"position": 1, "category": "SIN_CREDENCIALES", "category_label": "No se entregaron credenciales",
             "description": "No tienen usuario"},
            {"position": 2, "category": "PAGO", "category_label": "Pago de la pensión", "description": "Cobro tardío"},
        ]  # fmt: skip
        return base | {"points": points, "analysis": analysis, "response": self.response}

    def oficio(self) -> dict[str, Any]:
        def case(case_id: str, number: str) -> dict[str, Any]:
            return {
                "case_id": case_id,
                "number": number,
                "ubigeo": "090716",
                "place": "Pazos, Tayacaja, Huancavelica",
                "state": self.state,
                "points": [{"category": "PAGO", "category_label": "Pago de la pensión", "description": "Tarde"}],
                "interviewees": [{"role": "Presidente", "office": "CTVC", "names": None}],
                "timeline": [
                    {"at": "2026-12-01T15:00:00+00:00", "step": "FILED", "detail": "Registrado", "by_user": "ctvc"}
                ],
            }

        return {
            "oficio_id": OFICIO,
            "number": "OFICIO N° 033-2026-CTVC/HUANCAVELICA",
            "region": "09",
            "region_name": "Huancavelica",
            "sent_on": "2026-11-30",
            "received_on": "2026-12-01",
            "sender": "Presidente del CTVC",
            "channel": "WEB",
            "filed_by": "ctvc",
            "due_on": "2026-12-20",
            "overdue": False,
            "unit": None,
            "unit_name": None,
            "routed_on": None,
            "cases": [case(CASE_A, "0050-2026-CTVC/HVC"), case(CASE_B, "0051-2026-CTVC/HVC")],
            "response": self.response,
        }

    def answer(self, request: httpx.Request) -> httpx.Response:
        method, path = request.method, request.url.path.removeprefix("/api")
        body = json.loads(request.content) if request.content else None
        self.sent.append((method, path, dict(request.url.params), body))
        if path.startswith("/ubigeo/regions/09/provinces"):
            return httpx.Response(200, json=PROVINCES)
        if path.startswith("/ubigeo/provinces/"):
            return httpx.Response(200, json=DISTRICTS[path.split("/")[3]])
        route = self.routes().get((method, path))
        return route(body) if route else refusal(404, "No existe.")

    def routes(self) -> dict[tuple[str, str], Any]:
        def ok(status: int, answer: Any) -> Any:
            return lambda body: httpx.Response(status, json=answer)

        queue = [
            summary(CASE_A, "0050-2026-CTVC/HVC", self.state, "2026-12-20", 18, overdue=False),
            summary(CASE_B, "0051-2026-CTVC/HVC", self.state, "2026-11-20", -12, overdue=True),
        ]
        oficio_summary = {k: v for k, v in self.oficio().items() if k not in ("cases", "response", "filed_by")}
        return {
            ("GET", "/oficios"): ok(200, [oficio_summary | {"case_count": 2, "answered": 0}]),
            ("POST", "/oficios"): self.file,
            ("GET", f"/oficios/{OFICIO}"): ok(200, self.oficio()),
            ("POST", f"/oficios/{OFICIO}/routing"): self.route,
            ("POST", f"/oficios/{OFICIO}/response"): self.respond,
            ("GET", "/cases"): ok(200, queue),
            ("GET", f"/cases/{CASE_A}"): ok(200, self.detail(CASE_A)),
            ("GET", f"/cases/{CASE_B}"): ok(200, self.detail(CASE_B)),
            ("GET", f"/cases/{CASE_A}/evidence"): ok(200, EVIDENCE),
            ("PUT", f"/cases/{CASE_A}/analysis"): self.save,
            ("POST", f"/cases/{CASE_A}/resolution"): self.resolve,
            ("GET", "/cases/report"): ok(200, REPORT),
        }

    def file(self, body: dict[str, Any]) -> httpx.Response:
        errors = {}
        for i, case in enumerate(body["cases"]):
            for j, point in enumerate(case["points"]):
                if point["category"] == "":
                    errors[f"cases.{i}.points.{j}.category"] = "Elija una categoría del catálogo."
        if errors:
            return refusal(422, "Revise los datos del oficio.", errors)
        return httpx.Response(201, json=self.oficio())

    def route(self, body: dict[str, Any]) -> httpx.Response:
        if not body["routed_on"]:
            return refusal(422, "Revise la derivación.", {"routed_on": "Este dato es obligatorio."})
        return httpx.Response(200, json=self.oficio())

    def respond(self, body: dict[str, Any]) -> httpx.Response:
        documents = [{"kind": "ANEXO_01", "number": "Anexo 01", "title": "Anexo 01", "code": None}]
        return httpx.Response(202, json={"response_id": RESPONSE, "state": "SOLICITADA", "issued_at": None,
                                         "documents": documents})  # fmt: skip

    def save(self, body: dict[str, Any]) -> httpx.Response:
        if body["actions"] and body["actions"][0]["owner"] == "XX":
            return refusal(422, "Revise el análisis del caso.", {"actions.0.owner": "Elija una unidad."})
        return httpx.Response(200, json=self.detail(CASE_A))

    def resolve(self, body: Any) -> httpx.Response:
        if self.state == "ABIERTO":
            return refusal(422, "Revise el análisis del caso.", {"points.2": "Escriba el hallazgo del punto 2."})
        return httpx.Response(200, json=self.detail(CASE_A))


REPORT = {
    "year": 2026,
    "total": 2,
    "answered": 1,
    "by_region": [{"region": "09", "region_name": "Huancavelica", "cases": 2, "fundado": 1, "infundado": 0, "open": 1}],
    "by_category": [{"category": "PAGO", "label": "Pago de la pensión", "cases": 2}],
    "by_conclusion": [{"conclusion": "FUNDADO", "cases": 1}],
    "days_to_answer": {"answered": 1, "median": 9, "max": 9},
}


@pytest.fixture
def cases() -> Cases:
    return Cases()


@pytest.fixture
def web(stand_in, cases: Cases, monkeypatch):
    """A web application whose gateway is both stand-ins; ``web(username)`` is a signed-in client."""
    # the stand-in's own module namespace (a bare "conftest" name may be another folder's in a whole run)
    accounts = type(stand_in).answer.__globals__["ACCOUNTS"]
    for name, claims in EXTRA_ACCOUNTS.items():
        monkeypatch.setitem(accounts, name, claims)

    def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path.startswith(("/api/oficios", "/api/cases", "/api/ubigeo")):
            return cases.answer(request)
        return stand_in.answer(request)

    gateway = httpx.AsyncClient(transport=httpx.MockTransport(handler), base_url="http://gateway.test")
    settings = Settings(cookie_secret="s" * 32, secure_cookies=False, session_minutes=30)

    def signed_in(username: str) -> TestClient:
        app = create_app(settings, gateway=gateway, clock=lambda: NOW)
        c = clients.enter_context(TestClient(app, base_url="http://testserver.local"))
        c.get("/iniciar-sesion")
        form = {"usuario": username, "contrasena": PASSWORD, "_csrf_token": c.cookies[CSRF_COOKIE]}
        signed = c.post("/iniciar-sesion", data=form, follow_redirects=False)
        assert signed.status_code == 303
        c.landing = signed.headers["location"]  # type: ignore[attr-defined]
        return c

    with contextlib.ExitStack() as clients:
        yield signed_in


def csrf(c: TestClient) -> str:
    return c.cookies[CSRF_COOKIE]


# --- Sign-in and navigation -----------------------------------------------------------------------------


def test_a_ctvc_lands_on_its_cases_and_sees_only_its_link(web) -> None:
    c = web("ctvc")

    page = c.get(c.landing)

    assert c.landing == "/ctvc"
    assert 'class="header__link" href="/ctvc" aria-current="page">Casos CTVC</a>' in page.text
    assert "/evaluacion" not in page.text


def test_an_analyst_lands_on_the_queue_and_sees_cases_and_report(web) -> None:
    c = web("analista")

    page = c.get(c.landing)

    assert c.landing == "/gestion/casos"
    assert 'href="/gestion/casos" aria-current="page">Casos</a>' in page.text
    assert 'href="/gestion/casos/reporte">Reporte de casos</a>' in page.text


def test_an_admin_also_sees_cases(web) -> None:
    page = web("admin").get("/evaluacion")

    assert 'href="/gestion/casos">Casos</a>' in page.text
    assert 'href="/evaluacion" aria-current="page">Evaluación</a>' in page.text


@pytest.mark.parametrize(
    ("username", "path"), [("evaluador", "/gestion/casos"), ("analista", "/ctvc"), ("ctvc", "/gestion/casos/reporte")]
)
def test_each_role_is_told_in_spanish_which_pages_are_not_for_it(web, cases: Cases, username: str, path: str) -> None:
    page = web(username).get(path)

    assert page.status_code == 403
    assert "no tiene permiso" in page.text
    assert cases.sent == []


# --- CTVC -----------------------------------------------------------------------------------------------


def test_the_ctvc_home_lists_oficios_and_cases_and_an_answer_links_to_verification(web, cases: Cases) -> None:
    cases.state = "RESPONDIDO"
    documents = [{"kind": "ANEXO_01", "number": "Anexo 01", "title": "Anexo 01 - Hallazgos", "code": "ABCD-1234"}]
    cases.response = {"response_id": RESPONSE, "state": "EMITIDA", "issued_at": NOW.isoformat(), "documents": documents}

    page = web("ctvc").get("/ctvc")

    assert "OFICIO N° 033-2026-CTVC/HUANCAVELICA" in page.text
    assert "Pazos, Tayacaja, Huancavelica" in page.text
    assert "Respondido" in page.text
    assert "<strong>Fundado</strong>: El distrito no tenía cuenta." in page.text
    assert 'href="/verificar?codigo=ABCD-1234"' in page.text


def test_an_open_overdue_case_says_so_in_words(web) -> None:
    page = web("ctvc").get("/ctvc")

    assert "20/11/2026 (vencido)" in page.text
    assert "20/12/2026 (quedan 18 días)" in page.text


def test_the_new_oficio_form_offers_only_the_districts_of_the_ctvcs_region(web) -> None:
    page = web("ctvc").get("/ctvc/oficios/nuevo")

    assert page.status_code == 200
    assert '<optgroup label="Tayacaja">' in page.text
    assert 'value="090716">Pazos (Tayacaja)' in page.text
    assert "nombres son opcionales" in page.text


def new_oficio_form(c: TestClient, **more: str) -> dict[str, str]:
    return {
        "_csrf_token": csrf(c),
        "number": "OFICIO N° 033-2026-CTVC/HUANCAVELICA",
        "sent_on": "2026-11-30",
        "sender": "Presidente del CTVC",
        "case_rows": "1",
        "cases-0-number": "0050-2026-CTVC/HVC",
        "cases-0-ubigeo": "090716",
        "cases-0-point_rows": "2",
        "cases-0-points-0-category": "PAGO",
        "cases-0-points-0-description": "Cobro tardío",
        "cases-0-person_rows": "1",
        "cases-0-interviewees-0-role": "Presidente",
        "cases-0-interviewees-0-office": "CTVC",
    } | more


def test_adding_a_case_keeps_what_was_typed_and_shows_one_more_blank_case(web, cases: Cases) -> None:
    c = web("ctvc")
    c.get("/ctvc/oficios/nuevo")

    page = c.post("/ctvc/oficios/nuevo", data=new_oficio_form(c, accion="agregar_caso"))

    assert page.status_code == 200
    assert 'value="0050-2026-CTVC/HVC"' in page.text
    assert 'value="090716" selected' in page.text
    assert 'id="cases-1-number"' in page.text
    assert "Caso 2" in page.text
    assert not any(m == "POST" for m, *_ in cases.sent)


def test_adding_a_critical_point_adds_a_row_to_that_case(web) -> None:
    c = web("ctvc")
    c.get("/ctvc/oficios/nuevo")

    page = c.post("/ctvc/oficios/nuevo", data=new_oficio_form(c, accion="agregar_punto-0"))

    assert 'id="cases-0-points-2-category"' in page.text
    assert 'value="Cobro tardío"' in page.text


def test_filing_sends_only_the_filled_rows_and_opens_the_oficio(web, cases: Cases) -> None:
    c = web("ctvc")
    c.get("/ctvc/oficios/nuevo")
    form = new_oficio_form(c, case_rows="2", accion="enviar")  # case 2 and point 2 left blank

    page = c.post("/ctvc/oficios/nuevo", data=form, follow_redirects=False)

    assert page.status_code == 303
    assert page.headers["location"] == f"/ctvc/oficios/{OFICIO}?enviado=1"
    body = next(b for m, p, _, b in cases.sent if (m, p) == ("POST", "/oficios"))
    assert body == {
        "number": "OFICIO N° 033-2026-CTVC/HUANCAVELICA",
        "sent_on": "2026-11-30",
        "sender": "Presidente del CTVC",
        "cases": [
            {
                "number": "0050-2026-CTVC/HVC",
                "ubigeo": "090716",
                "points": [{"category": "PAGO", "description": "Cobro tardío"}],
                "interviewees": [{"role": "Presidente", "office": "CTVC", "names": None}],
            }
        ],
    }


def test_an_error_of_a_later_row_is_shown_at_that_row_and_the_form_is_kept(web) -> None:
    c = web("ctvc")
    c.get("/ctvc/oficios/nuevo")
    form = new_oficio_form(
        c, case_rows="3", **{"cases-2-number": "0051-2026-CTVC/HVC", "cases-2-points-1-description": "Sin usuario"}
    )

    page = c.post("/ctvc/oficios/nuevo", data=form)

    assert page.status_code == 422
    # Sent as cases.1.points.0 (blank rows dropped), shown at the third case's second point.
    assert 'href="#cases-2-points-1-category">Elija una categoría del catálogo.' in page.text
    assert 'id="cases-2-points-1-category-error"' in page.text
    assert 'value="Sin usuario"' in page.text
    assert "<title>Error:" in page.text


def test_an_answered_oficio_shows_the_ctvc_each_conclusion_its_actions_and_verification_links(web, cases) -> None:
    cases.state = "RESPONDIDO"
    documents = [{"kind": "ANEXO_01", "number": "Anexo 01", "title": "Anexo 01 - Hallazgos", "code": "ABCD-1234"}]
    cases.response = {"response_id": RESPONSE, "state": "EMITIDA", "issued_at": NOW.isoformat(), "documents": documents}

    page = web("ctvc").get(f"/ctvc/oficios/{OFICIO}")

    assert "El distrito no tenía cuenta." in page.text
    assert "Crear la cuenta (Unidad de Acompañamiento, plazo 31/12/2026; Pendiente)" in page.text
    assert 'href="/verificar?codigo=ABCD-1234">verificar el documento (código ABCD-1234)' in page.text
    assert "Generando" not in page.text


def test_the_ctvc_oficio_page_shows_cases_points_timeline_and_generating_state(web, cases: Cases) -> None:
    cases.response = {"response_id": RESPONSE, "state": "SOLICITADA", "issued_at": None, "documents": []}

    page = web("ctvc").get(f"/ctvc/oficios/{OFICIO}?enviado=1")

    assert "Oficio registrado" in page.text
    assert "Caso 0051-2026-CTVC/HVC" in page.text
    assert "Pago de la pensión" in page.text
    assert "Registrado" in page.text
    assert "Generando y firmando los documentos" in page.text
    assert f'href="/ctvc/oficios/{OFICIO}">Recargar la página' in page.text


# --- Analysts -------------------------------------------------------------------------------------------


def test_the_queue_is_by_due_date_with_overdue_in_words_and_filters_by_state(web, cases: Cases) -> None:
    page = web("analista").get("/gestion/casos?estado=ABIERTO")

    assert page.text.index("0051-2026-CTVC/HVC") < page.text.index("0050-2026-CTVC/HVC")
    assert "Vencido" in page.text
    assert ("GET", "/cases", {"limit": "200", "state": "ABIERTO"}, None) in cases.sent


def test_the_case_page_groups_evidence_in_spanish_and_offers_it_per_point(web) -> None:
    page = web("analista").get(f"/gestion/casos/{CASE_A}")

    assert "Cuentas de usuario" in page.text
    assert "Capacitaciones" in page.text
    assert "El distrito no tiene cuenta de aliado" in page.text
    assert "<td>20/11/2026</td>" in page.text  # the item's date as read in Peru
    assert 'name="finding-1-evidence" value="accounts.090716"' in page.text
    assert 'name="finding-2-evidence" value="trainings.09"' in page.text
    assert "Guardar borrador" in page.text and "Resolver el caso" in page.text


CITED = ("accounts.090716", "trainings.09")
FORM = {"content-type": "application/x-www-form-urlencoded"}


def analysis_form(c: TestClient, **more: str) -> dict[str, Any]:
    fields = {
        "_csrf_token": csrf(c),
        "finding-1-text": "No tienen cuenta",
        "finding-2-text": "",
        "conclusion": "FUNDADO",
        "justification": "Se confirma.",
        "action_rows": "2",
        "action-0-description": "Crear la cuenta",
        "action-0-owner": "UAC",
        "action-0-due_on": "2026-12-31",
    } | more
    # Two checkboxes of one name: the form carries both values.
    return {"content": urlencode([*fields.items(), *[("finding-1-evidence", k) for k in CITED]]), "headers": FORM}


def test_saving_a_draft_sends_findings_with_cited_evidence_and_actions(web, cases: Cases) -> None:
    c = web("analista")
    c.get(f"/gestion/casos/{CASE_A}")

    page = c.post(f"/gestion/casos/{CASE_A}", **analysis_form(c, accion="guardar"), follow_redirects=False)

    assert page.status_code == 303
    body = next(b for m, p, _, b in cases.sent if m == "PUT")
    assert body["findings"] == [
        {"point": 1, "text": "No tienen cuenta", "evidence": ["accounts.090716", "trainings.09"]},
        {"point": 2, "text": "", "evidence": []},
    ]
    assert body["conclusion"] == "FUNDADO"
    assert body["actions"][0] == {"description": "Crear la cuenta", "owner": "UAC", "due_on": "2026-12-31"}
    assert body["actions"][1] == {"description": "", "owner": "", "due_on": ""}


def test_an_action_refused_is_shown_at_its_row_with_the_form_as_typed(web) -> None:
    c = web("analista")
    c.get(f"/gestion/casos/{CASE_A}")

    page = c.post(f"/gestion/casos/{CASE_A}", **analysis_form(c, **{"action-0-owner": "XX"}))

    assert page.status_code == 422
    assert 'href="#action-0-owner">Elija una unidad.' in page.text
    assert ">No tienen cuenta</textarea>" in page.text
    assert 'value="trainings.09" checked' in page.text


def test_adding_an_action_row_keeps_the_analysis(web, cases: Cases) -> None:
    c = web("analista")
    c.get(f"/gestion/casos/{CASE_A}")

    page = c.post(f"/gestion/casos/{CASE_A}", **analysis_form(c, accion="agregar_accion"))

    assert 'id="action-2-description"' in page.text
    assert 'value="Crear la cuenta"' in page.text
    assert not any(m == "PUT" for m, *_ in cases.sent)


def test_resolving_saves_asks_to_confirm_and_shows_a_missing_finding_at_its_point(web, cases: Cases) -> None:
    c = web("analista")
    c.get(f"/gestion/casos/{CASE_A}")

    asked = c.post(f"/gestion/casos/{CASE_A}", **analysis_form(c, accion="resolver"))
    refused = c.post(f"/gestion/casos/{CASE_A}", data={"_csrf_token": csrf(c), "accion": "confirmar"})

    assert "Confirmar: resolver el caso" in asked.text
    assert any(m == "PUT" for m, *_ in cases.sent)
    assert refused.status_code == 422
    assert 'href="#finding-2-text">Escriba el hallazgo del punto 2.' in refused.text


def test_a_resolved_case_shows_its_findings_and_the_actions_status_form(web, cases: Cases) -> None:
    cases.state = "RESUELTO"

    page = web("analista").get(f"/gestion/casos/{CASE_A}?guardado=resuelto")

    assert "Caso resuelto." in page.text
    assert "Fundado" in page.text
    assert f'action="/gestion/casos/{CASE_A}/acciones/1"' in page.text
    assert 'name="finding-1-text"' not in page.text


def test_routing_refused_keeps_the_unit_and_says_why_at_the_date(web) -> None:
    c = web("analista")
    c.get(f"/gestion/oficios/{OFICIO}")

    page = c.post(f"/gestion/oficios/{OFICIO}/derivar", data={"_csrf_token": csrf(c), "unit": "UAC", "routed_on": ""})

    assert page.status_code == 422
    assert 'href="#routed_on">Este dato es obligatorio.' in page.text
    assert 'value="UAC" selected' in page.text


def test_the_answer_form_appears_only_when_every_case_is_resolved(web, cases: Cases) -> None:
    c = web("analista")
    before = c.get(f"/gestion/oficios/{OFICIO}")
    cases.state = "RESUELTO"
    ready = c.get(f"/gestion/oficios/{OFICIO}")

    assert "Emitir respuesta" not in before.text
    assert "Emitir respuesta" in ready.text


def test_issuing_the_answer_sends_the_signers_and_shows_the_documents_being_made(web, cases: Cases) -> None:
    cases.state = "RESUELTO"
    c = web("analista")
    c.get(f"/gestion/oficios/{OFICIO}")
    form = {
        "_csrf_token": csrf(c),
        "addressee": "Sr. Juan Quispe, Presidente del CTVC",
        "author_name": "Ana Díaz",
        "author_role": "Analista",
        "director_name": "Luis Soto",
        "director_role": "Director Ejecutivo",
    }

    done = c.post(f"/gestion/oficios/{OFICIO}/respuesta", data=form, follow_redirects=False)
    documents = [{"kind": "ANEXO_01", "number": "Anexo 01", "title": "Anexo 01", "code": None}]
    cases.response = {"response_id": RESPONSE, "state": "SOLICITADA", "issued_at": None, "documents": documents}
    page = c.get(done.headers["location"])

    body = next(b for m, p, _, b in cases.sent if p.endswith("/response"))
    assert body == {k: v for k, v in form.items() if k != "_csrf_token"}
    assert "Generando y firmando los documentos" in page.text
    assert "Aún sin emitir" in page.text


def test_the_report_shows_its_four_tables(web, cases: Cases) -> None:
    page = web("analista").get("/gestion/casos/reporte?anio=2026")

    assert ("GET", "/cases/report", {"year": "2026"}, None) in cases.sent
    for caption in ("Casos por región", "Casos por categoría", "Casos por conclusión", "Días hasta la respuesta"):
        assert caption in page.text
    assert '<th scope="row">Huancavelica</th><td>2</td><td>1</td><td>0</td><td>1</td>' in page.text

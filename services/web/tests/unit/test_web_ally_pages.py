"""The allies' pages (panel, beneficiaries, ficha and its forms, padrón, affiliation requests) and the
server-drawn charts, against a stand-in gateway of this module's own (httpx.MockTransport) that
scopes by token as the padrón service does: a municipality its district, staff everything."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from litestar.testing import TestClient

from web.app import create_app
from web.config import Settings
from web.pages.charts import Bar, Chart, draw
from web.pages.dashboard import charts
from web.security import CSRF_COOKIE

pytestmark = pytest.mark.unit

MIRAFLORES = "150122"
BENEFICIARY = "0b8a6a3e-8a51-4c55-9d0e-6c2b0f1a0001"
ELSEWHERE = "0b8a6a3e-8a51-4c55-9d0e-6c2b0f1a0002"
AUTHORIZATION = "7c1d2e3f-0000-4000-8000-000000000001"
PASSWORD = "clave-de-prueba-1"
ACCOUNTS: dict[str, dict[str, Any]] = {
    "muni": {"sub": "a1", "username": "muni", "role": "ALLY", "ally_type": "GOBIERNO_LOCAL", "ubigeo": MIRAFLORES},
    "region": {"sub": "a2", "username": "region", "role": "ALLY", "ally_type": "GOBIERNO_REGIONAL", "ubigeo": "15"},
    "entidad": {"sub": "a3", "username": "entidad", "role": "ALLY", "ally_type": "OTRO_ALIADO", "entity_ruc": "20"},
    "evaluador": {"sub": "s1", "username": "evaluador", "role": "EVALUATOR"},
}
OUTSIDE = "El recurso está fuera de la jurisdicción de su cuenta."
PADRON = {
    "padron_id": "9d1e0000-0000-4000-8000-000000000001",
    "period": "V-2022",
    "published_at": "2022-10-01T15:00:00Z",
    "resolution_date": "2022-09-30",
    "resolution_number": "RD-123-2022-MIDIS/PNPDS-DE",
}


def counts(**blocks: dict[str, int]) -> dict[str, dict[str, int]]:
    return {name: {**states, "total": sum(states.values())} for name, states in blocks.items()}


DISTRICT_TOTALS = counts(
    beneficiaries={"VIGENTE": 1234, "SUSPENDIDO": 56, "DESAFILIADO": 7},
    authorizations={"VIGENTE": 3, "VENCIDA": 1, "REVOCADA": 0},
    affiliation_requests={"PENDIENTE": 2, "CONFORME": 5, "NO_CONFORME": 1},
    alerts={"ABIERTA": 4, "ATENDIDA": 9},
    fads={"PENDIENTE": 1, "APROBADA": 2, "RECHAZADA": 0},
    padron_categories={"CONTINUADOR": 1100, "NUEVO": 80, "REINCORPORADO": 3, "SUSPENDIDO": 56, "DESAFILIADO": 7},
)


def item(beneficiary_id: str, names: str, status: str = "VIGENTE") -> dict[str, Any]:
    return {
        "beneficiary_id": beneficiary_id,
        "dni": "40123456",
        "names": names,
        "birth_date": "1950-01-02",
        "sex": "F",
        "ubigeo": MIRAFLORES,
        "address": "Av. Larco 100",
        "phone": None,
        "contact_name": None,
        "contact_phone": None,
        "status": status,
        "status_reason": None,
        "affiliated_on": "2020-03-04",
    }


def record(beneficiary_id: str) -> dict[str, Any]:
    return item(beneficiary_id, "QUISPE MAMANI, ROSA") | {
        "district": "Miraflores, Lima, Lima",
        "authorization": None,
        "certificate_date": "2019-05-06",
        "certificate_issuer": "Hospital Loayza",
        "certificate_number": "C-1",
        "certificate_severity": "SEVERA",
        "other_pension": False,
        "requirements": {},
        "sisfoh_classification": "POBRE_EXTREMO",
        "sisfoh_expires_on": "2027-01-01",
        "status_changed_at": "2020-03-04T15:00:00Z",
        "status_history": [
            {"status": "VIGENTE", "changed_at": "2020-03-04T15:00:00Z", "changed_by": "carga", "reason": None}
        ],
        "updated_at": "2020-03-04T15:00:00Z",
    }


def refusal(status: int, detail: str, errors: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, json={"detail": detail, "errors": errors})


@dataclass
class Padron:
    """The public API as much as these pages use it, scoped by the caller's token."""

    tokens: dict[str, str] = field(default_factory=dict)
    posted: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    asked: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path, method = request.url.path, request.method
        if method == "POST" and path == "/api/auth/login":
            body = json.loads(request.content)
            self.tokens[body["username"]] = body["username"]
            return httpx.Response(200, json={"access_token": body["username"], "token_type": "Bearer"})
        if path.startswith("/api/ubigeo/"):
            return self.places(path)
        claims = ACCOUNTS.get(request.headers.get("authorization", "").removeprefix("Bearer "))
        if claims is None:
            return refusal(401, "Sesión no válida.")
        if path == "/api/me":
            return httpx.Response(200, json=claims)
        self.asked.append((path, dict(request.url.params)))
        if method == "POST":
            self.posted.append((path, json.loads(request.content)))
            return self.post(path, json.loads(request.content))
        return self.get(path, dict(request.url.params), claims)

    def places(self, path: str) -> httpx.Response:
        found = {
            "/api/ubigeo/regions": [{"code": "15", "name": "Lima"}, {"code": "08", "name": "Cusco"}],
            "/api/ubigeo/regions/15/provinces": [{"code": "1501", "name": "Lima"}],
            "/api/ubigeo/provinces/1501/districts": [{"code": MIRAFLORES, "name": "Miraflores"}],
        }
        return httpx.Response(200, json=found[path]) if path in found else refusal(404, "No existe.")

    # One branch per route of the API, as the real one has.
    def get(self, path: str, params: dict[str, str], claims: dict[str, Any]) -> httpx.Response:  # noqa: PLR0911, PLR0912
        staff = claims["role"] != "ALLY"
        if path == "/api/padron/summary":
            if claims.get("ally_type") == "OTRO_ALIADO":
                totals = {"padron_categories": DISTRICT_TOTALS["padron_categories"]}
                return httpx.Response(
                    200, json={"level": "NACIONAL", "code": None, "name": "Perú", "padron": PADRON, "totals": totals}
                )
            return httpx.Response(
                200,
                json={
                    "level": "DISTRITO",
                    "code": MIRAFLORES,
                    "name": "Miraflores, Lima, Lima",
                    "padron": PADRON,
                    "totals": DISTRICT_TOTALS,
                },
            )
        if path == "/api/padron/regions/08/summary":
            if not staff:
                return refusal(403, OUTSIDE)
            place = {"code": "0801", "name": "Cusco", **DISTRICT_TOTALS}
            return httpx.Response(
                200,
                json={
                    "level": "REGION",
                    "code": "08",
                    "name": "Cusco",
                    "padron": PADRON,
                    "totals": DISTRICT_TOTALS,
                    "provinces": [place],
                    "districts": [place | {"code": "080101"}],
                },
            )
        if path in ("/api/padron/beneficiaries", "/api/padron/beneficiaries.csv"):
            ubigeo = params.get("ubigeo") or claims.get("ubigeo")
            if ubigeo != MIRAFLORES:
                return refusal(403, OUTSIDE)
            if path.endswith(".csv"):
                return httpx.Response(
                    200, text="dni,names\n40123456,QUISPE MAMANI ROSA\n", headers={"content-type": "text/csv"}
                )
            first = "after" not in params
            items = [item(BENEFICIARY, "QUISPE MAMANI, ROSA")] if first else [item(ELSEWHERE[:-1] + "3", "ROJAS, ANA")]
            return httpx.Response(
                200,
                json={
                    "district": {"code": MIRAFLORES, "name": "Miraflores"},
                    "items": items,
                    "next": "c1" if first else None,
                },
            )
        if path == f"/api/padron/beneficiaries/{BENEFICIARY}":
            return httpx.Response(200, json=record(BENEFICIARY))
        if path == f"/api/padron/beneficiaries/{BENEFICIARY}/authorizations":
            step = {
                "action": "OTORGADA",
                "at": "2026-01-02T15:00:00Z",
                "by_user": "muni",
                "reason": None,
                "valid_until": "2026-12-31",
            }
            return httpx.Response(
                200,
                json=[
                    {
                        "authorization_id": AUTHORIZATION,
                        "beneficiary_id": BENEFICIARY,
                        "collector_dni": "41234567",
                        "collector_names": "QUISPE, LUIS",
                        "relationship": "Hijo",
                        "state": "VIGENTE",
                        "valid_from": "2026-01-02",
                        "valid_until": "2026-12-31",
                        "history": [step],
                    }
                ],
            )
        if path.startswith(f"/api/padron/beneficiaries/{ELSEWHERE}"):
            return refusal(403, OUTSIDE) if not staff else refusal(404, "No existe.")
        if path == "/api/padron/versions":
            return httpx.Response(
                200,
                json=[
                    PADRON | {"pension_total": "1", "published_by": "admin", "totals": {"NUEVO": 80, "SUSPENDIDO": 3}}
                ],
            )
        if path == "/api/padron/categories":
            entry = {
                "dni": "4012****",
                "names": "Q*** M*** R***",
                "district": "Miraflores, Lima, Lima",
                "category": params["category"],
            }
            return httpx.Response(
                200, json={"category": params["category"], "items": [entry], "next": None, "padron": PADRON}
            )
        if path == "/api/padron/affiliation-requests":
            request = {
                "affiliation_id": "1",
                "applicant_dni": "45678912",
                "applicant_names": "ROJAS, ANA",
                "state": "NO_CONFORME",
                "submitted_at": "2026-11-30T15:00:00Z",
                "submitted_by": "muni",
                "decided_at": None,
                "decided_by": None,
                "detail": None,
                "observations": "Vive en otro distrito.",
                "ubigeo": MIRAFLORES,
            }
            return httpx.Response(200, json={"items": [request], "next": None})
        return refusal(404, "No existe.")

    def post(self, path: str, body: dict[str, Any]) -> httpx.Response:  # noqa: PLR0911
        if path.endswith("/alerts"):
            if not body.get("detail"):
                return refusal(422, "Revise los datos de la alerta.", {"detail": "Describa la alerta."})
            return httpx.Response(201, json={"alert_id": "1"})
        if path.endswith("/fad"):
            if not body["changes"]:
                return refusal(
                    422, "La FAD no propone ningún cambio.", {"changes": "Indique al menos un dato a actualizar."}
                )
            if "phone" in body["changes"] and not body["changes"]["phone"].isdigit():
                return refusal(422, "Revise los datos de la FAD.", {"changes.phone": "Teléfono no válido."})
            return httpx.Response(201, json={"fad_id": "1", "state": "PENDIENTE"})
        if path.endswith("/revoke"):
            return refusal(409, "La autorización ya estaba revocada.")
        if path == "/api/padron/affiliation-requests":
            if len(body["applicant_dni"]) != 8:
                return refusal(422, "Revise la solicitud.", {"applicant_dni": "El DNI debe tener 8 dígitos."})
            return httpx.Response(201, json={"id": "1", "state": "PENDIENTE"})
        return httpx.Response(200, json={})


OPEN: list[TestClient] = []


def signed_in(gateway: Padron, username: str) -> TestClient:
    """A browser signed in as ``username`` (closed at the end of the test by ``gateway``)."""
    web = create_app(
        Settings(cookie_secret="s" * 32, secure_cookies=False),
        gateway=httpx.AsyncClient(transport=httpx.MockTransport(gateway), base_url="http://gateway"),
    )
    c = TestClient(web)
    c.__enter__()
    OPEN.append(c)
    c.get("/iniciar-sesion")
    answer = c.post(
        "/iniciar-sesion",
        data={"usuario": username, "contrasena": PASSWORD, "_csrf_token": c.cookies[CSRF_COOKIE]},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    return c


@pytest.fixture
def gateway() -> Iterator[Padron]:
    yield Padron()
    while OPEN:
        OPEN.pop().__exit__(None, None, None)


def post(c: TestClient, path: str, data: dict[str, str]) -> httpx.Response:
    return c.post(path, data={**data, "_csrf_token": c.cookies[CSRF_COOKIE]}, follow_redirects=False)


def texts(html: str, pattern: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", m).strip() for m in re.findall(pattern, html, flags=re.S)]


# --- charts ---------------------------------------------------------------------------------------------


CHART = Chart(
    key="usuarios",
    title="Usuarios del programa por estado",
    bars=(Bar("Vigente", 80326), Bar("Suspendido", 0), Bar("Desafiliado", 12)),
)


def test_a_chart_is_one_image_named_by_its_title() -> None:
    svg = draw(CHART)

    assert svg.startswith('<svg class="chart" role="img" aria-labelledby="grafico-usuarios-titulo"')
    assert '<title id="grafico-usuarios-titulo">Usuarios del programa por estado</title>' in svg


def test_each_bar_says_its_name_and_its_number_in_text() -> None:
    svg = draw(CHART)

    assert texts(svg, r'<text class="chart__label"[^>]*>(.*?)</text>') == ["Vigente", "Suspendido", "Desafiliado"]
    assert texts(svg, r'<text class="chart__number"[^>]*>(.*?)</text>') == ["80,326", "0", "12"]


def test_bars_are_as_long_as_their_numbers_and_the_longest_fills_the_room() -> None:
    widths = [int(w) for w in re.findall(r'<rect[^>]* width="(\d+)"', str(draw(CHART)))]

    assert widths[0] == max(widths) and widths[2] < widths[0] // 100 + 3
    assert widths[1] == 2  # a zero still shows, as a sliver


def test_the_table_under_a_chart_holds_the_same_numbers_and_the_total() -> None:
    svg = draw(CHART)
    drawn = texts(svg, r'<text class="chart__number"[^>]*>(.*?)</text>')

    assert [row[1] for row in CHART.rows[:-1]] == drawn
    assert CHART.rows[-1] == ["Total", "80,338"]


def test_labels_are_escaped_in_the_drawing() -> None:
    svg = draw(Chart(key="x", title="A & <B>", bars=(Bar("<i>", 1),)))

    assert "<i>" not in svg and "&lt;i&gt;" in svg and "A &amp; &lt;B&gt;" in svg


def test_the_panel_draws_a_chart_for_each_block_the_api_counted() -> None:
    drawn = charts({"padron_categories": DISTRICT_TOTALS["padron_categories"]})

    assert [c.key for c in drawn] == ["padron-categories"]
    assert [b.value for b in drawn[0].bars] == [1100, 80, 3, 56, 7]


# --- panel ----------------------------------------------------------------------------------------------


def table_numbers(html: str, table_id: str) -> dict[str, str]:
    table = re.search(rf'<table class="table" id="{table_id}">(.*?)</table>', html, flags=re.S)
    assert table, table_id
    return dict(re.findall(r'<th scope="row">(.*?)</th><td class="table__number">(.*?)</td>', table.group(1)))


def test_a_municipality_lands_on_its_panel_with_every_count_in_a_chart_and_its_table(gateway) -> None:
    c = signed_in(gateway, "muni")
    page = c.get("/panel")

    assert page.status_code == 200
    assert "Panel de Miraflores, Lima, Lima" in page.text
    assert "periodo V-2022, aprobado con la resolución RD-123-2022-MIDIS/PNPDS-DE del 30/09/2022" in page.text
    assert table_numbers(page.text, "tabla-beneficiaries") == {
        "Vigente": "1,234",
        "Suspendido": "56",
        "Desafiliado": "7",
        "Total": "1,297",
    }
    assert table_numbers(page.text, "tabla-affiliation-requests") == {
        "Conformes": "5",
        "No conformes": "1",
        "Pendientes": "2",
        "Total": "8",
    }
    for key in ("authorizations", "alerts", "fads", "padron-categories"):
        assert f'aria-labelledby="grafico-{key}-titulo"' in page.text
    assert page.text.count('role="img"') == 6


def test_signing_in_as_an_ally_goes_to_the_panel(gateway) -> None:
    web = create_app(
        Settings(cookie_secret="s" * 32, secure_cookies=False),
        gateway=httpx.AsyncClient(transport=httpx.MockTransport(gateway), base_url="http://gateway"),
    )
    with TestClient(web) as c:
        c.get("/iniciar-sesion")
        form = {"usuario": "region", "contrasena": PASSWORD, "_csrf_token": c.cookies[CSRF_COOKIE]}
        assert c.post("/iniciar-sesion", data=form, follow_redirects=False).headers["location"] == "/panel"


def test_another_ally_sees_only_the_padrons_categories(gateway) -> None:
    page = signed_in(gateway, "entidad").get("/panel")

    assert page.status_code == 200
    assert page.text.count('role="img"') == 1
    assert table_numbers(page.text, "tabla-padron-categories")["Continuador"] == "1,100"


def test_staff_pick_a_region_and_see_it_by_province_and_district(gateway) -> None:
    page = signed_in(gateway, "evaluador").get("/panel", params={"region": "08"})

    assert page.status_code == 200
    assert "Panel de Cusco" in page.text
    assert '<option value="08" selected>Cusco</option>' in page.text
    assert "Usuarios por provincia" in page.text and "Usuarios por distrito" in page.text
    assert 'href="/beneficiarios?ubigeo=080101"' in page.text


def test_a_municipality_asking_for_another_region_by_address_gets_a_spanish_403_page(gateway) -> None:
    page = signed_in(gateway, "muni").get("/panel", params={"region": "08"})

    assert page.status_code == 403
    assert "No tiene permiso para ver esta página" in page.text and OUTSIDE in page.text


# --- beneficiaries ---------------------------------------------------------------------------------------


def test_a_municipality_lists_its_district_with_a_status_filter_and_pages_on(gateway) -> None:
    c = signed_in(gateway, "muni")
    page = c.get("/beneficiarios", params={"estado": "SUSPENDIDO"})

    assert page.status_code == 200
    assert "Usuarios del programa en Miraflores" in page.text
    assert f'href="/beneficiarios/{BENEFICIARY}"' in page.text
    assert 'href="/beneficiarios?estado=SUSPENDIDO&amp;after=c1"' in page.text
    assert 'href="/beneficiarios/descarga?estado=SUSPENDIDO"' in page.text
    assert gateway.asked[-1] == ("/api/padron/beneficiaries", {"status": "SUSPENDIDO", "limit": "50"})

    second = c.get("/beneficiarios", params={"estado": "SUSPENDIDO", "after": "c1"})
    assert "ROJAS, ANA" in second.text and "Siguiente" not in second.text and "Primera página" in second.text


def test_the_csv_download_streams_the_apis_file_with_the_same_filter(gateway) -> None:
    answer = signed_in(gateway, "muni").get("/beneficiarios/descarga", params={"estado": "VIGENTE"})

    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    assert answer.headers["content-disposition"] == 'attachment; filename="beneficiarios-150122-vigente.csv"'
    assert answer.text.startswith("dni,names")
    assert gateway.asked[-1] == ("/api/padron/beneficiaries.csv", {"status": "VIGENTE"})


def test_another_districts_list_by_address_is_a_spanish_403_page(gateway) -> None:
    c = signed_in(gateway, "muni")

    for path in ("/beneficiarios?ubigeo=080101", "/beneficiarios/descarga?ubigeo=080101"):
        page = c.get(path)
        assert page.status_code == 403, path
        assert "No tiene permiso para ver esta página" in page.text and OUTSIDE in page.text


def test_staff_pick_region_province_and_district_before_a_list(gateway) -> None:
    c = signed_in(gateway, "evaluador")
    first = c.get("/beneficiarios")
    assert "Elija la región, la provincia y el distrito" in first.text and 'id="provincia"' not in first.text

    chosen = c.get("/beneficiarios", params={"region": "15", "provincia": "1501"})
    assert 'id="provincia"' in chosen.text and f'<option value="{MIRAFLORES}">Miraflores</option>' in chosen.text

    listed = c.get("/beneficiarios", params={"ubigeo": MIRAFLORES})
    assert "QUISPE MAMANI, ROSA" in listed.text
    assert f'<option value="{MIRAFLORES}" selected>Miraflores</option>' in listed.text


def test_the_regional_government_and_other_allies_have_no_beneficiary_list(gateway) -> None:
    for username in ("region", "entidad"):
        assert signed_in(gateway, username).get("/beneficiarios").status_code == 403


def test_the_ficha_shows_the_person_and_the_authorizations_with_their_history(gateway) -> None:
    page = signed_in(gateway, "muni").get(f"/beneficiarios/{BENEFICIARY}")

    assert page.status_code == 200
    assert "Ficha de QUISPE MAMANI, ROSA" in page.text
    assert "QUISPE, LUIS (DNI 41234567): vigente" in page.text
    assert "hasta el 31/12/2026" in page.text
    for form in ("alerta", "fad", "autorizaciones", f"autorizaciones/{AUTHORIZATION}/renovar"):
        assert f'action="/beneficiarios/{BENEFICIARY}/{form}"' in page.text
    assert "Cambiar el estado del usuario" not in page.text


def test_staff_also_get_the_status_change_form_without_the_current_status(gateway) -> None:
    page = signed_in(gateway, "evaluador").get(f"/beneficiarios/{BENEFICIARY}")

    assert "Cambiar el estado del usuario" in page.text
    assert 'value="SUSPENDIDO"' in page.text and 'value="VIGENTE"' not in page.text.split("cambiar-estado")[1]


def test_another_districts_beneficiary_by_address_is_a_spanish_page_not_a_crash(gateway) -> None:
    page = signed_in(gateway, "muni").get(f"/beneficiarios/{ELSEWHERE}")
    assert page.status_code == 403 and OUTSIDE in page.text

    missing = signed_in(gateway, "evaluador").get(f"/beneficiarios/{ELSEWHERE}")
    assert missing.status_code == 404 and "No se encontró lo que busca" in missing.text


def test_an_alert_is_sent_and_the_ficha_says_so(gateway) -> None:
    c = signed_in(gateway, "muni")
    c.get(f"/beneficiarios/{BENEFICIARY}")
    answer = post(
        c,
        f"/beneficiarios/{BENEFICIARY}/alerta",
        {"alerta-tipo": "NO_COBRA", "alerta-detalle": " No cobra hace 2 meses. "},
    )

    assert answer.status_code == 303
    assert answer.headers["location"] == f"/beneficiarios/{BENEFICIARY}?hecho=alerta"
    assert gateway.posted[-1] == (
        f"/api/padron/beneficiaries/{BENEFICIARY}/alerts",
        {"alert_type": "NO_COBRA", "detail": "No cobra hace 2 meses."},
    )
    assert "Se registró la alerta" in c.get(answer.headers["location"]).text


def test_a_refused_alert_is_shown_at_its_field_with_the_answers_kept(gateway) -> None:
    c = signed_in(gateway, "muni")
    c.get(f"/beneficiarios/{BENEFICIARY}")
    page = post(c, f"/beneficiarios/{BENEFICIARY}/alerta", {"alerta-tipo": "EN_RIESGO", "alerta-detalle": ""})

    assert page.status_code == 422
    assert "<title>Error: Ficha de" in page.text
    assert '<a href="#alerta-detalle">Describa la alerta.</a>' in page.text
    assert 'id="alerta-detalle-error"' in page.text
    assert re.search(r'id="alerta-tipo-4" name="alerta-tipo" value="EN_RIESGO"\s*checked', page.text)


def test_a_fad_proposes_only_what_was_filled(gateway) -> None:
    c = signed_in(gateway, "muni")
    c.get(f"/beneficiarios/{BENEFICIARY}")
    typed = {
        "fad-direccion": "Jr. Tacna 200",
        "fad-autorizado-dni": "41234567",
        "fad-autorizado-nombres": "QUISPE, LUIS",
        "fad-autorizado-parentesco": "Hijo",
    }
    answer = post(c, f"/beneficiarios/{BENEFICIARY}/fad", typed)

    assert answer.status_code == 303
    changes = {
        "address": "Jr. Tacna 200",
        "authorized_person": {"dni": "41234567", "names": "QUISPE, LUIS", "relationship": "Hijo"},
    }
    assert gateway.posted[-1] == (f"/api/padron/beneficiaries/{BENEFICIARY}/fad", {"changes": changes})


def test_a_refused_fad_lands_at_the_field_the_api_names(gateway) -> None:
    c = signed_in(gateway, "muni")
    c.get(f"/beneficiarios/{BENEFICIARY}")
    page = post(c, f"/beneficiarios/{BENEFICIARY}/fad", {"fad-telefono": "abc", "fad-contacto": "Ana"})

    assert page.status_code == 422
    assert '<a href="#fad-telefono">Teléfono no válido.</a>' in page.text
    assert 'value="abc"' in page.text and 'value="Ana"' in page.text

    empty = post(c, f"/beneficiarios/{BENEFICIARY}/fad", {})
    assert '<a href="#fad-direccion">Indique al menos un dato a actualizar.</a>' in empty.text


def test_a_conflict_without_fields_is_shown_at_the_forms_first_input(gateway) -> None:
    c = signed_in(gateway, "muni")
    c.get(f"/beneficiarios/{BENEFICIARY}")
    page = post(
        c,
        f"/beneficiarios/{BENEFICIARY}/autorizaciones/{AUTHORIZATION}/revocar",
        {f"revocar-{AUTHORIZATION}": "Ya no cobra"},
    )

    assert page.status_code == 422
    assert f'<a href="#revocar-{AUTHORIZATION}">La autorización ya estaba revocada.</a>' in page.text


def test_an_authorization_is_granted_and_renewed_with_the_apis_field_names(gateway) -> None:
    c = signed_in(gateway, "muni")
    c.get(f"/beneficiarios/{BENEFICIARY}")
    typed = {
        "otorgar-dni": "41234567",
        "otorgar-nombres": "QUISPE, LUIS",
        "otorgar-parentesco": "Hijo",
        "otorgar-desde": "2026-12-01",
        "otorgar-hasta": "2027-05-31",
    }
    granted = post(c, f"/beneficiarios/{BENEFICIARY}/autorizaciones", typed)

    assert granted.headers["location"] == f"/beneficiarios/{BENEFICIARY}?hecho=autorizacion"
    body = {
        "collector_dni": "41234567",
        "collector_names": "QUISPE, LUIS",
        "relationship": "Hijo",
        "valid_from": "2026-12-01",
        "valid_until": "2027-05-31",
    }
    assert gateway.posted[-1] == (f"/api/padron/beneficiaries/{BENEFICIARY}/authorizations", body)

    renewed = post(
        c,
        f"/beneficiarios/{BENEFICIARY}/autorizaciones/{AUTHORIZATION}/renovar",
        {f"renovar-{AUTHORIZATION}": "2027-12-31"},
    )
    assert renewed.headers["location"] == f"/beneficiarios/{BENEFICIARY}?hecho=renovacion"
    assert gateway.posted[-1] == (f"/api/padron/authorizations/{AUTHORIZATION}/renew", {"valid_until": "2027-12-31"})
    assert "Se renovó la autorización de cobro." in c.get(renewed.headers["location"]).text


def test_only_staff_may_change_a_status(gateway) -> None:
    c = signed_in(gateway, "muni")
    c.get(f"/beneficiarios/{BENEFICIARY}")
    assert post(c, f"/beneficiarios/{BENEFICIARY}/estado", {"estado": "SUSPENDIDO"}).status_code == 403

    staff = signed_in(gateway, "evaluador")
    staff.get(f"/beneficiarios/{BENEFICIARY}")
    answer = post(staff, f"/beneficiarios/{BENEFICIARY}/estado", {"estado": "SUSPENDIDO", "estado-motivo": "No cobra"})
    assert answer.status_code == 303
    assert gateway.posted[-1] == (
        f"/api/padron/beneficiaries/{BENEFICIARY}/status",
        {"status": "SUSPENDIDO", "reason": "No cobra"},
    )


# --- padrón and affiliation requests ----------------------------------------------------------------------


def test_another_ally_sees_the_padron_masked_as_the_api_gives_it_with_a_csv(gateway) -> None:
    page = signed_in(gateway, "entidad").get("/padron", params={"categoria": "NUEVO", "periodo": "V-2022"})

    assert page.status_code == 200
    assert "Padrón: Nuevo" in page.text and "Q*** M*** R***" in page.text and "4012****" in page.text
    assert '<option value="V-2022" selected>' in page.text
    assert 'href="/padron/descarga?categoria=NUEVO&amp;periodo=V-2022"' in page.text
    assert gateway.asked[-1] == ("/api/padron/categories", {"category": "NUEVO", "limit": "50", "period": "V-2022"})


def test_the_padron_opens_on_the_first_category_with_people(gateway) -> None:
    page = signed_in(gateway, "muni").get("/padron")

    assert "Padrón: Nuevo" in page.text
    assert gateway.asked[-1] == ("/api/padron/categories", {"category": "NUEVO", "limit": "50"})
    assert 'href="/padron/descarga?categoria=NUEVO"' in page.text


def test_a_municipality_sees_its_affiliation_requests_and_sends_a_new_one(gateway) -> None:
    c = signed_in(gateway, "muni")
    listed = c.get("/afiliaciones")
    assert "ROJAS, ANA" in listed.text and "No conforme" in listed.text and "Vive en otro distrito." in listed.text

    c.get("/afiliaciones/nueva")
    refused = post(c, "/afiliaciones/nueva", {"solicitud-dni": "123", "solicitud-nombres": "ROJAS, ANA"})
    assert refused.status_code == 422
    assert (
        '<a href="#solicitud-dni">El DNI debe tener 8 dígitos.</a>' in refused.text
        and 'value="ROJAS, ANA"' in refused.text
    )

    sent = post(
        c,
        "/afiliaciones/nueva",
        {"solicitud-dni": "45678912", "solicitud-nombres": "ROJAS, ANA", "solicitud-detalle": ""},
    )
    assert sent.status_code == 303 and sent.headers["location"] == "/afiliaciones?hecho=enviada"
    assert gateway.posted[-1][1] == {"applicant_dni": "45678912", "applicant_names": "ROJAS, ANA", "detail": None}
    assert "Se envió la solicitud de afiliación" in c.get(sent.headers["location"]).text


def test_only_a_municipality_has_affiliation_requests_here(gateway) -> None:
    assert signed_in(gateway, "region").get("/afiliaciones").status_code == 403
    assert signed_in(gateway, "evaluador").get("/afiliaciones").status_code == 403

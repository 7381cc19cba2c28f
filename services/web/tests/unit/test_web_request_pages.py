"""The request pages against a stand-in gateway (httpx.MockTransport): what they send to the public
API, and how its refusals land on the form."""

from __future__ import annotations

import json
import re

import httpx
import pytest
from litestar.testing import TestClient

from web.app import create_app
from web.config import Settings
from web.security import CSRF_COOKIE

pytestmark = pytest.mark.unit

REQUEST_ID = "6e445e76-0a65-4495-b543-99aa96b9fd2d"
REGIONS = [{"code": "09", "name": "Huancavelica"}, {"code": "15", "name": "Lima"}]
PROVINCES = [{"code": "0901", "name": "Huancavelica"}]
DISTRICTS = [{"code": "090101", "name": "Huancavelica"}, {"code": "090102", "name": "Acobambilla"}]


def view(form: dict) -> dict:
    return {
        "id": REQUEST_ID,
        "code": "SA-2026-K7QX-9M2P",
        "ally_type": form["ally_type"],
        "ally_type_label": "Gobierno Local",
        "jurisdiction_label": "Huancavelica, Huancavelica, Huancavelica",
        "state": "DRAFT",
        "state_label": "Borrador",
        "form": form,
    }


PLACES = {
    "/api/ubigeo/regions": REGIONS,
    "/api/ubigeo/regions/09/provinces": PROVINCES,
    "/api/ubigeo/provinces/0901/districts": DISTRICTS,
}


class Gateway:
    """Answers like the gateway; ``refuse`` maps a path to the (status, body) it answers instead."""

    def __init__(self, refuse: dict[str, tuple[int, dict]] | None = None) -> None:
        self.refuse = refuse or {}
        self.sent: list[tuple[str, str, dict | None]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.raw_path.decode().split("?", 1)[0]  # as sent, %-escapes kept
        body = json.loads(request.content) if request.content else None
        self.sent.append((request.method, path, body))
        if path in self.refuse:
            status, answer = self.refuse[path]
            return httpx.Response(status, json=answer)
        if path in PLACES:
            return httpx.Response(200, json=PLACES[path])
        if path.startswith("/api/dni/"):
            return httpx.Response(200, json={"dni": path.rsplit("/", 1)[1], "names": "RIVERA LUNA, JUAN JULIO"})
        if path == "/api/access-requests" and request.method == "POST":
            return httpx.Response(201, json=view(body))
        return httpx.Response(404, json={"detail": "No existe."})


def client(gateway: Gateway) -> TestClient:
    transport = httpx.MockTransport(gateway)
    web = create_app(
        Settings(cookie_secret="s" * 32, secure_cookies=False),
        gateway=httpx.AsyncClient(transport=transport, base_url="http://gateway"),
    )
    return TestClient(web)


def post(c: TestClient, path: str, data: dict) -> httpx.Response:
    c.get("/solicitar-acceso")
    return c.post(path, data={**data, "_csrf_token": c.cookies[CSRF_COOKIE]}, follow_redirects=False)


def test_saving_sends_the_typed_answers_as_the_apis_form_and_goes_to_the_saved_page() -> None:
    gateway = Gateway()
    typed = {
        "tipo": "GOBIERNO_LOCAL",
        "region": "09",
        "province": "0901",
        "district": "090101",
        "authority.dni": "28181467",
        "authority.mobile": " 987654321 ",
        "responsible.office": "OMAPED",
        "accion": "guardar",
    }
    with client(gateway) as c:
        response = post(c, "/solicitar-acceso/datos", typed)

    assert response.status_code == 303
    assert response.headers["location"] == f"/solicitud/{REQUEST_ID}/guardada"
    method, _path, form = next(s for s in gateway.sent if s[1] == "/api/access-requests")
    assert method == "POST"
    assert form["ally_type"] == "GOBIERNO_LOCAL" and form["ubigeo"] == "090101"
    assert form["authority"]["dni"] == "28181467" and form["authority"]["mobile"] == "987654321"
    assert form["authority"]["names"] is None
    assert form["responsible"]["office"] == "OMAPED"


def test_a_refusal_shows_the_apis_detail_and_each_error_at_its_field_in_the_same_words() -> None:
    refusal = {
        "detail": "Hay errores en el formulario.",
        "errors": {"authority.dni": "El DNI debe tener 8 dígitos.", "ubigeo": "Seleccione el distrito."},
    }
    gateway = Gateway(refuse={"/api/access-requests": (422, refusal)})
    typed = {"tipo": "GOBIERNO_LOCAL", "authority.dni": "123", "responsible.office": "OMAPED", "accion": "guardar"}
    with client(gateway) as c:
        response = post(c, "/solicitar-acceso/datos", typed)

    assert response.status_code == 422
    page = response.text
    assert "<p>Hay errores en el formulario.</p>" in page
    assert '<a href="#authority.dni">El DNI debe tener 8 dígitos.</a>' in page
    assert 'id="authority.dni-error"><span class="visually-hidden">Error:</span> El DNI debe tener 8 dígitos.' in page
    assert '<a href="#district">Seleccione el distrito.</a>' in page
    assert re.search(r'id="authority.dni" name="authority.dni" value="123"', page)
    assert 'value="OMAPED"' in page
    assert "<title>Error: " in page


def test_the_district_list_appears_once_the_province_is_chosen_and_a_stale_one_is_dropped() -> None:
    gateway = Gateway()
    with client(gateway) as c:
        chosen = post(c, "/solicitar-acceso/datos", {"tipo": "GOBIERNO_LOCAL", "region": "09", "province": "0901"})
        moved = post(
            c,
            "/solicitar-acceso/datos",
            {"tipo": "GOBIERNO_LOCAL", "region": "15", "province": "0901", "district": "090101"},
        )

    assert 'id="district"' in chosen.text and "Acobambilla" in chosen.text
    assert 'id="province"' not in moved.text and 'id="district"' not in moved.text


def test_looking_up_names_fills_them_and_keeps_the_rest() -> None:
    gateway = Gateway()
    typed = {"tipo": "GOBIERNO_LOCAL", "authority.dni": "28181467", "authority.mobile": "987654321"}
    with client(gateway) as c:
        response = post(c, "/solicitar-acceso/datos", {**typed, "accion": "buscar-authority"})

    assert response.status_code == 200
    assert 'value="RIVERA LUNA, JUAN JULIO"' in response.text
    assert 'value="987654321"' in response.text


def test_a_wrong_code_shows_the_apis_words_linking_to_the_code() -> None:
    words = "No encontramos una solicitud con ese código y DNI de la autoridad."
    gateway = Gateway(refuse={"/api/access-requests/resume": (404, {"detail": words})})
    with client(gateway) as c:
        response = post(c, "/continuar-solicitud", {"code": "SA-2026-0000-0000", "authority_dni": "28181467"})

    assert response.status_code == 422
    assert f'<a href="#code">{words}</a>' in response.text
    assert 'value="SA-2026-0000-0000"' in response.text


def test_a_gateway_that_fails_gives_the_spanish_unavailable_page() -> None:
    gateway = Gateway(refuse={"/api/ubigeo/regions": (500, {"detail": "boom"})})
    with client(gateway) as c:
        response = c.get("/solicitar-acceso/datos?tipo=GOBIERNO_LOCAL")

    assert response.status_code == 503
    assert "El servicio no está disponible" in response.text


def test_an_unknown_request_or_type_is_not_found() -> None:
    with client(Gateway()) as c:
        assert c.get(f"/solicitud/{REQUEST_ID}/revisar").status_code == 404
        assert c.get("/solicitar-acceso/pasos?tipo=OTRO").status_code == 404


@pytest.mark.parametrize(
    ("kind", "present", "absent"),
    [
        ("GOBIERNO_REGIONAL", ['id="region"'], ['id="province"', 'id="entity.name"']),
        ("GOBIERNO_LOCAL", ['id="region"', "Mostrar las provincias"], ['id="entity.name"']),
        ("OTRO_ALIADO", ['id="entity.name"', 'id="entity.ruc"'], ['id="region"']),
    ],
)
def test_each_access_type_asks_for_its_own_place_or_entity(kind: str, present: list[str], absent: list[str]) -> None:
    with client(Gateway()) as c:
        page = c.get(f"/solicitar-acceso/datos?tipo={kind}").text

    for text in present:
        assert text in page
    for text in absent:
        assert text not in page
    assert 'id="authority.dni"' in page and 'id="responsible.position"' in page


def test_an_entitys_answers_are_sent_as_the_apis_entity() -> None:
    gateway = Gateway()
    typed = {"tipo": "OTRO_ALIADO", "entity.name": "CONADIS", "entity.ruc": "20123456789", "accion": "guardar"}
    with client(gateway) as c:
        post(c, "/solicitar-acceso/datos", {**typed, "authority.dni": "28181467"})

    form = next(s[2] for s in gateway.sent if s[1] == "/api/access-requests")
    assert form["entity"] == {"name": "CONADIS", "ruc": "20123456789"}
    assert "ubigeo" not in form


def test_a_typed_dni_stays_one_segment_of_the_lookup_path() -> None:
    gateway = Gateway()
    with client(gateway) as c:
        post(
            c,
            "/solicitar-acceso/datos",
            {"tipo": "GOBIERNO_LOCAL", "authority.dni": "../x", "accion": "buscar-authority"},
        )

    assert any(s[1] == "/api/dni/..%2Fx" for s in gateway.sent), gateway.sent

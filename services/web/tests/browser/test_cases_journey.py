"""Journey: a CTVC's oficio with two cases of Huancavelica is routed, analysed with the evidence, resolved
(one FUNDADO, one INFUNDADO) and answered, in a real Chromium against the live embedded system, with
JavaScript and without it; axe checks every cases page.

What it does not do yet (see the report of the branch): the demo accounts ``ctvc`` and ``analista`` are
not on this branch, so the oficio of each run is filed through the API by ``admin`` as a paper oficio of
region 09 (the CTVC's filing form is covered by the web's unit tests), and ``admin`` does the analyst's
part. The documents service does not yet render a CaseResponseRequested, so the answer stays
"Generando y firmando los documentos…": the test checks that state and its reload link, not the codes.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import date, timedelta

import httpx
import pytest
from playwright.sync_api import Page, expect
from testkit.api_steps import staff_token

pytestmark = pytest.mark.integration

RUNS = ("con-js", "sin-js")
DISTRICTS = ("090101", "090701")


def case_number() -> str:
    return f"{secrets.randbelow(9000) + 1000:04d}-{date.today().year}-CTVC/HVC"


@pytest.fixture(scope="module")
def oficios(live) -> Iterator[dict[str, dict]]:
    """For each run, an oficio of Huancavelica with two cases (one per district), as the API answered it."""
    with httpx.Client(base_url=live.url, timeout=60) as c:
        headers = {"Authorization": f"Bearer {staff_token(c, live.staff_password, 'admin')}"}
        found = {}
        for run in RUNS:
            body = {
                "number": f"OFICIO N° {secrets.randbelow(900) + 100}-{date.today().year}-CTVC/HUANCAVELICA ({run})",
                "sent_on": (date.today() - timedelta(days=2)).isoformat(),
                "sender": "Presidente del CTVC Huancavelica",
                "region": "09",
                "cases": [
                    {
                        "number": case_number(),
                        "ubigeo": district,
                        "points": [
                            {"category": "SIN_CREDENCIALES", "description": "La OMAPED no tiene usuario."},
                            {"category": "PAGO", "description": "Usuarios no cobran hace dos periodos."},
                        ],
                        "interviewees": [{"role": "Responsable", "office": "OMAPED"}],
                    }
                    for district in DISTRICTS
                ],
            }
            filed = c.post("/api/oficios", json=body, headers=headers)
            assert filed.status_code == 201, filed.text
            found[run] = filed.json()
        yield found


def sign_in_as_admin(person: Page, live) -> None:
    person.goto(f"{live.url}/iniciar-sesion")
    person.get_by_label("Usuario").fill("admin")
    person.get_by_label("Contraseña").fill(live.staff_password)
    person.get_by_role("button", name="Iniciar sesión").click()
    expect(person.get_by_role("heading", level=1, name="Cola de evaluación")).to_be_visible()


def analyse_and_resolve(person: Page, oficio: dict, index: int, conclusion: str, axe, screenshots, run: str) -> None:
    """From the oficio's page: open its case ``index``, write a finding per point citing evidence, conclude,
    add an action, save the draft, resolve it (confirming), and go back to the oficio."""
    number = oficio["cases"][index]["number"]
    person.get_by_role("link", name=number, exact=True).click()
    expect(person.get_by_role("heading", level=1, name=f"Caso {number}")).to_be_visible()
    expect(person.get_by_role("heading", name="Evidencia al")).to_be_visible()
    assert axe(person) == []
    if index == 0:
        screenshots(person, f"casos-analisis-{run}")
    for point in (1, 2):
        person.locator(f"#finding-{point}-text").fill(f"Hallazgo del punto {point}, según la evidencia.")
        person.locator(f"#finding-{point}-evidence").check()
    person.get_by_label(conclusion, exact=True).check()
    person.get_by_label("Justificación").fill(f"La evidencia muestra que el caso es {conclusion.lower()}.")
    person.get_by_label("Descripción de la acción 1").fill("Capacitar a la OMAPED en el aplicativo.")
    person.get_by_label("Unidad responsable de la acción 1").select_option("UAC")
    person.get_by_label("Plazo de la acción 1").fill((date.today() + timedelta(days=30)).isoformat())
    person.get_by_role("button", name="Guardar borrador").click()
    expect(person.get_by_role("status")).to_contain_text("Borrador guardado.")
    expect(person.locator("#finding-1-text")).to_have_value("Hallazgo del punto 1, según la evidencia.")

    person.get_by_role("button", name="Resolver el caso").click()
    person.get_by_role("button", name="Confirmar: resolver el caso").click()
    expect(person.get_by_role("status")).to_contain_text("Caso resuelto.")
    expect(person.get_by_text(f"La evidencia muestra que el caso es {conclusion.lower()}.")).to_be_visible()
    expect(person.get_by_label("Estado de la acción 1")).to_be_visible()
    assert axe(person) == []
    person.get_by_role("link", name=f"Oficio {oficio['number']}").click()


def test_staff_route_analyse_resolve_and_answer_an_oficio_of_two_cases(
    person: Page, live, oficios: dict[str, dict], axe, screenshots, javascript: str
) -> None:
    oficio = oficios[javascript]
    sign_in_as_admin(person, live)

    person.get_by_role("link", name="Casos", exact=True).click()
    expect(person.get_by_role("heading", level=1, name="Casos de los CTVC")).to_be_visible()
    first = oficio["cases"][0]["number"]
    expect(person.get_by_role("row").filter(has_text=first)).to_contain_text("Abierto")
    assert axe(person) == []
    screenshots(person, f"casos-cola-{javascript}")

    person.get_by_role("row").filter(has_text=first).get_by_role("link", name=oficio["number"]).click()
    expect(person.get_by_role("heading", level=1, name=oficio["number"])).to_be_visible()
    assert axe(person) == []
    person.get_by_label("Unidad").select_option("UAC")
    person.get_by_label("Fecha de derivación").fill(date.today().isoformat())
    person.get_by_role("button", name="Derivar").click()
    expect(person.get_by_role("status")).to_contain_text("Oficio derivado.")
    expect(person.locator(".summary-list")).to_contain_text("Unidad de Acompañamiento")
    expect(
        person.get_by_text("La respuesta se emite cuando todos los casos del oficio están resueltos.")
    ).to_be_visible()

    for index, conclusion in enumerate(("Fundado", "Infundado")):
        analyse_and_resolve(person, oficio, index, conclusion, axe, screenshots, javascript)

    expect(person.get_by_role("button", name="Emitir respuesta")).to_be_visible()
    assert axe(person) == []
    person.get_by_label("Destinatario").fill("Sr. Juan Quispe Huamán, Presidente del CTVC de Huancavelica")
    person.get_by_label("Nombre de quien elabora el informe").fill("Ana Díaz Rojas")
    person.get_by_label("Cargo de quien elabora el informe").fill("Analista de la UAC")
    person.get_by_label("Nombre de quien firma el oficio de respuesta").fill("Luis Soto Vega")
    person.get_by_label("Cargo de quien firma el oficio de respuesta").fill("Director Ejecutivo")
    person.get_by_role("button", name="Emitir respuesta").click()

    expect(person.get_by_role("status")).to_contain_text("Respuesta solicitada.")
    documents = person.get_by_role("table", name="Documentos de la respuesta")
    expect(documents.get_by_role("row")).to_have_count(5)  # the header and the four documents
    expect(person.get_by_text("Generando y firmando los documentos…")).to_be_visible()
    assert axe(person) == []
    screenshots(person, f"casos-respuesta-{javascript}")
    person.get_by_role("link", name="Recargar la página").click()
    expect(person.get_by_role("heading", level=1, name=oficio["number"])).to_be_visible()

    person.goto(f"{live.url}/gestion/casos/reporte")  # an admin's header links only the queue
    expect(person.get_by_role("heading", level=1, name=f"Reporte de casos {date.today().year}")).to_be_visible()
    expect(person.get_by_role("table", name="Casos por región").get_by_role("row", name="Huancavelica")).to_be_visible()
    assert axe(person) == []
    screenshots(person, f"casos-reporte-{javascript}")

"""Journey: the CTVC of Huancavelica files an oficio with two cases (districts 090101 and 090701) through
the form (its "add" buttons, no JavaScript needed), the analyst routes it to UAC, reads each case's
evidence, writes a finding per critical point citing it, concludes one FUNDADO and one INFUNDADO,
resolves both and asks for the answer; the CTVC then sees its oficio being answered. In a real
Chromium against the live embedded system, with JavaScript and without it; axe checks every page.

The documents service renders and signs the four documents; the pages say so until it has, with a link
to reload, and the CTVC then opens the Anexo 01 at /verificar by its code: its signer, its integrity, its PDF.
"""

from __future__ import annotations

import secrets
import time
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.integration

RUNS = ("con-js", "sin-js")
DISTRICTS = ("090101", "090701")


def case_number() -> str:
    return f"{secrets.randbelow(9000) + 1000:04d}-{date.today().year}-CTVC/HVC"


def sign_in_as(person: Page, live, username: str, heading: str) -> None:
    person.goto(f"{live.url}/iniciar-sesion")
    person.get_by_label("Usuario").fill(username)
    person.get_by_label("Contraseña").fill(live.staff_password)
    person.get_by_role("button", name="Iniciar sesión").click()
    expect(person.get_by_role("heading", level=1, name=heading)).to_be_visible()


def fill_case(person: Page, index: int, number: str, district: str) -> None:
    case = f"#cases-{index}"
    person.locator(f"{case}-number").fill(number)
    person.locator(f"{case}-ubigeo").select_option(district)
    person.locator(f"{case}-points-0-category").select_option("SIN_CREDENCIALES")
    person.locator(f"{case}-points-0-description").fill("La OMAPED no tiene usuario del aplicativo.")
    person.locator(f"{case}-interviewees-0-role").fill("Responsable")
    person.locator(f"{case}-interviewees-0-office").fill("OMAPED")


def sign_out(person: Page) -> None:
    person.get_by_role("button", name="Cerrar sesión").click()
    expect(person.get_by_role("heading", level=1, name="Iniciar sesión")).to_be_visible()


def ctvc_files_an_oficio_of_two_cases(person: Page, live, axe, screenshots, run: str) -> dict[str, str]:
    """The CTVC files an oficio with two cases of Huancavelica (the second with two critical points)
    through the form without JavaScript's help, and sees both listed; its number and the cases'."""
    number = f"OFICIO N° {secrets.randbelow(900) + 100}-{date.today().year}-CTVC/HUANCAVELICA ({run})"
    first, second = case_number(), case_number()
    sign_in_as(person, live, "ctvc", "Casos del CTVC")
    assert axe(person) == []

    person.get_by_role("link", name="Registrar un oficio").click()
    expect(person.get_by_role("heading", level=1, name="Registrar un oficio")).to_be_visible()
    assert axe(person) == []
    person.get_by_label("Número del oficio").fill(number)
    person.get_by_label("Fecha del oficio").fill((date.today() - timedelta(days=1)).isoformat())
    person.get_by_label("Remitente").fill("Presidente del CTVC Huancavelica")
    fill_case(person, 0, first, DISTRICTS[0])
    person.get_by_role("button", name="Agregar otro caso").click()
    expect(person.locator("#cases-0-number")).to_have_value(first)
    fill_case(person, 1, second, DISTRICTS[1])
    person.get_by_role("button", name="Agregar punto crítico al caso 2").click()
    person.locator("#cases-1-points-1-category").select_option("PAGO")
    person.locator("#cases-1-points-1-description").fill("Usuarios no cobran hace dos periodos.")
    assert axe(person) == []
    screenshots(person, f"ctvc-nuevo-oficio-{run}")
    person.get_by_role("button", name="Registrar el oficio").click()

    expect(person.get_by_role("status")).to_contain_text("Oficio registrado.")
    expect(person.get_by_role("heading", name=f"Caso {second}")).to_be_visible()
    expect(person.get_by_role("table", name=f"Puntos críticos del caso {second}")).to_contain_text("Pago de la pensión")
    assert axe(person) == []
    person.get_by_role("link", name="Volver a los casos del CTVC").click()
    cases = person.get_by_role("table", name="Casos, del que vence primero al que vence al último")
    expect(cases.get_by_role("row").filter(has_text=first)).to_contain_text("Huancavelica, Huancavelica, Huancavelica")
    expect(cases.get_by_role("row").filter(has_text=second)).to_contain_text("Pampas, Tayacaja, Huancavelica")
    expect(person.get_by_role("link", name=number)).to_be_visible()
    assert axe(person) == []
    screenshots(person, f"ctvc-casos-{run}")
    sign_out(person)
    return {"number": number, "first": first, "second": second}


def analyse_and_resolve(person: Page, oficio: dict, index: str, conclusion: str, axe, screenshots, run: str) -> None:
    """From the oficio's page: open its case ``index``, write a finding per point citing evidence, conclude,
    add an action, save the draft, resolve it (confirming), and go back to the oficio."""
    number = oficio[index]
    person.get_by_role("link", name=number, exact=True).click()
    expect(person.get_by_role("heading", level=1, name=f"Caso {number}")).to_be_visible()
    expect(person.get_by_role("heading", name="Evidencia al")).to_be_visible()
    assert axe(person) == []
    if index == "first":
        screenshots(person, f"casos-analisis-{run}")
    for point in range(1, 2 if index == "first" else 3):  # the second case has two critical points
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


def analyst_routes_and_resolves(person: Page, live, oficio: dict[str, str], axe, screenshots, run: str) -> None:
    """The analyst routes the oficio to UAC and resolves its cases, one FUNDADO and one INFUNDADO."""
    sign_in_as(person, live, "analista", "Casos de los CTVC")
    first = oficio["first"]
    expect(person.get_by_role("row").filter(has_text=first)).to_contain_text("Abierto")
    assert axe(person) == []
    screenshots(person, f"casos-cola-{run}")

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

    for index, conclusion in (("first", "Fundado"), ("second", "Infundado")):
        analyse_and_resolve(person, oficio, index, conclusion, axe, screenshots, run)


def analyst_asks_for_the_answer(person: Page, live, oficio: dict[str, str], axe, screenshots, run: str) -> None:
    """With both cases resolved, the analyst asks for the answer: four documents being made and signed."""
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
    until_issued(person, "Generando y firmando los documentos…")
    expect(person.get_by_role("heading", level=1, name=oficio["number"])).to_be_visible()
    assert axe(person) == []
    screenshots(person, f"casos-respuesta-{run}")

    person.get_by_role("link", name="Reporte de casos").click()
    expect(person.get_by_role("heading", level=1, name=f"Reporte de casos {date.today().year}")).to_be_visible()
    expect(person.get_by_role("table", name="Casos por región").get_by_role("row", name="Huancavelica")).to_be_visible()
    assert axe(person) == []
    screenshots(person, f"casos-reporte-{run}")
    sign_out(person)


def until_issued(person: Page, making: str, seconds: float = 90) -> None:
    """Reload the page (its own link) while it says the documents are being made and signed."""
    deadline = time.monotonic() + seconds
    while person.get_by_text(making).count() and time.monotonic() < deadline:
        person.wait_for_timeout(1000)
        person.get_by_role("link", name="Recargar la página").click()
    expect(person.get_by_text(making)).to_have_count(0)


def test_a_ctvc_oficio_of_two_cases_is_filed_routed_analysed_resolved_and_answered(
    person: Page, live, axe, screenshots, javascript: str
) -> None:
    oficio = ctvc_files_an_oficio_of_two_cases(person, live, axe, screenshots, javascript)
    analyst_routes_and_resolves(person, live, oficio, axe, screenshots, javascript)
    analyst_asks_for_the_answer(person, live, oficio, axe, screenshots, javascript)

    sign_in_as(person, live, "ctvc", "Casos del CTVC")
    person.get_by_role("link", name=oficio["number"]).click()
    until_issued(person, "Generando y firmando los documentos de la respuesta…")
    expect(person.locator(".summary-list").first).to_contain_text("Unidad de Acompañamiento")
    assert axe(person) == []
    screenshots(person, f"ctvc-respuesta-{javascript}")
    person.get_by_role("listitem").filter(has_text="Matriz de atención de casos").get_by_role("link").click()
    expect(person.get_by_role("heading", level=1, name="Documento auténtico")).to_be_visible()
    expect(person.get_by_text("Ana Díaz Rojas (Analista de la UAC)")).to_be_visible()
    expect(person.get_by_text("Íntegro: el archivo guardado no fue modificado después de la firma.")).to_be_visible()
    expect(person.get_by_role("link", name="Descargar el PDF firmado")).to_be_visible()
    assert axe(person) == []
    screenshots(person, f"verificar-anexo-01-{javascript}")

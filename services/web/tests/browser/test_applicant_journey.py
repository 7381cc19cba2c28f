"""Journey 1, first half: an applicant asks for access, saves a draft and continues it later, in a real
Chromium against the live embedded system, with JavaScript and without it."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.integration

# Huancavelica's provincial municipality and its sitting mayor, from the synthetic registers
# (services/identity/src/identity/data/authorities.csv and citizens.csv).
REGION, PROVINCE, DISTRICT = "Huancavelica", "Huancavelica", "Huancavelica"
MAYOR_DNI, MAYOR_NAMES = "28181467", "RIVERA LUNA, JUAN JULIO"
OFFICER_DNI, OFFICER_NAMES = "10019401", "PÉREZ YUPANQUI, NANCY"


def fill_the_district(person: Page) -> None:
    person.get_by_label("Región").select_option(label=REGION)
    person.get_by_role("button", name="Mostrar las provincias").click()
    person.get_by_label("Provincia").select_option(label=PROVINCE)
    person.get_by_role("button", name="Mostrar los distritos").click()
    person.get_by_label("Distrito", exact=True).select_option(label=DISTRICT)


def fill_the_mayor(person: Page) -> None:
    authority = person.get_by_role("group", name="Datos de la autoridad")
    authority.get_by_label("DNI").fill(MAYOR_DNI)
    authority.get_by_role("button", name="Buscar nombres de la autoridad").click()
    expect(authority.get_by_label("Nombres y apellidos")).to_have_value(MAYOR_NAMES)
    authority.get_by_label("Celular").fill("987654321")
    authority.get_by_label("Correo electrónico institucional").fill("alcaldia@munihuancavelica.gob.pe")


def fits_320_px_at_200_percent_text(page: Page) -> bool:
    page.set_viewport_size({"width": 320, "height": 640})
    page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
    return page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_an_omaped_officer_saves_a_draft_and_resumes_it_later(person: Page, live_url: str, axe) -> None:
    def no_violations(page: Page = person) -> None:
        assert axe(page) == [], page.url

    person.goto(live_url)
    no_violations()
    person.get_by_role("link", name="Solicitar acceso").click()
    no_violations()
    person.get_by_label("Gobierno local").check()
    person.get_by_role("button", name="Continuar").click()

    expect(person.get_by_role("heading", level=1, name="Pasos de la solicitud")).to_be_visible()
    no_violations()
    person.get_by_role("link", name="Datos de la autoridad y de la persona responsable").click()
    no_violations()
    fill_the_district(person)
    fill_the_mayor(person)
    authority = person.get_by_role("group", name="Datos de la autoridad")
    responsible = person.get_by_role("group", name="Datos de la persona responsable del acceso")
    responsible.get_by_label("DNI").fill(OFFICER_DNI)
    responsible.get_by_role("button", name="Buscar nombres de la persona responsable").click()
    expect(responsible.get_by_label("Nombres y apellidos")).to_have_value(OFFICER_NAMES)
    expect(person.get_by_label("Distrito", exact=True)).to_have_value("090101")
    expect(authority.get_by_label("Celular")).to_have_value("987654321")
    responsible.get_by_label("Oficina").fill("OMAPED")
    responsible.get_by_label("Cargo").fill("Jefa de la OMAPED")
    no_violations()
    person.get_by_role("button", name="Guardar avance").click()

    expect(person.get_by_role("heading", level=1, name="Se guardó su avance")).to_be_visible()
    code = person.get_by_role("status").locator("strong").inner_text()
    assert re.fullmatch(r"SA-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", code)
    expect(person.get_by_text(f"el DNI de la autoridad ({MAYOR_DNI})")).to_be_visible()
    no_violations()

    # The next day, in a fresh tab: from the start page, with the code and the mayor's DNI.
    later = person.context.new_page()
    later.goto(live_url)
    later.get_by_role("link", name="Continuar una solicitud guardada").click()
    no_violations(later)
    later.get_by_label("Código de la solicitud").fill(code.lower())
    later.get_by_label("DNI de la autoridad").fill(MAYOR_DNI)
    later.get_by_role("button", name="Continuar").click()

    expect(later.get_by_role("heading", level=1, name="Revise sus respuestas")).to_be_visible()
    answers = later.locator("dl")
    for answer in (MAYOR_NAMES, OFFICER_NAMES, "987654321", "OMAPED", "alcaldia@munihuancavelica.gob.pe"):
        expect(answers).to_contain_text(answer)
    expect(answers).to_contain_text("Huancavelica, Huancavelica, Huancavelica")
    no_violations(later)
    assert fits_320_px_at_200_percent_text(later)
    later.get_by_role("link", name="Cambiar cargo de la persona responsable del acceso").click()
    expect(
        later.get_by_role("group", name="Datos de la persona responsable del acceso").get_by_label("Cargo")
    ).to_have_value("Jefa de la OMAPED")


def test_an_officer_corrects_an_answer_from_the_review_page_and_keeps_the_same_code(
    person: Page, live_url: str, axe
) -> None:
    draft = {
        "ally_type": "GOBIERNO_LOCAL",
        "ubigeo": "090101",
        "authority": {"dni": MAYOR_DNI, "names": MAYOR_NAMES},
        "responsible": {"dni": OFFICER_DNI, "position": "Asistente"},
    }
    code = httpx.post(f"{live_url}/api/access-requests", json=draft, timeout=30).raise_for_status().json()["code"]
    person.goto(f"{live_url}/continuar-solicitud")
    person.get_by_label("Código de la solicitud").fill(code)
    person.get_by_label("DNI de la autoridad").fill(MAYOR_DNI)
    person.get_by_role("button", name="Continuar").click()

    person.get_by_role("link", name="Cambiar cargo de la persona responsable del acceso").click()
    responsible = person.get_by_role("group", name="Datos de la persona responsable del acceso")
    expect(responsible.get_by_label("Cargo")).to_have_value("Asistente")
    expect(person.get_by_label("Distrito", exact=True)).to_have_value("090101")
    responsible.get_by_label("Cargo").fill("Coordinadora de la OMAPED")
    person.get_by_role("button", name="Guardar avance").click()

    expect(person.get_by_role("heading", level=1, name="Se guardó su avance")).to_be_visible()
    expect(person.get_by_role("status")).to_contain_text(code)
    person.get_by_role("link", name="Revisar sus respuestas").click()
    expect(person.locator("dl")).to_contain_text("Coordinadora de la OMAPED")
    assert axe(person) == []

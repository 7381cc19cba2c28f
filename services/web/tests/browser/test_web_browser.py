"""A person uses the pages in a real Chromium, with JavaScript and without it, finding things by role and label."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.integration

OPTIONS = "/opciones-de-accesibilidad"
PAGES = ["/", OPTIONS, "/declaracion-de-accesibilidad", "/no-existe", "/solicitar-acceso", "/continuar-solicitud"]
BOTH_OPTIONS = {"name": "contigo_opciones", "value": "texto-grande.alto-contraste"}


def no_sideways_scroll(page: Page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_a_person_opens_the_start_page_and_finds_the_three_access_types(person: Page, web_url: str) -> None:
    person.goto(web_url)

    expect(person.locator("html")).to_have_attribute("lang", "es")
    expect(person.get_by_role("heading", level=1, name="USUARIO ALIADO")).to_be_visible()
    expect(person.get_by_role("heading", level=2, name="Tipos de acceso")).to_be_visible()
    for access_type in ("Gobierno regional", "Gobierno local", "Otro aliado estratégico"):
        expect(person.get_by_role("heading", level=3, name=access_type)).to_be_visible()


def test_a_person_turns_on_large_text_and_high_contrast_and_the_choice_is_kept_on_the_next_page(
    person: Page, web_url: str, screenshots, javascript: str
) -> None:
    person.goto(web_url)
    plain_size = person.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
    person.get_by_role("link", name="Opciones de accesibilidad").click()

    person.get_by_label("Texto más grande").check()
    person.get_by_label("Alto contraste").check()
    person.get_by_role("button", name="Guardar opciones").click()

    expect(person.get_by_role("status")).to_contain_text("Se guardaron sus opciones")
    expect(person.get_by_label("Texto más grande")).to_be_checked()
    expect(person.get_by_label("Alto contraste")).to_be_checked()
    person.get_by_role("link", name="Programa CONTIGO — USUARIO ALIADO").click()
    expect(person.get_by_role("heading", level=1, name="USUARIO ALIADO")).to_be_visible()
    size, background = person.evaluate(
        "() => [parseFloat(getComputedStyle(document.body).fontSize), getComputedStyle(document.body).backgroundColor]"
    )
    assert size >= plain_size * 1.3
    assert background == "rgb(0, 0, 0)"
    screenshots(person, f"inicio-texto-grande-alto-contraste-{javascript}")


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("dressed", [False, True], ids=["sin opciones", "con texto grande y alto contraste"])
def test_a_page_has_no_wcag_2_1_a_or_aa_violations(person: Page, web_url: str, axe, path: str, dressed: bool) -> None:
    if dressed:
        person.context.add_cookies([{**BOTH_OPTIONS, "url": web_url}])
    person.goto(web_url + path)

    violations = axe(person)

    assert violations == []


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("text", ["100%", "200%"])
def test_at_320_px_wide_with_text_up_to_200_percent_nothing_scrolls_sideways(
    person: Page, web_url: str, path: str, text: str, screenshots, javascript: str
) -> None:
    person.set_viewport_size({"width": 320, "height": 640})

    person.goto(web_url + path)
    person.evaluate(f"() => {{ document.documentElement.style.fontSize = '{text}'; }}")

    assert no_sideways_scroll(person)
    if path == "/" and text == "200%":
        screenshots(person, f"inicio-320px-texto-200-{javascript}")


def test_a_person_who_mistypes_an_address_reads_the_spanish_404_page(person: Page, web_url: str) -> None:
    response = person.goto(web_url + "/solicitud-que-no-existe")

    assert response is not None and response.status == 404
    expect(person.get_by_role("heading", level=1, name="No se encontró la página")).to_be_visible()
    person.get_by_role("link", name="Volver a la página de inicio").click()
    expect(person.get_by_role("heading", level=1, name="USUARIO ALIADO")).to_be_visible()


def test_a_keyboard_user_reaches_the_skip_link_first_and_it_leads_to_the_main_content(
    person: Page, web_url: str
) -> None:
    person.goto(web_url)

    person.keyboard.press("Tab")

    skip = person.get_by_role("link", name="Saltar al contenido principal")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    person.keyboard.press("Enter")
    expect(person).to_have_url(re.compile(r"#contenido$"))

"""What an applicant sees when the API refuses: its Spanish words in the error summary (focused, each
linking to its field) and at the field, with every answer still typed. Live embedded system, Chromium,
JavaScript on and off."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.integration

LOCAL_DATA = "/solicitar-acceso/datos?tipo=GOBIERNO_LOCAL"


def test_an_officer_who_mistypes_the_mayors_dni_is_told_why_and_keeps_every_answer(
    person: Page, live_url: str, axe
) -> None:
    person.goto(live_url + LOCAL_DATA)
    authority = person.get_by_role("group", name="Datos de la autoridad")
    authority.get_by_label("DNI").fill("2818146")
    authority.get_by_label("Correo electrónico personal").fill("juan.rivera@correo")
    responsible = person.get_by_role("group", name="Datos de la persona responsable del acceso")
    responsible.get_by_label("Oficina").fill("OMAPED")

    person.get_by_role("button", name="Guardar avance").click()

    summary = person.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Hay errores en el formulario.")
    link = summary.get_by_role("link")
    expect(link).to_have_count(1)
    words = link.inner_text()
    assert "DNI" in words
    expect(link).to_have_attribute("href", "#authority.dni")
    expect(person.locator("#authority\\.dni-error")).to_contain_text(words)
    expect(authority.get_by_label("DNI")).to_have_value("2818146")
    expect(authority.get_by_label("Correo electrónico personal")).to_have_value("juan.rivera@correo")
    expect(responsible.get_by_label("Oficina")).to_have_value("OMAPED")
    assert axe(person) == []
    link.click()
    expect(authority.get_by_label("DNI")).to_be_focused()
    person.set_viewport_size({"width": 320, "height": 640})
    person.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
    wider = person.evaluate(
        "() => [...document.querySelectorAll('body *')]"
        ".filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)"
        ".map(e => e.tagName + ' ' + (e.id || e.className))"
    )
    assert wider == []


def test_looking_up_a_dni_nobody_has_says_so_at_the_dni(person: Page, live_url: str, axe) -> None:
    person.goto(live_url + LOCAL_DATA)
    responsible = person.get_by_role("group", name="Datos de la persona responsable del acceso")
    responsible.get_by_label("DNI").fill("00000001")
    responsible.get_by_label("Cargo").fill("Jefa de la OMAPED")

    responsible.get_by_role("button", name="Buscar nombres de la persona responsable").click()

    summary = person.get_by_role("alert")
    expect(summary).to_be_focused()
    link = summary.get_by_role("link")
    expect(link).to_have_attribute("href", "#responsible.dni")
    expect(person.locator("#responsible\\.dni-error")).to_contain_text(link.inner_text())
    expect(responsible.get_by_label("Cargo")).to_have_value("Jefa de la OMAPED")
    assert axe(person) == []


def test_a_wrong_code_is_refused_without_saying_which_half_was_wrong(person: Page, live_url: str, axe) -> None:
    person.goto(live_url + "/continuar-solicitud")
    person.get_by_label("Código de la solicitud").fill("SA-2026-0000-0000")
    person.get_by_label("DNI de la autoridad").fill("28181467")

    person.get_by_role("button", name="Continuar").click()

    summary = person.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(
        "No encontramos una solicitud con ese código y DNI de la autoridad."
    )
    expect(person.get_by_label("Código de la solicitud")).to_have_value("SA-2026-0000-0000")
    expect(person.get_by_label("DNI de la autoridad")).to_have_value("28181467")
    assert axe(person) == []


def test_choosing_no_access_type_asks_for_one(person: Page, live_url: str, axe) -> None:
    person.goto(live_url + "/solicitar-acceso")

    person.get_by_role("button", name="Continuar").click()

    expect(person.get_by_role("alert")).to_be_focused()
    person.get_by_role("alert").get_by_role("link", name="Elija el tipo de acceso.").click()
    expect(person.get_by_label("Gobierno regional")).to_be_focused()
    assert axe(person) == []

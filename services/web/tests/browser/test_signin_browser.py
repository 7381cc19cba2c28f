"""A person signs in, in a real Chromium with JavaScript and without it, finding things by role and label."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect

from web.sessions import LIMA

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def queue_for_today(module_stand_in) -> None:
    module_stand_in.fill_queue(datetime.now(UTC).astimezone(LIMA).date())
    module_stand_in.login_status = 0


def sign_in(person: Page, signin_url: str, username: str, password: str) -> None:
    person.goto(signin_url)
    person.get_by_role("link", name="Iniciar sesión").first.click()
    expect(person.get_by_role("heading", level=1, name="Iniciar sesión")).to_be_visible()
    person.get_by_label("Usuario").fill(username)
    person.get_by_label("Contraseña").fill(password)
    person.get_by_role("button", name="Iniciar sesión").click()


def test_an_evaluator_signs_in_and_sees_the_queue_with_the_overdue_request_marked(
    person: Page, signin_url: str, module_stand_in, axe, screenshots, javascript: str
) -> None:
    sign_in(person, signin_url, "evaluador", module_stand_in.password)

    expect(person.get_by_role("heading", level=1, name="Cola de evaluación")).to_be_visible()
    table = person.get_by_role("table", name="Solicitudes por evaluar, ordenadas por fecha de vencimiento")
    overdue = table.get_by_role("row").filter(has_text="SOL-2026-000010")
    expect(overdue.get_by_role("cell", name="Vencida", exact=True)).to_be_visible()
    today = table.get_by_role("row").filter(has_text="SOL-2026-000020")
    expect(today.get_by_role("cell", name="Vence hoy", exact=True)).to_be_visible()
    expect(table.get_by_role("row").nth(1)).to_contain_text("SOL-2026-000010")
    expect(person.get_by_text("Su sesión vencerá a las")).to_be_visible()
    assert axe(person) == []
    screenshots(person, f"cola-de-evaluacion-{javascript}")

    person.get_by_role("button", name="Cerrar sesión").click()
    expect(person.get_by_role("heading", level=1, name="Iniciar sesión")).to_be_visible()
    expect(person.get_by_text("Cerró su sesión")).to_be_visible()
    assert not [c for c in person.context.cookies() if c["name"] == "contigo_sesion"]


def test_a_wrong_password_shows_the_error_summary_linking_to_the_field(
    person: Page, signin_url: str, axe, screenshots, javascript: str
) -> None:
    sign_in(person, signin_url, "evaluador", "no-es-la-clave")

    summary = person.get_by_role("alert")
    expect(summary).to_contain_text("Hay un problema")
    expect(person).to_have_title("Error: Iniciar sesión — Programa CONTIGO — USUARIO ALIADO")
    assert axe(person) == []
    screenshots(person, f"iniciar-sesion-error-{javascript}")
    summary.get_by_role("link", name="Usuario o contraseña incorrectos.").click()
    expect(person.get_by_label("Contraseña")).to_be_focused()
    expect(person.get_by_label("Contraseña")).to_have_accessible_description("Error: Usuario o contraseña incorrectos.")


def test_an_ally_signs_in_and_sees_their_account(person: Page, signin_url: str, module_stand_in, axe) -> None:
    sign_in(person, signin_url, "omaped.miraflores", module_stand_in.password)
    # An ally lands on the panel (this stand-in has no padrón to draw); the header leads to the account.
    expect(person).to_have_url(f"{signin_url}/panel")
    person.get_by_role("link", name="Mi cuenta").click()

    expect(person.get_by_role("heading", level=1, name="Mi cuenta")).to_be_visible()
    expect(person.get_by_text("omaped.miraflores")).to_be_visible()
    expect(person.get_by_text("Gobierno local")).to_be_visible()
    assert axe(person) == []


@pytest.mark.parametrize("path", ["/iniciar-sesion", "/"])
def test_a_signed_out_page_has_no_wcag_2_1_a_or_aa_violations(person: Page, signin_url: str, axe, path: str) -> None:
    person.goto(signin_url + path)

    assert axe(person) == []


def test_a_revoked_account_is_sent_to_sign_in_with_a_spanish_message(
    person: Page, signin_url: str, module_stand_in, axe
) -> None:
    sign_in(person, signin_url, "omaped.miraflores", module_stand_in.password)
    person.get_by_role("link", name="Mi cuenta").click()
    expect(person.get_by_role("heading", level=1, name="Mi cuenta")).to_be_visible()
    module_stand_in.revoke("omaped.miraflores")

    person.reload()

    expect(person.get_by_role("heading", level=1, name="Iniciar sesión")).to_be_visible()
    expect(person.get_by_text("Su sesión terminó")).to_be_visible()
    assert axe(person) == []


def test_at_320_px_wide_with_text_at_200_percent_the_queue_page_does_not_scroll_sideways(
    person: Page, signin_url: str, module_stand_in
) -> None:
    person.set_viewport_size({"width": 320, "height": 640})
    sign_in(person, signin_url, "evaluador", module_stand_in.password)
    expect(person.get_by_role("heading", level=1, name="Cola de evaluación")).to_be_visible()

    person.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")

    assert person.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")

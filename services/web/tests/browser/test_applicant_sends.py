"""Journey 1, second half: an applicant sends the request (the ALTCHA widget with JavaScript, the
server's guarded way without it), downloads the prefilled DDC, uploads it signed and follows the
status; a refused upload; an observed request corrected and sent again; and the whole journey by
keyboard alone. Live embedded system, Chromium, JavaScript on and off.

Jurisdictions of this module (the live system is shared): the districts 090102 to 090108 of the
province of Huancavelica (0901), one per test and per run, and the first two entities of
``GET /api/entities`` (one per run), so no two runs share a request's place.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect
from testkit.api_steps import (
    blank_pdf,
    complete_form,
    eventually,
    pending_request,
    sent_request,
    signed_on_screen,
    staff_token,
    status,
)

pytestmark = pytest.mark.integration

DISTRICTS = {
    "sends": {"con-js": "090102", "sin-js": "090103"},
    "refused": {"con-js": "090104", "sin-js": "090105"},
    "observed": {"con-js": "090106", "sin-js": "090107"},
    "keyboard": "090108",
}
DUE = re.compile(r"a más tardar \d{2}/\d{2}/\d{4} \(5 días hábiles\)")


@pytest.fixture(scope="module")
def api(live_url: str):
    with httpx.Client(base_url=live_url, timeout=60) as client:
        yield client


def saved_draft(api: httpx.Client, district: str, tag: str) -> dict:
    """A complete request saved as a draft, not sent: where the person picks it up."""
    form = complete_form(api, "GOBIERNO_LOCAL", district, tag)
    draft = api.post("/api/access-requests", json=form)
    assert draft.status_code == 201, draft.text
    return draft.json()


def send_from_review(person: Page, javascript: str) -> None:
    """On "Revise sus respuestas": the widget solved with JavaScript; without it, the minimum wait."""
    if javascript == "con-js":
        person.get_by_role("checkbox", name="No soy un robot").click()
        expect(person.get_by_text("Verificado")).to_be_visible(timeout=30_000)
    else:
        person.wait_for_timeout(3_200)
    person.get_by_role("button", name="Enviar la solicitud").click()


def reload_until_due_date(person: Page) -> None:
    """The status page, reloaded until the request is in evaluation (the checks run in the background)."""
    deadline = time.monotonic() + 60
    while not DUE.search(person.locator("main").inner_text()) and time.monotonic() < deadline:
        person.wait_for_timeout(1_000)
        person.reload()


def upload_unsigned_then_signed(person: Page, ddc: Path) -> None:
    """The DDC uploaded as downloaded is refused for what it is; signed in a PDF viewer, it is taken."""
    person.get_by_label("DDC firmado").set_input_files(ddc)
    person.get_by_role("button", name="Subir los documentos").click()
    summary = person.get_by_role("link", name="Este es el DDC sin firmar: imprímalo, hágalo firmar y sellar")
    expect(summary).to_be_visible(timeout=30_000)
    expect(person.locator("#archivo-DDC_SIGNED-error")).to_contain_text("Este es el DDC sin firmar")
    ddc.write_bytes(signed_on_screen(ddc.read_bytes()))
    person.get_by_label("DDC firmado").set_input_files(ddc)
    person.get_by_role("button", name="Subir los documentos").click()


def test_an_officer_sends_the_request_downloads_the_ddc_uploads_it_signed_and_follows_its_status(
    person: Page, javascript: str, live_url: str, api: httpx.Client, axe, screenshots, tmp_path: Path
) -> None:
    def no_violations() -> None:
        assert axe(person) == [], person.url

    refused_by_policy: list[str] = []
    person.on("console", lambda m: "Content Security Policy" in m.text and refused_by_policy.append(m.text))
    draft = saved_draft(api, DISTRICTS["sends"][javascript], f"envio-{javascript}")
    person.goto(f"{live_url}/continuar-solicitud")
    person.get_by_label("Código de la solicitud").fill(draft["code"])
    person.get_by_label("DNI de la autoridad").fill(draft["form"]["authority"]["dni"])
    person.get_by_role("button", name="Continuar").click()

    expect(person.get_by_role("heading", level=1, name="Revise sus respuestas")).to_be_visible()
    no_violations()
    screenshots(person, f"envio-1-revisar-{javascript}")
    if javascript == "con-js":
        # The widget's stylesheet is a file of the site, not styles it injects.
        assert person.evaluate("() => getComputedStyle(document.querySelector('.altcha')).display") == "flex"
    send_from_review(person, javascript)
    assert refused_by_policy == []

    expect(person.get_by_role("heading", level=1, name="Se envió su solicitud")).to_be_visible(timeout=30_000)
    expect(person.get_by_role("status")).to_contain_text(draft["code"])
    expect(person.get_by_text("5 días hábiles")).to_be_visible()
    no_violations()
    screenshots(person, f"envio-2-enviada-{javascript}")

    eventually(lambda: status(api, draft["id"])["ddc"]["ready"], "the DDC is ready")
    with person.expect_download() as download:
        person.get_by_role("link", name="Descargar el DDC prellenado (PDF)").click()
    ddc = tmp_path / "ddc.pdf"
    download.value.save_as(ddc)
    assert ddc.read_bytes().startswith(b"%PDF")
    assert download.value.suggested_filename == f"DDC-{draft['code']}.pdf"

    person.get_by_role("link", name="Suba el DDC firmado").click()
    expect(person.get_by_role("heading", level=1, name="Subir los documentos firmados")).to_be_visible()
    no_violations()
    screenshots(person, f"envio-3-documentos-{javascript}")
    upload_unsigned_then_signed(person, ddc)

    expect(person.get_by_role("heading", level=1, name="Estado de la solicitud")).to_be_visible(timeout=30_000)
    reload_until_due_date(person)
    page = person.locator("main")
    expect(page).to_contain_text(DUE)
    expect(page).to_contain_text("En evaluación")
    expect(page).to_contain_text("Coincide con el registro oficial")
    expect(page).to_contain_text("DDC firmado")
    expect(page).to_contain_text("Recibido")
    no_violations()
    screenshots(person, f"envio-4-estado-{javascript}")

    person.get_by_role("link", name="Ver los pasos de la solicitud").click()
    tasks = person.get_by_role("list").filter(has_text="Evaluación")
    expect(tasks).to_contain_text("Enviada")
    expect(tasks).to_contain_text("Recibidos")
    expect(tasks).to_contain_text("En evaluación")
    no_violations()


def test_a_file_that_is_not_a_pdf_is_refused_at_its_field_with_the_reason(
    person: Page, javascript: str, live_url: str, api: httpx.Client, axe, screenshots, tmp_path: Path
) -> None:
    sent = sent_request(api, "GOBIERNO_LOCAL", DISTRICTS["refused"][javascript], f"rechazo-{javascript}")
    notes = tmp_path / "ddc-firmado.txt"
    notes.write_text("Esto no es un PDF.", encoding="utf-8")
    person.goto(f"{live_url}/solicitud/{sent['id']}/documentos")
    person.get_by_label("DDC firmado").set_input_files(notes)
    if javascript == "con-js":
        person.evaluate("() => { window.mismaPagina = true; }")
    person.get_by_role("button", name="Subir los documentos").click()

    summary = person.get_by_role("alert")
    expect(summary).to_be_focused()
    if javascript == "con-js":
        # Sent by XMLHttpRequest (the progress bar's way): the page was not reloaded.
        assert person.evaluate("() => window.mismaPagina === true")
    expect(summary).to_contain_text("El archivo no es un PDF válido.")
    expect(summary.get_by_role("link")).to_have_attribute("href", "#archivo-DDC_SIGNED")
    expect(person.locator("#archivo-DDC_SIGNED-error")).to_contain_text("El archivo no es un PDF válido.")
    expect(person.get_by_label("DDC firmado")).to_have_attribute("aria-invalid", "true")
    assert axe(person) == []
    screenshots(person, f"envio-archivo-rechazado-{javascript}")
    summary.get_by_role("link").click()
    expect(person.get_by_label("DDC firmado")).to_be_focused()


def test_another_ally_uploads_the_signed_ddc_and_the_designation_document(
    person: Page, javascript: str, live_url: str, api: httpx.Client, axe, screenshots, tmp_path: Path
) -> None:
    entities = api.get("/api/entities").json()[:2]
    ruc = entities[0 if javascript == "con-js" else 1]["ruc"]
    sent = sent_request(api, "OTRO_ALIADO", ruc, f"entidad-{javascript}")
    ddc = tmp_path / "ddc-firmado.pdf"
    ddc.write_bytes(signed_on_screen(api.get(f"/api/access-requests/{sent['id']}/ddc").content))
    designation = tmp_path / "designacion.pdf"
    designation.write_bytes(blank_pdf())

    person.goto(f"{live_url}/solicitud/{sent['id']}/documentos")
    assert axe(person) == []
    person.get_by_label("DDC firmado").set_input_files(ddc)
    person.get_by_label("Documento de designación").set_input_files(designation)
    person.get_by_role("button", name="Subir los documentos").click()

    expect(person.get_by_role("heading", level=1, name="Estado de la solicitud")).to_be_visible(timeout=30_000)
    expect(person.get_by_role("status")).to_contain_text("DDC firmado y Documento de designación")
    eventually(lambda: set(status(api, sent["id"])["documents"]) == {"DDC_SIGNED", "DESIGNATION"}, "both documents")
    person.reload()
    rows = person.locator("dl")
    expect(rows).to_contain_text("Documento de designación")
    expect(rows).not_to_contain_text("Aún no recibido")
    assert axe(person) == []
    screenshots(person, f"envio-entidad-estado-{javascript}")


def test_an_observed_request_shows_what_to_correct_and_is_sent_again(
    person: Page, javascript: str, live_url: str, api: httpx.Client, live, axe, screenshots
) -> None:
    pending = pending_request(api, "GOBIERNO_LOCAL", DISTRICTS["observed"][javascript], f"observada-{javascript}")
    token = staff_token(api, live.staff_password)
    observed = api.post(
        f"/api/evaluation/{pending['id']}/decision",
        json={"decision": "OBSERVE", "observations": ["Corrija el cargo de la persona responsable."]},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert observed.status_code == 200, observed.text

    person.goto(f"{live_url}/solicitud/{pending['id']}/estado")
    expect(person.get_by_role("heading", name="Observaciones")).to_be_visible()
    expect(person.locator("main")).to_contain_text("Corrija el cargo de la persona responsable.")
    assert axe(person) == []
    screenshots(person, f"envio-observada-{javascript}")

    person.get_by_role("link", name="Corregir los datos").click()
    responsible = person.get_by_role("group", name="Datos de la persona responsable del acceso")
    responsible.get_by_label("Cargo").fill("Jefa de la OMAPED")
    person.get_by_role("button", name="Guardar avance").click()
    expect(person.get_by_role("heading", level=1, name="Se guardó su avance")).to_be_visible()
    person.get_by_role("link", name="Revisar sus respuestas").click()
    expect(person.locator("dl")).to_contain_text("Jefa de la OMAPED")
    expect(person.get_by_role("heading", name="Lo que debe corregir")).to_be_visible()
    assert axe(person) == []
    send_from_review(person, javascript)

    expect(person.get_by_role("heading", level=1, name="Se envió su solicitud")).to_be_visible(timeout=30_000)
    assert axe(person) == []
    again = status(api, pending["id"])
    assert again["attempt"] == 2 and again["state"] in ("SUBMITTED", "PENDING_EVALUATION")
    assert again["form"]["responsible"]["position"] == "Jefa de la OMAPED"


# --- By keyboard alone -------------------------------------------------------------------------------


def tab_to(page: Page, selector: str, *, backwards: bool = False, most: int = 80) -> None:
    """Tab (or Shift+Tab) until the element ``selector`` names has the focus."""
    for _ in range(most):
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
    raise AssertionError(f"{selector} never got the focus by keyboard")


def type_into(page: Page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.type(text)


def choose_by_arrows(page: Page, selector: str, value: str, most: int = 60) -> None:
    """On a focused select, ArrowDown until ``value`` is chosen."""
    tab_to(page, selector)
    for _ in range(most):
        if page.evaluate("s => document.querySelector(s).value", selector) == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{value} is not among {selector}'s options")


def press_on(page: Page, selector: str, key: str = "Enter", *, navigates: bool = True) -> None:
    """Tab to ``selector`` and press ``key``; by default the page then opens another."""
    tab_to(page, selector)
    if not navigates:
        page.keyboard.press(key)
        return
    with page.expect_navigation():
        page.keyboard.press(key)


def test_a_person_using_only_the_keyboard_goes_from_the_start_page_to_a_sent_request(
    browser, live_url: str, api: httpx.Client, axe, screenshots
) -> None:
    form = complete_form(api, "GOBIERNO_LOCAL", DISTRICTS["keyboard"], "teclado")
    context = browser.new_context(java_script_enabled=True, locale="es-PE")
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto(live_url)
        press_on(page, "a[href='/solicitar-acceso']")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        tab_to(page, "input[name=tipo]")
        # Arrow keys move within the radio group; the local government is its second option.
        page.keyboard.press("ArrowDown")
        expect(page.get_by_label("Gobierno local")).to_be_checked()
        press_on(page, "button[type=submit]:not(.header__button)")
        expect(page.get_by_role("heading", level=1, name="Pasos de la solicitud")).to_be_visible()
        press_on(page, "a[href^='/solicitar-acceso/datos']")

        choose_by_arrows(page, "#region", "09")
        press_on(page, "button[value=actualizar]")
        choose_by_arrows(page, "#province", "0901")
        press_on(page, ".field:has(#province) + button[value=actualizar]")
        choose_by_arrows(page, "#district", DISTRICTS["keyboard"])
        for prefix in ("authority", "responsible"):
            person = form[prefix]
            for name in ("dni", "names", "mobile", "landline", "personal_email", "institutional_email"):
                if person.get(name):
                    type_into(page, f"#{prefix}\\.{name}", person[name])
        type_into(page, "#responsible\\.office", "OMAPED")
        type_into(page, "#responsible\\.position", "Jefa de la OMAPED")
        # Back up one field with Shift+Tab to check the office kept what was typed.
        tab_to(page, "#responsible\\.office", backwards=True)
        expect(page.locator("#responsible\\.office")).to_have_value("OMAPED")
        press_on(page, "button[value=guardar]")

        expect(page.get_by_role("heading", level=1, name="Se guardó su avance")).to_be_visible()
        press_on(page, "main a[href$='/revisar']")
        expect(page.get_by_role("heading", level=1, name="Revise sus respuestas")).to_be_visible()
        assert axe(page) == []
        press_on(page, "altcha-widget input[type=checkbox]", "Space", navigates=False)
        expect(page.get_by_text("Verificado")).to_be_visible(timeout=30_000)
        press_on(page, "#enviar")

        expect(page.get_by_role("heading", level=1, name="Se envió su solicitud")).to_be_visible(timeout=30_000)
        screenshots(page, "envio-teclado-enviada")
        assert axe(page) == []
        code = page.get_by_role("status").locator("strong").inner_text()
        found = api.post("/api/access-requests/resume", json={"code": code, "authority_dni": form["authority"]["dni"]})
        assert found.json()["state"] != "DRAFT"
    finally:
        context.close()

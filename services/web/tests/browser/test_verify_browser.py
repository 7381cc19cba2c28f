"""Anyone verifies a document the programme issued: the code printed at the foot of a real DDC,
typed as a person would, shows the document and the SHA-256 of the very file; a code no document
has is refused at the field. Live embedded system, Chromium, JavaScript on and off.

Jurisdictions: the local governments of Huánuco province (ubigeo 1001xx) — 100101 with
JavaScript, 100102 without (one request each).
"""

from __future__ import annotations

import hashlib

import httpx
import pytest
from playwright.sync_api import Page, expect
from testkit.api_steps import sent_request

pytestmark = pytest.mark.integration

DISTRICT = {"con-js": "100101", "sin-js": "100102"}


def test_a_code_typed_from_a_real_ddc_shows_the_document_and_the_hash_of_that_very_file(
    person: Page, live_url: str, javascript: str, axe, screenshots
) -> None:
    with httpx.Client(base_url=live_url, timeout=30) as c:
        sent = sent_request(c, "GOBIERNO_LOCAL", DISTRICT[javascript], f"verificar-{javascript}")
        pdf = c.get(f"/api/access-requests/{sent['id']}/ddc")
    code = sent["ddc"]["verification_code"]
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    person.goto(live_url + "/verificar")
    assert axe(person) == []
    # As a person copies it from paper: lower case, without the dashes.
    person.get_by_label("Código de verificación").fill(code.lower().replace("-", ""))
    person.get_by_role("button", name="Verificar").click()

    expect(person.get_by_role("heading", level=1)).to_have_text("Documento auténtico")
    expect(person.get_by_role("status")).to_contain_text(code)
    expect(person.get_by_role("main")).to_contain_text(sent["code"])
    expect(person.get_by_role("main")).to_contain_text("(hora de Lima)")
    expect(person.locator("#huella")).to_have_text(hashlib.sha256(pdf.content).hexdigest())
    expect(person.get_by_label("Código de verificación")).to_have_value("")
    assert axe(person) == []
    screenshots(person, f"verificar-documento-autentico-{javascript}")
    # The 64-character hash wraps on a phone with text at 200 % instead of pushing the page sideways.
    person.set_viewport_size({"width": 320, "height": 640})
    person.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
    wider = person.evaluate(
        "() => [...document.querySelectorAll('body *')]"
        ".filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)"
        ".map(e => e.tagName + ' ' + (e.id || e.className))"
    )
    assert wider == []

    # The address printed in the PDF opens the same answer directly.
    person.goto(f"{live_url}/verificar?codigo={code}")
    expect(person.get_by_role("heading", level=1)).to_have_text("Documento auténtico")
    expect(person.get_by_role("main")).to_contain_text(sent["code"])


def test_a_code_no_document_has_is_refused_at_the_field_and_kept(person: Page, live_url: str, axe) -> None:
    person.goto(live_url + "/verificar")
    person.get_by_label("Código de verificación").fill("ZZZZ-ZZZZ-ZZZZ")

    person.get_by_role("button", name="Verificar").click()

    summary = person.get_by_role("alert")
    expect(summary).to_be_focused()
    link = summary.get_by_role("link")
    expect(link).to_have_text("No se encontró ningún documento con ese código. Revise que lo haya copiado completo.")
    expect(link).to_have_attribute("href", "#codigo")
    expect(person.locator("#codigo-error")).to_contain_text(link.inner_text())
    expect(person.get_by_label("Código de verificación")).to_have_value("ZZZZ-ZZZZ-ZZZZ")
    expect(person.get_by_role("heading", level=1)).to_have_text("Verificar un documento")
    assert person.title().startswith("Error: ")
    assert axe(person) == []
    link.click()
    expect(person.get_by_label("Código de verificación")).to_be_focused()

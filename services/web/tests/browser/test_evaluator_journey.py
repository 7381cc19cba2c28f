"""Journey 2: the evaluator opens a request from the queue, reads it with its PDF shown in the page, and
approves, observes or rejects it, in a real Chromium against the live embedded system, with JavaScript
and without it.

Jurisdictions of this module only (the live system is shared by every browser test): the districts
of the province of Cusco (ubigeo 0801xx), the regions Cusco ("08") and Junín ("12"), and the 3rd and
4th entities of ``GET /api/entities``; each decision and each run (with and without JavaScript) has
its own.
"""

from __future__ import annotations

import re
from datetime import date

import httpx
import pytest
from playwright.sync_api import Page, expect
from testkit.api_steps import eventually, pending_request, status

pytestmark = pytest.mark.integration

QUEUE = "Solicitudes por evaluar, ordenadas por fecha de vencimiento"
# (ally type, where) of each decision, for the run with JavaScript and the one without.
APPROVED = {"con-js": ("GOBIERNO_LOCAL", "080102"), "sin-js": ("GOBIERNO_LOCAL", "080103")}
OBSERVED = {"con-js": ("GOBIERNO_REGIONAL", "08"), "sin-js": ("GOBIERNO_REGIONAL", "12")}
REJECTED = {"con-js": ("OTRO_ALIADO", 2), "sin-js": ("OTRO_ALIADO", 3)}  # index into GET /api/entities


def a_pending_request(live, ally_type: str, where: str | int, tag: str) -> dict:
    with httpx.Client(base_url=live.url, timeout=30) as c:
        if isinstance(where, int):
            where = c.get("/api/entities").json()[where]["ruc"]
        return pending_request(c, ally_type, where, tag)


def sign_in_as_evaluator(person: Page, live, axe) -> None:
    person.goto(f"{live.url}/iniciar-sesion")
    assert axe(person) == []
    person.get_by_label("Usuario").fill("evaluador")
    person.get_by_label("Contraseña").fill(live.staff_password)
    person.get_by_role("button", name="Iniciar sesión").click()
    expect(person.get_by_role("heading", level=1, name="Cola de evaluación")).to_be_visible()


def open_from_the_queue(person: Page, pending: dict, axe) -> None:
    row = person.get_by_role("table", name=QUEUE).get_by_role("row").filter(has_text=pending["code"])
    due = date.fromisoformat(pending["due_date"]).strftime("%d/%m/%Y")
    expect(row.get_by_role("cell", name=due)).to_be_visible()
    assert axe(person) == []
    row.get_by_role("link", name=pending["code"]).click()
    expect(person.get_by_role("heading", level=1, name=f"Solicitud {pending['code']}")).to_be_visible()
    assert axe(person) == []


def a_decision(person: Page, label: str) -> None:
    person.get_by_role("group", name="¿Qué decide sobre esta solicitud?").get_by_label(label, exact=True).check()


def test_an_evaluator_reads_a_request_with_its_signed_ddc_in_the_page_and_approves_it(
    person: Page, live, axe, screenshots, javascript: str
) -> None:
    ally_type, where = APPROVED[javascript]
    pending = a_pending_request(live, ally_type, where, f"evaluar-aprobar-{javascript}")

    sign_in_as_evaluator(person, live, axe)
    screenshots(person, f"evaluacion-cola-{javascript}")
    open_from_the_queue(person, pending, axe)

    expect(person.get_by_text("Gobierno Local", exact=True)).to_be_visible()
    expect(person.get_by_text("Coincide con el registro oficial")).to_be_visible()
    ddc = person.get_by_role("region", name="DDC firmado")
    expect(ddc.get_by_text("Firma digital", exact=True)).to_be_visible()
    sha = pending["documents"]["DDC_SIGNED"]["sha256"]
    expect(ddc.get_by_text(sha[:16], exact=True)).to_be_visible()
    signed = pending["documents"]["DDC_SIGNED"]["digitally_signed"]
    expect(ddc.get_by_text("Sí, firmado digitalmente" if signed else "No tiene firma digital")).to_be_visible()
    frame = ddc.locator("iframe")
    expect(frame).to_have_attribute("title", f"DDC firmado de la solicitud {pending['code']} (PDF)")
    embedded = person.request.get(f"{live.url}{frame.get_attribute('src')}")
    assert embedded.status == 200 and embedded.headers["content-type"] == "application/pdf"
    assert embedded.body().startswith(b"%PDF") and embedded.headers["x-frame-options"] == "SAMEORIGIN"
    link = ddc.get_by_role("link", name="Descargar el PDF del DDC firmado")
    downloaded = person.request.get(f"{live.url}{link.get_attribute('href')}")
    assert downloaded.status == 200 and downloaded.headers["content-type"] == "application/pdf"
    assert downloaded.headers["content-disposition"].startswith("attachment;")
    assert downloaded.body() == embedded.body()
    screenshots(person, f"evaluacion-solicitud-{javascript}")

    a_decision(person, "Aprobar")
    person.get_by_role("button", name="Registrar la decisión").click()

    expect(person.get_by_role("heading", level=1, name="Cola de evaluación")).to_be_visible()
    expect(person.get_by_role("status")).to_contain_text(f"Solicitud {pending['code']} aprobada.")
    expect(person.get_by_role("link", name=pending["code"])).to_have_count(0)
    assert axe(person) == []
    screenshots(person, f"evaluacion-aprobada-{javascript}")
    with httpx.Client(base_url=live.url, timeout=30) as c:
        assert status(c, pending["id"])["state"] in ("APPROVED", "CREDENTIALS_ISSUED")


def test_an_evaluator_observes_a_request_after_being_told_the_observations_are_missing(
    person: Page, live, axe, screenshots, javascript: str
) -> None:
    ally_type, where = OBSERVED[javascript]
    pending = a_pending_request(live, ally_type, where, f"evaluar-observar-{javascript}")
    sign_in_as_evaluator(person, live, axe)
    open_from_the_queue(person, pending, axe)

    a_decision(person, "Observar")
    if javascript == "sin-js":  # both fields are there without the script: an answer in the other is kept
        person.get_by_label("Motivo del rechazo").fill("Nada que rechazar")
    else:
        expect(person.get_by_label("Motivo del rechazo")).to_be_hidden()
    person.get_by_role("button", name="Registrar la decisión").click()

    summary = person.get_by_role("alert")
    expect(summary).to_contain_text("Escriba al menos una observación para el solicitante.")
    expect(person).to_have_title(re.compile(r"^Error: Solicitud "))
    field = person.get_by_label("Observaciones")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(person.locator("#observaciones-error")).to_contain_text("Escriba al menos una observación")
    expect(person.get_by_label("Observar", exact=True)).to_be_checked()
    if javascript == "sin-js":
        expect(person.get_by_label("Motivo del rechazo")).to_have_value("Nada que rechazar")
    else:
        expect(person.get_by_label("Motivo del rechazo")).to_be_hidden()
    assert axe(person) == []
    screenshots(person, f"evaluacion-observar-error-{javascript}")

    summary.get_by_role("link").click()
    field.fill("Adjunte el DDC firmado digitalmente por la autoridad.\nCorrija el correo institucional.")
    person.get_by_role("button", name="Registrar la decisión").click()

    expect(person.get_by_role("status")).to_contain_text(f"Solicitud {pending['code']} observada.")
    assert axe(person) == []
    with httpx.Client(base_url=live.url, timeout=30) as c:
        observed = eventually(lambda: (s := status(c, pending["id"]))["state"] == "OBSERVED" and s, "observed")
    assert observed["observations"] == [
        "Adjunte el DDC firmado digitalmente por la autoridad.",
        "Corrija el correo institucional.",
    ]


def test_an_evaluator_rejects_a_request_with_its_reason_and_its_page_then_shows_the_decision(
    person: Page, live, axe, screenshots, javascript: str
) -> None:
    ally_type, where = REJECTED[javascript]
    pending = a_pending_request(live, ally_type, where, f"evaluar-rechazar-{javascript}")
    sign_in_as_evaluator(person, live, axe)
    open_from_the_queue(person, pending, axe)
    designation = person.get_by_role("region", name="Documento de designación")
    expect(designation.locator("iframe")).to_have_count(1)
    shown = person.request.get(f"{live.url}{designation.locator('iframe').get_attribute('src')}")
    assert shown.status == 200 and shown.headers["content-type"] == "application/pdf"

    person.get_by_role("button", name="Registrar la decisión").click()
    expect(person.get_by_role("alert")).to_contain_text("Elija una decisión: aprobar, observar o rechazar.")
    expect(person.get_by_role("group", name="¿Qué decide sobre esta solicitud?")).to_contain_text("Elija una decisión")
    assert axe(person) == []

    a_decision(person, "Rechazar")
    person.get_by_label("Motivo del rechazo").fill("La entidad no atiende a personas con discapacidad severa.")
    person.get_by_role("button", name="Registrar la decisión").click()

    expect(person.get_by_role("status")).to_contain_text(f"Solicitud {pending['code']} rechazada.")
    assert axe(person) == []
    person.goto(f"{live.url}/evaluacion/{pending['id']}")
    expect(person.get_by_text("Esta solicitud ya no está en evaluación.")).to_be_visible()
    expect(person.get_by_text("La entidad no atiende a personas con discapacidad severa.")).to_be_visible()
    expect(person.get_by_role("button", name="Registrar la decisión")).to_have_count(0)
    assert axe(person) == []
    screenshots(person, f"evaluacion-rechazada-{javascript}")

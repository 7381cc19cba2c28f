"""In a local run, the mail the system sent is read in the browser: the list at /correo (date, to,
subject) and each message's text. Live embedded system, Chromium, JavaScript on and off.

Jurisdiction: the local government of Chinchao, Huánuco (100103) — one approved request for the
module, whose credentials e-mail both runs read.
"""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import Page, expect
from testkit.api_steps import Credentials, approved_ally, status

pytestmark = pytest.mark.integration

WHERE = "100103"


@pytest.fixture(scope="module")
def credentials_mail(live) -> tuple[Credentials, str]:
    """An approved ally, and the request code its credentials e-mail names in its subject."""
    with httpx.Client(base_url=live.url, timeout=30) as c:
        ally = approved_ally(c, live.staff_password, "GOBIERNO_LOCAL", WHERE, "correo")
        return ally, status(c, ally.request_id)["code"]


def test_the_credentials_e_mail_is_listed_and_read_as_text(
    person: Page, live_url: str, credentials_mail: tuple[Credentials, str], axe, javascript: str, screenshots
) -> None:
    ally, code = credentials_mail
    subject = f"Credenciales de acceso a USUARIO ALIADO - solicitud {code}"

    person.goto(live_url + "/correo")

    expect(person.get_by_role("heading", level=1)).to_have_text("Correo recibido")
    table = person.get_by_role("table")
    expect(table.locator("caption")).to_contain_text("recibido")
    row = table.get_by_role("row").filter(has=person.get_by_role("link", name=subject))
    expect(row).to_have_count(1)
    # Sent to the person responsible for the access (testkit's form names them so).
    expect(row).to_contain_text("responsable-correo")
    expect(row.get_by_role("cell").last).to_have_text(re.compile(r"^\d\d/\d\d/\d{4} \d\d:\d\d$"))
    assert axe(person) == []

    row.get_by_role("link", name=subject).click()

    expect(person.get_by_role("heading", level=1)).to_have_text(subject)
    text = person.locator(".mail-text")
    expect(text).to_contain_text(f"Usuario: {ally.username}")
    expect(text).to_contain_text(f"Contraseña: {ally.password}")
    assert axe(person) == []
    screenshots(person, f"correo-recibido-{javascript}")
    person.get_by_role("link", name="Volver al correo recibido").click()
    expect(person.get_by_role("heading", level=1)).to_have_text("Correo recibido")


def test_a_message_the_catcher_never_kept_is_not_found(person: Page, live_url: str, axe) -> None:
    answer = person.goto(live_url + "/correo/1-1")

    assert answer is not None and answer.status == 404
    expect(person.get_by_role("heading", level=1)).to_have_text("No se encontró la página")
    assert axe(person) == []

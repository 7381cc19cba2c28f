"""An administrator creates a CTVC account at /gestion/cuentas and its password arrives only by e-mail, in a
real Chromium against the live embedded system, with JavaScript and without it."""

from __future__ import annotations

import re
import secrets

import httpx
import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.integration

SUBJECT = "Su cuenta del personal en USUARIO ALIADO - Programa CONTIGO"


def test_an_admin_creates_a_ctvc_account_and_its_password_arrives_by_mail(
    person: Page, live, axe, javascript: str, screenshots
) -> None:
    mailbox = f"ctvc-{javascript.replace(' ', '-')}-{secrets.token_hex(3)}@example.pe"
    person.goto(f"{live.url}/iniciar-sesion")
    person.get_by_label("Usuario").fill("admin")
    person.get_by_label("Contraseña").fill(live.staff_password)
    person.get_by_role("button", name="Iniciar sesión").click()
    person.get_by_role("link", name="Cuentas").click()
    expect(person.get_by_role("heading", level=1)).to_have_text("Cuentas del personal")

    person.get_by_label("Rol").select_option("CTVC")
    person.get_by_label("Nombres y apellidos").fill("Rosa Rojas Huamán")
    person.get_by_label("Correo electrónico").fill(mailbox)
    person.get_by_label("Unidad (solo para un analista)").select_option("UAC")
    person.get_by_role("button", name="Crear la cuenta").click()

    # The unit does not apply to a CTVC: refused at its select, what was typed kept.
    expect(person.get_by_role("heading", level=1)).to_have_text("Cuentas del personal")
    expect(person.locator("#unidad-error")).to_contain_text("Solo una cuenta de analista tiene unidad.")
    expect(person.get_by_label("Nombres y apellidos")).to_have_value("Rosa Rojas Huamán")
    assert axe(person) == []
    person.get_by_label("Unidad (solo para un analista)").select_option("")
    person.get_by_label("Región (solo para un CTVC)").select_option("09")
    person.get_by_role("button", name="Crear la cuenta").click()

    notice = person.get_by_role("status")
    expect(notice).to_contain_text(re.compile(r"Cuenta ctvc\.huancavelica\d* creada"))
    expect(notice).to_contain_text("La contraseña se envió por correo electrónico")
    username = re.search(r"Cuenta (\S+) creada", notice.inner_text()).group(1)
    assert axe(person) == []
    screenshots(person, f"cuentas-creada-{javascript}")

    person.goto(f"{live.url}/correo")
    row = person.get_by_role("row").filter(has_text=mailbox)
    expect(row).to_have_count(1)
    row.get_by_role("link", name=SUBJECT).click()
    text = person.locator(".mail-text")
    expect(text).to_contain_text(f"Usuario: {username}")
    expect(text).to_contain_text("región Huancavelica")
    password = re.search(r"Contraseña:\s+(\S+)", text.inner_text()).group(1)

    with httpx.Client(base_url=live.url, timeout=30) as c:
        login = c.post("/api/auth/login", json={"username": username, "password": password})
        assert login.status_code == 200, login.text
        me = c.get("/api/me", headers={"Authorization": f"Bearer {login.json()['access_token']}"})
    assert (me.json()["role"], me.json()["ubigeo"]) == ("CTVC", "09")

"""Journey 3: an ally with credentials, in a real Chromium against the live embedded system, with
JavaScript and without it — signs in, reads the panel, lists and downloads the district's users,
opens one, raises an alert, presents a FAD, sends an affiliation request, and is refused another
district's beneficiary typed in the address bar.

Jurisdictions of this module (the live system is shared): the municipality of Miraflores (Lima,
"150122") and the regional government of Lima ("15"). Each account is created once for the module
and serves both runs (with and without JavaScript). The numbers are never written here: the panel's
tables are checked against what the API answers the same account.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Locator, Page, expect
from testkit.api_steps import Credentials, approved_ally, staff_token

from web.pages.dashboard import BLOCKS

pytestmark = pytest.mark.integration

MIRAFLORES = "150122"
LIMA_REGION = "15"
# Another district of Lima, for the address typed by hand; its own ally (if any) is not used here.
CERCADO = "150101"


@pytest.fixture(scope="module")
def api(live) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live.url, timeout=60) as c:
        yield c


@pytest.fixture(scope="module")
def municipality(api: httpx.Client, live) -> Credentials:
    return approved_ally(api, live.staff_password, "GOBIERNO_LOCAL", MIRAFLORES, "aliado-miraflores")


@pytest.fixture(scope="module")
def regional_government(api: httpx.Client, live) -> Credentials:
    return approved_ally(api, live.staff_password, "GOBIERNO_REGIONAL", LIMA_REGION, "aliado-region-lima")


def token_of(api: httpx.Client, who: Credentials) -> str:
    answer = api.post("/api/auth/login", json={"username": who.username, "password": who.password})
    assert answer.status_code == 200, answer.text
    return answer.json()["access_token"]


def summary_of(api: httpx.Client, who: Credentials) -> dict:
    answer = api.get("/api/padron/summary", headers={"Authorization": f"Bearer {token_of(api, who)}"})
    assert answer.status_code == 200, answer.text
    return answer.json()


def sign_in(person: Page, live_url: str, who: Credentials) -> None:
    person.goto(live_url)
    person.get_by_role("link", name="Iniciar sesión").first.click()
    person.get_by_label("Usuario").fill(who.username)
    person.get_by_label("Contraseña").fill(who.password)
    person.get_by_role("button", name="Iniciar sesión").click()


def table_of(person: Page, table_id: str) -> dict[str, int]:
    """A chart's table as {label: number}, read as the person reads it."""
    rows = person.locator(f"#{table_id} tbody tr")
    found = {}
    for index in range(rows.count()):
        row = rows.nth(index)
        found[row.locator("th").inner_text().strip()] = int(row.locator("td").inner_text().replace(",", ""))
    return found


def expected_table(totals: dict, block: str) -> dict[str, int]:
    states = next(states for key, _, states in BLOCKS if key == block)
    return {label: totals[block][state] for state, label in states.items()} | {"Total": totals[block]["total"]}


def beneficiary_elsewhere(api: httpx.Client, live) -> str:
    """A beneficiary of another district, found by staff (the ally will type its address)."""
    token = staff_token(api, live.staff_password)
    answer = api.get(
        "/api/padron/beneficiaries",
        params={"ubigeo": CERCADO, "limit": "1"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["items"][0]["beneficiary_id"]


def reads_the_panel(person: Page, live_url: str, summary: dict) -> None:
    """The district's numbers, each chart with its table, as the API counts them for this account."""
    expect(person).to_have_url(f"{live_url}/panel")
    expect(person.get_by_role("heading", level=1, name=re.compile("^Panel de Miraflores"))).to_be_visible()
    expect(person.get_by_text(f"periodo {summary['padron']['period']}")).to_be_visible()
    for block in summary["totals"]:
        key = block.replace("_", "-")
        assert table_of(person, f"tabla-{key}") == expected_table(summary["totals"], block), block
        expect(person.locator(f"svg[aria-labelledby='grafico-{key}-titulo']")).to_have_count(1)
    expect(person.get_by_role("img", name="Usuarios del programa por estado")).to_be_visible()


def lists_the_active_users(person: Page) -> tuple[Locator, str]:
    """The district's users, only the active ones: the table and the first one's DNI."""
    person.get_by_role("link", name="Beneficiarios").click()
    heading = person.get_by_role("heading", level=1, name=re.compile("^Usuarios del programa en Miraflores"))
    expect(heading).to_be_visible()
    person.get_by_label("Estado").select_option(label="Vigente")
    person.get_by_role("button", name="Filtrar").click()
    expect(person).to_have_url(re.compile(r"/beneficiarios\?estado=VIGENTE$"))
    table = person.get_by_role("table", name=re.compile("^Usuarios de Miraflores.* en estado vigente$"))
    expect(table.locator("tbody tr").first).to_be_visible()
    statuses = table.locator("tbody tr td:nth-child(3)").all_inner_texts()
    assert statuses and set(statuses) == {"Vigente"}
    return table, table.locator("tbody tr td:nth-child(2)").first.inner_text()


def downloads_the_list(person: Page, dni: str) -> None:
    with person.expect_download() as download:
        person.get_by_role("link", name=re.compile("^Descargar CSV")).click()
    assert download.value.suggested_filename == f"beneficiarios-{MIRAFLORES}-vigente.csv"
    assert dni in Path(download.value.path()).read_text(encoding="utf-8-sig")


def raises_an_alert(person: Page, javascript: str, no_violations: Callable[[], None]) -> None:
    """First sent empty (refused at its fields), then filled."""
    alert = person.locator("form[action$='/alerta']")
    alert.get_by_role("button", name="Registrar la alerta").click()
    expect(person.get_by_role("alert")).to_contain_text("Hay un problema")
    expect(person).to_have_title(re.compile("^Error: Ficha de "))
    no_violations()
    alert = person.locator("form[action$='/alerta']")
    alert.get_by_label("No cobra la pensión").check()
    alert.get_by_label("Describa lo que ocurre").fill(f"No cobra desde hace dos meses ({javascript}).")
    alert.get_by_role("button", name="Registrar la alerta").click()
    expect(person.get_by_role("status")).to_contain_text("Se registró la alerta")
    no_violations()


def presents_a_fad(person: Page, no_violations: Callable[[], None]) -> None:
    """A refused phone stays in its field with the refusal beside it; corrected, the FAD is presented."""
    fad = person.locator("form[action$='/fad']")
    fad.get_by_label("Nuevo teléfono", exact=True).fill("12")
    fad.get_by_label("Nueva persona de contacto").fill("HUAMÁN CCORI, ROSA")
    fad.get_by_role("button", name="Presentar la FAD").click()
    expect(person.get_by_role("alert")).to_contain_text("Hay un problema")
    fad = person.locator("form[action$='/fad']")
    expect(fad.get_by_label("Nuevo teléfono", exact=True)).to_have_value("12")
    expect(fad.get_by_label("Nueva persona de contacto")).to_have_value("HUAMÁN CCORI, ROSA")
    no_violations()
    fad.get_by_label("Nuevo teléfono", exact=True).fill("987654321")
    fad.get_by_role("button", name="Presentar la FAD").click()
    expect(person.get_by_role("status")).to_contain_text("Se presentó la FAD")


def sends_an_affiliation_request(person: Page, dni: str, no_violations: Callable[[], None]) -> None:
    person.get_by_role("link", name="Solicitudes de afiliación").click()
    expect(person.get_by_role("heading", level=1, name="Solicitudes de afiliación")).to_be_visible()
    no_violations()
    person.get_by_role("link", name="Nueva solicitud de afiliación").click()
    no_violations()
    person.get_by_label("DNI de la persona solicitante").fill(dni)
    person.get_by_label("Apellidos y nombres de la persona solicitante").fill("ROJAS QUISPE, ANA")
    person.get_by_role("button", name="Enviar la solicitud").click()
    expect(person.get_by_role("status")).to_contain_text("Se envió la solicitud de afiliación")
    expect(person.get_by_role("table", name="Solicitudes de afiliación de su distrito")).to_contain_text(dni)
    no_violations()


def is_refused(person: Page, address: str) -> None:
    answer = person.goto(address)
    assert answer is not None and answer.status in (403, 404), address
    expect(person.get_by_role("heading", level=1, name=re.compile("^No (tiene permiso|se encontró)"))).to_be_visible()


def test_a_municipality_reads_its_panel_lists_its_users_and_acts_on_one(
    person: Page, live_url: str, live, api: httpx.Client, municipality: Credentials, axe, screenshots, javascript
) -> None:
    def no_violations() -> None:
        assert axe(person) == [], person.url

    sign_in(person, live_url, municipality)
    reads_the_panel(person, live_url, summary_of(api, municipality))
    no_violations()
    screenshots(person, f"aliado-panel-{javascript}")

    table, dni = lists_the_active_users(person)
    no_violations()
    screenshots(person, f"aliado-beneficiarios-{javascript}")
    downloads_the_list(person, dni)

    table.locator("tbody tr th a").first.click()
    expect(person.get_by_role("heading", level=1, name=re.compile("^Ficha de "))).to_be_visible()
    expect(person.get_by_text(dni, exact=True)).to_be_visible()
    no_violations()
    screenshots(person, f"aliado-ficha-{javascript}")
    raises_an_alert(person, javascript, no_violations)
    presents_a_fad(person, no_violations)

    sends_an_affiliation_request(person, "45678913" if javascript == "con-js" else "45678914", no_violations)

    # Another district's beneficiary or list, typed in the address bar: a Spanish refusal, not a crash.
    is_refused(person, f"{live_url}/beneficiarios/{beneficiary_elsewhere(api, live)}")
    no_violations()
    is_refused(person, f"{live_url}/beneficiarios?ubigeo={CERCADO}")


def test_a_regional_government_reads_its_region_by_province_and_district(
    person: Page, live_url: str, api: httpx.Client, regional_government: Credentials, axe
) -> None:
    sign_in(person, live_url, regional_government)

    expect(person).to_have_url(f"{live_url}/panel")
    summary = summary_of(api, regional_government)
    expect(person.get_by_role("heading", level=1, name=f"Panel de {summary['name']}")).to_be_visible()
    assert table_of(person, "tabla-beneficiaries") == expected_table(summary["totals"], "beneficiaries")
    provinces = person.get_by_role("table", name="Usuarios por provincia")
    expect(provinces.locator("tbody tr")).to_have_count(len(summary["provinces"]))
    expect(person.get_by_role("table", name="Usuarios por distrito").locator("tbody tr")).to_have_count(
        len(summary["districts"])
    )
    assert axe(person) == []

    # The published padrón, opened on its first category with people.
    person.get_by_role("link", name="Padrón", exact=True).click()
    expect(person.get_by_role("heading", level=1, name=re.compile("^Padrón: "))).to_be_visible()
    people = person.get_by_role("table", name=re.compile("^Personas del padrón"))
    expect(people.locator("tbody tr").first).to_be_visible()
    assert axe(person) == []

    # Another region by address: refused as a Spanish page.
    answer = person.goto(f"{live_url}/panel?region=08")
    assert answer is not None and answer.status == 403
    expect(person.get_by_role("heading", level=1, name="No tiene permiso para ver esta página")).to_be_visible()

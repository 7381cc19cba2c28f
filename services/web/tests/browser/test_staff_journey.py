"""Journey 4: programme staff attend alerts, decide FADs and affiliation requests, publish the padrón, import
beneficiaries and read the access log, in a real Chromium against the live embedded system, with
JavaScript and without it.

Jurisdictions of this module: Arequipa's district 040101 (its municipality raises the alerts, FADs and
affiliation requests) and 040102 (where the imported beneficiaries live). Each run (with and without
JavaScript) has its own alert, FADs and request, made once for the module.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import httpx
import pytest
from playwright.sync_api import Page, expect
from testkit.api_steps import Credentials, approved_ally, staff_token

pytestmark = pytest.mark.integration

DISTRICT, IMPORT_DISTRICT = "040101", "040102"
RUNS = ("con-js", "sin-js")
ROMAN = ("I", "II", "III", "IV", "V", "VI")
HEADER = (
    "dni,names,birth_date,sex,ubigeo,address,phone,contact_name,contact_phone,certificate_number,"
    "certificate_severity,certificate_issuer,certificate_date,sisfoh_classification,sisfoh_expires_on,"
    "other_pension,bank_name,bank_account,status,status_reason,affiliated_on"
)


@dataclass(frozen=True)
class Run:
    """What one run of the tests finds waiting: an open alert, two pending FADs and a pending request."""

    alert_detail: str
    fad_to_approve: tuple[str, str]  # (names, new address)
    fad_to_reject: tuple[str, str]
    applicant: str


@dataclass(frozen=True)
class Arequipa:
    ally: Credentials
    runs: dict[str, Run]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def arequipa(live) -> Iterator[Arequipa]:
    """The municipality of 040101 with credentials, and what it reported for each run."""
    with httpx.Client(base_url=live.url, timeout=60) as c:
        ally = approved_ally(c, live.staff_password, "GOBIERNO_LOCAL", DISTRICT, "gestion-arequipa")
        token = c.post("/api/auth/login", json={"username": ally.username, "password": ally.password})
        assert token.status_code == 200, token.text
        headers = bearer(token.json()["access_token"])
        listed = c.get("/api/padron/beneficiaries", params={"status": "VIGENTE", "limit": 10}, headers=headers)
        assert listed.status_code == 200, listed.text
        people = listed.json()["items"]
        assert len(people) >= 6, people
        runs = {}
        for index, run in enumerate(RUNS):
            alerted, approved, rejected = people[3 * index : 3 * index + 3]
            detail = f"No cobra desde hace dos bimestres ({run}, {secrets.token_hex(3)})."
            raised = c.post(
                f"/api/padron/beneficiaries/{alerted['beneficiary_id']}/alerts",
                json={"alert_type": "NO_COBRA", "detail": detail},
                headers=headers,
            )
            assert raised.status_code == 201, raised.text
            addresses = {}
            for person in (approved, rejected):
                address = f"Calle Mercaderes {secrets.randbelow(900) + 100}, Cercado"
                fad = c.post(
                    f"/api/padron/beneficiaries/{person['beneficiary_id']}/fad",
                    json={"changes": {"address": address}},
                    headers=headers,
                )
                assert fad.status_code == 201, fad.text
                addresses[person["beneficiary_id"]] = address
            applicant = f"CCORI {run.upper().replace('-', ' ')}, MARÍA"
            request = c.post(
                "/api/padron/affiliation-requests",
                json={"applicant_dni": f"7{secrets.randbelow(10**7):07d}", "applicant_names": applicant},
                headers=headers,
            )
            assert request.status_code == 201, request.text
            runs[run] = Run(
                alert_detail=detail,
                fad_to_approve=(approved["names"], addresses[approved["beneficiary_id"]]),
                fad_to_reject=(rejected["names"], addresses[rejected["beneficiary_id"]]),
                applicant=applicant,
            )
        yield Arequipa(ally, runs)


def sign_in(person: Page, live_url: str, username: str, password: str) -> None:
    person.goto(f"{live_url}/iniciar-sesion")
    person.get_by_label("Usuario").fill(username)
    person.get_by_label("Contraseña").fill(password)
    person.get_by_role("button", name="Iniciar sesión").click()
    expect(person.get_by_role("heading", level=1, name="Cola de evaluación")).to_be_visible()


def test_an_evaluator_attends_an_open_alert_from_the_queue(
    person: Page, live, arequipa: Arequipa, axe, screenshots, javascript: str
) -> None:
    detail = arequipa.runs[javascript].alert_detail
    sign_in(person, live.url, "evaluador", live.staff_password)

    person.get_by_role("link", name="Alertas").click()
    person.get_by_label("Estado").select_option(label="Abierta")
    person.get_by_role("button", name="Filtrar").click()
    row = person.get_by_role("row").filter(has_text=detail)
    expect(row.get_by_role("cell", name="Abierta")).to_be_visible()
    expect(row).to_contain_text("No cobra la pensión")
    assert axe(person) == []
    screenshots(person, f"gestion-alertas-{javascript}")
    row.get_by_role("button", name="Dar por atendida").click()

    expect(person.get_by_role("status")).to_contain_text("Alerta dada por atendida")
    expect(person.get_by_role("row").filter(has_text=detail)).to_have_count(0)
    assert axe(person) == []
    person.get_by_label("Estado").select_option(label="Atendida")
    person.get_by_role("button", name="Filtrar").click()
    expect(person.get_by_role("row").filter(has_text=detail).get_by_role("cell", name="Atendida")).to_be_visible()


def test_an_evaluator_approves_one_fad_and_rejects_another_only_with_a_reason(
    person: Page, live, arequipa: Arequipa, axe, screenshots, javascript: str
) -> None:
    run = arequipa.runs[javascript]
    sign_in(person, live.url, "evaluador", live.staff_password)

    person.get_by_role("link", name="FAD", exact=True).click()
    expect(person.get_by_role("heading", level=1, name="Fichas de Actualización de Datos (FAD)")).to_be_visible()
    assert axe(person) == []
    names, address = run.fad_to_approve
    person.get_by_role("link", name=names).first.click()
    changes = person.get_by_role("table", name="Cambios propuestos: antes y después")
    expect(changes.get_by_role("row").filter(has_text="Dirección")).to_contain_text(address)
    assert axe(person) == []
    screenshots(person, f"gestion-fad-antes-despues-{javascript}")
    person.get_by_label("Aprobar").check()
    person.get_by_role("button", name="Guardar la decisión").click()

    expect(person.get_by_text("Aprobada", exact=True)).to_be_visible()
    history = person.get_by_role("table", name="Historial: antes y después de aplicar la FAD")
    expect(history.get_by_role("row").filter(has_text="Dirección")).to_contain_text(address)
    assert axe(person) == []

    person.get_by_role("link", name="Volver a las FAD").click()
    names, address = run.fad_to_reject
    person.get_by_role("link", name=names).first.click()
    person.get_by_label("Rechazar").check()
    person.get_by_role("button", name="Guardar la decisión").click()

    summary = person.get_by_role("alert")
    expect(summary).to_contain_text("Indique el motivo del rechazo.")
    expect(person.get_by_label("Rechazar")).to_be_checked()
    assert axe(person) == []
    summary.get_by_role("link", name="Indique el motivo del rechazo.").click()
    expect(person.get_by_label("Motivo u observación")).to_be_focused()
    person.get_by_label("Motivo u observación").fill("La dirección no coincide con la verificación de campo.")
    person.get_by_role("button", name="Guardar la decisión").click()

    expect(person.get_by_text("Rechazada", exact=True)).to_be_visible()
    expect(person.get_by_text("La dirección no coincide con la verificación de campo.")).to_be_visible()
    assert axe(person) == []


def test_an_evaluator_qualifies_an_affiliation_request_as_conforme(
    person: Page, live, arequipa: Arequipa, axe, javascript: str
) -> None:
    applicant = arequipa.runs[javascript].applicant
    sign_in(person, live.url, "evaluador", live.staff_password)

    person.get_by_role("link", name="Afiliaciones").click()
    person.get_by_label("Estado").select_option(label="Pendiente")
    person.get_by_role("button", name="Filtrar").click()
    card = person.get_by_role("listitem").filter(has=person.get_by_role("heading", name=applicant))
    assert axe(person) == []
    card.get_by_role("button", name="Guardar la calificación").click()
    expect(person.get_by_role("alert")).to_contain_text("Elija si la solicitud es conforme o no.")
    assert axe(person) == []
    card = person.get_by_role("listitem").filter(has=person.get_by_role("heading", name=applicant))
    card.get_by_label("Conforme", exact=True).check()
    card.get_by_role("button", name="Guardar la calificación").click()

    expect(person.get_by_role("status")).to_contain_text("Solicitud calificada")
    person.get_by_label("Estado").select_option(label="Conforme")
    person.get_by_role("button", name="Filtrar").click()
    card = person.get_by_role("listitem").filter(has=person.get_by_role("heading", name=applicant))
    expect(card).to_contain_text("evaluador")
    assert axe(person) == []


def test_affiliating_someone_without_a_severe_certificate_is_refused_at_that_field(
    person: Page, live, axe, javascript: str
) -> None:
    sign_in(person, live.url, "evaluador", live.staff_password)
    person.get_by_role("link", name="Afiliaciones").click()
    person.get_by_role("link", name="Afiliar un beneficiario").click()
    answers = {
        "DNI": f"5{secrets.randbelow(10**7):07d}",
        "Apellidos y nombres": "MAMANI CCORI, JUANA",
        "Fecha de nacimiento": "1961-07-20",
        "Ubigeo del distrito": IMPORT_DISTRICT,
        "Dirección": "Calle Melgar 120",
        "Número del certificado de discapacidad": "CD-2024-0101",
        "Establecimiento que emitió el certificado": "Hospital Goyeneche",
        "Fecha del certificado": "2024-03-01",
        "Vigencia de la clasificación SISFOH": f"{date.today().year + 1}-12-31",
    }
    for label, value in answers.items():
        person.get_by_label(label, exact=True).fill(value)
    person.get_by_label("Sexo").select_option(label="Femenino")
    person.get_by_label("Grado de discapacidad del certificado").select_option(label="Moderada")
    person.get_by_label("Clasificación socioeconómica (SISFOH)").select_option(label="Pobre")
    person.get_by_role("button", name="Afiliar").click()

    summary = person.get_by_role("alert")
    expect(summary).to_contain_text("No cumple los requisitos de la pensión")
    summary.get_by_role("link", name="El certificado de discapacidad debe ser de grado SEVERA.").click()
    expect(person.get_by_label("Grado de discapacidad del certificado")).to_be_focused()
    expect(person.get_by_label("Apellidos y nombres")).to_have_value("MAMANI CCORI, JUANA")
    assert axe(person) == []


def next_period(live) -> str:
    """The period after the latest published one (the API publishes only forward)."""
    with httpx.Client(base_url=live.url, timeout=60) as c:
        token = staff_token(c, live.staff_password, "admin")
        versions = c.get("/api/padron/versions", headers=bearer(token)).json()
    latest = max((int(v["period"].split("-")[1]), ROMAN.index(v["period"].split("-")[0])) for v in versions)
    year, bimester = latest
    return f"{ROMAN[bimester + 1]}-{year}" if bimester < 5 else f"I-{year + 1}"


def test_an_admin_publishes_the_next_padron_version_and_sees_its_totals(
    person: Page, live, axe, screenshots, javascript: str
) -> None:
    period = next_period(live)
    sign_in(person, live.url, "admin", live.staff_password)

    person.get_by_role("link", name="Padrón").click()
    expect(person.get_by_role("table", name="Versiones publicadas del padrón")).to_contain_text("V-2022")
    assert axe(person) == []
    person.get_by_label("Periodo").fill("Quinto")
    person.get_by_label("Número de la resolución").fill("R.D. N.° 090-2026-MIDIS/PNPDS-DE")
    person.get_by_label("Fecha de la resolución").fill("2026-09-01")
    person.get_by_role("button", name="Publicar la versión").click()
    expect(person.get_by_role("alert")).to_contain_text("Use el bimestre en romanos y el año")
    expect(person.get_by_label("Número de la resolución")).to_have_value("R.D. N.° 090-2026-MIDIS/PNPDS-DE")
    assert axe(person) == []
    person.get_by_label("Periodo").fill(period)
    # Publishing classifies every beneficiary of the country: it takes a while.
    person.get_by_role("button", name="Publicar la versión").click(timeout=120_000)

    expect(person.get_by_role("heading", level=1, name=f"Padrón {period}")).to_be_visible(timeout=120_000)
    expect(person.get_by_role("status")).to_contain_text("Versión publicada")
    expect(person.get_by_role("table", name=f"Personas del padrón {period} por categoría")).to_contain_text("Total")
    expect(person.get_by_role("table", name=f"Personas del padrón {period} por región y categoría")).to_contain_text(
        "Arequipa"
    )
    assert axe(person) == []
    screenshots(person, f"gestion-padron-version-{javascript}")


def csv_row(dni: str, names: str, **changed: str) -> str:
    today = date.today()
    values = {
        "dni": dni,
        "names": names,
        "birth_date": "1958-03-14",
        "sex": "F",
        "ubigeo": IMPORT_DISTRICT,
        "address": "Av. Ejército 410",
        "phone": "",
        "contact_name": "",
        "contact_phone": "",
        "certificate_number": f"CD-{dni}",
        "certificate_severity": "SEVERA",
        "certificate_issuer": "Hospital Honorio Delgado",
        "certificate_date": "2024-05-02",
        "sisfoh_classification": "POBRE",
        "sisfoh_expires_on": (today + timedelta(days=365)).isoformat(),
        "other_pension": "NO",
        "bank_name": "",
        "bank_account": "",
        "status": "VIGENTE",
        "status_reason": "",
        "affiliated_on": today.isoformat(),
    } | changed
    return ",".join(f'"{v}"' if "," in v else v for v in values.values())


def test_an_admin_imports_a_csv_refused_row_by_row_and_then_a_good_one(
    person: Page, live, axe, screenshots, javascript: str, tmp_path
) -> None:
    first, second = (f"6{secrets.randbelow(10**7):07d}" for _ in range(2))
    good = [csv_row(first, "QUISPE MAMANI, ROSA"), csv_row(second, "HUAMANI CCAMA, LUIS", sex="M")]
    bad_file, good_file = tmp_path / "con-error.csv", tmp_path / "beneficiarios.csv"
    bad_file.write_text("\n".join([HEADER, *good, csv_row("123", "SIN COMA")]) + "\n", encoding="utf-8")
    good_file.write_text("\n".join([HEADER, *good]) + "\n", encoding="utf-8")
    sign_in(person, live.url, "admin", live.staff_password)

    person.get_by_role("link", name="Padrón").click()
    template = person.get_by_role("link", name="Descargar plantilla CSV")
    assert person.request.get(live.url + template.get_attribute("href")).text().strip() == HEADER
    person.get_by_label("Archivo CSV de beneficiarios").set_input_files(bad_file)
    person.get_by_role("button", name="Importar").click()

    expect(person.get_by_role("heading", level=1, name="No se importó el archivo")).to_be_visible(timeout=60_000)
    errors = person.get_by_role("table", name="Errores por fila (la fila 1 es la cabecera)")
    line = errors.get_by_role("row").filter(has_text="El DNI debe tener 8 dígitos.")
    expect(line.get_by_role("rowheader")).to_have_text("4")
    expect(line).to_contain_text("dni")
    expect(errors.get_by_role("row").filter(has_text="APELLIDOS, NOMBRES")).to_contain_text("names")
    assert axe(person) == []
    screenshots(person, f"gestion-importar-errores-{javascript}")

    person.get_by_role("link", name="Importar otro archivo").click()
    person.get_by_label("Archivo CSV de beneficiarios").set_input_files(good_file)
    person.get_by_role("button", name="Importar").click()

    expect(person.get_by_role("status")).to_contain_text("Se importaron 2 beneficiarios.", timeout=60_000)
    assert axe(person) == []
    loaded = person.evaluate("() => performance.getEntriesByType('navigation')[0].name")
    # With JavaScript the upload went by XMLHttpRequest: the page loaded last is still the form's.
    assert loaded.endswith("/gestion/padron#importar" if javascript == "con-js" else "/gestion/padron/importar")


def test_an_evaluator_filters_the_access_log_by_username(
    person: Page, live, arequipa: Arequipa, axe, screenshots, javascript: str
) -> None:
    username = arequipa.ally.username
    sign_in(person, live.url, "evaluador", live.staff_password)

    person.get_by_role("link", name="Registro de accesos").click()
    person.get_by_role("textbox", name="Usuario").fill(username)
    person.get_by_role("button", name="Filtrar").click()

    log = person.get_by_role("table", name=f"Accesos registrados del usuario {username}")
    expect(log.get_by_role("row").filter(has_text="LIST_BENEFICIARIES").first).to_be_visible()
    rows = log.get_by_role("row").all()[1:]
    assert rows and all(username in row.inner_text() for row in rows)
    expect(person.get_by_role("textbox", name="Usuario")).to_have_value(username)
    assert axe(person) == []
    screenshots(person, f"gestion-registro-de-accesos-{javascript}")
    person.get_by_label("Desde").fill("ayer")
    person.get_by_role("button", name="Filtrar").click()
    expect(person.get_by_role("alert")).to_be_visible()
    assert axe(person) == []

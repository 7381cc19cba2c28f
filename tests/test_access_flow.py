"""The USUARIO ALIADO access request end to end, driven through the gateway like a browser:
from an empty form to a login with the e-mailed password, for each ally type, in the
distributed run (real Kafka, PostgreSQL, MinIO and SMTP) and in the embedded run."""

from __future__ import annotations

import json
import os
import secrets
import signal
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest
import running
from testkit.api_steps import (
    blank_pdf,
    complete_form,
    credentials_in,
    eventually,
    mail_for,
    pdf_text,
    send,
    send_form,
    signed_on_screen,
    staff_token,
    status,
    upload,
)

from eventkit.clock import LIMA

pytestmark = pytest.mark.e2e

PASSWORD = "Demo-Evaluador-2026"
REPO = Path(__file__).resolve().parents[1]


@dataclass
class System:
    url: str
    mode: str


def _start(args: list[str], url: str, ports: tuple[int, ...], tmp: Path, env: dict[str, str]) -> Iterator[System]:
    run = running.start(args, cwd=tmp, env=env, ports=ports, log=tmp / "system.log")
    try:
        run.wait_healthy(f"{url}/health", 90)
        yield System(url, "distributed" if "--distributed" in args else "embedded")
    finally:
        exit_code = run.stop(signal.SIGINT)
    assert exit_code == 0, run.output()[-2000:]
    assert run.leftovers() == ([], []), "the run left processes or ports behind"


@pytest.fixture(scope="module", params=["distributed", "embedded"])
def system(request, servers, tmp_path_factory) -> Iterator[System]:
    tmp = tmp_path_factory.mktemp(request.param)
    env = os.environ | {"CONTIGO_DEMO_STAFF_PASSWORD": PASSWORD, "CONTIGO_LOG_LEVEL": "INFO"}
    if request.param == "distributed":
        env |= {"CONTIGO_DEMO_DATA": "true"}  # the synthetic padrón and V-2022, as the embedded run has them
        ports = (8000, 8001, 8002, 8003, 8004, 8005, 12530)
        yield from _start(["--distributed", "--smtp-port", "12530"], "http://127.0.0.1:8000", ports, tmp, env)
    else:
        args = ["--port", "18100", "--smtp-port", "12531", "--data-dir", str(tmp / "data")]
        yield from _start(args, "http://127.0.0.1:18100", (18100, 12531), tmp, env)


# -- a person's steps ---------------------------------------------------------------------


def documents_in_and_approved(c: httpx.Client, request_id: str, ally_type: str) -> dict:
    ready = eventually(lambda: (s := status(c, request_id))["ddc"]["ready"] and s, "the DDC is ready")
    ddc = c.get(f"/api/access-requests/{request_id}/ddc")
    assert ddc.status_code == 200 and ddc.content.startswith(b"%PDF")
    assert ready["authority_check"] is None or ready["authority_check"]["result"] == "MATCH"
    unsigned = upload(c, request_id, "DDC_SIGNED", ddc.content, "ddc.pdf")
    assert unsigned.status_code == 422 and unsigned.json()["detail"].startswith("Este es el DDC sin firmar"), (
        unsigned.text
    )
    signed = upload(c, request_id, "DDC_SIGNED", signed_on_screen(ddc.content), "ddc-firmado.pdf")
    assert signed.status_code == 201, signed.text
    if ally_type == "OTRO_ALIADO":
        assert upload(c, request_id, "DESIGNATION", blank_pdf(), "designacion.pdf").status_code == 201
    pending = eventually(
        lambda: (s := status(c, request_id))["state"] == "PENDING_EVALUATION" and s, "the request enters the queue"
    )
    token = staff_token(c, PASSWORD)
    queue = c.get("/api/evaluation/queue", headers={"Authorization": f"Bearer {token}"}).json()
    assert request_id in [r["id"] for r in queue]
    decided = c.post(
        f"/api/evaluation/{request_id}/decision",
        json={"decision": "APPROVE"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert decided.status_code == 200, decided.text
    eventually(lambda: status(c, request_id)["state"] == "CREDENTIALS_ISSUED", "credentials issued")
    return pending


def pick_jurisdiction(c: httpx.Client, ally_type: str, index: int) -> str:
    if ally_type == "GOBIERNO_REGIONAL":
        return [r["code"] for r in c.get("/api/ubigeo/regions").json()][index]
    if ally_type == "GOBIERNO_LOCAL":
        return [d["code"] for d in c.get("/api/ubigeo/provinces/0902/districts").json()][index]
    return [e["ruc"] for e in c.get("/api/entities").json()][index]


# -- the journeys -----------------------------------------------------------------------------


@pytest.mark.parametrize("ally_type", ["GOBIERNO_REGIONAL", "GOBIERNO_LOCAL", "OTRO_ALIADO"])
def test_an_ally_goes_from_an_empty_form_to_a_login_with_the_e_mailed_password(system, ally_type):
    index = {"distributed": 0, "embedded": 1}[system.mode]
    with httpx.Client(base_url=system.url, timeout=30) as c:
        where = pick_jurisdiction(c, ally_type, index)
        form = complete_form(c, ally_type, where, f"{ally_type.lower()}-{system.mode}")

        draft = send_form(c, form)
        documents_in_and_approved(c, draft["id"], ally_type)
        mail = mail_for(c, draft["code"])
        username, password = credentials_in(mail)
        authority_email = form["authority"]["institutional_email"]
        notice = eventually(
            lambda: next(
                (m for m in c.get("/dev/mail").json() if authority_email in m["to"] and draft["code"] in m["text"]),
                None,
            ),
            f"the authority's notice of {draft['code']}",
        )
        login = c.post("/api/auth/login", json={"username": username, "password": password})
        auth = {"Authorization": f"Bearer {login.json()['access_token']}"}
        me = c.get("/api/me", headers=auth)
        summary = c.get("/api/padron/summary", headers=auth)
        elsewhere = c.get("/api/padron/districts/150101/summary", headers=auth)

    assert form["responsible"]["institutional_email"] in mail["to"]
    # The password goes to the responsible person alone; the authority is told the username and who holds it.
    assert not mail["cc"] and authority_email not in mail["to"]
    assert password not in notice["text"] and f"Usuario:      {username}" in notice["text"]
    assert f"Responsable:  {form['responsible']['names'].upper()}" in notice["text"]
    assert "no pueden ser modificadas" in mail["text"] or "no puede ser modificada" in mail["text"]
    assert login.status_code == 200
    assert me.json()["role"] == "ALLY" and me.json()["ally_type"] == ally_type
    if ally_type == "OTRO_ALIADO":
        assert me.json()["entity_ruc"] == where
    else:
        assert me.json()["ubigeo"] == where
    expected_level = {"GOBIERNO_REGIONAL": "REGION", "GOBIERNO_LOCAL": "DISTRITO", "OTRO_ALIADO": "NACIONAL"}
    assert summary.status_code == 200 and summary.json()["level"] == expected_level[ally_type]
    assert elsewhere.status_code == 403  # Lima's Cercado is nobody's jurisdiction in these journeys


def test_a_mismatched_authority_is_observed_with_its_reason_then_corrected_and_approved(system):
    index = {"distributed": 2, "embedded": 3}[system.mode]
    with httpx.Client(base_url=system.url, timeout=30) as c:
        where = pick_jurisdiction(c, "GOBIERNO_LOCAL", index)
        form = complete_form(c, "GOBIERNO_LOCAL", where, f"mismatch-{system.mode}")
        right_dni = form["authority"]["dni"]
        wrong = json.loads(json.dumps(form))
        wrong["authority"]["dni"] = "10000001" if right_dni != "10000001" else "10000002"

        draft = send_form(c, wrong)
        observed = eventually(
            lambda: (s := status(c, draft["id"]))["state"] == "OBSERVED" and s, "the request is observed"
        )
        resumed = c.post(
            "/api/access-requests/resume", json={"code": draft["code"], "authority_dni": wrong["authority"]["dni"]}
        )
        c.put(f"/api/access-requests/{draft['id']}", json=form)
        again = send(c, draft["id"])
        documents_in_and_approved(c, draft["id"], "GOBIERNO_LOCAL")

    assert observed["authority_check"]["result"] in ("MISMATCH", "NOT_FOUND")
    assert observed["observations"] == [observed["authority_check"]["reason"]]
    assert "no corresponde" in observed["authority_check"]["reason"]
    assert resumed.status_code == 200
    assert again["attempt"] == 2


def test_bad_files_are_refused_with_their_reason_through_the_gateway(system):
    index = {"distributed": 4, "embedded": 5}[system.mode]
    with httpx.Client(base_url=system.url, timeout=30) as c:
        where = pick_jurisdiction(c, "GOBIERNO_LOCAL", index)
        draft = send_form(c, complete_form(c, "GOBIERNO_LOCAL", where, f"files-{system.mode}"))
        ready = eventually(lambda: (s := status(c, draft["id"]))["ddc"]["ready"] and s, "the DDC is ready")
        verified = c.get(f"/api/verify/{ready['ddc']['verification_code']}")
        # The printed address: the web application's page (embedded), or the gateway's 303 to it (distributed).
        page = c.get("/verificar", params={"codigo": ready["ddc"]["verification_code"].lower()}, follow_redirects=True)

        text = upload(c, draft["id"], "DDC_SIGNED", b"esto no es un PDF\n", "ddc.pdf")
        huge = upload(c, draft["id"], "DDC_SIGNED", b"%PDF-1.7\n" + b"0" * (11 * 1024 * 1024), "ddc.pdf")
        after = status(c, draft["id"])

    assert text.status_code == 422 and text.json()["detail"] == "El archivo no es un PDF válido."
    assert huge.status_code == 413 and huge.json()["detail"] == "El archivo supera el límite de 10 MB."
    assert after["documents"] == {}
    assert verified.status_code == 200 and len(verified.json()["sha256"]) == 64
    assert verified.json()["request_code"] == draft["code"]
    assert "Documento auténtico" in page.text


def test_a_dni_alone_cannot_resume_a_request_through_the_gateway(system):
    with httpx.Client(base_url=system.url, timeout=30) as c:
        draft = c.post(
            "/api/access-requests", json={"ally_type": "GOBIERNO_LOCAL", "authority": {"dni": "40404040"}}
        ).json()

        guessed = c.post("/api/access-requests/resume", json={"code": "SA-2000-000001", "authority_dni": "40404040"})
        right = c.post("/api/access-requests/resume", json={"code": draft["code"], "authority_dni": "40404040"})

    assert guessed.status_code == 404
    assert right.status_code == 200 and right.json()["id"] == draft["id"]


def test_a_failed_login_says_nothing_about_which_part_was_wrong_and_a_forged_token_is_refused(system):
    with httpx.Client(base_url=system.url, timeout=30) as c:
        bad_login = c.post("/api/auth/login", json={"username": "evaluador", "password": "incorrecta"})
        unknown = c.post("/api/auth/login", json={"username": "nadie", "password": "incorrecta"})
        forged = c.get("/api/evaluation/queue", headers={"Authorization": "Bearer eyJhbGciOiJFZERTQSJ9.e30.x"})
        jwks = c.get("/.well-known/jwks.json").json()

    assert bad_login.status_code == unknown.status_code == 401
    assert bad_login.json() == unknown.json()
    assert forged.status_code == 401
    assert jwks["keys"][0]["crv"] == "Ed25519"


MATRIX = [
    "Caso N°",
    "N° de oficio",
    "Departamento/provincia/distrito",
    "Descripción de los hechos (puntos críticos)",
    "Justificación de la conclusión (FUNDADO - INFUNDADO)",  # the PDF's core fonts draw the en dash as '-'
    "Acciones de mejora de ser el caso",
]


SIGNERS = {
    "addressee": "Presidencia del CTVC Huancavelica",
    "author_name": "Rosa Quispe Mamani",
    "author_role": "Jefa de la Unidad de Acompañamiento",
    "director_name": "Juan Pérez Soto",
    "director_role": "Director Ejecutivo",
}


def approved_twice(c: httpx.Client, where: str, tag: str) -> None:
    """Two approved requests for one district: the second revokes the first account."""
    for n in (1, 2):
        draft = send_form(c, complete_form(c, "GOBIERNO_LOCAL", where, f"{tag}-{n}"))
        documents_in_and_approved(c, draft["id"], "GOBIERNO_LOCAL")


def a_case_number() -> str:
    return f"{secrets.randbelow(10**4):04d}-2026-CTVC/{''.join(secrets.choice('ABCDEFGH') for _ in range(5))}"


def evidence(c: httpx.Client, case_id: str, who: dict, as_of: str | None = None) -> list[dict]:
    answer = c.get(f"/api/cases/{case_id}/evidence", params={"as_of": as_of} if as_of else {}, headers=who)
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]


def resolved(c: httpx.Client, case_id: str, conclusion: str, cited: list[str], who: dict) -> dict:
    body = {
        "findings": [{"point": 1, "text": "Según la evidencia reunida por el sistema.", "evidence": cited}],
        "conclusion": conclusion,
        "justification": f"Se concluye {conclusion} por la evidencia citada.",
        "actions": [{"description": "Capacitar a la OMAPED en el aplicativo.", "owner": "UAC", "due_on": "2027-01-29"}],
    }
    saved = c.put(f"/api/cases/{case_id}/analysis", json=body, headers=who)
    assert saved.status_code == 200, saved.text
    done = c.post(f"/api/cases/{case_id}/resolution", headers=who)
    assert done.status_code == 200, done.text
    return done.json()


def a_training(c: httpx.Client, who: dict, held_on: str, invited: list[str], attended: str) -> str:
    """A session held on ``held_on``: the districts invited, one of them attending (the others missed it)."""
    body = {"held_on": held_on, "topic": "Aplicación USUARIO ALIADO", "modality": "VIRTUAL", "organiser": "UAC"}
    session = c.post("/api/trainings/sessions", json=body, headers=who)
    assert session.status_code == 201, session.text
    sid = session.json()["session_id"]
    assert c.post(f"/api/trainings/sessions/{sid}/invitations", json={"places": invited}, headers=who).is_success
    attendance = {"ubigeo": attended, "office": "OMAPED", "position": "Responsable", "attendees": 2}
    assert c.post(f"/api/trainings/sessions/{sid}/attendance", json=attendance, headers=who).is_success
    return sid


def test_a_ctvc_oficio_is_answered_with_evidence_the_system_gathered_and_four_signed_documents(system):
    index = {"distributed": 6, "embedded": 7}[system.mode]
    with httpx.Client(base_url=system.url, timeout=30) as c:
        active = pick_jurisdiction(c, "GOBIERNO_LOCAL", index)
        revoked = [d["code"] for d in c.get("/api/ubigeo/provinces/0903/districts").json()][index - 6]
        draft = send_form(c, complete_form(c, "GOBIERNO_LOCAL", active, f"ctvc-{system.mode}"))
        documents_in_and_approved(c, draft["id"], "GOBIERNO_LOCAL")
        approved_twice(c, revoked, f"ctvc-revoked-{system.mode}")
        admin = {"Authorization": f"Bearer {staff_token(c, PASSWORD, 'admin')}"}
        today = datetime.now(LIMA).date()
        sid = a_training(c, admin, today.isoformat(), invited=[active, revoked], attended=active)
        oficio = {
            "number": f"OFICIO N° {secrets.token_hex(4)}-2026-CTVC/HUANCAVELICA",
            "sent_on": today.isoformat(),
            "sender": "Presidencia del CTVC Huancavelica",
            "region": "09",
            "cases": [
                {
                    "number": a_case_number(),
                    "ubigeo": where,
                    "points": [{"category": category, "description": "Refieren no tener acceso al aplicativo."}],
                    "interviewees": [{"role": "Responsable", "office": "OMAPED", "names": "PERSONA ENTREVISTADA"}],
                }
                for where, category in ((active, "SIN_CREDENCIALES"), (revoked, "SIN_CAPACITACION"))
            ],
        }
        filed = c.post("/api/oficios", json=oficio, headers=admin)
        assert filed.status_code == 201, filed.text
        oficio_id = filed.json()["oficio_id"]
        first, second = (case["case_id"] for case in filed.json()["cases"])
        held = eventually(
            lambda: next(
                (i for i in evidence(c, first, admin) if i["group"] == "ACCOUNTS" and i["value"] == "ACTIVA"), None
            ),
            "the district's account in the case's evidence",
        )
        lost = eventually(
            lambda: next(
                (i for i in evidence(c, second, admin) if i["group"] == "ACCOUNTS" and i["value"] == "REVOCADA"), None
            ),
            "the revoked account in the second case's evidence",
        )
        items = eventually(
            lambda: (found := {i["key"]: i for i in evidence(c, first, admin)}).get("coverage.district") and found,
            "the published padrón in the case's evidence",
            timeout_s=120,
        )
        missed = {i["key"]: i for i in evidence(c, second, admin)}
        yesterday = evidence(c, first, admin, as_of=(today - timedelta(days=1)).isoformat())
        ally = c.get(f"/api/cases/{first}/evidence", headers={"Authorization": "Bearer nada"})

        assert "tenía una cuenta USUARIO ALIADO activa desde el" in held["statement"]
        assert len(held["source_events"]) == 1
        assert lost["statement"] and len(lost["source_events"]) == 2  # issued, and revoked
        assert items[f"training.session.{sid}.attended"]["value"] == 2
        assert f"training.session.{sid}.missed" in missed
        assert {"coverage.national", "coverage.region", "coverage.district"} <= set(items)
        assert items["coverage.district"]["value"] > 0  # the published padrón's users of the district
        # as of the day before, today's account is not there
        assert held["source_events"][0] not in {e for i in yesterday for e in i["source_events"]}
        assert ally.status_code == 401

        routed = c.post(
            f"/api/oficios/{oficio_id}/routing", json={"unit": "UAC", "routed_on": today.isoformat()}, headers=admin
        )
        assert routed.status_code == 200, routed.text
        resolved(c, first, "INFUNDADO", [held["key"], f"training.session.{sid}.attended"], admin)
        resolved(c, second, "FUNDADO", [lost["key"], f"training.session.{sid}.missed"], admin)
        asked = c.post(f"/api/oficios/{oficio_id}/response", json=SIGNERS, headers=admin)
        assert asked.status_code == 202, asked.text
        answer = eventually(
            lambda: (
                (o := c.get(f"/api/oficios/{oficio_id}", headers=admin).json())["response"]["state"] == "EMITIDA" and o
            ),
            "the four documents issued",
            timeout_s=120,
        )
        documents = {d["kind"]: d for d in answer["response"]["documents"]}
        checks = {kind: c.get(f"/api/verify/{d['code']}").json() for kind, d in documents.items()}
        matrix = c.get(f"/api/verify/{documents['ANEXO_01']['code']}/pdf")

    assert [case["state"] for case in answer["cases"]] == ["RESPONDIDO", "RESPONDIDO"]
    assert set(documents) == {"INFORME", "ANEXO_01", "ANEXO_02", "OFICIO"}
    assert all(check["signed"] and check["intact"] for check in checks.values()), checks
    assert checks["INFORME"]["signer_name"] == "Rosa Quispe Mamani"
    assert checks["OFICIO"]["signer_name"] == "Juan Pérez Soto"
    assert matrix.status_code == 200 and matrix.content.startswith(b"%PDF")
    # a header wraps inside its cell: compare the text without its line breaks and spaces
    text = "".join(pdf_text(matrix.content).split())
    for column in MATRIX:
        assert "".join(column.split()) in text, column
    for case in oficio["cases"]:
        assert case["number"] in text
    assert "PERSONAENTREVISTADA" not in text  # no one interviewed is named in the answer

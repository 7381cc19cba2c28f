"""Staff analyse two cases, resolve them and answer the oficio; documents' announcements answer the cases
(real PostgreSQL; the bus is faststream's in-memory test broker, the outbox is read from its table)."""

from __future__ import annotations

import asyncio
import contextlib
import re
import uuid
from collections.abc import AsyncIterator
from datetime import date

import pytest
from cases_samples import an_oficio, numbers
from faststream.kafka import KafkaBroker

import cases.app
import cases.config
from authkit import Claims
from authkit.testing import token_keys
from contracts import encode, topics
from contracts.events import DocumentIssued
from eventkit.clock import FixedClock
from eventkit.messages import read, wrap
from eventkit.testing import serve_in_memory

pytestmark = pytest.mark.integration

TODAY = FixedClock(date(2022, 8, 16))
MATRIX = [
    "Caso N°",
    "N° de oficio",
    "Departamento/provincia/distrito",
    "Descripción de los hechos (puntos críticos)",
    "Justificación de la conclusión (FUNDADO – INFUNDADO)",
    "Acciones de mejora de ser el caso",
]
SECTIONS = ["I. ANTECEDENTES", "II. ANÁLISIS", "III. CONCLUSIÓN", "IV. RECOMENDACIÓN"]
SIGNERS = {
    "addressee": "Sr. Presidente del CTVC Huancavelica",
    "author_name": "María Torres Ríos",
    "author_role": "Jefa de la Unidad de Acompañamiento",
    "director_name": "Juan Pérez Soto",
    "director_role": "Director Ejecutivo",
}


@contextlib.asynccontextmanager
async def cases_service(database_url: str, tmp_path) -> AsyncIterator[tuple]:
    signer, public = token_keys(tmp_path)
    settings = cases.config.Settings(database_url=database_url, token_public_key_file=str(public))
    broker = KafkaBroker("test", logger=None)
    app = cases.app.create_app(settings, broker, own_broker=False, clock=TODAY)
    async with serve_in_memory(app) as client:

        def headers(**claims) -> dict[str, str]:
            token = signer.sign(Claims(sub=str(uuid.uuid4()), username=f"u-{uuid.uuid4().hex[:8]}", **claims))
            return {"Authorization": f"Bearer {token}"}

        async def publish(payload, key: str) -> None:
            await broker.publish(encode(wrap(payload, key=key)), topic=topics.DOCUMENTS_DOCUMENT, key=key.encode())

        yield client, headers, publish, app.state.host.pool


async def events_for(pool, keys: list[str], kind: str) -> list:
    rows = await pool.fetch("select body from outbox where key = any($1::text[]) order by 1", keys)
    return [e for e in (read(bytes(r["body"]))[1] for r in rows) if type(e).__name__ == kind]


def analysis(evidence_key: str, conclusion: str | None, points: int) -> dict:
    return {
        "findings": [
            {"point": p, "text": f"Hallazgo del punto {p}.", "evidence": [evidence_key]} for p in range(1, points + 1)
        ],
        "conclusion": conclusion,
        "justification": "La municipalidad no tenía cuenta a la fecha del oficio." if conclusion else "",
        "actions": [
            {"description": "Capacitar a la OMAPED en el aplicativo.", "owner": "UAC", "due_on": "2022-09-30"},
            {"description": "", "owner": "", "due_on": ""},
        ],
    }


async def filed_and_routed(client, ctvc, staff) -> tuple[str, list[str], str, str]:
    number, first, second = numbers()
    oficio = (await client.post("/oficios", json=an_oficio(number, first, second), headers=ctvc)).json()
    routing = {"unit": "UAC", "routed_on": "2022-08-16"}
    await client.post(f"/oficios/{oficio['oficio_id']}/routing", json=routing, headers=staff)
    return oficio["oficio_id"], [c["case_id"] for c in oficio["cases"]], first, second


async def first_key(client, case_id: str, staff) -> str:
    return (await client.get(f"/cases/{case_id}/evidence", headers=staff)).json()["items"][0]["key"]


async def test_a_case_resolves_only_with_a_finding_per_point_citing_its_own_evidence(database_url, tmp_path):
    async with cases_service(database_url, tmp_path) as (client, headers, _publish, pool):
        staff, ctvc = headers(role="ANALYST", unit="UAC"), headers(role="CTVC", ubigeo="09")
        oficio_id, ids, _first, second = await filed_and_routed(client, ctvc, staff)
        key = await first_key(client, ids[0], staff)
        early = await client.post(f"/oficios/{oficio_id}/response", json=SIGNERS, headers=staff)

        foreign = await client.put(f"/cases/{ids[0]}/analysis", json=analysis("OTRO-CASO", None, 1), headers=staff)
        draft = await client.put(f"/cases/{ids[0]}/analysis", json=analysis(key, None, 1), headers=staff)
        incomplete = await client.post(f"/cases/{ids[0]}/resolution", headers=staff)
        by_ctvc = await client.put(f"/cases/{ids[0]}/analysis", json=analysis(key, "FUNDADO", 2), headers=ctvc)
        await client.put(f"/cases/{ids[0]}/analysis", json=analysis(key, "FUNDADO", 2), headers=staff)
        resolved = await client.post(f"/cases/{ids[0]}/resolution", headers=staff)
        again = await client.put(f"/cases/{ids[0]}/analysis", json=analysis(key, "INFUNDADO", 2), headers=staff)
        half = await client.post(f"/oficios/{oficio_id}/response", json=SIGNERS, headers=staff)
        hidden = (await client.get(f"/cases/{ids[0]}", headers=ctvc)).json()

        assert early.status_code == 409 and "Resuelva todos los casos" in early.json()["detail"]
        assert foreign.status_code == 422 and "findings.0.evidence" in foreign.json()["errors"]
        assert draft.status_code == 200, draft.text
        assert draft.json()["analysis"]["actions"][0]["owner_name"] == "Unidad de Acompañamiento"
        assert len(draft.json()["analysis"]["actions"]) == 1  # the blank row is not an action
        assert incomplete.status_code == 422
        assert set(incomplete.json()["errors"]) == {"points.2", "conclusion", "justification"}
        assert by_ctvc.status_code == 403
        assert resolved.status_code == 200, resolved.text
        assert resolved.json()["state"] == "RESUELTO"
        assert resolved.json()["analysis"]["evidence_as_of"] == "2022-08-10"
        assert again.status_code == 409
        assert half.status_code == 409 and second in half.json()["detail"]
        assert hidden["analysis"] is None  # a CTVC reads the analysis with the answer
        [event] = await events_for(pool, ids, "CaseResolved")
        assert event.conclusion == "FUNDADO"


async def test_an_oficio_answered_with_four_documents_answers_its_cases_once_documents_issued_them(
    database_url, tmp_path
):
    async with cases_service(database_url, tmp_path) as (client, headers, publish, pool):
        staff, ctvc = headers(role="ANALYST", unit="UAC"), headers(role="CTVC", ubigeo="09")
        oficio_id, ids, first, second = await filed_and_routed(client, ctvc, staff)
        for case_id, conclusion, points in ((ids[0], "FUNDADO", 2), (ids[1], "INFUNDADO", 1)):
            key = await first_key(client, case_id, staff)
            await client.put(f"/cases/{case_id}/analysis", json=analysis(key, conclusion, points), headers=staff)
            await client.post(f"/cases/{case_id}/resolution", headers=staff)
        queue = (await client.get("/cases", params={"state": "RESUELTO"}, headers=staff)).json()
        unsigned = await client.post(
            f"/oficios/{oficio_id}/response", json=SIGNERS | {"director_name": " "}, headers=staff
        )
        asked = await client.post(f"/oficios/{oficio_id}/response", json=SIGNERS, headers=staff)
        twice = await client.post(f"/oficios/{oficio_id}/response", json=SIGNERS, headers=staff)

        assert {c["case_id"] for c in queue} >= set(ids)
        assert unsigned.status_code == 422 and set(unsigned.json()["errors"]) == {"director_name"}
        assert asked.status_code == 202, asked.text
        assert twice.status_code == 409
        docs = asked.json()["documents"]
        assert [d["kind"] for d in docs] == ["INFORME", "ANEXO_01", "ANEXO_02", "OFICIO"]
        assert re.fullmatch(r"INFORME N° \d{6}-2022-MIDIS/PNPDS-UAC", docs[0]["number"])
        assert re.fullmatch(r"OFICIO N° \d{6}-2022-MIDIS/PNPDS-DE", docs[3]["number"])
        assert all(d["code"] is None for d in docs)
        [requested] = await events_for(pool, [oficio_id], "CaseResponseRequested")
        matrix = requested.documents[1]
        assert matrix.table.columns == MATRIX
        assert [row[0] for row in matrix.table.rows] == [first, second]
        assert matrix.table.rows[0][4].startswith("FUNDADO: ")
        assert "Capacitar a la OMAPED" in matrix.table.rows[0][5]
        assert [s.title for s in requested.documents[0].sections] == SECTIONS
        assert requested.documents[3].signer_name == "Juan Pérez Soto"
        assert "ANA QUISPE" not in encode(wrap(requested, key="x")).decode()  # no interviewee on the bus

        codes = await issue_all(publish, requested)
        view = await answered(client, oficio_id, ctvc)
        shown = (await client.get(f"/cases/{ids[0]}", headers=ctvc)).json()
        report = (await client.get("/cases/report", params={"year": 2022}, headers=staff)).json()

        assert [d["code"] for d in view["response"]["documents"]] == codes
        assert [c["state"] for c in view["cases"]] == ["RESPONDIDO", "RESPONDIDO"]
        assert shown["analysis"]["conclusion"] == "FUNDADO"
        issued = await events_for(pool, ids, "CaseResponseIssued")
        assert sorted(str(e.case_id) for e in issued) == sorted(ids)  # once each, though documents came twice
        assert all(e.document_codes == codes for e in issued)
        assert report["answered"] >= 2 and report["days_to_answer"]["answered"] >= 2
        assert "09" in {r["region"] for r in report["by_region"]}


async def issue_all(publish, requested) -> list[str]:
    """What documents announces for each document of the answer (each twice: a redelivery)."""
    codes = []
    for doc in requested.documents:
        codes.append(f"CTG-{uuid.uuid4().hex[:4].upper()}-{uuid.uuid4().hex[:4].upper()}")
        issued = DocumentIssued(
            document_id=uuid.uuid4(),
            kind=doc.kind,
            object_key=f"sha256/{uuid.uuid4().hex}.pdf",
            sha256="0" * 64,
            verification_code=codes[-1],
            subject_id=str(requested.response_id),
        )
        await publish(issued, key=str(requested.response_id))
        await publish(issued, key=str(requested.response_id))
    return codes


async def answered(client, oficio_id: str, who) -> dict:
    for _ in range(50):
        view = (await client.get(f"/oficios/{oficio_id}", headers=who)).json()
        if view["response"]["state"] == "EMITIDA":
            return view
        await asyncio.sleep(0.1)
    raise AssertionError(f"the answer is still {view['response']['state']}")


async def test_a_ctvc_of_another_region_sees_none_of_its_cases(database_url, tmp_path):
    number, first, second = numbers()
    async with cases_service(database_url, tmp_path) as (client, headers, _publish, _pool):
        filed = await client.post(
            "/oficios", json=an_oficio(number, first, second), headers=headers(role="CTVC", ubigeo="09")
        )
        case_id = filed.json()["cases"][0]["case_id"]
        lima = headers(role="CTVC", ubigeo="15")

        seen = await client.get(f"/cases/{case_id}", headers=lima)
        listed = await client.get("/cases", headers=lima)
        report = await client.get("/cases/report", headers=lima)

        assert seen.status_code == 404
        assert case_id not in {c["case_id"] for c in listed.json()}
        assert all(c["region"] == "15" for c in listed.json())
        assert report.status_code == 403

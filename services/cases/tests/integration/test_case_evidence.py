"""A case's evidence is gathered as of its oficio's date from the facts announced, and traced to their events."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import asyncpg
import msgspec
import pytest
from faststream.kafka import KafkaBroker

import cases.app
import cases.config
from authkit import Claims
from authkit.testing import token_keys
from contracts import encode, topics
from contracts.events import (
    AccessRequested,
    CredentialsIssued,
    CredentialsRevoked,
    DistrictCount,
    Jurisdiction,
    PadronPublished,
    Person,
    Responsible,
)
from eventkit.clock import FixedClock
from eventkit.messages import wrap
from eventkit.testing import serve_in_memory

pytestmark = pytest.mark.integration


def at(day: str) -> datetime:
    return datetime.fromisoformat(day + "T15:00:00").replace(tzinfo=UTC)


@contextlib.asynccontextmanager
async def private_cases(database_url: str, tmp_path) -> AsyncIterator[tuple]:
    """The cases app on a database of this test's own, so national figures are exact."""
    name = f"cases_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(database_url)
    await admin.execute(f"create database {name}")
    try:
        signer, public = token_keys(tmp_path)
        url = database_url.rsplit("/", 1)[0] + "/" + name
        settings = cases.config.Settings(database_url=url, token_public_key_file=str(public))
        broker = KafkaBroker("test", logger=None)
        app = cases.app.create_app(settings, broker, own_broker=False, clock=FixedClock(date(2022, 9, 5)))
        async with serve_in_memory(app) as client:

            async def publish(topic: str, payload, key: uuid.UUID, occurred: str | None = None):
                envelope = wrap(payload, key=str(key))
                if occurred:
                    envelope = msgspec.structs.replace(envelope, occurred_at=at(occurred))
                await broker.publish(encode(envelope), topic=topic, key=str(key).encode())
                return envelope

            def headers(**claims) -> dict[str, str]:
                token = signer.sign(Claims(sub=str(uuid.uuid4()), username="analista", **claims))
                return {"Authorization": f"Bearer {token}"}

            yield client, publish, headers
    finally:
        await admin.execute(f"drop database if exists {name} with (force)")
        await admin.close()


def requested(request_id: uuid.UUID, district: str, code: str) -> AccessRequested:
    return AccessRequested(
        request_id=request_id,
        code=code,
        attempt=1,
        jurisdiction=Jurisdiction(ally_type="GOBIERNO_LOCAL", ubigeo=district),
        authority=Person(dni="12345678", names="ALCALDE DE PRUEBA"),
        authority_role="ALCALDE",
        responsible=Responsible(
            dni="87654321", names="RESPONSABLE DE PRUEBA", office="OMAPED", position="Jefa", email="r@example.pe"
        ),
    )


async def account(publish, district: str, issued: str, revoked: tuple[str, str] | None = None):
    request_id, account_id = uuid.uuid4(), uuid.uuid4()
    place = Jurisdiction(ally_type="GOBIERNO_LOCAL", ubigeo=district)
    await publish(topics.ACCESS_REQUEST, requested(request_id, district, f"SA-{district}-{issued}"), request_id, issued)
    issued_payload = CredentialsIssued(
        account_id=account_id, username="gl", jurisdiction=place, request_id=request_id, issued_at=at(issued)
    )
    envelope = await publish(topics.IDENTITY_ACCOUNT, issued_payload, account_id)
    if revoked:
        revocation = CredentialsRevoked(
            account_id=account_id,
            username="gl",
            jurisdiction=place,
            request_id=request_id,
            reason=revoked[1],
            revoked_at=at(revoked[0]),
        )
        await publish(topics.IDENTITY_ACCOUNT, revocation, account_id)
    return envelope


def padron(period: str, counts: list[tuple[str, str, int]]) -> PadronPublished:
    return PadronPublished(
        padron_id=uuid.uuid4(),
        period=period,
        resolution_number=f"RDE {period}",
        resolution_date=date(2022, 7, 1),
        counts=[DistrictCount(ubigeo=u, category=c, count=n) for u, c, n in counts],
    )


async def test_evidence_as_of_the_oficios_date_ignores_what_came_later(database_url, tmp_path):
    async with private_cases(database_url, tmp_path) as (client, publish, headers):
        active = await account(publish, "090101", "2022-03-01")
        await account(publish, "090101", "2022-01-10", revoked=("2022-02-28", "Nueva autoridad"))
        await account(publish, "090102", "2022-09-01")  # after the oficio: does not count as of its date
        pending = uuid.uuid4()
        await publish(topics.ACCESS_REQUEST, requested(pending, "090101", "SA-2022-000900"), pending, "2022-08-01")
        july = padron("2022-IV", [("090101", "CONTINUADOR", 12), ("090102", "NUEVO", 5), ("090103", "SUSPENDIDO", 3)])
        july_event = await publish(topics.PADRON_PADRON, july, july.padron_id, "2022-07-15")
        later = padron("2022-V", [("090101", "CONTINUADOR", 1)])
        await publish(topics.PADRON_PADRON, later, later.padron_id, "2022-09-02")
        ctvc, staff = headers(role="CTVC", ubigeo="09"), headers(role="ANALYST", unit="UAC")
        oficio = {
            "number": "OFICIO N° 033-2022-CTVC/HUANCAVELICA",
            "sent_on": "2022-08-10",
            "received_on": "2022-08-11",
            "sender": "CTVC Huancavelica",
            "cases": [
                {
                    "number": "0050-2022-CTVC/HVC",
                    "ubigeo": "090101",
                    "points": [{"category": "SIN_CREDENCIALES", "description": "Sin usuario."}],
                }
            ],
        }
        case_id = (await client.post("/oficios", json=oficio, headers=ctvc)).json()["cases"][0]["case_id"]

        evidence = await client.get(f"/cases/{case_id}/evidence", headers=staff)
        later_evidence = await client.get(f"/cases/{case_id}/evidence", params={"as_of": "2022-09-05"}, headers=staff)
        refused = await client.get(f"/cases/{case_id}/evidence", headers=ctvc)

    assert evidence.status_code == 200, evidence.text
    body = evidence.json()
    items = {i["key"]: i for i in body["items"]}
    assert body["as_of"] == "2022-08-10"
    statements = [i["statement"] for i in body["items"]]
    held = "La municipalidad del distrito de Huancavelica tenía una cuenta USUARIO ALIADO activa desde el 01/03/2022"
    assert f"{held} (OMAPED, Jefa)." in statements
    assert any("del 10/01/2022 al 28/02/2022, revocada: Nueva autoridad." in s for s in statements)
    assert "El Gobierno Regional de Huancavelica no tenía una cuenta USUARIO ALIADO activa al 10/08/2022." in statements
    assert any(
        "SA-2022-000900, enviada el 01/08/2022, esperaba evaluación al 10/08/2022 (9 días)." in s for s in statements
    )
    national = items["coverage.national"]
    assert (
        "1 gobiernos locales con acceso al aplicativo USUARIO ALIADO de 2 distritos de intervención"
        in national["statement"]
    )
    assert national["value"] == 50
    assert national["source_events"] == [str(july_event.event_id), str(active.event_id)]
    assert "tenía 12 usuarios en el padrón 2022-IV" in items["coverage.district"]["statement"]
    later_items = {i["key"]: i for i in later_evidence.json()["items"]}
    assert "según el padrón 2022-V" in later_items["coverage.national"]["statement"]
    assert items["training.summary"]["group"] == "TRAININGS"
    assert refused.status_code == 403

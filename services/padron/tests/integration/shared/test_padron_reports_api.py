"""What the alert and FAD routes share, on real PostgreSQL: who may reach them, and their pages' refusals."""

from __future__ import annotations

import contextlib
import random
import uuid
from dataclasses import dataclass

import httpx
import pytest
from faststream.kafka import KafkaBroker

import padron.app
import padron.config
from authkit import Claims, Signer
from authkit.testing import token_keys
from eventkit.http import SPANISH
from eventkit.messages import read
from eventkit.testing import serve_in_memory

pytestmark = pytest.mark.integration


@dataclass(frozen=True)
class Caller:
    username: str
    headers: dict[str, str]


class Padron:
    """The padrón app in memory, its pool, and tokens signed with a key of this test."""

    def __init__(self, client: httpx.AsyncClient, host, signer: Signer):
        self.http = client
        self.pool = host.pool
        self.signer = signer

    def caller(self, prefix: str, **claims) -> Caller:
        username = f"{prefix}-{uuid.uuid4().hex[:8]}"
        token = self.signer.sign(Claims(sub=str(uuid.uuid4()), username=username, **claims))
        return Caller(username, {"Authorization": f"Bearer {token}"})

    def local(self, ubigeo: str) -> Caller:
        return self.caller(f"gl-{ubigeo}", role="ALLY", ally_type="GOBIERNO_LOCAL", ubigeo=ubigeo)

    def regional(self, region: str) -> Caller:
        return self.caller(f"gr-{region}", role="ALLY", ally_type="GOBIERNO_REGIONAL", ubigeo=region)

    def other_ally(self) -> Caller:
        return self.caller("oa", role="ALLY", ally_type="OTRO_ALIADO", entity_ruc="20100000001")

    def staff(self) -> Caller:
        return self.caller("evaluador", role="EVALUATOR")

    async def beneficiary(self, ubigeo: str, **values) -> uuid.UUID:
        """A beneficiary inserted with plain SQL, with a DNI nobody else in this database has."""
        beneficiary_id = uuid.uuid4()
        row = {
            "address": "Jr. Lima 123",
            "phone": "987654321",
            "contact_name": None,
            "contact_phone": None,
        } | values
        while True:
            inserted = await self.pool.fetchval(
                "insert into beneficiaries (beneficiary_id, dni, names, birth_date, sex, ubigeo, address, phone,"
                " contact_name, contact_phone, certificate_number, certificate_severity, certificate_issuer,"
                " certificate_date, sisfoh_classification, sisfoh_expires_on, status, affiliated_on)"
                " values ($1, $2, 'QUISPE MAMANI, ANA', '1950-03-01', 'F', $3, $4, $5, $6, $7, 'CD-1', 'SEVERA',"
                " 'MINSA', '2020-01-01', 'POBRE_EXTREMO', '2030-01-01', 'VIGENTE', '2021-01-01')"
                " on conflict (dni) do nothing returning beneficiary_id",
                beneficiary_id,
                f"{random.randrange(10**8):08d}",
                ubigeo,
                row["address"],
                row["phone"],
                row["contact_name"],
                row["contact_phone"],
            )
            if inserted:
                return beneficiary_id

    async def events(self, beneficiary_id: uuid.UUID) -> list:
        rows = await self.pool.fetch("select body from outbox where key = $1 order by seq", str(beneficiary_id))
        return [read(bytes(r["body"]))[1] for r in rows]

    async def access_log(self, username: str) -> list[dict]:
        rows = await self.pool.fetch(
            "select action, resource, allowed, records, beneficiary_ids from access_log where username = $1"
            " order by entry_id",
            username,
        )
        return [dict(r) for r in rows]


@contextlib.asynccontextmanager
async def padron_client(database_url, tmp_path):
    signer, public = token_keys(tmp_path)
    settings = padron.config.Settings(database_url=database_url, token_public_key_file=str(public))
    app = padron.app.create_app(settings, KafkaBroker("test", logger=None), own_broker=False)
    async with serve_in_memory(app) as client:
        yield Padron(client, app.state.host, signer)


def fresh_district() -> str:
    """A district code of a made-up region (26-99): no other test's data is listed beside this test's."""
    return f"{random.randint(26, 99):02d}{random.randrange(10**4):04d}"


ALERT = {"alert_type": "FALLECIMIENTO", "detail": "La familia informa que falleció el 2 de mayo."}


async def test_regional_governments_and_other_allies_may_not_raise_alerts_nor_submit_fads(database_url, tmp_path):
    async with padron_client(database_url, tmp_path) as p:
        district = fresh_district()
        beneficiary_id = await p.beneficiary(district)
        regional, other = p.regional(district[:2]), p.other_ally()
        fad = {"changes": {"phone": "912345678"}}

        statuses = [
            (
                await p.http.post(f"/padron/beneficiaries/{beneficiary_id}/{path}", json=body, headers=c.headers)
            ).status_code
            for c in (regional, other)
            for path, body in (("alerts", ALERT), ("fad", fad))
        ]

        assert statuses == [403, 403, 403, 403]
        assert await p.pool.fetchval("select count(*) from fads where beneficiary_id = $1", beneficiary_id) == 0
        assert [e["allowed"] for e in await p.access_log(regional.username)] == [False, False]
        assert [e["allowed"] for e in await p.access_log(other.username)] == [False, False]


async def test_without_a_token_no_alert_or_fad_route_answers(database_url, tmp_path):
    async with padron_client(database_url, tmp_path) as p:
        some = uuid.uuid4()

        answers = [
            await p.http.post(f"/padron/beneficiaries/{some}/alerts", json=ALERT),
            await p.http.get("/padron/alerts"),
            await p.http.post(f"/padron/alerts/{some}/attend"),
            await p.http.post(f"/padron/beneficiaries/{some}/fad", json={"changes": {"phone": "912345678"}}),
            await p.http.get("/padron/fad"),
            await p.http.get(f"/padron/fad/{some}"),
            await p.http.post(f"/padron/fad/{some}/decision", json={"approve": True}),
        ]

        assert [a.status_code for a in answers] == [401] * 7
        assert answers[0].json() == {"detail": SPANISH[401]}


async def test_a_list_refuses_a_made_up_page_position_in_spanish(database_url, tmp_path):
    async with padron_client(database_url, tmp_path) as p:
        local = p.local(fresh_district())

        answer = await p.http.get("/padron/fad?after=inventado", headers=local.headers)

        assert answer.status_code == 422
        assert answer.json()["errors"] == {"after": "Use el valor next de la página anterior."}

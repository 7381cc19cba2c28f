"""A CTVC files an oficio with two cases on real PostgreSQL: opened, routed, seen in its region only, reads logged."""

from __future__ import annotations

import contextlib
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
from eventkit.clock import FixedClock
from eventkit.messages import read
from eventkit.testing import serve_in_memory

pytestmark = pytest.mark.integration

TODAY = FixedClock(date(2022, 8, 16))


@contextlib.asynccontextmanager
async def cases_service(database_url: str, tmp_path) -> AsyncIterator[tuple]:
    signer, public = token_keys(tmp_path)
    settings = cases.config.Settings(database_url=database_url, token_public_key_file=str(public))
    app = cases.app.create_app(settings, KafkaBroker("test", logger=None), own_broker=False, clock=TODAY)
    async with serve_in_memory(app) as client:

        def headers(**claims) -> dict[str, str]:
            token = signer.sign(Claims(sub=str(uuid.uuid4()), username=f"u-{uuid.uuid4().hex[:8]}", **claims))
            return {"Authorization": f"Bearer {token}"}

        yield client, headers, app.state.host.pool


async def test_a_ctvc_files_an_oficio_with_two_cases_and_staff_route_it(database_url, tmp_path):
    number, first, second = numbers()
    async with cases_service(database_url, tmp_path) as (client, headers, pool):
        ctvc, analyst = headers(role="CTVC", ubigeo="09"), headers(role="ANALYST", unit="UAC")

        filed = await client.post("/oficios", json=an_oficio(number, first, second), headers=ctvc)
        oficio = filed.json()
        routed = await client.post(
            f"/oficios/{oficio['oficio_id']}/routing", json={"unit": "UAC", "routed_on": "2022-08-16"}, headers=analyst
        )
        outbox = await pool.fetch(
            "select body from outbox where key = any($1::text[])", [c["case_id"] for c in oficio["cases"]]
        )

        assert filed.status_code == 201, filed.text
        assert oficio["due_on"] == "2022-09-02"
        assert [c["number"] for c in oficio["cases"]] == [first, second]
        assert oficio["cases"][0]["interviewees"][0]["names"] == "ANA QUISPE MAMANI"
        assert routed.status_code == 200, routed.text
        assert routed.json()["unit_name"] == "Unidad de Acompañamiento"
        assert [s["step"] for s in routed.json()["cases"][1]["timeline"]] == ["RECIBIDO", "DERIVADO"]
        opened = [read(bytes(r["body"]))[1] for r in outbox]
        assert sorted(e.case_number for e in opened) == sorted([first, second])
        assert all(e.oficio == number for e in opened)
        assert "ANA" not in b"".join(bytes(r["body"]) for r in outbox).decode()


async def test_a_ctvc_never_sees_another_regions_oficio_and_the_refusal_is_logged(database_url, tmp_path):
    number, first, second = numbers()
    async with cases_service(database_url, tmp_path) as (client, headers, pool):
        staff = headers(role="ADMIN")
        filed = await client.post("/oficios", json=an_oficio(number, first, second) | {"region": "09"}, headers=staff)
        oficio_id = filed.json()["oficio_id"]
        lima_token = headers(role="CTVC", ubigeo="15")

        seen = await client.get(f"/oficios/{oficio_id}", headers=lima_token)
        listed = await client.get("/oficios", headers=lima_token)
        log = await pool.fetch(
            "select action, allowed, case_ids from access_log where resource = $1", f"/oficios/{oficio_id}"
        )

        assert filed.status_code == 201, filed.text
        assert filed.json()["channel"] == "PAPEL"
        assert seen.status_code == 404
        assert seen.json()["detail"] == "El oficio no existe."
        assert oficio_id not in listed.text
        assert sorted((r["action"], r["allowed"]) for r in log) == [("DENIED", False), ("READ_OFICIO", True)]
        assert len(next(r for r in log if r["allowed"])["case_ids"]) == 2


async def test_a_number_filed_twice_is_refused_at_its_field_and_nothing_is_added(database_url, tmp_path):
    number, first, second = numbers()
    async with cases_service(database_url, tmp_path) as (client, headers, pool):
        ctvc = headers(role="CTVC", ubigeo="09")
        await client.post("/oficios", json=an_oficio(number, first, second), headers=ctvc)
        other, _, _ = numbers()

        again = await client.post("/oficios", json=an_oficio(other, first, "9999-2022-CTVC/ZZ"), headers=ctvc)
        count = await pool.fetchval("select count(*) from oficios where number = $1", other)

        assert again.status_code == 422
        assert again.json()["errors"] == {"cases.0.number": "Ya se registró un caso con este número."}
        assert count == 0


async def test_an_ally_or_an_evaluator_is_refused_by_the_cases_service(database_url, tmp_path):
    async with cases_service(database_url, tmp_path) as (client, headers, _pool):
        ally = headers(role="ALLY", ally_type="GOBIERNO_LOCAL", ubigeo="090101")

        refused = await client.get("/oficios", headers=ally)
        anonymous = await client.get("/oficios")

        assert refused.status_code == 403
        assert "comités CTVC" in refused.json()["detail"]
        assert anonymous.status_code == 401


async def test_overdue_oficios_are_listed_most_overdue_first(database_url, tmp_path):
    number, first, second = numbers()
    async with cases_service(database_url, tmp_path) as (client, headers, _pool):
        staff = headers(role="ADMIN")
        old = an_oficio(number, first, second) | {"region": "09", "sent_on": "2022-06-01", "received_on": "2022-06-02"}
        filed = await client.post("/oficios", json=old, headers=staff)

        overdue = await client.get("/oficios", params={"overdue": "true", "region": "09", "limit": 500}, headers=staff)

        assert filed.status_code == 201, filed.text
        found = [o for o in overdue.json() if o["number"] == number]
        assert found and found[0]["overdue"] is True
        assert all(o["overdue"] for o in overdue.json())

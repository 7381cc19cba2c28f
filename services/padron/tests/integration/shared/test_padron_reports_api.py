"""What the alert and FAD routes share, on real PostgreSQL: who may reach them, and their pages' refusals."""

from __future__ import annotations

import uuid

import pytest

from eventkit.http import SPANISH

pytestmark = pytest.mark.integration


ALERT = {"alert_type": "FALLECIMIENTO", "detail": "La familia informa que falleció el 2 de mayo."}


async def test_regional_governments_and_other_allies_may_not_raise_alerts_nor_submit_fads(
    database_url, tmp_path, padron_client, fresh_district
):
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


async def test_without_a_token_no_alert_or_fad_route_answers(database_url, tmp_path, padron_client):
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


async def test_a_list_refuses_a_made_up_page_position_in_spanish(database_url, tmp_path, padron_client, fresh_district):
    async with padron_client(database_url, tmp_path) as p:
        local = p.local(fresh_district())

        answer = await p.http.get("/padron/fad?after=inventado", headers=local.headers)

        assert answer.status_code == 422
        assert answer.json()["errors"] == {"after": "Use el valor next de la página anterior."}

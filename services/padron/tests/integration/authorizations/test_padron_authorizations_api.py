"""Collection authorization routes on real PostgreSQL: grant, renew, revoke, expiry, and who may reach them
(refusals logged). The module runs in a database of its own, so its counters are exact."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from padron.authorizations.repo import expire_authorizations

pytestmark = pytest.mark.integration


@pytest.fixture
def collector(new_dni, padron_today):
    """``collector(**changes)``: a person authorized to collect for half a year from today."""

    def authorized(**changes) -> dict:
        return {
            "collector_dni": new_dni(),
            "collector_names": "QUISPE ROJAS, LUIS",
            "relationship": "HIJO",
            "valid_from": padron_today.isoformat(),
            "valid_until": (padron_today + timedelta(days=180)).isoformat(),
        } | changes

    return authorized


async def test_an_authorization_is_granted_renewed_and_revoked_with_its_full_history(
    registry_url, tmp_path, padron_client, staff, local, auth, affiliate, collector, padron_today
):
    async with padron_client(registry_url, tmp_path) as client:
        beneficiary_id = await affiliate(client, "090106")
        muni = auth(client, local("090106", "muni-090106"))
        first_end, later_end = padron_today + timedelta(days=180), padron_today + timedelta(days=365)

        granted = await client.post(
            f"/padron/beneficiaries/{beneficiary_id}/authorizations", json=collector(), headers=muni
        )
        authorization = f"/padron/authorizations/{granted.json()['id']}"
        shorter = await client.post(
            f"{authorization}/renew", json={"valid_until": padron_today.isoformat()}, headers=muni
        )
        renewed = await client.post(f"{authorization}/renew", json={"valid_until": later_end.isoformat()}, headers=muni)
        no_reason = await client.post(f"{authorization}/revoke", json={}, headers=muni)
        revoked = await client.post(
            f"{authorization}/revoke", json={"reason": "Lo pidió la beneficiaria"}, headers=auth(client, staff())
        )
        renew_revoked = await client.post(
            f"{authorization}/renew", json={"valid_until": (later_end + timedelta(days=1)).isoformat()}, headers=muni
        )
        listed = await client.get(f"/padron/beneficiaries/{beneficiary_id}/authorizations", headers=muni)

        assert granted.status_code == 201
        assert shorter.status_code == 422
        assert renewed.json() == {"id": granted.json()["id"], "state": "VIGENTE", "valid_until": later_end.isoformat()}
        assert no_reason.json()["errors"] == {"reason": "Indique el motivo de la revocación."}
        assert revoked.json()["state"] == "REVOCADA"
        assert renew_revoked.status_code == 409
        assert (
            renew_revoked.json()["detail"] == "La autorización fue revocada y no se puede renovar; registre una nueva."
        )
        [found] = listed.json()
        assert (found["state"], found["collector_names"], found["relationship"]) == (
            "REVOCADA",
            "QUISPE ROJAS, LUIS",
            "HIJO",
        )
        assert [(h["action"], h["valid_until"], h["reason"], h["by_user"]) for h in found["history"]] == [
            ("AUTORIZADA", first_end.isoformat(), None, "muni-090106"),
            ("RENOVADA", later_end.isoformat(), None, "muni-090106"),
            ("REVOCADA", later_end.isoformat(), "Lo pidió la beneficiaria", "evaluador"),
        ]
        logged = await client.host.pool.fetchrow(
            "select action, allowed, beneficiary_ids from access_log where username = 'muni-090106'"
        )
        assert (logged["action"], logged["allowed"], logged["beneficiary_ids"]) == (
            "VIEW_AUTHORIZATIONS",
            True,
            [uuid.UUID(beneficiary_id)],
        )


async def test_a_new_authorization_revokes_the_one_in_force(
    registry_url, tmp_path, padron_client, local, auth, affiliate, collector, counter
):
    async with padron_client(registry_url, tmp_path) as client:
        beneficiary_id = await affiliate(client, "090107")
        muni = auth(client, local("090107", "muni-090107"))
        url = f"/padron/beneficiaries/{beneficiary_id}/authorizations"

        first = await client.post(url, json=collector(), headers=muni)
        second = await client.post(url, json=collector(collector_names="MAMANI QUISPE, ROSA"), headers=muni)
        listed = (await client.get(url, headers=muni)).json()

        states = {a["authorization_id"]: a for a in listed}
        assert states[first.json()["id"]]["state"] == "REVOCADA"
        assert [h["action"] for h in states[first.json()["id"]]["history"]] == ["AUTORIZADA", "REVOCADA"]
        assert states[first.json()["id"]]["history"][1]["reason"] == "Reemplazada por una nueva autorización."
        assert states[second.json()["id"]]["state"] == "VIGENTE"
        assert await counter(client, "090107", "authorization:VIGENTE") == 1
        assert await counter(client, "090107", "authorization:REVOCADA") == 1


async def test_an_authorization_past_its_validity_expires_and_can_be_renewed_back(
    registry_url, tmp_path, padron_client, local, auth, affiliate, collector, counter, padron_today
):
    async with padron_client(registry_url, tmp_path) as client:
        beneficiary_id = await affiliate(client, "090108")
        muni = auth(client, local("090108", "muni-090108"))
        url = f"/padron/beneficiaries/{beneficiary_id}/authorizations"
        ending_today = collector(
            valid_from=(padron_today - timedelta(days=30)).isoformat(), valid_until=padron_today.isoformat()
        )
        granted = (await client.post(url, json=ending_today, headers=muni)).json()["id"]

        async with client.host.pool.acquire() as conn, conn.transaction():
            on_its_last_day = await expire_authorizations(conn, padron_today)
            next_day = await expire_authorizations(conn, padron_today + timedelta(days=1))
            again = await expire_authorizations(conn, padron_today + timedelta(days=1))
        expired = (await client.get(url, headers=muni)).json()
        renewed = await client.post(
            f"/padron/authorizations/{granted}/renew",
            json={"valid_until": (padron_today + timedelta(days=90)).isoformat()},
            headers=muni,
        )
        after = (await client.get(url, headers=muni)).json()

        assert (on_its_last_day, next_day, again) == (0, 1, 0)
        assert expired[0]["state"] == "VENCIDA"
        assert [(h["action"], h["by_user"]) for h in expired[0]["history"]] == [
            ("AUTORIZADA", "muni-090108"),
            ("VENCIDA", "sistema"),
        ]
        assert renewed.status_code == 200
        assert after[0]["state"] == "VIGENTE"
        assert [h["action"] for h in after[0]["history"]] == ["AUTORIZADA", "VENCIDA", "RENOVADA"]
        assert await counter(client, "090108", "authorization:VENCIDA") == 0
        assert await counter(client, "090108", "authorization:VIGENTE") == 1


async def test_each_authorization_request_first_expires_those_past_their_validity(
    registry_url, tmp_path, padron_client, local, auth, affiliate, collector, counter, padron_today
):
    async with padron_client(registry_url, tmp_path) as client:
        beneficiary_id = await affiliate(client, "090109")
        muni = auth(client, local("090109", "muni-090109"))
        url = f"/padron/beneficiaries/{beneficiary_id}/authorizations"
        granted = (await client.post(url, json=collector(), headers=muni)).json()["id"]
        # time passes: its validity ended yesterday
        await client.host.pool.execute(
            "update collection_authorizations set valid_until = $2 where authorization_id = $1",
            uuid.UUID(granted),
            padron_today - timedelta(days=1),
        )

        listed = (await client.get(url, headers=muni)).json()

        assert listed[0]["state"] == "VENCIDA"
        assert listed[0]["history"][-1]["action"] == "VENCIDA"
        assert await counter(client, "090109", "authorization:VENCIDA") == 1


async def test_other_jurisdictions_cannot_reach_a_beneficiarys_authorizations_and_each_refusal_is_logged(
    registry_url, tmp_path, padron_client, staff, local, regional, entity, auth, affiliate, collector, counter, refusals
):
    async with padron_client(registry_url, tmp_path) as client:
        beneficiary_id = await affiliate(client, "090110")
        url = f"/padron/beneficiaries/{beneficiary_id}/authorizations"
        granted = (await client.post(url, json=collector(), headers=auth(client, staff()))).json()["id"]
        neighbour = auth(client, local("090111", "muni-090111"))
        region = auth(client, regional("09", "gore-09-auth"))
        ally = auth(client, entity("conadis-auth"))

        other_district = [
            await client.get(url, headers=neighbour),
            await client.post(url, json=collector(), headers=neighbour),
            await client.post(f"/padron/authorizations/{granted}/revoke", json={"reason": "x"}, headers=neighbour),
        ]
        own_region = await client.get(url, headers=region)
        other_ally = await client.post(url, json=collector(), headers=ally)
        anonymous = await client.get(url)

        assert [r.status_code for r in other_district] == [404, 404, 404]
        assert other_district[0].json()["detail"] == "No encontramos ese beneficiario en su distrito."
        assert own_region.status_code == other_ally.status_code == 403
        assert anonymous.status_code == 401
        assert await refusals(client, "muni-090111") == [
            ("DENIED", f"beneficiaries/{beneficiary_id}/authorizations"),
            ("DENIED", f"beneficiaries/{beneficiary_id}/authorizations"),
            ("DENIED", f"authorizations/{granted}"),
        ]
        assert len(await refusals(client, "gore-09-auth")) == len(await refusals(client, "conadis-auth")) == 1
        assert await counter(client, "090110", "authorization:VIGENTE") == 1
        assert await counter(client, "090110", "authorization:REVOCADA") == 0

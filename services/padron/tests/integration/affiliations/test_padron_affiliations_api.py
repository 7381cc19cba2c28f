"""Affiliation request routes on real PostgreSQL: a local government sends, staff decide, lists by jurisdiction
(reads and refusals logged). The module runs in a database of its own."""

from __future__ import annotations

import httpx
import pytest

from authkit import Claims

pytestmark = pytest.mark.integration


@pytest.fixture
def submit(new_dni, auth):
    """``await submit(client, claims, names=...)``: an affiliation request sent with those claims."""

    async def send(client, claims: Claims, names: str = "HUAMAN ROJAS, JUANA") -> httpx.Response:
        return await client.post(
            "/padron/affiliation-requests",
            json={"applicant_dni": new_dni(), "applicant_names": names, "detail": "Certificado en trámite"},
            headers=auth(client, claims),
        )

    return send


async def test_a_local_government_sends_an_affiliation_request_and_staff_decide_it(
    registry_url, tmp_path, padron_client, staff, local, auth, counter, submit
):
    async with padron_client(registry_url, tmp_path) as client:
        muni = local("090112", "muni-090112")
        sent = await submit(client, muni)
        decision = f"/padron/affiliation-requests/{sent.json()['id']}/decision"

        no_observations = await client.post(decision, json={"state": "NO_CONFORME"}, headers=auth(client, staff()))
        decided = await client.post(
            decision,
            json={"state": "NO_CONFORME", "observations": "Falta el certificado de discapacidad"},
            headers=auth(client, staff()),
        )
        twice = await client.post(decision, json={"state": "CONFORME"}, headers=auth(client, staff()))
        seen = await client.get("/padron/affiliation-requests?state=NO_CONFORME", headers=auth(client, muni))

        assert sent.status_code == 201
        assert sent.json()["state"] == "PENDIENTE"
        assert no_observations.status_code == 422
        assert decided.json() == {"id": sent.json()["id"], "state": "NO_CONFORME"}
        assert twice.status_code == 409
        [item] = seen.json()["items"]
        assert (item["state"], item["observations"], item["decided_by"], item["ubigeo"]) == (
            "NO_CONFORME",
            "Falta el certificado de discapacidad",
            "evaluador",
            "090112",
        )
        assert await counter(client, "090112", "affiliation:NO_CONFORME") == 1
        assert await counter(client, "090112", "affiliation:PENDIENTE") == 0


async def test_affiliation_requests_are_listed_by_jurisdiction_in_pages_and_each_read_is_logged(
    registry_url, tmp_path, padron_client, staff, local, regional, auth, submit
):
    async with padron_client(registry_url, tmp_path) as client:
        muni = local("150101", "muni-150101")
        mine = [(await submit(client, muni, f"APELLIDO {i}, NOMBRE")).json()["id"] for i in range(3)]
        neighbour = (await submit(client, local("150102", "muni-150102"))).json()["id"]
        elsewhere = (await submit(client, local("060101", "muni-060101"))).json()["id"]

        first = (await client.get("/padron/affiliation-requests?limit=2", headers=auth(client, muni))).json()
        second = (
            await client.get(f"/padron/affiliation-requests?limit=2&after={first['next']}", headers=auth(client, muni))
        ).json()
        region = (
            await client.get("/padron/affiliation-requests?limit=200", headers=auth(client, regional("15", "gore-15")))
        ).json()
        everyone = (await client.get("/padron/affiliation-requests?limit=200", headers=auth(client, staff()))).json()

        assert [i["affiliation_id"] for i in first["items"] + second["items"]] == mine
        assert second["next"] is None
        assert first["items"][0]["applicant_names"] == "APELLIDO 0, NOMBRE"
        region_ids = {i["affiliation_id"] for i in region["items"]}
        assert region_ids == {*mine, neighbour}
        assert {*mine, neighbour, elsewhere} <= {i["affiliation_id"] for i in everyone["items"]}
        reads = await client.host.pool.fetch(
            "select action, records, allowed from access_log where username = 'muni-150101' order by entry_id"
        )
        assert [(r["action"], r["records"], r["allowed"]) for r in reads] == [
            ("LIST_AFFILIATION_REQUESTS", 2, True),
            ("LIST_AFFILIATION_REQUESTS", 1, True),
        ]


async def test_affiliation_requests_refuse_the_wrong_caller_and_log_it(
    registry_url, tmp_path, padron_client, staff, local, regional, entity, auth, counter, refusals, submit
):
    async with padron_client(registry_url, tmp_path) as client:
        sent = (await submit(client, local("150103", "muni-150103"))).json()["id"]

        by_ally = await client.get("/padron/affiliation-requests", headers=auth(client, entity("conadis-aff")))
        by_region = await submit(client, regional("15", "gore-15-aff"))
        by_staff = await submit(client, staff("evaluador-aff"))
        decided_by_local = await client.post(
            f"/padron/affiliation-requests/{sent}/decision",
            json={"state": "CONFORME"},
            headers=auth(client, local("150103", "muni-150103")),
        )
        anonymous = await client.get("/padron/affiliation-requests")
        too_big = await client.get("/padron/affiliation-requests?limit=500", headers=auth(client, staff()))
        wrong_state = await client.get("/padron/affiliation-requests?state=APROBADA", headers=auth(client, staff()))

        assert [by_ally.status_code, by_region.status_code, by_staff.status_code] == [403, 403, 403]
        assert decided_by_local.status_code == 403
        assert anonymous.status_code == 401
        assert too_big.status_code == wrong_state.status_code == 422
        assert too_big.json()["errors"] == {"limit": "Use un número entre 1 y 200."}
        assert await refusals(client, "conadis-aff") == [("DENIED", "affiliation-requests")]
        assert await refusals(client, "gore-15-aff") == [("DENIED", "affiliation-requests")]
        assert await refusals(client, "muni-150103") == [("DENIED", f"affiliation-requests/{sent}")]
        assert await counter(client, "150103", "affiliation:PENDIENTE") == 1

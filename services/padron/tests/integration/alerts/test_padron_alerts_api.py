"""Alert routes on real PostgreSQL: what is stored, what waits in the outbox, who may."""

from __future__ import annotations

import uuid

import pytest

from contracts.events import AlertRaised

pytestmark = pytest.mark.integration


ALERT = {"alert_type": "FALLECIMIENTO", "detail": "La familia informa que falleció el 2 de mayo."}


async def test_an_alert_is_stored_and_alert_raised_waits_in_the_outbox_keyed_by_the_beneficiary(
    database_url, tmp_path, padron_client, fresh_district
):
    async with padron_client(database_url, tmp_path) as p:
        district = fresh_district()
        beneficiary_id = await p.beneficiary(district)
        local = p.local(district)

        answer = await p.http.post(f"/padron/beneficiaries/{beneficiary_id}/alerts", json=ALERT, headers=local.headers)

        assert answer.status_code == 201
        alert_id = uuid.UUID(answer.json()["alert_id"])
        stored = await p.pool.fetchrow("select * from alerts where alert_id = $1", alert_id)
        assert (stored["alert_type"], stored["state"], stored["ubigeo"], stored["raised_by"]) == (
            "FALLECIMIENTO",
            "ABIERTA",
            district,
            local.username,
        )
        assert stored["detail"] == ALERT["detail"]
        assert await p.events(beneficiary_id) == [
            AlertRaised(
                alert_id=alert_id,
                beneficiary_id=beneficiary_id,
                alert_type="FALLECIMIENTO",
                ubigeo=district,
                raised_by=local.username,
            )
        ]


async def test_an_alert_about_another_districts_beneficiary_is_not_found_and_the_attempt_is_logged(
    database_url, tmp_path, padron_client, fresh_district
):
    async with padron_client(database_url, tmp_path) as p:
        beneficiary_id = await p.beneficiary(fresh_district())
        neighbour = p.local(fresh_district())

        answer = await p.http.post(
            f"/padron/beneficiaries/{beneficiary_id}/alerts", json=ALERT, headers=neighbour.headers
        )

        assert answer.status_code == 404
        assert answer.json() == {"detail": "No encontramos a ese usuario en su distrito."}
        assert await p.pool.fetchval("select count(*) from alerts where beneficiary_id = $1", beneficiary_id) == 0
        assert await p.events(beneficiary_id) == []
        assert [(e["action"], e["allowed"]) for e in await p.access_log(neighbour.username)] == [("DENIED", False)]


async def test_an_invalid_alert_is_refused_field_by_field_in_spanish(
    database_url, tmp_path, padron_client, fresh_district
):
    async with padron_client(database_url, tmp_path) as p:
        district = fresh_district()
        beneficiary_id = await p.beneficiary(district)

        path, headers = f"/padron/beneficiaries/{beneficiary_id}/alerts", p.local(district).headers

        unknown_type = await p.http.post(path, json={"alert_type": "MUDANZA", "detail": "x"}, headers=headers)
        too_long = await p.http.post(path, json={"alert_type": "OTRO", "detail": "x" * 1001}, headers=headers)
        blank = await p.http.post(path, json={"alert_type": "OTRO", "detail": "   "}, headers=headers)
        missing = await p.http.post(path, json={"detail": "x"}, headers=headers)

        assert [a.status_code for a in (unknown_type, too_long, blank, missing)] == [422] * 4
        assert unknown_type.json()["errors"] == {"alert_type": "Valor no permitido."}
        assert too_long.json()["errors"] == {"detail": "Debe tener como máximo 1000 caracteres."}
        assert blank.json() == {"detail": "Revise los datos de la alerta.", "errors": {"detail": "Dato obligatorio."}}
        assert missing.json() == {
            "detail": "Faltan datos en el formulario.",
            "errors": {"alert_type": "Este dato es obligatorio."},
        }
        assert await p.pool.fetchval("select count(*) from alerts where beneficiary_id = $1", beneficiary_id) == 0


async def test_alerts_are_listed_newest_first_page_by_page_within_the_jurisdiction_and_the_read_is_logged(
    database_url, tmp_path, padron_client, fresh_district
):
    async with padron_client(database_url, tmp_path) as p:
        district = fresh_district()
        local = p.local(district)
        ids = []
        for _ in range(3):
            beneficiary_id = await p.beneficiary(district)
            answer = await p.http.post(
                f"/padron/beneficiaries/{beneficiary_id}/alerts", json=ALERT, headers=local.headers
            )
            ids.append(answer.json()["alert_id"])
        elsewhere = await p.beneficiary(f"{district[:2]}{(int(district[2:]) + 1) % 10**4:04d}")
        await p.http.post(f"/padron/beneficiaries/{elsewhere}/alerts", json=ALERT, headers=p.staff().headers)

        first = (await p.http.get("/padron/alerts?limit=2", headers=local.headers)).json()
        second = (
            await p.http.get("/padron/alerts", params={"limit": 2, "after": first["next"]}, headers=local.headers)
        ).json()
        regional = await p.http.get("/padron/alerts", params={"limit": 200}, headers=p.regional(district[:2]).headers)
        other = await p.http.get("/padron/alerts", headers=p.other_ally().headers)

        assert [a["alert_id"] for a in first["items"] + second["items"]] == list(reversed(ids))
        assert second["next"] is None
        assert first["items"][0]["names"] == "QUISPE MAMANI, ANA"
        assert len(first["items"][0]["dni"]) == 8
        assert set(ids) < {a["alert_id"] for a in regional.json()["items"]}
        assert other.status_code == 403
        log = await p.access_log(local.username)
        assert [(e["action"], e["allowed"], e["records"]) for e in log[-2:]] == [
            ("LIST_ALERTS", True, 2),
            ("LIST_ALERTS", True, 1),
        ]


async def test_staff_attend_an_alert_once_and_nobody_else_can(database_url, tmp_path, padron_client, fresh_district):
    async with padron_client(database_url, tmp_path) as p:
        district = fresh_district()
        local = p.local(district)
        beneficiary_id = await p.beneficiary(district)
        alert_id = (
            await p.http.post(f"/padron/beneficiaries/{beneficiary_id}/alerts", json=ALERT, headers=local.headers)
        ).json()["alert_id"]
        staff = p.staff()

        by_local = await p.http.post(f"/padron/alerts/{alert_id}/attend", headers=local.headers)
        attended = await p.http.post(f"/padron/alerts/{alert_id}/attend", headers=staff.headers)
        again = await p.http.post(f"/padron/alerts/{alert_id}/attend", headers=staff.headers)

        assert by_local.status_code == 403
        assert attended.status_code == 200
        assert attended.json()["state"] == "ATENDIDA"
        assert again.status_code == 409
        assert again.json() == {"detail": "La alerta ya fue atendida."}
        listed = await p.http.get("/padron/alerts?state=ATENDIDA", headers=local.headers)
        assert [a["alert_id"] for a in listed.json()["items"]] == [alert_id]
        closed = await p.http.get("/padron/alerts?state=CERRADA", headers=local.headers)
        assert (closed.status_code, closed.json()["errors"]) == (422, {"state": "Use ABIERTA o ATENDIDA."})

"""FAD routes on real PostgreSQL: what is stored and applied, what waits in the outbox, who may."""

from __future__ import annotations

import uuid
from datetime import date

import httpx
import pytest

from contracts.events import FADApplied, FADSubmitted
from padron.fad import domain as fad

pytestmark = pytest.mark.integration


NEW_PERSON = {"dni": "42345678", "names": "QUISPE ROJAS, JUAN", "relationship": "HIJO"}


async def submit(p, beneficiary_id, local, proposed: dict) -> httpx.Response:
    return await p.http.post(
        f"/padron/beneficiaries/{beneficiary_id}/fad", json={"changes": proposed}, headers=local.headers
    )


async def test_approving_a_fad_updates_the_beneficiary_and_keeps_before_and_after(
    database_url, tmp_path, padron_client, fresh_district, padron_today
):
    async with padron_client(database_url, tmp_path) as p:
        district = fresh_district()
        local, staff = p.local(district), p.staff()
        beneficiary_id = await p.beneficiary(district, address="Jr. Lima 123", phone="987654321")
        previous = uuid.uuid4()
        await p.pool.execute(
            "insert into collection_authorizations (authorization_id, beneficiary_id, ubigeo, collector_dni,"
            " collector_names, relationship, state, valid_from, valid_until)"
            " values ($1, $2, $3, '41234567', 'QUISPE ROJAS, ROSA', 'HIJA', 'VIGENTE', '2026-01-01', '2027-01-01')",
            previous,
            beneficiary_id,
            district,
        )
        submitted = await submit(
            p,
            beneficiary_id,
            local,
            {"address": "Av. Grau 45, Huancavelica", "phone": "987654321", "authorized_person": NEW_PERSON},
        )
        fad_id = submitted.json()["fad_id"]

        decided = await p.http.post(f"/padron/fad/{fad_id}/decision", json={"approve": True}, headers=staff.headers)

        assert submitted.status_code == 201
        assert decided.status_code == 200
        assert decided.json()["state"] == "APROBADA"
        assert decided.json()["applied_fields"] == ["address", "authorized_person"]
        row = await p.pool.fetchrow(
            "select address, phone from beneficiaries where beneficiary_id = $1", beneficiary_id
        )
        assert dict(row) == {"address": "Av. Grau 45, Huancavelica", "phone": "987654321"}
        shown = (await p.http.get(f"/padron/fad/{fad_id}", headers=local.headers)).json()
        assert shown["state"] == "APROBADA"
        assert shown["decided_by"] == staff.username
        assert [(h["field"], h["before_value"], h["after_value"], h["applied_by"]) for h in shown["history"]] == [
            ("address", "Jr. Lima 123", "Av. Grau 45, Huancavelica", staff.username),
            (
                "authorized_person",
                "QUISPE ROJAS, ROSA (DNI 41234567, HIJA)",
                "QUISPE ROJAS, JUAN (DNI 42345678, HIJO)",
                staff.username,
            ),
        ]
        authorizations = await p.pool.fetch(
            "select a.collector_dni, a.state, a.valid_from, a.valid_until, array_agg(h.action order by h.at) actions"
            " from collection_authorizations a left join authorization_history h using (authorization_id)"
            " where a.beneficiary_id = $1 group by 1, 2, 3, 4 order by 1",
            beneficiary_id,
        )
        today = padron_today
        until = fad.authorization_until(today)
        assert [tuple(r) for r in authorizations] == [
            ("41234567", "REVOCADA", date(2026, 1, 1), date(2027, 1, 1), ["REVOCADA"]),
            ("42345678", "VIGENTE", today, until, ["AUTORIZADA"]),
        ]
        assert await p.events(beneficiary_id) == [
            FADSubmitted(
                fad_id=uuid.UUID(fad_id),
                beneficiary_id=beneficiary_id,
                ubigeo=district,
                submitted_by=local.username,
                fields=["address", "phone", "authorized_person"],
            ),
            FADApplied(
                fad_id=uuid.UUID(fad_id),
                beneficiary_id=beneficiary_id,
                ubigeo=district,
                decided_by=staff.username,
                approved=True,
            ),
        ]


async def test_rejecting_a_fad_changes_nothing_and_keeps_the_reason(
    database_url, tmp_path, padron_client, fresh_district
):
    async with padron_client(database_url, tmp_path) as p:
        district = fresh_district()
        local, staff = p.local(district), p.staff()
        beneficiary_id = await p.beneficiary(district, address="Jr. Lima 123")
        fad_id = (
            await submit(p, beneficiary_id, local, {"address": "Av. Grau 45", "authorized_person": NEW_PERSON})
        ).json()["fad_id"]

        without_reason = await p.http.post(
            f"/padron/fad/{fad_id}/decision", json={"approve": False}, headers=staff.headers
        )
        rejected = await p.http.post(
            f"/padron/fad/{fad_id}/decision",
            json={"approve": False, "note": "La dirección no figura en el catastro."},
            headers=staff.headers,
        )

        assert without_reason.status_code == 422
        assert without_reason.json()["errors"] == {"note": "Indique el motivo del rechazo."}
        assert rejected.status_code == 200
        stored = await p.pool.fetchrow("select state, decision_note from fads where fad_id = $1", uuid.UUID(fad_id))
        assert dict(stored) == {"state": "RECHAZADA", "decision_note": "La dirección no figura en el catastro."}
        assert await p.pool.fetchval("select address from beneficiaries where beneficiary_id = $1", beneficiary_id) == (
            "Jr. Lima 123"
        )
        assert await p.pool.fetchval("select count(*) from fad_history where fad_id = $1", uuid.UUID(fad_id)) == 0
        assert (
            await p.pool.fetchval(
                "select count(*) from collection_authorizations where beneficiary_id = $1", beneficiary_id
            )
            == 0
        )
        assert (await p.events(beneficiary_id))[-1] == FADApplied(
            fad_id=uuid.UUID(fad_id),
            beneficiary_id=beneficiary_id,
            ubigeo=district,
            decided_by=staff.username,
            approved=False,
        )


async def test_a_decided_fad_cannot_be_decided_again_and_only_staff_decide(
    database_url, tmp_path, padron_client, fresh_district
):
    async with padron_client(database_url, tmp_path) as p:
        district = fresh_district()
        local, staff = p.local(district), p.staff()
        beneficiary_id = await p.beneficiary(district)
        fad_id = (await submit(p, beneficiary_id, local, {"contact_name": "ROJAS, LUIS"})).json()["fad_id"]

        by_local = await p.http.post(f"/padron/fad/{fad_id}/decision", json={"approve": True}, headers=local.headers)
        by_region = await p.http.post(
            f"/padron/fad/{fad_id}/decision", json={"approve": True}, headers=p.regional(district[:2]).headers
        )
        first = await p.http.post(f"/padron/fad/{fad_id}/decision", json={"approve": True}, headers=staff.headers)
        second = await p.http.post(
            f"/padron/fad/{fad_id}/decision", json={"approve": False, "note": "Otra vez"}, headers=staff.headers
        )

        assert (by_local.status_code, by_region.status_code) == (403, 403)
        assert first.status_code == 200
        assert second.status_code == 409
        assert second.json() == {"detail": "La FAD ya fue decidida (APROBADA); no puede decidirse otra vez."}
        assert await p.pool.fetchval("select state from fads where fad_id = $1", uuid.UUID(fad_id)) == "APROBADA"
        assert [type(e).__name__ for e in await p.events(beneficiary_id)] == ["FADSubmitted", "FADApplied"]


async def test_a_fad_with_fields_it_cannot_change_is_refused_field_by_field(
    database_url, tmp_path, padron_client, fresh_district
):
    async with padron_client(database_url, tmp_path) as p:
        district = fresh_district()
        beneficiary_id = await p.beneficiary(district)

        local = p.local(district)

        answer = await submit(
            p,
            beneficiary_id,
            local,
            {"phone": "123", "authorized_person": {"dni": "1234", "names": "X", "relationship": "Y"}},
        )
        not_a_fad_field = await submit(p, beneficiary_id, local, {"dni": "40123456"})

        assert answer.status_code == 422
        assert answer.json() == {
            "detail": "Revise los datos de la FAD.",
            "errors": {
                "changes.phone": "Teléfono no válido (celular de 9 dígitos o fijo con código de ciudad).",
                "changes.authorized_person.dni": "El DNI debe tener 8 dígitos.",
            },
        }
        assert (not_a_fad_field.status_code, not_a_fad_field.json()) == (
            422,
            {
                "detail": "Hay datos con un formato no válido.",
                "errors": {"changes.dni": "Este dato no se acepta aquí."},
            },
        )
        assert await p.pool.fetchval("select count(*) from fads where beneficiary_id = $1", beneficiary_id) == 0


async def test_pending_fads_are_listed_within_the_jurisdiction_and_another_districts_fad_is_not_found(
    database_url, tmp_path, padron_client, fresh_district
):
    async with padron_client(database_url, tmp_path) as p:
        district = fresh_district()
        local = p.local(district)
        beneficiary_id = await p.beneficiary(district)
        fad_id = (await submit(p, beneficiary_id, local, {"phone": "912345678"})).json()["fad_id"]
        neighbour = p.local(fresh_district())

        own = await p.http.get("/padron/fad?state=PENDIENTE", headers=local.headers)
        theirs = await p.http.get("/padron/fad?state=PENDIENTE", headers=neighbour.headers)
        peek = await p.http.get(f"/padron/fad/{fad_id}", headers=neighbour.headers)
        staff_view = await p.http.get(f"/padron/fad/{fad_id}", headers=p.staff().headers)

        assert [(f["fad_id"], f["changes"]) for f in own.json()["items"]] == [(fad_id, {"phone": "912345678"})]
        assert fad_id not in {f["fad_id"] for f in theirs.json()["items"]}
        assert peek.status_code == 404
        assert staff_view.status_code == 200
        assert staff_view.json()["history"] == []
        assert [(e["action"], e["allowed"]) for e in await p.access_log(local.username)] == [("LIST_FAD", True)]
        assert [(e["action"], e["allowed"]) for e in await p.access_log(neighbour.username)] == [
            ("LIST_FAD", True),
            ("DENIED", False),
        ]

"""Beneficiary routes on real PostgreSQL: affiliation, status changes, and who may (refusals logged). The module
runs in a database of its own, and each test in districts of its own, so its counters are exact."""

from __future__ import annotations

import uuid

import pytest

pytestmark = pytest.mark.integration


async def test_staff_affiliate_a_beneficiary_who_meets_the_requirements_and_it_is_recorded_vigente(
    registry_url, tmp_path, padron_client, staff, auth, person, counter
):
    async with padron_client(registry_url, tmp_path) as client:
        body = person("090101")

        created = await client.post("/padron/beneficiaries", json=body, headers=auth(client, staff()))

        assert created.status_code == 201
        assert created.json()["status"] == "VIGENTE"
        stored = await client.host.pool.fetchrow(
            "select status, requirements::text as requirements from beneficiaries where beneficiary_id = $1",
            uuid.UUID(created.json()["id"]),
        )
        assert stored["status"] == "VIGENTE"
        assert '"cumple": true' in stored["requirements"]
        assert await counter(client, "090101", "status:VIGENTE") == 1


async def test_an_affiliation_with_wrong_data_is_answered_field_by_field_in_spanish(
    registry_url, tmp_path, padron_client, staff, auth, person
):
    async with padron_client(registry_url, tmp_path) as client:
        body = person("999999", dni="4012", phone="12345")
        headers = auth(client, staff())

        refused = await client.post("/padron/beneficiaries", json=body, headers=headers)
        bad_sex = await client.post("/padron/beneficiaries", json=person("090101", sex="X"), headers=headers)
        bad_date = await client.post(
            "/padron/beneficiaries", json=person("090101", birth_date="02/03/1950"), headers=headers
        )

        assert refused.status_code == 422
        assert refused.json()["errors"] == {
            "dni": "El DNI debe tener 8 dígitos.",
            "ubigeo": "El distrito no existe en el ubigeo del INEI.",
            "phone": "Teléfono no válido (celular de 9 dígitos o fijo con código de ciudad).",
        }
        assert (bad_sex.status_code, bad_sex.json()) == (
            422,
            {"detail": "Hay datos con un formato no válido.", "errors": {"sex": "Valor no permitido."}},
        )
        assert (bad_date.status_code, bad_date.json()) == (
            422,
            {"detail": "Hay datos con un formato no válido.", "errors": {"birth_date": "Valor no válido."}},
        )


async def test_an_applicant_who_misses_a_requirement_is_told_which_and_nothing_is_stored(
    registry_url, tmp_path, padron_client, staff, auth, person
):
    async with padron_client(registry_url, tmp_path) as client:
        body = person("090102", certificate_severity="MODERADA", other_pension=True)

        refused = await client.post("/padron/beneficiaries", json=body, headers=auth(client, staff()))

        assert refused.status_code == 422
        assert refused.json() == {
            "detail": "No cumple los requisitos de la pensión; no se registró.",
            "errors": {
                "requirements.discapacidad_severa": "El certificado de discapacidad debe ser de grado SEVERA.",
                "requirements.sin_otra_pension_ni_ingresos": (
                    "El solicitante no debe percibir otra pensión ni ingresos."
                ),
            },
        }
        assert await client.host.pool.fetchval("select count(*) from beneficiaries where dni = $1", body["dni"]) == 0


async def test_a_dni_already_in_the_padron_cannot_be_affiliated_again(
    registry_url, tmp_path, padron_client, staff, auth, person, counter
):
    async with padron_client(registry_url, tmp_path) as client:
        body = person("090103")
        await client.post("/padron/beneficiaries", json=body, headers=auth(client, staff()))

        again = await client.post("/padron/beneficiaries", json=body, headers=auth(client, staff()))

        assert again.status_code == 409
        assert again.json()["detail"] == "Ya existe un beneficiario con ese DNI en el padrón."
        assert await counter(client, "090103", "status:VIGENTE") == 1


async def test_only_program_staff_affiliate_and_change_statuses(
    registry_url, tmp_path, padron_client, local, auth, person, affiliate, counter, refusals
):
    async with padron_client(registry_url, tmp_path) as client:
        beneficiary_id = await affiliate(client, "090104")
        muni = local("090104", "muni-090104-a")

        affiliation = await client.post("/padron/beneficiaries", json=person("090104"), headers=auth(client, muni))
        suspension = await client.post(
            f"/padron/beneficiaries/{beneficiary_id}/status",
            json={"status": "SUSPENDIDO", "reason": "x"},
            headers=auth(client, muni),
        )
        anonymous = await client.post("/padron/beneficiaries", json=person("090104"))

        assert affiliation.status_code == suspension.status_code == 403
        assert anonymous.status_code == 401
        assert await refusals(client, "muni-090104-a") == [
            ("DENIED", "beneficiaries"),
            ("DENIED", f"beneficiaries/{beneficiary_id}/status"),
        ]
        assert await counter(client, "090104", "status:VIGENTE") == 1


async def test_status_changes_keep_their_history_and_a_disaffiliation_is_final(
    registry_url, tmp_path, padron_client, staff, auth, affiliate, counter
):
    async with padron_client(registry_url, tmp_path) as client:
        beneficiary_id = await affiliate(client, "090105")
        url = f"/padron/beneficiaries/{beneficiary_id}/status"
        headers = auth(client, staff("supervisora"))

        no_reason = await client.post(url, json={"status": "SUSPENDIDO"}, headers=headers)
        suspended = await client.post(url, json={"status": "SUSPENDIDO", "reason": "No cobró"}, headers=headers)
        reinstated = await client.post(url, json={"status": "VIGENTE", "reason": "Cobro regularizado"}, headers=headers)
        gone = await client.post(url, json={"status": "DESAFILIADO", "reason": "Fallecimiento"}, headers=headers)
        back = await client.post(url, json={"status": "VIGENTE"}, headers=headers)

        assert no_reason.status_code == 422
        assert no_reason.json()["errors"] == {"reason": "Indique el motivo de la suspensión o desafiliación."}
        assert [suspended.status_code, reinstated.status_code, gone.status_code] == [200, 200, 200]
        assert back.status_code == 409
        assert "la desafiliación es definitiva" in back.json()["detail"]
        history = await client.host.pool.fetch(
            "select status, reason, changed_by from status_history where beneficiary_id = $1 order by changed_at",
            uuid.UUID(beneficiary_id),
        )
        assert [(h["status"], h["reason"], h["changed_by"]) for h in history] == [
            ("VIGENTE", "Afiliación", "evaluador"),
            ("SUSPENDIDO", "No cobró", "supervisora"),
            ("VIGENTE", "Cobro regularizado", "supervisora"),
            ("DESAFILIADO", "Fallecimiento", "supervisora"),
        ]
        assert await counter(client, "090105", "status:VIGENTE") == 0
        assert await counter(client, "090105", "status:DESAFILIADO") == 1

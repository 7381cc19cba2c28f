"""Padrón versions on real PostgreSQL: categories across consecutive padrones, counts, PadronPublished.

A padrón freezes every beneficiary in the database, so each test runs in a database of its own.
"""

from __future__ import annotations

from datetime import date, timedelta

import httpx
import pytest

from authkit import Claims
from contracts.events import PadronPublished
from eventkit.clock import LimaClock
from eventkit.messages import read

pytestmark = pytest.mark.integration

STAFF = Claims(sub="staff-1", username="evaluador", role="EVALUATOR")
ENTITY = Claims(sub="ent-1", username="conadis", role="ALLY", ally_type="OTRO_ALIADO", entity_ruc="20123456789")
HUANCAVELICA = "090101"
ACOBAMBA = "090201"
LIMA = "150101"


def auth(client, claims: Claims) -> dict[str, str]:
    return {"Authorization": f"Bearer {client.signer.sign(claims)}"}


def person(dni: str, district: str) -> dict:
    return {
        "dni": dni,
        "names": "QUISPE MAMANI, ANA",
        "birth_date": "1950-03-02",
        "sex": "F",
        "ubigeo": district,
        "address": "Jr. Lima 123",
        "certificate_number": f"CD-{dni}",
        "certificate_severity": "SEVERA",
        "certificate_issuer": "MINSA",
        "certificate_date": "2020-01-10",
        "sisfoh_classification": "POBRE_EXTREMO",
        "sisfoh_expires_on": (LimaClock().today() + timedelta(days=365)).isoformat(),
        "other_pension": False,
    }


async def affiliate(client, dni: str, district: str) -> str:
    created = await client.post("/padron/beneficiaries", json=person(dni, district), headers=auth(client, STAFF))
    assert created.status_code == 201, created.text
    return created.json()["id"]


async def set_status(client, beneficiary_id: str, status: str, reason: str = "") -> None:
    changed = await client.post(
        f"/padron/beneficiaries/{beneficiary_id}/status",
        json={"status": status, "reason": reason},
        headers=auth(client, STAFF),
    )
    assert changed.status_code == 200, changed.text


async def publish(client, period: str, claims: Claims = STAFF) -> httpx.Response:
    return await client.post(
        "/padron/versions",
        json={"period": period, "resolution_number": f"RD-{period}-MIDIS", "resolution_date": "2026-06-30"},
        headers=auth(client, claims),
    )


async def categories(client, period: str) -> dict[str, tuple[str, str]]:
    rows = await client.host.pool.fetch(
        "select b.dni, e.category, e.amount::text as amount from padron_entries e"
        " join padrones p using (padron_id) join beneficiaries b using (beneficiary_id) where p.period = $1",
        period,
    )
    return {r["dni"]: (r["category"], r["amount"]) for r in rows}


async def published_event(client, period: str) -> tuple[str, PadronPublished]:
    for row in await client.host.pool.fetch("select key, body from outbox where type = 'PadronPublished'"):
        envelope, event = read(row["body"])
        if event.period == period:
            return envelope.key, event
    raise AssertionError(f"no PadronPublished for {period}")


def by_district(event: PadronPublished) -> dict[tuple[str, str], int]:
    return {(c.ubigeo, c.category): c.count for c in event.counts}


async def test_three_consecutive_padrones_categorize_every_beneficiary_and_announce_the_counts(
    database_url, tmp_path, private_database, padron_client
):
    async with private_database(database_url) as url, padron_client(url, tmp_path) as client:
        await affiliate(client, "40000001", HUANCAVELICA)
        a2 = await affiliate(client, "40000002", HUANCAVELICA)
        s1 = await affiliate(client, "40000003", ACOBAMBA)
        b1 = await affiliate(client, "40000004", LIMA)
        d0 = await affiliate(client, "40000005", LIMA)
        await set_status(client, s1, "SUSPENDIDO", "No cobró dos periodos")
        await set_status(client, d0, "DESAFILIADO", "Fallecimiento")
        first = await publish(client, "IV-2026")
        n2 = await affiliate(client, "40000006", LIMA)
        await set_status(client, a2, "SUSPENDIDO", "Cambio de domicilio sin confirmar")
        await set_status(client, s1, "VIGENTE", "Cobro regularizado")
        await set_status(client, b1, "DESAFILIADO", "Percibe otra pensión")
        second = await publish(client, "V-2026")
        await set_status(client, a2, "DESAFILIADO", "Fallecimiento")
        await set_status(client, n2, "SUSPENDIDO", "Supervivencia no acreditada")
        third = await publish(client, "VI-2026")

        assert [first.status_code, second.status_code, third.status_code] == [201, 201, 201]
        assert await categories(client, "IV-2026") == {
            "40000001": ("NUEVO", "300.00"),
            "40000002": ("NUEVO", "300.00"),
            "40000003": ("SUSPENDIDO", "0.00"),
            "40000004": ("NUEVO", "300.00"),
        }
        assert await categories(client, "V-2026") == {
            "40000001": ("CONTINUADOR", "300.00"),
            "40000002": ("SUSPENDIDO", "0.00"),
            "40000003": ("REINCORPORADO", "300.00"),
            "40000004": ("DESAFILIADO", "0.00"),
            "40000006": ("NUEVO", "300.00"),
        }
        assert await categories(client, "VI-2026") == {
            "40000001": ("CONTINUADOR", "300.00"),
            "40000002": ("DESAFILIADO", "0.00"),
            "40000003": ("CONTINUADOR", "300.00"),
            "40000006": ("SUSPENDIDO", "0.00"),
        }
        key, event = await published_event(client, "V-2026")
        assert key == second.json()["id"] == str(event.padron_id)
        assert event.resolution_number == "RD-V-2026-MIDIS"
        assert event.resolution_date == date(2026, 6, 30)
        assert by_district(event) == {
            (HUANCAVELICA, "CONTINUADOR"): 1,
            (HUANCAVELICA, "SUSPENDIDO"): 1,
            (ACOBAMBA, "REINCORPORADO"): 1,
            (LIMA, "DESAFILIADO"): 1,
            (LIMA, "NUEVO"): 1,
        }
        assert by_district((await published_event(client, "IV-2026"))[1]) == {
            (HUANCAVELICA, "NUEVO"): 2,
            (ACOBAMBA, "SUSPENDIDO"): 1,
            (LIMA, "NUEVO"): 1,
        }
        assert by_district((await published_event(client, "VI-2026"))[1]) == {
            (HUANCAVELICA, "CONTINUADOR"): 1,
            (HUANCAVELICA, "DESAFILIADO"): 1,
            (ACOBAMBA, "CONTINUADOR"): 1,
            (LIMA, "SUSPENDIDO"): 1,
        }


async def test_a_version_shows_its_totals_by_category_and_region_to_any_logged_in_ally(
    database_url, tmp_path, private_database, padron_client
):
    async with private_database(database_url) as url, padron_client(url, tmp_path) as client:
        await affiliate(client, "41000001", HUANCAVELICA)
        await affiliate(client, "41000002", ACOBAMBA)
        suspended = await affiliate(client, "41000003", LIMA)
        await set_status(client, suspended, "SUSPENDIDO", "No cobró dos periodos")
        await publish(client, "I-2026")

        detail = await client.get("/padron/versions/I-2026", headers=auth(client, ENTITY))
        listed = await client.get("/padron/versions", headers=auth(client, ENTITY))
        anonymous = await client.get("/padron/versions/I-2026")
        missing = await client.get("/padron/versions/II-2026", headers=auth(client, ENTITY))

        assert detail.status_code == 200
        body = detail.json()
        assert body["totals"] == {"CONTINUADOR": 0, "NUEVO": 2, "REINCORPORADO": 0, "SUSPENDIDO": 1, "DESAFILIADO": 0}
        assert body["pension_total"] == "600.00"
        assert [(r["region"], r["name"], r["totals"]["NUEVO"], r["totals"]["SUSPENDIDO"]) for r in body["regions"]] == [
            ("09", "Huancavelica", 2, 0),
            ("15", "Lima", 0, 1),
        ]
        assert [(v["period"], v["resolution_number"], v["totals"]["NUEVO"]) for v in listed.json()] == [
            ("I-2026", "RD-I-2026-MIDIS", 2)
        ]
        assert anonymous.status_code == 401
        assert missing.status_code == 404
        assert missing.json()["detail"] == "No hay un padrón publicado para el periodo II-2026."


async def test_a_period_already_published_or_not_after_the_latest_is_refused_and_nothing_is_frozen(
    database_url, tmp_path, private_database, padron_client
):
    async with private_database(database_url) as url, padron_client(url, tmp_path) as client:
        await affiliate(client, "42000001", HUANCAVELICA)
        await publish(client, "V-2026")

        again = await publish(client, "V-2026")
        earlier = await publish(client, "III-2026")
        by_an_ally = await publish(client, "VI-2026", ENTITY)
        malformed = await publish(client, "VII-2026")

        assert again.status_code == earlier.status_code == 409
        assert again.json()["detail"] == "El padrón V-2026 ya fue publicado."
        assert "no es posterior al último publicado (V-2026)" in earlier.json()["detail"]
        assert by_an_ally.status_code == 403
        assert malformed.status_code == 422
        assert malformed.json()["errors"] == {"period": "Use el bimestre en romanos y el año, por ejemplo V-2022."}
        assert await client.host.pool.fetchval("select count(*) from padrones") == 1
        assert await client.host.pool.fetchval("select count(*) from outbox where type = 'PadronPublished'") == 1
        assert (
            await client.host.pool.fetchval(
                "select count(*) from access_log where username = 'conadis' and not allowed"
            )
            == 1
        )


async def test_someone_absent_from_the_previous_padron_but_in_an_older_one_comes_back_reincorporado(
    database_url, tmp_path, private_database, padron_client
):
    async with private_database(database_url) as url, padron_client(url, tmp_path) as client:
        returning = await affiliate(client, "43000001", HUANCAVELICA)
        await affiliate(client, "43000002", HUANCAVELICA)
        await publish(client, "I-2026")
        await set_status(client, returning, "DESAFILIADO", "Percibe otra pensión")
        await publish(client, "II-2026")
        await publish(client, "III-2026")
        # A correction by bulk import (the API never reinstates a disaffiliation) brings them back.
        await client.host.pool.execute(
            "update beneficiaries set status = 'VIGENTE', status_reason = null where dni = '43000001'"
        )
        await affiliate(client, "43000003", HUANCAVELICA)

        published = await publish(client, "IV-2026")

        assert published.status_code == 201
        assert published.json()["totals"] == {"CONTINUADOR": 1, "REINCORPORADO": 1, "NUEVO": 1}
        assert (await categories(client, "II-2026"))["43000001"] == ("DESAFILIADO", "0.00")
        assert "43000001" not in await categories(client, "III-2026")
        assert await categories(client, "IV-2026") == {
            "43000001": ("REINCORPORADO", "300.00"),
            "43000002": ("CONTINUADOR", "300.00"),
            "43000003": ("NUEVO", "300.00"),
        }

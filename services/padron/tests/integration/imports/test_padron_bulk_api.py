"""POST /padron/imports on real PostgreSQL: staff import a CSV all or nothing; nobody else may."""

from __future__ import annotations

import contextlib
import uuid

import pytest

from authkit import Claims
from eventkit.http import SPANISH
from padron.beneficiaries.domain import FIELDS
from padron.imports import synthetic

pytestmark = pytest.mark.integration

STAFF = {"role": "EVALUATOR"}
ALLIES = {
    "GOBIERNO_REGIONAL": {"role": "ALLY", "ally_type": "GOBIERNO_REGIONAL", "ubigeo": "06"},
    "GOBIERNO_LOCAL": {"role": "ALLY", "ally_type": "GOBIERNO_LOCAL", "ubigeo": "060101"},
    "OTRO_ALIADO": {"role": "ALLY", "ally_type": "OTRO_ALIADO", "entity_ruc": "20100000001"},
}


@pytest.fixture
def padron_client(padron_client, private_database):
    """The padrón app in a database of the test's own: an import fills whole districts, which other tests must
    not see."""

    @contextlib.asynccontextmanager
    async def in_own_database(database_url, tmp_path):
        async with private_database(database_url) as url, padron_client(url, tmp_path) as client:
            yield client

    return in_own_database


def auth(client, **claims) -> dict[str, str]:
    username = f"u-{uuid.uuid4().hex[:8]}"
    token = client.signer.sign(Claims(sub=str(uuid.uuid4()), username=username, **claims))
    return {"Authorization": f"Bearer {token}"}


def padron_csv(n: int, seed: int = 41) -> bytes:
    return b"".join(synthetic.csv_chunks(n, seed=seed))


async def test_staff_import_a_csv_sent_as_the_body_and_the_import_is_logged(database_url, tmp_path, padron_client):
    async with padron_client(database_url, tmp_path) as client:
        headers = auth(client, **STAFF) | {"Content-Type": "text/csv"}

        answer = await client.post("/padron/imports", content=padron_csv(2_500), headers=headers)

        assert answer.status_code == 201
        assert answer.json() == {"imported": 2_500}
        assert await client.pool.fetchval("select count(*) from beneficiaries") == 2_500
        logged = await client.pool.fetchrow("select action, allowed, records from access_log")
        assert dict(logged) == {"action": "IMPORT_BENEFICIARIES", "allowed": True, "records": 2_500}


async def test_staff_import_a_csv_sent_as_the_multipart_field_file(database_url, tmp_path, padron_client):
    async with padron_client(database_url, tmp_path) as client:
        files = {"file": ("padron.csv", padron_csv(1_800), "text/csv")}

        answer = await client.post("/padron/imports", files=files, headers=auth(client, **STAFF))

        assert answer.status_code == 201
        assert answer.json() == {"imported": 1_800}


async def test_a_file_with_bad_rows_answers_422_with_each_row_and_stores_nothing(database_url, tmp_path, padron_client):
    lines = padron_csv(500).decode().splitlines()
    lines[3] = lines[3].replace(",SEVERA,", ",GRAVE,")
    lines[400] = "12,sin coma"
    async with padron_client(database_url, tmp_path) as client:
        headers = auth(client, **STAFF) | {"Content-Type": "text/csv"}

        answer = await client.post("/padron/imports", content="\n".join(lines).encode(), headers=headers)

        assert answer.status_code == 422
        assert answer.json() == {
            "detail": "El archivo tiene 2 filas con errores; no se importó ninguna.",
            "error_rows": 2,
            "errors": [
                {
                    "line": 4,
                    "dni": lines[3][:8],
                    "errors": {"certificate_severity": "Use LEVE, MODERADA o SEVERA."},
                },
                {
                    "line": 401,
                    "dni": "12",
                    "errors": {"fila": f"La fila tiene 2 columnas; deben ser {len(FIELDS)}, como la cabecera."},
                },
            ],
        }
        assert await client.pool.fetchval("select count(*) from beneficiaries") == 0


async def test_a_file_with_another_header_answers_422_with_the_expected_header(database_url, tmp_path, padron_client):
    async with padron_client(database_url, tmp_path) as client:
        headers = auth(client, **STAFF) | {"Content-Type": "text/csv"}

        answer = await client.post("/padron/imports", content=b"DNI;NOMBRES\n12345678;ANA\n", headers=headers)

        assert answer.status_code == 422
        assert answer.json()["detail"].startswith("La primera fila debe ser la cabecera dni,names,birth_date,")


@pytest.mark.parametrize("ally_type", sorted(ALLIES))
async def test_allies_may_not_import_and_the_refusal_is_logged(database_url, tmp_path, ally_type, padron_client):
    async with padron_client(database_url, tmp_path) as client:
        headers = auth(client, **ALLIES[ally_type]) | {"Content-Type": "text/csv"}

        answer = await client.post("/padron/imports", content=padron_csv(10), headers=headers)

        assert answer.status_code == 403
        assert answer.json() == {"detail": "Solo el personal del programa puede importar beneficiarios."}
        assert await client.pool.fetchval("select count(*) from beneficiaries") == 0
        refusal = await client.pool.fetchrow("select action, allowed, resource from access_log")
        assert dict(refusal) == {"action": "DENIED", "allowed": False, "resource": "POST /padron/imports"}


async def test_without_a_token_the_import_answers_401(database_url, tmp_path, padron_client):
    async with padron_client(database_url, tmp_path) as client:
        answer = await client.post("/padron/imports", content=padron_csv(10), headers={"Content-Type": "text/csv"})

        assert answer.status_code == 401
        assert answer.json() == {"detail": SPANISH[401]}
        assert await client.pool.fetchval("select count(*) from beneficiaries") == 0

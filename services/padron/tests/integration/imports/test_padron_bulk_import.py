"""The bulk import on real PostgreSQL: all rows or none, every bad row reported, counters exact."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import uuid
from collections.abc import AsyncIterator
from datetime import date

import asyncpg
import pytest

import padron.app
from eventkit.migrations import migrate
from padron.beneficiaries.domain import FIELDS, requirements, validate
from padron.imports import repo as bulk
from padron.imports import synthetic
from padron.imports.domain import RowError

pytestmark = pytest.mark.integration

TODAY = date(2026, 1, 15)


@contextlib.asynccontextmanager
async def padron_schema(database_url: str) -> AsyncIterator[asyncpg.Connection]:
    """A connection to a padrón schema of this test's own: no other test sees its beneficiaries."""
    schema = f"bulk_{uuid.uuid4().hex[:10]}"
    conn = await asyncpg.connect(database_url)
    try:
        await migrate(conn, schema, padron.app.MIGRATIONS)
        await conn.execute(f"set search_path to {schema}")
        yield conn
    finally:
        await conn.execute(f"drop schema if exists {schema} cascade")
        await conn.close()


def padron_rows(n: int, seed: int = 11) -> list[list[str]]:
    return [list(r) for r in synthetic.rows(n, seed=seed, as_of=TODAY)]


def as_csv(body: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FIELDS)
    writer.writerows(body)
    return out.getvalue().encode()


async def stored(conn: asyncpg.Connection) -> int:
    return await conn.fetchval("select count(*) from beneficiaries")


async def test_a_csv_with_one_bad_row_among_10000_imports_nothing_and_names_that_row(database_url):
    body = padron_rows(10_000)
    body[6_789][FIELDS.index("birth_date")] = "2024-02-30"
    async with padron_schema(database_url) as conn:
        report = await bulk.import_csv(conn, as_csv(body), TODAY)

        assert not report.ok
        assert report.detail == "El archivo tiene 1 fila con errores; no se importó ninguna."
        assert report.errors == [RowError(6_791, body[6_789][0], {"birth_date": "Fecha no válida; use AAAA-MM-DD."})]
        assert report.rows == 10_000
        assert await stored(conn) == 0
        assert await conn.fetchval("select count(*) from district_counts") == 0


async def test_a_good_10000_row_csv_imports_every_row_and_the_district_counters_match_a_count(database_url, tmp_path):
    path = tmp_path / "padron.csv"
    path.write_bytes(as_csv(padron_rows(10_000)))
    async with padron_schema(database_url) as conn:
        report = await bulk.import_csv(conn, path, TODAY)

        counters = await conn.fetch("select ubigeo, metric, value from district_counts where value <> 0 order by 1, 2")
        counted = await conn.fetch(
            "select ubigeo, 'status:' || status as metric, count(*) as value from beneficiaries"
            " group by 1, 2 order by 1, 2"
        )
        assert report.ok
        assert report.imported == 10_000
        assert await stored(conn) == 10_000
        assert [tuple(r) for r in counters] == [tuple(r) for r in counted]
        assert sum(r["value"] for r in counters) == 10_000


async def test_a_dni_already_in_the_padron_is_reported_and_nothing_more_is_imported(database_url):
    first, second = padron_rows(100, seed=21), padron_rows(200, seed=22)
    second[150][0] = first[40][0]
    async with padron_schema(database_url) as conn:
        await bulk.import_csv(conn, as_csv(first), TODAY)

        report = await bulk.import_csv(conn, as_csv(second), TODAY)

        assert report.errors == [
            RowError(152, first[40][0], {"dni": "Ya hay un beneficiario con este DNI en el padrón."})
        ]
        assert await stored(conn) == 100


async def test_what_is_stored_is_what_validate_read_whatever_the_spelling_of_the_file(database_url):
    body = padron_rows(6)
    loose = {
        0: {"names": "  QUISPE MAMANI, ANA  ", "phone": "987 654 321", "other_pension": "no"},
        1: {"status": "DESAFILIADO", "status_reason": "Percibe otra pensión", "other_pension": "SÍ", "bank_name": ""},
        2: {"status": "SUSPENDIDO", "status_reason": " Certificado en verificación ", "certificate_severity": "LEVE"},
        3: {"birth_date": "19600102", "contact_name": "", "contact_phone": ""},
    }
    for i, changes in loose.items():
        for field, value in changes.items():
            body[i][FIELDS.index(field)] = value
    body[4][FIELDS.index("address")] = "Jr. 5 A"
    data = as_csv(body).replace(b"Jr. 5 A", b'Jr. 5 "A')  # a bare quote, as some spreadsheets write it
    body[4][FIELDS.index("address")] = 'Jr. 5 "A'
    async with padron_schema(database_url) as conn:
        report = await bulk.import_csv(conn, data, TODAY)

        assert report.ok, report.errors
        for row in body:
            values, _ = validate(dict(zip(FIELDS, row, strict=True)), TODAY)
            record = await conn.fetchrow("select * from beneficiaries where dni = $1", values["dni"])
            assert {f: record[f] for f in FIELDS} == values
            assert json.loads(record["requirements"]) == requirements(values, TODAY)


async def test_an_import_from_an_async_stream_in_small_pieces_stores_every_row(database_url):
    data = as_csv(padron_rows(2_000, seed=31))

    async def pieces() -> AsyncIterator[bytes]:
        for i in range(0, len(data), 4_096):
            yield data[i : i + 4_096]

    async with padron_schema(database_url) as conn:
        report = await bulk.import_csv(conn, pieces(), TODAY)

        assert report.imported == 2_000
        assert await stored(conn) == 2_000


async def test_the_demo_padron_is_loaded_once(database_url):
    async with padron_schema(database_url) as conn:
        first = await bulk.load_demo(conn, rows=3_000, today=TODAY)
        second = await bulk.load_demo(conn, rows=3_000, today=TODAY)

        assert (first, second) == (3_000, 0)
        assert await stored(conn) == 3_000
        assert await conn.fetchval("select count(distinct ubigeo) from beneficiaries") == 1_746

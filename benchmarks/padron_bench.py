"""Padrón benchmark: bulk import rows/s, and p50/p95 of the summaries and the district list, per size.

    uv run python benchmarks/padron_bench.py [--sizes 80326,10000000] [--iterations 200]

For each size, in a fresh schema of the local PostgreSQL (``deploy/local/servers.sh start``;
``CONTIGO_DATABASE_URL`` or postgresql://postgres@127.0.0.1:55432/contigo) with the padrón's
migrations: writes the synthetic padrón to a CSV file, imports it with ``padron.imports.repo.import_csv``
(read + check every row + COPY + the counters' triggers + commit), runs VACUUM ANALYZE (what
autovacuum does after a large insert), publishes one padrón's counts per district (so summaries
read them as in production), then times the padrón views' own queries and, beside them, plain
asyncpg counts over the beneficiaries. The schema is dropped at the end. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path

import asyncpg
import structlog

import padron.app
from contracts import ubigeo
from eventkit.migrations import migrate
from padron.imports import repo as bulk
from padron.imports import synthetic
from padron.views import repo as views
from padron.views.domain import LIST_COLUMNS

DEFAULT_URL = "postgresql://postgres@127.0.0.1:55432/contigo"
TIME_BUDGET_S = 120.0  # per query: stop earlier than --iterations when a query is this slow in total


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=str(synthetic.DEFAULT_ROWS), help="comma-separated row counts")
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    url = os.environ.get("CONTIGO_DATABASE_URL", DEFAULT_URL)
    conn = await asyncpg.connect(url)
    version = await conn.fetchval("show server_version")
    await conn.close()
    machine = f"PostgreSQL {version} · {os.cpu_count()} CPU · Python {platform.python_version()}"
    print(f"padrón benchmark {date.today()} · {machine}")
    results: list[tuple[int, str, str]] = []
    for size in (int(s.replace("_", "")) for s in args.sizes.split(",")):
        results += await run(url, size, args.iterations, random.Random(args.seed))
    print()
    print(table(results))
    return 0


async def run(url: str, size: int, iterations: int, rng: random.Random) -> list[tuple[int, str, str]]:
    schema = f"padron_bench_{uuid.uuid4().hex[:8]}"
    conn = await asyncpg.connect(url, server_settings={"search_path": schema})
    out: list[tuple[int, str, str]] = []
    try:
        await migrate(conn, schema, padron.app.MIGRATIONS)
        with tempfile.TemporaryDirectory() as folder:
            csv_path = Path(folder) / "padron.csv"
            started = time.perf_counter()
            synthetic.write_csv(csv_path, size)
            generated = time.perf_counter() - started
            out.append((size, "generate the CSV (synthetic.write_csv)", rate(size, generated)))
            progress(f"{size:,} rows: CSV of {csv_path.stat().st_size / 1e6:,.0f} MB in {generated:.1f} s")
            report = await bulk.import_csv(conn, csv_path, date.today())
        if not report.ok:
            raise SystemExit(f"import refused: {report.detail} {report.errors[:3]}")
        out.append((size, "import: read + check + COPY + commit", rate(size, report.seconds)))
        progress(f"{size:,} rows: imported in {report.seconds:.1f} s")
        await check_counters(conn, size)
        started = time.perf_counter()
        await conn.execute("vacuum analyze beneficiaries")
        progress(f"{size:,} rows: vacuum analyze in {time.perf_counter() - started:.1f} s")
        await publish_counts(conn)
        out += await latencies(conn, size, iterations, rng)
    finally:
        await conn.execute(f"drop schema if exists {schema} cascade")
        await conn.close()
    return out


async def check_counters(conn: asyncpg.Connection, size: int) -> None:
    counted = await conn.fetchval("select sum(value) from district_counts where metric like 'status:%'")
    direct = await conn.fetchval("select count(*) from beneficiaries")
    if not counted == direct == size:
        raise SystemExit(f"counters disagree: district_counts {counted}, count(*) {direct}, expected {size}")


async def publish_counts(conn: asyncpg.Connection) -> None:
    """A published padrón's per-district category counts (what publishing writes), so summaries read them."""
    padron_id = uuid.uuid4()
    await conn.execute(
        "insert into padrones (padron_id, period, period_order, resolution_number, resolution_date, published_by)"
        " values ($1, 'V-2022', 20225, 'RDE N° 000-2022-MIDIS/PNPDS', '2022-09-30', 'benchmark')",
        padron_id,
    )
    await conn.execute(
        "insert into padron_counts (padron_id, ubigeo, category, count)"
        " select $1, ubigeo, case metric when 'status:VIGENTE' then 'CONTINUADOR' else substr(metric, 8) end, value"
        " from district_counts where metric like 'status:%' and value > 0",
        padron_id,
    )


async def latencies(conn: asyncpg.Connection, size: int, iterations: int, rng: random.Random) -> list:
    regions = sorted(ubigeo.regions())
    served = [r["ubigeo"] for r in await conn.fetch("select distinct ubigeo from district_counts order by 1")]
    districts = [rng.choice(served) for _ in range(iterations)]
    cursors = []
    for code in districts:  # a real keyset cursor: the key of a random row of the district
        cursors.append(
            await conn.fetchrow(
                "select names, beneficiary_id from beneficiaries where ubigeo = $1 order by names, beneficiary_id"
                " offset floor(random() * (select count(*) from beneficiaries where ubigeo = $1)) limit 1",
                code,
            )
        )
    count_district = await conn.prepare("select count(*) from beneficiaries where ubigeo = $1")
    count_region = await conn.prepare("select count(*) from beneficiaries where left(ubigeo, 2) = $1")
    cases: list[tuple[str, Callable[[int], Awaitable[object]]]] = [
        (
            "region summary (views.find_padron + region_summary)",
            lambda i: region(conn, regions[i % len(regions)]),
        ),
        ("district summary (views.find_padron + district_summary)", lambda i: district(conn, districts[i])),
        (
            "district list: a page of 50 after a cursor (views.beneficiaries_page)",
            lambda i: views.beneficiaries_page(conn, districts[i], None, tuple(cursors[i]), 50, LIST_COLUMNS),
        ),
        ("plain: select count(*) ... where ubigeo = $1", lambda i: count_district.fetchval(districts[i])),
        (
            "plain: select count(*) ... where left(ubigeo, 2) = $1",
            lambda i: count_region.fetchval(regions[i % len(regions)]),
        ),
    ]
    out = []
    for name, call in cases:
        await call(0)  # warm: the first call prepares the statement
        times = []
        budget = time.perf_counter() + TIME_BUDGET_S
        for i in range(iterations):
            started = time.perf_counter()
            await call(i)
            times.append((time.perf_counter() - started) * 1000)
            if time.perf_counter() > budget:
                break
        out.append((size, name, summary(times)))
        progress(f"{size:,} rows: {name}: {summary(times)}")
    return out


async def region(conn: asyncpg.Connection, code: str) -> object:
    return await views.region_summary(conn, code, await views.find_padron(conn))


async def district(conn: asyncpg.Connection, code: str) -> object:
    return await views.district_summary(conn, code, await views.find_padron(conn))


def summary(times_ms: list[float]) -> str:
    ordered = sorted(times_ms)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"p50 {statistics.median(ordered):8.2f} ms   p95 {p95:8.2f} ms   (n={len(ordered)})"


def rate(rows: int, seconds: float) -> str:
    return f"{rows / seconds:10,.0f} rows/s   ({seconds:.1f} s)"


def table(results: list[tuple[int, str, str]]) -> str:
    width = max(len(name) for _, name, _ in results)
    lines = [f"{'rows':>12}  {'what':<{width}}  result", f"{'-' * 12}  {'-' * width}  {'-' * 52}"]
    lines += [f"{size:>12,}  {name:<{width}}  {value}" for size, name, value in results]
    return "\n".join(lines)


def progress(message: str) -> None:
    print(f"  {time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))

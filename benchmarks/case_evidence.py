"""Case evidence benchmark: the evidence of one CTVC case, p50/p95, with a national padrón and 2,000 accounts.

    uv run python benchmarks/case_evidence.py [--iterations 200] [--accounts 2000]

Starts the cases service (its app, in-process, on a fresh database of the local PostgreSQL:
``deploy/local/servers.sh start``; ``CONTIGO_DATABASE_URL`` or postgresql://postgres@127.0.0.1:55432/contigo)
with faststream's in-memory broker, and feeds it, through its own consumers, what the other services
would announce:

- one ``PadronPublished`` whose counts are 80,326 beneficiaries spread over 1,746 districts;
- ``--accounts`` local-government accounts (``AccessRequested``, ``AccessApproved``, ``CredentialsIssued``),
  one in ten of them revoked (``CredentialsRevoked``), plus 25 regional accounts;
- 40 trainings sessions, each inviting 300 districts, with the attendance of half of them.

Then files one oficio per region (through ``POST /oficios``) and, for cases chosen at random, times
``GET /cases/{id}/evidence`` (the token check, every query, assembly and JSON) and, beside it,
``cases.evidence.gather`` alone, sequentially after a warm-up: p50, p95 and max over ``--iterations``.
The database is dropped at the end. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import statistics
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from faststream.kafka import KafkaBroker
from testkit.databases import fresh_database

import cases.app
import cases.config
from authkit import Claims
from authkit.testing import token_keys
from cases.evidence.gather import gather
from cases.trainings.evidence import training_evidence
from contracts import encode, topics, ubigeo
from contracts.events import (
    AccessApproved,
    AccessRequested,
    CredentialsIssued,
    CredentialsRevoked,
    DistrictCount,
    Jurisdiction,
    PadronPublished,
    Person,
    Responsible,
)
from eventkit.logs import configure_logging
from eventkit.messages import wrap
from eventkit.testing import serve_in_memory

BENEFICIARIES, DISTRICTS = 80_326, 1_746
BASE = os.environ.get("CONTIGO_DATABASE_URL", "postgresql://postgres@127.0.0.1:55432/contigo")


def padron(rng: random.Random) -> PadronPublished:
    served = rng.sample(sorted(ubigeo.districts()), DISTRICTS)
    shares = [rng.random() for _ in served]
    total = sum(shares)
    counts, left = [], BENEFICIARIES
    for i, place in enumerate(served):
        n = left if i == len(served) - 1 else max(1, round(BENEFICIARIES * shares[i] / total))
        n = min(n, left - (len(served) - 1 - i))
        left -= n
        suspended = n // 40
        counts.append(DistrictCount(ubigeo=place, category="CONTINUADOR", count=n - suspended))
        if suspended:
            counts.append(DistrictCount(ubigeo=place, category="SUSPENDIDO", count=suspended))
    return PadronPublished(
        padron_id=uuid.uuid4(),
        period="V-2022",
        resolution_number="RDE N° 000100-2022-MIDIS/PNPDS-DE",
        resolution_date=date(2022, 10, 1),
        counts=counts,
    )


def account_events(place: Jurisdiction, n: int, rng: random.Random) -> list[tuple[str, object, uuid.UUID]]:
    request_id, account_id = uuid.uuid4(), uuid.uuid4()
    issued_at = datetime.now(UTC) - timedelta(days=rng.randrange(30, 700))
    username = f"gl{n:05d}"
    events: list[tuple[str, object, uuid.UUID]] = [
        (
            topics.ACCESS_REQUEST,
            AccessRequested(
                request_id=request_id,
                code=f"SA-2022-{n:06d}",
                attempt=1,
                jurisdiction=place,
                authority=Person(dni="10000000", names="AUTORIDAD DE PRUEBA"),
                authority_role="ALCALDE",
                responsible=Responsible(
                    dni="20000000", names="RESPONSABLE DE PRUEBA", office="OMAPED", position="Jefe", email="r@x.pe"
                ),
            ),
            request_id,
        ),
        (
            topics.ACCESS_REQUEST,
            AccessApproved(
                request_id=request_id,
                code=f"SA-2022-{n:06d}",
                evaluator_id="evaluador",
                jurisdiction=place,
                responsible_names="RESPONSABLE DE PRUEBA",
                responsible_email="r@x.pe",
                authority_names="AUTORIDAD DE PRUEBA",
                authority_email="a@x.pe",
            ),
            request_id,
        ),
        (
            topics.IDENTITY_ACCOUNT,
            CredentialsIssued(
                account_id=account_id, username=username, jurisdiction=place, request_id=request_id, issued_at=issued_at
            ),
            account_id,
        ),
    ]
    if n % 10 == 0:
        revoked = CredentialsRevoked(
            account_id=account_id,
            username=username,
            jurisdiction=place,
            request_id=request_id,
            reason="Cambio de autoridad",
            revoked_at=issued_at + timedelta(days=20),
        )
        events.append((topics.IDENTITY_ACCOUNT, revoked, account_id))
    return events


def figures(label: str, seconds: list[float]) -> None:
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[max(0, round(0.95 * len(ms)) - 1)]
    print(f"{label:<34} p50 {statistics.median(ms):7.1f} ms   p95 {p95:7.1f} ms   max {ms[-1]:7.1f} ms   n={len(ms)}")


async def run(database_url: str, iterations: int, accounts: int) -> None:
    rng = random.Random(2022)
    folder = Path(tempfile.mkdtemp(prefix="case_evidence_"))
    signer, public = token_keys(folder)
    settings = cases.config.Settings(database_url=database_url, token_public_key_file=str(public))
    broker = KafkaBroker("bench", logger=None)
    app = cases.app.create_app(settings, broker, own_broker=False)
    token = signer.sign(Claims(sub=str(uuid.uuid4()), username="analista", role="ANALYST", unit="UAC"))
    staff = {"Authorization": f"Bearer {token}"}
    async with serve_in_memory(app) as client:

        async def publish(topic: str, payload: object, key: uuid.UUID) -> None:
            await broker.publish(encode(wrap(payload, key=str(key))), topic=topic, key=str(key).encode())

        started = time.perf_counter()
        published = padron(rng)
        await publish(topics.PADRON_PADRON, published, published.padron_id)
        served = sorted({c.ubigeo for c in published.counts})
        with_account = rng.sample(served, min(accounts, len(served)))
        with_account += [rng.choice(served) for _ in range(accounts - len(with_account))]
        for n, place in enumerate(with_account):
            for topic, event, key in account_events(Jurisdiction(ally_type="GOBIERNO_LOCAL", ubigeo=place), n, rng):
                await publish(topic, event, key)
        for n, region in enumerate(sorted(ubigeo.regions())):
            for topic, event, key in account_events(
                Jurisdiction(ally_type="GOBIERNO_REGIONAL", ubigeo=region), 90_000 + n, rng
            ):
                await publish(topic, event, key)
        for s in range(40):
            body = {"held_on": f"2022-{1 + s % 9:02d}-15", "topic": "Aplicación USUARIO ALIADO", "modality": "VIRTUAL",
                    "organiser": "UAC"}  # fmt: skip
            session_id = (await client.post("/trainings/sessions", json=body, headers=staff)).json()["session_id"]
            invited = rng.sample(served, 300)
            await client.post(f"/trainings/sessions/{session_id}/invitations", json={"places": invited}, headers=staff)
            for place in invited[:150]:
                attended = {"ubigeo": place, "office": "OMAPED", "position": "Responsable", "attendees": 1}
                await client.post(f"/trainings/sessions/{session_id}/attendance", json=attended, headers=staff)
        print(f"fed the service in {time.perf_counter() - started:.0f} s")

        today = date.today().isoformat()
        case_ids = []
        for n, region in enumerate(sorted(ubigeo.regions())):
            places = [p for p in served if p.startswith(region)][:3] or [
                next(p for p in sorted(ubigeo.districts()) if p.startswith(region))
            ]
            oficio = {
                "number": f"OFICIO N° {n:03d}-2022-CTVC/BENCH",
                "sent_on": today,
                "sender": "Presidente del CTVC",
                "region": region,
                "cases": [
                    {"number": f"{n * 10 + i:04d}-2022-CTVC/BEN", "ubigeo": p,
                     "points": [{"category": "SIN_CREDENCIALES", "description": "No tiene usuario."}]}
                    for i, p in enumerate(places)
                ],
            }  # fmt: skip
            filed = await client.post("/oficios", json=oficio, headers=staff)
            filed.raise_for_status()
            case_ids += [(c["case_id"], c["ubigeo"]) for c in filed.json()["cases"]]

        pool = app.state.host.pool
        for case_id, _ in case_ids[:20]:  # warm-up
            (await client.get(f"/cases/{case_id}/evidence", headers=staff)).raise_for_status()
        api, alone, items = [], [], 0
        for _ in range(iterations):
            case_id, place = rng.choice(case_ids)
            t0 = time.perf_counter()
            answer = await client.get(f"/cases/{case_id}/evidence", headers=staff)
            api.append(time.perf_counter() - t0)
            answer.raise_for_status()
            items = max(items, len(answer.json()["items"]))
            async with pool.acquire() as conn:
                t0 = time.perf_counter()
                await gather(conn, place, date.today(), more=(training_evidence,))
                alone.append(time.perf_counter() - t0)
    print(
        f"{BENEFICIARIES:,} beneficiaries in {DISTRICTS:,} districts, {accounts:,} local accounts (+25 regional, "
        f"1 in 10 revoked), 40 trainings; up to {items} items per case"
    )
    figures("GET /cases/{id}/evidence", api)
    figures("cases.evidence.gather alone", alone)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--accounts", type=int, default=2000)
    args = parser.parse_args()
    configure_logging(os.environ.get("CONTIGO_LOG_LEVEL", "WARNING"))
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    with fresh_database(BASE, prefix="case_evidence") as url:
        asyncio.run(run(url, args.iterations, args.accounts))


if __name__ == "__main__":
    main()

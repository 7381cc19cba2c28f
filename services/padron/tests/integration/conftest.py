"""What padrón's integration tests share: the app in memory on real PostgreSQL with tokens signed by a key of
the test, callers of each kind, rows put in with SQL, and databases of a module's or a test's own."""

from __future__ import annotations

import asyncio
import contextlib
import random
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import asyncpg
import httpx
import pytest
from faststream.kafka import KafkaBroker

import padron.app
import padron.config
from authkit import Claims, Signer
from authkit.testing import token_keys
from eventkit.clock import LimaClock
from eventkit.messages import read
from eventkit.testing import serve_in_memory


@dataclass(frozen=True)
class Caller:
    username: str
    headers: dict[str, str]


class Padron:
    """The padrón app in memory, its pool, and tokens signed with a key of this test. What it does not know
    itself (``post``, ``get``...) it leaves to its HTTP client, so a test may use it as one."""

    def __init__(self, client: httpx.AsyncClient, host, signer: Signer):
        self.http = client
        self.host = host
        self.pool = host.pool
        self.signer = signer

    def __getattr__(self, name: str):
        return getattr(self.http, name)

    def caller(self, prefix: str, **claims) -> Caller:
        username = f"{prefix}-{uuid.uuid4().hex[:8]}"
        token = self.signer.sign(Claims(sub=str(uuid.uuid4()), username=username, **claims))
        return Caller(username, {"Authorization": f"Bearer {token}"})

    def local(self, ubigeo: str) -> Caller:
        return self.caller(f"gl-{ubigeo}", role="ALLY", ally_type="GOBIERNO_LOCAL", ubigeo=ubigeo)

    def regional(self, region: str) -> Caller:
        return self.caller(f"gr-{region}", role="ALLY", ally_type="GOBIERNO_REGIONAL", ubigeo=region)

    def other_ally(self) -> Caller:
        return self.caller("oa", role="ALLY", ally_type="OTRO_ALIADO", entity_ruc="20100000001")

    def staff(self) -> Caller:
        return self.caller("evaluador", role="EVALUATOR")

    async def beneficiary(self, ubigeo: str, **values) -> uuid.UUID:
        """A beneficiary inserted with plain SQL, with a DNI nobody else in this database has."""
        beneficiary_id = uuid.uuid4()
        row = {
            "address": "Jr. Lima 123",
            "phone": "987654321",
            "contact_name": None,
            "contact_phone": None,
        } | values
        while True:
            inserted = await self.pool.fetchval(
                "insert into beneficiaries (beneficiary_id, dni, names, birth_date, sex, ubigeo, address, phone,"
                " contact_name, contact_phone, certificate_number, certificate_severity, certificate_issuer,"
                " certificate_date, sisfoh_classification, sisfoh_expires_on, status, affiliated_on)"
                " values ($1, $2, 'QUISPE MAMANI, ANA', '1950-03-01', 'F', $3, $4, $5, $6, $7, 'CD-1', 'SEVERA',"
                " 'MINSA', '2020-01-01', 'POBRE_EXTREMO', '2030-01-01', 'VIGENTE', '2021-01-01')"
                " on conflict (dni) do nothing returning beneficiary_id",
                beneficiary_id,
                f"{random.randrange(10**8):08d}",
                ubigeo,
                row["address"],
                row["phone"],
                row["contact_name"],
                row["contact_phone"],
            )
            if inserted:
                return beneficiary_id

    async def events(self, beneficiary_id: uuid.UUID) -> list:
        rows = await self.pool.fetch("select body from outbox where key = $1 order by seq", str(beneficiary_id))
        return [read(bytes(r["body"]))[1] for r in rows]

    async def access_log(self, username: str) -> list[dict]:
        rows = await self.pool.fetch(
            "select action, resource, allowed, records, beneficiary_ids from access_log where username = $1"
            " order by entry_id",
            username,
        )
        return [dict(r) for r in rows]


@contextlib.asynccontextmanager
async def _padron_client(database_url: str, tmp_path) -> AsyncIterator[Padron]:
    signer, public = token_keys(tmp_path)
    settings = padron.config.Settings(database_url=database_url, token_public_key_file=str(public))
    app = padron.app.create_app(
        settings, KafkaBroker("test", logger=None), own_broker=False, clock=CollectionDayClock()
    )
    async with serve_in_memory(app) as client:
        yield Padron(client, app.state.host, signer)


@contextlib.asynccontextmanager
async def _private_database(database_url: str) -> AsyncIterator[str]:
    name = f"registry_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(database_url)
    try:
        await admin.execute(f"create database {name}")
        yield database_url.rsplit("/", 1)[0] + "/" + name
    finally:
        await admin.execute(f"drop database if exists {name} with (force)")
        await admin.close()


def _fresh_district() -> str:
    return f"{random.randint(26, 99):02d}{random.randrange(10**4):04d}"


@pytest.fixture
def fresh_district():
    """``fresh_district()``: a district code of a made-up region (26-99), so no other test's data is listed
    beside this test's."""
    return _fresh_district


@pytest.fixture
def padron_client():
    """``padron_client(database_url, tmp_path)``: the padrón app in memory on that database, as a ``Padron``."""
    return _padron_client


@pytest.fixture
def private_database():
    """``private_database(database_url)``: the address of a database of the caller's own, dropped after."""
    return _private_database


@pytest.fixture(scope="module")
def registry_url(database_url) -> Iterator[str]:
    """A database of this module's own, so its counters are exact."""

    async def admin(sql: str) -> None:
        conn = await asyncpg.connect(database_url)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    name = f"registry_{uuid.uuid4().hex[:12]}"
    asyncio.run(admin(f"create database {name}"))
    yield database_url.rsplit("/", 1)[0] + "/" + name
    asyncio.run(admin(f"drop database if exists {name} with (force)"))


# --- the registry modules' callers and rows: claims by kind, their headers, counters and refusals -----------

TODAY = LimaClock().today()


class CollectionDayClock:
    """Lima's clock kept on ``TODAY``, the day these tests were collected: a run that crosses Lima's
    midnight would otherwise judge "today" by a day the tests' dates no longer match (an authorization
    ending TODAY refused as already over). Time still moves, so ordering by time keeps working."""

    def now(self) -> datetime:
        real = LimaClock().now()
        return real - timedelta(days=(real.date() - TODAY).days)

    def today(self) -> date:
        return self.now().date()


@pytest.fixture
def padron_today() -> date:
    """The day the padrón app under test takes for today (see ``CollectionDayClock``)."""
    return TODAY


def _staff(name: str = "evaluador") -> Claims:
    return Claims(sub=f"s-{name}", username=name, role="EVALUATOR")


def _local(district: str, name: str) -> Claims:
    return Claims(sub=f"l-{name}", username=name, role="ALLY", ally_type="GOBIERNO_LOCAL", ubigeo=district)


def _regional(region: str, name: str) -> Claims:
    return Claims(sub=f"r-{name}", username=name, role="ALLY", ally_type="GOBIERNO_REGIONAL", ubigeo=region)


def _entity(name: str) -> Claims:
    return Claims(sub=f"e-{name}", username=name, role="ALLY", ally_type="OTRO_ALIADO", entity_ruc="20131370998")


def _auth(client, claims: Claims) -> dict[str, str]:
    return {"Authorization": f"Bearer {client.signer.sign(claims)}"}


def _new_dni() -> str:
    return f"{uuid.uuid4().int % 10**8:08d}"


def _person(district: str, **changes) -> dict:
    return {
        "dni": _new_dni(),
        "names": "QUISPE MAMANI, ANA",
        "birth_date": "1950-03-02",
        "sex": "F",
        "ubigeo": district,
        "address": "Jr. Lima 123",
        "phone": "987654321",
        "certificate_number": "CD-0001",
        "certificate_severity": "SEVERA",
        "certificate_issuer": "MINSA",
        "certificate_date": "2020-01-10",
        "sisfoh_classification": "POBRE_EXTREMO",
        "sisfoh_expires_on": (TODAY + timedelta(days=365)).isoformat(),
        "other_pension": False,
    } | changes


async def _affiliate(client, district: str) -> str:
    created = await client.post("/padron/beneficiaries", json=_person(district), headers=_auth(client, _staff()))
    assert created.status_code == 201, created.text
    return created.json()["id"]


async def _counter(client, district: str, metric: str) -> int:
    value = await client.host.pool.fetchval(
        "select value from district_counts where ubigeo = $1 and metric = $2", district, metric
    )
    return value or 0


async def _refusals(client, username: str) -> list[tuple[str, str]]:
    rows = await client.host.pool.fetch(
        "select action, resource from access_log where username = $1 and not allowed order by entry_id", username
    )
    return [(r["action"], r["resource"]) for r in rows]


@pytest.fixture
def staff():
    """``staff(name="evaluador")``: a member of staff's claims."""
    return _staff


@pytest.fixture
def local():
    """``local(district, name)``: the claims of that district's local government."""
    return _local


@pytest.fixture
def regional():
    """``regional(region, name)``: the claims of that region's government."""
    return _regional


@pytest.fixture
def entity():
    """``entity(name)``: the claims of an ally that is neither a local nor a regional government."""
    return _entity


@pytest.fixture
def auth():
    """``auth(client, claims)``: the Authorization header of a token for those claims."""
    return _auth


@pytest.fixture
def new_dni():
    """``new_dni()``: a DNI picked at random."""
    return _new_dni


@pytest.fixture
def person():
    """``person(district, **changes)``: an applicant who meets every requirement, with a DNI of its own."""
    return _person


@pytest.fixture
def affiliate():
    """``await affiliate(client, district)``: the id of a beneficiary staff have just affiliated there."""
    return _affiliate


@pytest.fixture
def counter():
    """``await counter(client, district, metric)``: that district's counter, 0 when it has none."""
    return _counter


@pytest.fixture
def refusals():
    """``await refusals(client, username)``: (action, resource) of each refusal logged for that user."""
    return _refusals

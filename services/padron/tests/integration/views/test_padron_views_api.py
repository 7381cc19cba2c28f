"""The scoped views on real PostgreSQL: who sees what, keyset pages, CSV exports, masking, the access log."""

from __future__ import annotations

import contextlib
import csv
import io
import random
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from authkit import Claims, Signer
from contracts import ubigeo
from padron.beneficiaries.domain import FIELDS
from padron.views import domain as views
from padron.views.api import exports

pytestmark = pytest.mark.integration


@dataclass(frozen=True)
class Caller:
    username: str
    headers: dict[str, str]


class Views:
    """The padrón app in memory, its pool, tokens signed with this test's key, and rows put in with SQL."""

    def __init__(self, client: httpx.AsyncClient, pool, signer: Signer):
        self.http = client
        self.pool = pool
        self.signer = signer
        self.padrones: list[uuid.UUID] = []

    def caller(self, prefix: str, **claims) -> Caller:
        username = f"{prefix}-{uuid.uuid4().hex[:8]}"
        token = self.signer.sign(Claims(sub=str(uuid.uuid4()), username=username, **claims))
        return Caller(username, {"Authorization": f"Bearer {token}"})

    def staff(self) -> Caller:
        return self.caller("evaluador", role="EVALUATOR")

    def regional(self, region: str) -> Caller:
        return self.caller(f"gr{region}", role="ALLY", ally_type="GOBIERNO_REGIONAL", ubigeo=region)

    def local(self, district: str) -> Caller:
        return self.caller(f"gl{district}", role="ALLY", ally_type="GOBIERNO_LOCAL", ubigeo=district)

    def other_ally(self) -> Caller:
        return self.caller("oa", role="ALLY", ally_type="OTRO_ALIADO", entity_ruc="20100000001")

    async def get(self, url: str, caller: Caller | None = None, **params: str) -> httpx.Response:
        return await self.http.get(url, headers=caller.headers if caller else {}, params=params or None)

    async def beneficiary(
        self,
        district: str,
        names: str = "QUISPE MAMANI, ANA",
        *,
        dni_pattern: str = "{:08d}",
        space: int = 10**8,
        **values,
    ) -> uuid.UUID:
        """One beneficiary, with a DNI nobody else in this database has."""
        row = {
            "address": "Jr. Lima 123",
            "phone": "987654321",
            "status": "VIGENTE",
            "status_reason": None,
            "bank_account": "00-123-456789",
        } | values
        while True:
            inserted = await self.pool.fetchval(
                "insert into beneficiaries (beneficiary_id, dni, names, birth_date, sex, ubigeo, address, phone,"
                " certificate_number, certificate_severity, certificate_issuer, certificate_date,"
                " sisfoh_classification, sisfoh_expires_on, bank_name, bank_account, status, status_reason,"
                " affiliated_on) values ($1, $2, $3, '1950-03-01', 'F', $4, $5, $6, 'CD-1', 'SEVERA', 'MINSA',"
                " '2020-01-01', 'POBRE_EXTREMO', '2030-01-01', 'Banco de la Nación', $7, $8, $9, '2021-01-01')"
                " on conflict (dni) do nothing returning beneficiary_id",
                uuid.uuid4(),
                dni_pattern.format(random.randrange(space)),
                names,
                district,
                row["address"],
                row["phone"],
                row["bank_account"],
                row["status"],
                row["status_reason"],
            )
            if inserted is not None:
                return inserted

    async def walk(self, url: str, caller: Caller, **params: str) -> list[list[dict]]:
        """Every page of a list, following its cursors."""
        pages: list[list[dict]] = []
        while True:
            body = (await self.get(url, caller, **params)).json()
            pages.append(body["items"])
            if body["next"] is None:
                return pages
            params["after"] = body["next"]

    async def items(self, url: str, caller: Caller, **params: str) -> list[dict]:
        return [item for page in await self.walk(url, caller, **params) for item in page]

    async def dni(self, beneficiary_id: uuid.UUID) -> str:
        return await self.pool.fetchval("select dni from beneficiaries where beneficiary_id = $1", beneficiary_id)

    async def padron(self, entries: dict[uuid.UUID, str], *, latest: bool = False) -> str:
        """A published padrón holding ``entries`` (beneficiary -> category), with its counts. Its period is
        from a year no real padrón has: far ahead when it must be the latest, long ago otherwise."""
        padron_id = uuid.uuid4()
        while True:
            year = random.randrange(9000, 10000) if latest else random.randrange(1000, 2000)
            bimester = random.randrange(1, 7)
            period = f"{('I', 'II', 'III', 'IV', 'V', 'VI')[bimester - 1]}-{year}"
            inserted = await self.pool.fetchval(
                "insert into padrones (padron_id, period, period_order, resolution_number, resolution_date,"
                " published_by) values ($1, $2, $3, 'RD-001-2022-MIDIS/PNPPCSD', '2022-09-01', 'evaluador')"
                " on conflict do nothing returning padron_id",
                padron_id,
                period,
                year * 10 + bimester,
            )
            if inserted is not None:
                break
        self.padrones.append(padron_id)
        async with self.pool.acquire() as conn, conn.transaction():
            await conn.execute(
                "insert into padron_entries (padron_id, beneficiary_id, ubigeo, status, category, amount)"
                " select $1, b.beneficiary_id, b.ubigeo, b.status, e.category,"
                " case when b.status = 'VIGENTE' then 300 else 0 end"
                " from unnest($2::uuid[], $3::text[]) as e(beneficiary_id, category)"
                " join beneficiaries b using (beneficiary_id)",
                padron_id,
                list(entries),
                list(entries.values()),
            )
            await conn.execute(
                "insert into padron_counts (padron_id, ubigeo, category, count)"
                " select padron_id, ubigeo, category, count(*) from padron_entries where padron_id = $1"
                " group by 1, 2, 3",
                padron_id,
            )
        return period

    async def remove_padrones(self) -> None:
        """A padrón of this test must not be anyone else's 'latest' or 'previous' version."""
        async with self.pool.acquire() as conn, conn.transaction():
            for table in ("padron_counts", "padron_entries", "padrones"):
                await conn.execute(f"delete from {table} where padron_id = any($1::uuid[])", self.padrones)

    async def log(self, caller: Caller) -> list[dict]:
        rows = await self.pool.fetch(
            "select action, resource, allowed, records, beneficiary_ids from access_log"
            " where username = $1 order by entry_id",
            caller.username,
        )
        return [dict(r) for r in rows]


@pytest.fixture
def padron_views(padron_client):
    """``padron_views(database_url, tmp_path)``: the padrón app in memory as ``Views``; its padrones go after."""

    @contextlib.asynccontextmanager
    async def views(database_url, tmp_path):
        async with padron_client(database_url, tmp_path) as p:
            v = Views(p.http, p.pool, p.signer)
            try:
                yield v
            finally:
                await v.remove_padrones()

    return views


def places() -> tuple[str, str, str, str]:
    """A region with two of its districts, and a district of another region, picked at random."""
    regions = sorted(ubigeo.regions())
    region, elsewhere = random.sample(regions, 2)
    own, neighbour = random.sample(sorted(c for c in ubigeo.districts() if c[:2] == region), 2)
    far = random.choice(sorted(c for c in ubigeo.districts() if c[:2] == elsewhere))
    return region, own, neighbour, far


def parse_csv(response: httpx.Response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


# --- the scope matrix ------------------------------------------------------------------------------

CALLERS = ("nadie", "personal", "region_propia", "region_ajena", "distrito_propio", "distrito_vecino", "otro_aliado")
ENDPOINTS = {
    # endpoint: (url, expected status per caller)
    "summary": ("/padron/summary", (401, 200, 200, 200, 200, 200, 200)),
    "region_summary": ("/padron/regions/{region}/summary", (401, 200, 200, 403, 403, 403, 403)),
    "district_summary": ("/padron/districts/{own}/summary", (401, 200, 200, 403, 200, 403, 403)),
    "list": ("/padron/beneficiaries?ubigeo={own}", (401, 200, 403, 403, 200, 403, 403)),
    "list_csv": ("/padron/beneficiaries.csv?ubigeo={own}", (401, 200, 403, 403, 200, 403, 403)),
    "beneficiary": ("/padron/beneficiaries/{bid}", (401, 200, 404, 404, 200, 404, 404)),
    "categories": ("/padron/categories?category=NUEVO&period={period}", (401, 200, 200, 200, 200, 200, 200)),
    "categories_csv": ("/padron/categories.csv?category=NUEVO&period={period}", (401, 200, 200, 200, 200, 200, 200)),
    "access_log": ("/padron/access-log", (401, 200, 403, 403, 403, 403, 403)),
}
# what an allowed read of personal data is logged as; summaries and the access log hold none
LOGGED_AS = {
    "list": "LIST_BENEFICIARIES",
    "list_csv": "EXPORT_CSV",
    "beneficiary": "VIEW_BENEFICIARY",
    "categories": "LIST_CATEGORIES",
    "categories_csv": "EXPORT_CSV",
}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
async def test_each_caller_gets_what_its_jurisdiction_allows_and_refusals_are_logged(
    endpoint, database_url, tmp_path, padron_views
):
    async with padron_views(database_url, tmp_path) as v:
        region, own, neighbour, far = places()
        bid = await v.beneficiary(own)
        period = await v.padron({bid: "NUEVO"})
        callers = {
            "nadie": None,
            "personal": v.staff(),
            "region_propia": v.regional(region),
            "region_ajena": v.regional(far[:2]),
            "distrito_propio": v.local(own),
            "distrito_vecino": v.local(neighbour),
            "otro_aliado": v.other_ally(),
        }
        template, expected = ENDPOINTS[endpoint]
        url = template.format(region=region, own=own, bid=bid, period=period)

        answers = {name: await v.get(url, caller) for name, caller in callers.items()}

        assert {n: r.status_code for n, r in answers.items()} == dict(zip(CALLERS, expected, strict=True))
        for name, response in list(answers.items())[1:]:
            logged = [(e["action"], e["allowed"], e["resource"]) for e in await v.log(callers[name])]
            if response.status_code == 200:
                assert logged == ([(LOGGED_AS[endpoint], True, url)] if endpoint in LOGGED_AS else []), name
            else:
                assert response.json()["detail"]
                assert logged == [("DENIED", False, url)], name


async def test_a_padron_category_list_shows_only_the_callers_jurisdiction(database_url, tmp_path, padron_views):
    async with padron_views(database_url, tmp_path) as v:
        region, own, neighbour, far = places()
        here, next_door, away = await v.beneficiary(own), await v.beneficiary(neighbour), await v.beneficiary(far)
        period = await v.padron({here: "NUEVO", next_door: "NUEVO", away: "NUEVO"})
        url = f"/padron/categories?category=NUEVO&period={period}"

        seen = {
            name: {item["beneficiary_id"] for item in (await v.get(url, caller)).json()["items"]}
            for name, caller in {
                "staff": v.staff(),
                "region": v.regional(region),
                "district": v.local(own),
            }.items()
        }

        assert seen == {
            "staff": {str(here), str(next_door), str(away)},
            "region": {str(here), str(next_door)},
            "district": {str(here)},
        }


async def test_a_district_list_and_export_need_a_district_for_staff_and_tell_a_region_it_sees_counts(
    database_url, tmp_path, padron_views
):
    async with padron_views(database_url, tmp_path) as v:
        region, own, _, _ = places()

        no_district = await v.get("/padron/beneficiaries", v.staff())
        unknown = await v.get("/padron/beneficiaries?ubigeo=999999", v.staff())
        regional = await v.get("/padron/beneficiaries", v.regional(region))
        unknown_region = await v.get("/padron/regions/99/summary", v.staff())
        unknown_district = await v.get("/padron/districts/999999/summary", v.local(own))

        assert no_district.status_code == 422
        assert no_district.json() == {
            "detail": "Hay parámetros de consulta no válidos.",
            "errors": {"ubigeo": "Indique el distrito (ubigeo de 6 dígitos)."},
        }
        assert unknown.status_code == 404
        assert unknown.json()["detail"] == "El distrito no existe en el ubigeo del INEI."
        assert regional.status_code == 403
        assert "conteos de su región" in regional.json()["detail"]
        assert unknown_region.status_code == 404
        assert unknown_district.status_code == 404


# --- summaries -------------------------------------------------------------------------------------


def district_entry(summary: dict, code: str) -> dict:
    return next(d for d in summary["districts"] if d["code"] == code)


async def test_summaries_count_a_jurisdictions_beneficiaries_authorizations_and_affiliation_requests(
    database_url, tmp_path, padron_views
):
    async with padron_views(database_url, tmp_path) as v:
        region, own, _, _ = places()
        staff, regional, local = v.staff(), v.regional(region), v.local(own)
        before = {
            "national": (await v.get("/padron/summary", staff)).json(),
            "region": (await v.get("/padron/summary", regional)).json(),
            "district": (await v.get("/padron/summary", local)).json(),
        }
        vigente = [await v.beneficiary(own) for _ in range(3)]
        await v.beneficiary(own, status="SUSPENDIDO", status_reason="No cobra hace 3 periodos")
        await v.beneficiary(own, status="DESAFILIADO", status_reason="Fallecimiento")
        await v.pool.execute(
            "insert into collection_authorizations (authorization_id, beneficiary_id, ubigeo, collector_dni,"
            " collector_names, relationship, state, valid_from, valid_until)"
            " values ($1, $2, $3, '41234567', 'ROJAS LUIS', 'HIJO', 'VIGENTE', '2024-01-01', '2030-01-01')",
            uuid.uuid4(),
            vigente[0],
            own,
        )
        for state in ("CONFORME", "CONFORME", "NO_CONFORME"):
            await v.pool.execute(
                "insert into affiliation_requests (affiliation_id, ubigeo, applicant_dni, applicant_names, state,"
                " submitted_by) values ($1, $2, '42345678', 'PEREZ, JUAN', $3, 'gl')",
                uuid.uuid4(),
                own,
                state,
            )

        national = (await v.get("/padron/summary", staff)).json()
        regional_view = (await v.get(f"/padron/regions/{region}/summary", regional)).json()
        district_view = (await v.get(f"/padron/districts/{own}/summary", local)).json()

        def grew(after: dict, earlier: dict) -> dict:
            return {
                block: {
                    s: after[block][s] - earlier[block][s] for s in after[block] if after[block][s] != earlier[block][s]
                }
                for block in ("beneficiaries", "authorizations", "affiliation_requests")
            }

        expected = {
            "beneficiaries": {"VIGENTE": 3, "SUSPENDIDO": 1, "DESAFILIADO": 1, "total": 5},
            "authorizations": {"VIGENTE": 1, "total": 1},
            "affiliation_requests": {"CONFORME": 2, "NO_CONFORME": 1, "total": 3},
        }
        assert national["level"] == "NACIONAL"
        assert grew(national["totals"], before["national"]["totals"]) == expected
        region_of = next(r for r in national["regions"] if r["code"] == region)
        region_before = next(r for r in before["national"]["regions"] if r["code"] == region)
        assert grew(region_of, region_before) == expected
        assert regional_view["name"] == ubigeo.regions()[region]
        assert grew(regional_view["totals"], before["region"]["totals"]) == expected
        assert grew(district_entry(regional_view, own), district_entry(before["region"], own)) == expected
        province = next(p for p in regional_view["provinces"] if p["code"] == own[:4])
        province_before = next(p for p in before["region"]["provinces"] if p["code"] == own[:4])
        assert grew(province, province_before) == expected
        assert district_view["code"] == own
        assert grew(district_view["totals"], before["district"]["totals"]) == expected


async def test_summaries_name_the_latest_padron_and_another_ally_sees_only_its_national_categories(
    database_url, tmp_path, padron_views
):
    async with padron_views(database_url, tmp_path) as v:
        _, own, _, far = places()
        people = [await v.beneficiary(own) for _ in range(3)] + [await v.beneficiary(far) for _ in range(2)]
        period = await v.padron(
            dict(zip(people, ["CONTINUADOR", "CONTINUADOR", "NUEVO", "REINCORPORADO", "NUEVO"], strict=True)),
            latest=True,
        )

        entity = (await v.get("/padron/summary", v.other_ally())).json()
        district = (await v.get("/padron/summary", v.local(own))).json()

        assert entity["padron"]["period"] == period
        assert entity["totals"] == {
            "padron_categories": {
                "CONTINUADOR": 2,
                "NUEVO": 2,
                "REINCORPORADO": 1,
                "SUSPENDIDO": 0,
                "DESAFILIADO": 0,
                "total": 5,
            }
        }
        assert set(entity) == {"level", "code", "name", "padron", "totals"}
        assert district["padron"]["period"] == period
        assert district["totals"]["padron_categories"]["CONTINUADOR"] == 2
        assert district["totals"]["padron_categories"]["NUEVO"] == 1


# --- the district list -----------------------------------------------------------------------------


async def test_a_district_walks_its_whole_list_in_pages_without_duplicates_or_gaps(
    database_url, tmp_path, padron_views
):
    async with padron_views(database_url, tmp_path) as v:
        _, own, _, _ = places()
        # 40 surnames for 120 people: equal names are ordered by id, the cursor must not skip them
        mine = {await v.beneficiary(own, f"APELLIDO{i % 40:02d} PRUEBA, NOMBRE") for i in range(120)}
        local = v.local(own)
        in_district = [
            r["beneficiary_id"]
            for r in await v.pool.fetch(
                "select beneficiary_id from beneficiaries where ubigeo = $1 order by names, beneficiary_id", own
            )
        ]

        pages = [
            [uuid.UUID(i["beneficiary_id"]) for i in p]
            for p in await v.walk("/padron/beneficiaries", local, limit="25")
        ]

        walked = [bid for p in pages for bid in p]
        assert walked == in_district
        assert mine <= set(walked)
        assert all(len(p) == 25 for p in pages[:-1])
        assert 1 <= len(pages[-1]) <= 25
        logged = await v.log(local)
        assert [e["action"] for e in logged] == ["LIST_BENEFICIARIES"] * len(pages)
        assert [e["beneficiary_ids"] for e in logged] == pages


async def test_a_page_shows_personal_data_and_bank_data_only_to_program_staff(database_url, tmp_path, padron_views):
    async with padron_views(database_url, tmp_path) as v:
        _, own, _, _ = places()
        await v.beneficiary(own, "ÑAHUI PEÑA, JOSÉ", bank_account="00-999-000111")
        local_items = await v.items("/padron/beneficiaries", v.local(own), limit="200")
        staff_items = await v.items("/padron/beneficiaries", v.staff(), ubigeo=own, limit="200")

        mine = next(i for i in local_items if i["names"] == "ÑAHUI PEÑA, JOSÉ")
        assert set(mine) == {
            "beneficiary_id",
            "dni",
            "names",
            "birth_date",
            "sex",
            "ubigeo",
            "address",
            "phone",
            "contact_name",
            "contact_phone",
            "status",
            "status_reason",
            "affiliated_on",
        }
        assert mine["birth_date"] == "1950-03-01"
        staff_view = next(i for i in staff_items if i["names"] == "ÑAHUI PEÑA, JOSÉ")
        assert staff_view["bank_account"] == "00-999-000111"


async def test_the_list_filters_by_status_and_refuses_a_bad_cursor_or_limit(database_url, tmp_path, padron_views):
    async with padron_views(database_url, tmp_path) as v:
        _, own, _, _ = places()
        suspended = await v.beneficiary(own, status="SUSPENDIDO", status_reason="No cobra")
        await v.beneficiary(own)
        local = v.local(own)

        filtered = await v.items("/padron/beneficiaries", local, status="SUSPENDIDO")
        bad_cursor = await v.get("/padron/beneficiaries?after=bm90LWEtY3Vyc29y", local)
        bad_limit = await v.get("/padron/beneficiaries?limit=201", local)
        bad_status = await v.get("/padron/beneficiaries?status=ACTIVO", local)

        assert {i["status"] for i in filtered} == {"SUSPENDIDO"}
        assert str(suspended) in {i["beneficiary_id"] for i in filtered}
        assert (bad_cursor.status_code, list(bad_cursor.json()["errors"])) == (422, ["after"])
        assert (bad_limit.status_code, list(bad_limit.json()["errors"])) == (422, ["limit"])
        assert (bad_status.status_code, bad_status.json()) == (
            422,
            {"detail": "Hay datos con un formato no válido.", "errors": {"status": "Valor no permitido."}},
        )


# --- CSV -------------------------------------------------------------------------------------------


async def test_a_district_exports_its_list_as_csv_that_excel_opens_with_accents(
    database_url, tmp_path, monkeypatch, padron_views
):
    monkeypatch.setattr(exports, "CHUNK", 7)  # several chunks, so their seams are exercised
    async with padron_views(database_url, tmp_path) as v:
        _, own, _, _ = places()
        for i in range(20):
            await v.beneficiary(own, f"PEÑA{i:02d} QUIÑONES, MARÍA JOSÉ", address='Jr. "Los Andes" 123, Int. 4')
        local, staff = v.local(own), v.staff()
        in_district = await v.pool.fetch(
            "select dni, names from beneficiaries where ubigeo = $1 order by names, beneficiary_id", own
        )

        response = await v.get(f"/padron/beneficiaries.csv?ubigeo={own}", local)
        staff_file = await v.get(f"/padron/beneficiaries.csv?ubigeo={own}", staff)

        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/csv")
        assert response.headers["content-disposition"] == f'attachment; filename="padron-{own}.csv"'
        assert response.content.startswith("\ufeff".encode())
        rows = parse_csv(response)
        assert rows[0] == list(views.DISTRICT_EXPORT)
        assert "bank_account" not in rows[0]
        assert [(r[0], r[1]) for r in rows[1:]] == [(r["dni"], r["names"]) for r in in_district]
        mine = next(r for r in rows[1:] if r[1] == "PEÑA00 QUIÑONES, MARÍA JOSÉ")
        assert mine[rows[0].index("address")] == 'Jr. "Los Andes" 123, Int. 4'
        assert parse_csv(staff_file)[0] == list(FIELDS)
        assert len(parse_csv(staff_file)) == len(in_district) + 1
        logged = await v.log(local)
        assert [(e["action"], e["records"]) for e in logged] == [("EXPORT_CSV", len(in_district))]


async def test_another_ally_exports_a_category_masked(database_url, tmp_path, padron_views):
    async with padron_views(database_url, tmp_path) as v:
        _, own, _, _ = places()
        bid = await v.beneficiary(own, "QUISPE MAMANI, ANA", dni_pattern="4{:04d}321", space=10**4)
        period = await v.padron({bid: "REINCORPORADO"})
        entity = v.other_ally()

        response = await v.get(f"/padron/categories.csv?category=REINCORPORADO&period={period}", entity)

        assert response.status_code == 200
        assert response.headers["content-disposition"] == (f'attachment; filename="padron-{period}-REINCORPORADO.csv"')
        assert parse_csv(response) == [
            ["dni", "names", "district", "category"],
            ["4****321", "Q***** M*****, A**", views.district_name(own), "REINCORPORADO"],
        ]
        assert [(e["action"], e["records"]) for e in await v.log(entity)] == [("EXPORT_CSV", 1)]


# --- masking, one beneficiary, the access log ------------------------------------------------------


async def test_another_ally_sees_padron_categories_masked_and_nothing_else(database_url, tmp_path, padron_views):
    async with padron_views(database_url, tmp_path) as v:
        _, own, _, _ = places()
        bid = await v.beneficiary(own, "QUISPE MAMANI, ANA", dni_pattern="4{:04d}321", space=10**4)
        period = await v.padron({bid: "CONTINUADOR"})
        entity, staff = v.other_ally(), v.staff()

        masked = (await v.get(f"/padron/categories?category=CONTINUADOR&period={period}", entity)).json()
        clear = (await v.get(f"/padron/categories?category=CONTINUADOR&period={period}", staff)).json()

        assert masked["items"] == [
            {
                "dni": "4****321",
                "names": "Q***** M*****, A**",
                "district": views.district_name(own),
                "category": "CONTINUADOR",
            }
        ]
        assert clear["items"][0]["dni"] == await v.dni(bid)
        assert clear["items"][0]["amount"] == "300.00"
        assert [(e["action"], e["beneficiary_ids"]) for e in await v.log(entity)] == [("LIST_CATEGORIES", [bid])]


async def test_categories_page_by_keyset_and_answer_404_for_a_period_never_published(
    database_url, tmp_path, padron_views
):
    async with padron_views(database_url, tmp_path) as v:
        region, own, neighbour, _ = places()
        people = [await v.beneficiary(own) for _ in range(4)] + [await v.beneficiary(neighbour) for _ in range(3)]
        period = await v.padron(dict.fromkeys(people, "NUEVO"))
        regional = v.regional(region)

        seen, url = [], f"/padron/categories?category=NUEVO&period={period}&limit=3"
        while url:
            body = (await v.get(url, regional)).json()
            seen.extend(uuid.UUID(i["beneficiary_id"]) for i in body["items"])
            url = body["next"] and f"/padron/categories?category=NUEVO&period={period}&limit=3&after={body['next']}"
        missing = await v.get("/padron/categories?category=NUEVO&period=I-1000", regional)
        no_category = await v.get(f"/padron/categories?period={period}", regional)

        district = dict.fromkeys(people[:4], own) | dict.fromkeys(people[4:], neighbour)
        assert seen == sorted(people, key=lambda b: (district[b], b))
        assert missing.status_code == 404
        assert missing.json()["detail"] == "No hay un padrón publicado del periodo I-1000."
        assert (no_category.status_code, no_category.json()["detail"]) == (
            422,
            "Hay parámetros de consulta no válidos.",
        )
        assert list(no_category.json()["errors"]) == ["category"]


async def test_a_beneficiary_record_shows_its_status_history_and_collection_authorization(
    database_url, tmp_path, padron_views
):
    async with padron_views(database_url, tmp_path) as v:
        _, own, _, _ = places()
        bid = await v.beneficiary(own, bank_account="00-555-777888")
        await v.pool.execute(
            "insert into status_history (beneficiary_id, status, reason, changed_at, changed_by) values"
            " ($1, 'VIGENTE', null, '2021-01-01', 'evaluador'),"
            " ($1, 'SUSPENDIDO', 'No cobra', '2023-05-01', 'evaluador')",
            bid,
        )
        authorization = uuid.uuid4()
        await v.pool.execute(
            "insert into collection_authorizations (authorization_id, beneficiary_id, ubigeo, collector_dni,"
            " collector_names, relationship, state, valid_from, valid_until)"
            " values ($1, $2, $3, '41234567', 'ROJAS LUIS', 'HIJO', 'VIGENTE', '2024-01-01', '2030-01-01')",
            authorization,
            bid,
            own,
        )
        await v.pool.execute(
            "insert into authorization_history (authorization_id, action, valid_until, by_user)"
            " values ($1, 'AUTORIZADA', '2030-01-01', 'evaluador')",
            authorization,
        )
        local, staff = v.local(own), v.staff()

        record = (await v.get(f"/padron/beneficiaries/{bid}", local)).json()
        staff_record = (await v.get(f"/padron/beneficiaries/{bid}", staff)).json()
        missing = await v.get(f"/padron/beneficiaries/{uuid.uuid4()}", staff)

        assert [(h["status"], h["reason"]) for h in record["status_history"]] == [
            ("VIGENTE", None),
            ("SUSPENDIDO", "No cobra"),
        ]
        assert record["authorization"]["state"] == "VIGENTE"
        assert record["authorization"]["collector_names"] == "ROJAS LUIS"
        assert [h["action"] for h in record["authorization"]["history"]] == ["AUTORIZADA"]
        assert record["district"] == views.district_name(own)
        assert "bank_account" not in record
        assert staff_record["bank_account"] == "00-555-777888"
        assert missing.status_code == 404
        assert [(e["action"], e["beneficiary_ids"]) for e in await v.log(local)] == [("VIEW_BENEFICIARY", [bid])]


async def test_staff_read_the_access_log_newest_first_in_pages_and_filtered(database_url, tmp_path, padron_views):
    async with padron_views(database_url, tmp_path) as v:
        _, own, _, _ = places()
        bid = await v.beneficiary(own)
        local, staff = v.local(own), v.staff()
        await v.get("/padron/beneficiaries", local)
        await v.get(f"/padron/beneficiaries/{bid}", local)
        await v.get("/padron/beneficiaries.csv", local)
        await v.get("/padron/access-log", local)
        since = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()

        first = (await v.get("/padron/access-log", staff, username=local.username, limit="2", since=since)).json()
        rest = (await v.get(f"/padron/access-log?username={local.username}&after={first['next']}", staff)).json()
        denied = (await v.get(f"/padron/access-log?username={local.username}&action=DENIED", staff)).json()
        bad_since = await v.get("/padron/access-log?since=ayer", staff)

        entries = first["items"] + rest["items"]
        assert [e["action"] for e in entries] == ["DENIED", "EXPORT_CSV", "VIEW_BENEFICIARY", "LIST_BENEFICIARIES"]
        assert rest["next"] is None
        assert entries[2]["beneficiary_ids"] == [str(bid)]
        assert {(e["username"], e["scope"], e["ally_type"]) for e in entries} == {
            (local.username, own, "GOBIERNO_LOCAL")
        }
        assert [(e["action"], e["allowed"], e["resource"]) for e in denied["items"]] == [
            ("DENIED", False, "/padron/access-log")
        ]
        assert (bad_since.status_code, bad_since.json()["errors"]) == (
            422,
            {"since": "Fecha no válida; use AAAA-MM-DD o AAAA-MM-DDTHH:MM."},
        )

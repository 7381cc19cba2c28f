"""A corrected request sent again, through the gateway: while its new DDC is being generated the old
one is never served and an upload is refused with nothing stored; once the new DDC is out, its
upload is counted and the request enters the evaluation queue. A draft never sent says so.

Access, documents and the gateway run in memory on one FastStream in-memory broker (as in the
embedded run) against real PostgreSQL. The test plays identity's part by publishing its
AuthorityVerified. The moment between access recording the new attempt and documents hearing of
it is held open by locking documents' row of the request, so the test never races the bus.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import io
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from altcha import v1 as altcha
from faststream.kafka import KafkaBroker, TestKafkaBroker
from litestar import Litestar
from pypdf import PdfWriter
from testkit.api_steps import signed_on_screen

import access.app
import access.config
import documents.app
import documents.config
import gateway.app
import gateway.config
from contracts import encode, topics
from contracts.events import AuthorityVerified
from eventkit.messages import wrap

pytestmark = pytest.mark.integration

FORM: dict[str, Any] = {
    "ally_type": "GOBIERNO_LOCAL",
    "ubigeo": "090101",
    "authority": {
        "dni": "40123456",
        "names": "Ana Quispe Mamani",
        "mobile": "987654321",
        "personal_email": "ana@example.pe",
        "institutional_email": "alcaldia@muni.gob.pe",
    },
    "responsible": {
        "dni": "41234567",
        "names": "Luis Huamán Rojas",
        "landline": "067 451234",
        "personal_email": "luis@example.pe",
        "institutional_email": "omaped@muni.gob.pe",
        "office": "OMAPED",
        "position": "Jefe de la OMAPED",
    },
}
CORRECTED = FORM | {"authority": FORM["authority"] | {"dni": "40654321", "names": "Rosa Ccori Huamán"}}


@dataclass
class System:
    client: httpx.AsyncClient
    broker: KafkaBroker
    apps: dict[str, Litestar]
    database_url: str

    async def authority_checked(self, request_id: str, attempt: int, result: str) -> None:
        event = AuthorityVerified(
            request_id=uuid.UUID(request_id),
            attempt=attempt,
            result=result,
            register="JNE",
            period="2023-2026",
            reason=None if result == "MATCH" else "El DNI registrado no corresponde al alcalde vigente.",
        )
        envelope = wrap(event, key=request_id)
        await self.broker.publish(encode(envelope), topic=topics.IDENTITY_AUTHORITY, key=envelope.key.encode())

    async def uploads_in_documents(self, request_id: str) -> int:
        pool = self.apps["documents"].state.host.pool
        return await pool.fetchval("select count(*) from uploads where request_id = $1", uuid.UUID(request_id))

    @contextlib.asynccontextmanager
    async def documents_not_hearing_of(self, request_id: str) -> AsyncIterator[None]:
        """Documents' row of the request locked: a new AccessRequested waits until the block ends."""
        conn = await asyncpg.connect(self.database_url, server_settings={"search_path": "documents"})
        try:
            async with conn.transaction():
                await conn.execute(
                    "select 1 from requests where request_id = $1 for no key update", uuid.UUID(request_id)
                )
                yield
        finally:
            await conn.close()


@contextlib.asynccontextmanager
async def running(database_url: str, tmp_path: Path) -> AsyncIterator[System]:
    broker = KafkaBroker("corrections-test", logger=None)
    (tmp_path / "objects").mkdir()
    apps = {
        "access": access.app.create_app(
            access.config.Settings(database_url=database_url, captcha_max_number=5000), broker, own_broker=False
        ),
        "documents": documents.app.create_app(
            documents.config.Settings(database_url=database_url, storage_dir=str(tmp_path / "objects")),
            broker,
            own_broker=False,
        ),
    }
    async with contextlib.AsyncExitStack() as stack:
        await stack.enter_async_context(TestKafkaBroker(broker))
        for app in apps.values():
            await stack.enter_async_context(app.lifespan())
        for app in apps.values():
            await app.state.host.wait_ready(60)
        clients = {
            name: await stack.enter_async_context(
                httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=f"http://{name}")
            )
            for name, app in apps.items()
        }
        gw = gateway.app.create_app(gateway.config.Settings(), clients=clients, mode="embedded")
        await stack.enter_async_context(gw.lifespan())
        client = await stack.enter_async_context(
            httpx.AsyncClient(transport=httpx.ASGITransport(app=gw), base_url="http://gateway", timeout=30)
        )
        yield System(client, broker, apps, database_url)


async def eventually(probe: Callable[[], Awaitable[Any]], what: str, timeout_s: float = 20.0) -> Any:
    deadline = asyncio.get_running_loop().time() + timeout_s
    last = None
    while asyncio.get_running_loop().time() < deadline:
        last = await probe()
        if last:
            return last
        await asyncio.sleep(0.05)
    raise AssertionError(f"{what}: not within {timeout_s}s (last: {last})")


async def status(system: System, request_id: str) -> dict[str, Any]:
    return (await system.client.get(f"/api/access-requests/{request_id}")).json()


async def send(system: System, request_id: str) -> dict[str, Any]:
    ch = (await system.client.get("/api/captcha")).json()
    solution = altcha.solve_challenge(ch["challenge"], ch["salt"], ch["algorithm"], ch["maxnumber"], 0)
    payload = {k: ch[k] for k in ("algorithm", "challenge", "salt", "signature")} | {"number": solution.number}
    captcha = base64.b64encode(json.dumps(payload).encode()).decode()
    answer = await system.client.post(f"/api/access-requests/{request_id}/submit", json={"altcha": captcha})
    assert answer.status_code == 202, answer.text
    return answer.json()


async def upload(system: System, request_id: str, data: bytes) -> httpx.Response:
    return await system.client.post(
        f"/api/access-requests/{request_id}/documents",
        params={"kind": "DDC_SIGNED"},
        files={"file": ("ddc-firmado.pdf", data, "application/pdf")},
    )


def signed_scan() -> bytes:
    """A PDF as a scanner makes it: one blank page."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def stored_objects(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "objects").rglob("*.pdf"))


async def ddc_ready(system: System, request_id: str, attempt: int) -> dict[str, Any]:
    async def probe():
        s = await status(system, request_id)
        return s["attempt"] == attempt and s["ddc"]["ready"] and s

    return await eventually(probe, f"the DDC of attempt {attempt} is ready")


async def observed_request(system: System) -> tuple[str, dict[str, Any], bytes]:
    """A request sent once, its DDC out, then observed because the authority did not match."""
    request_id = (await system.client.post("/api/access-requests", json=FORM)).json()["id"]
    await send(system, request_id)
    first = await ddc_ready(system, request_id, 1)
    old_ddc = (await system.client.get(f"/api/access-requests/{request_id}/ddc")).content
    await system.authority_checked(request_id, 1, "MISMATCH")
    await eventually(
        lambda: _state_is(system, request_id, "OBSERVED"),
        "the request is observed",
    )
    return request_id, first, old_ddc


async def _state_is(system: System, request_id: str, state: str) -> dict[str, Any] | bool:
    s = await status(system, request_id)
    return s["state"] == state and s


async def test_while_the_corrected_requests_ddc_is_generated_the_old_one_is_not_served_and_an_upload_is_refused(
    database_url, tmp_path
):
    async with running(database_url, tmp_path) as system:
        request_id, _first, _old = await observed_request(system)
        await system.client.put(f"/api/access-requests/{request_id}", json=CORRECTED)
        objects_before = stored_objects(tmp_path)

        async with system.documents_not_hearing_of(request_id):
            resent = await send(system, request_id)
            ddc = await system.client.get(f"/api/access-requests/{request_id}/ddc")
            uploaded = await upload(system, request_id, signed_scan())
            during = await status(system, request_id)
            objects_during = stored_objects(tmp_path)
        # Leave once the bus is quiet: the new DDC out and announced to access.
        await ddc_ready(system, request_id, 2)

        assert resent["attempt"] == 2
        assert ddc.status_code == 409
        assert ddc.json() == {
            "detail": "El DDC de la solicitud corregida aún se está generando; intente nuevamente en unos segundos."
        }
        assert uploaded.status_code == 409
        assert uploaded.json() == {
            "detail": "El DDC de la solicitud corregida aún se está generando; descárguelo de nuevo y súbalo firmado."
        }
        assert during["state"] == "SUBMITTED" and during["ddc"] == {"ready": False, "verification_code": None}
        assert await system.uploads_in_documents(request_id) == 0
        assert objects_during == objects_before


async def test_once_the_new_ddc_is_out_it_is_served_and_its_signed_upload_takes_the_request_to_evaluation(
    database_url, tmp_path
):
    async with running(database_url, tmp_path) as system:
        request_id, first, old_ddc = await observed_request(system)
        await system.client.put(f"/api/access-requests/{request_id}", json=CORRECTED)
        async with system.documents_not_hearing_of(request_id):
            await send(system, request_id)
            refused = await upload(system, request_id, old_ddc)

        second = await ddc_ready(system, request_id, 2)
        new_ddc = await system.client.get(f"/api/access-requests/{request_id}/ddc")
        await system.authority_checked(request_id, 2, "MATCH")
        uploaded = await upload(system, request_id, signed_on_screen(new_ddc.content))
        pending = await eventually(
            lambda: _state_is(system, request_id, "PENDING_EVALUATION"), "the request enters the evaluation queue"
        )

        assert refused.status_code == 409
        assert second["ddc"]["verification_code"] != first["ddc"]["verification_code"]
        assert new_ddc.status_code == 200 and new_ddc.content.startswith(b"%PDF") and new_ddc.content != old_ddc
        assert uploaded.status_code == 201
        assert list(pending["documents"]) == ["DDC_SIGNED"]
        assert pending["documents"]["DDC_SIGNED"]["sha256"] == uploaded.json()["sha256"]
        assert await system.uploads_in_documents(request_id) == 1


async def test_a_draft_never_sent_says_so_and_an_unknown_request_is_not_found(database_url, tmp_path):
    async with running(database_url, tmp_path) as system:
        draft = (await system.client.post("/api/access-requests", json=FORM)).json()
        unknown = str(uuid.uuid4())

        draft_ddc = await system.client.get(f"/api/access-requests/{draft['id']}/ddc")
        draft_upload = await upload(system, draft["id"], b"%PDF-1.7\n")
        draft_status = await system.client.get(f"/api/access-requests/{draft['id']}")
        unknown_ddc = await system.client.get(f"/api/access-requests/{unknown}/ddc")
        unknown_upload = await upload(system, unknown, b"%PDF-1.7\n")

        not_sent = {"detail": "La solicitud aún no ha sido enviada; envíela para generar el DDC."}
        assert (draft_ddc.status_code, draft_ddc.json()) == (409, not_sent)
        assert (draft_upload.status_code, draft_upload.json()) == (409, not_sent)
        assert draft_status.status_code == 200
        assert (unknown_ddc.status_code, unknown_ddc.json()) == (404, {"detail": "Solicitud no encontrada."})
        assert (unknown_upload.status_code, unknown_upload.json()) == (404, {"detail": "Solicitud no encontrada."})

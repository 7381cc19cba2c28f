"""Staff keep the trainings registry through the API: sessions, invitations, attendance by form or by CSV."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator

import pytest
from faststream.kafka import KafkaBroker

import cases.app
import cases.config
from authkit import Claims
from authkit.testing import token_keys
from eventkit.testing import serve_in_memory

pytestmark = pytest.mark.integration


@contextlib.asynccontextmanager
async def registry(database_url: str, tmp_path) -> AsyncIterator[tuple]:
    signer, public = token_keys(tmp_path)
    settings = cases.config.Settings(database_url=database_url, token_public_key_file=str(public))
    app = cases.app.create_app(settings, KafkaBroker("test", logger=None), own_broker=False)
    async with serve_in_memory(app) as client:

        def headers(**claims) -> dict[str, str]:
            return {"Authorization": f"Bearer {signer.sign(Claims(sub=str(uuid.uuid4()), username='uac-1', **claims))}"}

        yield client, headers, app.state.host.pool


SESSION = {"held_on": "2022-05-12", "topic": "Aplicación USUARIO ALIADO", "modality": "VIRTUAL", "organiser": "UAC"}


async def test_staff_register_a_session_invite_a_province_and_record_attendance(database_url, tmp_path):
    async with registry(database_url, tmp_path) as (client, headers, _pool):
        staff = headers(role="ANALYST", unit="UAC")

        created = await client.post("/trainings/sessions", json=SESSION, headers=staff)
        session_id = created.json()["session_id"]
        invited = await client.post(
            f"/trainings/sessions/{session_id}/invitations", json={"places": ["0902"]}, headers=staff
        )
        attended = await client.post(
            f"/trainings/sessions/{session_id}/attendance",
            json={"ubigeo": "090201", "office": "OMAPED", "position": "Responsable", "attendees": 2},
            headers=staff,
        )
        listed = await client.get("/trainings/sessions", headers=staff)
        ctvc = await client.post("/trainings/sessions", json=SESSION, headers=headers(role="CTVC", ubigeo="09"))

    assert created.status_code == 201, created.text
    assert invited.status_code == 201 and len(invited.json()["ids"]) == 8  # Acobamba's eight districts
    assert attended.status_code == 201, attended.text
    mine = next(s for s in listed.json() if s["session_id"] == session_id)
    assert (mine["invited"], mine["attended"]) == (8, 1)
    assert ctvc.status_code == 403


async def test_a_csv_with_one_unknown_session_imports_nothing_and_says_which_line(database_url, tmp_path):
    async with registry(database_url, tmp_path) as (client, headers, pool):
        staff = headers(role="ADMIN")
        session_id = (await client.post("/trainings/sessions", json=SESSION, headers=staff)).json()["session_id"]
        csv = (
            "\ufeffsession_id;ubigeo;office;position\n"
            f"{session_id};090101;OMAPED;Jefa\n"
            f"{uuid.uuid4()};090102;OMAPED;Jefe\n"
        ).encode()

        refused = await client.post(
            "/trainings/attendance/import", content=csv, headers=staff | {"content-type": "text/csv"}
        )
        count = await pool.fetchval(
            "select count(*) from training_attendance where session_id = $1", uuid.UUID(session_id)
        )
        one_line = csv.rsplit(b"\n", 2)[0] + b"\n"
        good = await client.post("/trainings/attendance/import", files={"file": ("a.csv", one_line)}, headers=staff)

    assert refused.status_code == 422
    assert refused.json()["errors"] == {
        "línea 3": f"línea 3: no existe la capacitación {csv.decode().splitlines()[2].split(';')[0]}"
    }
    assert count == 0
    assert good.status_code == 201 and len(good.json()["ids"]) == 1


async def test_bad_session_data_is_refused_at_each_field(database_url, tmp_path):
    async with registry(database_url, tmp_path) as (client, headers, _pool):
        refused = await client.post(
            "/trainings/sessions",
            json={"held_on": "ayer", "topic": "x", "modality": "MIXTA", "organiser": "U"},
            headers=headers(role="ADMIN"),
        )

    assert refused.status_code == 422
    assert set(refused.json()["errors"]) == {"held_on", "topic", "modality", "organiser"}

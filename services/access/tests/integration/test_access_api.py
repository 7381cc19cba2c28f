"""The access API on real PostgreSQL: drafts, resuming, the captcha-guarded send, evaluation."""

from __future__ import annotations

import base64
import contextlib
import json
import uuid
from datetime import UTC, date, datetime
from urllib.parse import urlsplit, urlunsplit

import pytest
from altcha import v1 as altcha
from faststream.kafka import KafkaBroker

import access.app
import access.config
from authkit import Claims
from authkit.testing import token_keys
from contracts.events import AuthorityVerified, DDCGenerated, DDCUploaded
from eventkit.clock import FixedClock
from eventkit.messages import wrap
from eventkit.settings import ConfigError
from eventkit.testing import CuttableProxy, serve_in_memory
from eventkit.uow import open_unit

pytestmark = pytest.mark.integration

FORM = {
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


TODAY = date(2026, 3, 6)
"""The day the app's clock says, a Friday: five business days later is the next Friday."""


@contextlib.asynccontextmanager
async def access_client(database_url, tmp_path, captcha_key: str = ""):
    """Access on ``database_url``; ``captcha_key`` as CONTIGO_CAPTCHA_HMAC_KEY (empty: a key of its own)."""
    signer, public = token_keys(tmp_path)
    settings = access.config.Settings(
        database_url=database_url,
        token_public_key_file=str(public),
        captcha_max_number=5000,
        captcha_hmac_key=captcha_key,
    )
    app = access.app.create_app(settings, KafkaBroker("test", logger=None), own_broker=False, clock=FixedClock(TODAY))
    async with serve_in_memory(app) as c:
        c.host = app.state.host
        c.signer = signer
        c.on = {kind: handler for s in app.state.host.subscriptions for kind, handler in s.handlers.items()}
        yield c


async def solved_captcha(client) -> str:
    challenge = (await client.get("/captcha")).json()
    solution = altcha.solve_challenge(
        challenge["challenge"], challenge["salt"], challenge["algorithm"], challenge["maxnumber"], 0
    )
    payload = {k: challenge[k] for k in ("algorithm", "challenge", "salt", "signature")} | {"number": solution.number}
    return base64.b64encode(json.dumps(payload).encode()).decode()


async def outbox_types(client, request_id) -> list[str]:
    rows = await client.host.pool.fetch("select type, key from outbox order by seq")
    return [r["type"] for r in rows if r["key"] == str(request_id)]


async def apply(client, event) -> None:
    """Delivers ``event`` to the app's own subscriber of its kind, as the bus would."""
    handler = client.on[type(event)]
    envelope = wrap(event, key=str(event.request_id))
    async with open_unit(client.host.pool, cause=envelope) as uow:
        await handler(envelope, event, uow)


async def test_a_draft_is_saved_and_resumed_with_its_code_and_the_authoritys_dni(database_url, tmp_path):
    async with access_client(database_url, tmp_path) as client:
        created = (
            await client.post(
                "/access-requests", json={"ally_type": "GOBIERNO_LOCAL", "authority": {"dni": "40123456"}}
            )
        ).json()

        resumed = await client.post(
            "/access-requests/resume", json={"code": created["code"], "authority_dni": "40123456"}
        )

        assert resumed.status_code == 200
        assert resumed.json()["id"] == created["id"]
        assert resumed.json()["state_label"] == "Borrador"


async def test_a_dni_alone_cannot_resume_a_request(database_url, tmp_path):
    async with access_client(database_url, tmp_path) as client:
        created = (await client.post("/access-requests", json=FORM)).json()

        wrong_code = await client.post(
            "/access-requests/resume", json={"code": "SA-2026-999999", "authority_dni": "40123456"}
        )
        wrong_dni = await client.post(
            "/access-requests/resume", json={"code": created["code"], "authority_dni": "40123457"}
        )

        assert wrong_code.status_code == wrong_dni.status_code == 404
        assert (
            wrong_code.json()
            == wrong_dni.json()
            == {"detail": "No encontramos una solicitud con ese código y DNI de la autoridad."}
        )


async def test_every_field_error_is_answered_in_spanish_and_nothing_is_sent(database_url, tmp_path):
    async with access_client(database_url, tmp_path) as client:
        bad = json.loads(json.dumps(FORM))
        bad["authority"]["dni"] = "4012"
        bad["responsible"]["institutional_email"] = "omaped@"
        created = (
            await client.post("/access-requests", json=FORM | {"authority": bad["authority"] | {"dni": "40123456"}})
        ).json()
        await client.put(f"/access-requests/{created['id']}", json=bad | {"authority": FORM["authority"]})

        sent = await client.post(
            f"/access-requests/{created['id']}/submit", json={"altcha": await solved_captcha(client)}
        )

        assert sent.status_code == 422
        assert sent.json()["errors"] == {"responsible.institutional_email": "El correo electrónico no es válido."}
        assert await outbox_types(client, created["id"]) == []


async def test_the_send_needs_a_solved_captcha(database_url, tmp_path):
    async with access_client(database_url, tmp_path) as client:
        created = (await client.post("/access-requests", json=FORM)).json()

        no_body = await client.post(f"/access-requests/{created['id']}/submit")
        unsolved = await client.post(f"/access-requests/{created['id']}/submit", json={})
        forged = await client.post(f"/access-requests/{created['id']}/submit", json={"altcha": "bm90LWEtc29sdXRpb24="})

        assert no_body.status_code == unsolved.status_code == forged.status_code == 400
        assert no_body.json() == unsolved.json() == {"detail": "Resuelva la verificación anti-robots antes de enviar."}
        assert "anti-robots" in forged.json()["detail"]
        assert await outbox_types(client, created["id"]) == []


async def test_a_second_send_changes_nothing(database_url, tmp_path):
    async with access_client(database_url, tmp_path) as client:
        created = (await client.post("/access-requests", json=FORM)).json()
        url = f"/access-requests/{created['id']}/submit"

        first = await client.post(url, json={"altcha": await solved_captcha(client)})
        second = await client.post(url, json={"altcha": await solved_captcha(client)})

        assert first.status_code == second.status_code == 202
        assert second.json()["attempt"] == 1
        assert await outbox_types(client, created["id"]) == ["AccessRequested"]


async def test_a_solved_captcha_opens_one_send_only(database_url, tmp_path):
    async with access_client(database_url, tmp_path) as client:
        first = (await client.post("/access-requests", json=FORM)).json()
        second = (await client.post("/access-requests", json=FORM)).json()
        captcha = await solved_captcha(client)

        await client.post(f"/access-requests/{first['id']}/submit", json={"altcha": captcha})
        reused = await client.post(f"/access-requests/{second['id']}/submit", json={"altcha": captcha})

        assert reused.status_code == 400
        assert reused.json()["detail"] == "La verificación anti-robots ya fue usada; resuélvala de nuevo."


async def test_a_captcha_solved_before_a_restart_is_accepted_by_the_next_process_with_the_same_key(
    database_url, tmp_path
):
    key = "clave-compartida-de-altcha-para-todas-las-replicas"
    async with access_client(database_url, tmp_path, captcha_key=key) as before_restart:
        created = (await before_restart.post("/access-requests", json=FORM)).json()
        solved = await solved_captcha(before_restart)

    async with access_client(database_url, tmp_path, captcha_key=key) as after_restart:
        sent = await after_restart.post(f"/access-requests/{created['id']}/submit", json={"altcha": solved})

        assert sent.status_code == 202
        assert await outbox_types(after_restart, created["id"]) == ["AccessRequested"]


async def test_a_captcha_served_under_another_key_is_refused(database_url, tmp_path):
    async with access_client(database_url, tmp_path, captcha_key="una-clave-de-altcha-de-otro-despliegue") as other:
        solved = await solved_captcha(other)

    async with access_client(database_url, tmp_path, captcha_key="la-clave-de-altcha-de-este-despliegue") as client:
        created = (await client.post("/access-requests", json=FORM)).json()
        sent = await client.post(f"/access-requests/{created['id']}/submit", json={"altcha": solved})

        assert sent.status_code == 400
        assert sent.json()["detail"] == "La verificación anti-robots no es válida o expiró; resuélvala de nuevo."


def test_a_captcha_key_too_short_to_be_a_secret_stops_start_up_naming_the_variable():
    settings = access.config.Settings(database_url="postgresql://unused/db", captcha_hmac_key="corta")

    with pytest.raises(ConfigError, match="CONTIGO_CAPTCHA_HMAC_KEY"):
        access.app.create_app(settings, KafkaBroker("test", logger=None), own_broker=False)


async def test_a_request_with_its_signed_ddc_waits_for_an_evaluator_who_approves_it(database_url, tmp_path):
    async with access_client(database_url, tmp_path) as client:
        created = (await client.post("/access-requests", json=FORM)).json()
        request_id = uuid.UUID(created["id"])
        await client.post(f"/access-requests/{request_id}/submit", json={"altcha": await solved_captcha(client)})
        await apply(
            client,
            DDCUploaded(
                request_id=request_id,
                attempt=1,
                kind="DDC_SIGNED",
                object_key="sha256/x.pdf",
                sha256="ab" * 32,
                size=1234,
                digitally_signed=False,
            ),
        )
        await apply(
            client,
            DDCGenerated(
                request_id=request_id,
                attempt=1,
                object_key="sha256/y.pdf",
                sha256="cd" * 32,
                verification_code="K7QX-9M2P-4TZD",
            ),
        )
        await apply(
            client,
            AuthorityVerified(request_id=request_id, attempt=1, result="MATCH", register="JNE", period="2023-2026"),
        )
        evaluator = client.signer.sign(Claims(sub="s1", username="evaluador", role="EVALUATOR"))
        ally = client.signer.sign(Claims(sub="a1", username="gl090101", role="ALLY", ally_type="GOBIERNO_LOCAL"))

        queue = await client.get("/evaluation/queue", headers={"Authorization": f"Bearer {evaluator}"})
        by_ally = await client.get("/evaluation/queue", headers={"Authorization": f"Bearer {ally}"})
        approved = await client.post(
            f"/evaluation/{request_id}/decision",
            json={"decision": "APPROVE"},
            headers={"Authorization": f"Bearer {evaluator}"},
        )

        assert [r["code"] for r in queue.json() if r["id"] == str(request_id)] == [created["code"]]
        mine = next(r for r in queue.json() if r["id"] == str(request_id))
        assert mine["due_date"] == "2026-03-13" and mine["overdue"] is False
        assert by_ally.status_code == 403
        assert approved.json()["state"] == "APPROVED"
        assert await outbox_types(client, request_id) == ["AccessRequested", "AccessApproved"]


async def test_the_ubigeo_lists_lead_from_region_to_district(database_url, tmp_path):
    async with access_client(database_url, tmp_path) as client:
        regions = (await client.get("/ubigeo/regions")).json()
        provinces = (await client.get("/ubigeo/regions/09/provinces")).json()
        districts = (await client.get("/ubigeo/provinces/0902/districts")).json()

        assert len(regions) == 25 and {"code": "09", "name": "Huancavelica"} in regions
        assert {"code": "0902", "name": "Acobamba"} in provinces
        assert {"code": "090201", "name": "Acobamba"} in districts


async def test_the_captcha_challenge_is_fresh_each_time(database_url, tmp_path):
    async with access_client(database_url, tmp_path) as client:
        first = (await client.get("/captcha")).json()
        second = (await client.get("/captcha")).json()

        assert first["salt"] != second["salt"]
        assert datetime.now(UTC).year >= 2026


async def test_the_current_attempt_is_given_only_once_the_request_was_sent_and_its_ddc_generated(
    database_url, tmp_path
):
    async with access_client(database_url, tmp_path) as client:
        created = (await client.post("/access-requests", json=FORM)).json()
        request_id = uuid.UUID(created["id"])
        url = f"/access-requests/{request_id}/current-attempt"

        unknown = await client.get(f"/access-requests/{uuid.uuid4()}/current-attempt", params={"purpose": "download"})
        draft = await client.get(url, params={"purpose": "upload"})
        await client.post(f"/access-requests/{request_id}/submit", json={"altcha": await solved_captcha(client)})
        generating = await client.get(url, params={"purpose": "download"})
        await apply(
            client,
            DDCGenerated(
                request_id=request_id, attempt=1, object_key="k", sha256="cd" * 32, verification_code="K7QX-9M2P-4TZD"
            ),
        )
        ready = await client.get(url, params={"purpose": "upload"})

        assert (unknown.status_code, unknown.json()) == (404, {"detail": "Solicitud no encontrada."})
        assert (draft.status_code, draft.json()) == (
            409,
            {"detail": "La solicitud aún no ha sido enviada; envíela para generar el DDC."},
        )
        assert (generating.status_code, generating.json()) == (
            409,
            {"detail": "El DDC de esta solicitud aún se está generando; intente nuevamente en unos segundos."},
        )
        assert (ready.status_code, ready.json()) == (200, {"attempt": 1})


async def test_a_decision_that_is_not_approve_observe_or_reject_is_a_422_naming_the_field(database_url, tmp_path):
    async with access_client(database_url, tmp_path) as client:
        created = (await client.post("/access-requests", json=FORM)).json()
        evaluator = client.signer.sign(Claims(sub="s1", username="evaluador", role="EVALUATOR"))

        answer = await client.post(
            f"/evaluation/{created['id']}/decision",
            json={"decision": "MAYBE"},
            headers={"Authorization": f"Bearer {evaluator}"},
        )

        assert answer.status_code == 422
        assert answer.json() == {
            "detail": "Hay datos con un formato no válido.",
            "errors": {"decision": "Valor no permitido."},
        }
        assert await outbox_types(client, created["id"]) == []


def through(proxy: CuttableProxy, database_url: str) -> str:
    """``database_url``, reached through ``proxy``."""
    parts = urlsplit(database_url)
    return urlunsplit(parts._replace(netloc=f"{parts.netloc.rsplit('@', 1)[0]}@127.0.0.1:{proxy.port}"))


async def test_while_the_database_is_down_a_person_is_told_so_in_spanish_and_never_gets_a_500(database_url, tmp_path):
    parts = urlsplit(database_url)
    async with CuttableProxy(parts.hostname or "127.0.0.1", parts.port or 5432) as proxy:
        async with access_client(through(proxy, database_url), tmp_path) as client:
            created = (await client.post("/access-requests", json=FORM)).json()
            url = f"/access-requests/{created['id']}"

            await proxy.cut()
            answers = [
                await client.get(url),
                await client.put(url, json=FORM),
                await client.post(
                    "/access-requests/resume", json={"code": created["code"], "authority_dni": "40123456"}
                ),
                await client.post(f"{url}/submit", json={"altcha": await solved_captcha(client)}),
            ]
            await proxy.restore()
            back = await client.get(url)

    assert [a.status_code for a in answers] == [503, 503, 503, 503]
    assert {a.json()["detail"] for a in answers} == {
        "La base de datos no está disponible; intente nuevamente en unos minutos."
    }
    assert back.status_code == 200 and back.json()["id"] == created["id"]

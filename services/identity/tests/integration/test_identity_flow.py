"""Identity's part of the access flow: it checks the authority of each request, mails credentials once per
approved request (after the commit, from its mail outbox), logs them in, and revokes them when a newer approval
replaces them.

Real PostgreSQL and a real SMTP server (aiosmtpd); events go through the kit's Consumer as Kafka would
deliver them.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import email
import email.policy
import json
import re
import socket
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import asyncpg
import httpx
import pytest
from aiosmtpd.controller import Controller
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from faststream.kafka import KafkaBroker, TestKafkaBroker
from litestar import Litestar

from authkit import TokenError, Verifier, public_path
from contracts import encode
from contracts.events import AccessApproved, AccessRequested, AuthorityVerified, Jurisdiction, Person, Responsible
from eventkit.clock import LIMA
from eventkit.messages import read, wrap
from identity.adapters.registries import FileAuthorityRegister
from identity.app import create_app
from identity.config import Settings

pytestmark = pytest.mark.integration

TODAY = date(2025, 6, 1)
DEMO_PASSWORD = "Demo-Clave-2025#"
REFUSED = {"detail": "Usuario o contraseña incorrectos."}
RESPONSIBLE, AUTHORITY = "rosa.rojas@example.pe", "alcaldia@example.pe"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Inbox:
    """An aiosmtpd handler that keeps every accepted message."""

    messages: list[EmailMessage] = field(default_factory=list)
    recipients: list[list[str]] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's name
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 OK"

    async def received(self, count: int, timeout_s: float = 20.0, to: str | None = None) -> list[EmailMessage]:
        """The first ``count`` messages (to ``to`` only, if given), once they arrived: mail goes out after the
        commit, not during it."""
        deadline = time.monotonic() + timeout_s
        while len(mine := [m for m in self.messages if to is None or m["To"] == to]) < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{count} message(s) expected, {len(mine)} arrived in {timeout_s} s")
            await asyncio.sleep(0.05)
        return mine[:count]


class MailServer:
    """A real SMTP server on a free port that can be stopped and started again on that port."""

    def __init__(self) -> None:
        self.inbox = Inbox()
        self.port = free_port()
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


class MovableClock:
    """Lima's noon of ``TODAY`` until a test moves it on: lockouts end without anyone sleeping."""

    def __init__(self) -> None:
        self._at = datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=LIMA)

    def now(self) -> datetime:
        return self._at

    def today(self) -> date:
        return self._at.date()

    def advance(self, **delta: float) -> None:
        self._at += timedelta(**delta)


@dataclass
class Identity:
    app: Litestar
    client: httpx.AsyncClient
    smtp: MailServer
    clock: MovableClock
    settings: Settings

    @property
    def mail(self) -> Inbox:
        return self.smtp.inbox

    @property
    def pool(self) -> asyncpg.Pool:
        return self.app.state.host.pool

    async def deliver(self, envelope) -> str:
        (consumer,) = self.app.state.host.consumers
        return await consumer.process(encode(envelope), key=envelope.key, headers={})


@pytest.fixture
async def identity(database_url, tmp_path) -> AsyncIterator[Identity]:
    smtp = MailServer()
    smtp.start()
    settings = Settings(
        database_url=database_url,
        smtp_port=smtp.port,
        token_key_file=str(tmp_path / "identity-token.pem"),
        public_url="https://aliados.contigo.example",
        demo_staff_password=DEMO_PASSWORD,
    )
    broker = KafkaBroker("in-memory")
    clock = MovableClock()
    app = create_app(settings, broker, own_broker=False, clock=clock)
    try:
        async with running(app, broker) as client:
            yield Identity(app, client, smtp, clock, settings)
    finally:
        smtp.stop()


@contextlib.asynccontextmanager
async def running(app: Litestar, broker: KafkaBroker) -> AsyncIterator[httpx.AsyncClient]:
    """Run the app's lifespan in a task of its own: pytest enters and leaves fixtures in different tasks."""
    ready: asyncio.Future[httpx.AsyncClient] = asyncio.get_running_loop().create_future()
    stop = asyncio.Event()

    async def serve() -> None:
        async with (
            TestKafkaBroker(broker),
            app.lifespan(),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://identity") as client,
        ):
            await app.state.host.wait_ready(60)
            while await app.state.host.checks["demo_staff"]() is not None:
                await asyncio.sleep(0.1)
            ready.set_result(client)
            await stop.wait()

    task = asyncio.create_task(serve())
    try:
        done, _ = await asyncio.wait({ready, task}, timeout=90, return_when=asyncio.FIRST_COMPLETED)
        if task in done:
            task.result()
        if ready not in done:
            raise TimeoutError("identity did not become ready within 90 s")
        yield ready.result()
    finally:
        stop.set()
        await task


def approval(jurisdiction: Jurisdiction, code: str = "SOL-2025-000042") -> AccessApproved:
    return AccessApproved(
        request_id=uuid.uuid4(),
        code=code,
        evaluator_id="evaluador",
        jurisdiction=jurisdiction,
        responsible_names="ROJAS HUAMÁN, ROSA",
        responsible_email="rosa.rojas@example.pe",
        authority_names="QUISPE MAMANI, JUAN",
        authority_email="alcaldia@example.pe",
    )


def credentials_in(message: EmailMessage) -> tuple[str, str]:
    body = message.get_content()
    username = re.search(r"Usuario:\s+(\S+)", body).group(1)
    password = re.search(r"Contraseña:\s+(\S+)", body).group(1)
    return username, password


async def log_in(identity: Identity, username: str, password: str, address: str | None = None):
    headers = {"x-forwarded-for": address} if address else {}
    return await identity.client.post("/auth/login", json={"username": username, "password": password}, headers=headers)


async def jwks_verifier(identity: Identity) -> Verifier:
    (key,) = (await identity.client.get("/.well-known/jwks.json")).json()["keys"]
    raw = base64.urlsafe_b64decode(key["x"] + "=" * (-len(key["x"]) % 4))
    return Verifier(Ed25519PublicKey.from_public_bytes(raw))


async def test_an_approval_mails_credentials_that_log_in_with_a_token_the_jwks_verifies(identity):
    event = approval(Jurisdiction(ally_type="GOBIERNO_LOCAL", ubigeo="090201"), code="SOL-2025-000101")

    outcome = await identity.deliver(wrap(event, key=str(event.request_id)))
    (message,) = await identity.mail.received(1, to=RESPONSIBLE)
    (notice,) = await identity.mail.received(1, to=AUTHORITY)
    username, password = credentials_in(message)
    response = await log_in(identity, username, password)
    claims = (await jwks_verifier(identity)).verify(response.json()["access_token"])

    assert outcome == "handled"
    assert message["Subject"] == "Credenciales de acceso a USUARIO ALIADO - solicitud SOL-2025-000101"
    assert message["To"] == RESPONSIBLE and message["Cc"] is None
    assert message["From"] == "Programa CONTIGO <no-responder@contigo.gob.pe>"
    assert sorted(identity.mail.recipients) == [[AUTHORITY], [RESPONSIBLE]]
    notice_text = notice.get_content()
    assert notice["Cc"] is None and password not in notice_text and "Contraseña:" not in notice_text
    assert f"Usuario:      {username}" in notice_text and "ROJAS HUAMÁN, ROSA" in notice_text
    assert "SOL-2025-000101" in notice_text and "Acobamba, Acobamba, Huancavelica" in notice_text
    body = message.get_content()
    assert "ROJAS HUAMÁN, ROSA" in body and "Acobamba, Acobamba, Huancavelica" in body
    assert "no pueden ser modificadas" in body and "29733" in body and "https://aliados.contigo.example" in body
    assert username == "gl090201" and len(password) >= 14
    assert response.status_code == 200
    assert response.json()["token_type"] == "Bearer" and response.json()["expires_in"] == 28800
    assert (claims.role, claims.ally_type, claims.ubigeo, claims.username) == (
        "ALLY",
        "GOBIERNO_LOCAL",
        "090201",
        "gl090201",
    )


async def test_the_password_is_stored_only_as_an_argon2id_hash_and_never_put_on_the_bus(identity):
    event = approval(Jurisdiction(ally_type="GOBIERNO_REGIONAL", ubigeo="05"))

    await identity.deliver(wrap(event, key=str(event.request_id)))
    (message,) = await identity.mail.received(1, to=RESPONSIBLE)
    _, password = credentials_in(message)
    stored = await identity.pool.fetchrow(
        "select account_id, username, password_hash from credentials where request_id = $1", event.request_id
    )
    bodies = await identity.pool.fetch("select body from outbox where key = $1", str(stored["account_id"]))
    letter = await sent_letter(identity, stored["account_id"])

    assert stored["username"] == "gr05"
    assert stored["password_hash"].startswith("$argon2id$") and password not in stored["password_hash"]
    assert [read(r["body"])[0].type for r in bodies] == ["CredentialsIssued"]
    assert all(password.encode() not in r["body"] for r in bodies)
    assert (letter["state"], letter["sealed_body"], letter["message_id"]) == ("SENT", None, message["Message-ID"])


async def sent_letter(identity: Identity, account_id: uuid.UUID) -> asyncpg.Record:
    """The account's credentials letter in the mail outbox, once the sender has marked it sent."""
    for _ in range(100):
        row = await identity.pool.fetchrow(
            "select * from mail_outbox where account_id = $1 and mail_to = $2", account_id, RESPONSIBLE
        )
        if row is not None and row["state"] == "SENT":
            return row
        await asyncio.sleep(0.05)
    raise AssertionError(f"the letter of account {account_id} was not marked sent")


async def test_a_letter_waiting_to_be_sent_holds_its_password_only_sealed(identity):
    event = approval(Jurisdiction(ally_type="GOBIERNO_LOCAL", ubigeo="050101"))
    identity.smtp.stop()

    await identity.deliver(wrap(event, key=str(event.request_id)))
    waiting = await identity.pool.fetchrow(
        "select m.state, m.sealed_body, m.subject from mail_outbox m join credentials c using (account_id)"
        " where c.request_id = $1 and m.mail_to = $2",
        event.request_id,
        RESPONSIBLE,
    )
    identity.smtp.start()
    (message,) = await identity.mail.received(1, to=RESPONSIBLE)
    _, password = credentials_in(message)

    assert waiting["state"] == "PENDING" and waiting["subject"] == message["Subject"]
    assert password.encode() not in waiting["sealed_body"] and b"Usuario" not in waiting["sealed_body"]


async def test_the_same_approval_delivered_again_issues_no_second_account_and_no_second_mail(identity):
    event = approval(Jurisdiction(ally_type="OTRO_ALIADO", entity_ruc="20000802256"))
    envelope = wrap(event, key=str(event.request_id))

    first = await identity.deliver(envelope)
    again = await identity.deliver(envelope)
    another_event_same_request = await identity.deliver(wrap(event, key=str(event.request_id)))
    accounts = await identity.pool.fetch(
        "select account_id, username, entity_name from credentials where request_id = $1", event.request_id
    )
    await sent_letter(identity, accounts[0]["account_id"])
    await identity.mail.received(2)
    letters = await identity.pool.fetch(
        "select mail_to from mail_outbox where account_id = $1 order by seq", accounts[0]["account_id"]
    )

    assert (first, again, another_event_same_request) == ("handled", "duplicate", "handled")
    assert [(a["username"], a["entity_name"]) for a in accounts] == [
        ("oa20000802256", "CENTRO DE SALUD MENTAL COMUNITARIO DE HUAMANGA")
    ]
    assert [r["mail_to"] for r in letters] == [RESPONSIBLE, AUTHORITY] and len(identity.mail.messages) == 2


async def test_a_newer_approval_for_the_same_district_revokes_the_earlier_account_at_once(identity):
    district = Jurisdiction(ally_type="GOBIERNO_LOCAL", ubigeo="100101")
    first_event, second_event = approval(district), approval(district)
    await identity.deliver(wrap(first_event, key=str(first_event.request_id)))
    first_username, first_password = credentials_in((await identity.mail.received(1, to=RESPONSIBLE))[0])
    first_token = (await log_in(identity, first_username, first_password)).json()["access_token"]

    await identity.deliver(wrap(second_event, key=str(second_event.request_id)))
    second_username, second_password = credentials_in((await identity.mail.received(2, to=RESPONSIBLE))[1])
    old_login = await log_in(identity, first_username, first_password)
    new_login = await log_in(identity, second_username, second_password)
    old_token = await identity.client.post("/auth/introspect", json={"token": first_token})
    new_token = await identity.client.post("/auth/introspect", json={"token": new_login.json()["access_token"]})
    first_account = await identity.pool.fetchval(
        "select account_id from credentials where request_id = $1", first_event.request_id
    )
    revocations = [
        read(r["body"])[1]
        for r in await identity.pool.fetch(
            "select body from outbox where key = $1 and type = 'CredentialsRevoked'", str(first_account)
        )
    ]

    assert (first_username, second_username) == ("gl100101", "gl100101-2")
    assert (old_login.status_code, old_login.json()) == (401, REFUSED)
    assert new_login.status_code == 200
    assert old_token.json() == {"active": False}
    assert new_token.json()["active"] is True and new_token.json()["claims"]["username"] == "gl100101-2"
    assert [r.reason for r in revocations] == ["Se aprobó una nueva solicitud para la misma jurisdicción."]


async def test_while_smtp_is_down_the_account_is_kept_health_counts_its_waiting_letter_and_it_goes_out_later(
    identity,
):
    event = approval(Jurisdiction(ally_type="GOBIERNO_LOCAL", ubigeo="130101"))
    identity.smtp.stop()

    outcome = await identity.deliver(wrap(event, key=str(event.request_id)))
    kept = await identity.pool.fetchval("select count(*) from credentials where request_id = $1", event.request_id)
    health = await identity.client.get("/health")
    identity.smtp.start()
    (message,) = await identity.mail.received(1, to=RESPONSIBLE)
    username, password = credentials_in(message)
    login = await log_in(identity, username, password)
    healed = await identity.client.get("/health")

    assert (outcome, kept) == ("handled", 1)
    smtp = health.json()["checks"]["smtp"]
    assert health.status_code == 503 and smtp["ok"] is False
    assert smtp["detail"].startswith(f"cannot reach the SMTP server at 127.0.0.1:{identity.smtp.port}")
    # The credentials and the authority's notice.
    assert smtp["detail"].endswith("; 2 credential e-mail(s) waiting to be sent")
    assert username == "gl130101" and login.status_code == 200
    assert healed.json()["checks"]["smtp"] == {"ok": True, "detail": "ok"}


async def test_credentials_and_revocations_cannot_be_changed_or_deleted_even_in_sql(identity):
    district = Jurisdiction(ally_type="GOBIERNO_LOCAL", ubigeo="110101")
    for event in (approval(district), approval(district)):
        await identity.deliver(wrap(event, key=str(event.request_id)))

    refused = []
    for sql in (
        "update credentials set password_hash = 'x' where ubigeo = '110101'",
        "delete from credentials where ubigeo = '110101'",
        "truncate credentials cascade",
        "update credential_revocations set reason = 'x'",
        "delete from credential_revocations",
    ):
        with pytest.raises(asyncpg.RaiseError) as error:
            await identity.pool.execute(sql)
        refused.append(error.value.message)
    count = await identity.pool.fetchval("select count(*) from credentials where ubigeo = '110101'")

    assert refused[0] == "credentials are immutable: UPDATE refused"
    assert refused[1] == "credentials are immutable: DELETE refused"
    assert refused[2].startswith("credential") and refused[2].endswith("TRUNCATE refused")
    assert refused[3:] == [
        "credential revocations are immutable: UPDATE refused",
        "credential revocations are immutable: DELETE refused",
    ]
    assert count == 2


async def test_an_unknown_user_and_a_wrong_password_get_the_same_answer_in_similar_time(identity):
    event = approval(Jurisdiction(ally_type="GOBIERNO_LOCAL", ubigeo="120101"))
    await identity.deliver(wrap(event, key=str(event.request_id)))
    username, _ = credentials_in((await identity.mail.received(1, to=RESPONSIBLE))[0])

    async def timed(name: str) -> tuple[float, object]:
        started = time.perf_counter()
        response = await log_in(identity, name, "Clave-equivocada-99")
        return time.perf_counter() - started, (response.status_code, response.content)

    unknown = [await timed("gl999999") for _ in range(3)]
    wrong = [await timed(username) for _ in range(3)]

    answers = {answer for _, answer in unknown + wrong}
    assert len(answers) == 1
    ((status, body),) = answers
    assert (status, json.loads(body)) == (401, REFUSED)
    fastest_unknown, fastest_wrong = min(t for t, _ in unknown), min(t for t, _ in wrong)
    assert 0.5 < fastest_unknown / fastest_wrong < 2.0


async def test_the_demo_evaluator_logs_in_with_a_staff_role_and_no_jurisdiction(identity):
    response = await log_in(identity, "evaluador", DEMO_PASSWORD)
    token = response.json()["access_token"]
    introspection = (await identity.client.post("/auth/introspect", json={"token": token})).json()
    admin = await log_in(identity, "admin", DEMO_PASSWORD)

    assert response.status_code == 200 and admin.status_code == 200
    assert introspection["active"] is True
    assert introspection["claims"]["role"] == "EVALUATOR"
    assert "ubigeo" not in introspection["claims"] and "ally_type" not in introspection["claims"]


async def test_the_demo_ctvc_token_carries_its_region_and_the_demo_analyst_token_its_unit(identity):
    verifier = await jwks_verifier(identity)
    ctvc = await log_in(identity, "ctvc", DEMO_PASSWORD)
    analyst = await log_in(identity, "analista", DEMO_PASSWORD)
    ctvc_claims = verifier.verify(ctvc.json()["access_token"])
    analyst_claims = verifier.verify(analyst.json()["access_token"])
    seen = (await identity.client.post("/auth/introspect", json={"token": analyst.json()["access_token"]})).json()

    assert (ctvc_claims.role, ctvc_claims.ubigeo, ctvc_claims.unit) == ("CTVC", "09", None)
    assert (analyst_claims.role, analyst_claims.unit, analyst_claims.ubigeo) == ("ANALYST", "UAC", None)
    assert seen["active"] is True and seen["claims"]["unit"] == "UAC" and "ubigeo" not in seen["claims"]


async def test_a_forged_or_garbled_token_is_inactive(identity):
    response = await identity.client.post("/auth/introspect", json={"token": "not.a.token"})

    assert response.json() == {"active": False}


async def test_a_login_without_a_password_is_refused_naming_the_field_and_a_body_not_in_json_is_a_400(identity):
    missing = await identity.client.post("/auth/login", json={"username": "evaluador"})
    json_type = {"content-type": "application/json"}
    garbled = await identity.client.post("/auth/login", content=b"{username", headers=json_type)

    assert (missing.status_code, missing.json()) == (
        422,
        {"detail": "Faltan datos en el formulario.", "errors": {"password": "Este dato es obligatorio."}},
    )
    assert (garbled.status_code, garbled.json()) == (400, {"detail": "El cuerpo de la solicitud no es JSON válido."})


async def test_a_token_that_is_not_a_text_is_refused_naming_the_field(identity):
    response = await identity.client.post("/auth/introspect", json={"token": 5})

    assert (response.status_code, response.json()) == (
        422,
        {"detail": "Hay datos con un formato no válido.", "errors": {"token": "Debe ser un texto."}},
    )


def access_request(jurisdiction: Jurisdiction, authority_dni: str, attempt: int = 1) -> AccessRequested:
    return AccessRequested(
        request_id=uuid.uuid4(),
        code="SOL-2025-000077",
        attempt=attempt,
        jurisdiction=jurisdiction,
        authority=Person(dni=authority_dni, names="QUISPE MAMANI, JUAN"),
        authority_role="ALCALDE",
        responsible=Responsible(
            dni="10055184", names="APAZA YAURI, EDGAR ALEX", office="OMAPED", position="Jefe", email="e@example.pe"
        ),
    )


async def verified(identity: Identity, request: AccessRequested) -> AuthorityVerified:
    await identity.deliver(wrap(request, key=str(request.request_id)))
    (row,) = await identity.pool.fetch(
        "select body from outbox where key = $1 and type = 'AuthorityVerified'", str(request.request_id)
    )
    return read(row["body"])[1]


async def test_a_request_proposed_by_the_mayor_in_office_is_verified_as_a_match(identity):
    mayor = FileAuthorityRegister().current("ALCALDE", "090201", TODAY)
    request = access_request(Jurisdiction(ally_type="GOBIERNO_LOCAL", ubigeo="090201"), mayor.dni, attempt=2)

    event = await verified(identity, request)
    stored = await identity.pool.fetchrow(
        "select attempt, result, reason from authority_checks where request_id = $1", request.request_id
    )

    assert (event.result, event.attempt, event.register, event.period) == (
        "MATCH",
        2,
        "JNE (registro sintético)",
        "2023-2026",
    )
    assert (stored["attempt"], stored["result"], stored["reason"]) == (2, "MATCH", event.reason)


async def test_a_request_naming_the_previous_governor_is_a_mismatch_whose_reason_shows_no_dni(identity):
    register = FileAuthorityRegister()
    previous = register.current("GOBERNADOR_REGIONAL", "06", date(2021, 6, 1))
    request = access_request(Jurisdiction(ally_type="GOBIERNO_REGIONAL", ubigeo="06"), previous.dni)

    event = await verified(identity, request)

    assert event.result == "MISMATCH"
    assert event.reason == (
        "El DNI registrado no corresponde al gobernador regional vigente de Cajamarca (periodo 2023-2026)."
    )
    assert previous.dni not in event.reason


async def test_a_request_for_an_entity_missing_from_the_register_is_not_found(identity):
    request = access_request(Jurisdiction(ally_type="OTRO_ALIADO", entity_ruc="20131312955"), "12345678")

    event = await verified(identity, request)

    assert event.result == "NOT_FOUND"
    assert event.reason == "No hay una autoridad registrada para la entidad con RUC 20131312955 (periodo 2023-2026)."


# Staff accounts created by an administrator ------------------------------------


async def bearer_of(identity: Identity, username: str, password: str = DEMO_PASSWORD) -> dict[str, str]:
    token = (await log_in(identity, username, password)).json()["access_token"]
    return {"authorization": f"Bearer {token}"}


CTVC_DRAFT = {"role": "CTVC", "full_name": "Rosa Rojas Huamán", "email": "rosa.rojas@example.pe", "region": "09"}


async def test_an_admin_creates_a_ctvc_account_whose_password_is_mailed_once_and_logs_in_with_its_region(identity):
    admin = await bearer_of(identity, "admin")

    created = await identity.client.post("/staff-accounts", json=CTVC_DRAFT, headers=admin)
    (message,) = await identity.mail.received(1)
    username, password = credentials_in(message)
    login = await log_in(identity, username, password)
    claims = (await jwks_verifier(identity)).verify(login.json()["access_token"])
    listed = (await identity.client.get("/staff-accounts", headers=admin)).json()
    body = created.json()

    assert created.status_code == 201
    # The session's database is shared by its tests: another may have taken the plain name first.
    assert body["username"] == username and re.fullmatch(r"ctvc\.huancavelica\d*", username)
    assert (body["role"], body["region"], body["unit"], body["full_name"]) == ("CTVC", "09", None, "Rosa Rojas Huamán")
    assert password not in created.text and password not in json.dumps(listed)
    assert "password_hash" not in created.text and "argon2" not in json.dumps(listed)
    assert identity.mail.recipients == [["rosa.rojas@example.pe"]]
    text = message.get_content()
    assert "región Huancavelica" in text and "solo en este correo" in text and "https://aliados.contigo.example" in text
    assert login.status_code == 200 and (claims.role, claims.ubigeo, claims.unit) == ("CTVC", "09", None)
    assert {"ctvc", username} <= {a["username"] for a in listed if a["role"] == "CTVC"}
    async with identity.pool.acquire() as conn:
        letters = await conn.fetchval(
            "select count(*) from mail_outbox where staff_id = $1", uuid.UUID(body["staff_id"])
        )
    assert letters == 1
    await asyncio.sleep(0.3)
    assert len(identity.mail.messages) == 1


async def test_a_second_account_of_the_same_name_gets_a_number_and_an_analyst_token_carries_its_unit(identity):
    admin = await bearer_of(identity, "admin")
    draft = {"role": "ANALYST", "full_name": "Luis Alberto Quispe Mamani", "email": "lquispe@example.pe", "unit": "UAC"}

    first = (await identity.client.post("/staff-accounts", json=draft, headers=admin)).json()
    second = (await identity.client.post("/staff-accounts", json=draft, headers=admin)).json()
    messages = await identity.mail.received(2)
    username, password = credentials_in(messages[1])
    claims = (await jwks_verifier(identity)).verify((await log_in(identity, username, password)).json()["access_token"])

    assert (first["username"], second["username"]) == ("uac.lquispe", "uac.lquispe2")
    assert (claims.role, claims.unit, claims.ubigeo) == ("ANALYST", "UAC", None)
    assert "Unidad de Acompañamiento" in messages[1].get_content()


async def test_only_an_admin_manages_staff_accounts(identity):
    for username in ("evaluador", "ctvc", "analista"):
        headers = await bearer_of(identity, username)
        create = await identity.client.post("/staff-accounts", json=CTVC_DRAFT, headers=headers)
        listing = await identity.client.get("/staff-accounts", headers=headers)
        assert (create.status_code, create.json()["detail"]) == (
            403,
            "Solo un administrador puede gestionar las cuentas del personal.",
        )
        assert listing.status_code == 403
    anonymous = await identity.client.get("/staff-accounts")

    assert anonymous.status_code == 401
    assert identity.mail.messages == []


async def test_each_bad_field_of_a_staff_account_is_refused_in_spanish_at_its_key(identity):
    admin = await bearer_of(identity, "admin")
    bad = {"role": "CTVC", "full_name": "R", "email": "no-es-correo", "region": "99", "unit": "UAC"}

    async with identity.pool.acquire() as conn:
        before = await conn.fetchval("select count(*) from staff_accounts")
    answer = await identity.client.post("/staff-accounts", json=bad, headers=admin)
    no_role = await identity.client.post("/staff-accounts", json={"role": "JEFE"}, headers=admin)
    analyst = await identity.client.post(
        "/staff-accounts", json=CTVC_DRAFT | {"role": "ANALYST", "region": None, "unit": "XYZ"}, headers=admin
    )

    assert answer.status_code == 422
    assert set(answer.json()["errors"]) == {"full_name", "email", "region", "unit"}
    assert answer.json()["errors"]["region"] == "Elija la región del CTVC."
    assert set(no_role.json()["errors"]) == {"role", "full_name", "email"}
    assert analyst.json()["errors"] == {"unit": "Elija la unidad del analista."}
    async with identity.pool.acquire() as conn:
        assert await conn.fetchval("select count(*) from staff_accounts") == before
    assert identity.mail.messages == []


async def test_a_revoked_staff_account_is_refused_at_login_and_an_admin_cannot_revoke_itself(identity):
    admin = await bearer_of(identity, "admin")
    draft = CTVC_DRAFT | {"region": "12", "email": "ctvc.junin@example.pe"}
    body = (await identity.client.post("/staff-accounts", json=draft, headers=admin)).json()
    (message,) = await identity.mail.received(1)
    username, password = credentials_in(message)
    token = (await log_in(identity, username, password)).json()["access_token"]
    listed = (await identity.client.get("/staff-accounts", headers=admin)).json()
    admin_id = next(a["staff_id"] for a in listed if a["username"] == "admin")

    revoked = await identity.client.post(
        f"/staff-accounts/{body['staff_id']}/revoke", json={"reason": "Dejó de integrar el CTVC."}, headers=admin
    )
    no_reason = await identity.client.post(f"/staff-accounts/{body['staff_id']}/revoke", json={}, headers=admin)
    itself = await identity.client.post(
        f"/staff-accounts/{admin_id}/revoke", json={"reason": "Me revoco a mí mismo."}, headers=admin
    )
    login = await log_in(identity, username, password)
    seen = (await identity.client.post("/auth/introspect", json={"token": token})).json()
    after = {a["username"]: a for a in (await identity.client.get("/staff-accounts", headers=admin)).json()}

    assert revoked.status_code == 200 and revoked.json()["revoked_reason"] == "Dejó de integrar el CTVC."
    assert no_reason.status_code == 422 and "reason" in no_reason.json()["errors"]
    assert (itself.status_code, itself.json()["detail"]) == (409, "Un administrador no puede revocar su propia cuenta.")
    assert (login.status_code, login.json()) == (401, REFUSED)
    assert seen == {"active": False}
    assert after[username]["revoked_at"] and after[username]["revoked_reason"] == "Dejó de integrar el CTVC."
    assert after["admin"].get("revoked_at") is None


# Guessed passwords ---------------------------------------------------------------


async def new_ally(identity: Identity, ubigeo: str) -> tuple[str, str]:
    """A fresh ally account of its own (no other test guesses its password): its username and password."""
    event = approval(Jurisdiction(ally_type="GOBIERNO_LOCAL", ubigeo=ubigeo))
    before = len([m for m in identity.mail.messages if m["To"] == RESPONSIBLE])
    await identity.deliver(wrap(event, key=str(event.request_id)))
    return credentials_in((await identity.mail.received(before + 1, to=RESPONSIBLE))[before])


def answer(response: httpx.Response) -> tuple[int, object]:
    return response.status_code, response.json()


async def test_five_wrong_passwords_lock_the_account_a_minute_even_for_the_right_one_with_the_same_answer(identity):
    username, password = await new_ally(identity, "150101")

    wrong = [answer(await log_in(identity, username, "Clave-equivocada-99")) for _ in range(5)]
    right_while_locked = await log_in(identity, username, password)
    unknown = await log_in(identity, "gl000000", password)
    identity.clock.advance(seconds=59)
    still_locked = await log_in(identity, username, password)
    identity.clock.advance(seconds=1)
    after_the_minute = await log_in(identity, username, password)

    assert wrong == [(401, REFUSED)] * 5
    assert answer(right_while_locked) == answer(unknown) == answer(still_locked) == (401, REFUSED)
    assert right_while_locked.content == unknown.content
    assert after_the_minute.status_code == 200


async def test_each_failure_after_the_lock_doubles_the_wait_and_the_lock_is_kept_in_the_database(identity):
    username, password = await new_ally(identity, "150102")
    for _ in range(5):
        await log_in(identity, username, "Clave-equivocada-99")
    identity.clock.advance(minutes=1)

    sixth = await log_in(identity, username, "Clave-equivocada-99")
    identity.clock.advance(minutes=1, seconds=59)
    before_two_minutes = await log_in(identity, username, password)
    guard = await identity.pool.fetchrow(
        "select g.failures, g.locked_until - g.last_failure_at as wait from login_guards g"
        " join credentials c on g.key = c.account_id::text where g.kind = 'account' and c.username = $1",
        username,
    )
    identity.clock.advance(seconds=1)
    after_two_minutes = await log_in(identity, username, password)

    assert sixth.status_code == 401 and before_two_minutes.status_code == 401
    assert (guard["failures"], guard["wait"]) == (6, timedelta(minutes=2))
    assert after_two_minutes.status_code == 200


async def test_twenty_failures_from_one_address_lock_it_for_every_account_but_not_other_addresses(identity):
    username, password = await new_ally(identity, "150103")
    guesser, neighbour = f"198.51.100.{uuid.uuid4().int % 250}", "203.0.113.200"

    for n in range(20):
        await log_in(identity, f"gl{n:06d}", "Clave-equivocada-99", address=guesser)
    from_the_guesser = await log_in(identity, username, password, address=f"10.0.0.1, {guesser}")
    from_elsewhere = await log_in(identity, username, password, address=neighbour)

    assert answer(from_the_guesser) == (401, REFUSED)
    assert from_elsewhere.status_code == 200


async def test_an_admin_unlocks_an_account_so_its_right_password_works_at_once_and_no_one_else_may(identity):
    username, password = await new_ally(identity, "150104")
    for _ in range(5):
        await log_in(identity, username, "Clave-equivocada-99")
    admin, evaluator = await bearer_of(identity, "admin"), await bearer_of(identity, "evaluador")

    by_evaluator = await identity.client.post(f"/accounts/{username}/unlock", headers=evaluator)
    anonymous = await identity.client.post(f"/accounts/{username}/unlock")
    unknown = await identity.client.post("/accounts/gl000000/unlock", headers=admin)
    still_locked = await log_in(identity, username, password)
    unlocked = await identity.client.post(f"/accounts/{username}/unlock", headers=admin)
    login = await log_in(identity, username, password)

    assert (by_evaluator.status_code, anonymous.status_code) == (403, 401)
    assert answer(unknown) == (404, {"detail": "No existe una cuenta con ese usuario."})
    assert still_locked.status_code == 401
    assert answer(unlocked) == (200, {"username": username, "failures_cleared": 5})
    assert login.status_code == 200


async def test_every_attempt_is_in_the_login_audit_without_its_password_or_the_username_typed(identity):
    username, password = await new_ally(identity, "150105")
    typed_dni = "40770011"
    address = "192.0.2.45"

    await log_in(identity, typed_dni, "Clave-equivocada-99", address=address)
    await log_in(identity, username, "Clave-equivocada-99", address=address)
    await log_in(identity, username, password, address=address)
    for _ in range(5):
        await log_in(identity, username, "Clave-equivocada-99", address=address)
    await log_in(identity, username, password, address=address)
    account_id = await identity.pool.fetchval("select account_id from credentials where username = $1", username)
    rows = await identity.pool.fetch("select * from login_audit where address = $1 order by seq", address)
    dumped = json.dumps([{k: str(v) for k, v in r.items()} for r in rows])
    with pytest.raises(asyncpg.RaiseError):
        await identity.pool.execute("delete from login_audit where address = $1", address)

    assert [r["outcome"] for r in rows] == ["unknown", "wrong", "ok"] + ["wrong"] * 5 + ["locked"]
    assert rows[0]["account_id"] is None and rows[0]["role"] is None
    assert {r["account_id"] for r in rows[1:]} == {account_id} and {r["role"] for r in rows[1:]} == {"ALLY"}
    assert len({r["username_hmac"] for r in rows[1:]}) == 1 and rows[0]["username_hmac"] != rows[1]["username_hmac"]
    assert typed_dni not in dumped and username not in dumped and password not in dumped


# Rotating the token key ------------------------------------------------------------


@contextlib.asynccontextmanager
async def restarted(identity: Identity) -> AsyncIterator[httpx.AsyncClient]:
    """Identity started again on the same settings (its key folder included), as after an operator's restart."""
    broker = KafkaBroker("in-memory")
    app = create_app(identity.settings, broker, own_broker=False, clock=identity.clock)
    async with running(app, broker) as client:
        yield client


async def test_a_token_from_before_a_rotation_still_validates_and_a_second_rotation_drops_the_oldest_key(identity):
    from contigo.cli import main as contigo

    key_file = identity.settings.token_key_file
    before = (await log_in(identity, "evaluador", DEMO_PASSWORD)).json()["access_token"]
    (first_kid,) = [k["kid"] for k in (await identity.client.get("/.well-known/jwks.json")).json()["keys"]]
    services_verifier = Verifier.from_file(public_path(Path(key_file)))  # as access, padrón and cases build it

    rotated = contigo(["rotate-keys", "--key-file", key_file])
    async with restarted(identity) as client:
        once = [k["kid"] for k in (await client.get("/.well-known/jwks.json")).json()["keys"]]
        old_token = (await client.post("/auth/introspect", json={"token": before})).json()
        login = await client.post("/auth/login", json={"username": "evaluador", "password": DEMO_PASSWORD})
        after = login.json()["access_token"]
    services_verifier.RELOAD_EVERY_S = 0.0
    seen_by_services = [services_verifier.verify(t).username for t in (before, after)]
    rotated_again = contigo(["rotate-keys", "--key-file", key_file])
    async with restarted(identity) as client:
        twice = [k["kid"] for k in (await client.get("/.well-known/jwks.json")).json()["keys"]]
        oldest_token = (await client.post("/auth/introspect", json={"token": before})).json()
        previous_token = (await client.post("/auth/introspect", json={"token": after})).json()

    assert (rotated, rotated_again) == (0, 0)
    assert len(once) == 2 and once[1] == first_kid
    assert old_token["active"] is True and old_token["claims"]["username"] == "evaluador"
    assert seen_by_services == ["evaluador", "evaluador"]
    assert len(twice) == 2 and first_kid not in twice and twice[1] == once[0]
    assert oldest_token == {"active": False}
    assert previous_token["active"] is True
    with pytest.raises(TokenError):
        services_verifier.verify(before)


async def test_a_lock_survives_a_restart_of_identity(identity):
    username, password = await new_ally(identity, "150106")
    for _ in range(5):
        await log_in(identity, username, "Clave-equivocada-99")

    async with restarted(identity) as client:
        after_restart = await client.post("/auth/login", json={"username": username, "password": password})
        identity.clock.advance(minutes=1)
        a_minute_later = await client.post("/auth/login", json={"username": username, "password": password})

    assert answer(after_restart) == (401, REFUSED)
    assert a_minute_later.status_code == 200

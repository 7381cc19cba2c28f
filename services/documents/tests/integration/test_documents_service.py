"""The documents service on real PostgreSQL and MinIO: DDC rendering from AccessRequested,
uploads through the HTTP API, and the public verification of a code.

The bus is FastStream's in-memory broker (as in the embedded run): what is checked here is
what documents does with an event and what it writes to its outbox, not Kafka delivery.
The app runs on the test's own event loop (the service host's lifespan, then httpx's ASGI
transport), so the test can share the service's pool; Litestar's AsyncTestClient would run it on
a loop of its own, and Litestar's own lifespan holds an anyio task group that a module fixture
cannot close from another task.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import msgspec
import pytest
from faststream.kafka import KafkaBroker, TestKafkaBroker
from minio import Minio

from contracts import Envelope, decode, encode, topics
from contracts.events import AccessRequested, DDCGenerated, DDCUploaded, Jurisdiction, Person, Responsible
from documents.app import create_app
from documents.config import Settings
from eventkit.messages import wrap

pytestmark = pytest.mark.integration


@dataclass
class Running:
    client: httpx.AsyncClient
    broker: KafkaBroker
    pool: Any
    minio: Minio
    bucket: str

    async def announce(self, envelope: Envelope) -> None:
        await self.broker.publish(encode(envelope), topic=topics.ACCESS_REQUEST, key=envelope.key.encode())

    def objects(self) -> list[str]:
        return sorted(o.object_name for o in self.minio.list_objects(self.bucket, recursive=True))

    async def outbox(self, event_type: str, request_id: uuid.UUID) -> list[Any]:
        rows = await self.pool.fetch(
            "select body from outbox where type = $1 and key = $2 order by seq", event_type, str(request_id)
        )
        spec = DDCGenerated if event_type == "DDCGenerated" else DDCUploaded
        return [msgspec.json.decode(decode(bytes(r["body"])).payload, type=spec) for r in rows]

    async def count(self, table: str, request_id: uuid.UUID) -> int:
        return await self.pool.fetchval(f"select count(*) from {table} where request_id = $1", request_id)


@pytest.fixture(scope="module")
async def running(servers, database_url) -> AsyncIterator[Running]:
    minio = Minio(servers.s3_endpoint, access_key=servers.s3_access_key, secret_key=servers.s3_secret_key, secure=False)
    bucket = f"test-documents-{uuid.uuid4().hex[:10]}"
    minio.make_bucket(bucket)
    settings = Settings(
        database_url=database_url,
        s3_endpoint=servers.s3_endpoint,
        s3_access_key=servers.s3_access_key,
        s3_secret_key=servers.s3_secret_key,
        s3_bucket=bucket,
        public_url="https://aliados.example.pe",
    )
    broker = KafkaBroker("documents-test", logger=None)
    app = create_app(settings, broker, own_broker=False)
    host = app.state.host
    transport = httpx.ASGITransport(app=app)
    async with (
        TestKafkaBroker(broker),
        host.lifespan(),
        httpx.AsyncClient(transport=transport, base_url="http://documents") as client,
    ):
        await host.wait_ready(60)
        yield Running(client, broker, host.pool, minio, bucket)


def requested(ally_type: str = "GOBIERNO_LOCAL", attempt: int = 1, request_id: uuid.UUID | None = None) -> Envelope:
    request_id = request_id or uuid.uuid4()
    event = AccessRequested(
        request_id=request_id,
        code=f"SA-2026-{request_id.hex[:6].upper()}",
        attempt=attempt,
        jurisdiction=Jurisdiction(ally_type=ally_type, ubigeo="090101")
        if ally_type != "OTRO_ALIADO"
        else Jurisdiction(ally_type=ally_type, entity_name="CONADIS", entity_ruc="20433270461"),
        authority=Person(dni="40123456", names="Juan Ñahui Pérez"),
        authority_role="Alcalde",
        responsible=Responsible(
            dni="45678912", names="María Quispe", office="OMAPED", position="Jefa", email="mquispe@example.pe"
        ),
    )
    return wrap(event, key=str(request_id))


async def test_an_access_request_gets_its_ddc_in_minio_and_announced_once(running):
    envelope = requested()
    request_id = uuid.UUID(envelope.key)

    await running.announce(envelope)
    await running.announce(envelope)
    await running.announce(requested(request_id=request_id))

    generated = await running.outbox("DDCGenerated", request_id)
    assert len(generated) == 1
    assert generated[0].attempt == 1
    assert generated[0].object_key == f"sha256/{generated[0].sha256}.pdf"
    assert generated[0].object_key in running.objects()
    assert await running.count("documents", request_id) == 1
    response = await running.client.get(f"/requests/{request_id}/ddc", params={"attempt": 1})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    code = envelope_code(envelope)
    assert response.headers["content-disposition"] == f'attachment; filename="DDC-{code}.pdf"'
    assert response.content.startswith(b"%PDF-")
    stored = running.minio.get_object(running.bucket, generated[0].object_key)
    try:
        assert stored.read() == response.content
    finally:
        stored.close()
        stored.release_conn()


def envelope_code(envelope: Envelope) -> str:
    return msgspec.json.decode(envelope.payload, type=AccessRequested).code


async def test_a_resubmission_renders_a_new_ddc_and_the_download_of_the_new_attempt_gives_it(running):
    first = requested()
    request_id = uuid.UUID(first.key)
    await running.announce(first)
    await running.announce(requested(attempt=2, request_id=request_id))

    response = await running.client.get(f"/requests/{request_id}/ddc", params={"attempt": 2})
    previous = await running.client.get(f"/requests/{request_id}/ddc", params={"attempt": 1})

    generated = await running.outbox("DDCGenerated", request_id)
    assert [g.attempt for g in generated] == [1, 2]
    assert response.status_code == 200
    assert hashlib.sha256(response.content).hexdigest() == generated[1].sha256
    assert previous.status_code == 409
    assert previous.json() == {
        "detail": "La solicitud fue enviada de nuevo y tiene un DDC nuevo; descárguelo de nuevo."
    }


async def test_a_ddc_not_generated_yet_is_a_409_that_says_so(running):
    response = await running.client.get(f"/requests/{uuid.uuid4()}/ddc", params={"attempt": 1})

    assert response.status_code == 409
    assert response.json() == {
        "detail": "El DDC de esta solicitud aún se está generando; intente nuevamente en unos segundos."
    }


async def test_the_previous_ddc_is_never_served_for_a_new_attempt_documents_has_not_heard_of(running):
    first = requested()
    request_id = uuid.UUID(first.key)
    await running.announce(first)

    response = await running.client.get(f"/requests/{request_id}/ddc", params={"attempt": 2})

    assert response.status_code == 409
    assert response.json() == {
        "detail": "El DDC de la solicitud corregida aún se está generando; intente nuevamente en unos segundos."
    }


async def upload(running: Running, request_id: uuid.UUID, data: bytes, kind: str = "DDC_SIGNED", attempt: int = 1):
    return await running.client.post(
        f"/requests/{request_id}/documents",
        params={"kind": kind, "attempt": attempt},
        files={"file": ("ddc-firmado.pdf", data, "application/pdf")},
    )


async def test_an_upload_for_a_new_attempt_whose_ddc_is_not_generated_yet_is_refused_and_nothing_is_stored(
    running, samples
):
    first = requested()
    request_id = uuid.UUID(first.key)
    await running.announce(first)
    data = samples.plain(f"DDC corregido {request_id}")
    objects = running.objects()

    response = await upload(running, request_id, data, attempt=2)

    assert response.status_code == 409
    assert response.json() == {
        "detail": "El DDC de la solicitud corregida aún se está generando; descárguelo de nuevo y súbalo firmado."
    }
    assert running.objects() == objects
    assert await running.count("uploads", request_id) == 0
    assert await running.outbox("DDCUploaded", request_id) == []


async def test_a_signed_ddc_upload_is_stored_recorded_and_announced(running, samples):
    envelope = requested()
    request_id = uuid.UUID(envelope.key)
    await running.announce(envelope)
    data = samples.signed()

    response = await upload(running, request_id, data)

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"upload_id", "kind", "sha256", "size", "digitally_signed", "signer", "intact", "warning"}
    assert body["kind"] == "DDC_SIGNED"
    assert body["size"] == len(data)
    assert (body["digitally_signed"], body["signer"], body["intact"]) == (True, samples.signer_name, True)
    assert f"sha256/{body['sha256']}.pdf" in running.objects()
    uploaded = await running.outbox("DDCUploaded", request_id)
    assert len(uploaded) == 1
    assert (uploaded[0].attempt, uploaded[0].sha256, uploaded[0].signer) == (1, body["sha256"], samples.signer_name)
    assert await running.count("uploads", request_id) == 1


async def test_the_same_file_uploaded_twice_reuses_its_object(running, samples):
    envelope = requested()
    request_id = uuid.UUID(envelope.key)
    await running.announce(envelope)
    data = samples.plain(f"DDC escaneado {request_id}")
    await upload(running, request_id, data)
    objects = running.objects()

    response = await upload(running, request_id, data)

    assert response.status_code == 201
    assert running.objects() == objects
    assert await running.count("uploads", request_id) == 2


@pytest.mark.parametrize(
    ("sample", "status", "detail"),
    [
        ("renamed_text", 422, "El archivo no es un PDF válido."),
        ("encrypted", 422, "El PDF está protegido con contraseña o cifrado; súbalo sin protección."),
        ("javascript_on_open", 422, "El PDF contiene JavaScript y no se acepta por seguridad."),
        ("with_attachment", 422, "El PDF contiene archivos incrustados y no se acepta."),
        ("eleven_megabytes", 413, "El archivo supera el límite de 10 MB."),
        ("just_past_the_limit", 413, "El archivo supera el límite de 10 MB."),
    ],
)
async def test_a_bad_file_is_refused_with_its_reason_and_nothing_is_stored(running, samples, sample, status, detail):
    envelope = requested()
    request_id = uuid.UUID(envelope.key)
    await running.announce(envelope)
    data = {
        "renamed_text": "Acta de sesión de concejo\nFirmado: el alcalde\n".encode,
        "encrypted": samples.encrypted,
        "javascript_on_open": samples.javascript_on_open,
        "with_attachment": samples.with_attachment,
        "eleven_megabytes": lambda: samples.oversized(11 * 1024 * 1024),
        "just_past_the_limit": lambda: samples.plain() + b" " * (10 * 1024 * 1024),
    }[sample]()
    objects = running.objects()

    response = await upload(running, request_id, data)

    assert response.status_code == status
    assert response.json()["detail"] == detail
    assert running.objects() == objects
    assert await running.count("uploads", request_id) == 0
    assert await running.outbox("DDCUploaded", request_id) == []


async def test_a_designation_document_from_a_municipality_is_refused(running, samples):
    envelope = requested("GOBIERNO_LOCAL")
    request_id = uuid.UUID(envelope.key)
    await running.announce(envelope)

    response = await upload(running, request_id, samples.plain("Designación"), kind="DESIGNATION")

    assert response.status_code == 422
    assert response.json()["detail"] == "Solo los otros aliados (OTRO_ALIADO) presentan el documento de designación."
    assert await running.count("uploads", request_id) == 0


async def test_an_upload_for_an_unknown_request_or_of_an_unknown_kind_is_refused(running, samples):
    unknown = await upload(running, uuid.uuid4(), samples.plain())
    bad_kind = await upload(running, uuid.uuid4(), samples.plain(), kind="FOTO")

    assert (unknown.status_code, unknown.json()) == (404, {"detail": "Solicitud no encontrada."})
    assert bad_kind.status_code == 422
    assert bad_kind.json()["errors"] == {
        "kind": "Indique el tipo de documento: DDC_SIGNED (DDC firmado) o DESIGNATION (documento de designación)."
    }


async def test_anyone_can_verify_a_ddc_by_its_code_typed_loosely(running):
    envelope = requested()
    request_id = uuid.UUID(envelope.key)
    await running.announce(envelope)
    generated = (await running.outbox("DDCGenerated", request_id))[0]
    typed = generated.verification_code.lower().replace("-", " ")

    response = await running.client.get(f"/verify/{typed}")

    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in ("kind", "signed", "downloadable", "number")} == {
        "kind": "DDC",
        "signed": False,
        "downloadable": False,
        "number": None,
    }
    assert body["code"] == generated.verification_code
    assert body["document"] == "Documento de Declaración de Confidencialidad (DDC)"
    assert body["request_code"] == envelope_code(envelope)
    assert body["sha256"] == generated.sha256


async def test_an_unknown_verification_code_is_a_404_naming_it(running):
    response = await running.client.get("/verify/ZZZZ-ZZZZ-ZZZZ")

    assert response.status_code == 404
    assert response.json() == {"detail": "No existe un documento con el código ZZZZ-ZZZZ-ZZZZ."}


async def test_an_evaluator_sees_the_last_signed_ddc_uploaded_for_the_attempt_as_a_pdf(running, samples):
    envelope = requested()
    request_id = uuid.UUID(envelope.key)
    await running.announce(envelope)
    await upload(running, request_id, samples.plain(f"Primer escaneo {request_id}"))
    last = samples.signed(samples.plain(f"DDC firmado {request_id}"))
    await upload(running, request_id, last)

    response = await running.client.get(f"/requests/{request_id}/documents/DDC_SIGNED", params={"attempt": 1})

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert (
        response.headers["content-disposition"]
        == f'inline; filename="DDC-firmado-SA-2026-{request_id.hex[:6].upper()}.pdf"'
    )
    assert hashlib.sha256(response.content).hexdigest() == hashlib.sha256(last).hexdigest()


async def test_a_document_not_uploaded_for_the_attempt_is_a_404_that_names_it(running, samples):
    envelope = requested("OTRO_ALIADO")
    request_id = uuid.UUID(envelope.key)
    await running.announce(envelope)
    await upload(running, request_id, samples.plain(f"DDC {request_id}"))

    designation = await running.client.get(f"/requests/{request_id}/documents/DESIGNATION", params={"attempt": 1})
    other_attempt = await running.client.get(f"/requests/{request_id}/documents/DDC_SIGNED", params={"attempt": 2})
    unknown = await running.client.get(f"/requests/{uuid.uuid4()}/documents/DDC_SIGNED", params={"attempt": 1})

    assert (designation.status_code, designation.json()) == (
        404,
        {"detail": "La solicitud no tiene un documento de designación subido en su intento vigente."},
    )
    assert (other_attempt.status_code, other_attempt.json()) == (
        404,
        {"detail": "La solicitud no tiene un DDC firmado subido en su intento vigente."},
    )
    assert (unknown.status_code, unknown.json()) == (404, {"detail": "Solicitud no encontrada."})


async def test_viewing_an_upload_needs_a_known_kind_and_the_attempt(running):
    request_id = uuid.uuid4()

    bad_kind = await running.client.get(f"/requests/{request_id}/documents/FOTO", params={"attempt": 1})
    no_attempt = await running.client.get(f"/requests/{request_id}/documents/DDC_SIGNED")

    assert bad_kind.status_code == 422 and "kind" in bad_kind.json()["errors"]
    assert no_attempt.status_code == 422 and "attempt" in no_attempt.json()["errors"]


async def test_every_upload_is_kept_as_a_version_and_the_evaluator_can_open_the_one_access_counted(running, samples):
    envelope = requested()
    request_id = uuid.UUID(envelope.key)
    await running.announce(envelope)
    first_file = samples.plain(f"Primer escaneo {request_id}")
    first = (await upload(running, request_id, first_file)).json()
    signed = samples.signed(samples.plain(f"Monto autorizado: 100 {request_id}"))
    broken = await upload(running, request_id, signed.replace(b"Monto autorizado: 100", b"Monto autorizado: 900"))

    versions = await running.client.get(f"/requests/{request_id}/uploads")
    chosen = await running.client.get(
        f"/requests/{request_id}/documents/DDC_SIGNED", params={"attempt": 1, "sha256": first["sha256"]}
    )
    bad = await running.client.get(
        f"/requests/{request_id}/documents/DDC_SIGNED", params={"attempt": 1, "sha256": "abc"}
    )
    unknown = await running.client.get(f"/requests/{uuid.uuid4()}/uploads")

    assert first["warning"] is None
    assert broken.status_code == 201
    assert broken.json()["intact"] is False
    assert broken.json()["warning"].startswith("Se recibió el archivo, pero su firma digital no es válida")
    assert [(v["sha256"], v["intact"]) for v in versions.json()] == [
        (first["sha256"], None),
        (broken.json()["sha256"], False),
    ]
    assert versions.json()[0]["uploaded_at"] <= versions.json()[1]["uploaded_at"]
    assert hashlib.sha256(chosen.content).hexdigest() == first["sha256"] == hashlib.sha256(first_file).hexdigest()
    assert bad.status_code == 422 and "sha256" in bad.json()["errors"]
    assert (unknown.status_code, unknown.json()) == (404, {"detail": "Solicitud no encontrada."})

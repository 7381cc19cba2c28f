"""Use cases of documents with a fake repository and a folder store: one DDC per attempt, checked uploads."""

from __future__ import annotations

import asyncio
import io
import uuid
from uuid import UUID

import pikepdf
import pytest

from contracts import Event
from contracts.events import AccessRequested, DDCGenerated, DDCUploaded, Jurisdiction, Person, Responsible
from documents import handlers
from documents.adapters.pdfcheck import inspect_pdf
from documents.adapters.render import render_ddc
from documents.adapters.storage import FolderStore
from documents.domain import (
    DDC_UNSIGNED,
    AttemptSupersededError,
    DDCNotReadyError,
    IssuedDocument,
    KnownRequest,
    PdfRefusedError,
    UnknownCodeError,
    UnknownRequestError,
    Upload,
    UploadNotAllowedError,
)
from documents.handlers import Tools, UploadDocument

pytestmark = pytest.mark.unit


class FakeRepo:
    def __init__(self):
        self.requests: dict[UUID, KnownRequest] = {}
        self.documents: list[IssuedDocument] = []
        self.uploads: list[Upload] = []
        self.events: list[Event] = []

    async def remember_request(self, request: KnownRequest) -> None:
        known = self.requests.get(request.request_id)
        if known is None or known.attempt < request.attempt:
            self.requests[request.request_id] = request

    async def get_request(self, request_id: UUID) -> KnownRequest | None:
        return self.requests.get(request_id)

    async def lock_request(self, request_id: UUID) -> KnownRequest | None:
        return self.requests.get(request_id)

    async def find_ddc(self, request_id: UUID, attempt: int) -> IssuedDocument | None:
        return next((d for d in self.documents if (d.request_id, d.attempt) == (request_id, attempt)), None)

    async def add_document(self, document: IssuedDocument) -> bool:
        if await self.find_ddc(document.request_id, document.attempt):
            return False
        self.documents.append(document)
        return True

    async def find_by_code(self, code: str) -> IssuedDocument | None:
        return next((d for d in self.documents if d.verification_code == code), None)

    async def answer_document_by_code(self, code: str) -> None:
        return None  # this fake issues no CTVC answers

    async def add_upload(self, upload: Upload) -> None:
        self.uploads.append(upload)

    async def emit(self, payload: Event, *, key: str) -> None:
        self.events.append(payload)


@pytest.fixture
def repo() -> FakeRepo:
    return FakeRepo()


@pytest.fixture
def tools(tmp_path) -> Tools:
    return Tools(FolderStore(tmp_path), render_ddc, inspect_pdf, "http://127.0.0.1:8000")


def requested(ally_type: str = "GOBIERNO_LOCAL", attempt: int = 1, request_id: UUID | None = None) -> AccessRequested:
    return AccessRequested(
        request_id=request_id or uuid.uuid4(),
        code="SA-2026-000777",
        attempt=attempt,
        jurisdiction=Jurisdiction(ally_type=ally_type, ubigeo="090101")
        if ally_type != "OTRO_ALIADO"
        else Jurisdiction(ally_type=ally_type, entity_name="CONADIS", entity_ruc="20433270461"),
        authority=Person(dni="40123456", names="Juan Ñahui Pérez"),
        authority_role="Alcalde",
        responsible=Responsible(dni="45678912", names="María Quispe", office="OMAPED", position="Jefa", email="m@x.pe"),
    )


def stored(tmp_path) -> list[str]:
    return sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())


async def generated(event: AccessRequested, repo: FakeRepo, tools: Tools) -> bool:
    return await handlers.generate_ddc(event, repo, tools)


async def test_a_request_gets_one_ddc_per_attempt_however_often_it_is_announced(repo, tools, tmp_path):
    event = requested()

    first = await generated(event, repo, tools)
    again = await generated(event, repo, tools)

    assert (first, again) == (True, False)
    assert len(repo.documents) == 1
    assert [type(e) for e in repo.events] == [DDCGenerated]
    assert stored(tmp_path) == [repo.documents[0].object_key]
    assert repo.documents[0].object_key == f"sha256/{repo.documents[0].sha256}.pdf"


async def test_a_resubmission_gets_a_new_ddc_and_the_download_of_the_new_attempt_gives_it(repo, tools):
    first = requested()
    second = requested(attempt=2, request_id=first.request_id)
    await generated(first, repo, tools)
    await generated(second, repo, tools)

    ddc = await handlers.current_ddc(first.request_id, 2, repo)

    assert ddc == await repo.find_ddc(first.request_id, 2)
    assert ddc.attempt == 2
    assert [e.attempt for e in repo.events] == [1, 2]


async def test_a_late_copy_of_an_older_attempt_does_not_move_the_request_back(repo, tools):
    first = requested()
    second = requested(attempt=2, request_id=first.request_id)
    await generated(second, repo, tools)

    await generated(first, repo, tools)

    assert repo.requests[first.request_id].attempt == 2


async def test_a_ddc_not_rendered_yet_is_reported_as_still_being_generated(repo):
    with pytest.raises(DDCNotReadyError, match="intente nuevamente en unos segundos"):
        await handlers.current_ddc(uuid.uuid4(), 1, repo)


async def test_the_previous_attempts_ddc_is_never_given_for_a_new_attempt_documents_has_not_heard_of(repo, tools):
    first = requested()
    await generated(first, repo, tools)

    with pytest.raises(DDCNotReadyError, match="solicitud corregida"):
        await handlers.current_ddc(first.request_id, 2, repo)


async def test_an_attempt_sent_again_meanwhile_no_longer_gives_its_ddc(repo, tools):
    first = requested()
    await generated(first, repo, tools)
    await generated(requested(attempt=2, request_id=first.request_id), repo, tools)

    with pytest.raises(AttemptSupersededError, match=r"descárguelo de nuevo\.$"):
        await handlers.current_ddc(first.request_id, 1, repo)


async def checked(request_id: UUID, attempt: int, kind: str, data: bytes) -> UploadDocument:
    """The command the route builds once it has read and checked the file (pyHanko off this loop, as there)."""
    return UploadDocument(request_id, attempt, kind, data, await asyncio.to_thread(inspect_pdf, data))  # type: ignore[arg-type]


async def test_an_upload_for_an_attempt_whose_ddc_is_not_generated_yet_stores_and_announces_nothing(
    repo, tools, samples, tmp_path
):
    first = requested()
    await generated(first, repo, tools)
    command = await checked(first.request_id, 2, "DDC_SIGNED", samples.plain())
    before = stored(tmp_path)

    with pytest.raises(DDCNotReadyError, match="descárguelo de nuevo y súbalo firmado"):
        await handlers.upload_document(command, repo, tools.store)

    assert stored(tmp_path) == before
    assert repo.uploads == []
    assert not any(isinstance(e, DDCUploaded) for e in repo.events)


async def test_an_upload_whose_attempt_was_sent_again_before_it_is_kept_is_refused_and_not_announced(
    repo, tools, samples, tmp_path
):
    first = requested()
    await generated(first, repo, tools)
    command = await checked(first.request_id, 1, "DDC_SIGNED", samples.plain())
    await generated(requested(attempt=2, request_id=first.request_id), repo, tools)
    before = stored(tmp_path)

    with pytest.raises(AttemptSupersededError, match="súbalo firmado"):
        await handlers.upload_document(command, repo, tools.store)

    assert stored(tmp_path) == before
    assert repo.uploads == []
    assert not any(isinstance(e, DDCUploaded) for e in repo.events)


async def test_a_good_upload_is_stored_once_and_announced(repo, tools, samples, tmp_path):
    event = requested()
    await generated(event, repo, tools)
    command = await checked(event.request_id, 1, "DDC_SIGNED", samples.signed())

    upload = await handlers.upload_document(command, repo, tools.store)
    again = await handlers.upload_document(command, repo, tools.store)

    assert upload.digitally_signed and upload.intact and upload.signer == samples.signer_name
    assert again.object_key == upload.object_key
    assert stored(tmp_path).count(upload.object_key) == 1
    uploaded = [e for e in repo.events if isinstance(e, DDCUploaded)]
    assert len(uploaded) == 2
    assert uploaded[0].kind == "DDC_SIGNED" and uploaded[0].attempt == 1 and uploaded[0].size == len(command.data)


async def test_only_other_allies_upload_a_designation_document(repo, tools, samples, tmp_path):
    event = requested("GOBIERNO_LOCAL")
    await generated(event, repo, tools)
    command = await checked(event.request_id, 1, "DESIGNATION", samples.plain())
    before = stored(tmp_path)

    with pytest.raises(UploadNotAllowedError, match="Solo los otros aliados") as refused:
        await handlers.upload_document(command, repo, tools.store)

    assert refused.value.errors == {"kind": str(refused.value)}
    assert stored(tmp_path) == before
    assert repo.uploads == []


async def test_another_ally_uploads_its_designation_document(repo, tools, samples):
    event = requested("OTRO_ALIADO")
    await generated(event, repo, tools)
    command = await checked(event.request_id, 1, "DESIGNATION", samples.plain("Resolución de designación"))

    upload = await handlers.upload_document(command, repo, tools.store)

    assert upload.kind == "DESIGNATION"
    assert upload.digitally_signed is False


async def test_an_upload_for_a_request_documents_never_heard_of_is_refused(repo, tools, samples):
    with pytest.raises(UnknownRequestError):
        await handlers.upload_document(await checked(uuid.uuid4(), 1, "DDC_SIGNED", samples.plain()), repo, tools.store)


async def test_a_verification_code_is_found_however_it_was_typed(repo, tools):
    await generated(requested(), repo, tools)
    code = repo.documents[0].verification_code

    found = await handlers.verify_code(f"  {code.lower().replace('-', ' ')} ", repo)

    assert found.verification_code == code
    with pytest.raises(UnknownCodeError, match=r"^No existe un documento con el código AAAA-BBBB-CCCC\.$"):
        await handlers.verify_code("AAAA-BBBB-CCCC", repo)
    with pytest.raises(UnknownCodeError):
        await handlers.verify_code("no es un código", repo)


async def _issued_ddc(repo: FakeRepo, tools: Tools) -> tuple[AccessRequested, bytes]:
    event = requested()
    await generated(event, repo, tools)
    return event, await tools.store.get(repo.documents[-1].object_key)


async def test_the_ddc_uploaded_exactly_as_issued_is_refused_as_unsigned(repo, tools):
    event, ddc = await _issued_ddc(repo, tools)

    with pytest.raises(PdfRefusedError) as refused:
        await handlers.upload_document(await checked(event.request_id, 1, "DDC_SIGNED", ddc), repo, tools.store)

    assert refused.value.reason == DDC_UNSIGNED
    assert DDC_UNSIGNED == (
        "Este es el DDC sin firmar: imprímalo, hágalo firmar y sellar, escanéelo o fírmelo digitalmente."
    )
    assert repo.uploads == []
    assert not any(isinstance(e, DDCUploaded) for e in repo.events)


async def test_the_ddc_saved_again_unsigned_is_refused_though_its_bytes_differ(repo, tools):
    event, ddc = await _issued_ddc(repo, tools)
    resaved = io.BytesIO()
    with pikepdf.open(io.BytesIO(ddc)) as pdf:
        pdf.docinfo["/Producer"] = "Microsoft: Print To PDF"
        pdf.save(resaved, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    assert resaved.getvalue() != ddc

    with pytest.raises(PdfRefusedError, match="Este es el DDC sin firmar"):
        await handlers.upload_document(
            await checked(event.request_id, 1, "DDC_SIGNED", resaved.getvalue()), repo, tools.store
        )


async def test_the_ddc_digitally_signed_or_signed_on_screen_is_taken(repo, tools, samples):
    event, ddc = await _issued_ddc(repo, tools)
    inked = io.BytesIO()
    with pikepdf.open(io.BytesIO(ddc)) as pdf:
        ink = pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Ink, Rect=pikepdf.Array([100, 100, 300, 160]),
            InkList=pikepdf.Array([pikepdf.Array([100, 120, 200, 150, 300, 110])]),
        )  # fmt: skip
        pdf.pages[0].obj.Annots = pikepdf.Array([pdf.make_indirect(ink)])
        pdf.save(inked)

    signed = await handlers.upload_document(
        await checked(event.request_id, 1, "DDC_SIGNED", samples.signed(ddc)), repo, tools.store
    )
    on_screen = await handlers.upload_document(
        await checked(event.request_id, 1, "DDC_SIGNED", inked.getvalue()), repo, tools.store
    )

    assert signed.digitally_signed and signed.intact
    assert on_screen.digitally_signed is False
    assert len(repo.uploads) == 2

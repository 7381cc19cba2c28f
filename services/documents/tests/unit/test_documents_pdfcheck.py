"""The upload validator accepts real PDFs, records digital signatures, and refuses the rest with a reason."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from documents.adapters.pdfcheck import EMBEDDED_FILES, ENCRYPTED, JAVASCRIPT, NOT_A_PDF, inspect_pdf
from documents.domain import PdfRefusedError

pytestmark = pytest.mark.unit


def refusal(data: bytes) -> str:
    with pytest.raises(PdfRefusedError) as caught:
        inspect_pdf(data)
    return caught.value.reason


def test_a_plain_scanned_pdf_is_accepted_as_not_digitally_signed(samples):
    report = inspect_pdf(samples.plain())

    assert report.digitally_signed is False
    assert report.signer is None
    assert report.intact is None


def test_a_text_file_renamed_pdf_is_not_a_valid_pdf():
    assert refusal(b"Acta de la sesion de concejo\nfirmado: el alcalde\n") == NOT_A_PDF


def test_a_file_with_a_pdf_header_but_no_body_is_not_a_valid_pdf():
    assert refusal(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog") == NOT_A_PDF


def test_a_pdf_cut_in_half_is_not_a_valid_pdf(samples):
    data = samples.plain()

    assert refusal(data[: len(data) // 2]) == NOT_A_PDF


def test_a_password_protected_pdf_is_refused(samples):
    assert refusal(samples.encrypted()) == ENCRYPTED
    assert ENCRYPTED == "El PDF está protegido con contraseña o cifrado; súbalo sin protección."


def test_a_pdf_that_runs_javascript_when_opened_is_refused(samples):
    assert refusal(samples.javascript_on_open()) == JAVASCRIPT
    assert JAVASCRIPT == "El PDF contiene JavaScript y no se acepta por seguridad."


def test_a_pdf_with_document_level_javascript_in_its_names_tree_is_refused(samples):
    assert refusal(samples.javascript_in_names()) == JAVASCRIPT


def test_javascript_hidden_in_an_object_nothing_points_to_is_still_found(samples):
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(samples.plain())))
    action = {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1);")}
    writer._add_object(DictionaryObject(action))
    out = io.BytesIO()
    writer.write(out)

    assert refusal(out.getvalue()) == JAVASCRIPT


def test_a_pdf_with_an_embedded_file_is_refused(samples):
    assert refusal(samples.with_attachment()) == EMBEDDED_FILES
    assert EMBEDDED_FILES == "El PDF contiene archivos incrustados y no se acepta."


def test_a_digitally_signed_pdf_is_recorded_as_signed_intact_with_its_signer(samples):
    report = inspect_pdf(samples.signed())

    assert report.digitally_signed is True
    assert report.intact is True
    assert report.signer == samples.signer_name


def test_a_signed_pdf_whose_signed_bytes_were_altered_is_accepted_but_not_intact(samples):
    signed = samples.signed(samples.plain("Monto autorizado: 100"))
    tampered = signed.replace(b"Monto autorizado: 100", b"Monto autorizado: 900")
    assert tampered != signed

    report = inspect_pdf(tampered)

    assert report.digitally_signed is True
    assert report.intact is False
    assert report.signer == samples.signer_name


def test_a_signed_pdf_with_a_page_added_after_signing_is_accepted_but_not_intact(samples):
    signed = samples.signed()
    writer = PdfWriter(io.BytesIO(signed), incremental=True)
    writer.add_blank_page()
    out = io.BytesIO()
    writer.write(out)

    report = inspect_pdf(out.getvalue())

    assert report.digitally_signed is True
    assert report.intact is False

"""Each document of a CTVC answer renders whole: heading, memo block, sections, every cell's text, footer."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from contracts.events import DocumentSection, DocumentTable, ResponseDocument
from documents.adapters.case_render import render_response_document
from documents.adapters.signing import local_signing_identity, sign_pdf, signature_report

pytestmark = pytest.mark.unit

CHECK_URL = "https://aliados.contigo.gob.pe/verificar"
AT = datetime(2026, 12, 2, 14, 30, tzinfo=UTC)
MATRIX = [
    "Caso N°",
    "N° de oficio",
    "Departamento/provincia/distrito",
    "Descripción de los hechos (puntos críticos)",
    "Justificación de la conclusión (FUNDADO – INFUNDADO)",
    "Acciones de mejora de ser el caso",
]


def document(kind: str, table: DocumentTable | None = None) -> ResponseDocument:
    return ResponseDocument(
        kind=kind,
        number="INFORME N° 000308-2022-MIDIS/PNPDS-UAC",
        title="INFORME" if kind == "INFORME" else f"Documento {kind}",
        place_and_date="Lima, 18 de noviembre de 2022",
        heading=[("A", "Jefa de la Unidad"), ("ASUNTO", "Respuesta al oficio de la CTVC de Áncash")],
        sections=[DocumentSection(title="I. ANTECEDENTES", paragraphs=["La CTVC remitió el oficio N° 12."])],
        table=table,
        signer_name="Rosa Quispe Mamani",
        signer_role="Especialista de la UAC",
    )


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("kind", ["INFORME", "ANEXO_01", "ANEXO_02", "OFICIO"])
def test_each_kind_renders_its_number_memo_block_sections_and_footer(kind):
    pdf = render_response_document(document(kind), "K7QX-M2PA", CHECK_URL, AT)

    text = text_of(pdf)
    assert "INFORME N° 000308-2022-MIDIS/PNPDS-UAC" in text
    assert "Respuesta al oficio de la CTVC de Áncash" in text
    assert "I. ANTECEDENTES" in text
    assert "Lima, 18 de noviembre de 2022" in text
    assert f"{CHECK_URL}?codigo=K7QX-M2PA" in squeezed(text)
    assert "Página 1 de 1" in text


def test_anexo_01_keeps_the_six_headers_and_a_long_cell_whole_across_pages():
    long_text = " ".join(f"hecho{n:04d}" for n in range(300))[:3000]
    table = DocumentTable(
        columns=MATRIX, rows=[["1", "OFICIO N° 12", "Áncash/Huaraz/Huaraz", long_text, "FUNDADO", "-"]]
    )

    pdf = render_response_document(document("ANEXO_01", table), "K7QX-M2PA", CHECK_URL, AT)

    reader = PdfReader(io.BytesIO(pdf))
    text = text_of(pdf)
    assert len(reader.pages) > 1
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height
    for column in MATRIX:
        assert squeezed(column.replace("–", "-")) in squeezed(text)
    assert re.findall(r"hecho\d{4}", text) == re.findall(r"hecho\d{4}", long_text)


def test_a_signed_document_validates_with_its_signer(tmp_path):
    identity = local_signing_identity(tmp_path / "signing")
    pdf = render_response_document(document("INFORME"), "K7QX-M2PA", CHECK_URL, AT)

    signed = sign_pdf(pdf, identity, "Rosa Quispe Mamani", "Especialista de la UAC", AT)

    assert signature_report(signed, identity.chain_files) == ("Programa CONTIGO - firma de documentos (local)", True)
    assert signed.startswith(pdf)


def test_a_byte_changed_after_signing_reads_not_intact(tmp_path):
    identity = local_signing_identity(tmp_path / "signing")
    pdf = render_response_document(document("OFICIO"), "K7QX-M2PA", CHECK_URL, AT)
    signed = bytearray(sign_pdf(pdf, identity, "Rosa Quispe Mamani", "Especialista de la UAC", AT))

    signed[len(pdf) // 2] ^= 0x01

    assert signature_report(bytes(signed), identity.chain_files)[1] is False


def test_the_local_identity_is_made_once_and_reused_with_private_keys(tmp_path):
    first = local_signing_identity(tmp_path / "signing")
    made = first.cert_file.read_bytes()

    second = local_signing_identity(tmp_path / "signing")

    assert second == first
    assert second.cert_file.read_bytes() == made
    assert first.key_file.stat().st_mode & 0o777 == 0o600

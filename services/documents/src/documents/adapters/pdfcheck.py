"""Is an uploaded file a PDF we accept? Read as a viewer would (``pdfscan``), parsed with pypdf,
digital signatures read with pyHanko.

Refused, each with the reason a person reads: anything that does not parse as a PDF, encrypted
PDFs, and PDFs that carry anything a viewer would run or open — JavaScript, launch actions,
go-to actions into other or embedded documents, links or forms that open or send to the
outside, embedded files, XFA forms, rich media — wherever it sits, listed or not; and
decompression bombs. A digital signature is recorded, not judged: an untrusted (e.g.
self-signed) signer is fine; ``intact`` says whether the signed bytes are unchanged and nothing
was added after signing that the signature does not allow.
"""

from __future__ import annotations

import io
import re
from typing import Any

from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from documents.adapters import pdfscan
from documents.adapters.pdfscan import BombError, DecodeBudget
from documents.domain import CODE_ALPHABET, PdfRefusedError, PdfReport

NOT_A_PDF = "El archivo no es un PDF válido."
ENCRYPTED = "El PDF está protegido con contraseña o cifrado; súbalo sin protección."
JAVASCRIPT = "El PDF contiene JavaScript y no se acepta por seguridad."
EMBEDDED_FILES = "El PDF contiene archivos incrustados y no se acepta."
LAUNCH = "El PDF contiene acciones que abren otros programas y no se acepta por seguridad."
REMOTE_GOTO = (
    "El PDF contiene acciones que abren otros documentos (externos o incrustados) y no se acepta por seguridad."
)
OUTSIDE = (
    "El PDF contiene enlaces o formularios que abren sitios externos o envían datos fuera del documento "
    "y no se acepta por seguridad; imprímalo como PDF o escanéelo."
)
XFA = "El PDF es un formulario dinámico (XFA) y no se acepta; imprímalo como PDF o escanéelo."
RICH_MEDIA = "El PDF contiene multimedia (audio, video, Flash o 3D) y no se acepta por seguridad."
BOMB = (
    "El PDF contiene datos comprimidos que se expanden de forma desmedida (posible bomba de descompresión) "
    "y no se acepta."
)
UNREADABLE = "El PDF tiene partes que no se pueden leer para revisarlas; guárdelo de nuevo como PDF o escanéelo."

# The order a person is told, when a file carries several: what runs first.
_REASONS: tuple[tuple[str, str], ...] = (
    (pdfscan.JAVASCRIPT, JAVASCRIPT),
    (pdfscan.LAUNCH, LAUNCH),
    (pdfscan.REMOTE_GOTO, REMOTE_GOTO),
    (pdfscan.OUTSIDE, OUTSIDE),
    (pdfscan.EMBEDDED_FILE, EMBEDDED_FILES),
    (pdfscan.XFA, XFA),
    (pdfscan.RICH_MEDIA, RICH_MEDIA),
    (pdfscan.UNREADABLE, UNREADABLE),
)

# The header may follow a little garbage (PDF 32000-1, 7.5.2 implementations accept 1024 bytes).
_HEADER_WINDOW = 1024
# A verification code as printed on a DDC (any PDF text extraction keeps its dashes).
_CODE = re.compile(rf"\b[{CODE_ALPHABET}]{{4}}-[{CODE_ALPHABET}]{{4}}-[{CODE_ALPHABET}]{{4}}\b")


def inspect_pdf(data: bytes, budget: DecodeBudget | None = None) -> PdfReport:
    """Accept ``data`` as a PDF or raise ``PdfRefusedError`` with the reason a person reads.

    Synchronous and CPU-bound: call it in a worker thread.
    """
    if b"%PDF-" not in data[:_HEADER_WINDOW]:
        raise PdfRefusedError(NOT_A_PDF)
    try:
        found = pdfscan.scan(data, budget)
    except BombError:
        raise PdfRefusedError(BOMB) from None
    except Exception as exc:  # what cannot be read cannot be vouched for
        raise PdfRefusedError(NOT_A_PDF) from exc
    reader = _open(data)
    if found.encrypted:
        raise PdfRefusedError(ENCRYPTED)
    for finding, reason in _REASONS:
        if finding in found.findings:
            raise PdfRefusedError(reason)
    try:
        pages = reader.pages
        count = len(pages)
    except Exception as exc:  # any parser failure means we cannot vouch for the file
        raise PdfRefusedError(NOT_A_PDF) from exc
    if count == 0:
        raise PdfRefusedError(NOT_A_PDF)
    report = _signatures(data, looks_signed=found.signature_fields > 0)
    marked = report.digitally_signed or found.images > 0 or found.hand_marks > 0
    codes = frozenset() if marked else _codes_in(pages)
    return PdfReport(report.digitally_signed, report.signer, report.intact, marked=marked, codes=codes)


def _open(data: bytes) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
    except Exception as exc:  # pypdf raises many types on garbage
        raise PdfRefusedError(NOT_A_PDF) from exc
    if encrypted:
        raise PdfRefusedError(ENCRYPTED)
    return reader


def _codes_in(pages: Any) -> frozenset[str]:
    """Verification codes printed in the file's text: an unmarked file with its DDC's code is that DDC unsigned."""
    codes: set[str] = set()
    for page in pages:
        try:
            text = page.extract_text() or ""
        except Exception:  # noqa: BLE001 - text we cannot read proves nothing either way
            continue
        codes.update(_CODE.findall(text))
    return frozenset(codes)


def _signatures(data: bytes, *, looks_signed: bool) -> PdfReport:
    try:
        embedded = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
    except Exception:  # noqa: BLE001 - pypdf accepted the file; pyHanko's stricter reader may not
        embedded = []
    if not embedded:
        # A signature pyHanko cannot read is reported as signed but not intact, never as unsigned.
        return PdfReport(digitally_signed=False) if not looks_signed else PdfReport(True, None, False)
    signers: list[str] = []
    intact = True
    for signature in embedded:
        name, ok = _check_one(signature)
        if name and name not in signers:
            signers.append(name)
        intact = intact and ok
    return PdfReport(digitally_signed=True, signer="; ".join(signers) or None, intact=intact)


def _check_one(signature: Any) -> tuple[str | None, bool]:
    name = None
    try:
        name = _common_name(signature.signer_cert)
        # No trust roots and no fetching: we record whether the bytes are intact, not whom to trust.
        status = validate_pdf_signature(signature, ValidationContext(trust_roots=[], allow_fetching=False))
    except Exception:  # noqa: BLE001 - a signature that cannot be evaluated is not intact
        return name, False
    return name, bool(status.intact and status.valid and status.docmdp_ok)


def _common_name(cert: Any) -> str | None:
    if cert is None:
        return None
    value = cert.subject.native.get("common_name")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value) if value else None

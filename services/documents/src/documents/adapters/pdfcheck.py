"""Is an uploaded file a PDF we accept? Parsed with pypdf; digital signatures read with pyHanko.

Refused: anything that does not parse as a PDF, encrypted PDFs, and PDFs that carry active
or hidden content (JavaScript, embedded files, launch actions) wherever it sits in the object
graph. A digital signature is recorded, not judged: an untrusted (e.g. self-signed) signer is
fine; ``intact`` says whether the signed bytes are unchanged and nothing was added after
signing that the signature does not allow.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from documents.domain import PdfRefusedError, PdfReport

NOT_A_PDF = "El archivo no es un PDF válido."
ENCRYPTED = "El PDF está protegido con contraseña o cifrado; súbalo sin protección."
JAVASCRIPT = "El PDF contiene JavaScript y no se acepta por seguridad."
EMBEDDED_FILES = "El PDF contiene archivos incrustados y no se acepta."
LAUNCH = "El PDF contiene acciones que abren otros programas y no se acepta por seguridad."

# The header may follow a little garbage (PDF 32000-1, 7.5.2 implementations accept 1024 bytes).
_HEADER_WINDOW = 1024


@dataclass
class _Findings:
    javascript: bool = False
    embedded_files: bool = False
    launch: bool = False
    signature_fields: int = 0


def inspect_pdf(data: bytes) -> PdfReport:
    """Accept ``data`` as a PDF or raise ``PdfRefusedError`` with the reason a person reads.

    Synchronous and CPU-bound: call it in a worker thread.
    """
    if b"%PDF-" not in data[:_HEADER_WINDOW]:
        raise PdfRefusedError(NOT_A_PDF)
    reader = _open(data)
    findings = _Findings()
    try:
        _ = len(reader.pages)
        for obj in _every_object(reader):
            _visit(obj, findings)
    except PdfRefusedError:
        raise
    except Exception as exc:  # any parser failure means we cannot vouch for the file
        raise PdfRefusedError(NOT_A_PDF) from exc
    if findings.javascript:
        raise PdfRefusedError(JAVASCRIPT)
    if findings.embedded_files:
        raise PdfRefusedError(EMBEDDED_FILES)
    if findings.launch:
        raise PdfRefusedError(LAUNCH)
    return _signatures(data, looks_signed=findings.signature_fields > 0)


def _open(data: bytes) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
    except Exception as exc:  # pypdf raises many types on garbage
        raise PdfRefusedError(NOT_A_PDF) from exc
    if encrypted:
        raise PdfRefusedError(ENCRYPTED)
    return reader


def _every_object(reader: PdfReader) -> Iterator[Any]:
    """The trailer and every object the cross-reference tables list, in object streams too."""
    yield reader.trailer
    refs: set[tuple[int, int]] = set()
    for generation, table in reader.xref.items():
        refs.update((idnum, generation) for idnum in table)
    refs.update((idnum, 0) for idnum in reader.xref_objStm)
    for idnum, generation in sorted(refs):
        obj = reader.get_object(IndirectObject(idnum, generation, reader))
        if obj is not None:
            yield obj


def _visit(obj: Any, findings: _Findings) -> None:
    """Look through one object and the direct objects nested in it.

    References are not followed: every indirect object is visited on its own, and
    direct objects form a tree, so this terminates.
    """
    stack = [obj]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            continue
        if isinstance(item, DictionaryObject):  # streams are dictionaries too
            _judge(item, findings)
            stack.extend(item.values())
        elif isinstance(item, ArrayObject):
            stack.extend(item)


def _judge(d: DictionaryObject, findings: _Findings) -> None:
    action = d.get("/S")
    if "/JS" in d or "/JavaScript" in d or action == "/JavaScript":
        findings.javascript = True
    if "/EmbeddedFiles" in d or d.get("/Type") == "/EmbeddedFile" or d.get("/Subtype") == "/FileAttachment":
        findings.embedded_files = True
    if d.get("/Type") == "/Filespec" and "/EF" in d:
        findings.embedded_files = True
    if action == "/Launch":
        findings.launch = True
    if d.get("/FT") == "/Sig" or d.get("/Type") == "/Sig" or "/ByteRange" in d:
        findings.signature_fields += 1


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

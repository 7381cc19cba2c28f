"""Documents domain: verification codes, what a DDC says, which uploads a request may take."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from uuid import UUID

from contracts import ubigeo
from contracts.events import AccessRequested, AllyType

UploadKind = Literal["DDC_SIGNED", "DESIGNATION"]
UPLOAD_KINDS: tuple[UploadKind, ...] = ("DDC_SIGNED", "DESIGNATION")

DDC_TITLE = "Documento de Declaración de Confidencialidad (DDC)"

ALLY_TYPE_WORDS: dict[str, str] = {
    "GOBIERNO_REGIONAL": "Gobierno Regional",
    "GOBIERNO_LOCAL": "Gobierno Local",
    "OTRO_ALIADO": "Otro aliado",
}

# Crockford base32: digits and capitals without I, L, O, U, so a code read aloud or
# typed by hand has no look-alikes.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CODE_LENGTH = 12
_TYPED_ALIASES = str.maketrans({"O": "0", "I": "1", "L": "1"})


Purpose = Literal["download", "upload"]
"""What a person was doing when the attempt was checked: the words of a refusal depend on it."""

_NOT_READY: dict[tuple[Purpose, bool], str] = {
    ("download", False): "El DDC de esta solicitud aún se está generando; intente nuevamente en unos segundos.",
    ("download", True): "El DDC de la solicitud corregida aún se está generando; intente nuevamente en unos segundos.",
    ("upload", False): "El DDC de esta solicitud aún se está generando; descárguelo y súbalo firmado.",
    ("upload", True): "El DDC de la solicitud corregida aún se está generando; descárguelo de nuevo y súbalo firmado.",
}
_SUPERSEDED: dict[Purpose, str] = {
    "download": "La solicitud fue enviada de nuevo y tiene un DDC nuevo; descárguelo de nuevo.",
    "upload": "La solicitud fue enviada de nuevo y tiene un DDC nuevo; descárguelo de nuevo y súbalo firmado.",
}


class UnknownRequestError(Exception):
    """This service has not heard of the request (yet)."""


class DDCNotReadyError(Exception):
    """The DDC of the attempt asked for is not rendered yet (documents has not heard of that attempt).

    Its message tells the person what to do next, for a first attempt or a corrected one.
    """

    def __init__(self, attempt: int, purpose: Purpose = "download"):
        super().__init__(_NOT_READY[purpose, attempt > 1])
        self.attempt = attempt


class AttemptSupersededError(Exception):
    """The attempt asked for is no longer the request's latest: it was sent again meanwhile."""

    def __init__(self, purpose: Purpose = "download"):
        super().__init__(_SUPERSEDED[purpose])


class UnknownCodeError(Exception):
    """No document carries this verification code."""

    def __init__(self, typed: str):
        super().__init__(f"No existe un documento con el código {typed.strip()}.")


class NoUploadError(Exception):
    """The request's attempt has no uploaded document of this kind."""

    def __init__(self, kind: str):
        super().__init__(_NO_UPLOAD.get(kind, "La solicitud no tiene ese documento."))


_NO_UPLOAD = {
    "DDC_SIGNED": "La solicitud no tiene un DDC firmado subido en su intento vigente.",
    "DESIGNATION": "La solicitud no tiene un documento de designación subido en su intento vigente.",
}


class UploadNotAllowedError(Exception):
    """This kind of document is not taken for this request."""

    def __init__(self, message: str):
        super().__init__(message)
        self.errors = {"kind": message}


class PdfRefusedError(Exception):
    """An uploaded file is not accepted; ``reason`` is the Spanish sentence the applicant reads."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason
        self.errors = {"file": reason}


DDC_UNSIGNED = "Este es el DDC sin firmar: imprímalo, hágalo firmar y sellar, escanéelo o fírmelo digitalmente."


def is_unsigned_ddc(data_sha256: str, report: PdfReport, ddc: IssuedDocument, issued_codes: set[str]) -> bool:
    """Whether an upload meant as the signed DDC is a DDC exactly as the Programme issued it.

    The same bytes as ``ddc``; or a file with nothing that signs or scans it (``report.marked``)
    whose text carries the verification code of a DDC the Programme issued (``issued_codes``: those
    of ``report.codes`` that are real), such as the DDC saved again or printed to PDF unsigned.
    """
    return data_sha256 == ddc.sha256 or (not report.marked and bool(issued_codes))


class UploadTooLargeError(Exception):
    """The upload passes the size limit, ``limit`` bytes."""

    def __init__(self, limit: int):
        message = f"El archivo supera el límite de {limit / (1024 * 1024):g} MB."
        super().__init__(message)
        self.errors = {"file": message}


def new_verification_code() -> str:
    """A random code such as ``K7QX-9M2P-4TZD`` (60 bits)."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(_CODE_LENGTH))
    return _group(raw)


def normalize_code(typed: str) -> str | None:
    """The canonical form of a code as a person may type it (any case, spaces, dashes); None if impossible."""
    raw = "".join(ch for ch in typed.upper() if ch not in " -\t").translate(_TYPED_ALIASES)
    if len(raw) != _CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in raw):
        return None
    return _group(raw)


def _group(raw: str) -> str:
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def object_key(sha256: str) -> str:
    """Content-addressed key: the same bytes always live under the same key."""
    return f"sha256/{sha256}.pdf"


def ddc_filename(request_code: str) -> str:
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in request_code)
    return f"DDC-{safe}.pdf"


def uploaded_filename(kind: str, request_code: str) -> str:
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in request_code)
    return f"{'DDC-firmado' if kind == 'DDC_SIGNED' else 'Designacion'}-{safe}.pdf"


def ensure_upload_allowed(ally_type: str, kind: str) -> None:
    if kind == "DESIGNATION" and ally_type != "OTRO_ALIADO":
        raise UploadNotAllowedError("Solo los otros aliados (OTRO_ALIADO) presentan el documento de designación.")


def ensure_current(
    request: KnownRequest | None, attempt: int, ddc: IssuedDocument | None, purpose: Purpose = "download"
) -> IssuedDocument:
    """The DDC of ``attempt``, while ``attempt`` is the latest documents knows; uploads follow the same rule."""
    if request is not None and request.attempt > attempt:
        raise AttemptSupersededError(purpose)
    if request is None or request.attempt < attempt or ddc is None:
        raise DDCNotReadyError(attempt, purpose)
    return ddc


def place_of(code: str | None) -> str:
    """A ubigeo as a person reads it; the bare code if the reference data does not know it."""
    if not code:
        return ""
    try:
        return ubigeo.describe(code)
    except KeyError:
        return code


@dataclass(frozen=True)
class KnownRequest:
    """What documents knows about an access request: enough to check an upload."""

    request_id: UUID
    code: str
    ally_type: AllyType
    attempt: int


@dataclass(frozen=True)
class IssuedDocument:
    document_id: UUID
    request_id: UUID
    attempt: int
    kind: str
    object_key: str
    sha256: str
    size: int
    verification_code: str
    request_code: str
    issued_at: datetime


@dataclass(frozen=True)
class AnswerDocument:
    """A document of a CTVC answer: rendered as cases wrote it, signed by its author, stored once."""

    document_id: UUID
    response_id: UUID
    kind: str
    number: str
    title: str
    object_key: str
    sha256: str
    size: int
    verification_code: str
    signer_name: str
    signer_role: str
    issued_at: datetime


@dataclass(frozen=True)
class PdfReport:
    """What the validator found in an accepted PDF."""

    digitally_signed: bool
    signer: str | None = None
    intact: bool | None = None
    marked: bool = True
    """Whether anything shows it was signed or scanned: a digital signature, an image, ink or a stamp."""
    codes: frozenset[str] = frozenset()
    """Verification codes printed in its text, read only when it is not ``marked``."""


@dataclass(frozen=True)
class Upload:
    upload_id: UUID
    request_id: UUID
    attempt: int
    kind: UploadKind
    object_key: str
    sha256: str
    size: int
    digitally_signed: bool
    signer: str | None
    intact: bool | None
    uploaded_at: datetime


@dataclass(frozen=True)
class DDCSheet:
    """Everything printed on a DDC, already in words: the renderer only lays it out."""

    request_code: str
    attempt: int
    ally_type_words: str
    of_institution: str
    jurisdiction_lines: tuple[tuple[str, str], ...]
    authority_names: str
    authority_dni: str
    authority_role: str
    responsible_names: str
    responsible_dni: str
    responsible_office: str
    responsible_position: str
    responsible_email: str
    scope: str
    verification_code: str
    check_url: str
    issued_at: datetime


def ddc_sheet(event: AccessRequested, verification_code: str, issued_at: datetime, public_url: str) -> DDCSheet:
    """What the DDC of ``event``'s attempt says."""
    j = event.jurisdiction
    lines: list[tuple[str, str]] = [("Tipo de aliado", ALLY_TYPE_WORDS[j.ally_type])]
    if j.ally_type == "OTRO_ALIADO":
        entity = event.entity
        lines += [("Entidad", j.entity_name or ""), ("RUC", j.entity_ruc or "")]
        if entity is not None:
            lines.append(("Naturaleza", "Pública" if entity.public else "Privada"))
            if entity.public and entity.rof_document:
                lines.append(("Aprobación del ROF", entity.rof_document))
            if entity.designation_document:
                lines.append(("Designación del titular", entity.designation_document))
        of_institution = f"de la entidad {j.entity_name}" if j.entity_name else "de la entidad"
        scope = "de las categorías del padrón que el Programa autorice a la entidad"
    else:
        place = place_of(j.ubigeo)
        label = "Región" if j.ally_type == "GOBIERNO_REGIONAL" else "Distrito, provincia, región"
        lines += [("Ubigeo", j.ubigeo or ""), (label, place)]
        of_institution = _of_government(j.ally_type, j.ubigeo or "")
        scope = f"de la jurisdicción de {place}"
    return DDCSheet(
        request_code=event.code,
        attempt=event.attempt,
        ally_type_words=ALLY_TYPE_WORDS[j.ally_type],
        of_institution=of_institution,
        jurisdiction_lines=tuple(lines),
        authority_names=event.authority.names,
        authority_dni=event.authority.dni,
        authority_role=event.authority_role,
        responsible_names=event.responsible.names,
        responsible_dni=event.responsible.dni,
        responsible_office=event.responsible.office,
        responsible_position=event.responsible.position,
        responsible_email=event.responsible.email,
        scope=scope,
        verification_code=verification_code,
        check_url=f"{public_url.rstrip('/')}/verificar?codigo={verification_code}",
        issued_at=issued_at,
    )


def _of_government(ally_type: str, code: str) -> str:
    """'del Gobierno Regional de Junín', 'de la Municipalidad Provincial de Huancayo', ...

    The first district of a province (ubigeo ``PPpp01``) is its seat, governed by the
    provincial municipality; every other district has a district municipality.
    """
    if ally_type == "GOBIERNO_REGIONAL":
        return f"del Gobierno Regional de {place_of(code)}"
    district = ubigeo.districts().get(code)
    if district is None:
        return f"del Gobierno Local del ubigeo {code}"
    if code.endswith("01"):
        return f"de la Municipalidad Provincial de {district.province}"
    return f"de la Municipalidad Distrital de {district.district}"

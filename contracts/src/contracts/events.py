"""The event catalog of DESIGN.md, version 1: payloads as msgspec structs.

A field is never renamed or retyped within a version; a breaking change is a new
struct registered with the next version. Events carry ids and the facts their
consumers need, never a password.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal, TypeVar
from uuid import UUID

import msgspec

from contracts import topics

AllyType = Literal["GOBIERNO_REGIONAL", "GOBIERNO_LOCAL", "OTRO_ALIADO"]


class Event(msgspec.Struct, frozen=True, kw_only=True):
    """Base of every event payload."""


@dataclass(frozen=True)
class EventSpec:
    type: str
    version: int
    topic: str
    struct: type[Event]


CATALOG: dict[tuple[str, int], EventSpec] = {}
_SPEC_OF: dict[type[Event], EventSpec] = {}

E = TypeVar("E", bound=type[Event])


def event(topic: str, version: int = 1) -> Callable[[E], E]:
    """Register a payload struct under its class name, version and topic."""

    def register(cls: E) -> E:
        spec = EventSpec(cls.__name__, version, topic, cls)
        if (spec.type, version) in CATALOG:
            raise ValueError(f"{spec.type} v{version} is registered twice")
        CATALOG[(spec.type, version)] = spec
        _SPEC_OF[cls] = spec
        return cls

    return register


def spec_of(payload: Event) -> EventSpec:
    return _SPEC_OF[type(payload)]


class Jurisdiction(msgspec.Struct, frozen=True, kw_only=True):
    """Where an ally acts: a region or district ubigeo, or a named entity."""

    ally_type: AllyType
    ubigeo: str | None = None
    entity_name: str | None = None
    entity_ruc: str | None = None


class Person(msgspec.Struct, frozen=True, kw_only=True):
    dni: str
    names: str


class Responsible(msgspec.Struct, frozen=True, kw_only=True):
    """The person who will hold the account, as the DDC shows them."""

    dni: str
    names: str
    office: str
    position: str
    email: str


class Entity(msgspec.Struct, frozen=True, kw_only=True):
    """What only an OTRO_ALIADO declares about itself."""

    public: bool
    rof_document: str | None = None
    designation_document: str | None = None


# access.request ---------------------------------------------------------------


@event(topics.ACCESS_REQUEST)
class AccessRequested(Event, frozen=True, kw_only=True):
    """A request was sent (``attempt`` 1) or sent again after an observation (2, 3, ...)."""

    request_id: UUID
    code: str
    attempt: int
    jurisdiction: Jurisdiction
    authority: Person
    authority_role: str
    responsible: Responsible
    entity: Entity | None = None


@event(topics.ACCESS_REQUEST)
class AccessApproved(Event, frozen=True, kw_only=True):
    request_id: UUID
    code: str
    evaluator_id: str
    jurisdiction: Jurisdiction
    responsible_names: str
    responsible_email: str
    authority_names: str
    authority_email: str


@event(topics.ACCESS_REQUEST)
class AccessObserved(Event, frozen=True, kw_only=True):
    request_id: UUID
    evaluator_id: str
    jurisdiction: Jurisdiction
    observations: list[str]


@event(topics.ACCESS_REQUEST)
class AccessRejected(Event, frozen=True, kw_only=True):
    request_id: UUID
    evaluator_id: str
    jurisdiction: Jurisdiction
    reason: str


# identity ---------------------------------------------------------------------


@event(topics.IDENTITY_AUTHORITY)
class AuthorityVerified(Event, frozen=True, kw_only=True):
    request_id: UUID
    attempt: int
    result: Literal["MATCH", "MISMATCH", "NOT_FOUND"]
    register: str
    period: str
    reason: str | None = None


@event(topics.IDENTITY_ACCOUNT)
class CredentialsIssued(Event, frozen=True, kw_only=True):
    account_id: UUID
    username: str
    jurisdiction: Jurisdiction
    request_id: UUID
    issued_at: datetime


@event(topics.IDENTITY_ACCOUNT)
class CredentialsRevoked(Event, frozen=True, kw_only=True):
    account_id: UUID
    username: str
    jurisdiction: Jurisdiction
    request_id: UUID
    reason: str
    revoked_at: datetime


# documents --------------------------------------------------------------------


@event(topics.DOCUMENTS_DOCUMENT)
class DDCGenerated(Event, frozen=True, kw_only=True):
    request_id: UUID
    attempt: int
    object_key: str
    sha256: str
    verification_code: str


@event(topics.DOCUMENTS_DOCUMENT)
class DDCUploaded(Event, frozen=True, kw_only=True):
    request_id: UUID
    attempt: int
    kind: Literal["DDC_SIGNED", "DESIGNATION"]
    object_key: str
    sha256: str
    size: int
    digitally_signed: bool
    signer: str | None = None
    intact: bool | None = None


@event(topics.DOCUMENTS_DOCUMENT)
class DocumentIssued(Event, frozen=True, kw_only=True):
    document_id: UUID
    kind: str
    object_key: str
    sha256: str
    verification_code: str
    subject_id: str


# padron -----------------------------------------------------------------------


class DistrictCount(msgspec.Struct, frozen=True, kw_only=True):
    ubigeo: str
    category: Literal["CONTINUADOR", "NUEVO", "REINCORPORADO", "SUSPENDIDO", "DESAFILIADO"]
    count: int


@event(topics.PADRON_PADRON)
class PadronPublished(Event, frozen=True, kw_only=True):
    padron_id: UUID
    period: str
    resolution_number: str
    resolution_date: date
    counts: list[DistrictCount]


@event(topics.PADRON_BENEFICIARY)
class AlertRaised(Event, frozen=True, kw_only=True):
    alert_id: UUID
    beneficiary_id: UUID
    alert_type: str
    ubigeo: str
    raised_by: str


@event(topics.PADRON_BENEFICIARY)
class FADSubmitted(Event, frozen=True, kw_only=True):
    fad_id: UUID
    beneficiary_id: UUID
    ubigeo: str
    submitted_by: str
    fields: list[str]


@event(topics.PADRON_BENEFICIARY)
class FADApplied(Event, frozen=True, kw_only=True):
    fad_id: UUID
    beneficiary_id: UUID
    ubigeo: str
    decided_by: str
    approved: bool


# cases ------------------------------------------------------------------------


@event(topics.CASES_CASE)
class CaseOpened(Event, frozen=True, kw_only=True):
    case_id: UUID
    oficio: str
    case_number: str
    ubigeo: str


@event(topics.CASES_CASE)
class CaseResolved(Event, frozen=True, kw_only=True):
    case_id: UUID
    case_number: str
    ubigeo: str
    conclusion: Literal["FUNDADO", "INFUNDADO"]


@event(topics.CASES_CASE)
class CaseResponseIssued(Event, frozen=True, kw_only=True):
    case_id: UUID
    oficio: str
    document_codes: list[str]


ResponseDocumentKind = Literal["INFORME", "ANEXO_01", "ANEXO_02", "OFICIO"]


class DocumentSection(msgspec.Struct, frozen=True, kw_only=True):
    """A numbered part of a document: ``I. ANTECEDENTES`` and its paragraphs."""

    title: str
    paragraphs: list[str]


class DocumentTable(msgspec.Struct, frozen=True, kw_only=True):
    """A table printed in full: every cell's whole text, flowing over pages when it is long."""

    columns: list[str]
    rows: list[list[str]]


class ResponseDocument(msgspec.Struct, frozen=True, kw_only=True):
    """One document of a CTVC answer, said completely: documents renders it as it is, adds nothing of its own
    but the verification code, the footer and the digital signature of ``signer_name`` in ``signer_role``."""

    kind: ResponseDocumentKind
    number: str
    """``INFORME N° 000308-2022-MIDIS/PNPDS-UAC``; an annex names the informe it belongs to."""
    title: str
    place_and_date: str
    """``Lima, 18 de noviembre de 2022``."""
    heading: list[tuple[str, str]] = []
    """The memo block: (``A``, ...), (``DE``, ...), (``ASUNTO``, ...), (``REFERENCIA``, ...)."""
    sections: list[DocumentSection] = []
    table: DocumentTable | None = None
    signer_name: str
    signer_role: str


@event(topics.CASES_RESPONSE)
class CaseResponseRequested(Event, frozen=True, kw_only=True):
    """The answer to one CTVC oficio is written: documents renders, signs and stores each document.

    It carries no DNI, phone or e-mail, and not the names of the people interviewed.
    """

    response_id: UUID
    oficio_id: UUID
    oficio_number: str
    region: str
    case_ids: list[UUID]
    documents: list[ResponseDocument]

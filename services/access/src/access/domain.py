"""The access request: what an ally enters, the rules it must meet, and its life cycle.

Pure rules: no framework, no driver. Methods change the aggregate and return the
contract events the change implies; the handler stores both in one transaction.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal, get_args
from uuid import UUID

import msgspec

from access import validation as v
from contracts import Event
from contracts.events import (
    AccessApproved,
    AccessObserved,
    AccessRejected,
    AccessRequested,
    AllyType,
    Entity,
    Jurisdiction,
    Person,
    Responsible,
)

AUTHORITY_ROLE = {"GOBIERNO_REGIONAL": "GOBERNADOR REGIONAL", "GOBIERNO_LOCAL": "ALCALDE", "OTRO_ALIADO": "TITULAR"}
SYSTEM = "sistema"


class AuthorityForm(msgspec.Struct, kw_only=True):
    dni: str | None = None
    names: str | None = None
    mobile: str | None = None
    landline: str | None = None
    personal_email: str | None = None
    institutional_email: str | None = None


class ResponsibleForm(AuthorityForm, kw_only=True):
    office: str | None = None
    position: str | None = None


class EntityForm(msgspec.Struct, kw_only=True):
    name: str | None = None
    ruc: str | None = None
    public: bool | None = None
    rof_document: str | None = None
    designation_document: str | None = None


class RequestForm(msgspec.Struct, kw_only=True):
    """Everything the applicant enters; any part may be missing while it is a draft."""

    ally_type: AllyType
    ubigeo: str | None = None
    entity: EntityForm | None = None
    authority: AuthorityForm = msgspec.field(default_factory=AuthorityForm)
    responsible: ResponsibleForm = msgspec.field(default_factory=ResponsibleForm)


CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # no I, L, O, U: nothing to misread


def new_code(year: int) -> str:
    """A request code like 'SA-2026-K7QX-9M2P': random, so knowing one code tells nothing of another.

    Resuming needs the code and the authority's DNI; the DNI of a sitting authority is public,
    so the code is what keeps a request private (32^8, about 10^12, possible codes a year).
    """
    chars = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"SA-{year}-{chars[:4]}-{chars[4:]}"


class FormError(Exception):
    """The form is not complete or not valid; ``errors`` maps field paths to Spanish messages."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {m}" for k, m in errors.items()))
        self.errors = errors


class TransitionError(Exception):
    """The request is not in a state that allows this; the message is for the person."""


State = Literal["DRAFT", "SUBMITTED", "OBSERVED", "PENDING_EVALUATION", "APPROVED", "REJECTED", "CREDENTIALS_ISSUED"]
LABELS: dict[str, str] = {
    "DRAFT": "Borrador",
    "SUBMITTED": "Enviada: verificando autoridad y preparando el DDC",
    "OBSERVED": "Observada: corrija y vuelva a enviar",
    "PENDING_EVALUATION": "En evaluación",
    "APPROVED": "Aprobada: enviando credenciales",
    "REJECTED": "Rechazada",
    "CREDENTIALS_ISSUED": "Credenciales enviadas por correo",
}
Decision = Literal["APPROVE", "OBSERVE", "REJECT"]
DECISIONS: tuple[Decision, ...] = get_args(Decision)
DECISION_ERROR = "Elija una decisión válida: APPROVE (aprobar), OBSERVE (observar) o REJECT (rechazar)."

NOT_SENT = "La solicitud aún no ha sido enviada; envíela para generar el DDC."
OBSERVED_DDC = "La solicitud fue observada: corríjala y envíela de nuevo para generar un DDC nuevo."
OBSERVED_UPLOAD = (
    "La solicitud fue observada: corríjala y envíela de nuevo; luego descargue el DDC nuevo y súbalo firmado."
)
GENERATING_FIRST = "El DDC de esta solicitud aún se está generando; intente nuevamente en unos segundos."
GENERATING_CORRECTED = "El DDC de la solicitud corregida aún se está generando; intente nuevamente en unos segundos."
UPLOAD_GENERATING_FIRST = "El DDC de esta solicitud aún se está generando; descárguelo y súbalo firmado."
UPLOAD_GENERATING_CORRECTED = (
    "El DDC de la solicitud corregida aún se está generando; descárguelo de nuevo y súbalo firmado."
)
EVALUATED = "La solicitud ya fue evaluada y no admite más documentos."
IN_EVALUATION = (
    "La solicitud ya está en evaluación: sus documentos no pueden reemplazarse. Si el evaluador la observa, "
    "podrá subir documentos nuevos con la solicitud corregida."
)
DECIDED_UPLOAD: dict[str, str] = {
    "APPROVED": "La solicitud ya fue aprobada y no admite más documentos.",
    "CREDENTIALS_ISSUED": "La solicitud ya fue aprobada y no admite más documentos.",
    "REJECTED": "La solicitud fue rechazada y no admite más documentos.",
}


def _person_errors(prefix: str, p: AuthorityForm, errors: dict[str, str]) -> None:
    checks = {
        "dni": v.dni_error(p.dni),
        "names": v.names_error(p.names),
        "personal_email": v.email_error(p.personal_email),
        "institutional_email": v.email_error(p.institutional_email),
    }
    if not p.mobile and not p.landline:
        checks["mobile"] = "Ingrese al menos un teléfono: celular o fijo."
    if p.mobile:
        checks["mobile"] = v.mobile_error(p.mobile)
    if p.landline:
        checks["landline"] = v.landline_error(p.landline)
    errors.update({f"{prefix}.{k}": m for k, m in checks.items() if m})


def validate_for_submit(form: RequestForm) -> dict[str, str]:
    """Every field checked the way a Peruvian form does; empty when the form can be sent."""
    errors: dict[str, str] = {}
    if form.ally_type == "GOBIERNO_REGIONAL":
        if m := v.region_error(form.ubigeo):
            errors["ubigeo"] = m
    elif form.ally_type == "GOBIERNO_LOCAL":
        if m := v.district_error(form.ubigeo):
            errors["ubigeo"] = m
    else:
        e = form.entity or EntityForm()
        entity_checks = {"name": v.names_error(e.name, "el nombre de la entidad"), "ruc": v.ruc_error(e.ruc)}
        if e.public is None:
            entity_checks["public"] = "Indique si la entidad es pública o privada."
        elif e.public:
            if not (e.rof_document or "").strip():
                entity_checks["rof_document"] = "Ingrese el número del documento que aprueba el ROF de la entidad."
            if not (e.designation_document or "").strip():
                entity_checks["designation_document"] = "Ingrese el número del documento de designación del titular."
        errors.update({f"entity.{k}": m for k, m in entity_checks.items() if m})
    _person_errors("authority", form.authority, errors)
    _person_errors("responsible", form.responsible, errors)
    for key, what in (("office", "la oficina"), ("position", "el cargo")):
        if m := v.names_error(getattr(form.responsible, key), what):
            errors[f"responsible.{key}"] = m
    return errors


def normalize(form: RequestForm) -> RequestForm:
    """Trim what people type; names in upper case as in the DNI."""
    for person in (form.authority, form.responsible):
        if person.names:
            person.names = " ".join(person.names.split()).upper()
        for attr in ("personal_email", "institutional_email"):
            value = getattr(person, attr)
            if value:
                setattr(person, attr, value.strip().lower())
        for attr in ("dni", "mobile", "landline"):
            value = getattr(person, attr)
            if value:
                setattr(person, attr, v.digits(value))
    if form.entity and form.entity.ruc:
        form.entity.ruc = v.digits(form.entity.ruc)
    if form.ubigeo:
        form.ubigeo = form.ubigeo.strip()
    return form


@dataclass
class UploadedDocument:
    kind: str
    sha256: str
    size: int
    digitally_signed: bool
    signer: str | None
    intact: bool | None


@dataclass
class AccessRequest:
    request_id: UUID
    code: str
    form: RequestForm
    state: State = "DRAFT"
    attempt: int = 0
    authority_result: str | None = None
    authority_reason: str | None = None
    ddc_ready: bool = False
    ddc_verification_code: str | None = None
    documents: dict[str, UploadedDocument] = field(default_factory=dict)
    observations: list[str] = field(default_factory=list)
    rejection_reason: str | None = None
    submitted_at: datetime | None = None
    due_date: date | None = None
    evaluator_id: str | None = None
    account_username: str | None = None

    # -- the applicant ---------------------------------------------------------------

    def save(self, form: RequestForm) -> None:
        if self.state not in ("DRAFT", "OBSERVED"):
            raise TransitionError("La solicitud ya fue enviada y no puede modificarse.")
        if form.ally_type != self.form.ally_type:
            raise TransitionError("El tipo de aliado no puede cambiarse; inicie una nueva solicitud.")
        self.form = normalize(form)

    def submit(self, now: datetime) -> list[Event]:
        """Send the request (again, after an observation). A second send changes nothing."""
        if self.state not in ("DRAFT", "OBSERVED"):
            return []
        errors = validate_for_submit(self.form)
        if errors:
            raise FormError(errors)
        self.state = "SUBMITTED"
        self.attempt += 1
        self.authority_result = self.authority_reason = None
        self.ddc_ready, self.ddc_verification_code = False, None
        self.documents = {}
        self.observations = []
        self.submitted_at = now
        self.due_date = None
        return [self._requested()]

    # -- what other services report -------------------------------------------------

    def authority_checked(self, attempt: int, result: str, reason: str | None) -> list[Event]:
        if attempt != self.attempt or self.state != "SUBMITTED":
            return []  # an answer to an earlier attempt, or the request moved on
        self.authority_result, self.authority_reason = result, reason
        if result != "MATCH":
            return self._observe(SYSTEM, [reason or "La autoridad no coincide con el registro oficial."])
        return []

    def ddc_generated(self, attempt: int, verification_code: str) -> None:
        if attempt == self.attempt:
            self.ddc_ready, self.ddc_verification_code = True, verification_code

    def document_uploaded(self, attempt: int, doc: UploadedDocument) -> None:
        """Count an upload while the request waits for its documents; once in evaluation they are sealed."""
        if attempt == self.attempt and self.state == "SUBMITTED":
            self.documents[doc.kind] = doc

    # -- which attempt the documents belong to -------------------------------------------

    def ddc_attempt(self) -> int:
        """The attempt whose DDC is the current one; refused while there is none to give.

        Only access knows the current attempt the moment it changes: documents hears of it later,
        through AccessRequested, and until then still holds the previous attempt's DDC.
        """
        if self.state == "DRAFT":
            raise TransitionError(NOT_SENT)
        if self.state == "OBSERVED":
            raise TransitionError(OBSERVED_DDC)
        if not self.ddc_ready:
            raise TransitionError(GENERATING_FIRST if self.attempt == 1 else GENERATING_CORRECTED)
        return self.attempt

    def upload_attempt(self) -> int:
        """The attempt an upload now belongs to; refused when access would not count it."""
        if self.state == "DRAFT":
            raise TransitionError(NOT_SENT)
        if self.state == "OBSERVED":
            raise TransitionError(OBSERVED_UPLOAD)
        if self.state == "PENDING_EVALUATION":
            raise TransitionError(IN_EVALUATION)
        if self.state != "SUBMITTED":
            raise TransitionError(DECIDED_UPLOAD.get(self.state, EVALUATED))
        if not self.ddc_ready:
            raise TransitionError(UPLOAD_GENERATING_FIRST if self.attempt == 1 else UPLOAD_GENERATING_CORRECTED)
        return self.attempt

    def required_documents(self) -> list[str]:
        return ["DDC_SIGNED", "DESIGNATION"] if self.form.ally_type == "OTRO_ALIADO" else ["DDC_SIGNED"]

    def ready_for_evaluation(self, today: date, due_date_from) -> bool:
        """Enter the queue once the authority matched and the documents are in."""
        complete = all(k in self.documents for k in self.required_documents())
        if self.state == "SUBMITTED" and self.authority_result == "MATCH" and complete:
            self.state = "PENDING_EVALUATION"
            self.due_date = due_date_from(today)
            return True
        return False

    def credentials_issued(self, username: str) -> None:
        if self.state == "APPROVED":
            self.state = "CREDENTIALS_ISSUED"
            self.account_username = username

    # -- the evaluator ---------------------------------------------------------------

    def approve(self, evaluator_id: str) -> list[Event]:
        self._must_be_pending()
        self.state, self.evaluator_id = "APPROVED", evaluator_id
        f = self.form
        return [
            AccessApproved(
                request_id=self.request_id,
                code=self.code,
                evaluator_id=evaluator_id,
                jurisdiction=self.jurisdiction(),
                responsible_names=f.responsible.names or "",
                responsible_email=f.responsible.institutional_email or f.responsible.personal_email or "",
                authority_names=f.authority.names or "",
                authority_email=f.authority.institutional_email or f.authority.personal_email or "",
            )
        ]

    def observe(self, evaluator_id: str, observations: list[str]) -> list[Event]:
        self._must_be_pending()
        cleaned = [o.strip() for o in observations if o and o.strip()]
        if not cleaned:
            raise FormError({"observations": "Escriba al menos una observación para el solicitante."})
        return self._observe(evaluator_id, cleaned)

    def reject(self, evaluator_id: str, reason: str) -> list[Event]:
        self._must_be_pending()
        if not reason or not reason.strip():
            raise FormError({"reason": "Indique el motivo del rechazo."})
        self.state, self.evaluator_id, self.rejection_reason = "REJECTED", evaluator_id, reason.strip()
        return [
            AccessRejected(
                request_id=self.request_id,
                evaluator_id=evaluator_id,
                jurisdiction=self.jurisdiction(),
                reason=self.rejection_reason,
            )
        ]

    # -- helpers ---------------------------------------------------------------------

    def overdue(self, today: date) -> bool:
        return self.state == "PENDING_EVALUATION" and self.due_date is not None and today > self.due_date

    def jurisdiction(self) -> Jurisdiction:
        f = self.form
        if f.ally_type == "OTRO_ALIADO":
            e = f.entity or EntityForm()
            return Jurisdiction(ally_type=f.ally_type, entity_name=e.name, entity_ruc=e.ruc)
        return Jurisdiction(ally_type=f.ally_type, ubigeo=f.ubigeo)

    def _must_be_pending(self) -> None:
        if self.state != "PENDING_EVALUATION":
            raise TransitionError(f"La solicitud {self.code} no está en evaluación ({LABELS[self.state]}).")

    def _observe(self, evaluator_id: str, observations: list[str]) -> list[Event]:
        self.state, self.evaluator_id, self.observations = "OBSERVED", evaluator_id, observations
        self.due_date = None
        return [
            AccessObserved(
                request_id=self.request_id,
                evaluator_id=evaluator_id,
                jurisdiction=self.jurisdiction(),
                observations=observations,
            )
        ]

    def _requested(self) -> AccessRequested:
        f = self.form
        r = f.responsible
        entity = None
        if f.ally_type == "OTRO_ALIADO" and f.entity:
            entity = Entity(
                public=bool(f.entity.public),
                rof_document=f.entity.rof_document,
                designation_document=f.entity.designation_document,
            )
        return AccessRequested(
            request_id=self.request_id,
            code=self.code,
            attempt=self.attempt,
            jurisdiction=self.jurisdiction(),
            authority=Person(dni=f.authority.dni or "", names=f.authority.names or ""),
            authority_role=AUTHORITY_ROLE[f.ally_type],
            responsible=Responsible(
                dni=r.dni or "",
                names=r.names or "",
                office=r.office or "",
                position=r.position or "",
                email=r.institutional_email or r.personal_email or "",
            ),
            entity=entity,
        )

"""Training evidence as Spanish statements, from registry rows: pure, so a test needs no database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from cases.evidence.domain import EvidenceItem
from contracts import ubigeo

SOURCE = "Registro de capacitaciones del programa"


@dataclass(frozen=True)
class SessionFacts:
    session_id: UUID
    held_on: date
    topic: str
    modality: str
    organiser: str
    invitation_id: UUID | None
    attendance: tuple[tuple[UUID, str, int], ...] = field(default=())
    """(attendance id, office, attendees) of the district at this session."""


def evidence_items(district: str, as_of: date, sessions: list[SessionFacts]) -> list[EvidenceItem]:
    """One item per session attended, one per invited and missed, and a summary; later sessions never count."""
    place = ubigeo.districts()[district].district if ubigeo.is_district(district) else district
    items: list[EvidenceItem] = []
    held = sorted((s for s in sessions if s.held_on <= as_of), key=lambda s: (s.held_on, s.session_id))
    for s in held:
        when = f"{s.held_on:%d/%m/%Y}"
        how = f"{s.modality.lower()}, organizada por la {s.organiser}"
        ids = tuple(a for a, _, _ in s.attendance)
        if s.attendance:
            total = sum(n for _, _, n in s.attendance)
            offices = ", ".join(sorted({o for _, o, _ in s.attendance}))
            noun = "asistente" if total == 1 else "asistentes"
            statement = (
                f"La municipalidad del distrito de {place} asistió a la capacitación «{s.topic}» del {when}"
                f" ({how}): {total} {noun} de {offices}."
            )
            key, value = f"training.session.{s.session_id}.attended", total
        else:
            statement = (
                f"La municipalidad del distrito de {place} fue invitada a la capacitación «{s.topic}» del {when}"
                f" ({how}) y no asistió."
            )
            key, value = f"training.session.{s.session_id}.missed", 0
        trace = ((s.invitation_id,) if s.invitation_id else ()) + ids
        items.append(EvidenceItem(key, "TRAININGS", statement, SOURCE, s.held_on, value, trace))
    invited = [s for s in held if s.invitation_id]
    attended = [s for s in invited if s.attendance]
    summary = (
        f"Al {as_of:%d/%m/%Y}, la municipalidad del distrito de {place} asistió a {len(attended)} de"
        f" {len(invited)} capacitaciones a las que fue invitada."
    )
    if not held:
        summary = (
            f"Al {as_of:%d/%m/%Y}, el registro de capacitaciones no tiene invitaciones ni asistencia de la "
            f"municipalidad del distrito de {place}."
        )
    traces = tuple(s.invitation_id for s in invited if s.invitation_id)
    items.append(EvidenceItem("training.summary", "TRAININGS", summary, SOURCE, as_of, len(attended), traces))
    return items

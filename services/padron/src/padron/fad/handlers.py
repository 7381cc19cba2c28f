"""FAD use cases: submit (the district's municipality), list and show (logged), decide (staff); an approved
FAD is applied to the beneficiary and its collection authorization, with before/after history.

Each runs in one transaction, speaking to a repository, never to a driver.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Protocol
from uuid import UUID

from contracts import Event
from contracts.events import FADApplied, FADSubmitted
from padron.fad import domain
from padron.fad.domain import AuthorizedPerson, Fad, HistoryEntry
from padron.shared import reports
from padron.shared.errors import NotFoundError
from padron.shared.reports import ListQuery, Page
from padron.shared.scope import Scope


@dataclass(frozen=True)
class Authorization:
    authorization_id: UUID
    person: AuthorizedPerson


@dataclass(frozen=True)
class Decided:
    """The answer to a decision: no personal data, only which fields changed."""

    fad_id: UUID
    beneficiary_id: UUID
    state: str
    decided_by: str
    decision_note: str | None
    applied_fields: list[str]


class FadRepo(Protocol):
    async def beneficiary_ubigeo(self, beneficiary_id: UUID) -> str | None: ...
    async def add_fad(
        self, fad_id: UUID, beneficiary_id: UUID, ubigeo: str, proposed: dict[str, Any], submitted_by: str
    ) -> Fad: ...
    async def fads(self, scope: Scope, query: ListQuery) -> list[Fad]: ...
    async def fad(self, fad_id: UUID, *, for_update: bool = False) -> Fad | None: ...
    async def fad_history(self, fad_id: UUID) -> list[HistoryEntry]: ...
    async def contact_for_update(self, beneficiary_id: UUID) -> dict[str, str | None]: ...
    async def update_contact(self, beneficiary_id: UUID, values: dict[str, str]) -> None: ...
    async def current_authorization(self, beneficiary_id: UUID) -> Authorization | None: ...
    async def revoke_authorization(self, authorization_id: UUID, by: str, reason: str) -> None: ...
    async def authorize(
        self,
        beneficiary_id: UUID,
        ubigeo: str,
        person: AuthorizedPerson,
        valid_from: date,
        valid_until: date,
        by: str,
        reason: str,
    ) -> UUID: ...
    async def add_history(
        self, fad_id: UUID, beneficiary_id: UUID, entries: Sequence[HistoryEntry], by: str
    ) -> None: ...
    async def decide_fad(self, fad_id: UUID, state: str, by: str, note: str | None) -> None: ...
    async def emit(self, event: Event, key: str) -> None: ...
    async def log_read(self, scope: Scope, action: str, resource: str, beneficiary_ids: Sequence[UUID]) -> None: ...


async def submit_fad(beneficiary_id: UUID, body: Any, scope: Scope, repo: FadRepo) -> Fad:
    domain.check_may_submit_fads(scope)
    proposed = domain.fad_changes(body)
    ubigeo = await reports.district_of(beneficiary_id, scope, repo)
    fad = await repo.add_fad(uuid.uuid4(), beneficiary_id, ubigeo, proposed, scope.username)
    await repo.emit(
        FADSubmitted(
            fad_id=fad.fad_id,
            beneficiary_id=beneficiary_id,
            ubigeo=ubigeo,
            submitted_by=scope.username,
            fields=[name for name in domain.FAD_FIELDS if name in proposed],
        ),
        key=str(beneficiary_id),
    )
    return fad


async def list_fads(query: ListQuery, scope: Scope, resource: str, repo: FadRepo) -> Page:
    reports.check_may_list(scope)
    page = reports.page_of(await repo.fads(scope, query), query.limit, "submitted_at", "fad_id")
    await repo.log_read(scope, "LIST_FAD", resource, sorted({f.beneficiary_id for f in page.items}))
    return page


async def show_fad(fad_id: UUID, scope: Scope, resource: str, repo: FadRepo) -> Fad:
    reports.check_may_list(scope)
    fad = await repo.fad(fad_id)
    if fad is None:
        raise NotFoundError(domain.FAD_NOT_FOUND)
    domain.check_may_read(scope, fad.ubigeo)
    history = await repo.fad_history(fad_id)
    await repo.log_read(scope, "VIEW_FAD", resource, [fad.beneficiary_id])
    return replace(fad, history=history)


async def decide_fad(fad_id: UUID, body: Any, scope: Scope, repo: FadRepo, today: date) -> Decided:
    reports.check_staff(scope, "Solo el personal del programa puede aprobar o rechazar una FAD.")
    choice = domain.decision(body)
    fad = await repo.fad(fad_id, for_update=True)
    if fad is None:
        raise NotFoundError("No encontramos esa FAD.")
    state = domain.decided(fad.state, choice)
    applied = await _apply(fad, scope.username, repo, today) if choice.approve else []
    await repo.decide_fad(fad_id, state, scope.username, choice.note)
    await repo.emit(
        FADApplied(
            fad_id=fad_id,
            beneficiary_id=fad.beneficiary_id,
            ubigeo=fad.ubigeo,
            decided_by=scope.username,
            approved=choice.approve,
        ),
        key=str(fad.beneficiary_id),
    )
    return Decided(fad_id, fad.beneficiary_id, state, scope.username, choice.note, [e.field for e in applied])


async def _apply(fad: Fad, by: str, repo: FadRepo, today: date) -> list[HistoryEntry]:
    """The approved values go to the beneficiary (and its collection authorization), with before/after."""
    entries = domain.contact_changes(await repo.contact_for_update(fad.beneficiary_id), fad.changes)
    if entries:
        await repo.update_contact(fad.beneficiary_id, {e.field: str(e.after_value) for e in entries})
    person = domain.authorized_person(fad.changes)
    if person is not None:
        current = await repo.current_authorization(fad.beneficiary_id)
        if current is None or current.person != person:
            reason = f"FAD {fad.fad_id}"
            if current is not None:
                await repo.revoke_authorization(current.authorization_id, by, f"Reemplazada por la {reason}")
            until = domain.authorization_until(today)
            await repo.authorize(fad.beneficiary_id, fad.ubigeo, person, today, until, by, reason)
            entries.append(HistoryEntry("authorized_person", current.person.text() if current else None, person.text()))
    await repo.add_history(fad.fad_id, fad.beneficiary_id, entries, by)
    return entries

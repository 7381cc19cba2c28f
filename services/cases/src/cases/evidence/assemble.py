"""Evidence in words: the facts held about a district as of a date, turned into the items a finding cites.

Pure functions over the rows ``evidence.repo`` reads; no sentence holds a DNI, a phone or an e-mail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from cases.evidence.domain import EvidenceItem
from contracts import ubigeo
from eventkit.clock import LIMA

ACCOUNTS_SOURCE = "Cuentas USUARIO ALIADO emitidas y revocadas (identidad: CredentialsIssued, CredentialsRevoked)"
REQUESTS_SOURCE = "Solicitudes de acceso (acceso: AccessRequested, AccessObserved, AccessRejected, AccessApproved)"
PADRON_SOURCE = "Padrón publicado (padrón: PadronPublished)"
ACTIVE_CATEGORIES = ("CONTINUADOR", "NUEVO", "REINCORPORADO")


def _day(moment: datetime | date) -> str:
    if isinstance(moment, datetime):
        moment = moment.astimezone(LIMA).date()
    return f"{moment:%d/%m/%Y}"


def _count(n: int) -> str:
    """``1 475``: thousands apart with a space, as Peru's official texts write them."""
    return f"{n:,}".replace(",", " ")


def _holder(kind: str, code: str) -> str:
    if kind == "GOBIERNO_REGIONAL":
        return f"El Gobierno Regional de {ubigeo.describe(code)}"
    return f"La municipalidad del distrito de {ubigeo.districts()[code].district}"


def account_items(
    kind: str, code: str, rows: list[dict[str, Any]], as_of: date, cutoff: datetime
) -> list[EvidenceItem]:
    """Each account of the district (``GOBIERNO_LOCAL``) or region held, or the fact that it held none."""
    who, scope = _holder(kind, code), "district" if kind == "GOBIERNO_LOCAL" else "region"
    items = []
    for row in rows:
        office = ", ".join(p for p in (row.get("office"), row.get("position")) if p)
        held_by = f" ({office})" if office else ""
        revoked = row["revoked_at"] is not None and row["revoked_at"] < cutoff
        if revoked:
            statement = (
                f"{who} tuvo una cuenta USUARIO ALIADO{held_by} del {_day(row['issued_at'])} al "
                f"{_day(row['revoked_at'])}, revocada: {row['revoke_reason']}."
            )
            events = (row["issued_event"], row["revoked_event"])
        else:
            statement = f"{who} tenía una cuenta USUARIO ALIADO activa desde el {_day(row['issued_at'])}{held_by}."
            events = (row["issued_event"],)
        items.append(
            EvidenceItem(
                key=f"accounts.{row['account_id']}",
                group="ACCOUNTS",
                statement=statement,
                source=ACCOUNTS_SOURCE,
                dated=row["revoked_at"] if revoked else row["issued_at"],
                value="REVOCADA" if revoked else "ACTIVA",
                source_events=tuple(e for e in events if e is not None),
            )
        )
    if not any(i.value == "ACTIVA" for i in items):
        items.append(
            EvidenceItem(
                key=f"accounts.{scope}.none",
                group="ACCOUNTS",
                statement=f"{who} no tenía una cuenta USUARIO ALIADO activa al {as_of:%d/%m/%Y}.",
                source=ACCOUNTS_SOURCE,
                dated=as_of,
                value=0,
            )
        )
    return items


def request_items(requests: list[dict[str, Any]], as_of: date) -> list[EvidenceItem]:
    """The district's access requests that, as of the date, waited, were observed or were rejected."""
    items = []
    for request in requests:
        steps = request["steps"]
        last, sent = steps[-1], steps[0]
        waited = (as_of - sent["occurred_at"].astimezone(LIMA).date()).days
        code = request["code"]
        if last["step"] == "APROBADA":
            continue
        opening = f"La solicitud de acceso {code}, enviada el {_day(sent['occurred_at'])},"
        if last["step"] == "ENVIADA":
            statement = f"{opening} esperaba evaluación al {as_of:%d/%m/%Y} ({waited} días)."
        elif last["step"] == "OBSERVADA":
            statement = f"{opening} fue observada el {_day(last['occurred_at'])}: {last['reason']}."
        else:
            statement = f"{opening} fue rechazada el {_day(last['occurred_at'])}: {last['reason']}."
        items.append(
            EvidenceItem(
                key=f"requests.{request['request_id']}",
                group="REQUESTS",
                statement=statement,
                source=REQUESTS_SOURCE,
                dated=last["occurred_at"],
                value=last["step"],
                source_events=tuple(s["event_id"] for s in steps),
            )
        )
    return items


@dataclass(frozen=True)
class Coverage:
    """Districts of intervention of the latest padrón as of a date, and those with an active local account."""

    padron_event: UUID
    period: str
    published_at: datetime
    intervention: frozenset[str]
    with_account: dict[str, UUID]
    """District -> the CredentialsIssued event of an account active there as of the date."""
    district_counts: dict[str, int]


def coverage_items(coverage: Coverage | None, district: str, as_of: date) -> list[EvidenceItem]:
    """National and regional coverage, and the district's users in the padrón, as of the date."""
    if coverage is None:
        return [
            EvidenceItem(
                key="coverage.none",
                group="COVERAGE",
                statement=f"No había un padrón publicado al {as_of:%d/%m/%Y}.",
                source=PADRON_SOURCE,
                dated=as_of,
            )
        ]
    items = []
    region = district[:2]
    in_region = {d for d in coverage.intervention if d[:2] == region}
    for key, name, districts in (
        ("coverage.national", "a nivel nacional", coverage.intervention),
        ("coverage.region", f"en la región {ubigeo.describe(region)}", in_region),
    ):
        covered = [d for d in districts if d in coverage.with_account]
        share = round(100 * len(covered) / len(districts)) if districts else 0
        items.append(
            EvidenceItem(
                key=key,
                group="COVERAGE",
                statement=(
                    f"Al {as_of:%d/%m/%Y}, {_count(len(covered))} gobiernos locales con acceso al aplicativo "
                    f"USUARIO ALIADO de {_count(len(districts))} distritos de intervención {name} ({share} %), "
                    f"según el padrón {coverage.period}."
                ),
                source=f"{PADRON_SOURCE}; {ACCOUNTS_SOURCE}",
                dated=coverage.published_at,
                value=share,
                source_events=(coverage.padron_event, *sorted(coverage.with_account[d] for d in covered)),
            )
        )
    counts = coverage.district_counts
    total = sum(counts.get(c, 0) for c in ACTIVE_CATEGORIES)
    detail = ", ".join(f"{n} {c.lower()}" for c, n in sorted(counts.items()) if n)
    items.append(
        EvidenceItem(
            key="coverage.district",
            group="COVERAGE",
            statement=(
                f"El distrito de {ubigeo.districts()[district].district} tenía {total} usuarios en el padrón "
                f"{coverage.period}" + (f" ({detail})." if detail else ".")
            ),
            source=PADRON_SOURCE,
            dated=coverage.published_at,
            value=total,
            source_events=(coverage.padron_event,),
        )
    )
    return items

"""How the scoped views show the padrón: counters tallied for summaries, list items, masking, columns.

Pure: no framework, no driver. The queries are in ``views.repo``; summaries read only the counters
(district_counts, padron_counts), never the beneficiaries, and lists page by keyset over an index.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal, get_args
from uuid import UUID

from contracts import ubigeo
from padron.beneficiaries.domain import FIELDS, STATUSES, mask_dni, mask_names

# Counter metric prefix -> (block name in the answer, its states).
GROUPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "status": ("beneficiaries", STATUSES),
    "authorization": ("authorizations", ("VIGENTE", "VENCIDA", "REVOCADA")),
    "affiliation": ("affiliation_requests", ("PENDIENTE", "CONFORME", "NO_CONFORME")),
    "alert": ("alerts", ("ABIERTA", "ATENDIDA")),
    "fad": ("fads", ("PENDIENTE", "APROBADA", "RECHAZADA")),
}

Category = Literal["CONTINUADOR", "NUEVO", "REINCORPORADO", "SUSPENDIDO", "DESAFILIADO"]
CATEGORIES: tuple[str, ...] = get_args(Category)

NATIONAL = ("000000", "999999")

# What a page of the district list shows; bank data only to program staff.
LIST_COLUMNS = (
    "beneficiary_id",
    "dni",
    "names",
    "birth_date",
    "sex",
    "ubigeo",
    "address",
    "phone",
    "contact_name",
    "contact_phone",
    "status",
    "status_reason",
    "affiliated_on",
)

BANK_COLUMNS = ("bank_name", "bank_account")

# The CSV export: staff get every import column (the file can be imported again), a district its list.
STAFF_EXPORT = FIELDS

DISTRICT_EXPORT = tuple(f for f in FIELDS if f in LIST_COLUMNS)

Counts = dict[str, dict[str, int]]


def region_span(region: str) -> tuple[str, str]:
    """A region as an inclusive range of district ubigeos: served by any index that starts with ubigeo."""
    return f"{region}0000", f"{region}9999"


def district_name(code: str) -> str:
    d = ubigeo.districts().get(code)
    return f"{d.district}, {d.province}, {d.region}" if d else code


def blank(*, padron: bool) -> Counts:
    counts = {block: dict.fromkeys(states, 0) for block, states in GROUPS.values()}
    if padron:
        counts["padron_categories"] = dict.fromkeys(CATEGORIES, 0)
    return counts


def tally(
    keys: Iterable[str],
    metrics: Iterable[tuple[str, str, int]],
    categories: Iterable[tuple[str, str, int]],
    *,
    padron: bool,
) -> dict[str, Counts]:
    """Counts per key (region, district...) from counter rows ``(key, metric, value)`` and padrón rows
    ``(key, category, count)``; every key in ``keys`` appears, with zeros where nothing was counted."""
    out = {key: blank(padron=padron) for key in keys}
    for key, metric, value in metrics:
        group, _, state = metric.partition(":")
        if key in out and group in GROUPS and state in out[key][GROUPS[group][0]]:
            out[key][GROUPS[group][0]][state] += value
    for key, category, value in categories:
        if key in out and padron and category in CATEGORIES:
            out[key]["padron_categories"][category] += value
    return out


def merge(parts: Iterable[Counts], *, padron: bool) -> Counts:
    total = blank(padron=padron)
    for part in parts:
        for block, states in part.items():
            for state, value in states.items():
                if state != "total":
                    total[block][state] += value
    return total


def with_totals(counts: Counts) -> Counts:
    return {block: {**states, "total": sum(states.values())} for block, states in counts.items()}


def breakdown(counts: Mapping[str, Counts], names: Mapping[str, str]) -> list[dict[str, Any]]:
    return [{"code": key, "name": names[key], **with_totals(c)} for key, c in sorted(counts.items())]


def padron_view(row: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if row is None:
        return None
    keys = ("padron_id", "period", "resolution_number", "resolution_date", "published_at")
    return {k: row[k] for k in keys}


FIRST_NAME = ("", UUID(int=0))  # sorts before every (names, beneficiary_id)


def beneficiary_item(row: Mapping[str, Any], *, bank: bool) -> dict[str, Any]:
    item = {c: row[c] for c in LIST_COLUMNS}
    if bank:
        item.update({c: row[c] for c in BANK_COLUMNS})
    return item


FIRST_ENTRY = ("", UUID(int=0))  # sorts before every (ubigeo, beneficiary_id)

ENTRY_COLUMNS = ("beneficiary_id", "dni", "names", "ubigeo", "district", "category", "status", "amount")

MASKED_COLUMNS = ("dni", "names", "district", "category")


def entry_item(row: Mapping[str, Any]) -> dict[str, Any]:
    return {**{c: row[c] for c in ENTRY_COLUMNS if c != "district"}, "district": district_name(row["ubigeo"])}


def masked_entry(row: Mapping[str, Any]) -> dict[str, Any]:
    """What another ally sees of an entry: masked DNI and names, the district's name, the category."""
    return {
        "dni": mask_dni(row["dni"]),
        "names": mask_names(row["names"]),
        "district": district_name(row["ubigeo"]),
        "category": row["category"],
    }


LAST_ENTRY = 2**63 - 1

"""CTVC oficios and their cases: what a filing must say, and when its answer is due."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from uuid import UUID, uuid4

import holidays

from cases.shared.errors import FormError
from cases.shared.scope import Caller
from contracts import ubigeo

CATEGORIES: dict[str, str] = {
    "SIN_CAPACITACION": "No recibió capacitación",
    "SIN_CREDENCIALES": "No se entregaron credenciales",
    "SIN_COMUNICACION": "No puede comunicarse con el programa",
    "PAGO": "Pago de la pensión",
    "AFILIACION": "Afiliación",
    "OTRO": "Otro",
}
"""The catalogue of critical points a case may list, by code."""

CASE_NUMBER = re.compile(r"[0-9]{4}-[0-9]{4}-CTVC/[A-Z]{2,5}")
CASE_NUMBER_HINT = "Escriba el número como 0050-2022-CTVC/HVC."
MAX_TEXT = 4000
MAX_CASES = 50
MAX_POINTS = 20


@dataclass(frozen=True)
class Interviewee:
    role: str
    office: str
    names: str | None = None


@dataclass(frozen=True)
class CriticalPoint:
    category: str
    description: str


@dataclass(frozen=True)
class NewCase:
    case_id: UUID
    number: str
    ubigeo: str
    points: tuple[CriticalPoint, ...]
    interviewees: tuple[Interviewee, ...]


@dataclass(frozen=True)
class Filing:
    """An oficio as filed: checked, with its region, its answer's due date and its cases."""

    oficio_id: UUID
    number: str
    region: str
    sent_on: date
    received_on: date
    sender: str
    channel: str
    filed_by: str
    due_on: date
    cases: tuple[NewCase, ...] = field(default=())


def add_business_days(start: date, days: int) -> date:
    """The date ``days`` business days after ``start``: weekends and Peru's public holidays skipped."""
    peru = holidays.country_holidays("PE", years=range(start.year, start.year + 2 + days // 200))
    current, counted = start, 0
    while counted < days:
        current += timedelta(days=1)
        if current.weekday() < 5 and current not in peru:
            counted += 1
    return current


def _text(value: object, key: str, errors: dict[str, str], *, required: bool = True, most: int = MAX_TEXT) -> str:
    text = " ".join(str(value or "").split())
    if required and not text:
        errors[key] = "Este dato es obligatorio."
    elif len(text) > most:
        errors[key] = f"Debe tener como máximo {most} caracteres."
    return text


def _date(value: object, key: str, errors: dict[str, str]) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or ""))
    except ValueError:
        errors[key] = "Escriba una fecha válida (AAAA-MM-DD)." if value else "Este dato es obligatorio."
        return None


def file_oficio(form: dict, caller: Caller, today: date, answer_days: int) -> Filing:
    """Check a filing and give it its due date; every problem is named at its field, in Spanish.

    A CTVC files for its own region only (from its token); staff registering an oficio that arrived on
    paper say the region. The oficio's date cannot be after its reception, nor either after today.
    """
    errors: dict[str, str] = {}
    number = _text(form.get("number"), "number", errors, most=120)
    sender = _text(form.get("sender"), "sender", errors, most=300)
    if caller.kind == "CTVC":
        region, channel = caller.region or "", "PLATAFORMA"
    else:
        region, channel = str(form.get("region") or ""), "PAPEL"
        if not ubigeo.is_region(region):
            errors["region"] = "Elija la región del CTVC."
    sent_on = _date(form.get("sent_on"), "sent_on", errors)
    received_on = _date(form.get("received_on") or today.isoformat(), "received_on", errors)
    if sent_on and sent_on > today:
        errors["sent_on"] = "La fecha del oficio no puede ser posterior a hoy."
    if received_on and received_on > today:
        errors["received_on"] = "La fecha de recepción no puede ser posterior a hoy."
    if sent_on and received_on and received_on < sent_on and "received_on" not in errors:
        errors["received_on"] = "La fecha de recepción no puede ser anterior a la fecha del oficio."
    raw_cases = form.get("cases")
    cases: list[NewCase] = []
    if not isinstance(raw_cases, list) or not raw_cases:
        errors["cases"] = "Registre al menos un caso."
    elif len(raw_cases) > MAX_CASES:
        errors["cases"] = f"Un oficio puede tener como máximo {MAX_CASES} casos."
    else:
        seen: set[str] = set()
        for i, raw in enumerate(raw_cases):
            case = _case(raw if isinstance(raw, dict) else {}, f"cases.{i}", region, errors)
            if case.number in seen:
                errors[f"cases.{i}.number"] = "Este número de caso se repite en el oficio."
            seen.add(case.number)
            cases.append(case)
    if errors:
        raise FormError("Revise los datos del oficio.", errors)
    assert sent_on and received_on
    return Filing(
        uuid4(),
        number,
        region,
        sent_on,
        received_on,
        sender,
        channel,
        caller.username,
        add_business_days(received_on, answer_days),
        tuple(cases),
    )


def _case(raw: dict, key: str, region: str, errors: dict[str, str]) -> NewCase:
    number = str(raw.get("number") or "").strip().upper()
    if not CASE_NUMBER.fullmatch(number):
        errors[f"{key}.number"] = CASE_NUMBER_HINT if number else "Este dato es obligatorio."
    place = str(raw.get("ubigeo") or "")
    if not ubigeo.is_district(place):
        errors[f"{key}.ubigeo"] = "Elija el departamento, la provincia y el distrito del caso."
    elif region and place[:2] != region:
        errors[f"{key}.ubigeo"] = f"El distrito no pertenece a la región {ubigeo.describe(region)}."
    points = _points(raw.get("points"), f"{key}.points", errors)
    people = []
    raw_people = raw.get("interviewees") or []
    for j, given in enumerate(raw_people if isinstance(raw_people, list) else []):
        person = given if isinstance(given, dict) else {}
        at = f"{key}.interviewees.{j}"
        people.append(
            Interviewee(
                _text(person.get("role"), f"{at}.role", errors, most=200),
                _text(person.get("office"), f"{at}.office", errors, most=200),
                _text(person.get("names"), f"{at}.names", errors, required=False, most=200) or None,
            )
        )
    return NewCase(uuid4(), number, place, tuple(points), tuple(people))


def _points(raw: object, key: str, errors: dict[str, str]) -> list[CriticalPoint]:
    if not isinstance(raw, list) or not raw:
        errors[key] = "Registre al menos un punto crítico."
        return []
    if len(raw) > MAX_POINTS:
        errors[key] = f"Un caso puede tener como máximo {MAX_POINTS} puntos críticos."
        return []
    points = []
    for j, given in enumerate(raw):
        point = given if isinstance(given, dict) else {}
        category = str(point.get("category") or "")
        if category not in CATEGORIES:
            errors[f"{key}.{j}.category"] = "Elija una categoría del catálogo."
        points.append(CriticalPoint(category, _text(point.get("description"), f"{key}.{j}.description", errors)))
    return points

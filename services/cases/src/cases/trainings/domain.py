"""Trainings registry rules: topics, modalities, sessions and attendance checked field by field in Spanish.

Pure: no framework, no driver. Refusals leave as ``cases.shared.errors``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from cases.shared.errors import FormError
from contracts import ubigeo

TOPICS = (
    "Aplicación USUARIO ALIADO",
    "Lineamientos generales y procedimientos del Programa",
    "Derechos de los usuarios de los servicios de salud",
    "Educación de las personas con discapacidad: CEBE y PRITE",
    "Inclusión financiera: uso de la tarjeta de débito",
)
"""The catalogue a form offers; another topic is accepted as free text (3 to 200 characters)."""
MODALITIES = ("PRESENCIAL", "VIRTUAL")
REQUIRED = "Este dato es obligatorio."
CSV_COLUMNS = ("session_id", "ubigeo", "office", "position")


@dataclass(frozen=True)
class SessionInput:
    held_on: date
    topic: str
    modality: str
    organiser: str


@dataclass(frozen=True)
class AttendanceRow:
    line: int
    session_id: UUID
    ubigeo: str
    office: str
    position: str


def session_input(body: dict[str, Any]) -> SessionInput:
    """``{held_on, topic, modality, organiser}``; each wrong field named in Spanish."""
    errors: dict[str, str] = {}
    held_on: date | None = None
    try:
        held_on = date.fromisoformat(str(body.get("held_on") or ""))
    except ValueError:
        errors["held_on"] = "Indique la fecha de la capacitación (AAAA-MM-DD)."
    topic = str(body.get("topic") or "").strip()
    if not 3 <= len(topic) <= 200:
        errors["topic"] = "Indique el tema de la capacitación (de 3 a 200 caracteres)."
    modality = str(body.get("modality") or "").upper()
    if modality not in MODALITIES:
        errors["modality"] = "Use PRESENCIAL o VIRTUAL."
    organiser = str(body.get("organiser") or "").strip()
    if not 2 <= len(organiser) <= 100:
        errors["organiser"] = "Indique la unidad que organiza (por ejemplo, UAC)."
    if errors or held_on is None:
        raise FormError("Revise los datos de la capacitación.", errors)
    return SessionInput(held_on, topic, modality, organiser)


def parse_attendance_csv(data: bytes) -> list[AttendanceRow]:
    """Every row or none: a BOM and ``;`` or ``,`` accepted; errors per line ("línea 12: ...")."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FormError(
            "El archivo no está en UTF-8: guárdelo como «CSV UTF-8».", {"file": "Codificación no válida."}
        ) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader, [])]
    if header != list(CSV_COLUMNS):
        raise FormError(
            f"La primera fila debe ser la cabecera {delimiter.join(CSV_COLUMNS)}.", {"file": "Cabecera no válida."}
        )
    rows: list[AttendanceRow] = []
    errors: dict[str, str] = {}
    for fields in reader:
        line = reader.line_num
        if not any(f.strip() for f in fields):
            continue
        problem = _row_problem(fields)
        if problem:
            errors[f"línea {line}"] = f"línea {line}: {problem}"
            continue
        session, place, office, position = (f.strip() for f in fields)
        rows.append(AttendanceRow(line, UUID(session), place, office, position))
    if errors:
        raise FormError(f"El archivo tiene {len(errors)} línea(s) con errores; no se importó ninguna.", errors)
    if not rows:
        raise FormError("El archivo no tiene asistentes: solo la cabecera.", {"file": "Archivo sin filas."})
    return rows


def _row_problem(fields: list[str]) -> str | None:
    if len(fields) != len(CSV_COLUMNS):
        return f"tiene {len(fields)} columnas; deben ser {len(CSV_COLUMNS)}"
    session, place, office, position = (f.strip() for f in fields)
    try:
        UUID(session)
    except ValueError:
        return f"la sesión {session!r} no es un identificador válido"
    if not ubigeo.is_district(place):
        return f"el ubigeo {place} no existe"
    if not office:
        return "falta la oficina"
    if not position:
        return "falta el cargo"
    return None

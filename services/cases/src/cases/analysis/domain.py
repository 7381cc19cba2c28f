"""The analysis of a CTVC case: findings citing evidence, the conclusion, improvement actions — its rules.

A draft may be incomplete; resolving the case needs a finding for every critical point, a conclusion
and its justification. Findings cite evidence items by their keys, only keys the case's evidence has.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from cases.shared.errors import FormError
from contracts.units import UNITS

Conclusion = Literal["FUNDADO", "INFUNDADO"]
CONCLUSIONS: tuple[Conclusion, ...] = ("FUNDADO", "INFUNDADO")
ACTION_STATES = {"PENDIENTE": "Pendiente", "EN_CURSO": "En curso", "CUMPLIDA": "Cumplida"}
MAX_TEXT = 4000
MAX_ACTIONS = 20
REVIEW = "Revise el análisis del caso."


@dataclass(frozen=True)
class Finding:
    point: int
    text: str
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class Action:
    position: int
    description: str
    owner: str
    due_on: date


@dataclass(frozen=True)
class Analysis:
    findings: tuple[Finding, ...]
    conclusion: Conclusion | None
    justification: str
    actions: tuple[Action, ...]


def _text(value: object, key: str, errors: dict[str, str], most: int = MAX_TEXT) -> str:
    text = " ".join(str(value or "").split())
    if len(text) > most:
        errors[key] = f"Escriba como máximo {most} caracteres."
    return text


def analysis_input(form: dict, points: set[int], evidence_keys: set[str], earliest_due: date) -> Analysis:
    """A draft analysis from the form; each error at its key. Empty findings and actions are left out."""
    errors: dict[str, str] = {}
    findings = _findings(form.get("findings") or [], points, evidence_keys, errors)
    conclusion = form.get("conclusion") or None
    if conclusion is not None and conclusion not in CONCLUSIONS:
        errors["conclusion"] = "La conclusión es FUNDADO o INFUNDADO."
    justification = _text(form.get("justification"), "justification", errors)
    actions = _actions(form.get("actions") or [], earliest_due, errors)
    if errors:
        raise FormError(REVIEW, errors)
    return Analysis(tuple(sorted(findings, key=lambda f: f.point)), conclusion, justification, tuple(actions))


def _findings(raw_findings: list, points: set[int], evidence_keys: set[str], errors: dict[str, str]) -> list[Finding]:
    findings: list[Finding] = []
    seen: set[int] = set()
    for i, raw in enumerate(raw_findings):
        key = f"findings.{i}"
        point = raw.get("point")
        text = _text(raw.get("text"), f"{key}.text", errors)
        cited = tuple(dict.fromkeys(str(k) for k in raw.get("evidence") or []))
        if not isinstance(point, int) or point not in points:
            errors[f"{key}.point"] = "Ese punto crítico no es de este caso."
        elif point in seen:
            errors[f"{key}.point"] = "Este punto crítico ya tiene su hallazgo."
        else:
            seen.add(point)
            unknown = [k for k in cited if k not in evidence_keys]
            if unknown:
                errors[f"{key}.evidence"] = "Cite solo evidencia de este caso: " + ", ".join(unknown) + " no lo es."
            if text or cited:
                findings.append(Finding(point, text, cited))
    return findings


def _actions(raw_actions: list, earliest_due: date, errors: dict[str, str]) -> list[Action]:
    if len(raw_actions) > MAX_ACTIONS:
        errors["actions"] = f"Registre como máximo {MAX_ACTIONS} acciones de mejora."
        return []
    actions: list[Action] = []
    for i, raw in enumerate(raw_actions):
        key = f"actions.{i}"
        description = _text(raw.get("description"), f"{key}.description", errors, most=1000)
        owner = str(raw.get("owner") or "")
        due = raw.get("due_on")
        if not description and not owner and not due:
            continue  # a blank row of the form
        if not description:
            errors[f"{key}.description"] = "Describa la acción de mejora."
        if owner not in UNITS:
            errors[f"{key}.owner"] = "Elija la unidad responsable de la acción."
        due_on = _date(due)
        if due_on is None:
            errors[f"{key}.due_on"] = "Indique el plazo de la acción (AAAA-MM-DD)."
        elif due_on < earliest_due:
            errors[f"{key}.due_on"] = "El plazo no puede ser anterior a la recepción del oficio."
        if description and owner in UNITS and due_on is not None and due_on >= earliest_due:
            actions.append(Action(len(actions) + 1, description, owner, due_on))
    return actions


def _date(value: object) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or ""))
    except ValueError:
        return None


def require_complete(analysis: Analysis | None, points: set[int]) -> Analysis:
    """The analysis, if it can resolve the case: every critical point's finding, the conclusion, its reason."""
    errors: dict[str, str] = {}
    written = {f.point for f in analysis.findings if f.text} if analysis else set()
    for point in sorted(points - written):
        errors[f"points.{point}"] = "Escriba el hallazgo de este punto crítico."
    if analysis is None or analysis.conclusion is None:
        errors["conclusion"] = "Elija la conclusión: FUNDADO o INFUNDADO."
    if analysis is None or not analysis.justification:
        errors["justification"] = "Escriba la justificación de la conclusión."
    if errors:
        raise FormError("El caso aún no puede resolverse: complete su análisis.", errors)
    assert analysis is not None
    return analysis


def action_status(form: dict) -> tuple[str, str | None]:
    status = str(form.get("status") or "")
    if status not in ACTION_STATES:
        raise FormError("Revise el estado de la acción.", {"status": "El estado es PENDIENTE, EN_CURSO o CUMPLIDA."})
    errors: dict[str, str] = {}
    note = _text(form.get("note"), "note", errors, most=1000) or None
    if errors:
        raise FormError("Revise el estado de la acción.", errors)
    return status, note

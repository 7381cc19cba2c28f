"""The answer to a CTVC oficio, written out: the informe, Anexo 01 (the response matrix), Anexo 02 (the
evidence) and the answering oficio of the Dirección Ejecutiva — each as a ``ResponseDocument`` the documents
service renders and signs as it is. Everything here comes from the cases' resolved analyses and the
evidence frozen with them; nothing is typed but the addressee and the signers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from cases.shared.errors import FormError
from contracts import ubigeo
from contracts.events import DocumentSection, DocumentTable, ResponseDocument
from contracts.units import UNITS

KINDS = ("INFORME", "ANEXO_01", "ANEXO_02", "OFICIO")
MATRIX_COLUMNS = [
    "Caso N°",
    "N° de oficio",
    "Departamento/provincia/distrito",
    "Descripción de los hechos (puntos críticos)",
    "Justificación de la conclusión (FUNDADO – INFUNDADO)",
    "Acciones de mejora de ser el caso",
]
EVIDENCE_COLUMNS = ["Caso N°", "Evidencia", "Fuente y fecha", "Citada en"]
MONTHS = ("enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre").split()
SIGNERS = {
    "addressee": "Indique a quién se dirige el oficio (nombre y cargo del responsable del CTVC).",
    "author_name": "Indique el nombre de quien firma el informe.",
    "author_role": "Indique el cargo de quien firma el informe.",
    "director_name": "Indique el nombre de quien firma el oficio.",
    "director_role": "Indique el cargo de quien firma el oficio.",
}


@dataclass(frozen=True)
class Signers:
    addressee: str
    author_name: str
    author_role: str
    director_name: str
    director_role: str


@dataclass(frozen=True)
class CaseAnswer:
    """One resolved case as the answer tells it."""

    number: str
    ubigeo: str
    points: list[dict[str, Any]]
    """``position``, ``category_label``, ``description``."""
    findings: dict[int, tuple[str, tuple[str, ...]]]
    """By critical point: the finding's text and the evidence keys it cites."""
    conclusion: str
    justification: str
    actions: list[dict[str, Any]]
    """``description``, ``owner``, ``due_on``."""
    evidence: list[dict[str, Any]]
    """The evidence frozen at resolution (``key``, ``statement``, ``source``, ``dated``)."""


def signers_input(form: dict) -> Signers:
    errors: dict[str, str] = {}
    values = {}
    for key, missing in SIGNERS.items():
        text = " ".join(str(form.get(key) or "").split())
        if not text:
            errors[key] = missing
        elif len(text) > 200:
            errors[key] = "Escriba como máximo 200 caracteres."
        values[key] = text
    if errors:
        raise FormError("Revise los datos de la respuesta.", errors)
    return Signers(**values)


def document_number(kind: str, sequence: int, year: int, unit: str) -> str:
    """``INFORME N° 000308-2022-MIDIS/PNPDS-UAC``: numbered per type, unit and year."""
    return f"{kind} N° {sequence:06d}-{year}-MIDIS/PNPDS-{unit}"


def long_date(day: date) -> str:
    return f"{day.day} de {MONTHS[day.month - 1]} de {day.year}"


def place_of(code: str) -> str:
    """``HUANCAVELICA / TAYACAJA / PAZOS``: department, province and district as the matrix writes them."""
    d = ubigeo.districts()[code]
    return f"{d.region} / {d.province} / {d.district}".upper()


def _evidence_line(item: dict[str, Any]) -> str:
    return f"{item['statement']} (Fuente: {item['source']}; {_dated(item['dated'])})"


def _dated(value: str) -> str:
    day = date.fromisoformat(value[:10])
    return f"{day:%d/%m/%Y}"


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def write_answer(
    oficio: dict[str, Any],
    cases: list[CaseAnswer],
    informe_number: str,
    answer_number: str,
    signers: Signers,
    today: date,
) -> list[ResponseDocument]:
    """The four documents of the answer to ``oficio`` (its row: number, sent_on, received_on, sender, region,
    unit, routed_on), in the order they are read: informe, Anexo 01, Anexo 02, oficio."""
    region = ubigeo.describe(oficio["region"])
    unit = oficio["unit"]
    when = f"Lima, {long_date(today)}"
    ctvc = f"CTVC {region}"
    informe = ResponseDocument(
        kind="INFORME",
        number=informe_number,
        title=f"Informe de atención de casos del {ctvc}",
        place_and_date=when,
        heading=[
            ("A", f"{signers.director_name}, {signers.director_role}"),
            ("DE", f"{signers.author_name}, {signers.author_role}"),
            ("ASUNTO", f"Atención de los casos comunicados por el {ctvc}"),
            ("REFERENCIA", oficio["number"]),
        ],
        sections=_informe_sections(oficio, cases, region, unit),
        signer_name=signers.author_name,
        signer_role=signers.author_role,
    )
    matrix = ResponseDocument(
        kind="ANEXO_01",
        number=f"ANEXO 01 del {informe_number}",
        title=f"Matriz de atención de casos CTVC – {region}",
        place_and_date=when,
        table=DocumentTable(
            columns=MATRIX_COLUMNS,
            rows=[
                [
                    c.number,
                    oficio["number"],
                    place_of(c.ubigeo),
                    "\n".join(f"{p['position']}. {p['description']} ({p['category_label']})" for p in c.points),
                    f"{c.conclusion}: {c.justification}",
                    "\n".join(
                        f"{i}. {a['description']} (Responsable: {a['owner']}; plazo: {a['due_on']:%d/%m/%Y})"
                        for i, a in enumerate(c.actions, 1)
                    )
                    or "Ninguna.",
                ]
                for c in cases
            ],
        ),
        signer_name=signers.author_name,
        signer_role=signers.author_role,
    )
    evidence = ResponseDocument(
        kind="ANEXO_02",
        number=f"ANEXO 02 del {informe_number}",
        title="Evidencia",
        place_and_date=when,
        sections=[
            DocumentSection(
                title="Origen de la evidencia",
                paragraphs=[
                    "Cada dato fue reunido por el sistema USUARIO ALIADO a partir de los hechos registrados hasta el "
                    f"fin del día del oficio ({oficio['sent_on']:%d/%m/%Y}, hora de Lima): cuentas emitidas y "
                    "revocadas, solicitudes de acceso, el registro de capacitaciones y el padrón publicado. "
                    "No contiene DNI, teléfonos ni correos personales."
                ],
            )
        ],
        table=DocumentTable(
            columns=EVIDENCE_COLUMNS,
            rows=[
                [c.number, item["statement"], f"{item['source']}; {_dated(item['dated'])}", _cited_in(c, item["key"])]
                for c in cases
                for item in c.evidence
            ],
        ),
        signer_name=signers.author_name,
        signer_role=signers.author_role,
    )
    fundado = sum(1 for c in cases if c.conclusion == "FUNDADO")
    answer = ResponseDocument(
        kind="OFICIO",
        number=answer_number,
        title=f"Respuesta al {ctvc}",
        place_and_date=when,
        heading=[
            ("Señor(a)", signers.addressee),
            ("ASUNTO", f"Respuesta al {oficio['number']}"),
            ("REFERENCIA", f"a) {oficio['number']}; b) {informe_number}"),
        ],
        sections=[
            DocumentSection(
                title="De mi consideración:",
                paragraphs=[
                    "Tengo el agrado de dirigirme a usted para saludarle cordialmente y, en atención al documento "
                    f"de la referencia a), remitirle el {informe_number}, elaborado por la {UNITS[unit]}, con la "
                    f"atención de los {_plural(len(cases), 'caso comunicado', 'casos comunicados')}: "
                    f"{fundado} FUNDADO y {len(cases) - fundado} INFUNDADO, según el detalle de la Matriz de "
                    "atención de casos (Anexo 01) y la evidencia que la sustenta (Anexo 02).",
                    "Cada documento puede verificarse en la página de verificación del Programa CONTIGO con el "
                    "código que lleva al pie.",
                    "Hago propicia la oportunidad para expresarle los sentimientos de mi especial consideración.",
                ],
            )
        ],
        signer_name=signers.director_name,
        signer_role=signers.director_role,
    )
    return [informe, matrix, evidence, answer]


def _cited_in(case: CaseAnswer, key: str) -> str:
    points = [str(point) for point, (_text, cited) in sorted(case.findings.items()) if key in cited]
    return ("Hallazgo del punto crítico " + ", ".join(points)) if points else "-"


def _informe_sections(oficio: dict[str, Any], cases: list[CaseAnswer], region: str, unit: str) -> list[DocumentSection]:
    background = [
        f"Mediante el {oficio['number']}, de fecha {long_date(oficio['sent_on'])}, {oficio['sender']} comunicó al "
        f"Programa CONTIGO {_plural(len(cases), 'caso', 'casos')} de la región {region}: "
        + ", ".join(c.number for c in cases)
        + ".",
    ]
    routed = oficio.get("routed_on")
    received = f"El oficio fue recibido el {oficio['received_on']:%d/%m/%Y}"
    background.append(received + (f" y derivado a la {UNITS[unit]} ({unit}) el {routed:%d/%m/%Y}." if routed else "."))
    analysis: list[str] = []
    for c in cases:
        analysis.append(f"Caso {c.number} ({place_of(c.ubigeo)}).")
        by_key = {item["key"]: item for item in c.evidence}
        for p in c.points:
            text, cited = c.findings.get(p["position"], ("", ()))
            line = f"Punto crítico {p['position']} ({p['category_label']}): {p['description']} Hallazgo: {text}"
            sources = [_evidence_line(by_key[k]) for k in cited if k in by_key]
            if sources:
                line += " Evidencia: " + " ".join(f"{s}." for s in sources)
            analysis.append(line)
    conclusion = [f"El caso {c.number} es {c.conclusion}: {c.justification}" for c in cases]
    recommendation = [
        "Remitir al CTVC la respuesta mediante oficio de la Dirección Ejecutiva, con la Matriz de atención de "
        "casos (Anexo 01) y la evidencia que la sustenta (Anexo 02)."
    ]
    for c in cases:
        for a in c.actions:
            owner, due = UNITS[a["owner"]], a["due_on"]
            recommendation.append(f"Caso {c.number}: {a['description']} (responsable: {owner}; plazo: {due:%d/%m/%Y}).")
    return [
        DocumentSection(title="I. ANTECEDENTES", paragraphs=background),
        DocumentSection(title="II. ANÁLISIS", paragraphs=analysis),
        DocumentSection(title="III. CONCLUSIÓN", paragraphs=conclusion),
        DocumentSection(title="IV. RECOMENDACIÓN", paragraphs=recommendation),
    ]

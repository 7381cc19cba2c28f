"""The rules of a case's analysis and of the documents of its answer (no server)."""

from __future__ import annotations

from datetime import date

import pytest

from cases.analysis.domain import analysis_input, require_complete
from cases.responses.domain import MATRIX_COLUMNS, CaseAnswer, Signers, document_number, place_of, write_answer
from cases.shared.errors import FormError

pytestmark = pytest.mark.unit

RECEIVED = date(2022, 8, 11)


def test_a_draft_keeps_what_is_written_and_leaves_blank_rows_out():
    form = {
        "findings": [{"point": 2, "text": "  No hay  cuenta. ", "evidence": ["A", "A"]}, {"point": 1, "text": ""}],
        "actions": [{"description": "", "owner": "", "due_on": ""}, {"description": "Capacitar", "owner": "UAC",
                     "due_on": "2022-09-30"}],
    }  # fmt: skip

    draft = analysis_input(form, {1, 2}, {"A"}, RECEIVED)

    assert [(f.point, f.text, f.evidence) for f in draft.findings] == [(2, "No hay cuenta.", ("A",))]
    assert [(a.position, a.owner, a.due_on) for a in draft.actions] == [(1, "UAC", date(2022, 9, 30))]
    assert draft.conclusion is None


def test_each_wrong_field_is_refused_at_its_key():
    form = {
        "findings": [{"point": 7, "text": "x"}, {"point": 1, "text": "x", "evidence": ["B"]}],
        "conclusion": "TAL VEZ",
        "actions": [{"description": "Hacer", "owner": "XYZ", "due_on": "2022-08-01"}],
    }

    with pytest.raises(FormError) as refused:
        analysis_input(form, {1}, {"A"}, RECEIVED)

    assert set(refused.value.errors) == {
        "findings.0.point",
        "findings.1.evidence",
        "conclusion",
        "actions.0.owner",
        "actions.0.due_on",
    }


def test_resolving_needs_every_points_finding_a_conclusion_and_its_justification():
    draft = analysis_input({"findings": [{"point": 1, "text": "Visto."}]}, {1, 2}, set(), RECEIVED)

    with pytest.raises(FormError) as refused:
        require_complete(draft, {1, 2})

    assert set(refused.value.errors) == {"points.2", "conclusion", "justification"}


def test_the_answer_is_four_documents_with_the_matrix_columns_and_nothing_personal():
    oficio = {
        "number": "OFICIO N° 033-2022-CTVC/HUANCAVELICA",
        "sent_on": date(2022, 8, 10),
        "received_on": RECEIVED,
        "sender": "El presidente del CTVC Huancavelica",
        "region": "09",
        "unit": "UAC",
        "routed_on": date(2022, 8, 16),
    }
    case = CaseAnswer(
        number="0050-2022-CTVC/HVC",
        ubigeo="090701",
        points=[{"position": 1, "category_label": "No recibió capacitación", "description": "Sin capacitación."}],
        findings={1: ("La OMAPED asistió a una capacitación.", ("TRAINING-1",))},
        conclusion="INFUNDADO",
        justification="Asistió el 5 de julio.",
        actions=[],
        evidence=[
            {"key": "TRAINING-1", "statement": "Asistió la OMAPED.", "source": "Registro", "dated": "2022-07-05"}
        ],
    )
    signers = Signers("Sr. Presidente", "Ana Ríos", "Jefa de la UAC", "Juan Soto", "Director Ejecutivo")
    informe = document_number("INFORME", 308, 2022, "UAC")

    docs = write_answer(
        oficio, [case], informe, document_number("OFICIO", 2626, 2022, "DE"), signers, date(2022, 11, 18)
    )

    assert informe == "INFORME N° 000308-2022-MIDIS/PNPDS-UAC"
    assert [d.kind for d in docs] == ["INFORME", "ANEXO_01", "ANEXO_02", "OFICIO"]
    assert docs[1].table.columns == MATRIX_COLUMNS
    assert docs[1].table.rows[0][2] == place_of("090701") == "HUANCAVELICA / TAYACAJA / PAMPAS"
    assert docs[1].table.rows[0][5] == "Ninguna."
    assert docs[2].table.rows[0][3] == "Hallazgo del punto crítico 1"
    assert "Asistió la OMAPED. (Fuente: Registro; 05/07/2022)" in docs[0].sections[1].paragraphs[1]
    assert docs[3].number == "OFICIO N° 002626-2022-MIDIS/PNPDS-DE"
    assert "0 FUNDADO y 1 INFUNDADO" in docs[3].sections[0].paragraphs[0]
    assert (docs[0].signer_name, docs[3].signer_name) == ("Ana Ríos", "Juan Soto")
    assert docs[0].place_and_date == "Lima, 18 de noviembre de 2022"

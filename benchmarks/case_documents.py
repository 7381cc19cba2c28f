"""Case documents benchmark: documents rendered, signed, and rendered + signed per second.

    uv run python benchmarks/case_documents.py [--iterations 30]

Renders an Anexo 01 matrix (A4 landscape, five rows with 1,500-character cells, several pages) with
``documents.adapters.case_render`` and signs it (PAdES, pyHanko) with a local identity made in a
temporary folder. Each loop runs exactly ``--iterations`` times; no servers are needed.
"""

from __future__ import annotations

import argparse
import platform
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from contracts.events import DocumentSection, DocumentTable, ResponseDocument
from documents.adapters.case_render import render_response_document
from documents.adapters.signing import local_signing_identity, sign_pdf

AT = datetime(2026, 12, 2, 14, 30, tzinfo=UTC)
COLUMNS = [
    "Caso N°",
    "N° de oficio",
    "Departamento/provincia/distrito",
    "Descripción de los hechos (puntos críticos)",
    "Justificación de la conclusión (FUNDADO – INFUNDADO)",
    "Acciones de mejora de ser el caso",
]
LONG = ("La persona usuaria refiere que no recibió la pensión en la fecha programada. " * 20)[:1500]
DOC = ResponseDocument(
    kind="ANEXO_01",
    number="ANEXO 01 del INFORME N° 000308-2022-MIDIS/PNPDS-UAC",
    title="MATRIZ DE CASOS",
    place_and_date="Lima, 18 de noviembre de 2022",
    heading=[("ASUNTO", "Respuesta al oficio de la CTVC")],
    sections=[DocumentSection(title="I. ANTECEDENTES", paragraphs=["La CTVC remitió el oficio."])],
    table=DocumentTable(
        columns=COLUMNS, rows=[[str(n), "OFICIO N° 12", "Áncash/Huaraz/Huaraz", LONG, LONG, LONG] for n in range(5)]
    ),
    signer_name="Rosa Quispe Mamani",
    signer_role="Especialista de la UAC",
)


def rate(label: str, iterations: int, step: Callable[[], object]) -> None:
    start = time.perf_counter()
    for _ in range(iterations):
        step()
    elapsed = time.perf_counter() - start
    print(f"{label:<18} {iterations / elapsed:8.1f} documents/s  ({elapsed / iterations * 1000:7.1f} ms each)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=30)
    iterations = parser.parse_args().iterations
    with tempfile.TemporaryDirectory() as folder:
        identity = local_signing_identity(Path(folder))
        pdf = render_response_document(DOC, "K7QX-M2PA", "https://aliados.contigo.gob.pe/verificar", AT)
        print(f"{platform.python_implementation()} {platform.python_version()}, Anexo 01 of {len(pdf)} bytes")
        rate("render", iterations, lambda: render_response_document(DOC, "K7QX-M2PA", "https://x/verificar", AT))
        rate("sign", iterations, lambda: sign_pdf(pdf, identity, DOC.signer_name, DOC.signer_role, AT))
        rate(
            "render + sign",
            iterations,
            lambda: sign_pdf(
                render_response_document(DOC, "K7QX-M2PA", "https://x/verificar", AT),
                identity,
                DOC.signer_name,
                DOC.signer_role,
                AT,
            ),
        )


if __name__ == "__main__":
    main()

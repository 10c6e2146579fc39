"""CSV output that a spreadsheet cannot turn into a formula (CSV/formula injection).

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a
formula by Excel, LibreOffice and Google Sheets (``=HYPERLINK(...)``, ``@SUM(...)``, DDE payloads).
Seller names, message texts and file names are user- or seller-controlled, so every *text* cell
gets a leading apostrophe in that case (OWASP's recommendation); spreadsheets show the text as
typed.  Real numbers (``int``, ``Decimal``, ``float`` values, not strings) are written as they are,
so a negative amount stays a number.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import Enum

DANGEROUS_FIRST = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """One cell as text, neutralised when a spreadsheet would evaluate it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, tuple | list | set | frozenset):
        value = "; ".join(str(v) for v in value)
    text = str(value)
    if text.startswith(DANGEROUS_FIRST):
        return "'" + text
    return text


def write_csv(rows: Iterable[Sequence[object] | Mapping[str, object]], header: Sequence[str]) -> str:
    """A whole CSV document (RFC 4180: comma, double quotes, CRLF) with every cell made safe.

    ``rows`` are sequences in ``header`` order, or mappings keyed by the header names (missing
    keys give empty cells).  Header names go through :func:`safe_cell` too.
    """
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        if isinstance(row, Mapping):
            cells = [row.get(h) for h in header]
        else:
            cells = list(row)
        writer.writerow([safe_cell(c) for c in cells])
    return buf.getvalue()

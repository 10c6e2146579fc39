"""CSV that is safe to open in a spreadsheet (formula injection neutralised).

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to Excel
and LibreOffice; it is prefixed with a single quote so it shows as text.  Plain negative numbers
(``-12.34``) are kept as numbers.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

_DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "\n", "|", "%")
_NUMBER = re.compile(r"^[+-]?\d+([.,]\d+)?$")


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    if text and text[0] in _DANGEROUS and not _NUMBER.match(text):
        return "'" + text
    return text


def write_csv(rows: Iterable[Sequence[object]], header: Sequence[str] | None = None, delimiter: str = ",") -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    if header is not None:
        writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return buf.getvalue()

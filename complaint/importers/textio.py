"""Reading text tables: encodings, dialects, physical line numbers.

Every importer of a delimited file goes through :func:`read_rows`, so BOMs, Windows-1252,
CR-only line endings, quoted newlines and the ``;``/``,``/tab choice are handled once, and every
row keeps the physical line number it started on (for messages such as "statement.csv line 14").
"""

from __future__ import annotations

import csv
import hashlib
import io
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from ..errors import ParseError
from ..i18n import _
from ..limits import read_limited, too_many_rows
from ..settings import SETTINGS
from .progress import report

ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")
_HASH_AHEAD = 1 << 24  # bytes from which a file's SHA-256 is computed in a thread as soon as it is read


@dataclass(frozen=True, slots=True)
class Source:
    """The bytes of one input file plus the name to show; the unit every importer takes.

    ``sha256`` is computed once, on first use: importers stamp it on every record's provenance,
    and hashing the whole file per row made an import quadratic."""

    name: str
    data: bytes
    _sha256: list = field(default_factory=list, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.data) >= _HASH_AHEAD:  # a large file: hashed in a thread while it is parsed
            worker = threading.Thread(target=self._hash, name="source-sha256", daemon=True)
            self._sha256.append(worker)
            worker.start()

    def _hash(self) -> None:
        digest = hashlib.sha256(self.data).hexdigest()  # hashlib releases the GIL on large inputs
        self._sha256.append(digest)

    @property
    def sha256(self) -> str:
        if self._sha256 and isinstance(self._sha256[0], threading.Thread):
            self._sha256[0].join()
            return self._sha256[-1]
        if not self._sha256:
            self._sha256.append(hashlib.sha256(self.data).hexdigest())
        return self._sha256[0]

    @property
    def suffix(self) -> str:
        return Path(self.name).suffix.lower()


def as_source(obj: str | Path | bytes | BinaryIO | Source, name: str | None = None) -> Source:
    """Accept a path, raw bytes, a binary file object (Streamlit UploadedFile) or a Source."""
    if isinstance(obj, Source):
        return obj
    label, data = read_limited(obj, name)  # the one size check of every upload path
    return Source(Path(label).name, data)


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Decode bytes; returns (text, encoding used).  Tries UTF-8 (with or without BOM) first.

    Windows-1252 is preferred to Latin-1 because Belgian exports use its euro sign and quotes;
    Latin-1 is the last resort and never fails.
    """
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise ParseError(_("cannot be decoded as {encoding}", encoding=encoding)) from exc
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass  # a UTF-16 mark on bytes that are not UTF-16: read it as the 8-bit encodings below
    for enc in ENCODINGS:
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes any bytes")  # pragma: no cover


def normalise_newlines(text: str) -> str:
    """CR-only (old Mac, some KBC exports) and CRLF become LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def sniff_delimiter(text: str, candidates: str = ";,\t|") -> str:
    """The delimiter that splits the first non-empty lines most consistently."""
    lines = [ln for ln in text.split("\n")[:30] if ln.strip()]
    if not lines:
        return ","
    best, best_score = ",", -1.0
    for d in candidates:
        counts = [_count_outside_quotes(ln, d) for ln in lines[:15]]
        if not counts or max(counts) == 0:
            continue
        mode = max(set(counts), key=counts.count)
        score = counts.count(mode) * 10 + mode
        if score > best_score:
            best, best_score = d, score
    return best


def _count_outside_quotes(line: str, delim: str) -> int:
    n, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delim and not quoted:
            n += 1
    return n


@dataclass(frozen=True, slots=True)
class Row:
    line_no: int  # physical 1-based line on which the row starts
    cells: list[str]


def iter_rows(text: str, delimiter: str) -> Iterator[Row]:
    """CSV rows with the physical line each starts on (quoted newlines counted correctly)."""
    text = normalise_newlines(text)
    buf = io.StringIO(text, newline="")
    reader = csv.reader(buf, delimiter=delimiter, quotechar='"', strict=False)
    line_no = 1
    max_rows = SETTINGS.max_rows
    count = 0
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ParseError(str(exc), line=start) from exc
        line_no = start
        count += 1
        if count > max_rows:
            raise too_many_rows(max_rows)
        if count % 10_000 == 0:
            report(count)
        yield Row(line_no, cells)


@dataclass(frozen=True, slots=True)
class Table:
    """A decoded delimited file: its header and data rows, with how it was read."""

    header: list[str]
    header_line: int
    rows: list[Row]
    delimiter: str
    encoding: str
    preamble: list[Row]


def read_table(source: Source, *, delimiter: str | None = None, encoding: str | None = None,
               header_predicate=None) -> Table:
    """Decode and split a delimited file.

    ``header_predicate(cells) -> bool`` finds the header row after a preamble (Belfius, legacy
    Argenta); by default the first non-empty row is the header.  Fully empty rows are dropped
    (they carry no data), every other row is returned for the importer to account for.
    """
    text, used = decode(source.data, encoding)
    text = normalise_newlines(text)
    delim = delimiter or sniff_delimiter(text)
    preamble: list[Row] = []
    header: list[str] | None = None
    header_line = 0
    rows: list[Row] = []
    for row in iter_rows(text, delim):
        if not any(c.strip() for c in row.cells):
            continue
        if header is None:
            if header_predicate is None or header_predicate(row.cells):
                header = [c.strip() for c in row.cells]
                header_line = row.line_no
            else:
                preamble.append(row)
            continue
        rows.append(row)
    if header is None:
        raise ParseError(_("no header row found"), file=source.name)
    return Table(header, header_line, rows, delim, used, preamble)

"""A delimited file as arrow string columns, each row with the physical line it starts on.

Decoding, newline normalisation, the delimiter sniff and the header search (after a preamble)
are those of :func:`complaint.importers.textio.read_table`, on the first lines only; the body
after the header is parsed by pyarrow (``pyarrow.csv``), which quotes as Python's ``csv`` does.
Line numbers: a row starts after a newline that is not inside quotes (an even number of ``"``
before it); empty lines are no rows, and rows whose cells are all blank are dropped, as
``read_table`` drops them.

:func:`read_columns` returns None when the file is not one it reads exactly the way
``read_table`` would (a row with another number of cells than the header, a header not found
in the first lines, separator control characters): the caller then takes the record path.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ...limits import too_many_rows
from ...settings import SETTINGS
from ..progress import report
from ..textio import Row, Source, Table, decode, normalise_newlines, sniff_delimiter

COLUMNAR_MIN_ROWS = 2_000  # rows (lines) from which an importer reads a file into columns
HEADER_SCAN_ROWS = 200  # the header must be among the first rows for the columnar reader
_CHUNK = 1 << 24  # bytes scanned at a time when counting quotes (bounds the temporary arrays)
_PIECE = 1 << 25  # bytes parsed at a time in a large file, between two reports of rows read
_HEAD_CHARS = 1 << 18  # the header is looked for in the first characters (all of them if need be)


def wants_columns(source: Source, columnar: bool | None = None) -> bool:
    """Whether to read ``source`` into columns: ``columnar`` when given, else by its size."""
    if columnar is not None:
        return columnar
    return source.data.count(b"\n", 0, 1 << 28) >= COLUMNAR_MIN_ROWS


@dataclass
class RawTable:
    """The cells of a delimited file (or sheet) as columns of text, one per header cell."""

    header: list[str]  # stripped header cells
    header_line: int
    columns: list[pa.Array]  # string arrays, no nulls; cells of short rows are ""
    line_no: np.ndarray  # int64: the physical line of each row
    delimiter: str
    encoding: str
    preamble: list[Row]

    @property
    def n_rows(self) -> int:
        return len(self.line_no)

    def row(self, i: int) -> Row:
        """One row as the record path sees it (for the hooks that want a Row)."""
        return Row(int(self.line_no[i]), [c[i].as_py() for c in self.columns])

    def table(self, first_rows: int = 1) -> Table:
        """A :class:`~complaint.importers.textio.Table` with the header, the preamble and the
        first data row(s) only: what ``prepare`` hooks read."""
        rows = [self.row(i) for i in range(min(first_rows, self.n_rows))]
        return Table(self.header, self.header_line, rows, self.delimiter, self.encoding, self.preamble)


def from_table(table: Table) -> RawTable:
    """A Table read by the record machinery (an XLSX sheet) as columns: short rows padded with ""."""
    width = max([len(table.header)] + [len(r.cells) for r in table.rows])
    cols = [[r.cells[i] if i < len(r.cells) else "" for r in table.rows] for i in range(width)]
    header = list(table.header) + [""] * (width - len(table.header))
    return RawTable(header, table.header_line, [pa.array(c, pa.string()) for c in cols],
                    np.array([r.line_no for r in table.rows], dtype=np.int64), table.delimiter, table.encoding,
                    list(table.preamble))


def read_columns(source: Source, *, delimiter: str | None = None, encoding: str | None = None,
                 header_predicate=None, decoded: tuple[str, str] | None = None) -> RawTable | None:
    """The file as columns, or None when only the record path reads it exactly (see the module).
    ``decoded``: (text, encoding) when the caller has already decoded the bytes.

    Raises what ``read_table`` raises for the same file (ParseError on undecodable bytes,
    LimitExceeded beyond the row limit)."""
    data = source.data
    if any(data.find(ch) >= 0 for ch in (b"\x00", b"\x1c", b"\x1d", b"\x1e", b"\x1f")):
        return None  # UTF-16, or separators Python's str.split() treats as spaces: the record path decides
    if data.isascii() and b"\r" not in data:  # every candidate encoding reads it alike: decode the head only
        used = decoded[1] if decoded is not None else (encoding or "utf-8-sig")
        head = data[:_HEAD_CHARS].decode("ascii")
        delim = delimiter or sniff_delimiter(_first_lines(head, 31))
        found = _find_header(head, delim, header_predicate)
        if found is not None and found[3] < len(head):
            header_cells, header_line, body_line, offset, preamble = found
            body = data[offset:]
            return _columns(body, delim, header_cells, header_line, body_line, preamble, used)
    text, used = decoded if decoded is not None and decoded[0] is not None else decode(data, encoding)
    if "\r" in text:
        text = normalise_newlines(text)
    delim = delimiter or sniff_delimiter(_first_lines(text, 31))
    found = _find_header(text, delim, header_predicate)
    if found is None:
        return None
    header_cells, header_line, body_line, offset, preamble = found
    body = _body_bytes(data, text, used, offset)
    del text
    return _columns(body, delim, header_cells, header_line, body_line, preamble, used)


def _columns(body: bytes, delim: str, header_cells: list[str], header_line: int, body_line: int,
             preamble: list[Row], used: str) -> RawTable | None:
    names = [f"c{i}" for i in range(len(header_cells))]
    parsed = _parse(body, delim, names)
    if parsed is None:
        return None
    table, multiline = parsed
    lines = _row_lines(body, table.num_rows, body_line, multiline)
    if lines is None:
        return None
    if header_line + len(preamble) + len(lines) > SETTINGS.max_rows:
        raise too_many_rows()
    cols = [table.column(i).combine_chunks() if table.num_rows else pa.array([], pa.string())
            for i in range(len(names))]
    blank = _blank_rows(cols)
    if blank.any():
        keep = pa.array(~blank)
        cols = [c.filter(keep) for c in cols]
        lines = lines[~blank]
    return RawTable([c.strip() for c in header_cells], header_line, cols, lines, delim, used, preamble)


def _blank_rows(cols: list[pa.Array]) -> np.ndarray:
    """Rows whose every cell is white space, looking at a column only for rows still blank so far
    (the first filled column clears almost every row)."""
    n = len(cols[0]) if cols else 0
    blank = np.ones(n, dtype=bool)
    rows = np.arange(n, dtype=np.int64)
    for col in cols:
        if not len(rows):
            break
        sub = col if len(rows) == n else col.take(pa.array(rows))
        empty = np.asarray(pc.equal(pc.utf8_trim_whitespace(sub), "").to_numpy(zero_copy_only=False), dtype=bool)
        blank[rows[~empty]] = False
        rows = rows[empty]
    return blank


def _first_lines(text: str, n: int) -> str:
    end = -1
    for _i in range(n):
        end = text.find("\n", end + 1)
        if end < 0:
            return text
    return text[:end]


def _find_header(text: str, delim: str, predicate):
    """(header cells, its line, the first line after it, the offset of that line, preamble rows)
    as read_table finds them, reading the first rows only; None if not found there."""
    head = text[:_HEAD_CHARS]
    if len(head) < len(text):
        found = _find_header(head, delim, predicate)
        if found is not None and found[3] < len(head) - 1:  # the header and its end are inside the head
            return found
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, quotechar='"', strict=False)
    preamble: list[Row] = []
    for _n in range(HEADER_SCAN_ROWS):
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return None
        except csv.Error:
            return None
        if not any(c.strip() for c in cells):
            continue
        if predicate is None or predicate(cells):
            consumed = reader.line_num  # physical lines read so far, the header's last included
            offset = -1
            for _i in range(consumed):
                offset = text.find("\n", offset + 1)
                if offset < 0:
                    offset = len(text) - 1
                    break
            return cells, start, consumed + 1, offset + 1, preamble
        preamble.append(Row(start, cells))
    return None


def _body_bytes(data: bytes, text: str, encoding: str, offset: int) -> bytes:
    """The UTF-8 bytes after the header (pyarrow reads UTF-8)."""
    if encoding in ("utf-8", "utf-8-sig") and b"\r" not in data:
        bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0
        return data[bom + len(text[:offset].encode("utf-8")):]
    return text[offset:].encode("utf-8")


def _parse(body: bytes, delim: str, names: list[str]) -> tuple[pa.Table, bool] | None:
    """The body's rows as string columns (a large body in pieces, its progress reported)."""
    import pyarrow.csv as pacsv

    quoted = b'"' in body
    ends = _quote_parity_ends(body) if quoted else None
    multiline = bool(ends[1].any()) if ends is not None else False
    invalid: list[object] = []

    def on_invalid(row) -> str:
        invalid.append(row)
        return "skip"

    options = dict(
        read_options=pacsv.ReadOptions(column_names=names, use_threads=True),
        parse_options=pacsv.ParseOptions(delimiter=delim, quote_char='"', double_quote=True, escape_char=False,
                                         newlines_in_values=multiline, ignore_empty_lines=True,
                                         invalid_row_handler=on_invalid),
        convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),
                                             strings_can_be_null=False, quoted_strings_can_be_null=False,
                                             null_values=[]))
    tables, rows = [], 0
    try:
        for start, stop in _pieces(body, ends):
            piece = pacsv.read_csv(pa.py_buffer(memoryview(body)[start:stop]), **options)
            tables.append(piece)
            rows += piece.num_rows
            report(rows)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if invalid:
        return None  # a row with another number of cells: the record path keeps it as it is
    table = tables[0] if len(tables) == 1 else pa.concat_tables(tables)
    return table, multiline


def _pieces(body: bytes, ends) -> list[tuple[int, int]]:
    """(start, stop) of pieces of about ``_PIECE`` bytes, each ending after a row's newline."""
    if len(body) <= 2 * _PIECE:
        return [(0, len(body))]
    if ends is not None:
        nl, inside = ends
        row_ends = nl[~inside]
    out, start = [], 0
    while start < len(body):
        want = start + _PIECE
        if want >= len(body):
            out.append((start, len(body)))
            break
        if ends is None:
            cut = body.find(b"\n", want)
        else:
            k = int(np.searchsorted(row_ends, want))
            cut = int(row_ends[k]) if k < len(row_ends) else -1
        if cut < 0:
            out.append((start, len(body)))
            break
        out.append((start, cut + 1))
        start = cut + 1
    return out


def _quote_parity_ends(body: bytes) -> tuple[np.ndarray, np.ndarray]:
    """(positions of every newline, True where it is inside quotes), scanned in chunks."""
    nls, inside = [], []
    quotes_before = 0
    for start in range(0, len(body), _CHUNK):
        part = np.frombuffer(body, dtype=np.uint8, count=min(_CHUNK, len(body) - start), offset=start)
        nl = np.flatnonzero(part == 10)
        q = np.flatnonzero(part == 34)
        before = quotes_before + np.searchsorted(q, nl)
        nls.append(nl + start)
        inside.append((before & 1).astype(bool))
        quotes_before += len(q)
    if not nls:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=bool)
    return np.concatenate(nls).astype(np.int64), np.concatenate(inside)


def _row_lines(body: bytes, n_rows: int, first_line: int, multiline: bool) -> np.ndarray | None:
    """The physical line each of the ``n_rows`` parsed rows starts on; None if they do not add up."""
    if not multiline and b"\n\n" not in body and not body.startswith(b"\n"):
        count = body.count(b"\n") + (0 if not body or body.endswith(b"\n") else 1)
        return first_line + np.arange(n_rows, dtype=np.int64) if count == n_rows else None
    nl, inside = _quote_parity_ends(body)
    ends = nl[~inside]
    if len(body) and not body.endswith(b"\n"):
        ends = np.append(ends, len(body))
    starts = np.concatenate([[0], ends[:-1] + 1]).astype(np.int64) if len(ends) else np.zeros(0, dtype=np.int64)
    starts = starts[ends - starts > 0]  # empty lines are no rows
    if len(starts) != n_rows:
        return None
    return first_line + np.searchsorted(nl, starts).astype(np.int64)

"""Reading one XLSX sheet into the same shape as a delimited file (:class:`textio.Table`).

openpyxl in read-only, values-only mode (no formulas evaluated, cached values read), so a large
sheet streams.  Every cell becomes text the way a CSV would have it:

- ints as digits; integral floats below 10**15 as digits too (``12345.0`` -> ``12345``), never
  scientific notation.  openpyxl returns an int for a plain integer cell and a float only when
  the sheet XML holds a decimal or exponent form; a float of 16 digits or more cannot be trusted
  to the last digit (doubles keep 15-17), so it is written in scientific notation, which the
  order-id cleaner refuses with a clear message.  (An id that a spreadsheet already rounded and
  stored as a plain integer cannot be recognised: keep ids as text cells);
- other floats through ``repr`` (shortest exact text, ``12.34``), never rounded;
- datetimes as ``YYYY-MM-DD HH:MM:SS``, dates as ``YYYY-MM-DD``; booleans as ``true``/``false``.

Row numbers are the sheet's own (1-based), so messages point at the row the user sees in Excel.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, time
from decimal import Decimal

from ..archive import Archive, ArchiveLimits
from ..errors import LimitExceeded, ParseError
from ..i18n import _
from ..limits import too_many_rows
from ..settings import SETTINGS
from .base import describe_error
from .textio import Row, Source, Table

XLSX_MAGIC = b"PK\x03\x04"


def looks_like_xlsx(source: Source) -> bool:
    return source.data.startswith(XLSX_MAGIC) and (source.suffix in (".xlsx", ".xlsm", "")
                                                   or b"xl/" in source.data[:4096])


def cell_text(value: object) -> str:
    """A cell value as the text a CSV export would carry."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return ""
        if value.is_integer():
            return str(int(value)) if abs(value) < 10**15 else f"{value:.15E}"
        return repr(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    return str(value).strip()


def _open(source: Source):
    from openpyxl import load_workbook

    from ..settings import SETTINGS

    # A ZIP bomb (tiny file, huge sheet XML) or a directory that lies about a size is refused
    # before openpyxl unpacks anything: every member is inflated once through a bounded stream
    # (nothing kept), so openpyxl then reads only sizes that were checked.
    limit = 4 * int(SETTINGS.max_file_bytes)
    try:
        with Archive(source.data, source.name, ArchiveLimits.from_settings(member_bytes=limit,
                                                                           total_bytes=limit)) as archive:
            stated = sum(i.file_size for i in archive.infos)
            if stated > limit:
                raise LimitExceeded(_("{file}: {size} bytes once unpacked, the limit is {limit}", file=source.name,
                                      size=stated, limit=limit))
            archive.verify()
    except LimitExceeded:
        raise
    except ParseError as exc:
        raise ParseError(_("not a readable XLSX workbook: {error}", error=exc), file=source.name) from exc
    try:
        return load_workbook(io.BytesIO(source.data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise ParseError(_("not a readable XLSX workbook: {error}", error=describe_error(exc)), file=source.name) from exc
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types on a damaged file
        raise ParseError(_("not a readable XLSX workbook: {error}", error=describe_error(exc)), file=source.name) from exc


def sheet_names(source: Source) -> list[str]:
    wb = _open(source)
    try:
        return list(wb.sheetnames)
    finally:
        wb.close()


def read_sheet(source: Source, sheet: str | None = None, *, max_rows: int | None = None,
               header_predicate=None, header_only: bool = False) -> Table:
    """One sheet as a Table (header, data rows with sheet row numbers).

    ``sheet`` is matched case-insensitively; None means the first sheet.  Fully empty rows are
    dropped; rows are trimmed of trailing empty cells.  More than ``max_rows`` (default: the
    ``max_rows`` setting) data rows raises :class:`LimitExceeded`.
    """
    limit = max_rows if max_rows is not None else SETTINGS.max_rows
    wb = _open(source)
    try:
        if sheet is None:
            if not wb.worksheets:
                raise ParseError(_("the workbook has no sheet"), file=source.name)
            ws = wb.worksheets[0]
        else:
            match = [n for n in wb.sheetnames if n.strip().lower() == sheet.strip().lower()]
            if not match:
                raise ParseError(_("no sheet named '{sheet}' (sheets: {names})", sheet=sheet,
                                   names=", ".join(wb.sheetnames)), file=source.name)
            ws = wb[match[0]]
        header: list[str] | None = None
        header_line = 0
        rows: list[Row] = []
        preamble: list[Row] = []
        try:
            for n, values in enumerate(ws.iter_rows(values_only=True), start=1):
                cells = [cell_text(v) for v in values]
                while cells and cells[-1] == "":
                    cells.pop()
                if not cells:
                    continue
                if header is None:
                    if header_predicate is None or header_predicate(cells):
                        header, header_line = [c.strip() for c in cells], n
                        if header_only:
                            break
                    else:
                        preamble.append(Row(n, cells))
                    continue
                if len(rows) >= limit:
                    raise too_many_rows(limit, source.name)
                rows.append(Row(n, cells))
        except (LimitExceeded, ParseError):
            raise
        except Exception as exc:  # noqa: BLE001 - a damaged sheet XML surfaces as various errors
            raise ParseError(_("the sheet cannot be read: {error}", error=describe_error(exc)), file=source.name) from exc
        if header is None:
            raise ParseError(_("no header row found"), file=source.name)
        return Table(header, header_line, rows, "", "xlsx", preamble)
    finally:
        wb.close()

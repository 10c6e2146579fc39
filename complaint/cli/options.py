"""Options and output shared by every CLI command (the conventions of the foundation issue).

Every command that reads a case takes either a stored case (``--db PATH --case NAME``) or the
input files directly (``--orders FILE``, ``--bank FILE``, ``--evidence PATH``, each repeatable);
``--format json|csv|table`` where output is tabular; ``--as-of YYYY-MM-DD`` where a state depends
on today's date; progress goes to stderr.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from typing import Any

import click

from .. import api
from ..case import CaseData
from ..csvsafe import write_csv
from ..errors import ComplaintError
from ..i18n import _
from ..serialize import to_jsonable
from ..settings import SETTINGS


def _parse_as_of(_ctx, _param, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(_("'{value}' is not a date in the form YYYY-MM-DD", value=value)) from exc


def db_option(f: Callable) -> Callable:
    return click.option("--db", "db", type=click.Path(dir_okay=False), default=None, envvar="COMPLAINT_DB",
                        show_envvar=True, help="SQLite case store (default ~/.complaint-notebook/cases.sqlite).")(f)


def as_of_option(f: Callable) -> Callable:
    return click.option("--as-of", "as_of", callback=_parse_as_of, metavar="YYYY-MM-DD",
                        help="Compute states as of this day instead of today.")(f)


def format_option(default: str = "table", choices: Sequence[str] = ("json", "csv", "table")) -> Callable:
    def deco(f: Callable) -> Callable:
        return click.option("--format", "fmt", type=click.Choice(list(choices)), default=default,
                            show_default=True, help="Output format.")(f)
    return deco


def case_inputs(f: Callable) -> Callable:
    """--db/--case or --orders/--bank/--evidence (repeatable), plus --as-of."""
    options = [
        db_option,
        click.option("--case", "case_name", metavar="NAME", help="Read this stored case (with --db)."),
        click.option("--orders", "orders", multiple=True, type=click.Path(exists=True, dir_okay=False),
                     help="Order export file (repeatable)."),
        click.option("--bank", "bank", multiple=True, type=click.Path(exists=True, dir_okay=False),
                     help="Bank or PayPal statement file (repeatable)."),
        click.option("--evidence", "evidence", multiple=True, type=click.Path(exists=True),
                     help="Photo, screenshot, folder or ZIP (repeatable)."),
        as_of_option,
    ]
    for opt in reversed(options):
        f = opt(f)

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return f(*args, **kwargs)

    return wrapper


def load_inputs(db: str | None = None, case_name: str | None = None, orders: Sequence[str] = (),
                bank: Sequence[str] = (), evidence: Sequence[str] = (), as_of: date | None = None,
                **_ignored: Any) -> CaseData:
    """The CaseData a command works on: a stored case, or the files given, never both."""
    if case_name and (orders or bank or evidence):
        raise ComplaintError(_("give either --case or input files (--orders/--bank/--evidence), not both"))
    if case_name:
        data = api.case_data(stored_case(db, case_name))
        if as_of:
            data.as_of = as_of
        return data
    if not (orders or bank or evidence):
        raise ComplaintError(_("no input: give --case NAME (with --db) or --orders/--bank/--evidence files"))
    return api.case_from_files(orders=orders, bank=bank, evidence=evidence, as_of=as_of, progress=progress_callback)


def store_path(db: str | None) -> str:
    return str(db or SETTINGS.db_path)


def stored_case(db: str | None, case_name: str | None, *, create: bool = False) -> api.CaseHandle:
    """The case NAME (or number) of the store --db; a one-line error when there is none."""
    if not case_name:
        raise ComplaintError(_("give the case with --case NAME (and the store with --db)"))
    return api.open_case(case_name, db=store_path(db), create=create)


def stored_case_options(f: Callable) -> Callable:
    """--db and --case NAME (required): the stored case a command changes."""
    f = click.option("--case", "case_name", metavar="NAME", required=True, envvar="COMPLAINT_CASE",
                     help="The case to change (its name or number; COMPLAINT_CASE).")(f)
    return db_option(f)


def echo_record(record: Any, fmt: str, line: str) -> None:
    """One written record: ``line`` for people, the record itself with --format json."""
    if fmt == "json":
        click.echo(json.dumps(to_jsonable(record), ensure_ascii=False, indent=2))
    else:
        click.echo(line)


def record_format(f: Callable) -> Callable:
    return click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
                        help="text: one line; json: the record written.")(f)


def progress(message: str) -> None:
    click.echo(message, err=True)


_LAST_SHOWN = [0.0, ""]


def progress_callback(done: int, total: int, name: str = "") -> None:
    """Rows read of a file, pictures read of a folder: one line on stderr, redrawn in place, and
    only on a terminal (a script reading stderr gets the results, not a progress bar)."""
    import sys
    import time

    if not (sys.stderr and sys.stderr.isatty()):
        return

    now = time.monotonic()
    finished = done >= total
    if not finished and now - _LAST_SHOWN[0] < 0.2 and name == _LAST_SHOWN[1]:
        return
    _LAST_SHOWN[:] = [now, name]
    share = f" ({100 * done // total} %)" if total else ""
    click.echo(f"\r  {name}: {done:,} / {total:,}{share}\x1b[K", err=True, nl=finished)


_FLUSH = 1 << 16  # characters buffered before a write


class Output:
    """Text written to stdout in pieces of about 64 KB (click.echo per piece)."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0

    def write(self, text: str) -> None:
        self.parts.append(text)
        self.size += len(text)
        if self.size >= _FLUSH:
            self.flush()

    def flush(self) -> None:
        if self.parts:
            click.echo("".join(self.parts), nl=False)
            self.parts, self.size = [], 0


def stream_json(items: Iterable[tuple[str, Any]]) -> None:
    """One JSON object from (key, value) pairs written to stdout as it is built (``api.write_json``):
    a large report is never one string."""
    out = Output()
    api.write_json(items, out)
    out.flush()


def with_item(items: Iterable[tuple[str, Any]], key: str, value: Any) -> Iterator[tuple[str, Any]]:
    """The (key, value) pairs of ``items``, then ``key``/``value`` when ``value`` is not None."""
    yield from items
    if value is not None:
        yield key, value


def stream_json_array(objects: Iterable[Iterable[tuple[str, Any]]]) -> None:
    """A JSON array of such objects (one per file), each streamed like :func:`stream_json`."""
    out = Output()
    api.write_json_array(objects, out)
    out.flush()


def stream_csv(rows: Iterable[Any], columns: Sequence[str], batch: int = 5000) -> None:
    """Rows (dicts or records) as spreadsheet-safe CSV, written a batch at a time."""
    out = Output()
    cols = list(columns)
    chunk: list[list[str]] = []
    header = True
    for row in rows:
        plain = to_jsonable(row)
        chunk.append([_cell(plain.get(c)) for c in cols])
        if len(chunk) >= batch:
            out.write(_csv_lines(chunk, cols, header))
            chunk, header = [], False
    if chunk or header:
        out.write(_csv_lines(chunk, cols, header))
    out.flush()


def _csv_lines(rows: list[list[str]], cols: list[str], header: bool) -> str:
    text = write_csv(rows, cols)
    return text if header else text.split("\r\n", 1)[1]


def emit(data: Any, fmt: str, columns: Sequence[str] | None = None) -> None:
    """Print ``data`` (a list of dicts/records, or one dict for json) as json, csv or a table."""
    plain = to_jsonable(data)
    if fmt == "json":
        click.echo(json.dumps(plain, ensure_ascii=False, indent=2))
        return
    rows = plain if isinstance(plain, list) else [plain]
    cols = list(columns) if columns else _columns(rows)
    if fmt == "csv":
        click.echo(write_csv([[_cell(r.get(c)) for c in cols] for r in rows], cols), nl=False)
        return
    click.echo(_table(rows, cols))


def _columns(rows: list[dict]) -> list[str]:
    cols: list[str] = []
    for r in rows:
        for k in r:
            if k not in cols:
                cols.append(k)
    return cols


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _table(rows: list[dict], cols: list[str], max_width: int = 40) -> str:
    cells = [[_cell(r.get(c)).replace("\n", " ") for c in cols] for r in rows]
    cells = [[v if len(v) <= max_width else v[: max_width - 1] + "…" for v in row] for row in cells]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(cols)]
    line = "  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(out)

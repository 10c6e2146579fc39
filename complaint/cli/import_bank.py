"""complaint import-bank: read bank, card and PayPal statements and show (or store) what they hold.

Works for every registered bank importer (CSV exports of KBC, BNPPF, ING, Belfius, Argenta,
Crelan, Keytrade; CODA, camt.053, MT940, OFX, PayPal), or any table through a column mapping.  A
file nobody recognises, or that several importers claim, is reported in one line on stderr; the
other files are still read, and the exit code is 2 when any file failed.  Each file goes through
``complaint.api.read_file``, as on the Import page.
"""

from __future__ import annotations

from decimal import Decimal

import click

from .. import api
from ..csvsafe import write_csv
from ..errors import ComplaintError
from ..i18n import _
from .options import db_option, emit, progress, stored_case, stream_json_array, with_item

TXN_COLUMNS = ("id", "booking_date", "value_date", "amount", "currency", "counterparty", "counterparty_account",
               "description", "communication", "bank_reference", "merchant", "merchant_rule", "payment_method",
               "original_amount", "original_currency", "fx_rate", "card_masked", "account", "line")


def read_statements(paths: list[str], importer: str | None = None, mapping=None) -> tuple[list, list[str]]:
    """Read each file (detected, named or mapped); (reports, one-line errors)."""
    reports, errors = [], []
    for path in paths:
        try:
            reports.append(api.read_file(path, "bank", importer=importer, mapping=mapping))
        except ComplaintError as exc:
            errors.append(str(exc))
    return reports, errors


@click.command("import-bank")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "table", "summary"]), default="json",
              show_default=True, help="json: one object per file; csv or table: one row per transaction; "
                                      "summary: one line per file (rows read, imported, rejected, stored).")
@click.option("--importer", "importer", metavar="NAME", default=None,
              help="Force an importer (see --list-importers), e.g. when two formats match.")
@click.option("--mapping", "mapping_path", type=click.Path(exists=True, dir_okay=False), metavar="PROFILE.json",
              help="Read with this column-mapping profile (a statement no importer knows).")
@click.option("--list-importers", is_flag=True, is_eager=True, expose_value=False,
              callback=lambda ctx, _p, v: _list_importers(ctx) if v else None, help="List importer names and exit.")
@db_option
@click.option("--case", "case_name", metavar="NAME", default=None, help="Store the import in this case (with --db).")
def command(files: tuple[str, ...], fmt: str, importer: str | None, mapping_path: str | None, db: str | None,
            case_name: str | None) -> None:
    """Read bank and card statements: transactions, balance proof, rejected rows.

    \b
    Examples:
      complaint import-bank kbc_2026.csv --format json
      complaint import-bank bnppf.csv belfius.csv --format csv > all.csv
      complaint import-bank export.csv --importer bank.argenta_legacy_csv
      complaint import-bank odd.csv --mapping my-bank.json
      complaint import-bank kbc_2026.csv --db cases.sqlite --case "Sofa 2026" --format summary
    """
    mapping = api.load_mapping(mapping_path) if mapping_path else None
    reports, errors = read_statements(list(files), importer, mapping)
    stored = {}
    if case_name and reports:
        try:
            case = stored_case(db, case_name)
            for report in reports:
                s = api.add_file(case, report)
                stored[report.file] = {"added": s.added, "updated": s.updated, "unchanged": s.unchanged,
                                       "already_imported": s.already_imported}
        except ComplaintError as exc:
            click.echo(_("error: {message}", message=exc), err=True)
            raise SystemExit(2) from exc
    if fmt == "summary":
        for r in reports:
            line = r.summary
            if r.file in stored:
                line += "; " + _("stored: {added} added, {unchanged} already known", added=stored[r.file]["added"],
                                 unchanged=stored[r.file]["unchanged"])
            click.echo(line)
    elif fmt == "json":  # streamed: a statement of a million lines is never one string
        stream_json_array(with_item(r.json_items(), "stored", stored.get(r.file)) for r in reports)
    elif fmt == "table":
        emit([{"file": r.file, "format": r.format, **{c: t.get(c) for c in TXN_COLUMNS}}
              for r in reports for t in r.iter_records()], "table", ["file", "format", *TXN_COLUMNS])
    else:
        header = ["file", "format", *TXN_COLUMNS]
        rows = ([r.file, r.format, *(_cell(c, t.get(c)) for c in TXN_COLUMNS)] for r in reports
                for t in r.iter_records())
        out, first = [], True
        for row in rows:
            out.append(row)
            if len(out) >= 5000:
                click.echo(_csv(out, header, first), nl=False)
                out, first = [], False
        if out or first:
            click.echo(_csv(out, header, first), nl=False)
    if fmt != "summary":
        for report in reports:
            progress(report.summary)
    for err in errors:
        click.echo(_("error: {message}", message=err), err=True)
    if errors:
        raise SystemExit(2)


def _csv(rows: list, header: list[str], with_header: bool) -> str:
    text = write_csv(rows, header)
    return text if with_header else text.split("\r\n", 1)[1]


NUMERIC = {"amount", "original_amount", "fx_rate"}


def _cell(column: str, value):
    """Numbers go to the CSV writer as numbers (a negative amount must not be quoted as text)."""
    if value is None:
        return None
    return Decimal(value) if column in NUMERIC else value


def _list_importers(ctx: click.Context) -> None:
    for name, label in api.list_importers("bank").items():
        click.echo(f"{name}\t{label}")
    ctx.exit(0)

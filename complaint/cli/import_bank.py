"""complaint import-bank: read bank, card and PayPal statements and show (or store) what they hold.

Works for every registered bank importer (CSV exports of KBC, BNPPF, ING, Belfius, Argenta,
Crelan, Keytrade; CODA, camt.053, MT940, OFX, PayPal).  A file nobody recognises, or that several
importers claim, is reported in one line on stderr; the other files are still read, and the exit
code is 2 when any file failed.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import click

from ..csvsafe import write_csv
from ..errors import AmbiguousFormat, ComplaintError
from ..i18n import _
from ..importers.base import import_file, load_all
from ..records import BankTxn, ImportResult, Issue
from ..serialize import to_jsonable
from .options import db_option, emit, progress

TXN_COLUMNS = ("id", "booking_date", "value_date", "amount", "currency", "counterparty", "counterparty_account",
               "description", "communication", "bank_reference", "merchant", "merchant_rule", "payment_method",
               "original_amount", "original_currency", "fx_rate", "card_masked", "account", "line")


def txn_row(txn: BankTxn) -> dict:
    plain = to_jsonable(txn)
    row = {k: plain.get(k) for k in TXN_COLUMNS if k != "line"}
    row["line"] = txn.provenance.line_no if txn.provenance else None
    return row


def _issue_row(item: Issue) -> dict:
    return {"row": item.line, "field": item.field, "value": item.value, "reason": item.message}


def file_report(result: ImportResult) -> dict:
    """One file's import as the JSON contract of ``complaint import-bank``."""
    st, check = result.statement, result.balance_check
    return {
        "file": result.file,
        "format": result.importer,
        "sha256": result.sha256,
        "rows_total": result.rows_total,
        "rows_imported": result.rows_imported,
        "transactions": [txn_row(t) for t in result.records if isinstance(t, BankTxn)],
        "account": st.account if st else None,
        "opening_balance": to_jsonable(st.opening_balance) if st else None,
        "opening_date": to_jsonable(st.opening_date) if st else None,
        "closing_balance": to_jsonable(st.closing_balance) if st else None,
        "closing_date": to_jsonable(st.closing_date) if st else None,
        "balance_check": check.status,
        "balance_difference": to_jsonable(check.difference),
        "rejected_rows": [_issue_row(i) for i in result.rejected],
        "skipped_rows": [_issue_row(i) for i in result.skipped],
        "warnings": [_issue_row(i) for i in result.warnings],
    }


def import_bank_files(paths: list[str], importer: str | None = None) -> tuple[list[ImportResult], list[str]]:
    """Read each file with the detected (or named) importer; (results, one-line errors)."""
    results, errors = [], []
    for path in paths:
        try:
            result = import_file(path, kind=None if importer else "bank", importer=importer)
        except AmbiguousFormat as exc:
            errors.append(_("{error} (use --importer {names})", error=exc, names=" or ".join(exc.candidates)))
            continue
        except ComplaintError as exc:
            errors.append(str(exc))
            continue
        if result.kind != "bank":
            errors.append(_("{file}: this is not a bank statement ({importer})", file=Path(path).name,
                            importer=result.importer))
            continue
        results.append(result)
    return results, errors


@click.command("import-bank")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "table"]), default="json", show_default=True,
              help="json: one object per file; csv or table: one row per transaction.")
@click.option("--importer", "importer", metavar="NAME", default=None,
              help="Force an importer (see --list-importers), e.g. when two formats match.")
@click.option("--list-importers", is_flag=True, is_eager=True, expose_value=False,
              callback=lambda ctx, _p, v: _list_importers(ctx) if v else None, help="List importer names and exit.")
@db_option
@click.option("--case", "case_name", metavar="NAME", default=None, help="Store the import in this case (with --db).")
def command(files: tuple[str, ...], fmt: str, importer: str | None, db: str | None, case_name: str | None) -> None:
    """Read bank and card statements: transactions, balance proof, rejected rows.

    \b
    Examples:
      complaint import-bank kbc_2026.csv --format json
      complaint import-bank bnppf.csv belfius.csv --format csv > all.csv
      complaint import-bank export.csv --importer bank.argenta_legacy_csv
      complaint import-bank kbc_2026.csv --db cases.sqlite --case "Sofa 2026"
    """
    results, errors = import_bank_files(list(files), importer)
    stored = {}
    if case_name and results:
        try:
            stored = _store(results, db, case_name)
        except ComplaintError as exc:
            click.echo(_("error: {message}", message=exc), err=True)
            raise SystemExit(2) from exc
    reports = [file_report(r) for r in results]
    for report in reports:
        if report["file"] in stored:
            report["stored"] = stored[report["file"]]
    if fmt == "json":
        click.echo(json.dumps(reports, ensure_ascii=False, indent=2))
    elif fmt == "table":
        emit([{"file": rep["file"], "format": rep["format"], **{c: t.get(c) for c in TXN_COLUMNS}}
              for rep in reports for t in rep["transactions"]], "table", ["file", "format", *TXN_COLUMNS])
    else:
        header = ["file", "format", *TXN_COLUMNS]
        rows = [[rep["file"], rep["format"], *(_cell(c, t.get(c)) for c in TXN_COLUMNS)]
                for rep in reports for t in rep["transactions"]]
        click.echo(write_csv(rows, header), nl=False)
    for rep in reports:
        progress(_("{file}: {format}, {n} imported, {rejected} rejected, {skipped} skipped, balance {check}",
                   file=rep["file"], format=rep["format"], n=len(rep["transactions"]),
                   rejected=len(rep["rejected_rows"]), skipped=len(rep["skipped_rows"]), check=rep["balance_check"]))
    for err in errors:
        click.echo(_("error: {message}", message=err), err=True)
    if errors:
        raise SystemExit(2)


NUMERIC = {"amount", "original_amount", "fx_rate"}


def _cell(column: str, value):
    """Numbers go to the CSV writer as numbers (a negative amount must not be quoted as text)."""
    if value is None:
        return None
    return Decimal(value) if column in NUMERIC else value


def _store(results: list[ImportResult], db: str | None, case_name: str) -> dict[str, dict]:
    from ..settings import SETTINGS
    from ..store.db import Store

    store = Store.open(db or SETTINGS.db_path)
    case = store.get_case(case_name)
    out = {}
    for result in results:
        s = store.add_import(case.id, result)
        out[result.file] = {"added": s.added, "updated": s.updated, "unchanged": s.unchanged,
                            "already_imported": s.already_imported}
    return out


def _list_importers(ctx: click.Context) -> None:
    for name, imp in sorted(load_all().items()):
        if imp.kind == "bank":
            click.echo(f"{name}\t{imp.label}")
    ctx.exit(0)

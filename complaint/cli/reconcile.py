"""``complaint reconcile``: payments against orders, refunds against promises, missing credits."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .. import api
from ..errors import ComplaintError
from ..i18n import _
from ..records import RefundPromise
from ..serialize import from_dict
from .options import Output, case_inputs, emit, format_option, load_inputs, progress

MISSING_COLUMNS = api.MISSING_COLUMNS
MATCH_COLUMNS = ["kind", "order_ids", "transaction_ids", "score", "reasons"]


def read_promises(path: str) -> list[RefundPromise]:
    """A JSON list of refund promises: ``[{"id", "order_id", "amount", "currency", "promised_on", ...}]``."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeError, json.JSONDecodeError) as exc:
        raise ComplaintError(_("{file}: not a JSON list of promises ({error})", file=path, error=exc)) from exc
    if not isinstance(data, list):
        raise ComplaintError(_("{file}: expected a JSON list of promises", file=path))
    out = []
    for i, item in enumerate(data, start=1):
        try:
            if not isinstance(item, dict):
                raise TypeError("not an object")
            item = {"id": f"cli-{i}", **item}
            out.append(from_dict(RefundPromise, item))
        except (TypeError, ValueError, KeyError, ArithmeticError) as exc:
            raise ComplaintError(_("{file} entry {n}: not a refund promise ({error})", file=path, n=i,
                                   error=exc)) from exc
    return out


@click.command("reconcile")
@case_inputs
@click.option("--promises", "promises", type=click.Path(exists=True, dir_okay=False),
              help="JSON list of refund promises for a one-off run.")
@click.option("--window-days", default=10, show_default=True, help="Days a card booking may lag the order.")
@click.option("--tolerance", default="0.03", show_default=True, help="Relative amount tolerance (FX margin).")
@click.option("--engine", type=click.Choice(["pandas", "duckdb", "auto"]), default="auto", show_default=True,
              help="Matching engine: pandas in memory, DuckDB (large inputs), or auto by size.")
@format_option("table")
def command(fmt: str, promises: str | None, window_days: int, tolerance: str, engine: str, **kwargs) -> None:
    """Match payments to orders and refunds to credits; list the refunds that never arrived.

    \b
    Example:
      complaint reconcile --orders orders.csv --bank kbc.csv --as-of 2026-11-20 --format json
    """
    from decimal import Decimal, InvalidOperation

    case = load_inputs(**kwargs)
    if promises:
        case.promises.extend(read_promises(promises))
    try:
        tol = Decimal(tolerance)
    except InvalidOperation as exc:
        raise ComplaintError(_("--tolerance '{value}' is not a number", value=tolerance)) from exc
    n_orders, n_txns = case.counts()
    progress(_("reconciling {orders} orders and {txns} transactions", orders=n_orders, txns=n_txns))
    result = api.reconcile(case, kwargs.get("as_of"), window_days=window_days, amount_tolerance=tol, engine=engine)
    if fmt in ("json", "csv"):  # written as the report is built (api.write_report)
        out = Output()
        api.write_report(result, out, fmt)
        out.flush()
        return
    data = result.to_json()
    s = data["summary"]
    click.echo(_("paid {paid} EUR; refunds expected {exp} EUR, credited {cred} EUR, pending {pend} EUR, "
                 "overdue {over} EUR", paid=f"{s['paid_eur']:.2f}", exp=f"{s['refunds_expected_eur']:.2f}",
                 cred=f"{s['refunds_credited_eur']:.2f}", pend=f"{s['refunds_pending_eur']:.2f}",
                 over=f"{s['refunds_overdue_eur']:.2f}"))
    click.echo("")
    click.echo(_("Missing credits"))
    emit(data["missing_credits"], "table", MISSING_COLUMNS)
    click.echo("")
    click.echo(_("Matches"))
    emit(data["matches"], "table", MATCH_COLUMNS)
    for title, key in ((_("Debits with no order"), "unmatched_transactions"),
                       (_("Orders with no payment found"), "orders_without_payment"),
                       (_("Double charges"), "duplicate_charges"),
                       (_("Credits with no expected refund"), "credits_without_refund"),
                       (_("Rejected rows"), "rejected_rows")):
        if data[key]:
            click.echo("")
            click.echo(title)
            emit(data[key], "table", None)

"""``complaint match``: the user's word on a match: confirm, reject, link by hand, or clear."""

from __future__ import annotations

import click

from .. import api
from ..i18n import _
from .options import echo_record, record_format, stored_case, stored_case_options


def _match_options(f):
    for opt in reversed([
        click.option("--order", "order_ids", multiple=True, required=True, metavar="ID",
                     help="An order of the match (repeatable, or comma-separated)."),
        click.option("--txn", "txn_ids", multiple=True, required=True, metavar="ID",
                     help="A transaction of the match: its id in 'complaint reconcile --format json' (repeatable)."),
        click.option("--kind", type=click.Choice(["payment", "refund"]), default="payment", show_default=True,
                     help="A payment of the orders, or a refund credited for them."),
    ]):
        f = opt(f)
    return stored_case_options(f)


@click.group("match")
def command() -> None:
    """Confirm, reject or link payments and refunds by hand; the reconciliation follows your word.

    \b
    Examples:
      complaint match confirm --order 8116516504403817 --txn r3c1f0... --db cases.sqlite --case "Sofa 2026"
      complaint match reject --order 8116516504403817 --txn r3c1f0... --db cases.sqlite --case "Sofa 2026"
      complaint match link --kind refund --order 3035361745554821 --txn m9a2... --db cases.sqlite --case "Sofa 2026"
    """


def _decide(action, db, case_name, order_ids, txn_ids, kind, note, fmt) -> None:
    d = action(stored_case(db, case_name), order_ids, txn_ids, kind=kind, note=note)
    echo_record(d, fmt, _("{decision}: {kind} {orders} <-> {txns}", decision=d.decision, kind=d.kind,
                          orders=", ".join(d.order_ids), txns=", ".join(d.txn_ids)))


@command.command("confirm")
@_match_options
@click.option("--note", default=None, help="Why, in your words.")
@record_format
def confirm(db, case_name, order_ids, txn_ids, kind, note, fmt) -> None:
    """Confirm that the transactions pay (or refund) the orders.

    \b
    Example:
      complaint match confirm --order 8116516504403817 --txn r3c1f0 --db cases.sqlite --case "Sofa 2026"
    """
    _decide(api.confirm_match, db, case_name, order_ids, txn_ids, kind, note, fmt)


@command.command("reject")
@_match_options
@click.option("--note", default=None, help="Why, in your words.")
@record_format
def reject(db, case_name, order_ids, txn_ids, kind, note, fmt) -> None:
    """The transactions are not for the orders: never propose this match again.

    \b
    Example:
      complaint match reject --order 8116516504403817 --txn r3c1f0 --db cases.sqlite --case "Sofa 2026"
    """
    _decide(api.reject_match, db, case_name, order_ids, txn_ids, kind, note, fmt)


@command.command("link")
@_match_options
@click.option("--note", default=None, help="Why, in your words.")
@record_format
def link(db, case_name, order_ids, txn_ids, kind, note, fmt) -> None:
    """Link orders and transactions the matching did not pair (another account, a split payment).

    \b
    Example:
      complaint match link --order 3035361745554821 --txn m9a2 --db cases.sqlite --case "Sofa 2026"
    """
    _decide(api.link_match, db, case_name, order_ids, txn_ids, kind, note, fmt)


@command.command("clear")
@_match_options
def clear(db, case_name, order_ids, txn_ids, kind) -> None:
    """Forget your word on this match (it is proposed again as the matching sees it).

    \b
    Example:
      complaint match clear --order 8116516504403817 --txn r3c1f0 --db cases.sqlite --case "Sofa 2026"
    """
    api.clear_decision(stored_case(db, case_name), order_ids, txn_ids, kind=kind)
    click.echo(_("cleared"))

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


DECISIONS = {
    "confirm": (api.confirm_match, "Confirm that the transactions pay (or refund) the orders."),
    "reject": (api.reject_match, "The transactions are not for the orders: never propose this match again."),
    "link": (api.link_match, "Link orders and transactions the matching did not pair (another account, a split "
                             "payment)."),
}


def _decision_command(name: str) -> click.Command:
    action, summary = DECISIONS[name]

    def decide(db, case_name, order_ids, txn_ids, kind, note, fmt) -> None:
        d = action(stored_case(db, case_name), order_ids, txn_ids, kind=kind, note=note)
        echo_record(d, fmt, _("{decision}: {kind} {orders} <-> {txns}", decision=d.decision, kind=d.kind,
                              orders=", ".join(d.order_ids), txns=", ".join(d.txn_ids)))

    decide.__doc__ = (f"{summary}\n\n    \b\n    Example:\n      complaint match {name} --order 8116516504403817 "
                      f"--txn r3c1f0 --db cases.sqlite --case \"Sofa 2026\"\n    ")
    decide = record_format(click.option("--note", default=None, help="Why, in your words.")(_match_options(decide)))
    return command.command(name)(decide)


for _name in DECISIONS:
    _decision_command(_name)


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

"""``complaint promise``: record, withdraw and list refund promises of a stored case."""

from __future__ import annotations

import click

from .. import api
from ..i18n import _
from .options import echo_record, emit, format_option, record_format, stored_case, stored_case_options


@click.group("promise")
def command() -> None:
    """Refund promises: the reconciliation expects each promised credit and says when it is late.

    \b
    Examples:
      complaint promise add 8116516504403817 14,90 --by dispute --on 2026-06-18 --db cases.sqlite --case "Sofa 2026"
      complaint promise add 8116516504403817 14,90 --arn 74987506169000123456789 --id promise-05 --db cases.sqlite ...
      complaint promise list --db cases.sqlite --case "Sofa 2026"
      complaint promise withdraw 3f2a9c1e0b7d --db cases.sqlite --case "Sofa 2026"
    """


@command.command("add")
@stored_case_options
@click.argument("order_id")
@click.argument("amount")
@click.option("--currency", default="EUR", show_default=True, help="ISO code of the amount.")
@click.option("--on", "promised_on", metavar="DATE", help="Day of the promise (default: the case's today).")
@click.option("--by", type=click.Choice(["platform", "seller", "dispute"]), default="platform", show_default=True,
              help="Who promised it.")
@click.option("--to", "destination", type=click.Choice(["original_payment", "platform_balance"]),
              default="original_payment", show_default=True,
              help="Where the money goes: the card/PayPal paid with, or the AliExpress balance (no bank credit).")
@click.option("--note", default=None, help="What was promised, in your words.")
@click.option("--id", "promise_id", default=None, help="Replace the promise with this id.")
@click.option("--arn", default=None, metavar="REFERENCE",
              help="The refund reference AliExpress gave for your card issuer (ARN, usually 23 digits); "
                   "the letters quote it so the bank can trace the credit.")
@record_format
def add(db, case_name, order_id, amount, currency, promised_on, by, destination, note, promise_id, arn, fmt) -> None:
    """Record that AMOUNT was promised as a refund of ORDER_ID.

    \b
    Examples:
      complaint promise add 8116516504403817 14,90 --by dispute --db cases.sqlite --case "Sofa 2026"
      complaint promise add 8116516504403817 14,90 --by dispute --on 2026-06-18 --arn 74987506169000123456789 \\
          --db cases.sqlite --case "Sofa 2026"
    """
    p = api.record_promise(stored_case(db, case_name), order_id, amount, currency, promised_on, by=by,
                           destination=destination, note=note, promise_id=promise_id, arn=arn)
    echo_record(p, fmt, _("recorded promise {id}: {amount} {currency} for order {order}", id=p.id,
                          amount=p.amount, currency=p.currency, order=p.order_id))


@command.command("withdraw")
@stored_case_options
@click.argument("promise_id")
def withdraw(db, case_name, promise_id) -> None:
    """Remove the promise PROMISE_ID (recorded by mistake).

    \b
    Example:
      complaint promise withdraw 3f2a9c1e0b7d --db cases.sqlite --case "Sofa 2026"
    """
    api.withdraw_promise(stored_case(db, case_name), promise_id)
    click.echo(_("withdrew promise {id}", id=promise_id))


@command.command("list")
@stored_case_options
@format_option("table")
def list_(db, case_name, fmt) -> None:
    """List the refund promises of the case.

    \b
    Example:
      complaint promise list --db cases.sqlite --case "Sofa 2026" --format json
    """
    emit(api.promises(stored_case(db, case_name)), fmt,
         ["id", "order_id", "amount", "currency", "promised_on", "by", "destination", "arn", "note"])

"""``complaint order``: an order's problem, how its dispute ended, and orders typed in by hand;
``complaint transaction``: a statement line typed in by hand."""

from __future__ import annotations

import click

from .. import api
from ..i18n import _
from ..records import OrderStatus, Outcome, PaymentMethod, Problem
from .options import echo_record, record_format, stored_case, stored_case_options

NONE = "none"


@click.group("order")
def command() -> None:
    """What you know about an order: the problem, the dispute's outcome; or an order typed in.

    \b
    Examples:
      complaint order problem 8116516504403817 missing_item --paid-with debit_card --db cases.sqlite --case "Sofa 2026"
      complaint order outcome 8116516504403817 partial_refund --amount 14,90 --on 2026-06-18 --db cases.sqlite --case "Sofa 2026"
      complaint order add 3069099405659913 --date 2026-03-01 --total 12,34 --db cases.sqlite --case "Sofa 2026"
    """


@command.command("problem")
@stored_case_options
@click.argument("order_id")
@click.argument("problem", type=click.Choice([p.value for p in Problem] + [NONE]))
@click.option("--paid-with", "payment_method", type=click.Choice([m.value for m in PaymentMethod]), default=None,
              help="How the order was paid (decides refund delays and whether a chargeback is possible).")
@record_format
def problem(db, case_name, order_id, problem, payment_method, fmt) -> None:
    """Say what went wrong with ORDER_ID ('none' clears it).

    \b
    Example:
      complaint order problem 8116516504403817 missing_item --db cases.sqlite --case "Sofa 2026"
    """
    extra = {"payment_method": payment_method} if payment_method else {}
    ann = api.set_problem(stored_case(db, case_name), order_id, None if problem == NONE else problem, **extra)
    echo_record(ann, fmt, _("order {order}: problem {problem}", order=ann.order_id, problem=ann.problem or NONE))


@command.command("outcome")
@stored_case_options
@click.argument("order_id")
@click.argument("outcome", type=click.Choice([o.value for o in Outcome] + [NONE]))
@click.option("--on", "on", metavar="DATE", help="Day the dispute ended (default: the case's today).")
@click.option("--amount", default=None, help="Amount refunded (default for a full refund: the order's amount).")
@click.option("--currency", default=None, help="ISO code of the amount (default: the order's).")
@click.option("--to", "destination", type=click.Choice(["original_payment", "platform_balance"]),
              default="original_payment", show_default=True, help="Where the refund goes.")
@click.option("--note", default=None, help="What was decided, in your words.")
@record_format
def outcome(db, case_name, order_id, outcome, on, amount, currency, destination, note, fmt) -> None:
    """Say how the dispute of ORDER_ID ended ('none' clears it); a refund is then expected.

    \b
    Example:
      complaint order outcome 8116516504403817 full_refund --on 2026-06-18 --db cases.sqlite --case "Sofa 2026"
    """
    ann = api.set_outcome(stored_case(db, case_name), order_id, None if outcome == NONE else outcome, on,
                          amount=amount, currency=currency, destination=destination, note=note)
    echo_record(ann, fmt, _("order {order}: dispute outcome {outcome}", order=ann.order_id,
                            outcome=ann.outcome or NONE))


@command.command("add")
@stored_case_options
@click.argument("order_id")
@click.option("--date", "order_date", required=True, metavar="DATE", help="Day the order was placed.")
@click.option("--total", default=None, help="What the order cost (empty: unknown).")
@click.option("--currency", default="EUR", show_default=True)
@click.option("--store", default=None, help="The seller's store name.")
@click.option("--status", default=OrderStatus.UNKNOWN.value, show_default=True,
              help="Status as a value (shipped, completed, cancelled...) or the app's wording.")
@click.option("--title", default=None, help="The product.")
@click.option("--quantity", default="1", show_default=True)
@record_format
def add(db, case_name, order_id, order_date, total, currency, store, status, title, quantity, fmt) -> None:
    """Add ORDER_ID typed by hand (an order no export holds).

    \b
    Example:
      complaint order add 3069099405659913 --date 2026-03-01 --total 12,34 --db cases.sqlite --case "Sofa 2026"
    """
    order = api.add_order(stored_case(db, case_name), order_id, order_date, total, currency, store=store,
                          status=status, title=title, quantity=quantity)
    echo_record(order, fmt, _("added order {order}", order=order.order_id))


@click.command("transaction")
@stored_case_options
@click.argument("booking_date")
@click.argument("amount")
@click.option("--currency", default="EUR", show_default=True)
@click.option("--counterparty", default=None, help="The name on the statement (e.g. AliExpress).")
@click.option("--description", default=None, help="The statement's text.")
@record_format
def transaction(db, case_name, booking_date, amount, currency, counterparty, description, fmt) -> None:
    """Add a statement line typed by hand: AMOUNT negative for money out.

    \b
    Example:
      complaint transaction --db cases.sqlite --case "Sofa 2026" --counterparty AliExpress 2026-03-02 -- -12,34
    """
    txn = api.add_transaction(stored_case(db, case_name), booking_date, amount, currency, counterparty=counterparty,
                              description=description)
    echo_record(txn, fmt, _("added transaction {id}: {amount} {currency} on {date}", id=txn.id, amount=txn.amount,
                            currency=txn.currency, date=txn.booking_date.isoformat()))


COMMANDS = [command, transaction]

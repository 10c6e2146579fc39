"""Records typed in by hand: one order, one bank transaction.

For what no export contains (an order placed from the phone, a refund seen only in the banking
app).  Inputs may be text (from a form or the CLI) or typed values; every problem raises
:class:`ComplaintError` naming the field, e.g. ``total: '12,3O' is not a number``.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

from ..errors import ComplaintError
from ..i18n import _
from ..records import MANUAL, BankTxn, Order, OrderLine, OrderStatus
from .base import stable_txn_id
from .orders.common import clean_order_id, order_total
from .orders.status import classify, refund_expectation
from .values import ValueParseError, parse_amount, parse_date

_CURRENCY = re.compile(r"^[A-Z]{3}$")


def field_error(field: str, error: object) -> ComplaintError:
    return ComplaintError(_("{field}: {error}", field=field, error=error))


def field_date(field: str, value: date | str | None) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        day = parse_date(value)
    except ValueParseError as exc:
        raise field_error(field, exc) from exc
    if day is None:
        raise field_error(field, _("a date is required"))
    return day


def field_amount(field: str, value: Decimal | int | str | None, *, required: bool = True) -> Decimal | None:
    if isinstance(value, float):
        raise field_error(field, _("give the amount as text or Decimal, not a float"))
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        amount = Decimal(value)
    else:
        try:
            amount = parse_amount(value)
        except ValueParseError as exc:
            raise field_error(field, exc) from exc
    if amount is None:
        if required:
            raise field_error(field, _("an amount is required"))
        return None
    if not amount.is_finite():
        raise field_error(field, _("'{value}' is not a number", value=value))
    return amount


def field_currency(value: str | None) -> str:
    code = (value or "").strip().upper()
    if not _CURRENCY.match(code):
        raise field_error("currency", _("'{value}' is not a three-letter currency code such as EUR",
                                         value=value or ""))
    return code


def manual_order(order_id: str | int, order_date: date | str, total: Decimal | str | int | None, currency: str,
                 store: str | None = None, status: OrderStatus | str = OrderStatus.UNKNOWN,
                 title: str | None = None, quantity: int | str = 1) -> Order:
    """An order typed by hand: one line whose unit price is ``total / quantity``.

    ``status`` may be an :class:`OrderStatus` or any wording ("Cancelled", "FINISH"); the refund
    expectation follows it as for imported orders.  ``total`` may be None (unknown).
    """
    try:
        oid = clean_order_id(str(order_id).strip() if not isinstance(order_id, int) else order_id)
    except ValueParseError as exc:
        raise field_error("order_id", exc) from exc
    day = field_date("order_date", order_date)
    amount = field_amount("total", total, required=False)
    if amount is not None and amount < 0:
        raise field_error("total", _("an order total cannot be negative"))
    cur = field_currency(currency)
    try:
        qty = int(str(quantity).strip())
    except ValueError as exc:
        raise field_error("quantity", _("'{value}' is not a whole number", value=quantity)) from exc
    if qty <= 0:
        raise field_error("quantity", _("the quantity must be at least 1"))
    if isinstance(status, OrderStatus):
        info_status, text = status, status.value
        expected, reason = refund_expectation(status)
    else:
        info = classify(status)
        info_status, text, expected, reason = info.status, info.status_text, info.refund_expected, info.refund_reason
    unit = None if amount is None else amount / qty
    if unit is not None and unit * qty != amount:
        unit = None  # not a whole number of cents per unit: keep the total, not a rounded unit price
    line = OrderLine(order_id=oid, title=(title or "").strip() or _("(entered by hand)"), quantity=qty,
                     unit_price=unit, currency=cur, line_id="manual", provenance=MANUAL)
    computed = order_total([line])
    return Order(order_id=oid, order_date=day, status=info_status, status_text=text, currency=cur,
                 total=computed if computed is not None else amount, store=(store or "").strip() or None,
                 items=(line,), refund_expected=expected, refund_reason=reason, provenance=MANUAL)


def manual_transaction(booking_date: date | str, amount: Decimal | str | int, currency: str,
                       counterparty: str | None = None, description: str | None = None) -> BankTxn:
    """A bank movement typed by hand (negative = money out); its id is stable for the same input."""
    day = field_date("booking_date", booking_date)
    value = field_amount("amount", amount)
    if value == 0:
        raise field_error("amount", _("the amount cannot be zero"))
    cur = field_currency(currency)
    cp = (counterparty or "").strip() or None
    desc = (description or "").strip() or None
    from .bank.merchants import recognise

    txn = BankTxn(id=stable_txn_id("manual", day, value, cur, cp, desc, prefix="m"), booking_date=day,
                  amount=value, currency=cur, counterparty=cp, description=desc, provenance=MANUAL)
    return recognise(txn)

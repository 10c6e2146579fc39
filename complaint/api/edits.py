"""What the user records by hand: refund promises, their word on a match, an order's problem and
how its dispute ended, the buyer's own details, and orders or statement lines typed in.

Every function takes a stored case (one transaction per call) or a CaseData (changed in memory),
checks its input and raises a ComplaintError naming the field, e.g. ``amount: '12,3O' is not a number``.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

from ..calendar_be import today_brussels
from ..errors import ComplaintError
from ..i18n import _
from ..records import (
    OUTCOME_LABELS,
    PROMISE_BY,
    REFUND_OUTCOMES,
    BankTxn,
    BuyerProfile,
    Decision,
    Order,
    OrderAnnotation,
    OrderStatus,
    Outcome,
    PaymentMethod,
    Problem,
    RefundPromise,
    match_key,
)
from ..serialize import from_dict
from .cases import CaseHandle, CaseLike, case_data, write_records

KEEP = object()  # "leave this field as it is"
DESTINATIONS = ("original_payment", "platform_balance")
PROFILE_LANGUAGES = ("fr", "nl", "en", "de")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


def _today(case: CaseLike) -> date:
    as_of = case.as_of if isinstance(case, CaseHandle) else case_data(case).as_of
    return as_of or today_brussels()


def check_order_id(value) -> str:
    """An AliExpress order number as the case keeps it (digits only), or a ComplaintError naming
    the field; a number a spreadsheet turned into 3.06909940565991E+15 is refused, not guessed.

    >>> import complaint
    >>> complaint.check_order_id(" 3069099405659913 ")
    '3069099405659913'
    >>> complaint.check_order_id("3.06909940565991E+15")
    Traceback (most recent call last):
    ...
    complaint.errors.ComplaintError: order_id: ...
    """
    return _order_id(value)


def _order_id(value, case: CaseLike | None = None) -> str:
    """A checked order number; one the case already holds is taken as it is (whatever its shape)."""
    from ..importers.manual import field_error
    from ..importers.orders.common import clean_order_id
    from ..importers.values import ValueParseError

    text = str(value).strip() if value is not None else ""
    try:
        return clean_order_id(text)
    except ValueParseError as exc:
        if text and case is not None and any(o.order_id == text for o in _stored(case, "orders", Order)):
            return text
        raise field_error("order_id", exc) from exc


def _choice(field: str, value, choices) -> str:
    text = str(getattr(value, "value", value) or "").strip()
    if text not in choices:
        raise ComplaintError(_("{field}: '{value}' is not one of {choices}", field=field, value=value,
                               choices=", ".join(choices)))
    return text


def _stored(case: CaseLike, table: str, cls: type) -> list:
    """The records of one table, without reading the whole case from the store."""
    if isinstance(case, CaseHandle):
        return [from_dict(cls, row) for row in case.store.raw_table(case.id, table)]
    data = case_data(case)
    return {"promises": data.promises, "annotations": list(data.annotations.values()),
            "decisions": data.decisions, "orders": data.orders}[table]


# -- refund promises --------------------------------------------------------------------------------

def record_promise(case: CaseLike, order_id: str, amount: Decimal | str, currency: str = "EUR",
                   promised_on: date | str | None = None, *, by: str = "platform",
                   destination: str = "original_payment", note: str | None = None,
                   promise_id: str | None = None, arn: str | None = None) -> RefundPromise:
    """A refund someone promised: the reconciliation then expects the credit (unless it goes to the
    AliExpress balance, ``destination="platform_balance"``) and says when it is overdue.

    ``by``: platform, seller or dispute; ``promised_on`` defaults to the case's today; the same
    ``promise_id`` again replaces that promise.  ``arn``: the refund reference AliExpress gives for
    the card issuer (Acquirer Reference Number, usually 23 digits), quoted by the letters so the bank
    can trace the credit.

    >>> import complaint
    >>> case = complaint.open_sample()
    >>> p = complaint.record_promise(case, "3035361745554821", "6,60", promised_on="2026-11-10", by="seller")
    >>> (p.amount, p.currency, p.by)
    (Decimal('6.60'), 'EUR', 'seller')
    >>> complaint.record_promise(case, "3035361745554821", "6,60", arn="7498750 6169 0001 2345 6789").arn
    '74987506169000123456789'
    >>> complaint.record_promise(case, "3035361745554821", "six euros")
    Traceback (most recent call last):
    ...
    complaint.errors.ComplaintError: amount: 'six euros' is not a number
    """
    from ..importers.manual import field_amount, field_currency, field_date, field_error

    oid = _order_id(order_id, case)
    value = field_amount("amount", amount)
    if value <= 0:
        raise field_error("amount", _("a refund promise needs a positive amount"))
    promise = RefundPromise(
        id=promise_id or uuid.uuid4().hex[:12], order_id=oid, amount=value, currency=field_currency(currency),
        promised_on=_today(case) if promised_on in (None, "") else field_date("promised_on", promised_on),
        by=_choice("by", by, PROMISE_BY), destination=_choice("destination", destination, DESTINATIONS),
        note=(note or "").strip() or None, arn=check_arn(arn))
    write_records(case, put=[promise])
    return promise


_ARN = re.compile(r"^[0-9A-Z]{6,40}$")


def check_arn(value) -> str | None:
    """A refund reference (ARN) as kept: spaces and dashes removed, upper case; None when empty.
    It must hold at least 6 digits (an ARN is usually 23 digits; some platforms add letters).

    >>> import complaint
    >>> complaint.check_arn("7498750-6169-0001-2345-6789")
    '74987506169000123456789'
    >>> complaint.check_arn("see chat")
    Traceback (most recent call last):
    ...
    complaint.errors.ComplaintError: arn: 'see chat' is not a refund reference (6 to 40 letters or digits, usually 23 digits)
    """
    text = re.sub(r"[\s\-./]", "", str(value or "")).upper()
    if not text:
        return None
    if not _ARN.match(text) or sum(ch.isdigit() for ch in text) < 6:
        raise ComplaintError(_("arn: '{value}' is not a refund reference (6 to 40 letters or digits, usually 23 "
                               "digits)", value=str(value).strip()))
    return text


def withdraw_promise(case: CaseLike, promise_id: str) -> None:
    """Remove a refund promise recorded by mistake (the reconciliation stops expecting it).

    >>> import complaint
    >>> case = complaint.open_sample()
    >>> complaint.withdraw_promise(case, "promise-06")
    >>> "promise-06" in {p.id for p in complaint.promises(case)}
    False
    """
    if not any(p.id == promise_id for p in _stored(case, "promises", RefundPromise)):
        raise ComplaintError(_("no refund promise {id} in this case", id=promise_id))
    write_records(case, delete=[(RefundPromise, promise_id)])


def promises(case: CaseLike) -> list[RefundPromise]:
    """The refund promises of the case, in the order they were recorded.

    >>> import complaint
    >>> [p.id for p in complaint.promises(complaint.open_sample())][:2]
    ['promise-01', 'promise-02']
    """
    return list(_stored(case, "promises", RefundPromise))


# -- the user's word on a match ---------------------------------------------------------------------

def _ids(value) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else list(value or ())
    return tuple(dict.fromkeys(s.strip() for item in items for s in str(item).split(",") if s.strip()))


def _decide(case: CaseLike, decision: str, order_ids, txn_ids, kind: str, note: str | None) -> Decision:
    orders, txns = _ids(order_ids), _ids(txn_ids)
    kind = _choice("kind", kind, ("payment", "refund"))
    if not orders or not txns:
        raise ComplaintError(_("give at least one order and one transaction"))
    data = case_data(case)
    unknown = [o for o in orders if data.order(o) is None]
    known_txns = {t.id for t in data.transactions}
    unknown += [t for t in txns if t not in known_txns]
    if unknown:
        raise ComplaintError(_("not in this case: {ids}", ids=", ".join(unknown)))
    made = Decision(match_key(kind, orders, txns), decision, kind, orders, txns, datetime.now(UTC),
                    (note or "").strip() or None)
    write_records(case, put=[made])
    return made


def confirm_match(case: CaseLike, order_ids, txn_ids, *, kind: str = "payment", note: str | None = None) -> Decision:
    """Confirm that these transactions pay (or refund) these orders: the match is kept as it is.

    >>> import complaint
    >>> case = complaint.open_sample()
    >>> m = complaint.reconcile(case).matches[0]
    >>> complaint.confirm_match(case, m.order_ids, m.txn_ids, kind=m.kind).decision
    'confirmed'
    >>> next(x for x in complaint.reconcile(case).matches if x.key == m.key).decision
    'confirmed'
    """
    return _decide(case, "confirmed", order_ids, txn_ids, kind, note)


def reject_match(case: CaseLike, order_ids, txn_ids, *, kind: str = "payment", note: str | None = None) -> Decision:
    """These transactions are not for these orders: the match is never proposed again.

    >>> import complaint
    >>> case = complaint.open_sample()
    >>> m = complaint.reconcile(case).matches[0]
    >>> _ = complaint.reject_match(case, m.order_ids, m.txn_ids, kind=m.kind)
    >>> m.key in {x.key for x in complaint.reconcile(case).matches if x.decision != "rejected"}
    False
    """
    return _decide(case, "rejected", order_ids, txn_ids, kind, note)


def link_match(case: CaseLike, order_ids, txn_ids, *, kind: str = "payment", note: str | None = None) -> Decision:
    """Link orders and transactions by hand (what the matching could not find, e.g. a payment
    from another account); comma-separated ids or lists.

    >>> import complaint
    >>> case = complaint.open_sample()
    >>> txn = complaint.add_transaction(case, "2026-08-25", "-9,99", counterparty="Bancontact transfer")
    >>> complaint.link_match(case, "3035361745554821", txn.id).decision
    'linked'
    """
    return _decide(case, "linked", order_ids, txn_ids, kind, note)


def clear_decision(case: CaseLike, order_ids, txn_ids, *, kind: str = "payment") -> None:
    """Forget the user's word on this match (confirmed, rejected or linked).

    >>> import complaint
    >>> case = complaint.open_sample()
    >>> m = complaint.reconcile(case).matches[0]
    >>> _ = complaint.reject_match(case, m.order_ids, m.txn_ids, kind=m.kind)
    >>> complaint.clear_decision(case, m.order_ids, m.txn_ids, kind=m.kind)
    >>> next(x for x in complaint.reconcile(case).matches if x.key == m.key).decision is None
    True
    """
    key = match_key(_choice("kind", kind, ("payment", "refund")), _ids(order_ids), _ids(txn_ids))
    write_records(case, delete=[(Decision, key)])


# -- annotations: the problem and the dispute outcome -----------------------------------------------

def annotation(case: CaseLike, order_id: str) -> OrderAnnotation:
    """What the user said about an order (an empty annotation when nothing yet).

    >>> import complaint
    >>> complaint.annotation(complaint.open_sample(), "8116516504403817").problem
    'short_quantity'
    """
    oid = _order_id(order_id, case)
    found = [a for a in _stored(case, "annotations", OrderAnnotation) if a.order_id == oid]
    return found[0] if found else OrderAnnotation(order_id=oid)


def set_problem(case: CaseLike, order_id: str, problem: str | Problem | None, *,
                payment_method=KEEP) -> OrderAnnotation:
    """What went wrong with an order (a :class:`~complaint.records.Problem` value, None to clear),
    and optionally how it was paid: they decide the guide's steps, the evidence to gather and the
    refund deadlines.

    >>> import complaint
    >>> case = complaint.open_sample()
    >>> complaint.set_problem(case, "3035361745554821", "late", payment_method="paypal").problem
    'late'
    >>> complaint.set_problem(case, "3035361745554821", "broken")
    Traceback (most recent call last):
    ...
    complaint.errors.ComplaintError: problem: 'broken' is not one of damaged, missing_item, wrong_item, not_as_described, short_quantity, late, not_delivered, refund_not_received
    """
    old = annotation(case, order_id)
    value = None if problem in (None, "") else _choice("problem", problem, [p.value for p in Problem])
    method = old.payment_method
    if payment_method is not KEEP:
        method = None if payment_method in (None, "") else _choice("payment_method", payment_method,
                                                                   [m.value for m in PaymentMethod])
    new = replace(old, problem=value, payment_method=method)
    write_records(case, put=[new])
    return new


def set_outcome(case: CaseLike, order_id: str, outcome: str | Outcome | None, on: date | str | None = None, *,
                amount: Decimal | str | None = None, currency: str | None = None,
                destination: str = "original_payment", note: str | None = None) -> OrderAnnotation:
    """How the order's dispute ended (an :class:`~complaint.records.Outcome` value; None to clear).

    The chronology then shows the dispute closed on ``on`` (default: the case's today).  A refund
    outcome (full, partial, after a return) is also a refund promise by the dispute, so the
    reconciliation expects the credit: ``amount`` defaults to the order's amount for a full refund
    and is needed for a partial one.  When the case already holds a promise by the dispute for the
    order, that promise stands for the refund and no second one is added.  Written in one transaction.

    >>> import complaint
    >>> case = complaint.open_sample()
    >>> ann = complaint.set_outcome(case, "3035361745554821", "partial_refund", "2026-11-12", amount="5")
    >>> (ann.outcome, str(ann.outcome_on))
    ('partial_refund', '2026-11-12')
    >>> [str(p.amount) for p in complaint.promises(case) if p.id == "outcome-3035361745554821"]
    ['5']
    """
    from ..importers.manual import field_amount, field_currency, field_date, field_error

    old = annotation(case, order_id)
    oid = old.order_id
    promise_id = f"outcome-{oid}"
    if outcome in (None, ""):
        new = replace(old, outcome=None, outcome_on=None)
        write_records(case, put=[new], delete=[(RefundPromise, promise_id)])
        return new
    value = Outcome(_choice("outcome", outcome, [o.value for o in Outcome]))
    day = _today(case) if on in (None, "") else field_date("on", on)
    new = replace(old, outcome=value.value, outcome_on=day)
    put: list = [new]
    delete: list = [(RefundPromise, promise_id)]
    others = [p for p in _stored(case, "promises", RefundPromise)
              if p.order_id == oid and p.by == "dispute" and p.id != promise_id]
    if value in REFUND_OUTCOMES and not others:
        order = next((o for o in _stored(case, "orders", Order) if o.order_id == oid), None)
        refund = field_amount("amount", amount, required=False)
        if refund is None and value is not Outcome.PARTIAL_REFUND and order is not None:
            refund = order.amount_due
        if refund is None or refund <= 0:
            raise field_error("amount", _("give the amount the dispute refunds"))
        cur = field_currency(currency or (order.currency if order is not None else None) or "EUR")
        put.append(RefundPromise(id=promise_id, order_id=oid, amount=refund, currency=cur, promised_on=day,
                                 by="dispute", destination=_choice("destination", destination, DESTINATIONS),
                                 note=(note or "").strip() or _(OUTCOME_LABELS[value])))
        delete = []
    write_records(case, put=put, delete=delete)
    return new


# -- the buyer's profile ----------------------------------------------------------------------------

def profile(case: CaseLike) -> BuyerProfile:
    """The buyer's details kept in the case (empty fields when none yet).

    >>> import complaint
    >>> complaint.profile(complaint.open_sample()).name
    'Lotte Janssens'
    """
    if isinstance(case, CaseHandle):
        found = case.store.buyer_profile(case.id)
    else:
        found = case_data(case).profile
    return found or BuyerProfile()


def set_profile(case: CaseLike, *, name=KEEP, address=KEEP, email=KEEP, language=KEEP) -> BuyerProfile:
    """Keep the buyer's name, postal address, e-mail and preferred letter language (fr, nl, en,
    de) in the case; the letters use them.  Fields not given stay as they are; "" clears one.

    >>> import complaint
    >>> case = complaint.open_case("Mine")
    >>> complaint.set_profile(case, name="Lotte Janssens", email="lotte@example.be", language="nl").language
    'nl'
    >>> complaint.set_profile(case, email="lotte(at)example.be")
    Traceback (most recent call last):
    ...
    complaint.errors.ComplaintError: email: 'lotte(at)example.be' is not an e-mail address
    """
    old = profile(case)

    def text(value, current, multiline=False):
        if value is KEEP:
            return current
        value = str(value or "").replace("\r\n", "\n").strip()
        return (value if multiline else " ".join(value.split())) or None

    new = BuyerProfile(name=text(name, old.name), address=text(address, old.address, multiline=True),
                       email=text(email, old.email), language=text(language, old.language))
    if new.email and not _EMAIL.match(new.email):
        raise ComplaintError(_("email: '{value}' is not an e-mail address", value=new.email))
    if new.language:
        _choice("language", new.language.lower(), PROFILE_LANGUAGES)
        new = replace(new, language=new.language.lower())
    if isinstance(case, CaseHandle):
        case.store.set_buyer_profile(case.id, new)
    else:
        case_data(case).profile = new
    return new


# -- orders and statement lines typed in ------------------------------------------------------------

def add_order(case: CaseLike, order_id: str, order_date: date | str, total: Decimal | str | None,
              currency: str = "EUR", *, store: str | None = None, status: OrderStatus | str = OrderStatus.UNKNOWN,
              title: str | None = None, quantity: int | str = 1) -> Order:
    """An order typed by hand (no export for it): one line; ``status`` a value or the app's wording.

    >>> import complaint
    >>> case = complaint.open_case("Mine")
    >>> complaint.add_order(case, "3069099405659913", "2026-03-01", "12,34", store="Shop").total
    Decimal('12.34')
    """
    from ..importers.manual import manual_order

    order = manual_order(order_id, order_date, total, currency, store=store, status=status, title=title,
                         quantity=quantity)
    write_records(case, put=[order])
    return order


def add_transaction(case: CaseLike, booking_date: date | str, amount: Decimal | str, currency: str = "EUR", *,
                    counterparty: str | None = None, description: str | None = None) -> BankTxn:
    """A statement line typed by hand (negative: money out), recognised like an imported one.

    >>> import complaint
    >>> case = complaint.open_case("Mine")
    >>> complaint.add_transaction(case, "2026-03-02", "-12,34", counterparty="AliExpress").merchant
    'aliexpress'
    """
    from ..importers.manual import manual_transaction

    txn = manual_transaction(booking_date, amount, currency, counterparty=counterparty, description=description)
    if isinstance(case, CaseHandle):
        case.store.add_transaction(case.id, txn)
    else:
        data = case_data(case)
        data.transactions = [t for t in data.transactions if t.id != txn.id] + [txn]
    return txn

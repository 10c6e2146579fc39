"""Plain-language reasons for every match and every missing credit (rendered in the reader's language).

Every word goes through :func:`complaint.i18n._`, amounts through :func:`complaint.fmt.money` and
days through :func:`complaint.fmt.day`, so a French or Dutch page reads ``14,90 €`` and
``2 mars 2026``, never ``14.90 EUR`` or an ISO date.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import numpy as np
from babel.numbers import format_decimal

from .. import fmt
from ..i18n import LOCALES, N_, _, get_language
from ..records import PROMISE_BY, STATUS_LABELS, OrderStatus
from .expect import REFUND_DELAYS
from .fx import from_day_number, minor_exponent

METHOD_LABELS = {"card": N_("card"), "paypal": N_("PayPal"), "bank_transfer": N_("bank transfer")}


def _m(cents, currency: str) -> str:
    """Minor units as a money amount in the reader's language (``14,90 €``)."""
    return fmt.money(Decimal(int(cents)).scaleb(-minor_exponent(currency)), currency)


def _d(day_number: int) -> str:
    return fmt.day(from_day_number(int(day_number)))


def _rate(rate: Decimal) -> str:
    """An ECB rate with its four decimals, in the reader's notation (``1,0465``)."""
    return format_decimal(rate, format="#,##0.0000", locale=LOCALES.get(get_language(), "en_BE"))


def _pts(value: float) -> str:
    return fmt.number(round(float(value), 3))


def _reason_text(code: str | None) -> str:
    """The importer's refund reason code (``status:cancelled``, ``end_reason:...``) in words."""
    kind, _sep, value = (code or "").partition(":")
    if kind == "status" and value in set(OrderStatus):
        return _("order status: {status}", status=_(STATUS_LABELS[OrderStatus(value)]))
    if kind == "end_reason" and value:
        return _("closing reason on AliExpress: {code}", code=value)
    return code or _("order status")


def _nan(x) -> bool:
    return x is None or (isinstance(x, float) and np.isnan(x))


def payment_reasons(row, r, oids, tids):
    """(reasons, amount gap as Decimal in the compared currency, day gap, ECB rate or None)."""
    if isinstance(row.decision, str):
        return [_("linked by you") if row.decision == "linked" else _("confirmed by you")], None, None, None
    txns, orders = r.txns, r.orders
    t = int(row.txn)
    merchant = txns["merchant"].iat[t]
    reasons = [_("statement text recognised as {merchant}", merchant=merchant)]
    members = list(row.order_idx)
    cur = str(row.currency)
    due = int(orders["due_cents"].to_numpy()[members].sum())
    gap = int(row.gap)
    mode = int(row.mode)
    rate = None
    if mode == 1:
        if abs(gap) <= 1:
            reasons.append(_("amount {amount} equal to the order total", amount=_m(due, cur)))
        else:
            reasons.append(_("amount differs from the order total {amount} by {gap}",
                             amount=_m(due, cur), gap=_m(gap, cur)))
        gap_value = Decimal(gap).scaleb(-minor_exponent(cur))
    elif mode == 0:
        reasons.append(_("the bank shows the original amount {amount}, {verdict}",
                         amount=_m(due + gap, cur),
                         verdict=_("equal to the order total") if abs(gap) <= 1 else
                         _("{gap} from the order total", gap=_m(gap, cur))))
        gap_value = Decimal(gap).scaleb(-minor_exponent(cur))
    else:
        rate = Decimal(str(round(float(row.rate), 4)))
        eur = int(orders["eur"].to_numpy()[members].sum())
        day = from_day_number(int(orders["order_day"].iat[members[0]]))
        reasons.append(_("{amount} at the ECB rate {rate} of {day} = {eur}; debited {paid} "
                         "({gap}, within the card FX margin)", amount=_m(due, cur), rate=_rate(rate),
                         day=fmt.day(day), eur=_m(eur, "EUR"), paid=_m(eur + gap, "EUR"), gap=_m(gap, "EUR")))
        gap_value = Decimal(gap).scaleb(-2)
    dg = int(row.day_gap)
    if dg < 0:
        reasons.append(_("booked the day before the order (time zones)"))
    else:
        reasons.append(_("booked {days} day(s) after the order", days=dg))
    if len(members) > 1:
        reasons.append(_("one debit for {n} orders placed together (combined checkout): {orders}",
                         n=len(members), orders=", ".join(oids)))
    if not _nan(row.tie_unit) and int(row.tie_unit) >= 0:
        other = [str(r.orders["order_id"].iat[i]) for i in _unit_members(r, row)]
        reasons.append(_("same evidence as order {other} with transaction {txn}: paired in time order (earlier "
                         "order with earlier debit); swap by hand if that is wrong",
                         other=", ".join(other), txn=str(txns["txn_id"].iat[int(row.tie_txn)])))
    reasons.extend(funding_reasons(r, t))
    reasons.append(_("score {score} = descriptor {d} + amount {a} + date {t} points out of 9",
                     score=_pts(row.score), d=_pts(round(row.desc_pts, 2)), a=_pts(round(row.amount_pts, 2)),
                     t=_pts(round(row.date_pts, 2))))
    return reasons, gap_value, dg, rate


def funding_reasons(r, t: int) -> list[str]:
    """"Funded through PayPal payment X": the bank debits that topped up PayPal for payment row ``t``."""
    f = getattr(r, "funding", None)
    if f is None or not len(f):
        return []
    txns = r.txns
    out = []
    for bank in f["bank"].to_numpy()[f["payment"].to_numpy() == t].tolist():
        out.append(_("funded through PayPal payment {payment}: bank debit {txn} of {amount} on {day} "
                     "topped up PayPal for it", payment=str(txns["txn_id"].iat[t]), txn=str(txns["txn_id"].iat[bank]),
                     amount=_m(-int(txns["amount_cents"].iat[bank]), str(txns["currency"].iat[bank])),
                     day=_d(txns["day"].iat[bank])))
    return out


def _unit_members(r, row):
    # the tied candidate's orders: look them up among the payment rows by its transaction
    hit = r.payments[[int(t[0]) == int(row.tie_txn) for t in r.payments["txn_idx"]]]
    return list(hit["order_idx"].iat[0]) if len(hit) else []


def refund_reasons(e, cr, r, tids):
    """(reasons, difference in EUR when settled through a rate, ECB rate or None)."""
    reasons = [_source_text(e)]
    if isinstance(cr.decision, str):
        reasons.append(_("linked by you") if cr.decision == "linked" else _("confirmed by you"))
    txns = r.txns
    rate = None
    for tid, idx, d in zip(tids, cr.txn_idx, cr.details, strict=True):
        if d is None:
            continue
        _pts, kind, mode, gap, on_purchase, related, after = d
        day = _d(txns["day"].iat[int(idx)])
        amount = _m(txns["amount_cents"].iat[int(idx)], txns["currency"].iat[int(idx)])
        if related:
            reasons.append(_("PayPal refund {txn} refers to the payment of this order", txn=tid))
        if on_purchase:
            reasons.append(_("credit {txn} of {amount} is booked on the purchase date {day}, before the refund was "
                             "granted (AliExpress documents such back-dated refunds)", txn=tid, amount=amount,
                             day=day))
        elif not after:
            reasons.append(_("credit {txn} of {amount} on {day}, before the promise date", txn=tid, amount=amount,
                             day=day))
        else:
            reasons.append(_("credit {txn} of {amount} on {day}", txn=tid, amount=amount, day=day))
        if kind == "partial":
            reasons.append(_("a part of the refund"))
        elif int(mode) == 2:
            rate = Decimal(str(round(float(e.rate), 4)))
            reasons.append(_("{amount} at the ECB rate {rate} of {day} = {eur}; the difference "
                             "{gap} comes from the exchange rate", amount=_m(e.amount_cents, e.currency),
                             rate=_rate(rate), day=_d(e.since_day), eur=_m(e.eur, "EUR"), gap=_m(gap, "EUR")))
        elif abs(int(gap)) <= 1:
            reasons.append(_("amount equal to the expected refund"))
    if len(tids) > 1:
        reasons.append(_("{n} credits add up to {sum} of {expected}", n=len(tids),
                         sum=_m(cr.credited_eur, "EUR"), expected=_m(e.eur, "EUR")))
    gap = Decimal(int(cr.credited_eur) - int(e.eur)).scaleb(-2)
    return reasons, gap, rate


def _source_text(e) -> str:
    since = _d(e.since_day)
    if e.source == "promise":
        return _("refund of {amount} promised by {by} on {day}", amount=_m(e.amount_cents, e.currency),
                 by=_(PROMISE_BY.get(e.by, e.by)), day=since)
    return _("the order says a refund of {amount} is due ({reason}); counted from {day}",
             amount=_m(e.amount_cents, e.currency), reason=_reason_text(e.by), day=since)


def missing_reason(e, today: date, tids, r) -> str:
    start = _d(min(e.purchase_day, e.pay_day) if e.pay_day >= 0 else e.purchase_day)
    parts = [_source_text(e)]
    if tids:
        parts.append(_("only {credited} of {expected} credited ({txns})", credited=_m(e.credited_eur, "EUR"),
                       expected=_m(e.eur, "EUR"), txns=", ".join(tids)))
    else:
        parts.append(_("no matching AliExpress/PayPal credit on the statements from {start} to {today}",
                       start=start, today=fmt.day(today)))
    delay = REFUND_DELAYS.get(e.method)
    parts.append(_("{waited} Belgian business days waited; the delay for {method} is {delay} business days "
                   "(due {due})", waited=int(e.waiting), method=_(METHOD_LABELS.get(e.method, e.method)),
                   delay=int(e.delay_days), due=_d(e.due_day)))
    if delay is not None:
        parts.append(_("source: {source}", source=_(delay.source)))
    return "; ".join(parts)

"""Plain-language reasons for every match and every missing credit (rendered in the reader's language).

Every word goes through :func:`complaint.i18n._`, amounts through :func:`complaint.fmt.money` and
days through :func:`complaint.fmt.day`, so a French or Dutch page reads ``14,90 €`` and
``2 mars 2026``, never ``14.90 EUR`` or an ISO date.
"""

from __future__ import annotations

import functools
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
    return _money_text(int(cents), currency, get_language())


@functools.lru_cache(maxsize=1 << 17)
def _money_text(cents: int, currency: str, lang: str) -> str:
    layout = _money_layout(currency, lang)
    if layout is None:
        return fmt.money(Decimal(cents).scaleb(-minor_exponent(currency)), currency, lang)
    return _render_money(layout, cents)


_PROBES = (0, 1, 5, 50, 99, 100, 101, 999, 1000, 99999, 100000, 123456, 99999999, 123456789012, -1, -99, -100,
           -123456, -123456789012)


@functools.lru_cache(maxsize=512)
def _money_layout(currency: str, lang: str) -> tuple[str, ...] | None:
    """How :func:`complaint.fmt.money` writes ``currency`` in ``lang`` (signs, group and decimal
    marks), read off babel's own output, so a report of 100,000 amounts formats each without
    babel; None (babel every time) unless it gives babel's text on every probe."""
    if minor_exponent(currency) != 2:
        return None

    def parts(text: str) -> tuple[str, str, str]:
        digits = [i for i, ch in enumerate(text) if ch.isdigit()]
        return text[:digits[0]], text[digits[0]:digits[-1] + 1], text[digits[-1] + 1:]

    pre, body, post = parts(fmt.money(Decimal("1234567.89"), currency, lang))
    npre, nbody, npost = parts(fmt.money(Decimal("-1234567.89"), currency, lang))
    if body != nbody or not body.startswith("1") or "234" not in body or "567" not in body:
        return None
    group = body[1:body.index("234")]
    mark = body[body.index("567") + 3:body.rindex("89")]
    layout = (pre, post, npre, npost, group, mark)
    ok = all(_render_money(layout, c) == fmt.money(Decimal(c).scaleb(-2), currency, lang) for c in _PROBES)
    return layout if ok else None


def _render_money(layout: tuple[str, ...], cents: int) -> str:
    pre, post, npre, npost, group, mark = layout
    whole, frac = divmod(abs(cents), 100)
    body = f"{whole:,}".replace(",", group) + mark + f"{frac:02d}"
    return (npre + body + npost) if cents < 0 else (pre + body + post)


def _d(day_number: int) -> str:
    return _day_text(int(day_number), get_language())


@functools.lru_cache(maxsize=16384)
def _day_text(day_number: int, lang: str) -> str:
    return fmt.day(from_day_number(day_number), lang)


def _rate(rate: Decimal) -> str:
    """An ECB rate with its four decimals, in the reader's notation (``1,0465``)."""
    return _rate_text(rate, get_language())


@functools.lru_cache(maxsize=16384)
def _rate_text(rate: Decimal, lang: str) -> str:
    return format_decimal(rate, format="#,##0.0000", locale=LOCALES.get(lang, "en_BE"))


def _pts(value: float) -> str:
    return _number_text(round(float(value), 3), get_language())


@functools.lru_cache(maxsize=4096)
def _number_text(value: float, lang: str) -> str:
    return fmt.number(value, lang)


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


class _Arrays:
    """The columns the reasons read, taken out of the result's frames once per report (a pandas
    lookup per value would cost more than the sentence)."""

    def __init__(self, r):
        self.merchant = r.txns["merchant"].to_numpy(dtype=object)
        self.txn_id = r.txns["txn_id"].to_numpy(dtype=object)
        self.due = r.orders["due_cents"].to_numpy(dtype=np.int64)
        self.eur = r.orders["eur"].to_numpy(dtype=np.int64)
        self.order_day = r.orders["order_day"].to_numpy(dtype=np.int64)
        self.order_id = r.orders["order_id"].to_numpy(dtype=object)
        self.txn_day = r.txns["day"].to_numpy(dtype=np.int64)
        self.txn_cents = r.txns["amount_cents"].to_numpy(dtype=np.int64)
        self.txn_currency = r.txns["currency"].to_numpy(dtype=object)
        self._payment_of_txn: dict[int, int] | None = None
        self.r = r

    @classmethod
    def of(cls, r) -> _Arrays:
        cached = getattr(r, "_explain_arrays", None)
        if cached is None:
            cached = cls(r)
            r._explain_arrays = cached
        return cached

    def payment_of_txn(self, t: int) -> int | None:
        """The payment row whose first transaction is ``t``."""
        if self._payment_of_txn is None:
            first = self.r.payment_txns.first()
            self._payment_of_txn = {}
            for i, x in enumerate(first.tolist()):
                self._payment_of_txn.setdefault(int(x), i)
        return self._payment_of_txn.get(int(t))


def payment_reasons(row, r, oids, tids):
    """(reasons, amount gap as Decimal in the compared currency, day gap, ECB rate or None)."""
    if isinstance(row.decision, str):
        return [_("linked by you") if row.decision == "linked" else _("confirmed by you")], None, None, None
    a = _Arrays.of(r)
    t = int(row.txn)
    merchant = a.merchant[t]
    reasons = [_("statement text recognised as {merchant}", merchant=merchant)]
    members = list(row.order_idx)
    cur = str(row.currency)
    due = int(a.due[members].sum()) if len(members) > 1 else int(a.due[members[0]])
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
        eur = int(a.eur[members].sum())
        reasons.append(_("{amount} at the ECB rate {rate} of {day} = {eur}; debited {paid} "
                         "({gap}, within the card FX margin)", amount=_m(due, cur), rate=_rate(rate),
                         day=_d(a.order_day[members[0]]), eur=_m(eur, "EUR"), paid=_m(eur + gap, "EUR"),
                         gap=_m(gap, "EUR")))
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
        other = [str(a.order_id[i]) for i in _unit_members(r, row)]
        reasons.append(_("same evidence as order {other} with transaction {txn}: paired in time order (earlier "
                         "order with earlier debit); swap by hand if that is wrong",
                         other=", ".join(other), txn=str(a.txn_id[int(row.tie_txn)])))
    reasons.extend(funding_reasons(r, t))
    reasons.append(_("score {score} = descriptor {d} + amount {a} + date {t} points out of 9",
                     score=_pts(row.score), d=_pts(round(row.desc_pts, 2)), a=_pts(round(row.amount_pts, 2)),
                     t=_pts(round(row.date_pts, 2))))
    return reasons, gap_value, dg, rate


def all_payment_reasons(r) -> list[tuple]:
    """(reasons, gap, day gap, rate) of every payment row of ``r``, as :func:`payment_reasons`
    gives them.  The common shape (one order, one debit, the amounts compared as they are, no tie,
    no decision, no PayPal funding) is worded from per-value look-ups; every other row goes
    through :func:`payment_reasons` itself."""
    pay = r.payment_rows
    n = len(pay)
    if not n:
        return []
    a = _Arrays.of(r)
    sizes = r.payment_orders.sizes()
    decision = pay["decision"].to_numpy(dtype=object)
    mode = pay["mode"].to_numpy(dtype=np.float64)
    tie = pay["tie_unit"].to_numpy(dtype=np.float64)
    txn = pay["txn"].to_numpy(dtype=np.float64)
    funded = set()
    f = getattr(r, "funding", None)
    if f is not None and len(f):
        funded = set(f["payment"].to_numpy().tolist())
    simple = ((sizes == 1) & np.isin(mode, (0, 1, 2)) & ~(tie >= 0)
              & np.array([not isinstance(d, str) for d in decision]) & np.isfinite(txn))
    if funded:
        simple &= ~np.isin(np.nan_to_num(txn, nan=-1).astype(np.int64), list(funded))
    rows = np.flatnonzero(simple)
    out: list = [None] * len(rows)
    if len(rows):
        first = r.payment_orders.items[r.payment_orders.ptr[:-1][rows]]
        t = txn[rows].astype(np.int64)
        gap = pay["gap"].to_numpy()[rows].astype(np.int64)
        day_gap = pay["day_gap"].to_numpy()[rows].astype(np.int64)
        cur = pay["currency"].to_numpy(dtype=object)[rows]
        points = [pay[c].to_numpy()[rows] for c in ("score", "desc_pts", "amount_pts", "date_pts")]
        due = a.due[first]
        modes = mode[rows].astype(np.int64).tolist()
        rates = pay["rate"].to_numpy(dtype=np.float64)[rows].tolist()
        eurs = a.eur[first].tolist()
        days = a.order_day[first].tolist()
        ecb = _("{amount} at the ECB rate {rate} of {day} = {eur}; debited {paid} "
                "({gap}, within the card FX margin)")
        original = _("the bank shows the original amount {amount}, {verdict}")
        same, off = _("equal to the order total"), _("{gap} from the order total")
        said: dict = {}
        booked: dict = {}
        scored: dict = {}
        lang = get_language()
        equal = _("amount {amount} equal to the order total")  # the templates, translated once
        differs = _("amount differs from the order total {amount} by {gap}")
        money = _money_text
        merchants = a.merchant[t].tolist()
        for k, (merchant, g, dg, c, dd, sc, dp, ap, tp) in enumerate(zip(
                merchants, gap.tolist(), day_gap.tolist(), cur.tolist(), due.tolist(),
                *(x.tolist() for x in points), strict=True)):
            first_line = said.get(merchant)
            if first_line is None:
                first_line = said[merchant] = _("statement text recognised as {merchant}", merchant=merchant)
            md = modes[k]
            rate = None
            if md == 1:
                if abs(g) <= 1:
                    amount_line = equal.format(amount=money(dd, c, lang))
                else:
                    amount_line = differs.format(amount=money(dd, c, lang), gap=money(g, c, lang))
                gap_value = Decimal(g).scaleb(-_exponent(c))
            elif md == 0:
                amount_line = original.format(amount=money(dd + g, c, lang), verdict=same if abs(g) <= 1 else
                                              off.format(gap=money(g, c, lang)))
                gap_value = Decimal(g).scaleb(-_exponent(c))
            else:
                rate = Decimal(str(round(rates[k], 4)))
                eur = eurs[k]
                amount_line = ecb.format(amount=money(dd, c, lang), rate=_rate_text(rate, lang),
                                         day=_day_text(days[k], lang), eur=money(eur, "EUR", lang),
                                         paid=money(eur + g, "EUR", lang), gap=money(g, "EUR", lang))
                gap_value = Decimal(g).scaleb(-2)
            day_line = booked.get(dg)
            if day_line is None:
                day_line = booked[dg] = (_("booked the day before the order (time zones)") if dg < 0 else
                                         _("booked {days} day(s) after the order", days=dg))
            key = (sc, dp, ap, tp)
            score_line = scored.get(key)
            if score_line is None:
                score_line = scored[key] = _(
                    "score {score} = descriptor {d} + amount {a} + date {t} points out of 9", score=_pts(sc),
                    d=_pts(round(dp, 2)), a=_pts(round(ap, 2)), t=_pts(round(tp, 2)))
            out[k] = ([first_line, amount_line, day_line, score_line], gap_value, dg, rate)
    if len(rows) == n:
        return out
    full: list = [None] * n
    for k, i in enumerate(rows.tolist()):
        full[i] = out[k]
    rest = np.flatnonzero(~simple)
    o_ids, t_ids = a.order_id, a.txn_id
    order_lists, txn_lists = r.payment_orders.rows(rest), r.payment_txns.rows(rest)
    for k, (i, base) in enumerate(zip(rest.tolist(), r.payment_rows.iloc[rest].itertuples(index=False), strict=True)):
        row = _PaymentRow(base, order_lists[k], txn_lists[k])
        oids = tuple(str(o_ids[j]) for j in row.order_idx)
        tids = tuple(str(t_ids[j]) for j in row.txn_idx)
        full[i] = payment_reasons(row, r, oids, tids)
    return full


class _PaymentRow:
    """A payment row with its order and transaction lists (``FrameResult.payments`` builds them for
    every row; the few rows worded one by one need only theirs)."""

    __slots__ = ("_base", "order_idx", "txn_idx")

    def __init__(self, base, order_idx, txn_idx):
        self._base, self.order_idx, self.txn_idx = base, order_idx, txn_idx

    def __getattr__(self, name: str):
        return getattr(self._base, name)


@functools.lru_cache(maxsize=64)
def _exponent(currency: str) -> int:
    return minor_exponent(currency)


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
    # the tied candidate's orders: those of the payment whose debit is the tied transaction
    at = _Arrays.of(r).payment_of_txn(int(row.tie_txn))
    return list(r.payment_orders.rows([at])[0]) if at is not None else []


def refund_reasons(e, cr, r, tids):
    """(reasons, difference in EUR when settled through a rate, ECB rate or None)."""
    reasons = [_source_text(e)]
    if isinstance(cr.decision, str):
        reasons.append(_("linked by you") if cr.decision == "linked" else _("confirmed by you"))
    a = _Arrays.of(r)
    rate = None
    for tid, idx, d in zip(tids, cr.txn_idx, cr.details, strict=True):
        if d is None:
            continue
        _pts, kind, mode, gap, on_purchase, related, after = d
        day = _d(a.txn_day[int(idx)])
        amount = _m(a.txn_cents[int(idx)], a.txn_currency[int(idx)])
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

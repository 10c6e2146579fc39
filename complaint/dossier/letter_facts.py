"""What a letter says about one order, read from the order's case view: its story, its facts in
date order, and what it claims.

A letter is a template (templates/letters/<lang>/<kind>.txt.j2) over the context built here.
Everything comes from the :class:`~complaint.dossier.view.OrderView`: what was ordered and paid
(date, amount, debit date and account); what went wrong; what was done (seller contacted and the
seller's answer, dispute opened and its outcome, help-centre chat); what was promised (by whom,
when, how much, to which payment method, with the refund reference for the card issuer); what
the help centre and the bank said; what arrived (credits, with dates); what is missing
(outstanding = promised - credited, since when, business days waited against the stated delay,
the statement period searched).  So a letter cannot say what the chronology does not: no "no
answer" when an answer is recorded, no "no solution" when a refund was granted.

**The claim** (:func:`claim_for`): the amount outstanding when a refund was promised (nothing
when everything promised arrived), the order total only when nothing was promised; the user may
ask instead for a partial refund of a given amount, a replacement, or the full price (the order
total less what was already credited).

Two lists go to the templates, both typed (kind + values, already formatted in the letter's
language): ``story``, the sentences of the narrative, and ``facts``, one line per dated fact for
the chronology of the formal letters.  Both are in date order; a date-only fact sorts at the
start of its day, as in the chronology (complaint.timeline.events.sort_key).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from ..calendar_be import BRUSSELS
from ..errors import ComplaintError
from ..i18n import _
from ..records import Problem
from .letter_text import account, day, money, plain, quote
from .view import ORDER_STATUS, OVERDUE, Money, OrderView

# what the letter asks for
OUTSTANDING, TOTAL, PARTIAL, REPLACEMENT, SETTLED = "outstanding", "total", "partial", "replacement", "settled"
OUTCOMES = ("full_refund", "partial_refund", "replacement")  # what the user may ask instead
# the steps a letter reports as done (complaint.dossier.facts.STEP_KINDS), besides seller, dispute, chat
REPORTED_STEPS = ("registered_letter", "social_media", "chargeback", "paypal", "formal_notice", "consumerconnect",
                  "ecc", "mediation")
# date-only facts of one day, in this order (a fact with a time sorts by its time, after them)
_RANK = {k: i for i, k in enumerate((
    "ordered", "paid", "delivered", "reported", "dispute_opened", "message_out", "message_in", "platform_reply",
    "seller_answer", "no_answer", "decided", "dispute_closed", "promised", "credited", "due_passed",
    "later_seller", "help_centre", "bank", "step"))}


@dataclass(frozen=True, slots=True)
class Claim:
    kind: str  # OUTSTANDING, TOTAL, PARTIAL, REPLACEMENT or SETTLED
    amount: Money | None  # None for a replacement; zero when settled


def claim_for(f: OrderView, outcome: str | None = None, partial: Decimal | None = None) -> Claim:
    """What a letter about ``f`` asks for (see the module docstring)."""
    currency = f.currency or "EUR"
    if outcome not in (None, "") and outcome not in OUTCOMES:
        raise ComplaintError(_("unknown outcome '{value}'; use one of {choices}", value=outcome,
                               choices=", ".join(OUTCOMES)))
    if outcome == "replacement":
        return Claim(REPLACEMENT, None)
    if outcome == "partial_refund":
        if partial is None:
            raise ComplaintError(_("partial_amount: give the amount of the partial refund you ask for"))
        return Claim(PARTIAL, Money(partial, currency))
    credited = f.credited or Money.zero(currency)
    if outcome == "full_refund" and f.total is not None:
        rest = f.total - credited if credited.currency == f.total.currency else f.total
        return Claim(TOTAL, rest)
    refund_due = [p for p in f.promises if p.destination == "original_payment"]
    if refund_due or f.missing:
        return Claim(OUTSTANDING, f.outstanding) if f.missing else Claim(SETTLED, Money.zero(currency))
    if any(p.destination != "original_payment" for p in f.promises):
        return Claim(SETTLED, Money.zero(currency))  # refunded to the AliExpress balance: no bank credit owed
    return Claim(TOTAL, f.total)


def _instant(on: date, at: datetime | None) -> datetime:
    return at if at is not None else datetime.combine(on, time.min, BRUSSELS)


class _Writer:
    """Formats one order's view for one language (``lang``) as of ``as_of``."""

    def __init__(self, f: OrderView, lang: str, as_of: date):
        self.f, self.lang, self.as_of = f, lang, as_of

    def m(self, value: Money | None) -> str | None:
        return money(value.amount, value.currency, self.lang) if value is not None else None

    def d(self, value: date | None) -> str | None:
        return day(value, self.lang)

    # --- the pieces ---------------------------------------------------------------------------
    def decision(self):
        """The promise the dispute outcome made (the first one), or None."""
        granted = [p for p in self.f.promises if p.by == "dispute"]
        return min(granted, key=lambda p: p.promised_on) if granted and self.f.dispute.outcome == "refund" else None

    def promise(self, p) -> dict:
        return {"by": p.by, "amount": self.m(p.amount), "destination": p.destination,
                "reference": plain(p.reference) if p.reference else None}

    def entries(self) -> list[tuple[date, datetime | None, str, dict]]:
        """Every fact of the order: (day, instant or None, kind, values)."""
        f, out = self.f, []
        order = f.order
        if order is not None:
            out.append((order.order_date, order.order_time, "ordered",
                        {"order_id": plain(f.order_id), "amount": self.m(f.total), "store": _opt(f.store)}))
        for p in f.payments:
            out.append((p.booked_on, None, "paid", {"amount": self.m(p.amount), "account": account(p.account)}))
        if f.delivered_on:
            out.append((f.delivered_on, None, "delivered", {}))
        if f.dispute.opened_on:
            out.append((f.dispute.opened_on, None, "dispute_opened", {}))
        first_out = min((_instant(c.on, c.at) for c in f.seller_messages if c.direction == "out"), default=None)
        for c in f.seller_messages:
            if c.direction == "out":
                out.append((c.on, c.at, "message_out", {}))
            elif first_out is not None and _instant(c.on, c.at) >= first_out:  # not a "leave 5 stars" before any question
                out.append((c.on, c.at, "platform_reply" if c.party == "platform" else "message_in",
                            {"quote": quote(c.body or c.title)}))
        granted = self.decision()
        if granted is not None:
            out.append((granted.promised_on, None, "decided", self.promise(granted)))
        elif f.dispute.outcome in ("agreed", "closed") and f.dispute.decided_on:
            out.append((f.dispute.decided_on, None, "dispute_closed", {"outcome": f.dispute.outcome}))
        for p in f.promises:
            if p is not granted:
                out.append((p.promised_on, None, "promised", self.promise(p)))
        for c in f.credits:
            out.append((c.booked_on, None, "credited", {"amount": self.m(c.amount),
                                                        "on_purchase_date": c.on_purchase_date}))
        for miss in f.missing:
            if miss.state == OVERDUE and miss.due <= self.as_of:
                out.append((miss.due, None, "due_passed", {"delay": miss.delay_business_days,
                                                           "amount": self.m(miss.outstanding)}))
        return out + self.others()

    def others(self) -> list[tuple[date, datetime | None, str, dict]]:
        """What the help centre and the bank said, and the later steps taken (registered letter, ...)."""
        f = self.f
        out = [(c.on, c.at, "help_centre", {"note": quote(c.body or c.title)}) for c in f.help_centre]
        out += [(c.on, c.at, "bank", {"note": quote(c.body or c.title)}) for c in f.bank_contacts]
        out += [(f.steps_done[step], None, "step", {"step": step}) for step in REPORTED_STEPS if step in f.steps_done]
        return out

    def facts(self) -> list[dict]:
        rows = sorted(self.entries(), key=lambda e: (e[0], _instant(e[0], e[1]), _RANK[e[2]]))
        out: list[dict] = []
        for on, _at, kind, values in rows:
            fact = {"on": self.d(on), "date": on, "kind": kind, **values}
            if out and out[-1] == fact:  # two messages to the seller the same day: one line
                continue
            out.append(fact)
        return out

    def story(self) -> list[dict]:
        """The narrative, sentence by sentence, in date order (see the module docstring)."""
        f = self.f
        granted = self.decision()
        others = [p for p in f.promises if p is not granted]
        promised = granted is not None or bool(others)
        decided_on = min([p.promised_on for p in f.promises], default=None)
        rows: list[tuple[date, datetime | None, str, dict]] = []
        outs = sorted((c for c in f.seller_messages if c.direction == "out"), key=lambda c: _instant(c.on, c.at))
        ins = sorted((c for c in f.seller_messages if c.direction == "in"), key=lambda c: _instant(c.on, c.at))
        if outs:
            rows.append((outs[0].on, outs[0].at, "reported", {}))
        if not promised:  # the seller's answer and the silence matter when nothing was promised yet
            answers = [c for c in ins if outs and _instant(c.on, c.at) >= _instant(outs[0].on, outs[0].at)]
            if answers:
                last = answers[-1]
                rows.append((last.on, last.at, "seller_answer", {"quote": quote(last.body or last.title),
                                                                 "platform": last.party == "platform"}))
            if f.awaiting_answer:
                rows.append((f.last_out, None, "no_answer", {"since": self.d(f.last_out)}))
        if f.dispute.opened_on:
            state = "decided" if granted is not None else (f.dispute.outcome or "open")
            rows.append((f.dispute.opened_on, None, "dispute_opened", {"state": state}))
        if granted is not None:
            rows.append((granted.promised_on, None, "decided",
                         {**self.promise(granted), "opened_on": self.d(f.dispute.opened_on)}))
        elif f.dispute.outcome in ("agreed", "closed") and f.dispute.decided_on:
            rows.append((f.dispute.decided_on, None, "dispute_closed", {"outcome": f.dispute.outcome}))
        for p in others:
            rows.append((p.promised_on, None, "promised", self.promise(p)))
        if f.credits:
            last = max(c.booked_on for c in f.credits)
            if decided_on is not None and all(c.on_purchase_date for c in f.credits):
                last = max(last, decided_on)  # booked on the purchase day, but it came after the promise
            rows.append((last, None, "credited", {
                "parts": [{"on": self.d(c.booked_on), "amount": self.m(c.amount),
                           "on_purchase_date": c.on_purchase_date} for c in f.credits],
                "total": self.m(f.credited), "before_promise": decided_on is not None and last < decided_on}))
        main = f.missing[0] if f.missing else None
        if main is not None and main.state == OVERDUE and main.due <= self.as_of:
            rows.append((main.due, None, "due_passed", {"delay": main.delay_business_days}))
        if promised and decided_on is not None:  # what was said after the promise
            for i, c in enumerate(outs):
                if c.on <= decided_on:
                    continue
                nxt = outs[i + 1] if i + 1 < len(outs) else None
                answer = next((a for a in ins if _instant(a.on, a.at) > _instant(c.on, c.at)
                               and (nxt is None or _instant(a.on, a.at) < _instant(nxt.on, nxt.at))), None)
                rows.append((c.on, c.at, "later_seller", {
                    "unanswered": answer is None and nxt is None and f.awaiting_answer,
                    "answered_on": self.d(answer.on) if answer else None,
                    "quote": quote(answer.body or answer.title) if answer else None,
                    "platform": bool(answer and answer.party == "platform")}))
        rows += self.others()
        rows.sort(key=lambda e: (e[0], _instant(e[0], e[1]), _RANK[e[2]]))
        # paragraphs: what happened until the refund was granted (1), after it (2), today (3)
        story = [{"on": self.d(on), "kind": kind, "group": 2 if decided_on is not None and on > decided_on else 1,
                  **values} for on, _at, kind, values in rows]
        # today's state closes the paragraph that follows the promise
        if main is not None:
            story.append({"on": self.d(self.as_of), "kind": "still_missing" if main.state == OVERDUE else "pending",
                          "group": 2, **self.missing(main)})
        elif promised and f.credits:
            story.append({"on": self.d(self.as_of), "kind": "settled", "group": 2, "amount": self.m(f.credited)})
        return story

    def period_start(self, start: date | None, end: date | None) -> str | None:
        """The first day of a period, without its year when the period ends in the same year
        ("du 24 mai au 19 novembre 2026")."""
        text = self.d(start)
        if text and end is not None and start.year == end.year and text.endswith(f" {start.year}"):
            text = text[: -len(f" {start.year}")]
        return text

    def missing(self, miss) -> dict:
        f = self.f
        return {"outstanding": self.m(f.outstanding), "promised": self.m(miss.promised),
                "credited": self.m(miss.credited) if miss.credited else None,
                "nothing_arrived": not miss.credited, "since": self.d(miss.since),
                "days": miss.business_days_waited, "delay": miss.delay_business_days, "due": self.d(miss.due),
                "overdue": miss.state == OVERDUE,
                "searched_from": self.period_start(miss.searched_from, miss.searched_to),
                "searched_to": self.d(miss.searched_to), "statements": [plain(s) for s in miss.statements]}


def order_lines(order) -> list[dict]:
    """The items of the order, one per title (an export may list one unit per line).  An order
    read from two exports can hold each item once per export (their line keys differ): the lines
    of the first export that lists the order are the order's."""
    items = list(order.items) if order else []
    sources = [i.provenance.source_name for i in items if getattr(i, "provenance", None)]
    if len(set(sources)) > 1:
        items = [i for i in items if getattr(i, "provenance", None) and i.provenance.source_name == sources[0]]
    out: dict[str, int] = {}
    for item in items:
        out[plain(item.title)] = out.get(plain(item.title), 0) + int(item.quantity or 1)
    return [{"title": title, "quantity": n} for title, n in out.items()]


def _opt(value) -> str | None:
    return plain(value) if value else None


def order_context(f: OrderView, lang: str, as_of: date, claim: Claim) -> dict:
    """The facts of the order a template may use, formatted for ``lang`` (see the module docstring)."""
    w = _Writer(f, lang, as_of)
    order = f.order
    payment = f.payments[0] if f.payments else None
    granted = w.decision()
    main_promise = granted or next((p for p in f.promises if p.promise_id == (f.missing[0].promise_id
                                                                              if f.missing else None)), None) \
        or (f.promises[0] if f.promises else None)
    paid = f.paid if f.payments else None
    return {
        "order_id": plain(f.order_id),
        "order_date": w.d(f.order_date),
        "store": _opt(f.store),
        "items": [plain(f"{i.title} × {i.quantity}") if i.quantity != 1 else plain(i.title)
                  for i in (order.items if order else ())],
        "lines": order_lines(order),
        "amount": w.m(f.total),
        "problem": f.problem.value if f.problem else "other",
        "refund_problem": f.problem == Problem.REFUND_NOT_RECEIVED,
        "method": f.payment_method.value if f.payment_method else None,
        "payment": {"date": w.d(payment.booked_on), "amount": w.m(payment.amount),
                    "account": account(payment.account)} if payment else None,
        "paid_total": w.m(paid) if paid is not None and len(f.payments) > 1 else None,
        "paid_on": w.d(f.paid_on),
        "delivered_on": w.d(f.delivered_on),
        "first_contact_on": w.d(min((c.on for c in f.seller_messages if c.direction == "out"), default=None)),
        "last_message_on": w.d(f.last_out),
        "seller_answered_on": w.d(f.seller_answered_on),
        "seller_answer": _last_answer(f),
        "awaiting_answer": f.awaiting_answer,
        "dispute_opened_on": w.d(f.dispute.opened_on),
        "dispute_outcome": "refund" if granted is not None else f.dispute.outcome,
        "dispute_decided_on": w.d(f.dispute.decided_on),
        "promise": ({**w.promise(main_promise), "on": w.d(main_promise.promised_on),
                     "status": main_promise.by == ORDER_STATUS} if main_promise else None),
        "reference": next((plain(p.reference) for p in f.promises if p.reference), None),
        "credits": [{"on": w.d(c.booked_on), "amount": w.m(c.amount), "on_purchase_date": c.on_purchase_date}
                    for c in f.credits],
        "credited": w.m(f.credited) if f.credits else None,
        "missing": w.missing(f.missing[0]) if f.missing else None,
        "help_centre": [{"on": w.d(c.on), "note": quote(c.body or c.title)} for c in f.help_centre],
        "bank": [{"on": w.d(c.on), "note": quote(c.body or c.title)} for c in f.bank_contacts],
        "claim": claim.kind,
        "claim_amount": w.m(claim.amount) if claim.amount is not None else None,
        "story": w.story(),
        "facts": w.facts(),
        "seller_country": f.seller_country,
    }


def _last_answer(f: OrderView) -> str | None:
    answers = [c for c in f.seller_messages if c.direction == "in" and f.seller_answered_on and c.on == f.seller_answered_on]
    return quote(answers[-1].body or answers[-1].title) if answers else None



"""What the chronology and the user's annotations say about one order, for the guide and deadlines.

The escalation guide and the reminders both need the same few dates (paid, delivered, completed,
dispute opened, last message sent and answered, refund promised) and the same routing inputs
(problem, payment method, seller country).  They are read once here from the chronology events,
the annotation and the reconciliation, so both always agree.

Event kinds follow complaint.timeline.events.KINDS (message_out, support_chat, dispute_opened,
escalation, refund_promised, ...); the escalation steps that have no kind there yet
(registered_letter_sent, formal_notice_sent, chargeback_requested, ...) are listed in
:data:`STEP_KINDS`, and the guide marks a step done when one of them exists for the order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..records import Event, OrderAnnotation, OrderStatus, PaymentMethod, Problem

OUT_MESSAGE = frozenset({"message_out", "reminder_sent", "message_sent", "seller_contacted"})
IN_MESSAGE = frozenset({"message_in", "message_received", "seller_replied", "platform_replied"})
DELIVERED = frozenset({"delivered", "confirmed_receipt", "received"})
COMPLETED = frozenset({"order_completed", "confirmed_receipt", "completed"})
PAID = frozenset({"paid", "payment"})
REFUND_AGREED = frozenset({"refund_promised", "proposal_accepted", "refund_completed", "refund_agreed"})
DISPUTE_CLOSED = frozenset({"dispute_closed", "proposal_accepted", "refund_credited", "dispute_resolved"})

# guide step -> event kinds that mean "done"
STEP_KINDS: dict[str, frozenset[str]] = {
    "seller": OUT_MESSAGE,
    "dispute": frozenset({"dispute_opened", "escalation"}),
    "help_centre": frozenset({"support_chat", "help_centre_chat"}),
    "registered_letter": frozenset({"registered_letter_sent"}),
    "social_media": frozenset({"social_media_post"}),
    "chargeback": frozenset({"chargeback_requested"}),
    "paypal": frozenset({"paypal_dispute_opened"}),
    "formal_notice": frozenset({"formal_notice_sent"}),
    "consumerconnect": frozenset({"consumerconnect_report"}),
    "ecc": frozenset({"ecc_complaint"}),
    "mediation": frozenset({"mediation_request"}),
}

CONFORMITY_PROBLEMS = frozenset({Problem.DAMAGED, Problem.MISSING_ITEM, Problem.WRONG_ITEM,
                                 Problem.NOT_AS_DESCRIBED, Problem.SHORT_QUANTITY})


@dataclass
class OrderFacts:
    order_id: str
    order_date: date | None
    problem: Problem | None
    payment_method: PaymentMethod | None
    seller_country: str | None
    paid_on: date | None
    delivered_on: date | None
    completed_on: date | None
    dispute_opened_on: date | None
    dispute_closed_on: date | None
    last_out: date | None
    last_in: date | None
    refund_agreed_on: date | None
    defect_found_on: date | None
    missing_credits: list = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    steps_done: dict[str, date] = field(default_factory=dict)
    amount_paid: object = None
    currency: str | None = None

    @property
    def awaiting_answer(self) -> bool:
        return self.last_out is not None and (self.last_in is None or self.last_in < self.last_out)


def _enum(cls, raw):
    if raw in (None, ""):
        return None
    try:
        return cls(raw)
    except ValueError:
        return None


def events_for(case, reconciliation, as_of: date, events: list[Event] | None = None) -> list[Event]:
    """The chronology (derived + manual events); built with complaint.timeline.events when not given."""
    if events is not None:
        return list(events)
    from ..timeline.events import build_chronology

    return list(build_chronology(case, reconciliation, as_of))


def missing_credits_for(reconciliation, order_id: str) -> list:
    if reconciliation is None:
        return []
    return [m for m in getattr(reconciliation, "missing_credits", []) if m.order_id == order_id]


class CaseIndex:
    """Per-order lookups of one case, its reconciliation and chronology, built in one pass each.

    :func:`order_facts` answers from it, so the facts of every order of a case cost
    O(orders + transactions + events + matches) instead of one full scan per order."""

    def __init__(self, case, reconciliation, events: list[Event]):
        self.case = case
        self.reconciliation = reconciliation
        self.all_events = events
        self.orders: dict[str, object] = {}
        for o in case.orders:
            self.orders.setdefault(o.order_id, o)  # the first order of an id, like CaseData.order
        self.txns = {t.id: t for t in case.transactions}
        self.events: dict[str, list[Event]] = {}
        for e in events:
            for oid in dict.fromkeys(e.order_ids):
                self.events.setdefault(oid, []).append(e)
        for evs in self.events.values():
            evs.sort(key=lambda e: (e.on, e.at.isoformat() if e.at else ""))
        self.payment_matches: dict[str, list] = {}
        self.missing: dict[str, list] = {}
        if reconciliation is not None:
            for m in getattr(reconciliation, "matches", []) or []:
                if m.kind == "payment":
                    for oid in dict.fromkeys(m.order_ids):
                        self.payment_matches.setdefault(oid, []).append(m)
            for m in getattr(reconciliation, "missing_credits", []):
                self.missing.setdefault(m.order_id, []).append(m)
        self.promises: dict[str, list] = {}
        for p in case.promises:
            self.promises.setdefault(p.order_id, []).append(p)
        self.found: dict[str, list[date]] = {}
        for e in case.evidence:
            if e.order_id and e.captured_at:
                self.found.setdefault(e.order_id, []).append(e.captured_at.date())

    def events_of(self, order_id: str) -> list[Event]:
        return list(self.events.get(order_id, ()))

    def payment_dates(self, order_id: str) -> list[date]:
        """Booking dates of the payments matched to the order (rejected matches left out)."""
        out = []
        for m in self.payment_matches.get(order_id, ()):
            if m.decision != "rejected":
                out += [self.txns[t].booking_date for t in m.txn_ids if t in self.txns]
        return out

    def payment_method(self, order_id: str, annotation: OrderAnnotation | None):
        if annotation and annotation.payment_method:
            return _enum(PaymentMethod, annotation.payment_method)
        if self.reconciliation is None:
            return None
        for m in self.payment_matches.get(order_id, ()):
            for t in m.txn_ids:
                if t in self.txns and self.txns[t].payment_method:
                    return _enum(PaymentMethod, self.txns[t].payment_method)
        return None


def case_index(case, reconciliation, as_of: date, events: list[Event] | None = None) -> CaseIndex:
    """The lookups :func:`order_facts` needs, for many calls on the same case."""
    return CaseIndex(case, reconciliation, events_for(case, reconciliation, as_of, events))


def _payment_txn_dates(case, reconciliation, order_id: str) -> list[date]:
    if reconciliation is None:
        return []
    return CaseIndex(case, reconciliation, []).payment_dates(order_id)


def payment_method_of(case, reconciliation, order_id: str, annotation: OrderAnnotation | None):
    if annotation and annotation.payment_method:
        return _enum(PaymentMethod, annotation.payment_method)
    if reconciliation is None:
        return None
    return CaseIndex(case, reconciliation, []).payment_method(order_id, annotation)


def order_facts(case, order_id: str, reconciliation, as_of: date, events: list[Event] | None = None,
                index: CaseIndex | None = None) -> OrderFacts:
    """What is known about one order.  Pass ``index`` (from :func:`case_index`, built on the same
    case, reconciliation and events) when asking about many orders: ``events`` is then ignored."""
    if index is None:
        index = case_index(case, reconciliation, as_of, events)
    order = index.orders.get(order_id)
    ann = case.annotations.get(order_id)
    evs = index.events_of(order_id)

    def first(kinds: frozenset[str]) -> date | None:
        days = [e.on for e in evs if e.kind in kinds]
        return min(days) if days else None

    def last(kinds: frozenset[str]) -> date | None:
        days = [e.on for e in evs if e.kind in kinds]
        return max(days) if days else None

    delivered = (ann.delivered_on if ann and ann.delivered_on else None) or first(DELIVERED)
    completed = first(COMPLETED)
    if completed is None and order is not None and order.status == OrderStatus.COMPLETED:
        completed = delivered
    dispute = (ann.dispute_opened_on if ann and ann.dispute_opened_on else None) or first(STEP_KINDS["dispute"])
    pay_dates = index.payment_dates(order_id) + [e.on for e in evs if e.kind in PAID]
    promises = [p.promised_on for p in index.promises.get(order_id, ())]
    refund_days = promises + [e.on for e in evs if e.kind in REFUND_AGREED]
    found = index.found.get(order_id, [])
    steps_done: dict[str, date] = {}
    for step, kinds in STEP_KINDS.items():
        d = first(kinds)
        if d is not None:
            steps_done[step] = d
    if dispute is not None:
        steps_done.setdefault("dispute", dispute)
    problem = _enum(Problem, ann.problem if ann else None)
    missing = list(index.missing.get(order_id, ()))
    if problem is None and (missing or (order is not None and order.refund_expected)):
        problem = Problem.REFUND_NOT_RECEIVED
    return OrderFacts(
        order_id=order_id,
        order_date=order.order_date if order else None,
        problem=problem,
        payment_method=index.payment_method(order_id, ann),
        seller_country=(ann.seller_country or "").strip().upper() or None if ann else None,
        paid_on=min(pay_dates) if pay_dates else (order.order_date if order else None),
        delivered_on=delivered,
        completed_on=completed,
        dispute_opened_on=dispute,
        dispute_closed_on=last(DISPUTE_CLOSED),
        last_out=last(OUT_MESSAGE),
        last_in=last(IN_MESSAGE),
        refund_agreed_on=min(refund_days) if refund_days else None,
        defect_found_on=min(found) if found else delivered,
        missing_credits=missing,
        events=evs,
        steps_done=steps_done,
        amount_paid=order.amount_due if order else None,
        currency=order.currency if order else None,
    )


def problem_order_ids(case, reconciliation) -> list[str]:
    """Orders with a problem: an annotated problem, a missing credit, or a refund expected."""
    missing = {m.order_id for m in getattr(reconciliation, "missing_credits", []) or []} if reconciliation else set()
    out = []
    for order in sorted(case.orders, key=lambda o: (o.order_date, o.order_id)):
        ann = case.annotations.get(order.order_id)
        if (ann and ann.problem) or order.order_id in missing or order.refund_expected:
            out.append(order.order_id)
    return out


def order_choices(case, reconciliation) -> list[str]:
    """Every order id, the orders with a problem first (the dossier page's picker)."""
    first = problem_order_ids(case, reconciliation)
    rest = [o.order_id for o in sorted(case.orders, key=lambda o: (o.order_date, o.order_id), reverse=True)
            if o.order_id not in first]
    return first + rest

"""How the case view is assembled: one pass over each list of the case, then one order at a time.

:class:`CaseIndex` groups the case, its reconciliation and its chronology by order in one pass
each (orders, transactions, matches, expected refunds, missing credits, promises, evidence,
events), so assembling the view of every order costs O(orders + transactions + events + matches)
and the view of one order costs only that order's share.  The chronology is built on first use:
the case figures and the missing refunds (the Overview) do not need it.  :func:`order_view` turns
an order's share into a :class:`~complaint.dossier.view_records.OrderView`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from ..calendar_be import business_days_between
from ..records import Event, OrderStatus, PaymentMethod, Problem
from ..timeline.events import sort_key
from .facts import (
    BANK_CONTACT,
    COMPLETED,
    DELIVERED,
    DISPUTE_CLOSED,
    DISPUTE_OPENED,
    HELP_CENTRE,
    IN_MESSAGE,
    OUT_MESSAGE,
    PAID,
    REFUND_AGREED,
    STEP_KINDS,
)
from .view_records import (
    DISPUTED,
    OK,
    ORDER_STATUS,
    OVERDUE,
    PENDING,
    SETTLED,
    CaseFigures,
    Contact,
    Credit,
    Dispute,
    Missing,
    Money,
    OrderView,
    Payment,
    Promise,
)


def enum_or_none(cls, raw):
    if raw in (None, ""):
        return None
    try:
        return cls(raw)
    except ValueError:
        return None


def statement_key(txn) -> str:
    """Which statement a bank line belongs to: its account, else its file (PayPal has no IBAN)."""
    return txn.account or (txn.provenance.source_name if txn.provenance else "")


class CaseIndex:
    """Per-order lookups of one case, its reconciliation and its chronology."""

    def __init__(self, case, reconciliation, chronology: Callable[[], list[Event]]):
        self.case = case
        self.reconciliation = reconciliation
        self._chronology = chronology
        self._all_events: tuple[Event, ...] | None = None
        self._events: dict[str, list[Event]] | None = None
        self._payments: dict[str, list[Payment]] = {}
        self._missing: dict[str, list[Missing]] = {}
        self.orders: dict[str, object] = {}
        for o in case.orders:
            self.orders.setdefault(o.order_id, o)  # the first order of an id, like CaseData.order
        self.txns: dict[str, object] = {}
        self.spans: dict[str, list] = {}  # statement key -> [first day, last day, files]
        for t in case.transactions:
            self.txns[t.id] = t
            if t.duplicate_of:
                continue
            span = self.spans.setdefault(statement_key(t), [t.booking_date, t.booking_date, set()])
            span[0], span[1] = min(span[0], t.booking_date), max(span[1], t.booking_date)
            if t.provenance and t.provenance.source_name:
                span[2].add(t.provenance.source_name)
        self.payment_matches: dict[str, list] = {}
        self.refund_matches: dict[str, list] = {}
        self.missing: dict[str, list] = {}
        self.expected: dict[str, list] = {}
        self.unpaid: set[str] = set()
        self.has_expected = hasattr(reconciliation, "expected_refunds")
        if reconciliation is not None:
            for m in getattr(reconciliation, "matches", None) or ():
                if m.decision == "rejected":
                    continue
                target = self.payment_matches if m.kind == "payment" else self.refund_matches
                for oid in dict.fromkeys(m.order_ids):
                    target.setdefault(oid, []).append(m)
            for m in getattr(reconciliation, "missing_credits", None) or ():
                self.missing.setdefault(m.order_id, []).append(m)
            for e in getattr(reconciliation, "expected_refunds", None) or ():
                self.expected.setdefault(e.order_id, []).append(e)
            self.unpaid = {o.order_id for o in getattr(reconciliation, "orders_without_payment", None) or ()}
        self.promises: dict[str, list] = {}
        for p in case.promises:
            self.promises.setdefault(p.order_id, []).append(p)
        self.evidence: dict[str, list] = {}
        self.found: dict[str, list[date]] = {}
        for e in case.evidence:
            if not e.order_id:
                continue
            if e.captured_at:
                self.found.setdefault(e.order_id, []).append(e.captured_at.date())
            if not e.duplicate_of:
                self.evidence.setdefault(e.order_id, []).append(e)

    @property
    def all_events(self) -> tuple[Event, ...]:
        if self._all_events is None:
            self._all_events = tuple(sorted(self._chronology(), key=sort_key))
        return self._all_events

    def events_of(self, order_id: str) -> list[Event]:
        """The order's events, in date order (grouped for every order on the first call)."""
        if self._events is None:
            grouped: dict[str, list[Event]] = {}
            for e in self.all_events:
                for oid in dict.fromkeys(e.order_ids):
                    grouped.setdefault(oid, []).append(e)  # in date order, as all_events is
            self._events = grouped
        return list(self._events.get(order_id, ()))

    def payments_of(self, order_id: str) -> list[Payment]:
        if order_id not in self._payments:
            self._payments[order_id] = _payments(self, order_id)
        return self._payments[order_id]

    def missing_of(self, order_id: str) -> list[Missing]:
        """The order's missing refunds (they need no chronology), overdue first."""
        if order_id not in self._missing:
            order = self.orders.get(order_id)
            self._missing[order_id] = _missing(self, order_id, self.payments_of(order_id),
                                               order.order_date if order else None)
        return self._missing[order_id]

    def problem_order_ids(self) -> list[str]:
        out = []
        annotations = self.case.annotations
        for order in sorted(self.orders.values(), key=lambda o: (o.order_date, o.order_id)):
            ann = annotations.get(order.order_id)
            if (ann and ann.problem) or order.order_id in self.missing or order.refund_expected:
                out.append(order.order_id)
        return out

    def missing_order_ids(self) -> list[str]:
        return [oid for oid in self.missing if oid in self.orders]

    def figures(self) -> CaseFigures:
        rec = self.reconciliation
        s = getattr(rec, "summary", None) or {}
        missing = list(getattr(rec, "missing_credits", None) or ()) if rec is not None else []
        overdue = [m for m in missing if m.state == OVERDUE]

        def eur(key: str) -> Decimal:
            return Decimal(s.get(key, 0))

        return CaseFigures(
            orders=len(self.case.orders), transactions=len(self.case.transactions), evidence=len(self.case.evidence),
            rejected_rows=len(self.case.rejected), paid_eur=eur("paid_eur"),
            refunds_expected_eur=eur("refunds_expected_eur"), refunds_credited_eur=eur("refunds_credited_eur"),
            refunds_pending_eur=eur("refunds_pending_eur"), refunds_overdue_eur=eur("refunds_overdue_eur"),
            missing_count=len(missing), missing_eur=sum((missing_eur(m) for m in missing), Decimal("0")),
            overdue_count=len(overdue), overdue_eur=sum((missing_eur(m) for m in overdue), Decimal("0")))


def missing_eur(m) -> Decimal:
    """The EUR value of a missing credit (the amount itself when the record has no EUR value)."""
    value = getattr(m, "expected_eur", None)
    return Decimal(m.expected_amount if value is None else value)


# --- one order ---------------------------------------------------------------------------------

def _payments(index: CaseIndex, order_id: str) -> list[Payment]:
    out, seen = [], set()
    for m in index.payment_matches.get(order_id, ()):
        for tid in m.txn_ids:
            t = index.txns.get(tid)
            if t is None or tid in seen:
                continue
            seen.add(tid)
            prov = t.provenance
            out.append(Payment(txn_id=t.id, booked_on=t.booking_date, amount=Money(abs(t.amount), t.currency),
                               account=t.account, method=t.payment_method, statement=prov.source_name if prov else None,
                               line=prov.line_no if prov else None, description=t.description,
                               counterparty=t.counterparty, orders=tuple(m.order_ids), decision=m.decision))
    return out


def _promises(index: CaseIndex, order_id: str) -> list[Promise]:
    expected = index.expected.get(order_id, ())
    by_promise = {e.promise_id: e for e in expected if e.promise_id}
    missing = {getattr(m, "promise_id", None): m for m in index.missing.get(order_id, ())}
    out = []
    for p in index.promises.get(order_id, ()):
        hit = by_promise.get(p.id) or missing.get(p.id)
        out.append(Promise(promise_id=p.id, by=p.by, promised_on=p.promised_on, amount=Money(p.amount, p.currency),
                           destination=p.destination, state=hit.state if hit is not None else "unknown", note=p.note,
                           reference=getattr(p, "arn", None)))
    for e in expected:
        if not e.promise_id:
            out.append(Promise(promise_id=None, by=ORDER_STATUS, promised_on=e.expected_since,
                               amount=Money(e.amount, e.currency), destination=e.destination, state=e.state))
    return out


def _credits(index: CaseIndex, order_id: str, purchase_days: set[date]) -> list[Credit]:
    if index.has_expected:
        pairs = [(tid, e.promise_id or ORDER_STATUS, e.expected_since)
                 for e in index.expected.get(order_id, ()) for tid in e.txn_ids]
    else:  # a reconciliation without expectations (hand-built): the refund matches, settling nothing known
        pairs = [(tid, None, None) for m in index.refund_matches.get(order_id, ()) for tid in m.txn_ids]
    out, seen = [], set()
    for tid, settles, since in pairs:
        t = index.txns.get(tid)
        if t is None or tid in seen:
            continue
        seen.add(tid)
        prov = t.provenance
        on_purchase = t.booking_date in purchase_days and (since is None or t.booking_date < since)
        out.append(Credit(txn_id=t.id, booked_on=t.booking_date, amount=Money(abs(t.amount), t.currency),
                          settles=settles, account=t.account, statement=prov.source_name if prov else None,
                          line=prov.line_no if prov else None, on_purchase_date=on_purchase,
                          counterparty=t.counterparty))
    return sorted(out, key=lambda c: (c.booked_on, c.txn_id))


def _searched(index: CaseIndex, payments: list[Payment], start: date | None) -> tuple:
    """(first day, last day, files) of the statements that could hold the refund: those of the
    account that paid (every statement when the payment was not found), from the purchase day on."""
    keys = {p.account or p.statement or "" for p in payments} or set(index.spans)
    spans = [index.spans[k] for k in keys if k in index.spans]
    if not spans:
        return None, None, ()
    first, last = min(s[0] for s in spans), max(s[1] for s in spans)
    if start is not None:
        first = max(first, start)
    files = tuple(sorted({f for s in spans for f in s[2]}))
    return (first, last, files) if first <= last else (None, None, files)


def _missing(index: CaseIndex, order_id: str, payments: list[Payment], start: date | None) -> list[Missing]:
    expected = index.expected.get(order_id, ())
    by_promise = {e.promise_id: e for e in expected if e.promise_id}
    status = next((e for e in expected if not e.promise_id), None)
    first, last, files = _searched(index, payments, start)
    out = []
    for m in index.missing.get(order_id, ()):
        pid = getattr(m, "promise_id", None)
        e = by_promise.get(pid) if pid else status
        outstanding = Money(m.expected_amount, m.currency)
        promised = Money(e.amount, e.currency) if e is not None and e.currency == m.currency else outstanding
        out.append(Missing(
            order_id=order_id, promise_id=pid, promised=promised, credited=promised - outstanding,
            outstanding=outstanding, since=m.expected_since, business_days_waited=int(m.business_days_waiting),
            delay_business_days=business_days_between(m.expected_since, m.due_date), due=m.due_date, state=m.state,
            searched_from=first, searched_to=last, statements=files, reason=getattr(m, "reason", "") or "", record=m))
    return sorted(out, key=lambda m: (m.state != OVERDUE, m.since))


def _contacts(evs: list[Event]) -> tuple[list[Contact], list[Contact], list[Contact]]:
    seller, chats, bank = [], [], []
    for e in evs:
        if e.kind in OUT_MESSAGE or e.kind in IN_MESSAGE:
            party = "platform" if e.kind == "platform_replied" else "seller"
            seller.append(Contact(e.on, e.at, party, "out" if e.kind in OUT_MESSAGE else "in", e.kind, e.title,
                                  e.body, e.id))
        elif e.kind in HELP_CENTRE:
            chats.append(Contact(e.on, e.at, "help_centre", "both", e.kind, e.title, e.body, e.id))
        elif e.kind in BANK_CONTACT:
            bank.append(Contact(e.on, e.at, "bank", "both", e.kind, e.title, e.body, e.id))
    return seller, chats, bank


def _dispute(ann, evs: list[Event], promises: list[Promise]) -> Dispute:
    opened = (ann.dispute_opened_on if ann and ann.dispute_opened_on else None) or \
        min((e.on for e in evs if e.kind in DISPUTE_OPENED), default=None)
    granted = min((p for p in promises if p.by == "dispute"), key=lambda p: p.promised_on, default=None)
    closing = [e for e in evs if e.kind in DISPUTE_CLOSED]
    ends = [e.on for e in closing] + ([granted.promised_on] if granted else [])
    closed_on = max(ends) if ends else None
    if granted is not None:
        return Dispute(opened, "refund", granted.promised_on, granted.amount, closed_on)
    decisive = [e for e in closing if e.kind != "refund_credited"]
    if opened is not None and decisive:
        outcome = "agreed" if decisive[0].kind == "proposal_accepted" else "closed"
        return Dispute(opened, outcome, decisive[0].on, None, closed_on)
    return Dispute(opened, None, None, None, closed_on)


def _state(problem, dispute: Dispute, promises: list[Promise], missing: list[Missing]) -> str:
    if any(m.state == OVERDUE for m in missing):
        return OVERDUE
    if any(m.state == PENDING for m in missing):
        return PENDING
    settled = bool(promises) and all(p.state in SETTLED for p in promises)
    return DISPUTED if (problem is not None or dispute.opened_on is not None) and not settled else OK


def order_view(index: CaseIndex, order_id: str) -> OrderView:
    """The view of one order (see complaint.dossier.view.OrderView)."""
    order = index.orders.get(order_id)
    ann = index.case.annotations.get(order_id)
    evs = index.events_of(order_id)

    def first(kinds: frozenset[str]) -> date | None:
        return min((e.on for e in evs if e.kind in kinds), default=None)

    payments = index.payments_of(order_id)
    promises = _promises(index, order_id)
    purchase_days = {p.booked_on for p in payments} | ({order.order_date} if order else set())
    for p in payments:
        t = index.txns[p.txn_id]
        if t.value_date:
            purchase_days.add(t.value_date)
    missing = index.missing_of(order_id)
    dispute = _dispute(ann, evs, promises)
    seller, chats, bank = _contacts(evs)

    delivered = (ann.delivered_on if ann and ann.delivered_on else None) or first(DELIVERED)
    completed = first(COMPLETED)
    if completed is None and order is not None and order.status == OrderStatus.COMPLETED:
        completed = delivered
    steps_done: dict[str, date] = {}
    for step, kinds in STEP_KINDS.items():
        d = first(kinds)
        if d is not None:
            steps_done[step] = d
    if dispute.opened_on is not None:
        steps_done.setdefault("dispute", dispute.opened_on)
    problem = enum_or_none(Problem, ann.problem if ann else None)
    annotated = problem is not None
    if problem is None and (missing or (order is not None and order.refund_expected)):
        problem = Problem.REFUND_NOT_RECEIVED
    method = enum_or_none(PaymentMethod, ann.payment_method) if ann and ann.payment_method else None
    if method is None:
        method = next((enum_or_none(PaymentMethod, p.method) for p in payments if p.method), None)
    pay_days = [p.booked_on for p in payments] + [e.on for e in evs if e.kind in PAID]
    agreed = [p.promised_on for p in promises if p.promise_id] + [e.on for e in evs if e.kind in REFUND_AGREED]
    found = index.found.get(order_id, [])
    return OrderView(
        order_id=order_id, order=order, problem=problem, problem_annotated=annotated, payment_method=method,
        seller_country=((ann.seller_country or "").strip().upper() or None) if ann else None,
        payments=tuple(payments), unpaid=order_id in index.unpaid, promises=tuple(promises),
        credits=tuple(_credits(index, order_id, purchase_days)), missing=tuple(missing), dispute=dispute,
        seller_messages=tuple(seller), help_centre=tuple(chats), bank_contacts=tuple(bank),
        delivered_on=delivered, completed_on=completed, defect_found_on=min(found) if found else delivered,
        evidence=tuple(index.evidence.get(order_id, ())), steps_done=steps_done, facts=tuple(evs),
        paid_on=min(pay_days) if pay_days else (order.order_date if order else None),
        refund_agreed_on=min(agreed) if agreed else None, state=_state(problem, dispute, promises, missing))

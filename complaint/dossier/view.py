"""One case view: what the reconciliation and the chronology say about each order, built once.

Letters, the escalation guide, the deadlines, the Overview and the PDF/ZIP dossier all need the
same facts about an order: what was paid and from which account, what refund was promised (by
whom, when, how much), what reached the account, what is still missing and since when, what the
seller, the help centre and the bank said, and when.  :func:`build_case_view` reads them once per
(case, as of, language) from the reconciliation and the chronology events, so every reader tells
the same story; a reader given a view never digs in the reconciliation or the events itself.

Amounts are :class:`Money` (``Decimal`` plus an ISO currency), days are ``date``.  Texts that
come from the chronology (event titles) are in the language active when the view was built;
everything else is typed and formatted by the reader in its own language (a letter in Dutch
from a view built for a French page is fine).

>>> from complaint.api.sample import sample_case_data
>>> from complaint.reconciliation.reconcile import reconcile
>>> case = sample_case_data()
>>> view = build_case_view(case, reconcile(case, case.as_of))
>>> o = view.order("8116516504403817")
>>> o.state, str(o.outstanding.amount), o.missing[0].business_days_waited
('overdue', '14.90', 109)
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from ..i18n import get_language
from ..records import Event, Evidence, Problem
from .view_build import CaseIndex, enum_or_none, order_view
from .view_records import (
    DISPUTED,
    OK,
    ORDER_STATUS,
    OVERDUE,
    PENDING,
    SETTLED,
    STATE_LABELS,
    STATES,
    CaseFigures,
    Contact,
    Credit,
    Dispute,
    Missing,
    Money,
    OrderView,
    Payment,
    Promise,
    total,
)

__all__ = ["CaseView", "build_case_view", "ensure_view", "CaseFigures", "Contact", "Credit", "Dispute", "Missing",
           "Money", "OrderView", "Payment", "Promise", "total", "STATES", "STATE_LABELS", "OVERDUE", "PENDING", "DISPUTED", "OK",
           "SETTLED", "ORDER_STATUS"]


class CaseView:
    """The view of one case (see the module docstring).  Orders are assembled on first use and kept,
    so a page about one order of a 100,000-order case does not assemble the others."""

    def __init__(self, case, reconciliation, as_of: date, language: str, index: CaseIndex) -> None:
        self.case = case
        self.reconciliation = reconciliation
        self.as_of = as_of
        self.language = language
        self.index = index
        self.figures = index.figures()
        self._orders: dict[str, OrderView] = {}
        self._memo: dict = {}

    @property
    def events(self) -> tuple[Event, ...]:
        """The whole chronology, in date order (built on first use: the figures and the missing
        refunds do not need it)."""
        return self.index.all_events

    @property
    def reconciled(self) -> bool:
        return self.reconciliation is not None

    def has_order(self, order_id: str) -> bool:
        return order_id in self.index.orders

    def order(self, order_id: str) -> OrderView:
        view = self._orders.get(order_id)
        if view is None:
            view = self._orders[order_id] = order_view(self.index, order_id)
        return view

    def evidence_of(self, order_id: str) -> tuple[Evidence, ...]:
        """The evidence attached to an order (duplicates left out)."""
        return tuple(self.index.evidence.get(order_id, ()))

    def annotated_problem(self, order_id: str) -> Problem | None:
        """The problem the user set on the order (None: not set)."""
        ann = self.case.annotations.get(order_id)
        return enum_or_none(Problem, ann.problem) if ann else None

    def orders(self) -> list[OrderView]:
        """Every order of the case, in the case's order."""
        return [self.order(oid) for oid in self.index.orders]

    def choices(self) -> list[OrderView]:
        """Every order for a picker: open problems first (overdue, pending, disputed; the oldest
        first), then the others, the most recent first."""
        views = self.orders()
        rank = {s: i for i, s in enumerate(STATES)}
        open_ = sorted((v for v in views if v.open_problem),
                       key=lambda v: (rank[v.state], min((m.since for m in v.missing), default=v.order_date),
                                      v.order_date, v.order_id))
        rest = sorted((v for v in views if not v.open_problem), key=lambda v: (v.order_date, v.order_id),
                      reverse=True)
        return open_ + rest

    def problem_order_ids(self) -> list[str]:
        """Orders with a problem (annotated, a missing credit, or a refund expected), by order date."""
        return self.index.problem_order_ids()

    def watched_order_ids(self) -> list[str]:
        """Problem orders, then orders with a message sent to the seller (in the chronology's order)."""
        ids = self.problem_order_ids()
        seen = set(ids)
        for e in self.events:
            if e.kind in ("message_out", "message_sent", "seller_contacted"):
                for oid in e.order_ids:
                    if oid in self.index.orders and oid not in seen:
                        ids.append(oid)
                        seen.add(oid)
        return ids

    def missing(self) -> list[Missing]:
        """Every missing refund of the case, overdue first, then by date."""
        out = [m for oid in self.index.missing_order_ids() for m in self.index.missing_of(oid)]
        return sorted(out, key=lambda m: (m.state != OVERDUE, m.since, m.order_id))

    def cached(self, key, compute: Callable):
        """``compute()`` once per key for this view (the deadlines of an order, ...)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]


def build_case_view(case, reconciliation, as_of: date | None = None, events: list[Event] | None = None) -> CaseView:
    """The view of ``case`` as of ``as_of`` (default: the reconciliation's date, else the case's
    today) in the current language.  ``events``: the chronology when the caller has it already
    (else it is built from the case and the reconciliation)."""
    as_of = as_of or getattr(reconciliation, "as_of", None) or case.today()
    if events is not None:
        events = list(events)
        chronology = events.copy
    else:
        def chronology() -> list[Event]:
            from ..timeline.events import build_chronology

            return list(build_chronology(case, reconciliation, as_of))

    return CaseView(case, reconciliation, as_of, get_language(), CaseIndex(case, reconciliation, chronology))


def ensure_view(view: CaseView | None, case, reconciliation, as_of: date | None = None,
                events: list[Event] | None = None) -> CaseView:
    """``view`` when given (it must be for ``as_of`` when one is asked), else a new one."""
    if view is None:
        return build_case_view(case, reconciliation, as_of, events)
    if as_of is not None and view.as_of != as_of:
        raise ValueError(f"the case view is as of {view.as_of}, not {as_of}")
    return view


def order_choices(case, reconciliation, view=None) -> list[str]:
    """Every order id for the dossier page's picker: open problems first, overdue first among them
    (see :meth:`CaseView.choices`)."""
    return [v.order_id for v in ensure_view(view, case, reconciliation).choices()]

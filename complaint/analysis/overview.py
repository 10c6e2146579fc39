"""The case at a glance: the figures of the home page and the next recommended step.

Everything is read from the case view (complaint.dossier.view), so the Overview says what the
dossier's letters, guide and deadlines say."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ..case import CaseData
from ..dossier import rules
from ..dossier.deadlines import Deadline, deadlines, upcoming
from ..dossier.view import OVERDUE, PENDING, CaseView, ensure_view
from ..fmt import day, money
from ..i18n import _, get_language
from ..serialize import from_dict, to_dict


@dataclass
class NextStep:
    text: str
    page: str  # the page that helps with it: "import", "reconcile", "evidence", "timeline", "dossier"
    order_id: str | None = None


@dataclass
class Overview:
    orders: int
    transactions: int
    evidence: int
    paid_eur: Decimal
    refunds_expected_eur: Decimal
    refunds_credited_eur: Decimal
    missing_count: int
    missing_eur: Decimal
    overdue_count: int
    overdue_eur: Decimal
    rejected_rows: int
    steps: list[NextStep] = field(default_factory=list)


def overview(case: CaseData, reconciliation, view: CaseView | None = None) -> Overview:
    """Figures from the reconciliation, and what to do next, most urgent first (from ``view``
    when given, else from a case view built here)."""
    view = ensure_view(view, case, reconciliation)
    fig = view.figures
    ov = Overview(
        orders=fig.orders, transactions=fig.transactions, evidence=fig.evidence,
        paid_eur=fig.paid_eur, refunds_expected_eur=fig.refunds_expected_eur,
        refunds_credited_eur=fig.refunds_credited_eur, missing_count=fig.missing_count, missing_eur=fig.missing_eur,
        overdue_count=fig.overdue_count, overdue_eur=fig.overdue_eur, rejected_rows=fig.rejected_rows,
    )
    if not case.orders:
        ov.steps.append(NextStep(_("Add your AliExpress order export, or enter the order by hand."), "import"))
    if not case.transactions:
        ov.steps.append(NextStep(_("Add your bank or PayPal statement: it proves the payment and the missing refund."),
                                 "import"))
    missing = view.missing()
    for m in sorted((m for m in missing if m.state == OVERDUE), key=lambda m: m.since):
        ov.steps.append(NextStep(
            _("Refund of {amount} for order {order} is overdue since {date}: prepare the dossier and "
              "send the follow-up.", amount=money(m.outstanding.amount, m.outstanding.currency), order=m.order_id,
              date=day(m.due)),
            "dossier", m.order_id))
    for m in sorted((m for m in missing if m.state == PENDING), key=lambda m: m.due):
        ov.steps.append(NextStep(
            _("Refund of {amount} for order {order} is still within the bank delay; check again after "
              "{date}.", amount=money(m.outstanding.amount, m.outstanding.currency), order=m.order_id,
              date=day(m.due)),
            "reconcile", m.order_id))
    for oid in view.problem_order_ids():
        if view.annotated_problem(oid) and not view.evidence_of(oid):
            ov.steps.append(NextStep(_("Attach photos or screenshots to order {order}.", order=oid), "evidence", oid))
    if case.rejected:
        ov.steps.append(NextStep(_("{n} input rows could not be read: review them on the Import page.",
                                   n=len(case.rejected)), "import"))
    return ov


# --- the home page's figures, and their snapshot in the case store ----------------------------

HOME_SNAPSHOT_VERSION = 2  # 2: deadline labels in Belgian formats. Bump when Overview, NextStep, Deadline or what they hold changes
HOME_DEADLINES = 6


@dataclass
class HomeFigures:
    """Everything the home page shows: the overview and the next deadlines (texts in ``language``)."""

    overview: Overview
    upcoming: list[Deadline]
    as_of: date
    language: str


def home_figures(case: CaseData, reconciliation, as_of: date, all_deadlines: list[Deadline] | None = None,
                 limit: int = HOME_DEADLINES, view: CaseView | None = None) -> HomeFigures:
    """The overview and the first ``limit`` deadlines on or after ``as_of``, from one case view
    (``view`` when given, else built here)."""
    view = ensure_view(view, case, reconciliation, as_of)
    if all_deadlines is None:
        all_deadlines = deadlines(case, reconciliation, as_of, view=view)
    return HomeFigures(overview=overview(case, reconciliation, view=view), upcoming=upcoming(all_deadlines, as_of, limit),
                       as_of=as_of, language=get_language())


def home_snapshot_name(language: str) -> str:
    """The case_cache key: the texts (next steps, deadline labels, amounts) are in one language."""
    return f"home/{language}"


@functools.cache
def _rules_fingerprint() -> str:
    return hashlib.sha256(rules.RULES_PATH.read_bytes()).hexdigest()[:16]


def home_snapshot(figures: HomeFigures) -> dict:
    """JSON-ready snapshot of the figures (with what they were computed under)."""
    return {"version": HOME_SNAPSHOT_VERSION, "rules": _rules_fingerprint(), "figures": to_dict(figures)}


def figures_from_snapshot(snapshot: dict | None, as_of: date, language: str) -> HomeFigures | None:
    """The figures of a snapshot made for this date and language by this version, else None."""
    if not snapshot or snapshot.get("version") != HOME_SNAPSHOT_VERSION or snapshot.get("rules") != _rules_fingerprint():
        return None
    try:
        figures = from_dict(HomeFigures, snapshot["figures"])
    except (KeyError, TypeError, ValueError, ArithmeticError):
        return None  # written by another version: recompute
    if figures.as_of != as_of or figures.language != language:
        return None
    return figures


def cached_home_figures(store, case_id: int, as_of: date, compute: Callable[[], HomeFigures] | None = None,
                        view: CaseView | None = None) -> tuple[HomeFigures, bool]:
    """The home figures from the store's snapshot when it is current, else ``compute()`` (which
    loads and reconciles the case) and keep its result as the new snapshot.  Returns (figures,
    from_snapshot).  Stores without snapshots (``keeps_snapshots`` false or absent) always compute.
    ``view``: the case view the caller has already; without ``compute`` the figures are computed from it."""
    if compute is None:
        if view is None:
            raise ValueError("cached_home_figures needs compute or view")
        compute = functools.partial(home_figures, view.case, view.reconciliation, as_of, view=view)
    language = get_language()
    name = home_snapshot_name(language)
    keeps = getattr(store, "keeps_snapshots", False)
    if keeps:
        figures = figures_from_snapshot(store.case_snapshot(case_id, name), as_of, language)
        if figures is not None:
            return figures, True
        revision = store.case_revision(case_id)  # before reading the case: a write meanwhile makes it stale
    figures = compute()
    if keeps:
        store.save_case_snapshot(case_id, name, home_snapshot(figures), revision)
    return figures, False


def refresh_home_snapshot(store, case_id: int, language: str, as_of: date | None = None,
                          view: CaseView | None = None) -> bool:
    """Compute and keep the home snapshot of a case now (it is normally computed on the first visit).

    Meant to run right after a write, off the page's thread, so that the next visit to the home
    page reads a current snapshot instead of loading and reconciling the case.  Returns True when
    it computed, False when the snapshot was already current or the store keeps none.  ``view``: the
    case's view in ``language`` when the caller has it (nothing is then loaded or reconciled)."""
    from ..calendar_be import today_brussels
    from ..i18n import set_language
    from ..reconciliation.reconcile import reconcile

    if not getattr(store, "keeps_snapshots", False):
        return False
    day_ = as_of or (view.as_of if view is not None else None) or store.get_case(case_id).as_of or today_brussels()

    def compute() -> HomeFigures:
        if view is not None:
            return home_figures(view.case, view.reconciliation, day_, view=view)
        case = store.load_case(case_id)
        recon = reconcile(case, as_of=day_)
        return home_figures(case, recon, day_)  # one case view, for the overview and the deadlines

    previous = get_language()
    set_language(language)
    try:
        _figures, from_snapshot = cached_home_figures(store, case_id, day_, compute)
    finally:
        set_language(previous)
    return not from_snapshot

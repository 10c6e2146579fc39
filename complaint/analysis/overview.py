"""The case at a glance: the figures of the home page and the next recommended step."""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ..case import CaseData
from ..dossier import rules
from ..dossier.deadlines import Deadline, deadlines, upcoming
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


def overview(case: CaseData, reconciliation) -> Overview:
    """Figures from the reconciliation, and what to do next, most urgent first."""
    s = reconciliation.summary
    missing = reconciliation.missing_credits
    overdue = [m for m in missing if m.state == "overdue"]
    ov = Overview(
        orders=len(case.orders), transactions=len(case.transactions), evidence=len(case.evidence),
        paid_eur=Decimal(s["paid_eur"]), refunds_expected_eur=Decimal(s["refunds_expected_eur"]),
        refunds_credited_eur=Decimal(s["refunds_credited_eur"]),
        missing_count=len(missing), missing_eur=sum((Decimal(m.expected_amount) for m in missing), Decimal("0")),
        overdue_count=len(overdue), overdue_eur=sum((Decimal(m.expected_amount) for m in overdue), Decimal("0")),
        rejected_rows=len(case.rejected),
    )
    if not case.orders:
        ov.steps.append(NextStep(_("Add your AliExpress order export, or enter the order by hand."), "import"))
    if not case.transactions:
        ov.steps.append(NextStep(_("Add your bank or PayPal statement: it proves the payment and the missing refund."),
                                 "import"))
    for m in sorted(overdue, key=lambda m: m.expected_since):
        ov.steps.append(NextStep(
            _("Refund of {amount} for order {order} is overdue since {date}: prepare the dossier and "
              "send the follow-up.", amount=money(m.expected_amount, m.currency), order=m.order_id,
              date=day(m.due_date)),
            "dossier", m.order_id))
    for m in sorted((m for m in missing if m.state == "pending"), key=lambda m: m.due_date):
        ov.steps.append(NextStep(
            _("Refund of {amount} for order {order} is still within the bank delay; check again after "
              "{date}.", amount=money(m.expected_amount, m.currency), order=m.order_id, date=day(m.due_date)),
            "reconcile", m.order_id))
    problem_orders = [a.order_id for a in case.annotations.values() if a.problem]
    with_photos = {e.order_id for e in case.evidence if e.order_id}
    for oid in problem_orders:
        if oid not in with_photos:
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
                 limit: int = HOME_DEADLINES) -> HomeFigures:
    """The overview and the first ``limit`` deadlines on or after ``as_of``."""
    if all_deadlines is None:
        all_deadlines = deadlines(case, reconciliation, as_of)
    return HomeFigures(overview=overview(case, reconciliation), upcoming=upcoming(all_deadlines, as_of, limit),
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


def cached_home_figures(store, case_id: int, as_of: date, compute) -> tuple[HomeFigures, bool]:
    """The home figures from the store's snapshot when it is current, else ``compute()`` (which
    loads and reconciles the case) and keep its result as the new snapshot.  Returns (figures,
    from_snapshot).  Stores without snapshots (``keeps_snapshots`` false or absent) always compute."""
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


def refresh_home_snapshot(store, case_id: int, language: str, as_of: date | None = None) -> bool:
    """Compute and keep the home snapshot of a case now (it is normally computed on the first visit).

    Meant to run right after a write, off the page's thread, so that the next visit to the home
    page reads a current snapshot instead of loading and reconciling the case.  Returns True when
    it computed, False when the snapshot was already current or the store keeps none."""
    from ..calendar_be import today_brussels
    from ..i18n import set_language
    from ..reconciliation.reconcile import reconcile

    if not getattr(store, "keeps_snapshots", False):
        return False
    day_ = as_of or store.get_case(case_id).as_of or today_brussels()

    def compute() -> HomeFigures:
        case = store.load_case(case_id)
        recon = reconcile(case, as_of=day_)
        return home_figures(case, recon, day_, deadlines(case, recon, day_))

    previous = get_language()
    set_language(language)
    try:
        _figures, from_snapshot = cached_home_figures(store, case_id, day_, compute)
    finally:
        set_language(previous)
    return not from_snapshot

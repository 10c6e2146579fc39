"""The case at a glance: the figures of the home page and the next recommended step."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .case import CaseData
from .fmt import day, money
from .i18n import _


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

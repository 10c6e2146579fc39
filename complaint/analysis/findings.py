"""What the reconciliation found about one order, for the guided help's "What we found" step.

A reader of the case view (complaint.dossier.view), like the letters and the dossier: the step
shows the order's payments, the refunds promised and what became of them, and what is still
missing, exactly as the formal notice tells them.
"""

from __future__ import annotations

from ..dossier.view import CaseView, OrderView, ensure_view


def order_findings(case, reconciliation, order_id: str, view: CaseView | None = None) -> OrderView:
    """The order's view: ``.payments`` (a rejected match is not a payment), ``.promises`` with
    their state, ``.credits``, ``.missing`` (overdue first) and ``.state``; ``.order`` is None for
    an order the case does not hold."""
    return ensure_view(view, case, reconciliation).order(order_id)

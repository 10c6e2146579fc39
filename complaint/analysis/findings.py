"""What the reconciliation says about one order: its payments, the refunds expected and credited,
the ones still missing.  The guided help's "What we found" step draws it."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..records import BankTxn, Order


@dataclass
class Findings:
    order_id: str
    order: Order | None
    payments: list[BankTxn] = field(default_factory=list)
    expected: list = field(default_factory=list)  # ExpectedRefund of this order
    missing: list = field(default_factory=list)  # MissingCredit of this order, oldest first
    credits: dict[str, list[BankTxn]] = field(default_factory=dict)  # promise id or refund source -> credit lines
    unpaid: bool = False  # the order is listed as having no payment on the statements

    @property
    def overdue(self) -> list:
        return [m for m in self.missing if m.state == "overdue"]


def order_findings(case, reconciliation, order_id: str) -> Findings:
    """Everything the reconciliation says about one order (a rejected match is not a payment)."""
    by_id = {t.id: t for t in case.transactions}
    f = Findings(order_id=order_id, order=case.order(order_id))
    for m in reconciliation.matches:
        if m.kind == "payment" and order_id in m.order_ids and m.decision != "rejected":
            f.payments += [by_id[t] for t in m.txn_ids if t in by_id]
    f.expected = [e for e in reconciliation.expected_refunds if e.order_id == order_id]
    for e in f.expected:
        f.credits[e.promise_id or e.source] = [by_id[t] for t in e.txn_ids if t in by_id]
    f.missing = sorted((m for m in reconciliation.missing_credits if m.order_id == order_id),
                       key=lambda m: m.expected_since)
    f.unpaid = any(o.order_id == order_id for o in reconciliation.orders_without_payment)
    return f

"""Invariants of the reconciliation on random cases: one-to-one and sums conserved."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from complaint.case import CaseData
from complaint.reconciliation.reconcile import reconcile
from complaint.records import BankTxn, Order, OrderStatus, RefundPromise

START = date(2025, 3, 3)
amounts = st.sampled_from(["5.00", "7.50", "9.99", "12.00", "12.01", "15.35", "20.00"])


@st.composite
def cases(draw):
    n_orders = draw(st.integers(0, 7))
    orders, txns, promises = [], [], []
    for i in range(n_orders):
        orders.append(Order(order_id=f"8{i:03d}", order_date=START + timedelta(days=draw(st.integers(0, 4))),
                            status=OrderStatus.COMPLETED, status_text="completed",
                            currency=draw(st.sampled_from(["EUR", "EUR", "USD"])), total=Decimal(draw(amounts))))
        if draw(st.booleans()):
            promises.append(RefundPromise(f"p{i}", f"8{i:03d}", Decimal(draw(amounts)), "EUR",
                                          START + timedelta(days=draw(st.integers(0, 30)))))
    for j in range(draw(st.integers(0, 9))):
        sign = draw(st.sampled_from(["-", "-", ""]))
        txns.append(BankTxn(id=f"t{j}", booking_date=START + timedelta(days=draw(st.integers(-2, 40))),
                            amount=Decimal(sign + draw(amounts)), currency="EUR",
                            merchant=draw(st.sampled_from(["aliexpress", "paypal", None]))))
    return CaseData(orders=orders, transactions=txns, promises=promises, as_of=START + timedelta(days=60))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_one_to_one_and_sums_conserved(case):
    rec = reconcile(case)
    used = [t for m in rec.matches for t in m.txn_ids]
    assert len(used) == len(set(used))  # each transaction in at most one match
    paid_orders = [o for m in rec.matches if m.kind == "payment" for o in m.order_ids]
    assert len(paid_orders) == len(set(paid_orders))
    by_id = {t.id: t for t in case.transactions}
    for m in rec.matches:
        signs = {by_id[t].amount > 0 for t in m.txn_ids}
        assert signs == ({False} if m.kind == "payment" else {True})
    # every recognised debit is either a payment, a double charge or unmatched; credits likewise
    debits = {t.id for t in case.transactions if t.amount < 0 and t.merchant}
    accounted = ({t for m in rec.matches if m.kind == "payment" for t in m.txn_ids}
                 | {d["transaction_id"] for d in rec.duplicate_charges}
                 | {t.id for t in rec.unmatched_transactions})
    assert accounted == debits
    credits = {t.id for t in case.transactions if t.amount > 0 and t.merchant}
    refunded = {t for m in rec.matches if m.kind == "refund" for t in m.txn_ids}
    assert refunded | {t.id for t in rec.credits_without_refund} == credits
    assert refunded.isdisjoint(t.id for t in rec.credits_without_refund)
    # money: paid equals the matched debits; expected = credited + missing (up to the FX tolerance)
    assert rec.summary["paid_eur"] == sum((-by_id[t].amount for m in rec.matches if m.kind == "payment"
                                           for t in m.txn_ids), Decimal(0))
    assert rec.summary["refunds_credited_eur"] == sum((by_id[t].amount for t in refunded), Decimal(0))
    s = rec.summary
    missing = s["refunds_pending_eur"] + s["refunds_overdue_eur"]
    assert abs(s["refunds_expected_eur"] - s["refunds_credited_eur"] - missing) <= \
        Decimal("0.03") * s["refunds_expected_eur"] + Decimal("0.01") * (len(rec.expected_refunds) + 1)

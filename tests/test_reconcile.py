"""Reconciliation on hand-built cases: one test per situation the matcher must get right."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal as D

from complaint.case import CaseData, merge_orders, merge_transactions
from complaint.reconciliation.reconcile import reconcile
from complaint.records import BankTxn, Decision, Order, OrderStatus, RefundPromise, match_key


def order(oid, day, amount, cur="EUR", at=None, status=OrderStatus.COMPLETED, **kw):
    return Order(order_id=oid, order_date=day, status=status, status_text=status.value, currency=cur,
                 total=D(amount), order_time=at, **kw)


def txn(tid, day, amount, merchant="aliexpress", cur="EUR", text="ALIEXPRESS.COM LUXEMBOURG", **kw):
    return BankTxn(id=tid, booking_date=day, amount=D(amount), currency=cur, description=text,
                   merchant=merchant, **kw)


def case(orders, txns, promises=(), decisions=(), as_of=date(2025, 6, 30)):
    return CaseData(orders=list(orders), transactions=list(txns), promises=list(promises),
                    decisions=list(decisions), as_of=as_of)


def payments(rec):
    return {(m.order_ids, m.txn_ids) for m in rec.matches if m.kind == "payment"}


def refunds(rec):
    return {(m.order_ids, m.txn_ids) for m in rec.matches if m.kind == "refund"}


def test_simple_payment_and_reasons():
    rec = reconcile(case([order("1001", date(2025, 3, 3), "12.34")], [txn("t1", date(2025, 3, 5), "-12.34")]))
    assert payments(rec) == {(("1001",), ("t1",))}
    m = rec.matches[0]
    assert m.score > 0.9 and m.day_gap == 2 and m.amount_gap == 0
    assert any("aliexpress" in r for r in m.reasons) and any("2 day" in r for r in m.reasons)
    assert rec.unmatched_transactions == [] and rec.orders_without_payment == []
    assert rec.summary["paid_eur"] == D("12.34")


def test_combined_checkout_one_debit_pays_three_orders():
    at = datetime(2025, 3, 3, 10, 15, tzinfo=UTC)
    orders = [order("2001", date(2025, 3, 3), "5.10", at=at), order("2002", date(2025, 3, 3), "7.25", at=at),
              order("2003", date(2025, 3, 3), "3.00", at=at),
              order("2004", date(2025, 3, 3), "9.99", at=datetime(2025, 3, 3, 18, 0, tzinfo=UTC))]
    txns = [txn("t1", date(2025, 3, 4), "-15.35"), txn("t2", date(2025, 3, 5), "-9.99")]
    rec = reconcile(case(orders, txns))
    assert payments(rec) == {(("2001", "2002", "2003"), ("t1",)), (("2004",), ("t2",))}
    combined = next(m for m in rec.matches if len(m.order_ids) == 3)
    assert any("combined checkout" in r for r in combined.reasons)


def test_usd_order_paid_in_eur_through_ecb_rate():
    # ECB 2025-03-03: 1 EUR = 1.0465 USD -> USD 20.00 = EUR 19.11; the card charged 19.40 (margin 1.5 %)
    rec = reconcile(case([order("3001", date(2025, 3, 3), "20.00", cur="USD")],
                         [txn("t1", date(2025, 3, 5), "-19.40")]))
    m = rec.matches[0]
    assert m.order_ids == ("3001",) and m.fx_rate == D("1.0465")
    assert any("ECB rate 1,0465 of 03 Mar 2025" in r for r in m.reasons)
    # far outside the tolerance: no match, both reported
    rec = reconcile(case([order("3001", date(2025, 3, 3), "20.00", cur="USD")],
                         [txn("t1", date(2025, 3, 5), "-25.00")]))
    assert rec.matches == [] and len(rec.unmatched_transactions) == 1 and len(rec.orders_without_payment) == 1


def test_two_equal_orders_same_day_resolved_in_time_order_and_explained():
    orders = [order("4002", date(2025, 3, 3), "8.00", at=datetime(2025, 3, 3, 15, 0, tzinfo=UTC)),
              order("4001", date(2025, 3, 3), "8.00", at=datetime(2025, 3, 3, 9, 0, tzinfo=UTC))]
    txns = [txn("tb", date(2025, 3, 5), "-8.00"), txn("ta", date(2025, 3, 4), "-8.00")]
    for _ in range(3):
        rec = reconcile(case(orders, txns))
        assert payments(rec) == {(("4001",), ("ta",)), (("4002",), ("tb",))}
    assert all(any("time order" in r for r in m.reasons) for m in rec.matches)


def test_better_later_match_is_not_stolen():
    # USD 10.00 / 10.20 = EUR 9.56 / 9.75 at ECB 1.0465; both debits are within 3 % of both orders.
    # A greedy matcher takes t1 for 5001 (first seen, close enough) and leaves 5002 unpaid or badly
    # paired; the global assignment pairs each debit with its closest order.
    orders = [order("5001", date(2025, 3, 3), "10.00", cur="USD"), order("5002", date(2025, 3, 3), "10.20", cur="USD")]
    txns = [txn("t1", date(2025, 3, 4), "-9.75"), txn("t2", date(2025, 3, 4), "-9.58")]
    rec = reconcile(case(orders, txns))
    assert payments(rec) == {(("5001",), ("t2",)), (("5002",), ("t1",))}
    # same currency: only the exact amount counts (no "give or take 3 %" merge)
    rec = reconcile(case([order("5003", date(2025, 3, 3), "10.00")], [txn("t3", date(2025, 3, 4), "-10.20")]))
    assert rec.matches == [] and len(rec.unmatched_transactions) == 1


def test_partial_refunds_and_missing_remainder():
    o = order("6001", date(2025, 3, 3), "40.00")
    promise = RefundPromise("p1", "6001", D("30.00"), "EUR", date(2025, 3, 20))
    txns = [txn("pay", date(2025, 3, 4), "-40.00"), txn("r1", date(2025, 3, 25), "10.00"),
            txn("r2", date(2025, 4, 2), "12.00")]
    rec = reconcile(case([o], txns, [promise], as_of=date(2025, 5, 30)))
    assert refunds(rec) == {(("6001",), ("r1", "r2"))}
    [miss] = rec.missing_credits
    assert miss.expected_amount == D("8.00") and miss.state == "overdue" and miss.promise_id == "p1"
    assert "22,00 € of 30,00 €" in miss.reason
    assert rec.summary["refunds_credited_eur"] == D("22.00") and rec.summary["refunds_overdue_eur"] == D("8.00")


def test_refund_in_a_later_month_and_usd_refund_difference_shown():
    o = order("7001", date(2025, 1, 10), "20.00", cur="USD")
    promise = RefundPromise("p1", "7001", D("20.00"), "USD", date(2025, 3, 3))
    txns = [txn("pay", date(2025, 1, 12), "-19.70"), txn("r", date(2025, 3, 10), "19.02")]
    rec = reconcile(case([o], txns, [promise]))
    assert refunds(rec) == {(("7001",), ("r",))} and rec.missing_credits == []
    m = next(m for m in rec.matches if m.kind == "refund")
    assert m.fx_rate == D("1.0465") and m.amount_gap == D("-0.09")  # EUR 19.11 expected, 19.02 credited
    assert any("exchange rate" in r for r in m.reasons)


def test_refund_booked_on_the_purchase_date():
    o = order("8001", date(2025, 1, 15), "25.00")
    promise = RefundPromise("p1", "8001", D("25.00"), "EUR", date(2025, 3, 14))
    txns = [txn("pay", date(2025, 1, 15), "-25.00"), txn("r", date(2025, 1, 15), "25.00")]
    rec = reconcile(case([o], txns, [promise]))
    assert refunds(rec) == {(("8001",), ("r",))} and rec.missing_credits == []
    m = next(m for m in rec.matches if m.kind == "refund")
    assert any("purchase date" in r for r in m.reasons)


def test_paypal_refund_linked_by_related_id():
    o = order("9001", date(2025, 3, 3), "15.00")
    promise = RefundPromise("p1", "9001", D("15.00"), "EUR", date(2025, 3, 10))
    txns = [txn("pp-pay", date(2025, 3, 3), "-15.00", merchant="paypal-aliexpress", bank_reference="5TY1",
                payment_method="paypal"),
            txn("pp-other", date(2025, 3, 12), "15.00", merchant="paypal-aliexpress"),
            txn("pp-ref", date(2025, 5, 20), "15.00", merchant="paypal", related_id="5TY1")]
    rec = reconcile(case([o], txns, [promise]))
    assert refunds(rec) == {(("9001",), ("pp-ref",))}
    assert [t.id for t in rec.credits_without_refund] == ["pp-other"]


def test_platform_balance_refund_expects_no_credit():
    o = order("9101", date(2025, 3, 3), "15.00")
    promise = RefundPromise("p1", "9101", D("15.00"), "EUR", date(2025, 3, 10), destination="platform_balance")
    rec = reconcile(case([o], [txn("pay", date(2025, 3, 4), "-15.00")], [promise]))
    assert rec.missing_credits == []
    assert [e.state for e in rec.expected_refunds] == ["platform_balance"]
    assert rec.summary["refunds_expected_eur"] == 0


def test_promise_overrides_status_expectation():
    o = order("9201", date(2025, 3, 3), "30.00", status=OrderStatus.CANCELLED, refund_expected=True,
              refund_reason="status:cancelled")
    promise = RefundPromise("p1", "9201", D("12.00"), "EUR", date(2025, 3, 10))
    rec = reconcile(case([o], [txn("pay", date(2025, 3, 4), "-30.00")], [promise]))
    [miss] = rec.missing_credits
    assert miss.expected_amount == D("12.00") and miss.promise_id == "p1"


def test_status_expectation_needs_a_found_payment():
    o = order("9301", date(2025, 3, 3), "30.00", status=OrderStatus.CANCELLED, refund_expected=True,
              refund_reason="status:cancelled")
    rec = reconcile(case([o], []))
    assert rec.missing_credits == [] and [e.state for e in rec.expected_refunds] == ["unverified"]
    rec = reconcile(case([o], [txn("pay", date(2025, 3, 4), "-30.00")]))
    [miss] = rec.missing_credits
    assert miss.expected_amount == D("30.00") and miss.state == "overdue"
    assert "order status: cancelled / closed" in miss.reason and "20 business days" in miss.reason


def test_explanations_speak_the_readers_language():
    """Amounts, days, rates and words of the explanations in French: no "EUR 14.90" and no ISO date."""
    import re

    from complaint.i18n import set_language

    o = order("9401", date(2025, 3, 3), "30.00", status=OrderStatus.CANCELLED, refund_expected=True,
              refund_reason="status:cancelled")
    usd = order("9402", date(2025, 3, 3), "20.00", cur="USD")
    set_language("fr")
    try:
        rec = reconcile(case([o, usd], [txn("pay", date(2025, 3, 4), "-30.00"), txn("t1", date(2025, 3, 5), "-19.40")]))
    finally:
        set_language("en")
    [miss] = rec.missing_credits
    texts = [miss.reason] + [r for m in rec.matches for r in m.reasons]
    joined = " ".join(texts)
    assert "30,00 €" in miss.reason and "3 mars 2025" in miss.reason
    assert any("1,0465" in r and "3 mars 2025" in r for r in texts)  # the ECB rate and its day
    assert not re.search(r"\d{4}-\d{2}-\d{2}|\d+\.\d{2}\b|\bEUR\b", joined), joined


def test_pending_versus_overdue_across_a_belgian_holiday():
    # promised Thu 2025-04-17; Easter Monday 2025-04-21 is a holiday; 5 PayPal business days end Fri 04-25
    o = order("9401", date(2025, 4, 10), "10.00")
    promise = RefundPromise("p1", "9401", D("10.00"), "EUR", date(2025, 4, 17))
    txns = [txn("pay", date(2025, 4, 10), "-10.00", merchant="paypal-aliexpress", payment_method="paypal")]
    c = case([o], txns, [promise])
    on_due = reconcile(c, as_of=date(2025, 4, 25))
    [m] = on_due.missing_credits
    assert (m.state, m.due_date, m.business_days_waiting) == ("pending", date(2025, 4, 25), 5)
    [m] = reconcile(c, as_of=date(2025, 4, 28)).missing_credits
    assert m.state == "overdue" and m.business_days_waiting == 6
    [m] = reconcile(c, as_of=date(2025, 4, 28), refund_delay_business_days={"paypal": 10}).missing_credits
    assert m.state == "pending"


def test_rejected_pair_never_proposed_and_confirmed_survives_reimport():
    orders = [order("1101", date(2025, 3, 3), "9.00"), order("1102", date(2025, 3, 3), "9.00")]
    txns = [txn("ta", date(2025, 3, 4), "-9.00"), txn("tb", date(2025, 3, 5), "-9.00")]
    now = datetime(2025, 6, 1, tzinfo=UTC)
    decisions = [Decision(match_key("payment", ("1101",), ("ta",)), "rejected", "payment", ("1101",), ("ta",), now),
                 Decision(match_key("payment", ("1102",), ("ta",)), "confirmed", "payment", ("1102",), ("ta",), now)]
    c = case(orders, txns, decisions=decisions)
    first = reconcile(c)
    assert payments(first) == {(("1102",), ("ta",)), (("1101",), ("tb",))}
    confirmed = next(m for m in first.matches if m.order_ids == ("1102",))
    assert confirmed.decision == "confirmed" and confirmed.key == decisions[1].match_key
    # re-import the same records (a new file with the same rows): ids are stable, decisions still apply
    c.orders, _events = merge_orders(c.orders, [replace(o) for o in orders])
    c.transactions = merge_transactions(c.transactions, [replace(t) for t in txns])
    assert len(c.orders) == 2 and len(c.transactions) == 2
    assert payments(reconcile(c)) == payments(first)


def test_linked_by_hand_refund_and_unrecognised_debit():
    o = order("1201", date(2025, 3, 3), "14.00")
    promise = RefundPromise("p1", "1201", D("14.00"), "EUR", date(2025, 3, 10))
    credit = txn("cr", date(2025, 3, 20), "14.00", merchant=None, text="VIREMENT")
    now = datetime(2025, 6, 1, tzinfo=UTC)
    link = Decision(match_key("refund", ("1201",), ("cr",)), "linked", "refund", ("1201",), ("cr",), now)
    rec = reconcile(case([o], [txn("pay", date(2025, 3, 4), "-14.00"), credit], [promise]))
    assert len(rec.missing_credits) == 1  # an unrecognised credit is never taken silently
    rec = reconcile(case([o], [txn("pay", date(2025, 3, 4), "-14.00"), credit], [promise], [link]))
    assert rec.missing_credits == [] and refunds(rec) == {(("1201",), ("cr",))}


def test_double_charge_and_credit_without_refund():
    o = order("1301", date(2025, 3, 3), "22.00")
    txns = [txn("t1", date(2025, 3, 4), "-22.00"), txn("t2", date(2025, 3, 5), "-22.00"),
            txn("t3", date(2025, 3, 9), "-50.00"), txn("c1", date(2025, 3, 20), "3.00")]
    rec = reconcile(case([o], txns))
    assert [d["transaction_id"] for d in rec.duplicate_charges] == ["t2"]
    assert rec.duplicate_charges[0]["order_ids"] == ["1301"]
    assert [t.id for t in rec.unmatched_transactions] == ["t3"]
    assert [t.id for t in rec.credits_without_refund] == ["c1"]
    data = rec.to_json()
    assert set(data["summary"]) >= {"paid_eur", "refunds_expected_eur", "refunds_credited_eur",
                                    "refunds_pending_eur", "refunds_overdue_eur"}
    assert set(rec.frames()) >= {"matches", "missing_credits", "summary"}

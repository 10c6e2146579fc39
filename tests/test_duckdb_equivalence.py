"""The DuckDB engine gives exactly the pandas engine's results: candidate frames, matches, missing
credits and summary, on hand-built cases and on a generated case of ~20,000 orders."""

from __future__ import annotations

import importlib.util
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest

from complaint.api.sample import sample_case_data
from complaint.case import CaseData
from complaint.reconciliation.duckdb_engine import DUCKDB_MIN_BANK_ROWS, DuckDBCandidates, choose_engine
from complaint.reconciliation.engine import reconcile_frames
from complaint.reconciliation.pay import payment_candidates
from complaint.reconciliation.reconcile import reconcile
from complaint.reconciliation.refund import full_candidates, partial_candidates
from complaint.records import BankTxn, Order, OrderStatus, Provenance, RefundPromise

ROOT = Path(__file__).resolve().parent.parent
BRU = ZoneInfo("Europe/Brussels")


def _bench():
    spec = importlib.util.spec_from_file_location("bench_scale", ROOT / "bench" / "scale.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


class Spy:
    """Runs both candidate sources on every call, checks they agree, returns the SQL one."""

    def __init__(self) -> None:
        self.duck = DuckDBCandidates(threads=2)
        self.calls = {"payment": 0, "full": 0, "partial": 0}
        self.rows = 0

    def _check(self, kind, ours, theirs):
        self.calls[kind] += 1
        self.rows += len(ours)
        pd.testing.assert_frame_equal(ours.reset_index(drop=True), theirs.reset_index(drop=True),
                                      check_dtype=False, check_exact=True)
        return theirs

    def payment_candidates(self, *args):
        return self._check("payment", payment_candidates(*args), self.duck.payment_candidates(*args))

    def full_candidates(self, *args):
        return self._check("full", full_candidates(*args), self.duck.full_candidates(*args))

    def partial_candidates(self, *args):
        return self._check("partial", partial_candidates(*args), self.duck.partial_candidates(*args))


def prov(name: str = "t.csv", line: int = 1) -> Provenance:
    return Provenance(source_name=name, source_sha256="0" * 64, importer="test", line_no=line)


def order(oid, day, amount, currency="EUR", status=OrderStatus.COMPLETED, refund=False, minute=0, refund_amount=None):
    return Order(order_id=oid, order_date=day, order_time=datetime(day.year, day.month, day.day, 10, minute, tzinfo=BRU),
                 store="Shop", currency=currency, total=Decimal(amount), status=status, status_text=status.value,
                 refund_expected=refund, refund_reason=f"status:{status.value}" if refund else None, refund_amount=None if refund_amount is None else Decimal(refund_amount),
                 provenance=prov())


def txn(tid, day, amount, desc="ALI*ALIEXPRESS.COM LUXEMBOURG", merchant="aliexpress", **kw):
    return BankTxn(id=tid, account="BE00", booking_date=day, amount=Decimal(amount), currency="EUR",
                   description=desc, merchant=merchant, provenance=prov(), **kw)


def _hand_cases() -> dict[str, CaseData]:
    d = date
    twins = CaseData(name="twins", as_of=d(2025, 6, 1), orders=[
        order("A1", d(2025, 3, 1), "12.50"), order("A2", d(2025, 3, 1), "12.50", minute=5),
        order("A3", d(2025, 3, 2), "7.00", status=OrderStatus.CANCELLED, refund=True),
        order("A4", d(2025, 3, 3), "30.00", status=OrderStatus.CANCELLED, refund=True, refund_amount="10.00"),
    ], transactions=[
        txn("t1", d(2025, 3, 2), "-12.50"), txn("t2", d(2025, 3, 3), "-12.50"),
        txn("t3", d(2025, 3, 3), "-7.00"), txn("t4", d(2025, 3, 4), "-30.00"),
        txn("t5", d(2025, 3, 20), "4.00", desc="TERUGBETALING ALIEXPRESS"),
        txn("t6", d(2025, 3, 25), "6.00"), txn("t7", d(2025, 3, 6), "-30.00"),  # a duplicate charge
    ])
    combined = CaseData(name="combined", as_of=d(2025, 9, 1), orders=[
        order("B1", d(2025, 5, 10), "3.10", minute=7), order("B2", d(2025, 5, 10), "4.25", minute=7),
        order("B3", d(2025, 5, 10), "9.99", minute=7, status=OrderStatus.CANCELLED, refund=True),
        order("B4", d(2025, 5, 12), "20.00", currency="USD"),
    ], transactions=[
        txn("u1", d(2025, 5, 11), "-7.35"), txn("u2", d(2025, 5, 12), "-9.99"),
        txn("u3", d(2025, 5, 14), "-18.60", original_amount=Decimal("-20.00"), original_currency="USD"),
        txn("u4", d(2025, 5, 10), "9.99"),  # refunded on the purchase day
    ], promises=[RefundPromise(id="p1", order_id="B4", amount=Decimal("5.00"), currency="USD",
                               promised_on=d(2025, 6, 1), destination="original_payment", by="seller")])
    return {"twins": twins, "combined": combined, "sample": sample_case_data()}


@pytest.fixture(scope="module")
def hand_cases():
    return _hand_cases()


@pytest.mark.parametrize("name", ["twins", "combined", "sample"])
def test_hand_built_cases_identical(hand_cases, name):
    case = hand_cases[name]
    a = reconcile(case, engine="pandas")
    b = reconcile(case, engine="duckdb")
    assert a.to_json() == b.to_json()
    assert [m.key for m in a.matches] == [m.key for m in b.matches]
    assert a.missing_credits == b.missing_credits
    assert a.summary == b.summary
    assert a.matches  # the cases do exercise matching


def test_sample_candidates_agree_call_by_call(hand_cases):
    from complaint.reconciliation.fx import day_number
    from complaint.reconciliation.reconcile import orders_frame, promises_frame, txns_frame

    case = hand_cases["sample"]
    spy = Spy()
    reconcile_frames(orders_frame(case), txns_frame(case), promises_frame(case), case.decisions,
                     as_of_day=day_number(case.today()), candidates=spy)
    assert spy.calls["payment"] == 1 and spy.calls["full"] == 1
    assert spy.rows > 20


def test_generated_20k_orders_identical():
    bench = _bench()
    orders, txns, promises = bench.generate_frames(20_000, 120_000, seed=5)
    spy = Spy()
    a = reconcile_frames(orders, txns, promises, [], as_of_day=bench.AS_OF_DAY)
    b = reconcile_frames(orders, txns, promises, [], as_of_day=bench.AS_OF_DAY, candidates=spy)
    assert spy.calls == {"payment": 1, "full": 1, "partial": 1}
    da, db = bench.result_digest(a), bench.result_digest(b)
    assert da == db
    # the generated case has the hard shapes, so the comparison means something
    assert len(da["payments"]) > 15_000
    assert any(len(o) > 1 for o, _t, _s in da["payments"])  # combined checkouts
    assert len(da["refunds"]) > 1000 and any(len(t) > 1 for _e, t, _s in da["refunds"])  # split refunds
    assert {"overdue", "credited", "platform_balance"} <= set(da["states"])
    assert da["duplicates"] and da["unmatched"] and da["without"]
    pd.testing.assert_frame_equal(a.expectations.drop(columns=["pay_txn"]), b.expectations.drop(columns=["pay_txn"]))


def test_engine_choice():
    assert choose_engine("auto", DUCKDB_MIN_BANK_ROWS - 1) == "pandas"
    assert choose_engine("auto", DUCKDB_MIN_BANK_ROWS) == "duckdb"
    assert choose_engine("duckdb", 1) == "duckdb"
    with pytest.raises(ValueError, match="unknown reconciliation engine"):
        choose_engine("spark", 1)
    with pytest.raises(ValueError):
        reconcile(CaseData(), engine="spark")


def test_empty_inputs_same_on_both_engines():
    empty = CaseData(as_of=date(2025, 1, 1))
    assert reconcile(empty, engine="duckdb").to_json() == reconcile(empty).to_json()
    only_orders = CaseData(as_of=date(2025, 1, 1), orders=[order("X", date(2024, 12, 1), "5.00")])
    assert reconcile(only_orders, engine="duckdb").to_json() == reconcile(only_orders).to_json()
    assert np.array_equal(np.zeros(0), np.zeros(0))

"""Reconciliation: payments against orders, refunds against promises, and the credits still missing.

``reconcile(case)`` turns the case's records into int64 frames, runs the one vectorised engine
(:func:`complaint.reconciliation.engine.reconcile_frames`, also the bulk entry point of the benchmark)
and turns the result back into records with a reason for every verdict:

- every match says why (descriptor, day gap, amount gap, ECB rate used) with a score in 0..1;
- every missing credit says since when, how many Belgian business days were waited, the delay
  for the payment method and where that delay comes from;
- nothing is merged silently: leftover debits, unpaid orders, double charges and credits with no
  expected refund are listed, and the user's decisions (confirm / reject / link) are applied.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import numpy as np
import pandas as pd

from ..case import CaseData
from ..i18n import _
from ..records import BankTxn, Issue, Match, Order
from .engine import prewarm_for, reconcile_frames
from .explain import all_payment_reasons, missing_reason, refund_reasons
from .frames import Rows, case_frames, orders_frame, promises_frame, txns_frame
from .fx import day_number, from_day_number, minor_exponent
from .result import FrameResult

__all__ = ["ExpectedRefund", "MissingCredit", "Reconciliation", "build_report", "orders_frame", "promises_frame",
           "reconcile", "txns_frame"]

CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class ExpectedRefund:
    order_id: str
    amount: Decimal
    currency: str
    expected_since: date
    source: str  # "promise" or "status"
    destination: str  # "original_payment" or "platform_balance"
    state: str  # "credited", "pending", "overdue", "platform_balance", "unverified"
    credited_eur: Decimal
    payment_method: str  # "card", "paypal", "bank_transfer"
    promise_id: str | None = None
    txn_ids: tuple[str, ...] = ()
    difference_eur: Decimal = Decimal(0)  # credited minus expected (FX) when settled


@dataclass(frozen=True, slots=True)
class MissingCredit:
    order_id: str
    expected_amount: Decimal
    currency: str
    expected_since: date
    business_days_waiting: int
    state: str  # "pending" or "overdue"
    due_date: date
    reason: str
    promise_id: str | None = None
    expected_eur: Decimal = Decimal(0)


@dataclass
class Reconciliation:
    summary: dict
    matches: list[Match]
    missing_credits: list[MissingCredit]
    expected_refunds: list[ExpectedRefund]
    unmatched_transactions: list[BankTxn]
    orders_without_payment: list[Order]
    duplicate_charges: list[dict]
    credits_without_refund: list[BankTxn]
    rejected_rows: list[Issue]
    as_of: date
    stale_decisions: list = field(default_factory=list)

    def to_json(self) -> dict:
        """The CLI's ``--format json`` object (numbers for money, ISO dates)."""
        return {key: (list(value) if isinstance(value, Iterator) else value) for key, value in self.json_items()}

    def json_items(self) -> Iterator[tuple[str, object]]:
        """The ``to_json`` object as (key, value) pairs, its long lists as iterators that build one
        item at a time (the CLI streams them: a report of 100,000 matches is never one string)."""
        yield "as_of", self.as_of.isoformat()
        yield "summary", {k: float(v) for k, v in self.summary.items()}
        yield "missing_credits", map(_missing_json, self.missing_credits)
        yield "matches", map(_match_json, self.matches)
        yield "expected_refunds", map(_expected_json, self.expected_refunds)
        yield "unmatched_transactions", map(_txn_json, self.unmatched_transactions)
        yield "orders_without_payment", map(_unpaid_json, self.orders_without_payment)
        yield "duplicate_charges", iter(self.duplicate_charges)
        yield "credits_without_refund", map(_txn_json, self.credits_without_refund)
        yield "rejected_rows", ({"file": i.file, "row": i.line, "reason": i.message, "field": i.field}
                                for i in self.rejected_rows)

    def frames(self) -> dict[str, pd.DataFrame]:
        """Tables for the page and notebooks (money as Decimal in object columns)."""
        data = self.to_json()
        out = {name: pd.DataFrame(data[name]) for name in
               ("missing_credits", "matches", "expected_refunds", "unmatched_transactions",
                "orders_without_payment", "duplicate_charges", "credits_without_refund", "rejected_rows")}
        out["summary"] = pd.DataFrame([{"metric": k, "eur": v} for k, v in self.summary.items()])
        return out


def _missing_json(m: MissingCredit) -> dict:
    return {"order_id": m.order_id, "expected_amount": float(m.expected_amount), "currency": m.currency,
            "expected_eur": float(m.expected_eur), "expected_since": m.expected_since.isoformat(),
            "business_days_waiting": m.business_days_waiting, "state": m.state,
            "due_date": m.due_date.isoformat(), "reason": m.reason, "promise_id": m.promise_id}


def _match_json(m: Match) -> dict:
    return {"kind": m.kind, "order_ids": list(m.order_ids), "transaction_ids": list(m.txn_ids),
            "score": m.score, "reasons": list(m.reasons), "match_key": m.key,
            "amount_gap": None if m.amount_gap is None else float(m.amount_gap),
            "day_gap": m.day_gap, "fx_rate": None if m.fx_rate is None else float(m.fx_rate),
            "decision": m.decision}


def _expected_json(e: ExpectedRefund) -> dict:
    return {"order_id": e.order_id, "amount": float(e.amount), "currency": e.currency,
            "expected_since": e.expected_since.isoformat(), "source": e.source, "state": e.state,
            "destination": e.destination, "credited_eur": float(e.credited_eur),
            "difference_eur": float(e.difference_eur), "transaction_ids": list(e.txn_ids),
            "promise_id": e.promise_id}


def _unpaid_json(o: Order) -> dict:
    return {"order_id": o.order_id, "order_date": o.order_date.isoformat(),
            "amount": None if o.amount_due is None else float(o.amount_due), "currency": o.currency,
            "status": o.status.value}


def _txn_json(t: BankTxn) -> dict:
    return {"id": t.id, "booking_date": t.booking_date.isoformat(), "amount": float(t.amount),
            "currency": t.currency, "counterparty": t.counterparty, "description": t.description,
            "merchant": t.merchant}


# -- the public entry point -----------------------------------------------------------------------

def reconcile(case: CaseData, as_of: date | None = None, *, window_days: int = 10,
              amount_tolerance: Decimal = Decimal("0.03"), refund_delay_business_days: dict | None = None,
              engine: str = "pandas") -> Reconciliation:
    """Match payments to orders and refunds to credits; list what is missing and why.

    ``engine``: ``pandas`` (numpy band joins), ``duckdb`` (candidate pairs and points in SQL,
    identical results) or ``auto`` (DuckDB from ``duckdb_engine.DUCKDB_MIN_BANK_ROWS`` rows).
    """
    from .duckdb_engine import DuckDBCandidates, choose_engine

    prewarm_for(*case.counts())
    orders, txns, rows = case_frames(case)
    chosen = choose_engine(engine, rows.n_transactions)
    today = as_of or case.today()
    candidates = DuckDBCandidates() if chosen == "duckdb" else None
    try:
        result = reconcile_frames(orders, txns, promises_frame(case), case.decisions,
                                  as_of_day=day_number(today), window_days=window_days,
                                  amount_tolerance=float(amount_tolerance),
                                  refund_delay_business_days=refund_delay_business_days, candidates=candidates)
    finally:
        if candidates is not None:
            candidates.close()
    return build_report(case, result, today, rows)


def _eur(cents: int | np.integer) -> Decimal:
    return (Decimal(int(cents)) * CENT).quantize(CENT)


def _money(cents: int, currency: str) -> Decimal:
    return Decimal(int(cents)).scaleb(-minor_exponent(currency))


def build_report(case: CaseData, r: FrameResult, today: date, rows: Rows | None = None) -> Reconciliation:
    """The report of a run on the frames of ``case``; ``rows`` builds the records of frame rows
    (default: the case's records, one per frame row, as :func:`~.frames.orders_frame` and
    :func:`~.frames.txns_frame` make them)."""
    if rows is None:
        orders_list, txns_list = case.orders, case.transactions
        rows = Rows(lambda idx: [orders_list[i] for i in idx], lambda idx: [txns_list[i] for i in idx],
                    len(txns_list))
    o_ids = r.orders["order_id"].to_numpy(dtype=object)
    t_ids = r.txns["txn_id"].to_numpy(dtype=object)
    matches: list[Match] = []
    pay = r.payment_rows
    scores = pay["score"].to_numpy(dtype=np.float64).tolist() if len(pay) else []
    decisions = pay["decision"].to_numpy(dtype=object).tolist() if len(pay) else []
    o_ptr, o_items = r.payment_orders.ptr.tolist(), r.payment_orders.items
    t_ptr, t_items = r.payment_txns.ptr.tolist(), r.payment_txns.items
    o_names, t_names = o_ids[o_items].tolist(), t_ids[t_items].tolist()
    for i, (reasons, gap, day_gap, rate) in enumerate(all_payment_reasons(r)):
        oids = tuple(map(str, o_names[o_ptr[i]:o_ptr[i + 1]]))
        tids = tuple(map(str, t_names[t_ptr[i]:t_ptr[i + 1]]))
        decision = decisions[i]
        matches.append(Match("payment", oids, tids, scores[i], tuple(reasons), gap, day_gap, rate,
                             decision if isinstance(decision, str) else None))
    exp = r.expectations
    credits_by_exp = {int(row.exp): row for row in r.refunds.itertuples(index=False)}
    expected: list[ExpectedRefund] = []
    missing: list[MissingCredit] = []
    for i, e in enumerate(exp.itertuples(index=False)):
        cr = credits_by_exp.get(i)
        tids = tuple(str(t_ids[t]) for t in cr.txn_idx) if cr is not None else ()
        amount = _money(e.amount_cents, e.currency)
        expected.append(ExpectedRefund(
            order_id=e.order_id, amount=amount, currency=e.currency, expected_since=from_day_number(e.since_day),
            source=e.source, destination=e.destination, state=e.state, credited_eur=_eur(e.credited_eur),
            payment_method=e.method, promise_id=e.promise_id if isinstance(e.promise_id, str) else None,
            txn_ids=tids, difference_eur=_eur(e.difference_eur)))
        if cr is not None:
            reasons, gap, rate = refund_reasons(e, cr, r, tids)
            matches.append(Match("refund", (e.order_id,), tids, float(cr.score), tuple(reasons), gap, None, rate,
                                 cr.decision if isinstance(cr.decision, str) else None))
        if e.state in ("pending", "overdue"):
            missing.append(MissingCredit(
                order_id=e.order_id, expected_amount=_money(e.remaining_cents, e.currency), currency=e.currency,
                expected_since=from_day_number(e.since_day), business_days_waiting=int(e.waiting),
                state=e.state, due_date=from_day_number(e.due_day), reason=missing_reason(e, today, tids, r),
                promise_id=e.promise_id if isinstance(e.promise_id, str) else None,
                expected_eur=_eur(e.remaining_eur)))
    missing.sort(key=lambda m: (m.state != "overdue", m.expected_since, m.order_id))
    need = exp["needs_credit"].to_numpy(dtype=bool) if len(exp) else np.zeros(0, dtype=bool)
    state = exp["state"].to_numpy(dtype=object) if len(exp) else np.zeros(0, dtype=object)
    summary = {
        "paid_eur": _eur(r.paid_eur_cents()),
        "refunds_expected_eur": _eur(exp["eur"].to_numpy()[need].sum() if len(exp) else 0),
        "refunds_credited_eur": _eur(exp["credited_eur"].to_numpy().sum() if len(exp) else 0),
        "refunds_pending_eur": _eur(exp["remaining_eur"].to_numpy()[state == "pending"].sum() if len(exp) else 0),
        "refunds_overdue_eur": _eur(exp["remaining_eur"].to_numpy()[state == "overdue"].sum() if len(exp) else 0),
    }
    duplicates = []
    dup_rows = r.duplicates
    dup_txns = rows.txns([int(i) for pair in zip(dup_rows["txn"], dup_rows["original_txn"], strict=True)
                          for i in pair]) if len(dup_rows) else []
    for k, row in enumerate(dup_rows.itertuples(index=False)):
        t, orig = dup_txns[2 * k], dup_txns[2 * k + 1]
        oids = [str(o_ids[i]) for i in row.order_idx]
        duplicates.append({
            "transaction_id": t.id, "original_transaction_id": orig.id, "order_ids": oids,
            "amount": float(t.amount), "currency": t.currency, "booking_date": t.booking_date.isoformat(),
            "reason": _("charged {amount} {currency} on {day} and again on {day2} by {merchant} for one order ({orders})",
                        amount=-orig.amount, currency=t.currency, day=orig.booking_date.isoformat(),
                        day2=t.booking_date.isoformat(), merchant=t.merchant, orders=", ".join(oids)),
        })
    return Reconciliation(
        summary=summary, matches=matches, missing_credits=missing, expected_refunds=expected,
        unmatched_transactions=rows.txns([int(i) for i in r.unmatched_debits]),
        orders_without_payment=rows.orders([int(i) for i in r.orders_without_payment]),
        duplicate_charges=duplicates,
        credits_without_refund=rows.txns([int(i) for i in r.credits_without_refund]),
        rejected_rows=list(case.rejected), as_of=today, stale_decisions=list(r.stale_decisions))

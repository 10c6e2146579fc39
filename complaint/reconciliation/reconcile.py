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

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import numpy as np
import pandas as pd

from ..case import CaseData
from ..i18n import _
from ..importers.bank.merchants import is_refund_wording
from ..importers.bank.paypal import BANK_DEPOSIT_RE  # "Bank Deposit to PP Account"
from ..records import BankTxn, Issue, Match, Order
from .engine import reconcile_frames
from .explain import missing_reason, payment_reasons, refund_reasons
from .fx import day_number, from_day_number, minor_exponent
from .result import FrameResult

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
        return {
            "as_of": self.as_of.isoformat(),
            "summary": {k: float(v) for k, v in self.summary.items()},
            "missing_credits": [{
                "order_id": m.order_id, "expected_amount": float(m.expected_amount), "currency": m.currency,
                "expected_eur": float(m.expected_eur), "expected_since": m.expected_since.isoformat(),
                "business_days_waiting": m.business_days_waiting, "state": m.state,
                "due_date": m.due_date.isoformat(), "reason": m.reason, "promise_id": m.promise_id,
            } for m in self.missing_credits],
            "matches": [{
                "kind": m.kind, "order_ids": list(m.order_ids), "transaction_ids": list(m.txn_ids),
                "score": m.score, "reasons": list(m.reasons), "match_key": m.key,
                "amount_gap": None if m.amount_gap is None else float(m.amount_gap),
                "day_gap": m.day_gap, "fx_rate": None if m.fx_rate is None else float(m.fx_rate),
                "decision": m.decision,
            } for m in self.matches],
            "expected_refunds": [{
                "order_id": e.order_id, "amount": float(e.amount), "currency": e.currency,
                "expected_since": e.expected_since.isoformat(), "source": e.source, "state": e.state,
                "destination": e.destination, "credited_eur": float(e.credited_eur),
                "difference_eur": float(e.difference_eur), "transaction_ids": list(e.txn_ids),
                "promise_id": e.promise_id,
            } for e in self.expected_refunds],
            "unmatched_transactions": [_txn_json(t) for t in self.unmatched_transactions],
            "orders_without_payment": [{
                "order_id": o.order_id, "order_date": o.order_date.isoformat(),
                "amount": None if o.amount_due is None else float(o.amount_due), "currency": o.currency,
                "status": o.status.value,
            } for o in self.orders_without_payment],
            "duplicate_charges": self.duplicate_charges,
            "credits_without_refund": [_txn_json(t) for t in self.credits_without_refund],
            "rejected_rows": [{"file": i.file, "row": i.line, "reason": i.message, "field": i.field}
                              for i in self.rejected_rows],
        }

    def frames(self) -> dict[str, pd.DataFrame]:
        """Tables for the page and notebooks (money as Decimal in object columns)."""
        data = self.to_json()
        out = {name: pd.DataFrame(data[name]) for name in
               ("missing_credits", "matches", "expected_refunds", "unmatched_transactions",
                "orders_without_payment", "duplicate_charges", "credits_without_refund", "rejected_rows")}
        out["summary"] = pd.DataFrame([{"metric": k, "eur": v} for k, v in self.summary.items()])
        return out


def _txn_json(t: BankTxn) -> dict:
    return {"id": t.id, "booking_date": t.booking_date.isoformat(), "amount": float(t.amount),
            "currency": t.currency, "counterparty": t.counterparty, "description": t.description,
            "merchant": t.merchant}


# -- records -> frames ----------------------------------------------------------------------------

def _cents(value: Decimal | None, currency: str | None) -> int:
    if value is None:
        return -1
    return int((value.scaleb(minor_exponent(currency))).to_integral_value(rounding="ROUND_HALF_UP"))


def orders_frame(case: CaseData) -> pd.DataFrame:
    since: dict[str, int] = {}
    for ev in case.events:
        if ev.kind == "status_changed":
            for oid in ev.order_ids:
                since[oid] = min(since.get(oid, 10**9), day_number(ev.on))
    rows = []
    for o in case.orders:
        cur = o.currency or "EUR"
        day = day_number(o.order_date)
        checkout = int(o.order_time.timestamp() // 60) if o.order_time else -1 - day
        ann = case.annotations.get(o.order_id)
        rows.append((o.order_id, day, checkout, cur, _cents(o.amount_due, cur), o.status.value,
                     bool(o.refund_expected), _cents(o.refund_amount, cur), o.refund_reason or "",
                     since.get(o.order_id, -1) if o.refund_expected else -1,
                     (ann.payment_method if ann else None) or "", o.end_reason or ""))
    cols = ["order_id", "order_day", "checkout", "currency", "due_cents", "status", "refund_expected",
            "refund_cents", "refund_reason", "refund_since_day", "payment_method", "end_reason"]
    return pd.DataFrame(rows, columns=cols).astype({"order_day": "int64", "checkout": "int64",
                                                     "due_cents": "int64", "refund_cents": "int64",
                                                     "refund_since_day": "int64", "refund_expected": bool})


def txns_frame(case: CaseData) -> pd.DataFrame:
    rows = []
    for t in case.transactions:
        text = " ".join(x for x in (t.counterparty, t.description, t.communication) if x)
        wording = bool(t.merchant_rule and "refund-wording" in t.merchant_rule) or is_refund_wording(text)
        orig = _cents(t.original_amount, t.original_currency) if t.original_amount is not None else 0
        funding = t.payment_method == "paypal" and bool(BANK_DEPOSIT_RE.search(t.description or ""))
        rows.append((t.id, day_number(t.booking_date), _cents(t.amount, t.currency), t.currency, orig,
                     t.original_currency or "", t.merchant or "", t.payment_method or "", t.related_id or "",
                     t.bank_reference or "", wording, t.duplicate_of is not None, funding))
    cols = ["txn_id", "day", "amount_cents", "currency", "orig_cents", "orig_currency", "merchant",
            "payment_method", "related_id", "bank_reference", "refund_wording", "is_duplicate", "funding"]
    return pd.DataFrame(rows, columns=cols).astype({"day": "int64", "amount_cents": "int64",
                                                     "orig_cents": "int64", "refund_wording": bool,
                                                     "is_duplicate": bool, "funding": bool})


def promises_frame(case: CaseData) -> pd.DataFrame:
    rows = [(p.id, p.order_id, _cents(p.amount, p.currency), p.currency, day_number(p.promised_on),
             p.destination, p.by) for p in case.promises]
    cols = ["promise_id", "order_id", "amount_cents", "currency", "promised_day", "destination", "by"]
    return pd.DataFrame(rows, columns=cols).astype({"amount_cents": "int64", "promised_day": "int64"})


# -- the public entry point -----------------------------------------------------------------------

def reconcile(case: CaseData, as_of: date | None = None, *, window_days: int = 10,
              amount_tolerance: Decimal = Decimal("0.03"), refund_delay_business_days: dict | None = None,
              engine: str = "pandas") -> Reconciliation:
    """Match payments to orders and refunds to credits; list what is missing and why.

    ``engine``: ``pandas`` (numpy band joins), ``duckdb`` (candidate pairs and points in SQL,
    identical results) or ``auto`` (DuckDB from ``duckdb_engine.DUCKDB_MIN_BANK_ROWS`` rows).
    """
    from .duckdb_engine import DuckDBCandidates, choose_engine

    chosen = choose_engine(engine, len(case.transactions))
    today = as_of or case.today()
    candidates = DuckDBCandidates() if chosen == "duckdb" else None
    try:
        result = reconcile_frames(orders_frame(case), txns_frame(case), promises_frame(case), case.decisions,
                                  as_of_day=day_number(today), window_days=window_days,
                                  amount_tolerance=float(amount_tolerance),
                                  refund_delay_business_days=refund_delay_business_days, candidates=candidates)
    finally:
        if candidates is not None:
            candidates.close()
    return build_report(case, result, today)


def _eur(cents: int | np.integer) -> Decimal:
    return (Decimal(int(cents)) * CENT).quantize(CENT)


def _money(cents: int, currency: str) -> Decimal:
    return Decimal(int(cents)).scaleb(-minor_exponent(currency))


def build_report(case: CaseData, r: FrameResult, today: date) -> Reconciliation:
    orders = {o.order_id: o for o in case.orders}
    txns = {t.id: t for t in case.transactions}
    o_ids = r.orders["order_id"].to_numpy(dtype=object)
    t_ids = r.txns["txn_id"].to_numpy(dtype=object)
    matches: list[Match] = []
    for row in r.payments.itertuples(index=False):
        oids = tuple(str(o_ids[i]) for i in row.order_idx)
        tids = tuple(str(t_ids[i]) for i in row.txn_idx)
        reasons, gap, day_gap, rate = payment_reasons(row, r, oids, tids)
        matches.append(Match("payment", oids, tids, float(row.score), tuple(reasons), gap, day_gap, rate,
                             row.decision if isinstance(row.decision, str) else None))
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
    for row in r.duplicates.itertuples(index=False):
        t, orig = txns[str(t_ids[row.txn])], txns[str(t_ids[row.original_txn])]
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
        unmatched_transactions=[txns[str(t_ids[i])] for i in r.unmatched_debits],
        orders_without_payment=[orders[str(o_ids[i])] for i in r.orders_without_payment],
        duplicate_charges=duplicates,
        credits_without_refund=[txns[str(t_ids[i])] for i in r.credits_without_refund],
        rejected_rows=list(case.rejected), as_of=today, stale_decisions=list(r.stale_decisions))

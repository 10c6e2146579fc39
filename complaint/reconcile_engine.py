"""The vectorised reconciliation: one entry point for records (``reconcile``) and bulk frames (bench).

Input frames (money as int64 minor units, days as int64 day numbers since 1970-01-01):

- orders: order_id, order_day, checkout (minute number, or ``-1 - day`` when only the date is known),
  currency, due_cents (-1 unknown), status, refund_expected, refund_cents (-1), refund_reason,
  refund_since_day (-1), payment_method, end_reason;
- txns: txn_id, day, amount_cents (signed), currency, orig_cents (0 none), orig_currency, merchant,
  payment_method, related_id, bank_reference, refund_wording, is_duplicate;
- promises: promise_id, order_id, amount_cents, currency, promised_day, destination, by.

Decisions (``records.Decision``) are applied first: a confirmed or linked pair is fixed before the
optimiser runs, a rejected pair is never proposed again.
"""

from __future__ import annotations

import functools
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .reconcile_assign import assign as assign_fast
from .reconcile_assign import assign_reference, expand_csr
from .reconcile_codes import TxnCodes
from .reconcile_expect import (
    add_business_days,
    business_days_between,
    delay_table,
    expectation_rows,
    mark_paid,
    method_group,
)
from .reconcile_fx import to_eur_cents
from .reconcile_pay import (
    MAX_POINTS,
    STRONG_MERCHANTS,
    build_units,
    payment_candidates,
    score_payments_reference,
)
from .reconcile_refund import MAX_POINTS as REFUND_MAX
from .reconcile_refund import full_candidates, full_candidates_reference, partial_candidates, take_partials
from .records import match_key

_BACKGROUND = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reconcile")
NEVER_PAID_END_REASONS = ("buyer_pay_timeout", "buyer_cancel_notpay_order")
DUPLICATE_DAYS = 3


@dataclass(frozen=True)
class Links:
    """A list of row indices per result row, stored flat (CSR): row ``i`` is ``items[ptr[i]:ptr[i + 1]]``.

    A bulk run has ~100,000 payments: one small array per payment costs more than the matching, so
    the engine keeps them flat and builds the lists only when a report asks for them."""

    ptr: np.ndarray
    items: np.ndarray

    @classmethod
    def one_each(cls, items: np.ndarray) -> Links:
        items = np.asarray(items, dtype=np.int64)
        return cls(np.arange(len(items) + 1, dtype=np.int64), items)

    @classmethod
    def from_lists(cls, lists) -> Links:
        sizes = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
        items = np.concatenate([np.asarray(x, dtype=np.int64) for x in lists]) if len(lists) else \
            np.zeros(0, dtype=np.int64)
        return cls(np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64), items)

    def __len__(self) -> int:
        return len(self.ptr) - 1

    def sizes(self) -> np.ndarray:
        return np.diff(self.ptr)

    def first(self) -> np.ndarray:
        """The first index of each row (-1 for an empty row)."""
        ok = self.sizes() > 0
        return np.where(ok, self.items[np.minimum(self.ptr[:-1], max(len(self.items) - 1, 0))]
                        if len(self.items) else -1, -1)

    def owner(self) -> np.ndarray:
        """The row of each item."""
        return np.repeat(np.arange(len(self), dtype=np.int64), self.sizes())

    def lists(self) -> list[np.ndarray]:
        return np.split(self.items, self.ptr[1:-1]) if len(self) else []

    def rows(self, which) -> list[np.ndarray]:
        """The lists of the rows ``which`` only."""
        ptr, items = self.ptr, self.items
        return [items[ptr[i]:ptr[i + 1]] for i in np.asarray(which, dtype=np.int64).tolist()]

    def lift(self, back: np.ndarray) -> Links:
        return Links(self.ptr, back[self.items] if len(self.items) else self.items)

    def concat(self, other: Links) -> Links:
        return Links(np.concatenate([self.ptr, other.ptr[1:] + self.ptr[-1]]),
                     np.concatenate([self.items, other.items]))


@dataclass
class FrameResult:
    orders: pd.DataFrame
    txns: pd.DataFrame
    payment_rows: pd.DataFrame  # one row per payment match (flat columns)
    payment_orders: Links  # the order rows of each payment
    payment_txns: Links  # the transaction rows of each payment (one, or several linked by hand)
    refund_rows: pd.DataFrame  # one row per expectation with at least one credit: exp, score, decision, credited_eur
    refund_txns: Links  # the credits of each of those rows
    refund_credits: pd.DataFrame  # per credit (aligned with refund_txns.items): how it was found
    expectations: pd.DataFrame
    unmatched_debits: np.ndarray
    orders_without_payment: np.ndarray
    duplicates: pd.DataFrame
    credits_without_refund: np.ndarray
    stale_decisions: list = field(default_factory=list)
    delays: dict = field(default_factory=dict)
    # bank debits that top up PayPal, each linked to the PayPal funding mirror and the PayPal payment
    # it funds: columns bank, mirror, payment (txn rows) and aliexpress (the payment is one)
    funding: pd.DataFrame = field(default_factory=lambda: _empty_funding())
    _payments: pd.DataFrame | None = field(default=None, repr=False)
    _refunds: pd.DataFrame | None = field(default=None, repr=False)

    @property
    def payments(self) -> pd.DataFrame:
        """The payment rows with ``order_idx`` and ``txn_idx`` lists (built on first use)."""
        if self._payments is None:
            pay = self.payment_rows.copy()
            pay["order_idx"] = self.payment_orders.lists()
            pay["txn_idx"] = self.payment_txns.lists()
            self._payments = pay
        return self._payments

    @property
    def refunds(self) -> pd.DataFrame:
        """The refund rows with ``txn_idx`` and ``details`` lists (built on first use): a detail is
        (points, kind, mode, gap, on_purchase, related, after), None for a credit linked by hand."""
        if self._refunds is None:
            ref = self.refund_rows.copy()
            ref.insert(1, "txn_idx", self.refund_txns.lists())
            c = self.refund_credits
            cols = [c[k].tolist() for k in ("points", "kind", "mode", "gap", "on_purchase", "related", "after")]
            details = [(pts, kind, mode, gap, bool(op), bool(rel), bool(aft)) if known else None
                       for known, pts, kind, mode, gap, op, rel, aft in zip(c["known"].tolist(), *cols, strict=True)]
            ptr = self.refund_txns.ptr
            ref.insert(3, "details", [details[ptr[i]:ptr[i + 1]] for i in range(len(ref))])
            self._refunds = ref
        return self._refunds

    def paid_eur_cents(self) -> int:
        """The EUR cents of every debit matched to an order."""
        return int(-self.txns["eur"].to_numpy(dtype=np.int64)[self.payment_txns.items].sum())


FUNDING_DAYS_BEFORE, FUNDING_DAYS_AFTER = 2, 7  # bank booking relative to the PayPal mirror row


def _empty_funding() -> pd.DataFrame:
    return pd.DataFrame({"bank": np.zeros(0, np.int64), "mirror": np.zeros(0, np.int64),
                         "payment": np.zeros(0, np.int64), "aliexpress": np.zeros(0, bool)})


def _index(ids: np.ndarray) -> dict[str, int]:
    return {str(v): i for i, v in enumerate(ids)}


COMPILED_MIN_ROWS = 20_000  # orders + matchable transactions from which the compiled kernels are used


def reconcile_frames(orders: pd.DataFrame, txns: pd.DataFrame, promises: pd.DataFrame | None = None,
                     decisions: list | None = None, *, as_of_day: int, window_days: int = 10,
                     amount_tolerance: float = 0.03, refund_delay_business_days: dict | None = None,
                     max_group: int = 10, candidates=None, reference: bool = False,
                     compiled: bool | None = None) -> FrameResult:
    """``candidates``: an object with ``payment_candidates``, ``full_candidates`` and
    ``partial_candidates`` (the SQL engine, ``complaint.reconcile_duckdb.DuckDBCandidates``);
    None uses the band joins of ``reconcile_pay`` / ``reconcile_refund``.

    Only the rows that can take part are matched: transactions with a recognised merchant, a
    ``related_id`` or a decision of the user (a statement is mostly groceries and rent).  They are
    taken out first, in bulk and without turning text columns into Python objects, and every index of
    the result is mapped back to the rows of ``txns``.

    ``compiled``: match with the compiled kernels (``complaint.jit``; bulk data) or in numpy (the
    straightforward functions, ``*_reference``); None chooses by size (``COMPILED_MIN_ROWS``), so a
    buyer's case never loads numba.  Both give the same result (tests/test_reconcile_perf_equivalence.py).
    ``reference=True`` runs the straightforward path on every row: the oracle of that test.
    """
    kwargs = dict(as_of_day=as_of_day, window_days=window_days, amount_tolerance=amount_tolerance,
                  refund_delay_business_days=refund_delay_business_days, max_group=max_group)
    txns = txns.reset_index(drop=True)
    t_eur, t_rate = to_eur_cents(txns["amount_cents"].to_numpy(dtype=np.int64), txns["currency"],
                                 txns["day"].to_numpy(dtype=np.int64))
    if reference:
        r = _reconcile(orders, txns, promises, decisions, candidates=candidates or _ReferenceCandidates(),
                       compiled=False, t_fx=(t_eur, t_rate), **kwargs)
        r.txns = txns.assign(eur=t_eur, rate=t_rate)
        return r
    keep = _relevant_rows(txns, decisions)
    back = np.flatnonzero(keep)
    if compiled is None:
        compiled = len(orders) + len(back) >= COMPILED_MIN_ROWS
    if not compiled and candidates is None:
        candidates = _ReferenceCandidates()
    if len(back) < len(txns):
        sub = txns.take(back).reset_index(drop=True)
        r = _reconcile(orders, sub, promises, decisions, candidates=candidates, compiled=compiled,
                       t_fx=(t_eur[back], t_rate[back]), **kwargs)
        return _lift(r, txns.assign(eur=t_eur, rate=t_rate), back)
    r = _reconcile(orders, txns, promises, decisions, candidates=candidates, compiled=compiled,
                   t_fx=(t_eur, t_rate), **kwargs)
    r.txns = txns.assign(eur=t_eur, rate=t_rate)
    return r


class _ReferenceCandidates:
    """The numpy band joins with the straightforward scoring (no compiled kernel)."""

    @staticmethod
    def payment_candidates(*args):
        return payment_candidates(*args, scorer=score_payments_reference)

    full_candidates = staticmethod(full_candidates_reference)
    partial_candidates = staticmethod(partial_candidates)


@functools.lru_cache(maxsize=256)
def _method_of(order_method, txn_method, merchant) -> str:
    """The refund delay group of one expectation: the order's payment method, else the payment's."""
    return method_group(order_method or txn_method, merchant)


def _rank(keys: list) -> np.ndarray:
    """Position of each row in the stable sort by ``keys`` (numbers, or texts compared by code point,
    as ``np.lexsort`` on ``astype(str)`` does), through arrow's sort: no Python string per row."""
    import pyarrow as pa
    import pyarrow.compute as pc

    cols = {}
    for i, k in enumerate(keys):
        if isinstance(k, pd.Series):
            k = pa.array(k if isinstance(k.dtype, pd.StringDtype | pd.ArrowDtype) else k.astype(str))
        cols[f"k{i}"] = k
    order = pc.sort_indices(pa.table(cols), sort_keys=[(name, "ascending") for name in cols]).to_numpy()
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order), dtype=np.int64)
    return rank


def _text_is(column: pd.Series, value: str) -> np.ndarray:
    """``column == value`` as a numpy bool array, missing values False (pyarrow strings stay arrow)."""
    return column.eq(value).fillna(False).to_numpy(dtype=bool)


def _relevant_rows(txns: pd.DataFrame, decisions: list | None) -> np.ndarray:
    """Rows the matching can use: a recognised merchant, a related id (any value but ""), a decision."""
    merchant = txns["merchant"]
    recognised = merchant.notna().to_numpy(dtype=bool) & ~_text_is(merchant, "")
    keep = recognised | ~_text_is(txns["related_id"], "")
    if "funding" in txns:  # PayPal funding mirrors and the payments they fund
        fund = txns["funding"].fillna(False).to_numpy(dtype=bool)
        keep |= fund
        targets = txns["related_id"][fund].dropna().tolist()
        if targets:
            keep |= (txns["txn_id"].isin(targets).fillna(False).to_numpy(dtype=bool)
                     | txns["bank_reference"].isin(targets).fillna(False).to_numpy(dtype=bool))
    ids = {t for d in decisions or () for t in d.txn_ids}
    if ids:
        keep |= txns["txn_id"].isin(list(ids)).fillna(False).to_numpy(dtype=bool)
    return keep


def _lift_index(values, back: np.ndarray) -> np.ndarray:
    """Indices into the kept rows -> indices into all rows (-1 and NaN stay as they are)."""
    arr = np.asarray(values)
    if arr.dtype.kind == "f":
        ok = np.isfinite(arr) & (arr >= 0)
        out = arr.copy()
        out[ok] = back[arr[ok].astype(np.int64)]
        return out
    if arr.dtype.kind in "iu":
        return np.where(arr >= 0, back[np.maximum(arr, 0)] if len(back) else arr, arr).astype(arr.dtype)
    return np.array([v if v is None or (isinstance(v, float) and np.isnan(v)) or int(v) < 0 else back[int(v)]
                     for v in arr], dtype=object)


def _lift(r: FrameResult, txns: pd.DataFrame, back: np.ndarray) -> FrameResult:
    """The result on the kept rows -> the result on all rows of ``txns``."""
    pay = r.payment_rows  # the engine's own frames: lifted in place
    if len(pay):
        for col in ("txn", "tie_txn"):
            if col in pay:
                pay[col] = _lift_index(pay[col].to_numpy(), back)
    exp = r.expectations
    if len(exp):
        exp["pay_txn"] = _lift_index(exp["pay_txn"].to_numpy(), back)
    dups = r.duplicates
    if len(dups):
        for col in ("txn", "original_txn"):
            dups[col] = _lift_index(dups[col].to_numpy(), back)
    funding = r.funding
    for col in ("bank", "mirror", "payment"):
        funding[col] = _lift_index(funding[col].to_numpy(dtype=np.int64), back)
    return FrameResult(orders=r.orders, txns=txns, payment_rows=pay,
                       payment_orders=r.payment_orders, payment_txns=r.payment_txns.lift(back),
                       refund_rows=r.refund_rows, refund_txns=r.refund_txns.lift(back),
                       refund_credits=r.refund_credits, expectations=exp,
                       unmatched_debits=back[r.unmatched_debits.astype(np.int64)],
                       orders_without_payment=r.orders_without_payment, duplicates=dups,
                       credits_without_refund=back[r.credits_without_refund.astype(np.int64)],
                       stale_decisions=r.stale_decisions, delays=r.delays, funding=funding)


def _reconcile(orders: pd.DataFrame, txns: pd.DataFrame, promises: pd.DataFrame | None, decisions: list | None, *,
               as_of_day: int, window_days: int, amount_tolerance: float, refund_delay_business_days: dict | None,
               max_group: int, candidates, compiled: bool, t_fx: tuple[np.ndarray, np.ndarray]) -> FrameResult:
    assign = assign_fast if compiled else assign_reference
    pay_cands = candidates.payment_candidates if candidates is not None else payment_candidates
    tol = float(amount_tolerance)
    orders = orders.reset_index(drop=True)
    txns = txns.reset_index(drop=True)
    promises = promises if promises is not None else pd.DataFrame(
        columns=["promise_id", "order_id", "amount_cents", "currency", "promised_day", "destination", "by"])
    n_o, n_t = len(orders), len(txns)
    # ids as Python strings only for the user's decisions (a bulk run has none)
    o_ids = orders["order_id"].to_numpy(dtype=object) if decisions else None
    t_ids = txns["txn_id"].to_numpy(dtype=object) if decisions else None
    o_day = orders["order_day"].to_numpy(dtype=np.int64)
    t_day = txns["day"].to_numpy(dtype=np.int64)
    o_eur, o_rate = to_eur_cents(orders["due_cents"].to_numpy(dtype=np.int64), orders["currency"], o_day)
    t_eur, t_rate = t_fx
    amount = txns["amount_cents"].to_numpy(dtype=np.int64)
    recognised = txns["merchant"].notna().to_numpy(dtype=bool) & ~_text_is(txns["merchant"], "")
    dup = txns["is_duplicate"].to_numpy(dtype=bool)
    # the time order of orders and transactions (tie-breaks of the assignment): sorted by arrow, which
    # releases the GIL, in a second thread while this one builds and scores the candidates
    ranks = _BACKGROUND.submit(lambda: (_rank([o_day, orders["checkout"].to_numpy(dtype=np.int64),
                                               orders["order_id"]]), _rank([t_day, txns["txn_id"]])))
    expected = _BACKGROUND.submit(expectation_rows, orders, promises)  # then, what needs no payment
    # the transactions' text columns coded once for both refund passes
    coded = _BACKGROUND.submit(TxnCodes.of, txns) if candidates is None else None

    # -- decisions --------------------------------------------------------------------------------
    oi, ti = (_index(o_ids), _index(t_ids)) if decisions else ({}, {})
    fixed_pay, fixed_ref, rejected_pay, rejected_ref, stale = [], [], set(), set(), []
    used_o = np.zeros(n_o, dtype=bool)
    used_t = np.zeros(n_t, dtype=bool)
    for d in sorted(decisions or [], key=lambda d: (d.decided_at, d.match_key)):
        if d.decision == "rejected":
            (rejected_pay if d.kind == "payment" else rejected_ref).add(d.match_key)
            if d.kind == "refund":
                rejected_ref.update((o, t) for o in d.order_ids for t in d.txn_ids)
            continue
        os_ = [oi.get(o) for o in d.order_ids]
        ts_ = [ti.get(t) for t in d.txn_ids]
        if any(x is None for x in os_ + ts_) or any(used_t[t] for t in ts_):
            stale.append(d)
            continue
        used_t[ts_] = True
        if d.kind == "payment":
            if any(used_o[o] for o in os_):
                used_t[ts_] = False
                stale.append(d)
                continue
            used_o[os_] = True
            fixed_pay.append((os_, ts_, d.decision))
        else:
            fixed_ref.append((os_, ts_, d.decision))

    # -- payments ---------------------------------------------------------------------------------
    eligible = ((orders["due_cents"].to_numpy() > 0) & ~used_o & ~_text_is(orders["status"], "awaiting_payment")
                & ~orders["end_reason"].isin(NEVER_PAID_END_REASONS).to_numpy(dtype=bool)
                & np.isfinite(o_rate))
    units = build_units(orders, eligible, o_eur, o_rate, max_group=max_group, compiled=compiled)
    funding = paypal_funding(txns, amount, t_day, dup)
    funded = np.zeros(n_t, dtype=bool)  # bank top-ups of PayPal and their mirrors: not payments, not refunds
    funded[funding["bank"].to_numpy()] = True
    funded[funding["mirror"].to_numpy()] = True
    debit_idx = np.flatnonzero((amount < 0) & recognised & ~dup & ~used_t & ~funded)
    cand = pay_cands(units, txns, debit_idx, t_eur, window_days, tol)
    if rejected_pay and len(cand):
        keys = [match_key("payment", [str(o_ids[m]) for m in units.members[units.ptr[u]:units.ptr[u + 1]]],
                          [str(t_ids[t])]) for u, t in zip(cand["unit"].tolist(), cand["txn"].tolist(), strict=True)]
        cand = cand[~np.isin(np.array(keys, dtype=object), list(rejected_pay))].reset_index(drop=True)
    o_rank, t_rank = ranks.result()
    res = assign(cand["unit"].to_numpy(), cand["txn"].to_numpy(), cand["points"].to_numpy(), units.ptr,
                 units.members, n_o, n_t, o_rank, t_rank)
    pay = cand[res.chosen].reset_index(drop=True)
    tie = res.tie_with[res.chosen]
    pay["tie_unit"] = np.where(tie >= 0, cand["unit"].to_numpy()[np.maximum(tie, 0)], -1)
    pay["tie_txn"] = np.where(tie >= 0, cand["txn"].to_numpy()[np.maximum(tie, 0)], -1)
    p_unit = pay["unit"].to_numpy(dtype=np.int64)
    pos, flat = expand_csr(units.ptr, p_unit)
    pay_orders = Links(np.concatenate([[0], np.cumsum(units.size[p_unit])]).astype(np.int64), units.members[flat])
    pay_txns = Links.one_each(pay["txn"].to_numpy(dtype=np.int64))  # one debit per payment
    pay["decision"] = None
    pay["rate"] = units.rate[p_unit]
    pay["currency"] = pd.Series(units.currency[p_unit], dtype=object)
    pay["score"] = np.round(np.clip(pay["points"].to_numpy() / MAX_POINTS, 0, 1), 3)
    if fixed_pay:
        fx = pd.DataFrame({"txn": [t[0] for _o, t, _d in fixed_pay],
                           "decision": [d for _o, _t, d in fixed_pay], "score": 1.0, "points": MAX_POINTS})
        pay = pd.concat([pay, fx], ignore_index=True)
        pay_orders = pay_orders.concat(Links.from_lists([o for o, _t, _d in fixed_pay]))
        pay_txns = pay_txns.concat(Links.from_lists([t for _o, t, _d in fixed_pay]))
    paid_order = np.zeros(n_o, dtype=bool)
    pay_txn_of_order = np.full(n_o, -1, dtype=np.int64)
    used_debit = np.zeros(n_t, dtype=bool)
    # in bulk: each order is in one payment at most
    paid_order[pay_orders.items] = True
    pay_txn_of_order[pay_orders.items] = pay_txns.first()[pay_orders.owner()]
    used_debit[pay_txns.items] = True

    # -- expectations -----------------------------------------------------------------------------
    exp = mark_paid(expected.result(), paid_order)
    e_ord = exp["order_idx"].to_numpy(dtype=np.int64)
    e_eur, e_rate = to_eur_cents(exp["amount_cents"].to_numpy(dtype=np.int64), exp["currency"].to_numpy(),
                                 exp["since_day"].to_numpy(dtype=np.int64))
    exp["eur"], exp["rate"] = e_eur, e_rate
    ptx = pay_txn_of_order[e_ord] if len(exp) else np.zeros(0, dtype=np.int64)
    exp["pay_txn"] = ptx
    exp["pay_day"] = np.where(ptx >= 0, t_day[np.maximum(ptx, 0)], -1) if n_t else -1
    has_p = ptx >= 0
    at = np.maximum(ptx, 0)
    o_method = orders["payment_method"].take(e_ord).to_numpy(dtype=object)
    t_method = txns["payment_method"].take(at).to_numpy(dtype=object) if n_t else None
    p_merchant = txns["merchant"].take(at).to_numpy(dtype=object) if n_t else None
    triples = zip(o_method.tolist(), np.where(has_p, t_method, None).tolist(),
                  np.where(has_p, p_merchant, None).tolist(), strict=True)
    exp["method"] = [_method_of(om, tm, mm) for om, tm, mm in triples]
    has_related = ~_text_is(txns["related_id"], "")
    related = _related(exp, txns, amount, recognised | has_related)

    # -- refunds ----------------------------------------------------------------------------------
    if candidates is not None:
        full_cands, part_cands = candidates.full_candidates, candidates.partial_candidates
    else:
        codes = coded.result()
        full_cands = functools.partial(full_candidates, codes=codes)
        part_cands = functools.partial(partial_candidates, codes=codes)
    credit_pool = (amount > 0) & ~dup & ~used_t & ~funded & (recognised | has_related)
    credited = np.zeros(len(exp), dtype=np.int64)
    fixed_e, fixed_t, decision_of = [], [], {}
    for os_, ts_, d in fixed_ref:
        ex = np.flatnonzero(np.isin(e_ord, os_))
        if not len(ex):
            continue  # a link to an order with no expected refund: kept as a stale decision
        fixed_e.extend([int(ex[0])] * len(ts_))
        fixed_t.extend(ts_)
        decision_of[int(ex[0])] = d
        credited[ex[0]] += int(t_eur[ts_].sum())
    full = full_cands(exp, txns, np.flatnonzero(credit_pool), t_eur, related, tol)
    full = _drop_rejected(full, exp, o_ids, t_ids, rejected_ref)
    full = full[credited[full["exp"].to_numpy()] == 0] if len(full) else full
    e_ptr = np.arange(len(exp) + 1, dtype=np.int64)
    e_rank = np.arange(len(exp), dtype=np.int64)
    res = assign(full["exp"].to_numpy(), full["txn"].to_numpy(), full["points"].to_numpy(), e_ptr,
                 np.arange(len(exp), dtype=np.int64), len(exp), n_t, e_rank, t_rank)
    chosen_full = full[res.chosen]
    fe, ft = chosen_full["exp"].to_numpy(dtype=np.int64), chosen_full["txn"].to_numpy(dtype=np.int64)
    credited += np.bincount(fe, weights=t_eur[ft], minlength=len(exp)).astype(np.int64)  # one credit each
    taken = np.zeros(n_t, dtype=bool)
    taken[np.asarray(fixed_t, dtype=np.int64)] = True
    taken[ft] = True
    remaining = np.where(exp["needs_credit"].to_numpy(dtype=bool), e_eur - credited, 0)
    settled_tol = np.maximum(np.rint(e_eur * tol), 1)
    remaining = np.where(remaining > settled_tol, remaining, 0)
    part = part_cands(exp, remaining, txns, np.flatnonzero(credit_pool & ~taken), t_eur, related, tol)
    part = _drop_rejected(part, exp, o_ids, t_ids, rejected_ref)
    part = take_partials(part, exp, remaining, t_eur, tol)
    pe, pt = part["exp"].to_numpy(dtype=np.int64), part["txn"].to_numpy(dtype=np.int64)
    np.add.at(credited, pe, t_eur[pt])
    taken[pt] = True
    refund_rows, refund_txns, refund_credits = _refund_rows(
        np.asarray(fixed_e, dtype=np.int64), np.asarray(fixed_t, dtype=np.int64), decision_of, chosen_full, part,
        t_eur)
    _settle(exp, credited, tol, as_of_day, refund_delay_business_days)

    # -- what is left over ------------------------------------------------------------------------
    unmatched = np.flatnonzero((amount < 0) & recognised & ~dup & ~used_debit & ~funded)
    duplicates = _duplicates(unmatched, pay_orders, pay_txns, txns, amount, t_day)
    if len(duplicates):
        unmatched = unmatched[~np.isin(unmatched, duplicates["txn"].to_numpy(dtype=np.int64))]
    without = np.flatnonzero(eligible & ~paid_order)
    credits_left = np.flatnonzero((amount > 0) & recognised & ~dup & ~taken)
    return FrameResult(orders=orders.assign(eur=o_eur, rate=o_rate), txns=txns.assign(eur=t_eur, rate=t_rate),
                       payment_rows=pay, payment_orders=pay_orders, payment_txns=pay_txns,
                       refund_rows=refund_rows, refund_txns=refund_txns, refund_credits=refund_credits,
                       expectations=exp, unmatched_debits=unmatched,
                       orders_without_payment=without, duplicates=duplicates, credits_without_refund=credits_left,
                       stale_decisions=stale, delays=delay_table(refund_delay_business_days), funding=funding)


def paypal_funding(txns: pd.DataFrame, amount: np.ndarray, day: np.ndarray, dup: np.ndarray) -> pd.DataFrame:
    """Bank debits to PayPal linked to the PayPal file's funding mirror (``Bank Deposit to PP Account``,
    same amount and currency, booked ``FUNDING_DAYS_BEFORE`` days before to ``FUNDING_DAYS_AFTER``
    days after it) and through its ``related_id`` to the PayPal payment it funds.

    Needs the ``funding`` column (True on mirror rows of a PayPal activity file); without it, or
    without mirrors, nothing is linked and PayPal debits are matched as before.  One bank debit per
    mirror: the nearest in days, then the earlier rows."""
    if "funding" not in txns or not len(txns):
        return _empty_funding()
    fund = txns["funding"].fillna(False).to_numpy(dtype=bool)
    mirrors = np.flatnonzero(fund & (amount > 0) & ~dup)
    if not len(mirrors):
        return _empty_funding()
    ids = txns["txn_id"].to_numpy(dtype=object)
    refs = txns["bank_reference"].to_numpy(dtype=object)
    merchant = txns["merchant"].to_numpy(dtype=object)
    method = txns["payment_method"].to_numpy(dtype=object)
    rel = txns["related_id"].to_numpy(dtype=object)
    target: dict[str, int] = {}
    for i in np.flatnonzero((amount < 0) & ~fund):  # PayPal payments (and anything a mirror may name)
        for key in (ids[i], refs[i]):
            if isinstance(key, str) and key:
                target.setdefault(key, int(i))
    pay_of = np.array([target.get(r, -1) if isinstance(r, str) else -1 for r in rel[mirrors]], dtype=np.int64)
    mirrors, pay_of = mirrors[pay_of >= 0], pay_of[pay_of >= 0]
    banks = np.flatnonzero((amount < 0) & np.isin(merchant, ("paypal", "paypal-aliexpress")) & ~dup & ~fund
                           & (method != "paypal"))
    if not len(mirrors) or not len(banks):
        return _empty_funding()
    cur = txns["currency"].to_numpy(dtype=object)
    left = pd.DataFrame({"bank": banks, "cents": -amount[banks], "cur": cur[banks], "bday": day[banks]})
    right = pd.DataFrame({"mirror": mirrors, "cents": amount[mirrors], "cur": cur[mirrors], "mday": day[mirrors],
                          "payment": pay_of})
    pairs = left.merge(right, on=["cents", "cur"])
    gap = (pairs["bday"] - pairs["mday"]).to_numpy()
    pairs = pairs[(gap >= -FUNDING_DAYS_BEFORE) & (gap <= FUNDING_DAYS_AFTER)]
    pairs = pairs.assign(dist=(pairs["bday"] - pairs["mday"]).abs()).sort_values(
        ["dist", "mday", "mirror", "bank"], kind="stable")
    seen_b, seen_m, rows = set(), set(), []
    for b, m, p in zip(pairs["bank"].tolist(), pairs["mirror"].tolist(), pairs["payment"].tolist(), strict=True):
        if b in seen_b or m in seen_m:
            continue
        seen_b.add(b)
        seen_m.add(m)
        rows.append((b, m, p))
    if not rows:
        return _empty_funding()
    b, m, p = (np.array(x, dtype=np.int64) for x in zip(*rows, strict=True))
    strong = np.isin(merchant[p], STRONG_MERCHANTS)
    return pd.DataFrame({"bank": b, "mirror": m, "payment": p, "aliexpress": strong}).sort_values(
        "bank", kind="stable").reset_index(drop=True)


def _related(exp: pd.DataFrame, txns: pd.DataFrame, amount: np.ndarray, pool: np.ndarray) -> pd.DataFrame:
    """(exp, txn) pairs where a credit's related_id names the payment matched to the order."""
    ptx = exp["pay_txn"].to_numpy(dtype=np.int64)
    has = np.flatnonzero(ptx >= 0)
    column = txns["related_id"]
    named = column.notna().to_numpy(dtype=bool) & ~_text_is(column, "")  # a missing id names nothing
    credits = np.flatnonzero((amount > 0) & named & pool)
    if not len(has) or not len(credits):
        return pd.DataFrame({"exp": np.zeros(0, dtype=np.int64), "txn": np.zeros(0, dtype=np.int64)})
    rel = column.to_numpy(dtype=object)
    ids = txns["txn_id"].to_numpy(dtype=object)
    refs = txns["bank_reference"].to_numpy(dtype=object)
    left = pd.concat([pd.DataFrame({"exp": has, "ref": ids[ptx[has]]}),
                      pd.DataFrame({"exp": has, "ref": refs[ptx[has]]})])
    left = left[left["ref"].notna() & (left["ref"] != "")]
    right = pd.DataFrame({"txn": credits, "ref": rel[credits]})
    out = left.merge(right, on="ref")[["exp", "txn"]].drop_duplicates()
    return out.astype(np.int64).reset_index(drop=True)


def _drop_rejected(cand: pd.DataFrame, exp: pd.DataFrame, o_ids, t_ids, rejected: set) -> pd.DataFrame:
    if not rejected or not len(cand):
        return cand
    e_order = exp["order_id"].to_numpy(dtype=object)
    bad = [((str(e_order[e]), str(t_ids[t])) in rejected) for e, t in zip(cand["exp"], cand["txn"], strict=True)]
    return cand[~np.array(bad, dtype=bool)].reset_index(drop=True)


DETAIL_COLUMNS = ("points", "mode", "gap", "on_purchase", "related", "after")


def _refund_rows(fixed_e: np.ndarray, fixed_t: np.ndarray, decision_of: dict, full: pd.DataFrame,
                 part: pd.DataFrame, t_eur: np.ndarray) -> tuple[pd.DataFrame, Links, pd.DataFrame]:
    """(one row per expectation with credits, its credits, how each credit was found), in bulk.

    Credits of an expectation keep the order they were found in: linked by hand, the full pass, then
    the partial pass.  A credit found by a pass carries its candidate row's points and flags; one
    linked by hand those of a candidate with the same pair, if any (else no detail)."""
    frames = [(full, "full"), (part, "partial")]
    e = np.concatenate([fixed_e] + [f["exp"].to_numpy(dtype=np.int64) for f, _k in frames])
    t = np.concatenate([fixed_t] + [f["txn"].to_numpy(dtype=np.int64) for f, _k in frames])
    n_fixed = len(fixed_e)
    known = np.concatenate([np.zeros(n_fixed, dtype=bool), np.ones(len(e) - n_fixed, dtype=bool)])
    kind = np.concatenate([np.full(n_fixed, "", dtype=object)] + [np.full(len(f), k, dtype=object) for f, k in frames])
    cols = {c: np.concatenate([np.zeros(n_fixed, dtype=full[c].dtype)] + [f[c].to_numpy() for f, _k in frames])
            for c in DETAIL_COLUMNS}
    for i in range(n_fixed):  # the few pairs linked by hand: a candidate row of the same pair (last wins)
        for f, k in frames:
            hit = np.flatnonzero((f["exp"].to_numpy() == e[i]) & (f["txn"].to_numpy() == t[i])) if len(f) else []
            if len(hit):
                known[i], kind[i] = True, k
                for c in DETAIL_COLUMNS:
                    cols[c][i] = f[c].to_numpy()[hit[-1]]
    order = np.argsort(e, kind="stable")
    e, t, known, kind = e[order], t[order], known[order], kind[order]
    credits = pd.DataFrame({"known": known, "kind": kind, **{c: v[order] for c, v in cols.items()}})
    exps, start, count = np.unique(e, return_index=True, return_counts=True)
    links = Links(np.append(start, len(e)).astype(np.int64), t)
    pts = np.where(known, credits["points"].to_numpy(dtype=np.float64), 0.0)
    n_known = np.add.reduceat(known.astype(np.int64), start) if len(e) else np.zeros(0, dtype=np.int64)
    total = np.add.reduceat(pts, start) if len(e) else np.zeros(0)
    mean = total / np.maximum(n_known, 1)
    decided = np.isin(exps, np.fromiter(decision_of, dtype=np.int64, count=len(decision_of)))
    score = np.where(decided, 1.0, np.round(np.minimum(1.0, mean / REFUND_MAX), 3))
    rows = pd.DataFrame({"exp": exps, "score": score,
                         "decision": [decision_of.get(int(x)) for x in exps] if decision_of else None,
                         "credited_eur": np.add.reduceat(t_eur[t], start) if len(e) else np.zeros(0, dtype=np.int64)})
    return rows, links, credits


def _settle(exp: pd.DataFrame, credited: np.ndarray, tol: float, as_of_day: int, delays: dict | None) -> None:
    table = delay_table(delays)
    eur = exp["eur"].to_numpy(dtype=np.int64)
    need = exp["needs_credit"].to_numpy(dtype=bool)
    remaining_eur = np.where(need, eur - credited, 0)
    settled_tol = np.maximum(np.rint(eur * tol), 1)
    missing = need & (remaining_eur > settled_tol)
    amount = exp["amount_cents"].to_numpy(dtype=np.int64)
    share = np.where(eur > 0, remaining_eur / np.maximum(eur, 1), 1.0)
    exp["credited_eur"] = credited
    exp["remaining_eur"] = np.where(missing, remaining_eur, 0)
    exp["remaining_cents"] = np.where(missing, np.where(credited > 0, np.rint(amount * share), amount), 0)
    exp["difference_eur"] = np.where(need & ~missing & (credited > 0), credited - eur, 0)
    delay = exp["method"].map(table).fillna(table["card"]).to_numpy(dtype=np.int64) if len(exp) else \
        np.zeros(0, dtype=np.int64)
    since = exp["since_day"].to_numpy(dtype=np.int64)
    due = add_business_days(since, delay) if len(exp) else np.zeros(0, dtype=np.int64)
    exp["delay_days"] = delay
    exp["due_day"] = due
    exp["waiting"] = business_days_between(since, np.full(len(exp), as_of_day)) if len(exp) else 0
    exp["state"] = np.where(~exp["destination"].eq("original_payment").to_numpy(), "platform_balance",
                            np.where(~need, "unverified",
                                     np.where(~missing, "credited",
                                              np.where(as_of_day > due, "overdue", "pending"))))


def _duplicates(unmatched: np.ndarray, pay_orders: Links, pay_txns: Links, txns: pd.DataFrame, amount,
                t_day) -> pd.DataFrame:
    """An unmatched debit with the same amount and merchant as a matched payment a few days apart
    (the nearest such payment, then the lowest row)."""
    cols = ["txn", "original_txn", "order_idx"]
    if not len(unmatched) or not len(pay_txns):
        return pd.DataFrame(columns=cols)
    merchant = txns["merchant"]
    paid_t = pay_txns.first()
    codes, _uniques = pd.factorize(merchant.take(np.concatenate([unmatched, paid_t])), use_na_sentinel=True)
    codes = np.asarray(codes, dtype=np.int64)
    u_code, p_code = codes[:len(unmatched)], codes[len(unmatched):]
    # key: (merchant, amount); a missing merchant matches nothing (as in a merge on NaN... pandas matches
    # NaN with NaN, so a missing merchant gets one code of its own)
    big = np.int64(1) << np.int64(42)
    u_key = (u_code + 2) * big + amount[unmatched]
    p_key = (p_code + 2) * big + amount[paid_t]
    by = np.argsort(u_key, kind="stable")  # the few unmatched debits sorted; every payment looks itself up
    u_sorted = u_key[by]
    start = np.searchsorted(u_sorted, p_key, side="left")
    count = np.searchsorted(u_sorted, p_key, side="right") - start
    pay_row = np.repeat(np.arange(len(p_key), dtype=np.int64), count)
    offset = np.arange(int(count.sum()), dtype=np.int64) - np.repeat(np.cumsum(count) - count, count)
    txn, orig = unmatched[by[np.repeat(start, count) + offset]], paid_t[pay_row]
    dist = np.abs(t_day[txn] - t_day[orig])
    ok = dist <= DUPLICATE_DAYS
    txn, orig, pay_row, dist = txn[ok], orig[ok], pay_row[ok], dist[ok]
    order = np.lexsort((orig, dist, txn))
    txn, orig, pay_row = txn[order], orig[order], pay_row[order]
    first = np.concatenate([[True], txn[1:] != txn[:-1]]) if len(txn) else np.zeros(0, dtype=bool)
    return pd.DataFrame({"txn": txn[first], "original_txn": orig[first],
                         "order_idx": pay_orders.rows(pay_row[first])}, columns=cols)

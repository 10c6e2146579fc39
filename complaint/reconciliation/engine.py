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
import os
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd

from ..records import match_key
from .assign import assign as assign_fast
from .assign import assign_reference, expand_csr
from .codes import TxnCodes, text_is, text_present
from .expect import delay_table, expectation_rows, mark_paid, method_group, settle
from .fx import to_eur_cents
from .links import double_charges, paypal_funding, related_pairs
from .pay import MAX_POINTS, build_units, payment_candidates, score_payments_reference
from .refund import full_candidates, full_candidates_reference, partial_candidates, take_partials
from .result import FrameResult, Links, refund_rows

_BACKGROUND = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reconcile")
NEVER_PAID_END_REASONS = ("buyer_pay_timeout", "buyer_cancel_notpay_order")


def _index(ids: np.ndarray) -> dict[str, int]:
    return {str(v): i for i, v in enumerate(ids)}


COMPILED_MIN_ROWS = 20_000  # orders + matchable transactions from which the compiled kernels are used
_PREWARM: list[threading.Thread] = []


def prewarm_in_background() -> None:
    """Load numba and the compiled kernels (from numba's disk cache) in a daemon thread, once per
    process: a large import calls this before reading its files, so the loading overlaps the reading
    instead of delaying the first match.  A buyer's case never calls it."""
    if _PREWARM or os.environ.get("COMPLAINT_NO_PREWARM"):
        return

    def run() -> None:
        orders, txns, first = tiny_frames()
        reconcile_frames(orders, txns, None, [], as_of_day=first + 60, compiled=True)

    thread = threading.Thread(target=run, name="reconcile-prewarm", daemon=True)
    _PREWARM.append(thread)
    thread.start()


def prewarm_for(n_orders: int, n_txns: int = 0) -> None:
    """:func:`prewarm_in_background` when a case this large is likely to take the compiled path."""
    if n_orders + n_txns // 10 >= COMPILED_MIN_ROWS // 2:
        prewarm_in_background()


def tiny_frames() -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """A small case that takes every common path of the compiled matching: combined checkouts,
    USD orders, contested equal amounts, partial refunds (orders, transactions, first day)."""
    from datetime import date

    from .fx import day_number

    first = day_number(date(2025, 3, 3))
    n = 24
    day = first + np.arange(n) // 3
    checkout = day * 1440 + np.where(np.arange(n) % 6 == 1, 0, np.arange(n) * 7)  # some share a checkout
    cur = np.where(np.arange(n) % 5 == 4, "USD", "EUR")
    due = 1_000 + (np.arange(n) % 4) * 250  # equal amounts on purpose: contested groups
    refund = np.arange(n) % 4 == 0
    orders = pd.DataFrame({
        "order_id": [f"80{i:014d}" for i in range(n)], "order_day": day, "checkout": checkout, "currency": cur,
        "due_cents": due, "status": np.where(refund, "closed", "completed"), "refund_expected": refund,
        "refund_cents": np.where(np.arange(n) % 8 == 0, 400, -1), "refund_reason": "status:closed",
        "refund_since_day": -1, "payment_method": "", "end_reason": ""})
    eur = np.where(cur == "USD", due * 0.95, due).astype(np.int64)
    pay_day = day + np.arange(n) % 3
    credit_day = day + 20
    m = int(refund.sum())
    txns = pd.DataFrame({
        "txn_id": [f"w{i:05d}" for i in range(n + 2 * m + 3)],
        "day": np.concatenate([pay_day, credit_day[refund], credit_day[refund] + 3, [first, first + 1, first + 2]]),
        "amount_cents": np.concatenate([-eur, eur[refund] // 2, eur[refund] // 2, [-1_000, -999, 700]]),
        "currency": "EUR", "orig_cents": 0, "orig_currency": "",
        "merchant": np.concatenate([np.full(n + 2 * m, "aliexpress"), ["paypal", "", "alipay"]]),
        "payment_method": "", "related_id": "", "bank_reference": "",
        "refund_wording": np.concatenate([np.zeros(n, bool), np.ones(2 * m, bool), np.zeros(3, bool)]),
        "is_duplicate": False})
    return orders, txns, first


def reconcile_frames(orders: pd.DataFrame, txns: pd.DataFrame, promises: pd.DataFrame | None = None,
                     decisions: list | None = None, *, as_of_day: int, window_days: int = 10,
                     amount_tolerance: float = 0.03, refund_delay_business_days: dict | None = None,
                     max_group: int = 10, candidates=None, reference: bool = False,
                     compiled: bool | None = None) -> FrameResult:
    """``candidates``: an object with ``payment_candidates``, ``full_candidates`` and
    ``partial_candidates`` (the SQL engine, ``complaint.reconciliation.duckdb_engine.DuckDBCandidates``);
    None uses the band joins of :mod:`.pay` / :mod:`.refund`.

    Only the rows that can take part are matched: transactions with a recognised merchant, a
    ``related_id`` or a decision of the user (a statement is mostly groceries and rent).  They are
    taken out first, in bulk and without turning text columns into Python objects, and every index of
    the result is mapped back to the rows of ``txns``.

    ``compiled``: match with the compiled kernels (``complaint.reconciliation.compiled.kernel``; bulk data) or in numpy (the
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


def _relevant_rows(txns: pd.DataFrame, decisions: list | None) -> np.ndarray:
    """Rows the matching can use: a recognised merchant, a related id (any value but ""), a decision."""
    keep = text_present(txns["merchant"]) | ~text_is(txns["related_id"], "")
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
    recognised = text_present(txns["merchant"])
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
    eligible = ((orders["due_cents"].to_numpy() > 0) & ~used_o & ~text_is(orders["status"], "awaiting_payment")
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
    _pos, flat = expand_csr(units.ptr, p_unit)
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
    has_related = ~text_is(txns["related_id"], "")
    related = related_pairs(exp, txns, amount, recognised | has_related)

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
    ref_rows, refund_txns, refund_credits = refund_rows(
        np.asarray(fixed_e, dtype=np.int64), np.asarray(fixed_t, dtype=np.int64), decision_of, chosen_full, part,
        t_eur)
    settle(exp, credited, tol, as_of_day, refund_delay_business_days)

    # -- what is left over ------------------------------------------------------------------------
    unmatched = np.flatnonzero((amount < 0) & recognised & ~dup & ~used_debit & ~funded)
    duplicates = double_charges(unmatched, pay_orders, pay_txns, txns, amount, t_day)
    if len(duplicates):
        unmatched = unmatched[~np.isin(unmatched, duplicates["txn"].to_numpy(dtype=np.int64))]
    without = np.flatnonzero(eligible & ~paid_order)
    credits_left = np.flatnonzero((amount > 0) & recognised & ~dup & ~taken)
    return FrameResult(orders=orders.assign(eur=o_eur, rate=o_rate), txns=txns.assign(eur=t_eur, rate=t_rate),
                       payment_rows=pay, payment_orders=pay_orders, payment_txns=pay_txns,
                       refund_rows=ref_rows, refund_txns=refund_txns, refund_credits=refund_credits,
                       expectations=exp, unmatched_debits=unmatched,
                       orders_without_payment=without, duplicates=duplicates, credits_without_refund=credits_left,
                       stale_decisions=stale, delays=delay_table(refund_delay_business_days), funding=funding)


def _drop_rejected(cand: pd.DataFrame, exp: pd.DataFrame, o_ids, t_ids, rejected: set) -> pd.DataFrame:
    if not rejected or not len(cand):
        return cand
    e_order = exp["order_id"].to_numpy(dtype=object)
    bad = [((str(e_order[e]), str(t_ids[t])) in rejected) for e, t in zip(cand["exp"], cand["txn"], strict=True)]
    return cand[~np.array(bad, dtype=bool)].reset_index(drop=True)



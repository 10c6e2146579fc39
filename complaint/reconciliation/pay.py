"""Payment candidates: which debit may have paid which order (or which orders of one checkout).

Everything is vectorised over int64 cents and day numbers.  A *unit* is one order, or a subset
of two or more orders placed in the same checkout (the same minute when the export has a time,
else the same day) whose totals add up together: one card debit for a cart of several stores.
Candidates come from a banded join on (amount bucket, day): the amount bucket is the EUR amount on
a log scale with the tolerance as step, so a debit meets only orders within the tolerance and the
date window, never the whole cross product.  :func:`payment_candidates_reference` is that join in
numpy; :func:`payment_candidates` gives the same frame through the compiled kernels of
:mod:`complaint.reconciliation.compiled.pay` (imported when first used), which skip the pairs that cannot pass.

Points (additive, GnuCash style; maximum 9, ``score = points / 9``):

- descriptor: 3 when the statement text names AliExpress/Alipay (or PayPal with an AliExpress hint),
  1.5 for PayPal alone, 1 for other recognised merchants;
- amount: 3 when equal to the cent (in the order currency, or in the original currency the bank
  shows), 1 to 2.5 through the ECB rate within the tolerance (card FX margin).  In the same
  currency only the exact amount counts: the tolerance is for exchange rates, and "same amount
  give or take a few percent" is exactly the false-merge shape of many small orders;
- date: 3 when booked 0-3 days after the order, falling to 1 at the end of the window, 2 the day
  before (time zones);
- combined checkout: minus 0.25 per extra order, so one exact order beats a coincidental sum.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .assign import band_join

SPAN_BITS = 20
DAY_SPAN = 1 << SPAN_BITS
TABLE_CELLS = (8, 1 << 16)  # a currency's (bucket, day) table: cells per unit and debit, plus a floor
KEY_ROOM = (4, 1024)  # candidate keys per debit, plus a floor (twice as much while short)
STRONG_MERCHANTS = ("aliexpress", "alipay", "paypal-aliexpress")
MAX_POINTS = 9.0


@dataclass
class Units:
    ptr: np.ndarray  # CSR over members
    members: np.ndarray  # order row indices
    currency: np.ndarray
    due: np.ndarray  # cents in currency
    eur: np.ndarray  # EUR cents at the order day's ECB rate
    rate: np.ndarray
    day: np.ndarray
    size: np.ndarray


def buckets(eur_cents: np.ndarray, tol: float) -> np.ndarray:
    step = np.log1p(max(tol, 0.001))
    return np.floor(np.log(np.maximum(eur_cents, 1)) / step).astype(np.int64)


def build_units(orders: pd.DataFrame, eligible: np.ndarray, eur: np.ndarray, rate: np.ndarray,
                max_group: int = 10, *, compiled: bool = True) -> Units:
    """Single orders plus same-checkout subsets (bounded: all subsets up to ``max_group`` orders,
    pairs only for larger groups up to 40, nothing beyond).  ``compiled=False``: the sums in numpy
    (a small case does not load the compiled kernels)."""
    idx = np.flatnonzero(eligible)
    cur_cmp, cur_code, cur_text = _currencies(orders["currency"], idx)
    due = orders["due_cents"].to_numpy(dtype=np.int64)
    day = orders["order_day"].to_numpy(dtype=np.int64)
    checkout = orders["checkout"].to_numpy(dtype=np.int64)
    groups_members: list[np.ndarray] = []
    srt = _shared_checkouts(orders, idx, checkout)
    k = checkout[srt]
    cuts = np.flatnonzero(np.diff(k)) + 1
    starts = np.concatenate([[0], cuts]) if len(srt) else np.zeros(0, dtype=np.int64)
    sizes = np.diff(np.concatenate([starts, [len(srt)]]))
    for n in np.unique(sizes):
        sel = starts[sizes == n]
        mat = srt[sel[:, None] + np.arange(n)[None, :]]  # groups x n
        same_cur = (cur_cmp[mat] == cur_cmp[mat[:, :1]]).all(axis=1)
        mat = mat[same_cur]
        if not len(mat):
            continue
        if n <= max_group:
            masks = [m for m in range(1, 1 << n) if bin(m).count("1") >= 2]
        elif n <= 40:
            masks = [(1 << a) | (1 << b) for a, b in itertools.combinations(range(n), 2)]
        else:
            continue
        bits = ((np.array(masks)[:, None] >> np.arange(n)[None, :]) & 1).astype(bool)
        for b in bits:
            groups_members.append(mat[:, b])
    ptr_parts = [np.arange(len(idx) + 1, dtype=np.int64)]
    member_parts = [idx.astype(np.int64)]
    offset = len(idx)
    for gm in groups_members:
        g, width = gm.shape
        ptr_parts.append(offset + np.arange(1, g + 1, dtype=np.int64) * width)
        member_parts.append(gm.reshape(-1).astype(np.int64))
        offset += g * width
    ptr = np.concatenate(ptr_parts)
    members = np.concatenate(member_parts)
    if compiled:
        from .compiled.pay import unit_sums

        size, first, sum_due, sum_eur = unit_sums(ptr, members, due, eur)
    else:
        size, first, sum_due, sum_eur = _unit_sums(ptr, members, due, eur)
    return Units(ptr, members, cur_text[cur_code[first]], sum_due, sum_eur, rate[first], day[first], size)


def _unit_sums(ptr: np.ndarray, members: np.ndarray, due: np.ndarray, eur: np.ndarray):
    """(size, first order, due sum, EUR sum) per unit in numpy: what :func:`complaint.reconciliation.compiled.pay.unit_sums` computes."""
    size = np.diff(ptr)
    first = members[ptr[:-1]] if len(members) else np.zeros(0, dtype=np.int64)
    owner = np.repeat(np.arange(len(size)), size)
    sum_due = np.bincount(owner, weights=due[members], minlength=len(size)).astype(np.int64)
    sum_eur = np.bincount(owner, weights=eur[members], minlength=len(size)).astype(np.int64)
    return size, first, sum_due, sum_eur


def _currencies(column: pd.Series, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(what to compare, code per order, text per code): equal codes, equal currency, so units
    compare and copy integers, not a Python string per order.

    Eligible orders have a known currency (a finite rate); should ``rows`` hold a missing one, the
    texts themselves are compared, as Python objects."""
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    codes = np.asarray(codes, dtype=np.int64)
    if not (codes[rows] >= 0).all():
        text = column.to_numpy(dtype=object)
        return text, np.arange(len(text)), text
    return codes, codes, np.asarray(uniques, dtype=object)


def _shared_checkouts(orders: pd.DataFrame, idx: np.ndarray, checkout: np.ndarray) -> np.ndarray:
    """The rows of ``idx`` that share their checkout with another, sorted by (checkout, order id)
    as a stable sort of all of ``idx`` would order them: the order ids of single orders (the vast
    majority) are never read, nor compared as Python strings."""
    key = checkout[idx]
    by = stable_argsort(key)  # (its order does not matter: only which keys repeat is read from it)
    ks = key[by]
    tie = ks[1:] == ks[:-1]
    shared = np.zeros(len(ks), dtype=bool)
    shared[1:] = tie
    shared[:-1] |= tie
    rows = idx[np.sort(by[shared])]  # in idx order, as the stable sort's ties
    return rows[np.lexsort((orders["order_id"].array.take(rows).to_numpy(), checkout[rows]))]


def payment_candidates(units: Units, txns: pd.DataFrame, debit_idx: np.ndarray, txn_eur: np.ndarray,
                       window_days: int, tol: float, *, scorer=None) -> pd.DataFrame:
    """Scored (unit, txn) candidate pairs for the given debits (``scorer``: default
    :func:`score_payments`; the equivalence test passes :func:`score_payments_reference`).

    The pairs of the banded join on (EUR amount bucket, day) of :func:`payment_candidates_reference`
    that :func:`score_payments` keeps, in the same order, found without walking the join
    (:func:`complaint.reconciliation.compiled.pay.candidate_keys`): most of its pairs are a unit and a debit in the same
    currency with different amounts, which never pass.  That reads a key as bucket and day apart,
    exact while days stay within a bucket's span and the keys fit in int64 (always, with real dates
    and amounts); otherwise the reference join."""
    if scorer is not None:
        return payment_candidates_reference(units, txns, debit_idx, txn_eur, window_days, tol, scorer=scorer)
    from .compiled.pay import candidate_keys, exact_keys, score_keys, unit_rows

    debit_idx = np.asarray(debit_idx)
    debits = debit_idx.astype(np.int64, copy=False)
    txn_eur = np.asarray(txn_eur, dtype=np.int64)
    window_days = int(window_days)
    u_cur, td, desc = _scoring_sides(units, txns, debits, txn_eur)
    u_due, u_eur, u_day, u_size = _unit_columns(units)
    d_cur, d_day = td[:, 0], td[:, 5]
    p_bits, r_bits = max(len(debits), 1).bit_length(), max(len(u_day), 1).bit_length()
    e_sorted, d_sorted, day_span, fits = exact_keys(u_cur, u_due, u_day, td, window_days, r_bits, p_bits)
    if not fits or not _within_spans(u_day, d_day, window_days) or p_bits + r_bits > 60:
        return payment_candidates_reference(units, txns, debit_idx, txn_eur, window_days, tol)
    e_sorted.sort()
    d_sorted.sort()
    ub = buckets(units.eur, tol)
    ukey = ub * DAY_SPAN + u_day
    srt = stable_argsort(ukey)
    # a group per unit currency: the vocabulary gives the units' currencies the first ids, their
    # missing value -1; group = id + 1, and a debit in a currency no unit has belongs to none (-1)
    n_unit_cur = int(u_cur.max(initial=-1)) + 1
    d_group = np.where((d_cur >= 0) & (d_cur < n_unit_cur), d_cur + 1, -1)
    cells = TABLE_CELLS[0] * (len(u_day) + len(d_day)) + TABLE_CELLS[1]
    args = (srt, ub, u_cur + 1, ukey, e_sorted, d_sorted, day_span, buckets(-txn_eur[debits], tol), d_day, d_group,
            window_days, SPAN_BITS, cells, p_bits, r_bits)
    keys = np.empty(KEY_ROOM[0] * len(debits) + KEY_ROOM[1], dtype=np.int64)  # room never written costs nothing
    while (n := candidate_keys(*args, keys)) < 0:
        keys = np.empty(2 * len(keys), dtype=np.int64)
    keys = keys[:n]
    keys.sort()
    ud = unit_rows(srt, u_cur, u_due, u_eur, u_day, u_size)
    buf = np.empty((len(CANDIDATE_COLUMNS), n), dtype=np.int64)  # rows past the kept pairs stay untouched
    cols = _columns(buf)
    n = score_keys(keys, p_bits, r_bits, ud, td, desc, debits, window_days, float(tol), *cols)
    return _frame([c[:n] for c in cols], np.int64, debit_idx.dtype)


CANDIDATE_COLUMNS = ("unit", "txn", "points", "mode", "gap", "day_gap", "desc_pts", "amount_pts", "date_pts")
FLOAT_COLUMNS = ("points", "desc_pts", "amount_pts", "date_pts")


def _scoring_sides(units: Units, txns: pd.DataFrame, rows: np.ndarray, txn_eur: np.ndarray):
    """(currency id per unit; the txn side of the scoring per row of ``rows`` and its descriptor
    points, :func:`complaint.reconciliation.compiled.pay.txn_rows`), the ids in one vocabulary."""
    from .compiled.pay import txn_rows

    (u_codes, u_ids), t_cur, o_cur = vocab_codes(units.currency, txns["currency"], txns["orig_currency"])
    td, desc = txn_rows(rows, *t_cur, *o_cur, *merchant_points(txns), txns["amount_cents"].to_numpy(dtype=np.int64),
                        txns["orig_cents"].to_numpy(dtype=np.int64), txn_eur, txns["day"].to_numpy(dtype=np.int64))
    return u_ids[u_codes], td, desc


def _unit_columns(units: Units) -> tuple[np.ndarray, ...]:
    return tuple(np.asarray(a, dtype=np.int64) for a in (units.due, units.eur, units.day, units.size))


def _columns(buf: np.ndarray) -> list[np.ndarray]:
    """The candidate columns as rows of one int64 buffer (the float ones viewed as float64)."""
    return [buf[i].view(np.float64) if name in FLOAT_COLUMNS else buf[i] for i, name in enumerate(CANDIDATE_COLUMNS)]


def _frame(cols: list[np.ndarray], unit_dtype, txn_dtype) -> pd.DataFrame:
    """The candidate frame over ``cols`` (not copied); unit and txn in the dtypes of the indices
    they came from."""
    cols[0] = cols[0].astype(unit_dtype, copy=False)
    cols[1] = cols[1].astype(txn_dtype, copy=False)
    return pd.DataFrame(dict(zip(CANDIDATE_COLUMNS, cols, strict=True)), copy=False)


def _within_spans(u_day: np.ndarray, d_day: np.ndarray, window_days: int) -> bool:
    """Whether every band [bucket, day - window .. day + 1] holds only that bucket's units: the
    (bucket, day) key then reads as bucket and date window apart."""
    return window_days >= 0 and (not len(u_day) or (u_day.min() >= 0 and u_day.max() < DAY_SPAN)) and (
        not len(d_day) or (d_day.min() >= window_days and d_day.max() + 2 < DAY_SPAN))


def stable_argsort(keys: np.ndarray) -> np.ndarray:
    """``np.argsort(keys, kind="stable")`` of int64 keys as one plain sort of distinct values (key
    rank times n plus position) when they fit in int64: several times cheaper than the stable sort."""
    n = len(keys)
    if not n:
        return np.zeros(0, dtype=np.int64)
    lo, hi = int(keys.min()), int(keys.max())
    if (hi - lo + 1) * n >= 1 << 62:
        return np.argsort(keys, kind="stable")
    return np.sort((keys - lo) * n + np.arange(n, dtype=np.int64)) % n


def payment_candidates_reference(units: Units, txns: pd.DataFrame, debit_idx: np.ndarray, txn_eur: np.ndarray,
                                 window_days: int, tol: float, *, scorer=None) -> pd.DataFrame:
    """The banded join on (EUR amount bucket, day), every shift: the straightforward version."""
    ub = buckets(units.eur, tol)
    ukey = ub * DAY_SPAN + units.day
    srt = np.argsort(ukey, kind="stable")
    keys_sorted = ukey[srt]
    d_eur = -txn_eur[debit_idx]
    d_day = txns["day"].to_numpy(dtype=np.int64)[debit_idx]
    db = buckets(d_eur, tol)
    lefts, rights = [], []
    for shift in (-1, 0, 1):
        base = (db + shift) * DAY_SPAN
        left, right = band_join(base + d_day - window_days, base + d_day + 1, keys_sorted)
        lefts.append(left)
        rights.append(right)
    left = np.concatenate(lefts)
    unit = srt[np.concatenate(rights)]
    t = debit_idx[left]
    return (scorer or score_payments)(units, txns, unit, t, txn_eur, window_days, tol)


def compare_amounts(exp_cur, exp_cents, exp_eur, txns: pd.DataFrame, t: np.ndarray, txn_eur: np.ndarray):
    """(mode, gap cents, relative gap): mode 0 original currency, 1 account currency, 2 via ECB."""
    t_cur = txns["currency"].to_numpy(dtype=object)[t]
    o_cur = txns["orig_currency"].to_numpy(dtype=object)[t]
    o_cents = np.abs(txns["orig_cents"].to_numpy(dtype=np.int64)[t])
    a_cents = np.abs(txns["amount_cents"].to_numpy(dtype=np.int64)[t])
    e_cents = np.abs(txn_eur[t])
    use_orig = (o_cur == exp_cur) & (o_cents > 0) & (t_cur != exp_cur)
    use_acct = t_cur == exp_cur
    mode = np.where(use_acct, 1, np.where(use_orig, 0, 2))
    got = np.where(mode == 1, a_cents, np.where(mode == 0, o_cents, e_cents))
    want = np.where(mode == 2, exp_eur, exp_cents)
    gap = got - want
    rel = np.abs(gap) / np.maximum(want, 1)
    return mode, gap, rel


def compare_amount_codes(exp_cur, exp_cents, exp_eur, t_cur, o_cur, txns: pd.DataFrame, t: np.ndarray,
                         txn_eur: np.ndarray):
    """:func:`compare_amounts` on integer currency codes (:func:`shared_codes`: equal text, equal
    code; a missing value equals nothing) instead of Python strings per pair."""
    o_cents = np.abs(txns["orig_cents"].to_numpy(dtype=np.int64)[t])
    a_cents = np.abs(txns["amount_cents"].to_numpy(dtype=np.int64)[t])
    e_cents = np.abs(txn_eur[t])
    use_acct = t_cur == exp_cur
    use_orig = (o_cur == exp_cur) & (o_cents > 0) & ~use_acct
    mode = np.where(use_acct, 1, np.where(use_orig, 0, 2))
    got = np.where(mode == 1, a_cents, np.where(mode == 0, o_cents, e_cents))
    want = np.where(mode == 2, exp_eur, exp_cents)
    gap = got - want
    rel = np.abs(gap) / np.maximum(want, 1)
    return mode, gap, rel


def merchant_points(txns: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(merchant code per txn, descriptor points per code with the points of no merchant last)."""
    codes, uniques = pd.factorize(txns["merchant"], use_na_sentinel=True)
    names = np.asarray(uniques, dtype=object)
    per_name = np.where(np.isin(names, STRONG_MERCHANTS), 3.0, np.where(names == "paypal", 1.5, 1.0))
    return np.asarray(codes, dtype=np.int64), np.append(per_name, 1.0)  # [-1]: no merchant


def vocab_codes(*columns, vocab: dict[str, int] | None = None, first: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per text column, (code per row, -1 for a missing value; id per code in one vocabulary over
    all the columns, with the column's missing id last): equal text, equal id; a missing value gets
    a negative id of its own per column, so it equals nothing, as NaN does.  The ids of the rows are
    ``ids[codes]`` (:func:`shared_codes`); the kernels look up only the rows they read.

    ``vocab``: a vocabulary to continue (filled in place); ``first``: the position of the first column
    among all the columns coded into it, so its missing value keeps an id of its own."""
    vocab = {} if vocab is None else vocab
    out = []
    for k, col in enumerate(columns, start=first):
        values = col if isinstance(col, (pd.Series, pd.Index)) else np.asarray(col, dtype=object)
        codes, uniques = pd.factorize(values, use_na_sentinel=True)  # an object ndarray: its fast path
        ids = np.array([vocab.setdefault(str(u), len(vocab)) for u in np.asarray(uniques, dtype=object)]
                       + [-1 - k], dtype=np.int64)
        out.append((np.asarray(codes, dtype=np.int64), ids))
    return out


def shared_codes(*columns) -> list[np.ndarray]:
    """Integer codes over one vocabulary for several text columns (equal text, equal code; a missing
    value gets a negative code of its own per column, so it equals nothing, as NaN does)."""
    return [ids[codes] for codes, ids in vocab_codes(*columns)]


def score_payments(units: Units, txns: pd.DataFrame, unit: np.ndarray, t: np.ndarray, txn_eur: np.ndarray,
                   window_days: int, tol: float) -> pd.DataFrame:
    """Points of every (unit, txn) pair that passes the amount and date rules, in the pairs' order.

    The arithmetic of :func:`compare_amounts` on integer currency codes, compiled
    (:func:`complaint.reconciliation.compiled.pay.score_pair`, the scorer :func:`payment_candidates` uses too)."""
    from .compiled.pay import score_pairs, unit_rows

    unit, t = np.asarray(unit), np.asarray(t)
    rows = t.astype(np.int64, copy=False)
    u_cur, td, desc = _scoring_sides(units, txns, rows, np.asarray(txn_eur, dtype=np.int64))
    ud = unit_rows(np.arange(len(u_cur), dtype=np.int64), u_cur, *_unit_columns(units))
    cols = _columns(np.empty((len(CANDIDATE_COLUMNS), len(rows)), dtype=np.int64))
    n = score_pairs(unit.astype(np.int64, copy=False), ud, td, desc, rows, int(window_days), float(tol), *cols)
    return _frame([c[:n] for c in cols], unit.dtype, t.dtype)


def score_payments_reference(units: Units, txns: pd.DataFrame, unit: np.ndarray, t: np.ndarray,
                             txn_eur: np.ndarray, window_days: int, tol: float) -> pd.DataFrame:
    """:func:`score_payments` the straightforward way (text compared as Python objects, every pair
    scored before filtering): the oracle of the equivalence test."""
    mode, gap, rel = compare_amounts(units.currency[unit], units.due[unit], units.eur[unit], txns, t, txn_eur)
    exact = np.abs(gap) <= 1
    day_gap = txns["day"].to_numpy(dtype=np.int64)[t] - units.day[unit]
    keep = (exact | ((mode == 2) & (rel <= tol))) & (day_gap >= -1) & (day_gap <= window_days) & (units.due[unit] > 0)
    unit, t, mode, gap, rel, exact, day_gap = (a[keep] for a in (unit, t, mode, gap, rel, exact, day_gap))
    closeness = 1 - np.minimum(rel / max(tol, 1e-9), 1)
    amount_pts = np.where(exact, 3.0, np.where(mode == 2, 1.0 + 1.5 * closeness, 0.5 + 1.0 * closeness))
    late = max(window_days - 3, 1)
    date_pts = np.where(day_gap < 0, 2.0, np.where(day_gap <= 3, 3.0, 3.0 - 2.0 * (day_gap - 3) / late))
    merchant = txns["merchant"].to_numpy(dtype=object)[t]
    desc_pts = np.where(np.isin(merchant, STRONG_MERCHANTS), 3.0, np.where(merchant == "paypal", 1.5, 1.0))
    points = desc_pts + amount_pts + date_pts - 0.25 * (units.size[unit] - 1)
    return pd.DataFrame({"unit": unit, "txn": t, "points": points, "mode": mode, "gap": gap,
                         "day_gap": day_gap, "desc_pts": desc_pts, "amount_pts": amount_pts,
                         "date_pts": date_pts})

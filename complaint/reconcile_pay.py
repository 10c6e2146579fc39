"""Payment candidates: which debit may have paid which order (or which orders of one checkout).

Everything is vectorised over int64 cents and day numbers.  A *unit* is one order, or a subset
of two or more orders placed in the same checkout (the same minute when the export has a time,
else the same day) whose totals add up together: one card debit for a cart of several stores.
Candidates come from a banded join on (amount bucket, day): the amount bucket is the EUR amount on
a log scale with the tolerance as step, so a debit meets only orders within the tolerance and the
date window, never the whole cross product.

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

from .reconcile_assign import band_join

DAY_SPAN = 1 << 20
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
                max_group: int = 10) -> Units:
    """Single orders plus same-checkout subsets (bounded: all subsets up to ``max_group`` orders,
    pairs only for larger groups up to 40, nothing beyond)."""
    idx = np.flatnonzero(eligible)
    cur = orders["currency"].to_numpy(dtype=object)
    due = orders["due_cents"].to_numpy(dtype=np.int64)
    day = orders["order_day"].to_numpy(dtype=np.int64)
    checkout = orders["checkout"].to_numpy(dtype=np.int64)
    groups_members: list[np.ndarray] = []
    if len(idx):
        key = checkout[idx]
        srt = idx[np.lexsort((orders["order_id"].to_numpy()[idx], key))]
        k = checkout[srt]
        cuts = np.flatnonzero(np.diff(k)) + 1
        starts = np.concatenate([[0], cuts])
        sizes = np.diff(np.concatenate([starts, [len(srt)]]))
        for n in np.unique(sizes[sizes >= 2]):
            sel = starts[sizes == n]
            mat = srt[sel[:, None] + np.arange(n)[None, :]]  # groups x n
            same_cur = (cur[mat] == cur[mat[:, :1]]).all(axis=1)
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
    size = np.diff(ptr)
    first = members[ptr[:-1]]
    unit_of_member = np.repeat(np.arange(len(size)), size)
    sum_due = np.bincount(unit_of_member, weights=due[members], minlength=len(size)).astype(np.int64)
    sum_eur = np.bincount(unit_of_member, weights=eur[members], minlength=len(size)).astype(np.int64)
    return Units(ptr, members, cur[first], sum_due, sum_eur, rate[first], day[first], size)


def payment_candidates(units: Units, txns: pd.DataFrame, debit_idx: np.ndarray, txn_eur: np.ndarray,
                       window_days: int, tol: float, *, scorer=None) -> pd.DataFrame:
    """Scored (unit, txn) candidate pairs for the given debits (``scorer``: default
    :func:`score_payments`; the equivalence test passes :func:`score_payments_reference`).

    The pairs are those of the banded join on (EUR amount bucket, day) of
    :func:`payment_candidates_reference`, in the same order, found in two cheaper joins: a unit and
    a debit in the same currency can only pair with the exact amount (a join on the amount), the
    others through the buckets (a join per unit currency against the debits in other currencies)."""
    if scorer is not None:
        return payment_candidates_reference(units, txns, debit_idx, txn_eur, window_days, tol, scorer=scorer)
    ub = buckets(units.eur, tol)
    srt = np.argsort(ub * DAY_SPAN + units.day, kind="stable")
    rank = np.empty(len(srt), dtype=np.int64)
    rank[srt] = np.arange(len(srt))
    d_eur = -txn_eur[debit_idx]
    d_day = txns["day"].to_numpy(dtype=np.int64)[debit_idx]
    db = buckets(d_eur, tol)
    u_code, t_code = shared_codes(units.currency, txns["currency"])
    d_code = t_code[debit_idx]
    d_cents = np.abs(txns["amount_cents"].to_numpy(dtype=np.int64)[debit_idx])
    lefts, units_ = [], []
    # same currency: the amount must be equal to the cent (+-1): join on (currency, amount, day)
    span = np.int64(DAY_SPAN)
    code_shift = np.int64(1) << np.int64(40)
    ukey = (u_code + 8) * code_shift + units.due * span + units.day
    by_key = np.argsort(ukey, kind="stable")
    keys_sorted = ukey[by_key]
    for delta in (-1, 0, 1):
        base = (d_code + 8) * code_shift + (d_cents + delta) * span
        left, right = band_join(base + d_day - window_days, base + d_day + 1, keys_sorted)
        lefts.append(left)
        units_.append(by_key[right])
    # other currencies: the EUR amount buckets, as the reference join
    for code in np.unique(u_code):
        mine = np.flatnonzero(u_code == code)
        others = np.flatnonzero(d_code != code)
        if not len(mine) or not len(others):
            continue
        key = ub[mine] * DAY_SPAN + units.day[mine]
        order = np.argsort(key, kind="stable")
        ksorted = key[order]
        for shift in (-1, 0, 1):
            base = (db[others] + shift) * DAY_SPAN
            left, right = band_join(base + d_day[others] - window_days, base + d_day[others] + 1, ksorted)
            lefts.append(others[left])
            units_.append(mine[order[right]])
    left = np.concatenate(lefts)
    unit = np.concatenate(units_)
    shift = ub[unit] - db[left]
    ok = np.abs(shift) <= 1  # the reference join meets only neighbouring buckets
    left, unit, shift = left[ok], unit[ok], shift[ok]
    order = np.lexsort((rank[unit], left, shift))
    left, unit = left[order], unit[order]
    return score_payments(units, txns, unit, debit_idx[left], txn_eur, window_days, tol)


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


def descriptor_points(txns: pd.DataFrame, t: np.ndarray) -> np.ndarray:
    """Descriptor points of rows ``t``: 3 for AliExpress/Alipay, 1.5 for PayPal alone, else 1.  Worked
    out once per distinct merchant and spread by codes (no Python object per pair)."""
    codes, uniques = pd.factorize(txns["merchant"], use_na_sentinel=True)
    names = np.asarray(uniques, dtype=object)
    per_name = np.where(np.isin(names, STRONG_MERCHANTS), 3.0, np.where(names == "paypal", 1.5, 1.0))
    per_code = np.append(per_name, 1.0)  # [-1]: no merchant
    return per_code[np.asarray(codes, dtype=np.int64)[np.asarray(t, dtype=np.int64)]]


def shared_codes(*columns) -> list[np.ndarray]:
    """Integer codes over one vocabulary for several text columns (equal text, equal code; a missing
    value gets a negative code of its own per column, so it equals nothing, as NaN does)."""
    vocab: dict[str, int] = {}
    out = []
    for k, col in enumerate(columns):
        values = col if isinstance(col, (pd.Series, pd.Index)) else pd.array(np.asarray(col, dtype=object),
                                                                             dtype=object)
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        ids = np.array([vocab.setdefault(str(u), len(vocab)) for u in np.asarray(uniques, dtype=object)]
                       + [-1 - k], dtype=np.int64)
        out.append(ids[np.asarray(codes, dtype=np.int64)])
    return out


def score_payments(units: Units, txns: pd.DataFrame, unit: np.ndarray, t: np.ndarray, txn_eur: np.ndarray,
                   window_days: int, tol: float) -> pd.DataFrame:
    """Points of every (unit, txn) pair that passes the amount and date rules, in the pairs' order.

    The same arithmetic as :func:`compare_amounts` on integer currency codes, and the cheap rules
    first: most pairs of a banded join fail the amount test, so only the survivors are scored."""
    u_cur, t_cur_all, o_cur_all = shared_codes(units.currency, txns["currency"], txns["orig_currency"])
    # a pair in the account's own currency can only pass with the exact amount: drop the others first
    same = t_cur_all[t] == u_cur[unit]
    near = np.abs(np.abs(txns["amount_cents"].to_numpy(dtype=np.int64)[t]) - units.due[unit]) <= 1
    sel = np.flatnonzero(~same | near)
    unit, t = unit[sel], t[sel]
    exp_cur = u_cur[unit]
    t_cur, o_cur = t_cur_all[t], o_cur_all[t]
    exp_cents, exp_eur = units.due[unit], units.eur[unit]
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
    exact = np.abs(gap) <= 1
    day_gap = txns["day"].to_numpy(dtype=np.int64)[t] - units.day[unit]
    keep = (exact | ((mode == 2) & (rel <= tol))) & (day_gap >= -1) & (day_gap <= window_days) & (exp_cents > 0)
    unit, t, mode, gap, rel, exact, day_gap = (a[keep] for a in (unit, t, mode, gap, rel, exact, day_gap))
    closeness = 1 - np.minimum(rel / max(tol, 1e-9), 1)
    amount_pts = np.where(exact, 3.0, np.where(mode == 2, 1.0 + 1.5 * closeness, 0.5 + 1.0 * closeness))
    late = max(window_days - 3, 1)
    date_pts = np.where(day_gap < 0, 2.0, np.where(day_gap <= 3, 3.0, 3.0 - 2.0 * (day_gap - 3) / late))
    desc_pts = descriptor_points(txns, t)
    combo_pen = 0.25 * (units.size[unit] - 1)
    points = desc_pts + amount_pts + date_pts - combo_pen
    return pd.DataFrame({"unit": unit, "txn": t, "points": points, "mode": mode, "gap": gap,
                         "day_gap": day_gap, "desc_pts": desc_pts, "amount_pts": amount_pts,
                         "date_pts": date_pts})


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

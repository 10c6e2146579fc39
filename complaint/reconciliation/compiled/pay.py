"""Compiled kernels of the payment candidates and units (:mod:`complaint.reconciliation.pay`).

The reference's banded join on (EUR amount bucket, day) yields mostly pairs that can never pass: a
unit and a debit in the same currency with different amounts (only the exact amount counts there;
338,000 pairs of 2.7 million on the bench are worth scoring).  :func:`candidate_keys` finds only
the others: the units in the debit's currency by a merge on (currency, cents, day), those in other
currencies through a (bucket, day) table per currency.  Each pair becomes one int64 key (shift,
debit, unit rank) whose sort is the join's order; :func:`score_keys` scores them in that order and
writes the kept ones.  No array of every joined pair, no lexsort of the pairs.

The scoring formulas live once, in :func:`score_pair` (for these pairs and, through
:func:`score_pairs`, for pairs joined elsewhere, e.g. by DuckDB); its float operations are numpy's,
in the same order, so the points are equal to the bit.  Text columns come in as (codes, vocabulary
id per code), the last id being the column's missing value
(:func:`complaint.reconciliation.pay.vocab_codes`).  Loops that most rows leave after one step are
written without branches where that was measured to pay (mispredicted branches cost more than the
arithmetic on this data); arrays are never replaced inside a loop (that costs reference counting).
"""

from __future__ import annotations

import numpy as np

from .kernel import kernel


@kernel
def score_pair(u_cur, due, eur, u_day, size, t_cur, o_cur, a_cents, o_cents, e_cents, t_day, desc,
               window, tol, tol_div, late):
    """(keep, mode, gap, day gap, amount points, date points, points) of one (unit, txn) pair.

    ``a_cents``, ``o_cents``, ``e_cents``: the txn's account, original and EUR amounts (absolute);
    mode 1 in the account currency, 0 in the original currency the bank shows, 2 via the ECB rate,
    the only mode where the tolerance counts (card FX margin)."""
    # written without branches (both sides computed, then selected): on real data the modes and
    # day gaps alternate from pair to pair, and mispredicted branches cost more than the arithmetic
    same = t_cur == u_cur
    via_orig = (o_cur == u_cur) & (o_cents > 0) & ~same
    mode = 1 if same else (0 if via_orig else 2)
    got = a_cents if same else (o_cents if via_orig else e_cents)
    want = eur if mode == 2 else due
    gap = got - want
    rel = abs(gap) / max(want, 1)
    exact = abs(gap) <= 1
    day_gap = t_day - u_day
    keep = (exact | ((mode == 2) & (rel <= tol))) & (day_gap >= -1) & (day_gap <= window) & (due > 0)
    ratio = rel / tol_div
    closeness = 1 - (ratio if ratio < 1.0 else 1.0)
    near_pts = 1.0 + 1.5 * closeness if mode == 2 else 0.5 + 1.0 * closeness
    amount_pts = 3.0 if exact else near_pts
    late_pts = 3.0 - 2.0 * (day_gap - 3) / late
    date_pts = 2.0 if day_gap < 0 else (3.0 if day_gap <= 3 else late_pts)
    points = desc + amount_pts + date_pts - 0.25 * (size - 1)
    return keep, mode, gap, day_gap, amount_pts, date_pts, points


@kernel
def txn_rows(rows, t_codes, t_ids, o_codes, o_ids, m_codes, m_points, amount, orig, txn_eur, day):
    """Per row of ``rows``, the txn's side of the scoring in one row of an int64 matrix (account and
    original currency ids, absolute account, original and EUR cents, day), and its descriptor
    points."""
    n = len(rows)
    td, desc = np.empty((n, 6), np.int64), np.empty(n, np.float64)
    last_t, last_o, last_m = len(t_ids) - 1, len(o_ids) - 1, len(m_points) - 1  # a missing value: code -1
    for i in range(n):
        r = rows[i]
        tc, oc, mc = t_codes[r], o_codes[r], m_codes[r]
        td[i, 0], td[i, 1] = t_ids[tc if tc >= 0 else last_t], o_ids[oc if oc >= 0 else last_o]
        td[i, 2], td[i, 3], td[i, 4], td[i, 5] = abs(amount[r]), abs(orig[r]), abs(txn_eur[r]), day[r]
        desc[i] = m_points[mc if mc >= 0 else last_m]
    return td, desc


@kernel
def unit_rows(order, u_cur, due, eur, day, size):
    """The units' side of the scoring, one int64 row per unit of ``order`` (currency id, due and EUR
    cents, day, size, the unit): a pair reads one cache line, not five scattered ones."""
    ud = np.empty((len(order), 6), np.int64)
    for i in range(len(order)):
        u = order[i]
        ud[i, 0], ud[i, 1], ud[i, 2], ud[i, 3], ud[i, 4], ud[i, 5] = u_cur[u], due[u], eur[u], day[u], size[u], u
    return ud


@kernel
def score_keys(keys, p_bits, r_bits, ud, td, desc, rows, window, tol, o_unit, o_txn, o_points, o_mode, o_gap,
               o_day_gap, o_desc, o_amount, o_date):
    """The candidate columns of the pairs of the sorted ``keys`` (:func:`candidate_keys`: unit row,
    debit row) that pass the rules, in order, written into the given arrays (room for every key);
    their number returned.  Every pair is written and the count moves on only past a kept one."""
    tol_div, late = max(tol, 1e-9), max(window - 3, 1)
    r_mask, p_mask = (1 << r_bits) - 1, (1 << p_bits) - 1
    n = 0
    for k in range(len(keys)):
        r, p = keys[k] & r_mask, (keys[k] >> r_bits) & p_mask
        keep, mode, gap, day_gap, amount_pts, date_pts, points = score_pair(
            ud[r, 0], ud[r, 1], ud[r, 2], ud[r, 3], ud[r, 4], td[p, 0], td[p, 1], td[p, 2], td[p, 3], td[p, 4],
            td[p, 5], desc[p], window, tol, tol_div, late)
        o_unit[n], o_txn[n], o_points[n], o_mode[n], o_gap[n] = ud[r, 5], rows[p], points, mode, gap
        o_day_gap[n], o_desc[n], o_amount[n], o_date[n] = day_gap, desc[p], amount_pts, date_pts
        n += keep
    return n


@kernel
def score_pairs(ur, ud, td, desc, rows, window, tol, o_unit, o_txn, o_points, o_mode, o_gap, o_day_gap, o_desc,
                o_amount, o_date):
    """:func:`score_keys` for given pairs: unit row ``ur[i]`` with txn row ``i`` (txn ``rows[i]``)."""
    tol_div, late = max(tol, 1e-9), max(window - 3, 1)
    n = 0
    for i in range(len(ur)):
        r = ur[i]
        keep, mode, gap, day_gap, amount_pts, date_pts, points = score_pair(
            ud[r, 0], ud[r, 1], ud[r, 2], ud[r, 3], ud[r, 4], td[i, 0], td[i, 1], td[i, 2], td[i, 3], td[i, 4],
            td[i, 5], desc[i], window, tol, tol_div, late)
        o_unit[n], o_txn[n], o_points[n], o_mode[n], o_gap[n] = ud[r, 5], rows[i], points, mode, gap
        o_day_gap[n], o_desc[n], o_amount[n], o_date[n] = day_gap, desc[i], amount_pts, date_pts
        n += keep
    return n


@kernel
def _lower(keys, lo, hi, x):
    """First position in ``keys[lo:hi]`` (ascending) whose key is not below ``x``."""
    while lo < hi:
        mid = (lo + hi) >> 1
        if keys[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


@kernel
def _by_currency(srt, u_group, ukey, n_groups):
    """The units of each currency group in (bucket, day) order (CSR ``ptr`` over their ranks) and
    their keys: a stable partition of ``srt``."""
    ptr = np.zeros(n_groups + 1, np.int64)
    for j in range(len(srt)):
        ptr[u_group[srt[j]] + 1] += 1
    for g in range(n_groups):
        ptr[g + 1] += ptr[g]
    rank, keys = np.zeros(len(srt) + 1, np.int64), np.empty(len(srt), np.int64)  # a spare rank at the end
    fill = ptr[:-1].copy()
    for j in range(len(srt)):
        u = srt[j]
        g = u_group[u]
        rank[fill[g]], keys[fill[g]] = j, ukey[u]
        fill[g] += 1
    return ptr, rank, keys


@kernel
def _band_tables(ptr, keys, serves, d_day, window, span_bits, cell_limit):
    """Per currency group that serves debits: its first bucket and bucket count, a directory of
    bucket starts (``dirs``, ``nb + 1`` entries from ``dir_at``), and when it stays within
    ``cell_limit`` cells a dense table of the first position at or after each (bucket, day) over the
    days the debits' bands reach (``tab``, ``nd`` days per bucket from ``tab_at``; -1: none)."""
    n_g = len(ptr) - 1
    day_mask = (1 << span_bits) - 1
    d_lo, d_hi = (d_day.min() - window, d_day.max() + 2) if len(d_day) else (0, 0)
    b0, nb, day0, nd = (np.zeros(n_g, np.int64), np.zeros(n_g, np.int64), np.zeros(n_g, np.int64),
                        np.zeros(n_g, np.int64))
    dir_at, tab_at = np.zeros(n_g + 1, np.int64), np.full(n_g, -1, np.int64)
    n_tab = 0
    for g in range(n_g):
        dir_at[g + 1] = dir_at[g]
        if not serves[g] or ptr[g + 1] == ptr[g]:
            continue
        b0[g] = keys[ptr[g]] >> span_bits
        nb[g] = (keys[ptr[g + 1] - 1] >> span_bits) - b0[g] + 1
        dir_at[g + 1] += nb[g] + 1
        lo, hi = d_lo, d_hi
        for j in range(ptr[g], ptr[g + 1]):
            lo, hi = min(lo, keys[j] & day_mask), max(hi, keys[j] & day_mask)
        day0[g], nd[g] = lo, hi - lo + 1
        if nb[g] * nd[g] <= cell_limit:
            tab_at[g] = n_tab
            n_tab += nb[g] * nd[g]
    dirs, tab = np.empty(dir_at[n_g], np.int64), np.empty(n_tab, np.int32)
    for g in range(n_g):
        if dir_at[g + 1] == dir_at[g]:
            continue
        end = ptr[g + 1]
        j = ptr[g]
        for b in range(nb[g] + 1):
            while j < end and keys[j] < (b0[g] + b) << span_bits:
                j += 1
            dirs[dir_at[g] + b] = j
        if tab_at[g] < 0:
            continue
        j = ptr[g]
        for b in range(nb[g]):
            first, row = ((b0[g] + b) << span_bits) + day0[g], tab_at[g] + b * nd[g]
            for x in range(nd[g]):
                while j < end and keys[j] < first + x:
                    j += 1
                tab[row + x] = j
    return b0, nb, day0, nd, dirs, dir_at, tab, tab_at


@kernel
def exact_keys(u_cur, due, u_day, td, window, r_bits, p_bits):
    """Keys on (currency, cents, day) for the exact-amount merge of :func:`candidate_keys`: per unit
    with a currency its key shifted left by ``r_bits`` with the unit below, per debit with a
    currency (``td``: :func:`txn_rows`) its own key likewise with the debit below (both unsorted),
    the key step of one cent, and whether they fit in int64 (if not, nothing else is meaningful)."""
    big = np.iinfo(np.int64).max
    lo_c, hi_c, lo_d, hi_d, n_cur, m_u, m_d = big, -big, big, -big, 0, 0, 0
    for u in range(len(u_cur)):
        if u_cur[u] >= 0:
            lo_c, hi_c = min(lo_c, due[u]), max(hi_c, due[u])
            lo_d, hi_d = min(lo_d, u_day[u]), max(hi_d, u_day[u])
            n_cur, m_u = max(n_cur, u_cur[u] + 1), m_u + 1
    for p in range(len(td)):
        if td[p, 0] >= 0:
            lo_c, hi_c = min(lo_c, td[p, 2] - 1), max(hi_c, td[p, 2] + 1)
            lo_d, hi_d = min(lo_d, td[p, 5] - window), max(hi_d, td[p, 5] + 1)
            n_cur, m_d = max(n_cur, td[p, 0] + 1), m_d + 1
    e, d = np.empty(m_u if m_d else 0, np.int64), np.empty(m_d if m_u else 0, np.int64)
    if not m_u or not m_d:
        return e, d, 1, True
    n_c, n_d = hi_c - lo_c + 1, hi_d - lo_d + 1
    if (float(hi_c) - float(lo_c) + 1) * (float(hi_d) - float(lo_d) + 1) * n_cur * 2.0 ** max(r_bits, p_bits) >= 2.0 ** 62:
        return e, d, 1, False
    k = 0
    for u in range(len(u_cur)):
        if u_cur[u] >= 0:
            e[k] = (((u_cur[u] * n_c + due[u] - lo_c) * n_d + u_day[u] - lo_d) << r_bits) | u
            k += 1
    k = 0
    for p in range(len(td)):
        if td[p, 0] >= 0:
            d[k] = (((td[p, 0] * n_c + td[p, 2] - lo_c) * n_d + td[p, 5] - lo_d) << p_bits) | p
            k += 1
    return e, d, n_d, True


@kernel
def candidate_keys(srt, ub, u_group, ukey, e_sorted, d_sorted, day_span, db, d_day, d_group, window, span_bits,
                   cell_limit, p_bits, r_bits, out):
    """The (shift, debit, unit rank) of every pair of the banded join on (bucket, day) that can
    pass, packed into one int64 each (``(shift + 1) << (p_bits + r_bits) | debit << r_bits | rank``)
    so that sorting them gives the join's order; written to ``out``, their number returned (-1
    when ``out`` is too small).

    The units in the debit's own currency can pass only with the exact amount: one merge of the
    units sorted by (currency, cents, day) with the debits sorted by their own such key per cent
    step (``e_sorted``, ``d_sorted``: :func:`exact_keys` sorted; ``day_span`` days per cent).  Those of each other currency group (``u_group``; ``d_group``: the debit's, -1
    when no unit has it) come from the group's (bucket, day) table (:func:`_band_tables`), or a
    binary search in the bucket where the table would be too large."""
    n_u, n_d, cap = len(srt), len(db), len(out)
    rank = np.empty(n_u, np.int64)
    for j in range(n_u):
        rank[srt[j]] = j
    n = 0
    # the debit's own currency, exact amount: per cent step a merge through the sorted keys.  Most
    # debits move each pointer by one unit at most and meet one unit or none: those steps are taken
    # without branches (a sentinel key ends the arrays), loops only for the rest
    n_e, r_mask, p_mask = len(e_sorted), (1 << r_bits) - 1, (1 << p_bits) - 1
    e_keys, e_ub, e_rank = np.empty(n_e + 2, np.int64), np.zeros(n_e + 2, np.int64), np.zeros(n_e + 2, np.int64)
    for i in range(n_e):
        u = e_sorted[i] & r_mask
        e_keys[i], e_ub[i], e_rank[i] = e_sorted[i] >> r_bits, ub[u], rank[u]
    e_keys[n_e:] = np.iinfo(np.int64).max  # two sentinels: the pointer stops at the first, the scan at either
    for step in range(-1, 2):
        j = 0
        for q in range(len(d_sorted)):
            p = d_sorted[q] & p_mask
            first = (d_sorted[q] >> p_bits) + step * day_span - window
            last = first + window + 1
            j += e_keys[j] < first
            while e_keys[j] < first:
                j += 1
            if n == cap:
                return -1
            shift = e_ub[j] - db[p]
            out[n] = ((shift + 1) << (p_bits + r_bits)) | (p << r_bits) | e_rank[j]
            n += (e_keys[j] <= last) & (shift >= -1) & (shift <= 1)
            i = j + 1
            while e_keys[i] <= last:  # more units of that amount in the window
                shift = e_ub[i] - db[p]
                if -1 <= shift <= 1:
                    if n == cap:
                        return -1
                    out[n] = ((shift + 1) << (p_bits + r_bits)) | (p << r_bits) | e_rank[i]
                    n += 1
                i += 1
    # the other currencies: the band of each shift
    n_g = u_group.max() + 1 if n_u else 0  # groups 0 .. n_g - 1, some maybe empty
    g_ptr, g_rank, g_keys = _by_currency(srt, u_group, ukey, n_g)
    serves = np.zeros(n_g, np.bool_)
    for p in range(n_d):
        for g in range(n_g):
            serves[g] |= g != d_group[p]
    b0, nb, day0, nd, dirs, dir_at, tab, tab_at = _band_tables(g_ptr, g_keys, serves, d_day, window, span_bits,
                                                               cell_limit)
    for g in range(n_g):
        if dir_at[g + 1] == dir_at[g]:
            continue
        for p in range(n_d):
            if g == d_group[p]:
                continue
            for s in range(-1, 2):
                b = db[p] + s - b0[g]
                if b < 0 or b >= nb[g]:
                    continue
                if tab_at[g] >= 0:
                    cell = tab_at[g] + b * nd[g] + d_day[p] - day0[g]
                    lo, hi = tab[cell - window], tab[cell + 2]
                else:
                    base = ((db[p] + s) << span_bits) + d_day[p]
                    lo = _lower(g_keys, dirs[dir_at[g] + b], dirs[dir_at[g] + b + 1], base - window)
                    hi = _lower(g_keys, lo, dirs[dir_at[g] + b + 1], base + 2)
                if n + hi - lo + 1 > cap:
                    return -1
                head = ((s + 1) << (p_bits + r_bits)) | (p << r_bits)
                out[n] = head | g_rank[lo]  # the first unit without a branch (g_rank ends in a spare entry)
                n += hi > lo
                for i in range(lo + 1, hi):
                    out[n] = head | g_rank[i]
                    n += 1
    return n


@kernel
def unit_sums(ptr, members, due, eur):
    """(size, first member, due and EUR cents summed) per unit of the CSR ``ptr`` over ``members``:
    summed in float in member order and truncated, as ``np.bincount(..., weights=...)`` does."""
    n = len(ptr) - 1
    size, first = np.empty(n, np.int64), np.empty(n, np.int64)
    sum_due, sum_eur = np.empty(n, np.int64), np.empty(n, np.int64)
    for u in range(n):
        size[u] = ptr[u + 1] - ptr[u]
        first[u] = members[ptr[u]] if size[u] else 0
        acc_due = acc_eur = 0.0
        for i in range(ptr[u], ptr[u + 1]):
            m = members[i]
            acc_due += due[m]
            acc_eur += eur[m]
        sum_due[u], sum_eur[u] = np.int64(acc_due), np.int64(acc_eur)
    return size, first, sum_due, sum_eur

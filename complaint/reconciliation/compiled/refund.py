"""Compiled kernel of the refund search (see :mod:`complaint.reconciliation.refund`)."""

from __future__ import annotations

import numpy as np

from .kernel import kernel


@kernel
def full_pairs(e_rows, e_bucket, lo_day, hi_day, e_cur, e_cents, e_eur, c_keys, c_rows, span,
               t_cur, o_cur, o_abs, a_abs, eur_abs, tol):
    """(expectation, credit) pairs of the full pass that can pass its amount rule, sorted by
    (expectation, credit), each once.

    ``c_keys`` ascending: credit bucket * ``span`` + day, ``c_rows`` their transaction rows.  A pair
    is joined when the buckets differ by at most one and the credit's day is in the expectation's
    window (the banded join of ``full_candidates_reference``); it is kept when the amount is equal to the cent in
    the compared currency or, through a rate, within ``tol`` (``score_refunds`` checks it again)."""
    n = len(e_rows)
    count = 0
    cap = 1024
    out_e = np.empty(cap, dtype=np.int64)
    out_t = np.empty(cap, dtype=np.int64)
    buf = np.empty(64, dtype=np.int64)
    for i in range(n):
        k = 0
        for shift in (-1, 0, 1):
            base = (e_bucket[i] + shift) * span
            a = np.searchsorted(c_keys, base + lo_day[i], side="left")
            b = np.searchsorted(c_keys, base + hi_day[i], side="right")
            for j in range(a, b):
                t = c_rows[j]
                if t_cur[t] == e_cur[i]:
                    mode, got, want = 1, a_abs[t], e_cents[i]
                elif o_cur[t] == e_cur[i] and o_abs[t] > 0:
                    mode, got, want = 0, o_abs[t], e_cents[i]
                else:
                    mode, got, want = 2, eur_abs[t], e_eur[i]
                gap = abs(got - want)
                if gap <= 1 or (mode == 2 and gap / max(want, 1) <= tol):
                    if k == len(buf):
                        buf = np.concatenate((buf, np.empty(len(buf), dtype=np.int64)))
                    buf[k] = t
                    k += 1
        if k == 0:
            continue
        for j in range(1, k):  # insertion sort in place: a handful of credits per expectation
            v = buf[j]
            m = j - 1
            while m >= 0 and buf[m] > v:
                buf[m + 1] = buf[m]
                m -= 1
            buf[m + 1] = v
        ts = buf
        for j in range(k):
            if j > 0 and ts[j] == ts[j - 1]:
                continue
            if count == cap:
                cap *= 2
                out_e = np.concatenate((out_e, np.empty(cap - len(out_e), dtype=np.int64)))
                out_t = np.concatenate((out_t, np.empty(cap - len(out_t), dtype=np.int64)))
            out_e[count] = e_rows[i]
            out_t[count] = ts[j]
            count += 1
    return out_e[:count], out_t[:count]

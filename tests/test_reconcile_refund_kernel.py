"""The compiled refund join (``_jit_refund.full_pairs``) finds exactly the pairs of the banded numpy
join it replaced, filtered by the same amount rule, on random cases (EUR, USD through a rate, original
amounts, missing currencies, equal amounts, empty sides)."""

from __future__ import annotations

import numpy as np
import pytest

from complaint.reconciliation.assign import band_join
from complaint.reconciliation.compiled.refund import full_pairs
from complaint.reconciliation.pay import DAY_SPAN, buckets


def _numpy_pairs(e_rows, e_bucket, lo, hi, e_cur, e_cents, e_eur, c_rows, c_bucket, c_day,
                 t_cur, o_cur, o_abs, a_abs, eur_abs, tol):
    """The previous implementation: band join per bucket shift, then the amount rule, as sets."""
    key = c_bucket * DAY_SPAN + c_day
    srt = np.argsort(key, kind="stable")
    pairs = set()
    for shift in (-1, 0, 1):
        base = (e_bucket + shift) * DAY_SPAN
        left, right = band_join(base + lo, base + hi, key[srt])
        for i, j in zip(left.tolist(), srt[right].tolist(), strict=True):
            t = c_rows[j]
            if t_cur[t] == e_cur[i]:
                mode, got, want = 1, a_abs[t], e_cents[i]
            elif o_cur[t] == e_cur[i] and o_abs[t] > 0:
                mode, got, want = 0, o_abs[t], e_cents[i]
            else:
                mode, got, want = 2, eur_abs[t], e_eur[i]
            gap = abs(int(got) - int(want))
            if gap <= 1 or (mode == 2 and gap / max(int(want), 1) <= tol):
                pairs.add((int(e_rows[i]), int(t)))
    return sorted(pairs)


@pytest.mark.parametrize("seed", range(12))
def test_kernel_equals_banded_join(seed):
    rng = np.random.default_rng(seed)
    n_t = int(rng.integers(0, 400))
    n_e = int(rng.integers(0, 120))
    popular = rng.integers(100, 3000, 5)
    a_abs = np.where(rng.random(n_t) < 0.4, rng.choice(popular, n_t), rng.integers(1, 5000, n_t)).astype(np.int64)
    t_cur = rng.choice(np.array([0, 1, -2]), n_t, p=[0.85, 0.1, 0.05]).astype(np.int64)  # EUR, USD, missing
    o_abs = np.where(rng.random(n_t) < 0.2, rng.integers(0, 5000, n_t), 0).astype(np.int64)
    o_cur = np.where(o_abs > 0, 1, -3).astype(np.int64)
    eur_abs = np.where(t_cur == 0, a_abs, np.rint(a_abs / 1.08)).astype(np.int64)
    c_rows = np.sort(rng.choice(max(n_t, 1), min(n_t, int(rng.integers(0, n_t + 1))), replace=False)) \
        if n_t else np.zeros(0, dtype=np.int64)
    c_day = rng.integers(0, 400, n_t)[c_rows] if n_t else np.zeros(0, dtype=np.int64)
    tol = float(rng.choice([0.0, 0.01, 0.03, 0.2]))
    e_rows = np.sort(rng.choice(200, n_e, replace=False)).astype(np.int64)
    e_cur = rng.choice(np.array([0, 1, -1, 7]), n_e, p=[0.6, 0.3, 0.05, 0.05]).astype(np.int64)
    e_cents = np.where(rng.random(n_e) < 0.5, rng.choice(popular, n_e), rng.integers(1, 5000, n_e)).astype(np.int64)
    e_eur = np.where(e_cur == 0, e_cents, np.rint(e_cents / 1.1)).astype(np.int64)
    lo = rng.integers(-5, 300, n_e).astype(np.int64)
    hi = lo + rng.integers(0, 200, n_e)
    c_bucket = buckets(eur_abs[c_rows], max(tol, 0.001)) if len(c_rows) else np.zeros(0, dtype=np.int64)
    e_bucket = buckets(e_eur, max(tol, 0.001)) if n_e else np.zeros(0, dtype=np.int64)
    key = c_bucket * DAY_SPAN + c_day
    srt = np.argsort(key, kind="stable")
    e, t = full_pairs(e_rows, e_bucket, lo, hi, e_cur, e_cents, e_eur, key[srt], c_rows[srt].astype(np.int64),
                      np.int64(DAY_SPAN), t_cur, o_cur, o_abs, a_abs, eur_abs, tol)
    got = list(zip(e.tolist(), t.tolist(), strict=True))
    assert got == _numpy_pairs(e_rows, e_bucket, lo, hi, e_cur, e_cents, e_eur, c_rows, c_bucket, c_day,
                               t_cur, o_cur, o_abs, a_abs, eur_abs, tol)
    assert got == sorted(set(got))  # sorted by (expectation, credit), each pair once

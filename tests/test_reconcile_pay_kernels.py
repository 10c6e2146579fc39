"""The compiled payment candidates and units (complaint.reconciliation.compiled.pay) against what they replace.

``payment_candidates`` must return exactly the frame of the reference banded join scored by the
reference scorer (same rows in the same order, same dtypes, same values to the bit): the
assignment's tie-breaks read the candidate order.  ``build_units`` must give the same units with its
kernels as without (``compiled=False``, the numpy path of a small case), and both the units its
definition says (enumerated from scratch in the test).  Random cases with many ties (equal amounts on
the same days), USD orders paid in EUR through the rate or in the original currency, combined
checkouts, debits in a currency no order has, and empty inputs; each path of the candidate search
(dense band table or binary search, key buffer regrown, the reference fallback) is forced once.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import complaint.reconciliation.pay as rp
from complaint.reconciliation.pay import (
    Units,
    build_units,
    payment_candidates,
    payment_candidates_reference,
    score_payments,
    score_payments_reference,
    stable_argsort,
)

DAY0 = 19_000  # day numbers around 2022


def _text(values, arrow: bool) -> pd.Series:
    """A text column as the bench reads it (pyarrow-backed) or as Python objects."""
    if arrow:
        return pd.Series(pd.arrays.ArrowExtensionArray(pa.array(list(values), type=pa.string())))
    return pd.Series(np.asarray(values, dtype=object))


def _orders(rng: np.random.Generator, n: int, arrow: bool, n_days: int = 40) -> pd.DataFrame:
    """Orders with shared checkouts (some larger than ``max_group``), mixed currencies inside a few
    of them, popular amounts (ties) and repeated order ids within a checkout."""
    day = DAY0 + rng.integers(0, n_days, n)
    minute = day * 1440 + rng.integers(0, 30, n)  # few minutes a day: many shared checkouts
    big = rng.random(n) < 0.03
    if n:
        minute[big] = minute[0]  # one large checkout
        day[big] = day[0]
    popular = rng.random(n) < 0.4
    due = np.where(popular, 1999 + rng.integers(0, 3, n), rng.integers(50, 9000, n))
    usd = rng.random(n) < 0.25
    ids = np.array([f"{3_000 + rng.integers(0, n // 2 + 1):05d}{'x' * int(rng.integers(0, 3))}" for _ in range(n)])
    return pd.DataFrame({"order_id": _text(ids, arrow), "currency": _text(np.where(usd, "USD", "EUR"), arrow),
                         "due_cents": due.astype(np.int64), "order_day": day.astype(np.int64),
                         "checkout": minute.astype(np.int64)})


def _eur(orders: pd.DataFrame, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    usd = (orders["currency"].astype(object) == "USD").to_numpy()
    rate = np.where(usd, 1.05 + 0.1 * rng.random(len(orders)), 1.0)
    return np.rint(orders["due_cents"].to_numpy() / rate).astype(np.int64), rate


def _txns(rng: np.random.Generator, units: Units, n_noise: int, arrow: bool) -> pd.DataFrame:
    """Debits paying units: the exact amount (or a cent off, or two) in the unit's currency, EUR
    through the rate plus a card margin, the original currency shown by the bank; plus noise, a few
    credits, a currency no order has, and no merchant."""
    n_pay = min(len(units.due), int(rng.integers(0, 60)))
    pick = rng.choice(len(units.due), n_pay, replace=False) if n_pay else np.zeros(0, dtype=np.int64)
    kind = rng.integers(0, 4, n_pay)
    cur_u = units.currency[pick].astype(str)
    off = rng.choice([0, 0, 0, 1, -1, 2], n_pay)
    amount = np.where(kind == 0, units.due[pick] + off,
                      np.rint(units.eur[pick] * (1 + rng.uniform(-0.05, 0.05, n_pay)))).astype(np.int64)
    cur = np.where(kind == 0, cur_u, "EUR")
    orig_cur = np.where(kind == 2, cur_u, np.where(kind == 3, "", None)).astype(object)
    orig = np.where(kind == 2, units.due[pick] + off, 0).astype(np.int64)
    day = units.day[pick] + rng.integers(-3, 14, n_pay)
    n = n_pay + n_noise
    amount = np.concatenate([amount, np.where(rng.random(n_noise) < 0.9, rng.choice([1999, 2000, 2001, 4000], n_noise),
                                              rng.integers(50, 12000, n_noise))])
    cur = np.concatenate([cur, rng.choice(["EUR", "EUR", "EUR", "USD", "GBP"], n_noise)])
    orig_cur = np.concatenate([orig_cur, np.full(n_noise, None, dtype=object)])
    orig = np.concatenate([orig, np.zeros(n_noise, dtype=np.int64)])
    day = np.concatenate([day, DAY0 + rng.integers(-5, 50, n_noise)])
    sign = np.where(rng.random(n) < 0.95, -1, 1)
    merchant = rng.choice(["aliexpress", "paypal", "paypal-aliexpress", "alipay", "bol", None], n)
    txns = pd.DataFrame({"day": day.astype(np.int64), "amount_cents": sign * amount,
                         "currency": _text(cur, arrow), "orig_cents": sign * orig,
                         "orig_currency": pd.Series(orig_cur, dtype=object) if not arrow else _text(
                             np.where(pd.isna(orig_cur), "", orig_cur), arrow),
                         "merchant": pd.Series(merchant, dtype=object)})
    return txns.sample(frac=1.0, random_state=int(rng.integers(0, 1000))).reset_index(drop=True)


def _case(seed: int, arrow: bool, n_orders: int | None = None):
    rng = np.random.default_rng(seed)
    orders = _orders(rng, int(n_orders if n_orders is not None else rng.integers(0, 300)), arrow)
    eur, rate = _eur(orders, rng)
    eligible = rng.random(len(orders)) < 0.9
    units = build_units(orders, eligible, eur, rate, max_group=int(rng.choice([3, 10])))
    txns = _txns(rng, units, int(rng.integers(0, 200)), arrow)
    txn_eur = np.where(txns["currency"].astype(object) == "USD", np.rint(txns["amount_cents"] / 1.1),
                       txns["amount_cents"]).astype(np.int64)
    amount = txns["amount_cents"].to_numpy()
    debits = np.flatnonzero((amount < 0) & (rng.random(len(txns)) < 0.97))
    return units, txns, debits, txn_eur


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    assert list(a.columns) == list(b.columns)
    assert list(a.dtypes) == list(b.dtypes)
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True), check_exact=True)
    for col in a.columns:  # to the bit, -0.0 and all
        assert a[col].to_numpy().tobytes() == b[col].to_numpy().tobytes(), col


@pytest.mark.parametrize("arrow", [True, False])
def test_candidates_equal_the_reference_join_on_random_cases(arrow):
    for seed in range(60):
        units, txns, debits, txn_eur = _case(seed, arrow)
        for window, tol in ((10, 0.03), (3, 0.2), (0, 0.001)):
            fast = payment_candidates(units, txns, debits, txn_eur, window, tol)
            ref = payment_candidates_reference(units, txns, debits, txn_eur, window, tol,
                                               scorer=score_payments_reference)
            _same(fast, ref)


def test_the_cases_are_contested():
    """The random cases do hold what the equality above is about."""
    frames = [payment_candidates(*_case(seed, True), 10, 0.03) for seed in range(60)]
    cand = pd.concat(frames)
    assert len(cand) > 1000
    assert set(cand["mode"]) == {0, 1, 2}
    assert (cand.groupby("txn").size() > 1).mean() > 0.3  # debits with several candidates
    assert cand.duplicated(["txn", "points"]).any()  # equal evidence


@pytest.mark.parametrize("path", ["binary search", "small key buffer"])
def test_each_search_path_gives_the_same_candidates(monkeypatch, path):
    if path == "binary search":
        monkeypatch.setattr(rp, "TABLE_CELLS", (0, 0))  # no (bucket, day) table: search the buckets
    else:
        monkeypatch.setattr(rp, "KEY_ROOM", (0, 1))  # the key buffer regrown until it holds them all
    for seed in range(20):
        units, txns, debits, txn_eur = _case(seed, True)
        _same(payment_candidates(units, txns, debits, txn_eur, 10, 0.03),
              payment_candidates_reference(units, txns, debits, txn_eur, 10, 0.03, scorer=score_payments_reference))


def test_days_outside_a_bucket_span_take_the_reference_join():
    units, txns, debits, txn_eur = _case(3, True, n_orders=80)
    txns["day"] -= DAY0 - 4  # the date window of early debits reaches below day 0
    units.day[:] -= DAY0 - 4
    _same(payment_candidates(units, txns, debits, txn_eur, 10, 0.03),
          payment_candidates_reference(units, txns, debits, txn_eur, 10, 0.03, scorer=score_payments_reference))


def test_amounts_too_wide_for_the_exact_keys_take_the_reference_join():
    units, txns, debits, txn_eur = _case(4, True, n_orders=80)
    units.due[:5] += 1 << 52  # (currency, cents, day) keys would not fit in int64
    _same(payment_candidates(units, txns, debits, txn_eur, 10, 0.03),
          payment_candidates_reference(units, txns, debits, txn_eur, 10, 0.03, scorer=score_payments_reference))


@pytest.mark.parametrize("empty", ["debits", "units", "both"])
def test_empty_inputs(empty):
    units, txns, debits, txn_eur = _case(5, True, n_orders=50 if empty == "debits" else 0)
    if empty != "units":
        debits = debits[:0]
    fast = payment_candidates(units, txns, debits, txn_eur, 10, 0.03)
    _same(fast, payment_candidates_reference(units, txns, debits, txn_eur, 10, 0.03, scorer=score_payments_reference))
    assert fast.empty


def test_one_currency_and_debits_in_another_only():
    rng = np.random.default_rng(8)
    orders = _orders(rng, 120, True)
    orders["currency"] = _text(["USD"] * len(orders), True)
    eur, rate = _eur(orders, rng)
    units = build_units(orders, np.ones(len(orders), dtype=bool), eur, rate)
    txns = _txns(rng, units, 100, True)
    txns["currency"] = _text(["GBP"] * len(txns), True)
    txn_eur = txns["amount_cents"].to_numpy(dtype=np.int64)
    debits = np.flatnonzero(txn_eur < 0).astype(np.int32)  # the txn column keeps the dtype of the indices
    fast = payment_candidates(units, txns, debits, txn_eur, 10, 0.03)
    _same(fast, payment_candidates_reference(units, txns, debits, txn_eur, 10, 0.03, scorer=score_payments_reference))
    assert len(fast) and fast["txn"].dtype == np.int32


def test_scoring_given_pairs_equals_the_reference_scorer():
    """``score_payments`` (the DuckDB engine's pairs) against the scorer on Python strings: every
    pair of units and debits, passing or not, in a shuffled order with repeats."""
    for seed in range(15):
        units, txns, debits, txn_eur = _case(seed, seed % 2 == 0)
        rng = np.random.default_rng(seed)
        n = 3000 if len(units.due) and len(debits) else 0
        unit = rng.integers(0, max(len(units.due), 1), n).astype(np.int32 if seed % 3 == 0 else np.int64)
        t = debits[rng.integers(0, max(len(debits), 1), n)] if len(debits) else np.zeros(0, dtype=np.int64)
        for window, tol in ((10, 0.03), (2, 0.5)):
            _same(score_payments(units, txns, unit, t, txn_eur, window, tol),
                  score_payments_reference(units, txns, unit, t, txn_eur, window, tol))


# -- units --------------------------------------------------------------------------------------


def _units_by_definition(orders: pd.DataFrame, eligible: np.ndarray, max_group: int) -> list[tuple[int, ...]]:
    """The units as :func:`build_units` defines them, from scratch: every eligible order alone; then,
    per checkout shared by eligible orders all in one currency, each subset of two or more of them
    (every subset up to ``max_group`` orders, pairs only up to 40, none beyond), its orders by
    (order id, row)."""
    rows = np.flatnonzero(eligible).tolist()
    cur = orders["currency"].to_numpy(dtype=object)
    ids = orders["order_id"].to_numpy(dtype=object)
    by_checkout: dict[int, list[int]] = {}
    for r in rows:
        by_checkout.setdefault(int(orders["checkout"].iat[r]), []).append(r)
    units = [(r,) for r in rows]
    for group in by_checkout.values():
        if len(group) < 2 or len(group) > 40 or any(cur[r] != cur[group[0]] for r in group):
            continue  # (``!=`` as numpy compares objects: a missing currency equals only itself)
        group = sorted(group, key=lambda r: (str(ids[r]), r))
        sizes = range(2, len(group) + 1) if len(group) <= max_group else [2]
        units += [c for k in sizes for c in itertools.combinations(group, k)]
    return units


def _check_units(units: Units, orders: pd.DataFrame, eligible: np.ndarray, eur, rate, max_group: int) -> None:
    """Each unit as defined, once, singles first in row order; its sums and first order's columns."""
    got = [tuple(units.members[units.ptr[u]:units.ptr[u + 1]].tolist()) for u in range(len(units.ptr) - 1)]
    want = _units_by_definition(orders, eligible, max_group)
    n_single = int(eligible.sum())
    assert got[:n_single] == want[:n_single]
    assert len(got) == len(set(got)) and set(got) == set(want)
    due = orders["due_cents"].to_numpy(dtype=np.int64)
    first = [m[0] for m in got]
    assert units.size.tolist() == [len(m) for m in got]
    assert units.due.tolist() == [int(sum(due[list(m)])) for m in got]
    assert units.eur.tolist() == [int(sum(eur[list(m)])) for m in got]
    assert units.rate.tolist() == rate[first].tolist()
    assert units.day.tolist() == orders["order_day"].to_numpy()[first].tolist()
    assert list(units.currency) == list(orders["currency"].to_numpy(dtype=object)[first])


def _same_units(a: Units, b: Units) -> None:
    for name in ("ptr", "members", "currency", "due", "eur", "rate", "day", "size"):
        x, y = getattr(a, name), getattr(b, name)
        assert x.dtype == y.dtype and x.shape == y.shape, name
        assert (x == y).all(), name
        assert [type(v) for v in x[:50]] == [type(v) for v in y[:50]], name


@pytest.mark.parametrize("arrow", [True, False])
def test_units_are_the_defined_ones_on_both_paths(arrow):
    """The compiled sums equal the numpy path's (``compiled=False``, what a buyer's case runs), and
    both give the units by their definition."""
    checked = 0
    for seed in range(40):
        rng = np.random.default_rng(seed)
        orders = _orders(rng, int(rng.integers(0, 400)), arrow, n_days=int(rng.choice([1, 5, 40])))
        eur, rate = _eur(orders, rng)
        eligible = rng.random(len(orders)) < rng.choice([0.0, 0.7, 1.0])
        for max_group in (2, 3, 10):
            fast = build_units(orders, eligible, eur, rate, max_group=max_group)
            _same_units(fast, build_units(orders, eligible, eur, rate, max_group=max_group, compiled=False))
            if max_group < 10 or seed % 4 == 0:  # the definition enumerates in Python: a sample of the largest
                _check_units(fast, orders, eligible, eur, rate, max_group)
                checked += len(fast.size) - int(eligible.sum())
    assert checked > 2_000  # combined units, not only single orders


def test_units_with_a_missing_currency_compare_it_as_before():
    rng = np.random.default_rng(1)
    orders = _orders(rng, 60, False, n_days=1)
    cur = orders["currency"].to_numpy(dtype=object)
    cur[::7] = None
    orders["currency"] = pd.Series(cur, dtype=object)
    eur, rate = _eur(orders, rng)
    eligible = np.ones(len(orders), dtype=bool)
    fast = build_units(orders, eligible, eur, rate, max_group=3)
    _same_units(fast, build_units(orders, eligible, eur, rate, max_group=3, compiled=False))
    _check_units(fast, orders, eligible, eur, rate, max_group=3)


def test_stable_argsort_equals_numpy():
    rng = np.random.default_rng(2)
    for keys in (rng.integers(0, 5, 1000), rng.integers(-2**40, 2**40, 1000), np.zeros(0, dtype=np.int64),
                 np.array([2**62, -2**62, 0, 2**62], dtype=np.int64)):  # the last: too wide to pack
        assert np.array_equal(stable_argsort(keys), np.argsort(keys, kind="stable"))


@pytest.mark.slow
def test_kernels_stay_within_their_arrays(tmp_path):
    """The kernels read past no array end (a sentinel too few once made a scan read garbage): the
    equality tests again, compiled with bounds checks into a cache of their own."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, NUMBA_BOUNDSCHECK="1", NUMBA_CACHE_DIR=str(tmp_path))
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", "-m", "not slow",
                          __file__], env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]

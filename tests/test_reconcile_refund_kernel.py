"""The compiled refund join (``compiled.refund.full_pairs``, through :func:`full_candidates`) gives
exactly the candidates of the numpy path (:func:`full_candidates_reference`, what
``reconcile_frames(..., compiled=False)`` runs): the same pairs in the same order, scored the same,
on random cases (EUR, USD through a rate, original amounts, missing currencies, equal amounts,
related pairs, empty sides)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from complaint.reconciliation.refund import full_candidates, full_candidates_reference

DAY0 = 20_000


def _case(seed: int):
    rng = np.random.default_rng(seed)
    n_t, n_e = int(rng.integers(0, 400)), int(rng.integers(0, 120))
    popular = rng.integers(100, 3000, 5)
    amount = np.where(rng.random(n_t) < 0.4, rng.choice(popular, n_t), rng.integers(1, 5000, n_t)).astype(np.int64)
    currency = rng.choice(np.array(["EUR", "USD", None], dtype=object), n_t, p=[0.85, 0.1, 0.05])
    orig = np.where(rng.random(n_t) < 0.2, rng.choice(np.append(popular, 0), n_t), 0).astype(np.int64)
    txns = pd.DataFrame({
        "day": DAY0 + rng.integers(0, 400, n_t), "amount_cents": amount,
        "currency": pd.Series(currency, dtype=object),
        "orig_cents": orig, "orig_currency": pd.Series(np.where(orig > 0, "USD", None), dtype=object),
        "merchant": pd.Series(rng.choice(np.array(["aliexpress", "paypal", "alipay", None], dtype=object), n_t),
                              dtype=object),
        "refund_wording": rng.random(n_t) < 0.3})
    txn_eur = np.where(currency == "EUR", amount, np.rint(amount / 1.08)).astype(np.int64)
    credit_idx = np.sort(rng.choice(n_t, int(rng.integers(0, n_t + 1)), replace=False)) if n_t \
        else np.zeros(0, dtype=np.int64)
    e_cur = rng.choice(np.array(["EUR", "USD", None, "GBP"], dtype=object), n_e, p=[0.6, 0.3, 0.05, 0.05])
    e_cents = np.where(rng.random(n_e) < 0.5, rng.choice(popular, n_e), rng.integers(1, 5000, n_e)).astype(np.int64)
    purchase = DAY0 + rng.integers(-5, 300, n_e)
    exp = pd.DataFrame({
        "needs_credit": rng.random(n_e) < 0.9, "currency": pd.Series(e_cur, dtype=object), "amount_cents": e_cents,
        "eur": np.where(e_cur == "EUR", e_cents, np.rint(e_cents / 1.1)).astype(np.int64),
        "purchase_day": purchase, "pay_day": np.where(rng.random(n_e) < 0.7, purchase + rng.integers(0, 4, n_e), -1),
        "since_day": purchase + rng.integers(0, 200, n_e)})
    n_rel = int(rng.integers(0, 6)) if n_e and n_t else 0
    related = pd.DataFrame({"exp": rng.integers(0, max(n_e, 1), n_rel), "txn": rng.integers(0, max(n_t, 1), n_rel)})
    return exp, txns, credit_idx, txn_eur, related, float(rng.choice([0.0, 0.01, 0.03, 0.2]))


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    assert list(a.columns) == list(b.columns) and list(a.dtypes) == list(b.dtypes)
    pd.testing.assert_frame_equal(a, b, check_exact=True)


@pytest.mark.parametrize("seed", range(24))
def test_compiled_join_equals_the_numpy_path(seed):
    args = _case(seed)
    fast = full_candidates(*args)
    _same(fast, full_candidates_reference(*args))
    pairs = list(zip(fast["exp"].tolist(), fast["txn"].tolist(), strict=True))
    assert pairs == sorted(set(pairs))  # sorted by (expectation, credit), each pair once


def test_the_cases_are_contested():
    """The random cases above do hold what the equality is about."""
    cand = pd.concat([full_candidates(*_case(seed)) for seed in range(24)])
    assert len(cand) > 300
    assert set(cand["mode"]) == {0, 1, 2}  # original currency, account currency, through the rate
    assert cand["related"].any() and (~cand["related"]).any()
    assert (cand.groupby(["exp"]).size() > 1).mean() > 0.2  # expectations with several credits


@pytest.mark.parametrize("empty", ["credits", "expectations"])
def test_empty_sides(empty):
    exp, txns, credit_idx, txn_eur, related, tol = _case(3)
    if empty == "credits":
        credit_idx = credit_idx[:0]
    else:
        exp["needs_credit"] = False
    fast = full_candidates(exp, txns, credit_idx, txn_eur, related, tol)
    assert fast.empty
    _same(fast, full_candidates_reference(exp, txns, credit_idx, txn_eur, related, tol))

"""Compile (or load from the disk cache) every kernel of the reconciliation once.

``python -m complaint.reconciliation.compiled.warmup`` (run by ``scripts/setup.sh`` after an install)
reconciles a tiny generated case through the compiled path, so a later bulk reconciliation loads the
kernels from numba's disk cache instead of compiling them.  Nothing imports this module.
"""

from __future__ import annotations

import numba

from .kernel import prune_caches


def warm_up() -> float:
    """Compile (or load from the disk cache) every kernel the reconciliation uses, by reconciling a
    tiny generated case through the same path as a real one; returns the seconds it took.

    A fresh install compiles for about a minute on two cores: ``scripts/setup.sh`` runs this once
    (``python -m complaint.reconciliation.compiled.warmup``), so no user waits on it;
    afterwards it takes well under a second."""
    import time

    import numpy as np
    import pandas as pd

    from ..engine import reconcile_frames
    from ..fx import day_number

    t0 = time.perf_counter()
    first = day_number(__import__("datetime").date(2025, 3, 3))
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
    reconcile_frames(orders, txns, None, [], as_of_day=first + 60, compiled=True)
    # the paths the case above does not take: the scoring of SQL candidates (DuckDB engine) and a
    # group too large for a dense matrix (its pairs come back from the sparse solver)
    from ..assign import TIE_EPS
    from ..duckdb_engine import DuckDBCandidates

    sql = DuckDBCandidates()
    try:
        reconcile_frames(orders, txns, None, [], as_of_day=first + 60, compiled=True, candidates=sql)
    finally:
        sql.close()
    from .bipartite import take_pairs

    one = np.zeros(1, dtype=np.int64)
    take_pairs(one, one.copy(), one.copy(), np.ones(1), 1, one.copy(), one.copy(), np.zeros(1, dtype=bool),
               np.full(1, -1, dtype=np.int64), TIE_EPS)
    return time.perf_counter() - t0


if __name__ == "__main__":
    seconds = warm_up()
    prune_caches()
    print(f"compiled kernels ready in {seconds:.1f} s ({numba.config.CACHE_DIR})")

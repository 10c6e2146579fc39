"""Compiled kernels for the reconciliation's hot loops: numba's ``njit`` with the project's settings.

Kernels are plain Python functions over numpy arrays, decorated with :func:`kernel`.  They compile on
first use and are cached on disk next to their module (``__pycache__``), so a later process loads
them in milliseconds; they release the GIL.  ``NUMBA_DISABLE_JIT=1`` runs them as plain Python (for a
debugger).  Modules holding kernels are imported lazily by the engine, so commands that never
reconcile do not pay numba's import.
"""

from __future__ import annotations

import numba


def kernel(fn):
    """``numba.njit(cache=True, nogil=True)``: no fastmath, so float results equal numpy's."""
    return numba.njit(cache=True, nogil=True)(fn)


def warm_up() -> float:
    """Compile (or load from the disk cache) every kernel the reconciliation uses, by reconciling a
    tiny generated case through the same path as a real one; returns the seconds it took.

    A fresh install compiles for about a minute on two cores: ``scripts/setup.sh`` runs this once
    (``python -m complaint.jit``) and the app starts it in the background, so no user waits on it;
    afterwards it takes well under a second."""
    import time

    import numpy as np
    import pandas as pd

    from .reconcile_engine import reconcile_frames
    from .reconcile_fx import day_number

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
    return time.perf_counter() - t0


if __name__ == "__main__":
    print(f"compiled kernels ready in {warm_up():.1f} s")

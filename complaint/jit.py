"""Compiled kernels for the reconciliation's hot loops: numba's ``njit`` with the project's settings.

Kernels are plain Python functions over numpy arrays, decorated with :func:`kernel` and kept in the
``complaint/_jit_*.py`` modules.  They compile on first use and are cached on disk, so a later
process loads them in milliseconds; they release the GIL.  ``NUMBA_DISABLE_JIT=1`` runs them as
plain Python (for a debugger).  Modules holding kernels are imported lazily by the engine, so
commands that never reconcile do not pay numba's import.

The disk cache is keyed by the source of *all* kernel modules (:func:`cache_dir`): numba checks only
the file of the kernel it loads, and a kernel carries the code of the kernels it calls from other
modules, so after an edit of one module (or an upgrade) its callers would otherwise run the old code.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

import numba

HERE = Path(__file__).parent


def _digest() -> str:
    h = hashlib.sha256(numba.__version__.encode())
    for path in sorted(HERE.glob("_jit_*.py")) + [Path(__file__)]:
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:16]


def _writable(path: Path) -> bool:
    try:
        path.mkdir(parents=True, exist_ok=True)
        tempfile.TemporaryFile(dir=path).close()
        return True
    except OSError:
        return False


def cache_dir() -> Path:
    """Where compiled kernels are cached: ``numba-<digest of every kernel module>`` under the package's
    ``__pycache__``, else the user's cache directory, else the temporary one (the first writable)."""
    name = f"numba-{_digest()}"
    roots = [HERE / "__pycache__", Path.home() / ".cache" / "complaint-notebook", Path(tempfile.gettempdir())]
    for root in roots:
        if _writable(root / name):
            return root / name
    return roots[-1] / name


if not os.environ.get("NUMBA_CACHE_DIR"):  # the user's own choice wins
    numba.config.CACHE_DIR = str(cache_dir())


def kernel(fn):
    """``numba.njit(cache=True, nogil=True)``: no fastmath, so float results equal numpy's."""
    return numba.njit(cache=True, nogil=True)(fn)


def prune_caches() -> list[Path]:
    """Remove the kernel caches of other versions of the sources (next to the current one)."""
    current = Path(numba.config.CACHE_DIR) if numba.config.CACHE_DIR else None
    if current is None:
        return []
    removed = []
    for old in current.parent.glob("numba-*"):
        if old != current and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
            removed.append(old)
    return removed


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
    # the paths the case above does not take: the scoring of SQL candidates (DuckDB engine) and a
    # group too large for a dense matrix (its pairs come back from the sparse solver)
    from .reconcile_assign import TIE_EPS
    from .reconcile_duckdb import DuckDBCandidates

    sql = DuckDBCandidates()
    try:
        reconcile_frames(orders, txns, None, [], as_of_day=first + 60, compiled=True, candidates=sql)
    finally:
        sql.close()
    from ._jit_bipartite import take_pairs

    one = np.zeros(1, dtype=np.int64)
    take_pairs(one, one.copy(), one.copy(), np.ones(1), 1, one.copy(), one.copy(), np.zeros(1, dtype=bool),
               np.full(1, -1, dtype=np.int64), TIE_EPS)
    return time.perf_counter() - t0


if __name__ == "__main__":
    seconds = warm_up()
    prune_caches()
    print(f"compiled kernels ready in {seconds:.1f} s ({numba.config.CACHE_DIR})")

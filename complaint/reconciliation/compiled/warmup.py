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

    from ..engine import reconcile_frames, tiny_frames

    t0 = time.perf_counter()
    orders, txns, first = tiny_frames()
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

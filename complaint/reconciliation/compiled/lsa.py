"""Compiled ``scipy.optimize.linear_sum_assignment(m, maximize=True)``: :func:`lsa_max`.

Crouse's shortest augmenting path re-done operation by operation as scipy implements it, so equal
optima resolve the same way (``tests/test_reconcile_assign_kernels.py`` holds it against scipy).
The solver of :mod:`complaint.reconciliation.compiled.bipartite`'s group matrices; split from :mod:`complaint.reconciliation.compiled.assign`.
"""

from __future__ import annotations

import numpy as np

from .kernel import kernel


@kernel
def lsa_max(m, rows, cols):
    """``linear_sum_assignment(m, maximize=True)`` into ``rows``/``cols`` (by row); returns the number of
    pairs, -1 for a NaN or +inf entry (scipy: "invalid numeric entries").

    scipy's shortest augmenting path (Crouse 2016) operation by operation: the negated matrix, transposed
    when taller than wide; rows added one by one, each by the cheapest path over the reduced costs
    ``min + cost - u - v``, columns scanned from the last, a free column preferred among equal ones;
    so equal optima resolve exactly as scipy resolves them."""
    n_r, n_c = m.shape
    if n_r == 0 or n_c == 0:
        return 0
    flip = n_c < n_r
    if flip:
        n_r, n_c = n_c, n_r
        cost = np.empty((n_r, n_c))
        for i in range(n_r):
            for j in range(n_c):
                cost[i, j] = -m[j, i]
    else:
        cost = np.empty((n_r, n_c))
        for i in range(n_r):
            for j in range(n_c):
                cost[i, j] = -m[i, j]
    for i in range(n_r):
        for j in range(n_c):
            if cost[i, j] != cost[i, j] or cost[i, j] == -np.inf:
                return -1
    u = np.zeros(n_r)
    v = np.zeros(n_c)
    spc = np.empty(n_c)  # shortest path cost to each column
    path = np.full(n_c, -1, dtype=np.int64)
    col4row = np.full(n_r, -1, dtype=np.int64)
    row4col = np.full(n_c, -1, dtype=np.int64)
    seen_r = np.zeros(n_r, dtype=np.bool_)
    seen_c = np.zeros(n_c, dtype=np.bool_)
    remaining = np.empty(n_c, dtype=np.int64)
    for cur in range(n_r):
        low = 0.0
        n_rem = n_c
        for it in range(n_c):
            remaining[it] = n_c - it - 1
        seen_r[:] = False
        seen_c[:] = False
        spc[:] = np.inf
        i = cur
        sink = -1
        while sink == -1:
            index = -1
            lowest = np.inf
            seen_r[i] = True
            for it in range(n_rem):
                j = remaining[it]
                r = low + cost[i, j] - u[i] - v[j]
                if r < spc[j]:
                    path[j] = i
                    spc[j] = r
                if spc[j] < lowest or (spc[j] == lowest and row4col[j] == -1):
                    lowest = spc[j]
                    index = it
            low = lowest
            if low == np.inf:
                return -2  # infeasible: cannot happen with finite entries
            j = remaining[index]
            if row4col[j] == -1:
                sink = j
            else:
                i = row4col[j]
            seen_c[j] = True
            n_rem -= 1
            remaining[index] = remaining[n_rem]
        u[cur] += low
        for i in range(n_r):
            if seen_r[i] and i != cur:
                u[i] += low - spc[col4row[i]]
        for j in range(n_c):
            if seen_c[j]:
                v[j] -= low - spc[j]
        j = sink
        while True:
            i = path[j]
            row4col[j] = i
            j, col4row[i] = col4row[i], j
            if i == cur:
                break
    if flip:
        by = np.argsort(col4row)
        for k in range(n_r):
            rows[k] = col4row[by[k]]
            cols[k] = by[k]
    else:
        for k in range(n_r):
            rows[k] = k
            cols[k] = col4row[k]
    return n_r

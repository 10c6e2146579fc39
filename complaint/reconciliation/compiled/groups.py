"""Compiled connected groups of the assignment: union-find over orders and transactions.

:func:`components` splits the candidate graph into the groups :func:`complaint.reconciliation.compiled.assign.solve` solves
one by one; :func:`find_root` (the union-find root) also serves
:func:`complaint.reconciliation.compiled.bipartite._reduced` for its residual pieces.  Split from
:mod:`complaint.reconciliation.compiled.assign` (see there for the numba cache note on kernels calling other modules).
"""

from __future__ import annotations

import numpy as np

from .kernel import kernel


@kernel
def find_root(parent, x):
    """Root of ``x`` (path halving)."""
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


@kernel
def components(first, size, cand_txn, unit_orders, n_orders, n_txns):
    """Connected groups of the candidate graph (orders and transactions as nodes): ``(ptr, members)``,
    CSR over groups numbered by their first candidate, members ascending.  Group numbers differ from
    scipy's labels; nothing downstream depends on them (groups are solved independently)."""
    parent = np.arange(n_orders + n_txns)
    t = -1
    for c in range(len(first)):
        if c == 0 or cand_txn[c] != cand_txn[c - 1]:  # else t is still the root of this transaction
            t = find_root(parent, n_orders + cand_txn[c])
        for k in range(first[c], first[c] + size[c]):
            o = find_root(parent, unit_orders[k])
            if o < t:
                parent[t] = o
                t = o
            elif o > t:
                parent[o] = t
    label = np.full(n_orders + n_txns, -1, dtype=np.int64)
    comp = np.empty(len(first), dtype=np.int64)
    n_comp = 0
    for c in range(len(first)):
        if c == 0 or cand_txn[c] != cand_txn[c - 1]:
            t = find_root(parent, n_orders + cand_txn[c])
            if label[t] < 0:
                label[t] = n_comp
                n_comp += 1
        comp[c] = label[t]
    return group_by(comp, n_comp)


@kernel
def group_by(keys, n_groups):
    """(ptr, members): the positions ``i`` grouped by ``keys[i]`` (0 .. n_groups - 1) as CSR, each group
    in position order (a counting sort)."""
    ptr = np.zeros(n_groups + 1, dtype=np.int64)
    for i in range(len(keys)):
        ptr[keys[i] + 1] += 1
    for g in range(n_groups):
        ptr[g + 1] += ptr[g]
    fill = ptr[:-1].copy()
    members = np.empty(len(keys), dtype=np.int64)
    for i in range(len(keys)):
        members[fill[keys[i]]] = i
        fill[keys[i]] += 1
    return ptr, members

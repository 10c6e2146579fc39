"""Compiled kernels of :func:`complaint.reconciliation.assign.assign`: one pass per group, no Python call each.

The kernels give what the numpy path (:func:`complaint.reconciliation.assign.assign_reference`) gives,
bit for bit: the same optimum per group and, between equal optima, the same choice (the solver
re-implemented operation by operation, sorts in numpy's orders, float operations in numpy's order).  This module
holds the pass and the combined-checkout groups; the other kernels have their own modules:

- :func:`solve`: the whole assignment, each group sent to the kernel that solves it;
- :func:`complaint.reconciliation.compiled.groups.components`: the connected groups (union-find over orders and transactions);
- :func:`best_first`: the greedy pass of oversized combined-checkout groups (one sort, one pass);
- :func:`solve_packing`: the exact branch-and-bound of small combined-checkout groups;
- :func:`complaint.reconciliation.compiled.bipartite.solve_bipartite`: every single-order group (1 x N rule, enumeration,
  forced pairs, solver);
- :func:`complaint.reconciliation.compiled.lsa.lsa_max`: ``scipy.optimize.linear_sum_assignment(m, maximize=True)`` re-done
  operation by operation (Crouse's shortest augmenting path, as scipy implements it), so equal optima
  resolve the same way (``tests/test_reconcile_assign_kernels.py`` holds it against scipy);
- :mod:`complaint.reconciliation.compiled.sort`: the sorts, each giving numpy's order.

Imported lazily by :mod:`complaint.reconciliation.assign` (importing the engine does not import numba).

A kernel is cached with the kernels it calls compiled in, while numba checks only the file of the
kernel it loads ("Caching issue: functions in different modules", https://github.com/numba/numba/issues/1833):
:func:`complaint.reconciliation.compiled.kernel.cache_dir` therefore keys the whole cache by the source
of every kernel module, so an edit anywhere recompiles all of them.
"""

from __future__ import annotations

import numpy as np

from .bipartite import solve_bipartite
from .groups import components
from .kernel import kernel
from .sort import float_keys, priority_order

# -- the whole assignment ----------------------------------------------------------------------------


@kernel
def solve(cand_unit, cand_txn, points, unit_ptr, unit_orders, n_orders, n_txns, order_rank, txn_rank, chosen,
          tie_with, row, col, adjusted, limits, tie_eps, sure_margin):
    """``assign``'s groups, each solved as ``assign_reference`` solves it; ``limits`` = (REDUCE_CELLS,
    MAX_ENUMERATED, DENSE_MAX, EXACT_LIMIT).  Returns the groups (``ptr``, ``members``) and those left
    to the caller (see :func:`solve_bipartite`)."""
    n = len(cand_unit)
    first = np.empty(n, dtype=np.int64)  # the candidate's orders: unit_orders[first:first + size]
    size = np.empty(n, dtype=np.int64)
    for c in range(n):
        first[c] = unit_ptr[cand_unit[c]]
        size[c] = unit_ptr[cand_unit[c] + 1] - first[c]
    ptr, members = components(first, size, cand_txn, unit_orders, n_orders, n_txns)
    n_groups = len(ptr) - 1
    bipartite = np.empty(n_groups, dtype=np.int64)
    n_bipartite = 0
    big = np.zeros(n, dtype=np.bool_)
    n_big = 0
    used_o = np.zeros(n_orders, dtype=np.bool_)
    for g in range(n_groups):
        cands = members[ptr[g]:ptr[g + 1]]
        if len(cands) == 1:
            chosen[cands[0]] = True
            continue
        packing = False
        for c in cands:
            if size[c] > 1:
                packing = True
                break
        if not packing:
            bipartite[n_bipartite] = g
            n_bipartite += 1
        elif len(cands) > limits[3]:
            big[cands] = True
            n_big += len(cands)
        else:
            solve_packing(cands, first, size, cand_txn, points, unit_orders, used_o, chosen, tie_eps)
    if n_big:
        best_first(np.flatnonzero(big), first, size, cand_txn, points, unit_orders, n_orders, n_txns, chosen)
    orders = np.empty(n, dtype=np.int64)  # a single-order candidate's order
    for c in range(n):
        orders[c] = unit_orders[first[c]] if first[c] < len(unit_orders) else -1
    deferred = solve_bipartite(bipartite[:n_bipartite], ptr, members, orders, cand_txn, points, order_rank,
                               txn_rank, chosen, tie_with, row, col, adjusted, limits, tie_eps, sure_margin)
    return ptr, members, deferred


# -- combined-checkout groups ------------------------------------------------------------------------


@kernel
def best_first(cands, first, size, cand_txn, points, unit_orders, n_orders, n_txns, chosen):
    """The reference's best-first pass over ``cands`` (ascending): by points, then fewer orders, then
    candidate order, a candidate is taken unless its transaction or one of its orders is taken."""
    order = cands[priority_order(float_keys(-points[cands]), size[cands])]
    txn, at, span = cand_txn[order], first[order], size[order]  # gathered in pass order
    used_o = np.zeros(n_orders, dtype=np.bool_)
    used_t = np.zeros(n_txns, dtype=np.bool_)
    for i in range(len(order)):
        if not used_t[txn[i]] and _fits(at[i], span[i], unit_orders, used_o):
            used_t[txn[i]] = True
            _mark(at[i], span[i], unit_orders, used_o, True)
            chosen[order[i]] = True


@kernel
def solve_packing(idx, first, size, cand_txn, points, unit_orders, used_o, chosen, tie_eps):
    """``_solve_packing``'s exact search on one small combined-checkout group (same candidate order,
    same bounds, same float sums in the same order, so the same pick); ``used_o`` is a cleared
    scratch flag per order, left cleared."""
    n = len(idx)
    order = np.arange(n)  # by (-points, orders in the unit, candidate): insertion sort (n <= EXACT_LIMIT)
    for i in range(1, n):
        x = order[i]
        j = i - 1
        while j >= 0 and _packing_before(idx[x], idx[order[j]], size, points):
            order[j + 1] = order[j]
            j -= 1
        order[j + 1] = x
    cand = idx[order]
    pts = points[cand]
    txn = np.empty(n, dtype=np.int64)  # local transaction number
    for k in range(n):
        txn[k] = k
        for j in range(k):
            if cand_txn[cand[j]] == cand_txn[cand[k]]:
                txn[k] = txn[j]
                break
    # bound of what k.. can still add: each transaction once, at its first (best) points
    suffix = np.empty(n + 1)
    first_t = np.empty((n + 1, n), dtype=np.int64)
    first_p = np.empty((n + 1, n))
    n_first = np.zeros(n + 1, dtype=np.int64)
    seen = np.zeros(n, dtype=np.bool_)
    for k in range(n - 1, -1, -1):
        seen[:] = False
        total = 0.0
        for j in range(k, n):
            if not seen[txn[j]]:
                seen[txn[j]] = True
                p = max(pts[j], 0.0)
                total += p
                first_t[k, n_first[k]] = txn[j]
                first_p[k, n_first[k]] = p
                n_first[k] += 1
        suffix[k] = total + 1e-6
    suffix[n] = 0.0
    used_t = np.zeros(n, dtype=np.bool_)
    n_used_t = 0
    picked = np.empty(n, dtype=np.int64)
    n_picked = 0
    best_pick = np.empty(n, dtype=np.int64)
    n_best = 0
    best_total = -1.0
    # explicit stack of search(k, total) at depth k: stage 0 entry, 1 take branch done, 2 skip branch done
    stack_total = np.empty(n + 2)
    stage = np.zeros(n + 2, dtype=np.int64)
    took = np.zeros(n + 2, dtype=np.bool_)
    depth = 0
    stack_total[0] = 0.0
    while depth >= 0:
        k = depth
        total = stack_total[k]
        if stage[k] == 0:
            if total > best_total + tie_eps:
                best_total = total
                best_pick[:n_picked] = picked[:n_picked]
                n_best = n_picked
            if k == n or total + suffix[k] <= best_total + tie_eps:
                depth -= 1
                continue
            if n_used_t:
                free = 0.0
                for f in range(n_first[k]):
                    if not used_t[first_t[k, f]]:
                        free += first_p[k, f]
                if total + free + 1e-6 <= best_total + tie_eps:
                    depth -= 1
                    continue
            stage[k] = 1
            took[k] = _fits(first[cand[k]], size[cand[k]], unit_orders, used_o) and not used_t[txn[k]]
            if took[k]:
                _mark(first[cand[k]], size[cand[k]], unit_orders, used_o, True)
                used_t[txn[k]] = True
                n_used_t += 1
                picked[n_picked] = k
                n_picked += 1
                depth += 1
                stage[depth] = 0
                stack_total[depth] = total + pts[k]
                continue
        if stage[k] == 1:
            if took[k]:
                _mark(first[cand[k]], size[cand[k]], unit_orders, used_o, False)
                used_t[txn[k]] = False
                n_used_t -= 1
                n_picked -= 1
            stage[k] = 2
            depth += 1
            stage[depth] = 0
            stack_total[depth] = total
            continue
        depth -= 1
    for b in range(n_best):
        chosen[cand[best_pick[b]]] = True


@kernel
def _packing_before(a, b, size, points):
    """Candidate ``a`` sorts before ``b`` by (-points, orders in the unit, candidate)."""
    pa, pb = -points[a], -points[b]
    if pa != pb:
        return pa < pb
    if size[a] != size[b]:
        return size[a] < size[b]
    return a < b


@kernel
def _fits(first, size, unit_orders, used_o):
    """No order of ``unit_orders[first:first + size]`` is taken yet."""
    for q in range(first, first + size):
        if used_o[unit_orders[q]]:
            return False
    return True


@kernel
def _mark(first, size, unit_orders, used_o, value):
    """Set the taken flag of every order of ``unit_orders[first:first + size]``."""
    for q in range(first, first + size):
        used_o[unit_orders[q]] = value

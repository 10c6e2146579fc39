"""Candidate pairs and a globally consistent assignment (each transaction used at most once).

Candidates come from a banded join (sorted keys + ``searchsorted``: no Python loop over rows and
no cross product).  A candidate pairs a *unit* (one order, or several orders of one checkout) with
one transaction and carries additive points.  The assignment maximises the total points:

- the candidate graph (orders and transactions as nodes) is split into connected components;
- a component with one candidate is taken as is (the common case);
- a component of single-order units is solved exactly: the maximum of the matrix that
  ``scipy.optimize.linear_sum_assignment`` gets.  One order or one transaction (1 x N) with a strict
  best: that best; up to ``MAX_ENUMERATED`` assignments: every one enumerated, when the best is
  clear by ``SURE_MARGIN``; else (large or tied) the solver itself; a large sparse component
  (``REDUCE_CELLS``) first takes the pairs that are in every optimum (:func:`_solve_reduced`) and
  solves what is left piece by piece, pieces beyond ``DENSE_MAX`` cells with the sparse LAPJVsp
  instead of a dense matrix;
- a component with combined-checkout units (a set-packing problem) is solved exactly by
  branch-and-bound while small (``EXACT_LIMIT`` candidates), else by best-first with conflicts
  removed (a documented fallback for pathological components only).

:func:`assign` runs all of it in compiled kernels (:mod:`complaint.reconciliation.compiled.assign` and the
kernel modules it calls, one pass per group; the solver re-implemented operation by operation, so
equal optima resolve as scipy's do).
:func:`assign_reference` is the straightforward per-component version (one Python call per
component, the path of a small case); :func:`assign` gives the same result:
``tests/test_reconcile_assign_kernels.py`` holds the two against each other on random and tied
problems, ``tests/test_reconcile_perf_equivalence.py`` the whole engine on both paths.

Equal evidence (two same-amount orders on the same day) is resolved deterministically: a tiny
tie-break prefers pairing in time order (earlier order with earlier transaction), and the tie is
reported so the explanation can say so and the user can swap the pair by hand.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

EXACT_LIMIT = 26
TIE_EPS = 1e-9


def band_join(lo: np.ndarray, hi: np.ndarray, keys_sorted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All (i, j) with ``lo[i] <= keys_sorted[j] <= hi[i]``; ``keys_sorted`` ascending."""
    lo, hi = np.asarray(lo), np.asarray(hi)
    start = np.empty(len(lo), dtype=np.int64)
    end = np.empty(len(hi), dtype=np.int64)
    by = np.argsort(lo, kind="stable")  # sorted needles: each binary search starts where the last ended
    start[by] = np.searchsorted(keys_sorted, lo[by], side="left")
    by_hi = np.argsort(hi, kind="stable")
    end[by_hi] = np.searchsorted(keys_sorted, hi[by_hi], side="right")
    counts = np.maximum(end - start, 0)
    total = int(counts.sum())
    left = np.repeat(np.arange(len(lo), dtype=np.int64), counts)
    first = np.repeat(np.cumsum(counts) - counts, counts)
    right = np.repeat(start, counts) + (np.arange(total, dtype=np.int64) - first)
    return left, right


def expand_csr(ptr: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For CSR ``ptr`` and selected ``rows``: (position in ``rows``, flat member index)."""
    starts, ends = ptr[rows], ptr[rows + 1]
    counts = ends - starts
    pos = np.repeat(np.arange(len(rows), dtype=np.int64), counts)
    first = np.repeat(np.cumsum(counts) - counts, counts)
    flat = np.repeat(starts, counts) + (np.arange(int(counts.sum()), dtype=np.int64) - first)
    return pos, flat


@dataclass
class Assignment:
    chosen: np.ndarray  # bool per candidate
    tie_with: np.ndarray  # per candidate: index of another chosen candidate with equal evidence, or -1


def assign(cand_unit: np.ndarray, cand_txn: np.ndarray, points: np.ndarray, unit_ptr: np.ndarray,
           unit_orders: np.ndarray, n_orders: int, n_txns: int, order_rank: np.ndarray,
           txn_rank: np.ndarray) -> Assignment:
    """Maximum-points assignment: each order and each transaction in at most one chosen candidate.

    Same result as :func:`assign_reference`, group by group in compiled kernels
    (:mod:`complaint.reconciliation.compiled.assign`): one-candidate groups taken; single-order groups by the 1 x N rule
    (a strict best), by enumeration (up to ``MAX_ENUMERATED`` assignments, best ahead by
    ``SURE_MARGIN``), by forced pairs first (above ``REDUCE_CELLS`` cells) or by the solver (a
    re-implementation of ``linear_sum_assignment``, equal optima resolved as scipy resolves them);
    combined-checkout groups by the exact search up to ``EXACT_LIMIT`` candidates, else best-first.
    Only a forced-pair reduction leaving a piece above ``DENSE_MAX`` cells comes back here, for the
    sparse solver.  ``points`` are finite (sums of bounded evidence points)."""
    from .compiled.assign import solve
    from .compiled.bipartite import take_pairs

    n = len(cand_unit)
    chosen = np.zeros(n, dtype=bool)
    tie_with = np.full(n, -1, dtype=np.int64)
    if n == 0:
        return Assignment(chosen, tie_with)
    as_int = functools.partial(np.ascontiguousarray, dtype=np.int64)
    points = np.ascontiguousarray(points, dtype=np.float64)
    row, col = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
    adjusted = np.zeros(n)
    limits = np.array([REDUCE_CELLS, MAX_ENUMERATED, DENSE_MAX, EXACT_LIMIT], dtype=np.int64)
    ptr, members, deferred = solve(
        as_int(cand_unit), as_int(cand_txn), points, as_int(unit_ptr), as_int(unit_orders), int(n_orders),
        int(n_txns), as_int(order_rank), as_int(txn_rank), chosen, tie_with, row, col, adjusted, limits,
        TIE_EPS, SURE_MARGIN)
    for g in deferred.tolist():  # a piece too large for a dense matrix: the sparse solver
        part = members[ptr[g]:ptr[g + 1]]
        shape = (int(row[part].max()) + 1, int(col[part].max()) + 1)
        rows, cols = _solve_reduced(row[part], col[part], adjusted[part], shape)
        take_pairs(part, row[part], col[part], points, shape[1], as_int(rows), as_int(cols), chosen, tie_with,
                   TIE_EPS)
    return Assignment(chosen, tie_with)


REDUCE_CELLS = 10_000  # a group with a larger matrix is first reduced by its forced pairs (_solve_reduced)


def _top_two(group: np.ndarray, w: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(best, second best) weight per group id (``-inf`` where there is none)."""
    best = np.full(n, -np.inf)
    second = np.full(n, -np.inf)
    order = np.lexsort((-w, group))
    g, ws = group[order], w[order]
    first = np.concatenate([[True], g[1:] != g[:-1]])
    best[g[first]] = ws[first]
    nxt = np.concatenate([[False], first[:-1]]) & ~first
    second[g[nxt]] = ws[nxt]
    return best, second


def _solve_reduced(r: np.ndarray, c: np.ndarray, w: np.ndarray, shape: tuple[int, int]):
    """The assignment ``linear_sum_assignment`` finds on the matrix (``w`` at (r, c), -1e6 elsewhere),
    without the dense matrix of a large sparse group: (rows, cols) of the real pairs, by row.

    The matrix's optimum takes as many real pairs as possible, then the most points.  A pair whose
    row has no other pair and which beats every other pair of its column by ``SURE_MARGIN`` (or the
    same with rows and columns swapped) is in every optimal assignment: were its column given to
    another row, moving the column to this row keeps the count and gains points; were the column
    free, adding the pair gains one.  Such pairs are taken in rounds (each round frees new ones);
    what is left splits into small groups, each solved on its own matrix of the same weights.  The
    optimum is the same; equal optima (the margin keeps them out of the rounds) are decided by the
    solver on the smaller matrix."""
    n_r, n_c = shape
    alive = np.ones(len(r), dtype=bool)
    forced = np.zeros(len(r), dtype=bool)
    while True:
        a = np.flatnonzero(alive)
        if not len(a):
            break
        ra, ca, wa = r[a], c[a], w[a]
        deg_r = np.bincount(ra, minlength=n_r)
        deg_c = np.bincount(ca, minlength=n_c)
        best_c, second_c = _top_two(ca, wa, n_c)
        best_r, second_r = _top_two(ra, wa, n_r)
        take = (((deg_r[ra] == 1) & (wa == best_c[ca]) & (wa - second_c[ca] > SURE_MARGIN))
                | ((deg_c[ca] == 1) & (wa == best_r[ra]) & (wa - second_r[ra] > SURE_MARGIN)))
        if not take.any():
            break
        fa = a[take]
        forced[fa] = True
        dead_r = np.zeros(n_r, dtype=bool)
        dead_c = np.zeros(n_c, dtype=bool)
        dead_r[r[fa]] = True
        dead_c[c[fa]] = True
        alive &= ~(dead_r[r] | dead_c[c])
    out_r, out_c = [r[forced]], [c[forced]]
    a = np.flatnonzero(alive)
    if len(a):
        from scipy.optimize import linear_sum_assignment  # imported here: most runs never get this far
        from scipy.sparse import coo_matrix
        from scipy.sparse.csgraph import connected_components

        graph = coo_matrix((np.ones(len(a), dtype=np.int8), (r[a], n_r + c[a])), shape=(n_r + n_c,) * 2)
        _n, labels = connected_components(graph, directed=False)
        lab = labels[r[a]]
        a = a[np.argsort(lab, kind="stable")]
        for piece in np.split(a, np.flatnonzero(np.diff(labels[r[a]])) + 1):
            if len(piece) == 1:
                out_r.append(r[piece])
                out_c.append(c[piece])
                continue
            ur, pr = np.unique(r[piece], return_inverse=True)
            uc, pc = np.unique(c[piece], return_inverse=True)
            if len(ur) * len(uc) > DENSE_MAX:
                i, j = _sparse_assignment(pr, pc, w[piece], len(ur), len(uc))
                out_r.append(ur[i])
                out_c.append(uc[j])
                continue
            m = np.full((len(ur), len(uc)), -1e6)
            m[pr, pc] = w[piece]
            i, j = linear_sum_assignment(m, maximize=True)
            real = m[i, j] > -1e6
            out_r.append(ur[i[real]])
            out_c.append(uc[j[real]])
    rows, cols = np.concatenate(out_r), np.concatenate(out_c)
    by_row = np.argsort(rows, kind="stable")
    return rows[by_row], cols[by_row]


DENSE_MAX = 1_000_000  # a residual piece with a larger matrix goes to the sparse solver


def _sparse_assignment(r: np.ndarray, c: np.ndarray, w: np.ndarray, n_r: int, n_c: int):
    """The dense matrix's optimum (most real pairs, then most points) on the sparse graph alone:
    ``min_weight_full_bipartite_matching`` (LAPJVsp) with one private fallback column per row at a
    cost above any set of real pairs, so a full matching always exists.  For pieces too large for a
    dense matrix (10 million bank rows); between equal optima it may choose another than the dense
    solver would (such pieces never reach the dense solver: memory and time grow with rows x columns)."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    flip = n_r > n_c
    if flip:
        r, c, n_r, n_c = c, r, n_c, n_r
    top = float(w.max()) + 1.0  # real pair cost top - w >= 1
    miss = top * (n_r + 1) + 1e6  # one unmatched row costs more than all real pairs together
    graph = csr_matrix((np.concatenate([top - w, np.full(n_r, miss)]),
                        (np.concatenate([r, np.arange(n_r)]), np.concatenate([c, n_c + np.arange(n_r)]))),
                       shape=(n_r, n_c + n_r))
    i, j = min_weight_full_bipartite_matching(graph)
    real = j < n_c
    i, j = i[real], j[real]
    return (j, i) if flip else (i, j)


MAX_ENUMERATED = 5040  # groups with at most this many assignments (7 x 7, 4 x 9, 3 x 17) are enumerated
SURE_MARGIN = 1e-7  # an enumerated best must beat the runner-up by this much, else the solver decides


def assign_reference(cand_unit: np.ndarray, cand_txn: np.ndarray, points: np.ndarray, unit_ptr: np.ndarray,
           unit_orders: np.ndarray, n_orders: int, n_txns: int, order_rank: np.ndarray,
           txn_rank: np.ndarray) -> Assignment:
    """The straightforward per-component solver (one Python call per connected group): kept as the
    oracle of ``tests/test_reconcile_perf_equivalence.py``; :func:`assign` gives the same result."""
    n = len(cand_unit)
    chosen = np.zeros(n, dtype=bool)
    tie_with = np.full(n, -1, dtype=np.int64)
    if n == 0:
        return Assignment(chosen, tie_with)
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    pos, flat = expand_csr(unit_ptr, cand_unit)
    orders_of_edge = unit_orders[flat]
    txn_node = n_orders + cand_txn[pos]
    size = n_orders + n_txns
    graph = coo_matrix((np.ones(len(pos), dtype=np.int8), (orders_of_edge, txn_node)), shape=(size, size))
    _count, labels = connected_components(graph, directed=False)
    comp = labels[n_orders + cand_txn]
    per_comp = np.bincount(comp)
    single = per_comp[comp] == 1
    chosen[single] = True
    multi = np.flatnonzero(~single)
    if len(multi) == 0:
        return Assignment(chosen, tie_with)
    sizes = np.diff(unit_ptr)
    multi = multi[np.argsort(comp[multi], kind="stable")]
    bounds = np.flatnonzero(np.diff(comp[multi])) + 1
    for idx in np.split(multi, bounds):
        if (sizes[cand_unit[idx]] == 1).all():
            _solve_bipartite_ref(idx, cand_unit, cand_txn, points, unit_orders, unit_ptr, order_rank, txn_rank,
                             chosen, tie_with)
        else:
            _solve_packing_ref(idx, cand_unit, cand_txn, points, unit_ptr, unit_orders, chosen)
    return Assignment(chosen, tie_with)


def _solve_bipartite_ref(idx, cand_unit, cand_txn, points, unit_orders, unit_ptr, order_rank, txn_rank,
                     chosen, tie_with) -> None:
    orders = unit_orders[unit_ptr[cand_unit[idx]]]
    txns = cand_txn[idx]
    uo = np.unique(orders)
    ut = np.unique(txns)
    uo = uo[np.argsort(order_rank[uo], kind="stable")]
    ut = ut[np.argsort(txn_rank[ut], kind="stable")]
    ro = _positions_ref(uo, orders)
    ct = _positions_ref(ut, txns)
    m = np.zeros((len(uo), len(ut)))
    valid = np.zeros_like(m, dtype=bool)
    cidx = np.full(m.shape, -1, dtype=np.int64)
    m[ro, ct] = points[idx]
    valid[ro, ct] = True
    cidx[ro, ct] = idx
    fi = np.arange(len(uo))[:, None] / max(len(uo), 1)
    fj = np.arange(len(ut))[None, :] / max(len(ut), 1)
    adjusted = np.where(valid, m - 1e-6 * (fi - fj) ** 2, -1e6)
    from scipy.optimize import linear_sum_assignment

    rows, cols = linear_sum_assignment(adjusted, maximize=True)
    keep = valid[rows, cols]
    rows, cols = rows[keep], cols[keep]
    chosen[cidx[rows, cols]] = True
    if len(rows) > 1 and len(rows) <= 60:
        for a in range(len(rows)):
            for b in range(len(rows)):
                if a == b:
                    continue
                r1, c1, r2, c2 = rows[a], cols[a], rows[b], cols[b]
                if valid[r1, c2] and valid[r2, c1] and \
                        abs(m[r1, c1] + m[r2, c2] - m[r1, c2] - m[r2, c1]) < TIE_EPS:
                    tie_with[cidx[r1, c1]] = cidx[r2, c2]
                    break


def _positions_ref(sorted_ids: np.ndarray, ids: np.ndarray) -> np.ndarray:
    lookup = {int(v): i for i, v in enumerate(sorted_ids)}
    return np.fromiter((lookup[int(v)] for v in ids), dtype=np.int64, count=len(ids))


def _solve_packing_ref(idx, cand_unit, cand_txn, points, unit_ptr, unit_orders, chosen) -> None:
    members = [frozenset(unit_orders[unit_ptr[u]:unit_ptr[u + 1]].tolist()) for u in cand_unit[idx]]
    # best first; ties: fewer orders first, then stable candidate order
    order = sorted(range(len(idx)), key=lambda k: (-points[idx[k]], len(members[k]), idx[k]))
    if len(idx) > EXACT_LIMIT:
        used_o: set[int] = set()
        used_t: set[int] = set()
        for k in order:
            t = int(cand_txn[idx[k]])
            if t in used_t or used_o & members[k]:
                continue
            used_t.add(t)
            used_o |= members[k]
            chosen[idx[k]] = True
        return
    pts = [float(points[idx[k]]) for k in order]
    txn = [int(cand_txn[idx[k]]) for k in order]
    mem = [members[k] for k in order]
    suffix = np.concatenate([np.cumsum(pts[::-1])[::-1], [0.0]])
    best: list = [-1.0, []]

    def search(k: int, total: float, used_o: frozenset, used_t: frozenset, picked: list) -> None:
        if total > best[0] + TIE_EPS:
            best[0], best[1] = total, list(picked)
        if k == len(pts) or total + suffix[k] <= best[0] + TIE_EPS:
            return
        if txn[k] not in used_t and not (used_o & mem[k]):
            picked.append(k)
            search(k + 1, total + pts[k], used_o | mem[k], used_t | {txn[k]}, picked)
            picked.pop()
        search(k + 1, total, used_o, used_t, picked)

    search(0, 0.0, frozenset(), frozenset(), [])
    for k in best[1]:
        chosen[idx[order[k]]] = True

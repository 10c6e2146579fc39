"""Candidate pairs and a globally consistent assignment (each transaction used at most once).

Candidates come from a banded join (sorted keys + ``searchsorted``: no Python loop over rows and
no cross product).  A candidate pairs a *unit* (one order, or several orders of one checkout) with
one transaction and carries additive points.  The assignment maximises the total points:

- the candidate graph (orders and transactions as nodes) is split into connected components;
- a component with one candidate is taken as is (vectorised: the common case);
- a component of single-order units is solved exactly with ``scipy.optimize.linear_sum_assignment``;
- a component with combined-checkout units (a set-packing problem) is solved exactly by
  branch-and-bound while small (``EXACT_LIMIT`` candidates), else by best-first with conflicts
  removed (a documented fallback for pathological components only).

Equal evidence (two same-amount orders on the same day) is resolved deterministically: a tiny
tie-break prefers pairing in time order (earlier order with earlier transaction), and the tie is
reported so the explanation can say so and the user can swap the pair by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

EXACT_LIMIT = 26
TIE_EPS = 1e-9


def band_join(lo: np.ndarray, hi: np.ndarray, keys_sorted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All (i, j) with ``lo[i] <= keys_sorted[j] <= hi[i]``; ``keys_sorted`` ascending."""
    start = np.searchsorted(keys_sorted, lo, side="left")
    end = np.searchsorted(keys_sorted, hi, side="right")
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
    """Maximum-points assignment: each order and each transaction in at most one chosen candidate."""
    n = len(cand_unit)
    chosen = np.zeros(n, dtype=bool)
    tie_with = np.full(n, -1, dtype=np.int64)
    if n == 0:
        return Assignment(chosen, tie_with)
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
            _solve_bipartite(idx, cand_unit, cand_txn, points, unit_orders, unit_ptr, order_rank, txn_rank,
                             chosen, tie_with)
        else:
            _solve_packing(idx, cand_unit, cand_txn, points, unit_ptr, unit_orders, chosen)
    return Assignment(chosen, tie_with)


def _solve_bipartite(idx, cand_unit, cand_txn, points, unit_orders, unit_ptr, order_rank, txn_rank,
                     chosen, tie_with) -> None:
    orders = unit_orders[unit_ptr[cand_unit[idx]]]
    txns = cand_txn[idx]
    uo = np.unique(orders)
    ut = np.unique(txns)
    uo = uo[np.argsort(order_rank[uo], kind="stable")]
    ut = ut[np.argsort(txn_rank[ut], kind="stable")]
    ro = _positions(uo, orders)
    ct = _positions(ut, txns)
    m = np.zeros((len(uo), len(ut)))
    valid = np.zeros_like(m, dtype=bool)
    cidx = np.full(m.shape, -1, dtype=np.int64)
    m[ro, ct] = points[idx]
    valid[ro, ct] = True
    cidx[ro, ct] = idx
    fi = np.arange(len(uo))[:, None] / max(len(uo), 1)
    fj = np.arange(len(ut))[None, :] / max(len(ut), 1)
    adjusted = np.where(valid, m - 1e-6 * (fi - fj) ** 2, -1e6)
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


def _positions(sorted_ids: np.ndarray, ids: np.ndarray) -> np.ndarray:
    lookup = {int(v): i for i, v in enumerate(sorted_ids)}
    return np.fromiter((lookup[int(v)] for v in ids), dtype=np.int64, count=len(ids))


def _solve_packing(idx, cand_unit, cand_txn, points, unit_ptr, unit_orders, chosen) -> None:
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

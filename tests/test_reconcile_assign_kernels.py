"""The compiled assignment (``complaint.reconciliation.compiled.assign`` and its ``_jit_*`` modules) against what it replaced.

``assign`` used to be numpy rounds (kept below as ``_numpy_assign``, verbatim but for module
references, as the private reference); the kernels must give the same ``chosen`` and ``tie_with``
for any input, so they are held against it on random problems built to hit every path: ties,
repeated pairs, equal ranks, 1 x N groups, enumeration, the solver, forced-pair reduction (and its
sparse fallback), combined checkouts (exact search and best-first), empty input.  The solver
re-implementation (``lsa_max``) is held against scipy itself, the sorts against numpy's.
"""

from __future__ import annotations

import functools
import itertools

import numpy as np
import pytest
from scipy.optimize import linear_sum_assignment
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

import complaint.reconciliation.assign as ra
from complaint.reconciliation.compiled.groups import components
from complaint.reconciliation.compiled.lsa import lsa_max
from complaint.reconciliation.compiled.sort import float_keys, priority_order, argsort_ints


def _problem(rng, n_orders, n_txns, n_cand, combined, values, equal_ranks=False):
    """Random candidates; ``values`` None: varied points, else drawn from ``values`` (exact ties)."""
    units = [[o] for o in range(n_orders)]
    for _ in range(combined if n_orders > 1 else 0):
        units.append(sorted(rng.choice(n_orders, size=int(rng.integers(2, min(4, n_orders) + 1)), replace=False)))
    ptr = np.concatenate([[0], np.cumsum([len(u) for u in units])]).astype(np.int64)
    members = np.concatenate(units).astype(np.int64)
    cu = rng.integers(0, len(units), n_cand).astype(np.int64)
    ct = rng.integers(0, n_txns, n_cand).astype(np.int64)
    pts = 4 + 5 * rng.random(n_cand) if values is None else rng.choice(values, n_cand) - 0.25 * (np.diff(ptr)[cu] - 1)
    if equal_ranks:
        ranks = rng.integers(0, 3, n_orders), rng.integers(0, 3, n_txns)
    else:
        ranks = rng.permutation(n_orders), rng.permutation(n_txns)
    return cu, ct, pts, ptr, members, n_orders, n_txns, *ranks


def _random_problem(rng, it):
    """One of six kinds, by ``it``."""
    ties = [5.0, 6.5, 7.25, 9.0]
    kind = it % 6
    if kind == 0:  # small, mixed
        return _problem(rng, int(rng.integers(1, 9)), int(rng.integers(1, 9)), int(rng.integers(0, 30)),
                        int(rng.integers(0, 4)), ties)
    if kind == 1:  # single-order groups of every size, tied, sometimes equal ranks
        return _problem(rng, int(rng.integers(2, 40)), int(rng.integers(2, 40)), int(rng.integers(1, 150)), 0,
                        [5.0, 6.5, 9.0], equal_ranks=it % 12 == 1)
    if kind == 2:  # single-order groups, varied points
        return _problem(rng, int(rng.integers(2, 60)), int(rng.integers(2, 60)), int(rng.integers(1, 200)), 0, None)
    if kind == 3:  # combined checkouts
        return _problem(rng, int(rng.integers(2, 40)), int(rng.integers(2, 30)), int(rng.integers(1, 60)),
                        int(rng.integers(0, 10)), [5.0, 6.0, 7.0, 8.5])
    if kind == 4:  # one order (or few) against many transactions: 1 x N
        return _problem(rng, int(rng.integers(1, 4)), int(rng.integers(1, 80)), int(rng.integers(1, 60)), 0,
                        [5.0, 6.5, 9.0] if it % 2 else None)
    return _problem(rng, 300, 300, 400, int(rng.integers(0, 30)), ties if it % 2 else None)  # many groups


def _assert_same(args):
    new, old = ra.assign(*args), _numpy_assign(*args)
    assert np.array_equal(new.chosen, old.chosen)
    assert np.array_equal(new.tie_with, old.tie_with)


def test_assign_equals_the_numpy_version_on_random_problems():
    rng = np.random.default_rng(11)
    for it in range(300):
        _assert_same(_random_problem(rng, it))


@pytest.mark.parametrize(("reduce_cells", "dense_max"), [(0, 1_000_000), (0, 4), (0, 0)])
def test_forced_pair_reduction_and_its_sparse_fallback(monkeypatch, reduce_cells, dense_max):
    """Every contested group reduced first; with a tiny ``DENSE_MAX`` the pieces go back to Python."""
    monkeypatch.setattr(ra, "REDUCE_CELLS", reduce_cells)
    monkeypatch.setattr(ra, "DENSE_MAX", dense_max)
    rng = np.random.default_rng(dense_max + 3)
    for it in range(120):
        _assert_same(_random_problem(rng, it))


@pytest.mark.parametrize("exact_limit", [0, 3, 12])
def test_best_first_and_exact_search_split(monkeypatch, exact_limit):
    monkeypatch.setattr(ra, "EXACT_LIMIT", exact_limit)
    rng = np.random.default_rng(exact_limit + 17)
    for it in range(120):
        _assert_same(_random_problem(rng, it))


def test_enumeration_limit(monkeypatch):
    """A larger enumeration limit (groups up to 7 x 9) still equals the numpy enumeration."""
    monkeypatch.setattr(ra, "MAX_ENUMERATED", 200_000)
    rng = np.random.default_rng(23)
    for it in range(60):
        _assert_same(_problem(rng, int(rng.integers(2, 9)), int(rng.integers(2, 10)), int(rng.integers(2, 40)), 0,
                              [5.0, 6.5, 9.0] if it % 2 else None))


def test_large_problem_with_a_giant_checkout_group():
    """Bench-like: many small groups, combined checkouts chaining into one large best-first group."""
    rng = np.random.default_rng(29)
    _assert_same(_problem(rng, 3000, 2500, 9000, 400, None))
    _assert_same(_problem(rng, 3000, 2500, 9000, 400, [5.0, 6.5, 7.25, 9.0]))


def test_empty_and_single_candidates():
    empty = np.zeros(0, dtype=np.int64)
    res = ra.assign(empty, empty, np.zeros(0), np.array([0, 1]), np.array([0]), 1, 1, np.zeros(1, dtype=np.int64),
                    np.zeros(1, dtype=np.int64))
    assert res.chosen.shape == (0,) and res.tie_with.shape == (0,)
    _assert_same((np.array([0]), np.array([0]), np.array([5.0]), np.array([0, 1]), np.array([0]), 1, 1,
                  np.array([0]), np.array([0])))
    same_pair = (np.array([0, 0]), np.array([0, 0]), np.array([5.0, 5.0]), np.array([0, 1]), np.array([0]), 1, 1,
                 np.array([0]), np.array([0]))  # the same pair twice: the general path, its last candidate
    _assert_same(same_pair)


def test_lsa_max_equals_scipy_with_ties_and_fillers():
    rng = np.random.default_rng(31)
    for it in range(3000):
        n_r, n_c = (int(x) for x in rng.integers(1, 10, 2))
        if it % 3 == 0:
            m = rng.choice([5.0, 6.5, 7.25, 9.0], (n_r, n_c))
        elif it % 3 == 1:
            m = rng.integers(0, 3, (n_r, n_c)).astype(float)
        else:
            m = rng.random((n_r, n_c))
        m = m - 1e-6 * (np.arange(n_r)[:, None] / n_r - np.arange(n_c)[None, :] / n_c) ** 2
        m[rng.random((n_r, n_c)) < 0.4] = -1e6
        rows, cols = np.empty(min(n_r, n_c), dtype=np.int64), np.empty(min(n_r, n_c), dtype=np.int64)
        assert lsa_max(m, rows, cols) == min(n_r, n_c)
        want_r, want_c = linear_sum_assignment(m, maximize=True)
        assert np.array_equal(rows, want_r) and np.array_equal(cols, want_c)
    bad = np.array([[1.0, np.nan]])
    assert lsa_max(bad, np.empty(1, dtype=np.int64), np.empty(1, dtype=np.int64)) == -1


def test_sorts_equal_numpy():
    rng = np.random.default_rng(37)
    for it in range(300):
        n = int(rng.integers(0, 3000)) if it % 3 else int(rng.integers(0, 40))
        keys = rng.integers(-5, 5, n) if it % 2 else rng.integers(-(2**62), 2**62, n)
        assert np.array_equal(argsort_ints(keys), np.argsort(keys, kind="stable"))
        pts = rng.choice([1.0, 2.5, -0.0, 0.0, 3.25, 1e-300, -7.0, np.inf], n) + (rng.random(n) < 0.3) * rng.random(n)
        size = rng.integers(1, 5, n) if it % 2 else rng.integers(1, 9000, n)
        got = priority_order(float_keys(-pts), size)
        assert np.array_equal(got, np.lexsort((np.arange(n), size, -pts)))


def test_components_are_scipys():
    rng = np.random.default_rng(41)
    for it in range(100):
        cu, ct, _pts, ptr, members, n_o, n_t, _ro, _rt = _random_problem(rng, it)
        if not len(cu):
            continue
        first, size = ptr[cu], ptr[cu + 1] - ptr[cu]
        gptr, gmem = components(first, size, ct, members, n_o, n_t)
        group = np.empty(len(cu), dtype=np.int64)
        group[gmem] = np.repeat(np.arange(len(gptr) - 1), np.diff(gptr))
        assert all((np.diff(gmem[gptr[g]:gptr[g + 1]]) > 0).all() for g in range(len(gptr) - 1))
        pos, flat = ra.expand_csr(ptr, cu)
        graph = coo_matrix((np.ones(len(pos), dtype=np.int8), (members[flat], n_o + ct[pos])), shape=(n_o + n_t,) * 2)
        _n, labels = connected_components(graph, directed=False)
        label = labels[n_o + ct]
        pairs = np.unique(np.stack([group, label], axis=1), axis=0)  # the same partition: a bijection
        assert len(pairs) == len(np.unique(group)) == len(np.unique(label))


# -- the numpy version the kernels replaced (private reference; module names read from ``ra``) ---------


def _numpy_assign(cand_unit: np.ndarray, cand_txn: np.ndarray, points: np.ndarray, unit_ptr: np.ndarray,
           unit_orders: np.ndarray, n_orders: int, n_txns: int, order_rank: np.ndarray,
           txn_rank: np.ndarray) -> ra.Assignment:
    """Maximum-points assignment: each order and each transaction in at most one chosen candidate.

    Same result as :func:`assign_reference`, with the per-group Python work kept for the groups that
    need it: one-candidate groups and single-order groups with one side of size one (1 x N, N x 1)
    with a strict best are decided in bulk; the oversized combined-checkout groups run the same
    best-first pass in vectorised rounds; only contested groups (N x M) call
    ``linear_sum_assignment`` and only small combined-checkout groups the exact search."""
    n = len(cand_unit)
    chosen = np.zeros(n, dtype=bool)
    tie_with = np.full(n, -1, dtype=np.int64)
    if n == 0:
        return ra.Assignment(chosen, tie_with)
    cand_unit = np.asarray(cand_unit, dtype=np.int64)
    cand_txn = np.asarray(cand_txn, dtype=np.int64)
    points = np.asarray(points, dtype=np.float64)
    pos, flat = ra.expand_csr(unit_ptr, cand_unit)
    orders_of_edge = unit_orders[flat]
    txn_node = n_orders + cand_txn[pos]
    size = n_orders + n_txns
    graph = coo_matrix((np.ones(len(pos), dtype=np.int8), (orders_of_edge, txn_node)), shape=(size, size))
    _count, labels = connected_components(graph, directed=False)
    comp = labels[n_orders + cand_txn]
    per_comp = np.bincount(comp)
    single = per_comp[comp] == 1
    chosen[single] = True
    if single.all():
        return ra.Assignment(chosen, tie_with)
    sizes = np.diff(unit_ptr)
    packing_comp = np.bincount(comp, weights=(sizes[cand_unit] > 1), minlength=len(per_comp)) > 0
    multi = ~single
    packing = multi & packing_comp[comp]
    if packing.any():
        big = packing & (per_comp[comp] > ra.EXACT_LIMIT)
        if big.any():
            _best_first(np.flatnonzero(big), cand_unit, cand_txn, points, unit_ptr, unit_orders, chosen)
        small = np.flatnonzero(packing & ~big)
        small = small[np.argsort(comp[small], kind="stable")]
        for idx in np.split(small, np.flatnonzero(np.diff(comp[small])) + 1) if len(small) else ():
            _solve_packing(idx, cand_unit, cand_txn, points, unit_ptr, unit_orders, chosen)
    bip = np.flatnonzero(multi & ~packing)
    if len(bip):
        _solve_bipartite_all(bip, comp, unit_orders[unit_ptr[cand_unit[bip]]], cand_txn[bip], points,
                             order_rank, txn_rank, chosen, tie_with)
    return ra.Assignment(chosen, tie_with)


def _dense_within(comp: np.ndarray, key: np.ndarray) -> np.ndarray:
    """For rows sorted by (comp, key): 0, 1, ... per distinct key, restarting at each comp."""
    new_comp = np.concatenate([[True], comp[1:] != comp[:-1]])
    new_key = new_comp | np.concatenate([[True], key[1:] != key[:-1]])
    run = np.cumsum(new_key) - 1
    return run - run[np.flatnonzero(new_comp)][np.cumsum(new_comp) - 1]


def _solve_bipartite_all(idx, comp_all, orders, txns, points, order_rank, txn_rank, chosen, tie_with) -> None:
    """All single-order groups at once; the matrix of a group is the one the reference builds."""
    comp = comp_all[idx]
    # row = place of the order among the group's orders by rank; col = same for transactions
    srt = np.lexsort((orders, order_rank[orders], comp))
    row = np.empty(len(idx), dtype=np.int64)
    row[srt] = _dense_within(comp[srt], orders[srt])
    srt = np.lexsort((txns, txn_rank[txns], comp))
    col = np.empty(len(idx), dtype=np.int64)
    col[srt] = _dense_within(comp[srt], txns[srt])
    n_comp = int(comp.max()) + 1
    n_rows = np.zeros(n_comp, dtype=np.int64)
    n_cols = np.zeros(n_comp, dtype=np.int64)
    np.maximum.at(n_rows, comp, row + 1)
    np.maximum.at(n_cols, comp, col + 1)
    cells = np.stack([comp, row, col], axis=1)
    dup_cell = np.zeros(n_comp, dtype=bool)
    uniq_cells, counts = np.unique(cells, axis=0, return_counts=True)
    dup_cell[uniq_cells[counts > 1, 0]] = True  # the same pair twice: leave it to the general path
    pts = points[idx]
    fi = row / np.maximum(n_rows[comp], 1)
    fj = col / np.maximum(n_cols[comp], 1)
    adjusted = pts - 1e-6 * (fi - fj) ** 2
    line = ((n_rows[comp] == 1) | (n_cols[comp] == 1)) & ~dup_cell[comp]
    general = ~line
    if line.any():
        li = np.flatnonzero(line)
        order = li[np.lexsort((-adjusted[li], comp[li]))]  # best first within each group
        c_s, a_s = comp[order], adjusted[order]
        first = np.concatenate([[True], c_s[1:] != c_s[:-1]])
        eq_next = np.zeros(len(order), dtype=bool)
        eq_next[:-1] = ~first[1:] & (a_s[1:] == a_s[:-1])
        tied_comp = np.unique(c_s[first & eq_next])  # no strict best: the general path decides
        best = order[first & ~np.isin(c_s, tied_comp)]
        chosen[idx[best]] = True
        general |= np.isin(comp, tied_comp)
    gi = np.flatnonzero(general)
    if not len(gi):
        return
    gi = gi[np.argsort(comp[gi], kind="stable")]
    gi = _solve_small_groups(gi, comp, row, col, n_rows, n_cols, dup_cell, pts, idx, chosen, tie_with)
    for part in np.split(gi, np.flatnonzero(np.diff(comp[gi])) + 1) if len(gi) else ():
        c = comp[part[0]]
        shape = (int(n_rows[c]), int(n_cols[c]))
        cell = row[part] * shape[1] + col[part]
        by_cell = np.argsort(cell, kind="stable")
        cells = cell[by_cell]

        def lookup(r, k, cells=cells, by_cell=by_cell, part=part, width=shape[1]):
            """(valid, points, candidate) at cells (r, k); a repeated pair: its last candidate."""
            key = np.asarray(r) * width + np.asarray(k)
            at = np.searchsorted(cells, key, side="right") - 1
            ok = (at >= 0) & (cells[np.maximum(at, 0)] == key)
            cand = part[by_cell[np.maximum(at, 0)]]
            return ok, np.where(ok, pts[cand], 0.0), np.where(ok, idx[cand], -1)

        if shape[0] * shape[1] > ra.REDUCE_CELLS and not dup_cell[c]:
            rows, cols = ra._solve_reduced(row[part], col[part], adjusted[part], shape)
            keep, _p, cand = lookup(rows, cols)
        else:
            adj = np.full(shape, -1e6)
            adj[row[part], col[part]] = adjusted[part]  # the reference's matrix, cell by cell
            rows, cols = linear_sum_assignment(adj, maximize=True)
            keep, _p, cand = lookup(rows, cols)
            rows, cols = rows[keep], cols[keep]
        chosen[cand[keep]] = True
        if 1 < len(rows) <= 60:
            ok, cross, _c = lookup(rows[:, None], cols[None, :])  # cross[a, b] = m[r_a, c_b]
            own = np.diagonal(cross)
            gap = own[:, None] + own[None, :] - cross - cross.T
            hit = ok & ok.T & (np.abs(gap) < ra.TIE_EPS)
            np.fill_diagonal(hit, False)
            has = hit.any(axis=1)
            partner = np.argmax(hit, axis=1)
            a = np.flatnonzero(has)
            own_c = cand[keep]
            tie_with[own_c[a]] = own_c[partner[a]]


@functools.cache
def _injections(k: int, n: int) -> np.ndarray:
    """Every injective map of ``k`` slots into ``n`` places, one per row."""
    return np.array(list(itertools.permutations(range(n), k)), dtype=np.int64).reshape(-1, k)


def _solve_small_groups(gi, comp, row, col, n_rows, n_cols, dup_cell, pts, idx, chosen, tie_with) -> np.ndarray:
    """Small contested groups (up to ``ra.MAX_ENUMERATED`` assignments) without a Python call each: the
    assignment maximising the same adjusted matrix the solver gets, by enumerating all of them, for
    every group of one shape at once.  A group whose best is not ahead of the next by ``ra.SURE_MARGIN`` is returned (with the
    groups too large to enumerate) for ``linear_sum_assignment``; so is one with a repeated pair."""
    c = comp[gi]
    k_all, l_all = n_rows[c], n_cols[c]
    lo, hi = np.minimum(k_all, l_all), np.maximum(k_all, l_all)
    count = np.ones(len(gi))  # hi! / (hi - lo)!: the number of assignments (7 sides give 8! > the limit)
    for j in range(min(int(lo.max()), 7) if len(lo) else 0):
        count = np.minimum(count * np.where(j < lo, hi - j, 1), ra.MAX_ENUMERATED + 1)
    small = (lo <= 7) & (count <= ra.MAX_ENUMERATED) & ~dup_cell[c]
    rest = [gi[~small]]
    sel = gi[small]
    if not len(sel):
        return gi
    shapes = n_rows[comp[sel]] * 64 + n_cols[comp[sel]]
    for shape in np.unique(shapes):
        part = sel[shapes == shape]
        k, l_ = int(shape // 64), int(shape % 64)
        groups, g = np.unique(comp[part], return_inverse=True)
        n_g = len(groups)
        m = np.zeros((n_g, k, l_))
        valid = np.zeros((n_g, k, l_), dtype=bool)
        cidx = np.full((n_g, k, l_), -1, dtype=np.int64)
        r, q = row[part], col[part]
        m[g, r, q] = pts[part]
        valid[g, r, q] = True
        cidx[g, r, q] = idx[part]
        fi = np.arange(k)[:, None] / max(k, 1)
        fj = np.arange(l_)[None, :] / max(l_, 1)
        adj = np.where(valid, m - 1e-6 * (fi - fj) ** 2, -1e6)
        if k <= l_:
            maps = _injections(k, l_)  # row r -> column maps[:, r]
            total = sum(adj[:, r, maps[:, r]] for r in range(k))
        else:
            maps = _injections(l_, k)  # column q -> row maps[:, q]
            total = sum(adj[:, maps[:, q], q] for q in range(l_))
        order = np.argsort(-total, axis=1, kind="stable")
        best = order[:, 0]
        first = total[np.arange(n_g), best]
        second = total[np.arange(n_g), order[:, 1]] if total.shape[1] > 1 else np.full(n_g, -np.inf)
        sure = first - second > ra.SURE_MARGIN
        if not sure.all():
            rest.append(part[~sure[g]])
        gs = np.flatnonzero(sure)
        if not len(gs):
            continue
        if k <= l_:
            rows = np.broadcast_to(np.arange(k), (len(gs), k))
            cols = maps[best[gs]]
        else:
            cols = np.broadcast_to(np.arange(l_), (len(gs), l_))
            rows = maps[best[gs]]
            by_row = np.argsort(rows, axis=1)  # the solver lists its pairs by row
            rows = np.take_along_axis(rows, by_row, axis=1)
            cols = np.take_along_axis(cols, by_row, axis=1)
        gg = gs[:, None]
        keep = valid[gg, rows, cols]
        chosen[cidx[gg, rows, cols][keep]] = True
        n_kept = keep.sum(axis=1)
        # equal evidence: the first other kept pair (by row) whose swap scores the same
        slots = rows.shape[1]
        found = np.zeros((len(gs), slots), dtype=bool)
        for a in range(slots):
            for b in range(slots):
                if a == b:
                    continue
                r1, c1, r2, c2 = rows[:, a], cols[:, a], rows[:, b], cols[:, b]
                g1 = gs
                hit = (keep[:, a] & keep[:, b] & ~found[:, a] & (n_kept > 1) & (n_kept <= 60)
                       & valid[g1, r1, c2] & valid[g1, r2, c1]
                       & (np.abs(m[g1, r1, c1] + m[g1, r2, c2] - m[g1, r1, c2] - m[g1, r2, c1]) < ra.TIE_EPS))
                tie_with[cidx[g1[hit], r1[hit], c1[hit]]] = cidx[g1[hit], r2[hit], c2[hit]]
                found[hit, a] = True
    out = np.concatenate(rest)
    return out[np.argsort(comp[out], kind="stable")]


def _best_first(idx, cand_unit, cand_txn, points, unit_ptr, unit_orders, chosen) -> None:
    """The reference's best-first pass (by points, then fewer orders, then candidate order; skip a
    candidate whose transaction or an order is taken) in vectorised rounds.

    A candidate is taken by the sequential pass exactly when no earlier candidate sharing a node with
    it is taken, so each round takes every candidate that comes first on all its nodes among those
    still open, then closes the candidates touching what was taken: the same set, without a loop."""
    sizes = np.diff(unit_ptr)[cand_unit[idx]]
    order = np.lexsort((idx, sizes, -points[idx]))
    prio = np.empty(len(idx), dtype=np.int64)
    prio[order] = np.arange(len(idx))
    pos, flat = ra.expand_csr(unit_ptr, cand_unit[idx])
    n_orders = int(unit_orders.max()) + 1 if len(unit_orders) else 0
    node = np.concatenate([unit_orders[flat], n_orders + cand_txn[idx]])
    owner = np.concatenate([pos, np.arange(len(idx), dtype=np.int64)])
    node_ids, node = np.unique(node, return_inverse=True)
    n_nodes = len(node_ids)
    open_ = np.ones(len(idx), dtype=bool)
    big = np.iinfo(np.int64).max
    while open_.any():
        live = open_[owner]
        best = np.full(n_nodes, big, dtype=np.int64)
        np.minimum.at(best, node[live], prio[owner[live]])
        first_everywhere = np.ones(len(idx), dtype=bool)
        lose = live & (best[node] != prio[owner])
        first_everywhere[owner[lose]] = False
        take = open_ & first_everywhere
        chosen[idx[take]] = True
        taken_node = np.zeros(n_nodes, dtype=bool)
        taken_node[node[take[owner]]] = True
        touched = np.zeros(len(idx), dtype=bool)
        touched[owner[taken_node[node]]] = True
        open_ &= ~touched


def _solve_packing(idx, cand_unit, cand_txn, points, unit_ptr, unit_orders, chosen) -> None:
    """:func:`_solve_packing_ref`'s exact search (same order, same bound, same ties) on bit masks."""
    units = cand_unit[idx]
    order = sorted(range(len(idx)), key=lambda k: (-points[idx[k]], int(unit_ptr[units[k] + 1] - unit_ptr[units[k]]),
                                                   idx[k]))
    bit_of_order: dict[int, int] = {}
    bit_of_txn: dict[int, int] = {}
    pts, tmask, omask = [], [], []
    for k in order:
        mask = 0
        for o in unit_orders[unit_ptr[units[k]]:unit_ptr[units[k] + 1]].tolist():
            mask |= 1 << bit_of_order.setdefault(o, len(bit_of_order))
        omask.append(mask)
        tmask.append(1 << bit_of_txn.setdefault(int(cand_txn[idx[k]]), len(bit_of_txn)))
        pts.append(float(points[idx[k]]))
    n = len(pts)
    # bound of what candidates k.. can still add: each transaction once, at its best (first) points;
    # never below the true best of the subtree, so it cuts only subtrees the reference finds nothing in
    bound = [0.0] * (n + 1)
    firsts: list[list[tuple[int, float]]] = [[] for _ in range(n + 1)]
    for k in range(n - 1, -1, -1):
        seen, total = 0, 0.0
        for j in range(k, n):
            if not seen & tmask[j]:
                seen |= tmask[j]
                total += max(pts[j], 0.0)
                firsts[k].append((tmask[j], max(pts[j], 0.0)))
        bound[k] = total + 1e-6
    suffix = bound
    best_total = -1.0
    best_pick: list[int] = []
    picked: list[int] = []

    def search(k: int, total: float, used_o: int, used_t: int) -> None:
        nonlocal best_total, best_pick
        if total > best_total + ra.TIE_EPS:
            best_total, best_pick = total, list(picked)
        if k == n or total + suffix[k] <= best_total + ra.TIE_EPS:
            return
        if used_t and total + sum(p for m, p in firsts[k] if not used_t & m) + 1e-6 <= best_total + ra.TIE_EPS:
            return  # the transactions still free cannot lift the total above the best
        if not (used_t & tmask[k]) and not (used_o & omask[k]):
            picked.append(k)
            search(k + 1, total + pts[k], used_o | omask[k], used_t | tmask[k])
            picked.pop()
        search(k + 1, total, used_o, used_t)

    search(0, 0.0, 0, 0)
    for k in best_pick:
        chosen[idx[order[k]]] = True

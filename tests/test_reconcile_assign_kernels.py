"""The compiled assignment (:func:`complaint.reconciliation.assign.assign`, kernels in
``complaint.reconciliation.compiled``) against the numpy path the engine takes without them.

``assign_reference`` is what ``reconcile_frames(..., compiled=False)`` runs: one Python call per
connected group, ``scipy.optimize.linear_sum_assignment`` on the group's whole matrix, the exact
search or best-first for combined checkouts.  The kernels must give the same ``chosen`` and
``tie_with`` for any input, so they are held against it on random problems built to hit every path
of the kernels: ties (equal points, equal time ranks), repeated pairs, 1 x N groups, enumeration,
the solver, forced-pair reduction and its sparse fallback (the reference never reduces: the
solver's optimum on the whole matrix is the oracle), combined checkouts (exact search and
best-first), empty input.  The solver re-implementation (``lsa_max``) is held against scipy itself,
the sorts against numpy's, the groups against scipy's connected components.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import linear_sum_assignment
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

import complaint.reconciliation.assign as ra
from complaint.reconciliation.compiled.groups import components
from complaint.reconciliation.compiled.lsa import lsa_max
from complaint.reconciliation.compiled.sort import argsort_ints, float_keys, priority_order


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


def _tied_problem(rng, it):
    """Every candidate on the same points (a combined unit 0.25 less per extra order), and every
    order and transaction on one of three time ranks in half of them: only the tie-breaks decide."""
    return _problem(rng, int(rng.integers(2, 30)), int(rng.integers(2, 30)), int(rng.integers(1, 120)),
                    int(rng.integers(0, 6)) if it % 3 == 0 else 0, [7.0], equal_ranks=it % 2 == 0)


def _assert_same(args):
    fast, numpy_path = ra.assign(*args), ra.assign_reference(*args)
    assert np.array_equal(fast.chosen, numpy_path.chosen)
    assert np.array_equal(fast.tie_with, numpy_path.tie_with)


def test_assign_equals_the_numpy_path_on_random_problems():
    rng = np.random.default_rng(11)
    for it in range(300):
        _assert_same(_random_problem(rng, it))


def test_assign_equals_the_numpy_path_when_everything_ties():
    rng = np.random.default_rng(5)
    for it in range(300):
        _assert_same(_tied_problem(rng, it))


def test_the_problems_reach_every_kind_of_group():
    """The random problems above do hold what the equality is about: contested single-order groups
    (1 x N and N x M, tied and not), combined-checkout groups small and large, ties reported."""
    rng = np.random.default_rng(11)
    problems = [_random_problem(rng, it) for it in range(300)]
    rng = np.random.default_rng(5)
    problems += [_tied_problem(rng, it) for it in range(300)]
    kinds = {"1 x N": 0, "N x M": 0, "N x M tied": 0, "packing": 0, "packing > EXACT_LIMIT": 0}
    reported_ties = 0
    for cu, ct, pts, ptr, members, n_o, n_t, o_rank, t_rank in problems:
        if not len(cu):
            continue
        reported_ties += int((ra.assign_reference(cu, ct, pts, ptr, members, n_o, n_t, o_rank, t_rank).tie_with >= 0).sum())
        pos, flat = ra.expand_csr(ptr, cu)
        graph = coo_matrix((np.ones(len(pos), dtype=np.int8), (members[flat], n_o + ct[pos])), shape=(n_o + n_t,) * 2)
        label = connected_components(graph, directed=False)[1][n_o + ct]
        for g in np.unique(label):
            idx = np.flatnonzero(label == g)
            if len(idx) < 2:
                continue
            if (np.diff(ptr)[cu[idx]] > 1).any():
                kinds["packing > EXACT_LIMIT" if len(idx) > ra.EXACT_LIMIT else "packing"] += 1
            elif min(len(np.unique(members[ptr[cu[idx]]])), len(np.unique(ct[idx]))) == 1:
                kinds["1 x N"] += 1
            else:
                kinds["N x M tied" if len(np.unique(pts[idx])) < len(idx) else "N x M"] += 1
    assert min(kinds.values()) >= 20, kinds
    assert reported_ties >= 500


@pytest.mark.parametrize(("reduce_cells", "dense_max"), [(0, 1_000_000), (0, 4), (0, 0)])
def test_forced_pair_reduction_and_its_sparse_fallback(monkeypatch, reduce_cells, dense_max):
    """Every contested group reduced first; with a tiny ``DENSE_MAX`` the pieces go back to Python
    (the sparse solver).  The numpy path solves the whole matrix: the same optimum, the same ties."""
    monkeypatch.setattr(ra, "REDUCE_CELLS", reduce_cells)
    monkeypatch.setattr(ra, "DENSE_MAX", dense_max)
    rng = np.random.default_rng(dense_max + 3)
    for it in range(120):
        _assert_same(_random_problem(rng, it))
    for it in range(120):
        _assert_same(_tied_problem(rng, it))


@pytest.mark.parametrize("exact_limit", [0, 3, 12])
def test_best_first_and_exact_search_split(monkeypatch, exact_limit):
    """Combined-checkout groups above ``EXACT_LIMIT`` candidates take best-first, on both paths."""
    monkeypatch.setattr(ra, "EXACT_LIMIT", exact_limit)
    rng = np.random.default_rng(exact_limit + 17)
    for it in range(120):
        _assert_same(_random_problem(rng, it))


def test_enumeration_limit(monkeypatch):
    """A larger enumeration limit (groups up to 7 x 9) still gives the solver's assignment."""
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

"""Compiled single-order groups of the assignment: :func:`solve_bipartite` and its helpers.

Each group gets the assignment ``scipy.optimize.linear_sum_assignment`` finds on its whole matrix
(what :func:`complaint.reconciliation.assign.assign_reference` computes), reached by: the 1 x N rule (a
strict best), every assignment enumerated (:func:`_enumerate`), forced pairs first for a large
matrix (:func:`_reduced`), else the solver (:func:`complaint.reconciliation.compiled.lsa.lsa_max`) on the whole matrix;
:func:`take_pairs` finishes a group the caller solved (a deferred one).  Called by
:func:`complaint.reconciliation.compiled.assign.solve`; split from :mod:`complaint.reconciliation.compiled.assign`.
"""

from __future__ import annotations

import numpy as np

from .groups import find_root, group_by
from .kernel import kernel
from .lsa import lsa_max
from .sort import argsort_ints, lexsort2

FILLER = -1e6  # the value of a matrix cell without a candidate (the reference's matrix)


@kernel
def solve_bipartite(groups, ptr, members, orders, cand_txn, points, order_rank, txn_rank, chosen, tie_with, row,
                    col, adjusted, limits, tie_eps, sure_margin):
    """Every single-order group in ``groups`` (CSR ``ptr``/``members``; ``orders``: each candidate's
    order), each as ``_solve_bipartite_all`` decides it; ``limits`` as :func:`solve`'s.  Returns the
    groups left to the caller: a forced-pair reduction with a residual piece above ``DENSE_MAX`` (the
    sparse solver's), their matrix places and adjusted points written to ``row``, ``col``, ``adjusted``."""
    deferred = np.empty(len(groups), dtype=np.int64)
    n_deferred = 0
    for g in groups:
        cands = members[ptr[g]:ptr[g + 1]]
        if not _solve_group(cands, orders[cands], cand_txn[cands], points[cands], order_rank, txn_rank, chosen,
                            tie_with, row, col, adjusted, limits, tie_eps, sure_margin):
            deferred[n_deferred] = g
            n_deferred += 1
    return deferred[:n_deferred]


@kernel
def _dense_ids(rank, ids):
    """Matrix place of each candidate: 0, 1, ... per distinct id in (rank, id) order; and their count."""
    n = len(ids)
    out = np.empty(n, dtype=np.int64)
    if n == 0:
        return out, 0
    r_lo, i_lo = rank.min(), ids.min()
    r_span, i_span = rank.max() - r_lo + 1, ids.max() - i_lo + 1
    if n > 32 and 0 < r_span < (1 << 62) // max(i_span, 1) and i_span > 0:  # one key (equal keys: one id)
        order = np.argsort((rank - r_lo) * i_span + (ids - i_lo))
    else:
        order = lexsort2(rank, ids)
    d = -1
    for p in range(n):
        if p == 0 or ids[order[p]] != ids[order[p - 1]]:
            d += 1
        out[order[p]] = d
    return out, d + 1


DENSE_CELLS = 1 << 14  # a group matrix up to this many cells gets a dense cell -> candidate table


@kernel
def _solve_group(cands, orders, txns, pts, order_rank, txn_rank, chosen, tie_with, row, col, adjusted, limits,
                 tie_eps, sure_margin):
    """One single-order group; False when left to the caller (see :func:`solve_bipartite`).

    The matrix is the reference's: rows the group's orders by rank, columns its transactions by rank,
    points less 1e-6 x (relative row - relative column)^2, -1e6 where there is no candidate (a
    repeated pair: its last candidate).  Decided by the first rule that applies: one row or column
    with a strict best; every assignment enumerated with the best ahead by ``sure_margin``; forced
    pairs first for a large matrix; else the solver on the whole matrix."""
    n = len(cands)
    r, n_r = _dense_ids(order_rank[orders], orders)
    q, n_c = _dense_ids(txn_rank[txns], txns)
    adj = np.empty(n)
    for p in range(n):
        d = r[p] / max(n_r, 1) - q[p] / max(n_c, 1)
        adj[p] = pts[p] - 1e-6 * (d * d)
    lo, hi = min(n_r, n_c), max(n_r, n_c)
    count = 1
    for j in range(lo):
        count = min(count * (hi - j), limits[1] + 1)
    enumerable = lo <= 7 and count <= limits[1]
    cell, keys, by_key, dup = _cell_index(r, q, n_r, n_c, enumerable)
    if (n_r == 1 or n_c == 1) and not dup:
        best = 0
        for p in range(1, n):
            if adj[p] > adj[best]:
                best = p
        tied = False
        for p in range(n):
            if p != best and adj[p] == adj[best]:
                tied = True
        if not tied:
            chosen[cands[best]] = True
            return True
    pair_r = np.empty(min(n_r, n_c), dtype=np.int64)
    pair_c = np.empty(min(n_r, n_c), dtype=np.int64)
    if enumerable and not dup:
        n_pairs = _enumerate(cell, adj, pair_r, pair_c, sure_margin)
        if n_pairs >= 0:
            _take_pairs(pair_r, pair_c, n_pairs, r, q, cell, keys, by_key, n_r, n_c, pts, cands, chosen, tie_with,
                        tie_eps)
            return True
    if n_r * n_c > limits[0] and not dup:
        n_pairs = _reduced(r, q, adj, n_r, n_c, pair_r, pair_c, limits[2], sure_margin)
        if n_pairs < 0:
            for p in range(n):
                row[cands[p]] = r[p]
                col[cands[p]] = q[p]
                adjusted[cands[p]] = adj[p]
            return False
    else:
        m = np.full((n_r, n_c), FILLER)
        for p in range(n):
            m[r[p], q[p]] = adj[p]
        n_pairs = _checked(lsa_max(m, pair_r, pair_c))
    _take_pairs(pair_r, pair_c, n_pairs, r, q, cell, keys, by_key, n_r, n_c, pts, cands, chosen, tie_with,
                        tie_eps)
    return True


@kernel
def _cell_index(r, q, n_r, n_c, dense):
    """Cell -> candidate (group position; a repeated pair: its last): a dense table for a small matrix
    (or when ``dense``), else the sorted cell keys; and whether a pair repeats."""
    n = len(r)
    dup = False
    if dense or n_r * n_c <= DENSE_CELLS:
        cell = np.full((n_r, n_c), -1, dtype=np.int64)
        for p in range(n):
            dup |= cell[r[p], q[p]] >= 0
            cell[r[p], q[p]] = p
        return cell, np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64), dup
    keys = r * n_c + q
    by_key = argsort_ints(keys)
    keys = keys[by_key]
    for p in range(1, n):
        dup |= keys[p] == keys[p - 1]
    return np.empty((0, 0), dtype=np.int64), keys, by_key, dup


@kernel
def _checked(n_pairs):
    """The solver's pair count; its error, as scipy raises it."""
    if n_pairs < 0:
        raise ValueError("matrix contains invalid numeric entries")
    return n_pairs


@kernel
def _at(cell, keys, by_key, n_c, i, j):
    """The candidate (group position) at cell (i, j) (see :func:`_cell_index`); -1 if none."""
    if cell.shape[0]:
        return cell[i, j]
    key = i * n_c + j
    at = np.searchsorted(keys, key, side="right") - 1
    if at >= 0 and keys[at] == key:
        return by_key[at]
    return -1


@kernel
def _take_pairs(pair_r, pair_c, n_pairs, r, q, cell, keys, by_key, n_r, n_c, pts, cands, chosen, tie_with, tie_eps):
    """Choose the candidates at the solver's pairs (by row; cells without one are no pair) and report
    equal evidence: per pair, the first other pair whose swap scores the same (groups up to 60 pairs).
    The other pairs worth a look are those whose column has a candidate in this pair's row."""
    own = np.empty(n_pairs, dtype=np.int64)
    k = 0
    for a in range(n_pairs):
        p = _at(cell, keys, by_key, n_c, pair_r[a], pair_c[a])
        if p >= 0:
            pair_r[k], pair_c[k], own[k] = pair_r[a], pair_c[a], p
            chosen[cands[p]] = True
            k += 1
    if k <= 1 or k > 60:
        return
    pair_of_col = np.full(n_c, -1, dtype=np.int64)
    for a in range(k):
        pair_of_col[pair_c[a]] = a
    row_ptr, by_row = group_by(r, n_r)  # the group's candidates by row
    for a in range(k):
        partner = k
        for t in range(row_ptr[pair_r[a]], row_ptr[pair_r[a] + 1]):
            b = pair_of_col[q[by_row[t]]]
            if b < 0 or b == a or b >= partner:
                continue
            y = _at(cell, keys, by_key, n_c, pair_r[b], pair_c[a])
            if y < 0:
                continue
            x = _at(cell, keys, by_key, n_c, pair_r[a], pair_c[b])
            if abs(pts[own[a]] + pts[own[b]] - pts[x] - pts[y]) < tie_eps:
                partner = b
        if partner < k:
            tie_with[cands[own[a]]] = cands[own[partner]]


@kernel
def _enumerate(cell, adj, pair_r, pair_c, sure_margin):
    """``_solve_small_groups``: every assignment of the smaller side into the larger, in
    ``itertools.permutations`` order, totals summed slot by slot; the first best taken when it beats
    every other by ``sure_margin``: its pairs by row; else -1.

    Only the best and the runner-up matter, so a branch whose bound (its partial total plus each
    remaining slot's best cell) is below the runner-up so far by more than float rounding can reach
    is skipped: its assignments can be neither."""
    n_r, n_c = cell.shape
    wide = n_r <= n_c
    slots, items = (n_r, n_c) if wide else (n_c, n_r)
    m = np.full((slots, items), FILLER)  # m[slot, item]
    size = 0.0
    for i in range(n_r):
        for j in range(n_c):
            if cell[i, j] >= 0:
                v = adj[cell[i, j]]
                if wide:
                    m[i, j] = v
                else:
                    m[j, i] = v
    for s in range(slots):
        for x in range(items):
            size += abs(m[s, x])
    slack = 1e-6 + 1e-12 * size  # far above the rounding of any sum of these cells
    rest = np.zeros(slots + 1)  # rest[s]: the slots s.. at their best cells
    for s in range(slots - 1, -1, -1):
        rest[s] = rest[s + 1] + m[s].max()
    choice = np.full(slots, -1, dtype=np.int64)
    best = np.empty(slots, dtype=np.int64)
    used = np.zeros(items, dtype=np.bool_)
    partial = np.zeros(slots + 1)
    top, second = -np.inf, -np.inf
    s = 0
    while s >= 0:
        if choice[s] >= 0:
            used[choice[s]] = False
        x = choice[s] + 1
        while x < items and used[x]:
            x += 1
        if x == items:
            choice[s] = -1
            s -= 1
            continue
        choice[s] = x
        used[x] = True
        partial[s + 1] = partial[s] + m[s, x]
        if s + 1 < slots:
            if partial[s + 1] + rest[s + 1] + slack < second:
                continue  # nothing below can reach the runner-up
            s += 1
            continue
        total = partial[slots]
        if total > top:
            second = top
            top = total
            best[:] = choice
        elif total > second:
            second = total
    if not top - second > sure_margin:
        return -1
    if wide:
        for s in range(slots):
            pair_r[s], pair_c[s] = s, best[s]
    else:
        by = np.argsort(best)
        for s in range(slots):
            pair_r[s], pair_c[s] = best[by[s]], by[s]
    return slots


@kernel
def _reduced(r, q, w, n_r, n_c, pair_r, pair_c, dense_max, sure_margin):
    """``_solve_reduced``: pairs in every optimum taken in rounds (alone in their row and ahead of their
    column by ``sure_margin``, or the same transposed), each residual piece solved on its own matrix.
    The pairs by row and their count; -1 when a piece exceeds ``dense_max`` cells (the caller's)."""
    n = len(r)
    alive = np.ones(n, dtype=np.bool_)
    forced = np.zeros(n, dtype=np.bool_)
    deg_r = np.zeros(n_r, dtype=np.int64)
    deg_c = np.zeros(n_c, dtype=np.int64)
    top_r, second_r = np.empty(n_r), np.empty(n_r)
    top_c, second_c = np.empty(n_c), np.empty(n_c)
    dead_r = np.zeros(n_r, dtype=np.bool_)
    dead_c = np.zeros(n_c, dtype=np.bool_)
    take = np.empty(n, dtype=np.int64)
    while True:
        deg_r[:] = 0
        deg_c[:] = 0
        top_r[:] = -np.inf
        second_r[:] = -np.inf
        top_c[:] = -np.inf
        second_c[:] = -np.inf
        for p in range(n):
            if alive[p]:
                deg_r[r[p]] += 1
                deg_c[q[p]] += 1
                _push_top(top_r, second_r, r[p], w[p])
                _push_top(top_c, second_c, q[p], w[p])
        n_take = 0
        for p in range(n):
            a, b = r[p], q[p]
            if alive[p] and ((deg_r[a] == 1 and w[p] == top_c[b] and w[p] - second_c[b] > sure_margin)
                             or (deg_c[b] == 1 and w[p] == top_r[a] and w[p] - second_r[a] > sure_margin)):
                take[n_take] = p
                n_take += 1
        if n_take == 0:
            break
        for t in range(n_take):
            forced[take[t]] = True
            dead_r[r[take[t]]] = True
            dead_c[q[take[t]]] = True
        for p in range(n):
            if dead_r[r[p]] or dead_c[q[p]]:
                alive[p] = False
    k = 0
    for p in range(n):
        if forced[p]:
            pair_r[k], pair_c[k] = r[p], q[p]
            k += 1
    # residual pieces: connected parts of the pairs still alive
    parent = np.arange(n_r + n_c)
    for p in range(n):
        if alive[p]:
            a, b = find_root(parent, r[p]), find_root(parent, n_r + q[p])
            if a != b:
                parent[a] = b
    root = np.empty(n, dtype=np.int64)
    for p in range(n):
        root[p] = find_root(parent, r[p]) if alive[p] else -1
    by_piece = argsort_ints(root)
    local_r = np.full(n_r, -1, dtype=np.int64)
    local_c = np.full(n_c, -1, dtype=np.int64)
    start = 0
    while start < n:
        if root[by_piece[start]] < 0:
            start += 1
            continue
        end = start
        while end < n and root[by_piece[end]] == root[by_piece[start]]:
            end += 1
        piece = by_piece[start:end]
        start = end
        if len(piece) == 1:
            pair_r[k], pair_c[k] = r[piece[0]], q[piece[0]]
            k += 1
            continue
        ur = np.unique(r[piece])
        uc = np.unique(q[piece])
        if len(ur) * len(uc) > dense_max:
            return -1
        for i in range(len(ur)):
            local_r[ur[i]] = i
        for j in range(len(uc)):
            local_c[uc[j]] = j
        m = np.full((len(ur), len(uc)), FILLER)
        for p in piece:
            m[local_r[r[p]], local_c[q[p]]] = w[p]
        pr = np.empty(min(len(ur), len(uc)), dtype=np.int64)
        pc = np.empty_like(pr)
        for t in range(_checked(lsa_max(m, pr, pc))):
            if m[pr[t], pc[t]] > FILLER:
                pair_r[k], pair_c[k] = ur[pr[t]], uc[pc[t]]
                k += 1
    by_row = np.argsort(pair_r[:k])
    rows, cols = pair_r[:k][by_row], pair_c[:k][by_row]
    pair_r[:k] = rows
    pair_c[:k] = cols
    return k


@kernel
def _push_top(top, second, g, w):
    """Keep the best and second best weight of group ``g`` (``_top_two``: a repeated best is also second)."""
    if w > top[g]:
        second[g] = top[g]
        top[g] = w
    elif w > second[g]:
        second[g] = w


@kernel
def take_pairs(cands, r, q, points, n_c, pair_r, pair_c, chosen, tie_with, tie_eps):
    """:func:`_take_pairs` for a group solved by the caller (a deferred one)."""
    keys = r * n_c + q
    by_key = argsort_ints(keys)
    _take_pairs(pair_r.copy(), pair_c.copy(), len(pair_r), r, q, np.empty((0, 0), dtype=np.int64), keys[by_key],
                by_key, r.max() + 1, n_c, points[cands], cands, chosen, tie_with, tie_eps)

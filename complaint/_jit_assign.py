"""Compiled kernels of :func:`complaint.reconcile_assign.assign`: one pass per group instead of numpy rounds.

Every kernel repeats, step for step, what the numpy version it replaces computes (same sort orders,
same float operations in the same order), so the assignment is the same bit for bit:

- :func:`components`: the connected groups (union-find over orders and transactions);
- :func:`best_first`: the greedy pass of oversized combined-checkout groups (one sort, one pass);
- :func:`solve_packing`: the exact branch-and-bound of small combined-checkout groups;
- :func:`solve_bipartite`: every single-order group (1 x N rule, enumeration, forced pairs, solver);
- :func:`lsa_max`: ``scipy.optimize.linear_sum_assignment(m, maximize=True)`` re-done operation by
  operation (Crouse's shortest augmenting path, as scipy implements it), so equal optima resolve
  the same way (``tests/test_reconcile_assign_kernels.py`` holds it against scipy).

Imported lazily by :mod:`complaint.reconcile_assign` (importing the engine does not import numba).
"""

from __future__ import annotations

import numpy as np

from .jit import kernel

FILLER = -1e6  # the value of a matrix cell without a candidate (the reference's matrix)


# -- the whole assignment ----------------------------------------------------------------------------


@kernel
def solve(cand_unit, cand_txn, points, unit_ptr, unit_orders, n_orders, n_txns, order_rank, txn_rank, chosen,
          tie_with, row, col, adjusted, limits, tie_eps, sure_margin):
    """``assign``'s groups, each solved as the numpy version solves it; ``limits`` = (REDUCE_CELLS,
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


# -- groups ------------------------------------------------------------------------------------------


@kernel
def _find(parent, x):
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
            t = _find(parent, n_orders + cand_txn[c])
        for k in range(first[c], first[c] + size[c]):
            o = _find(parent, unit_orders[k])
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
            t = _find(parent, n_orders + cand_txn[c])
            if label[t] < 0:
                label[t] = n_comp
                n_comp += 1
        comp[c] = label[t]
    ptr = np.zeros(n_comp + 1, dtype=np.int64)
    for c in range(len(comp)):
        ptr[comp[c] + 1] += 1
    for g in range(n_comp):
        ptr[g + 1] += ptr[g]
    fill = ptr[:-1].copy()
    members = np.empty(len(comp), dtype=np.int64)
    for c in range(len(comp)):
        members[fill[comp[c]]] = c
        fill[comp[c]] += 1
    return ptr, members


# -- sorting -----------------------------------------------------------------------------------------


@kernel
def _float_keys(x):
    """Unsigned keys ordered as numpy sorts ``x`` (-0.0 equal to 0.0, every NaN last and equal)."""
    bits = (x + 0.0).view(np.uint64)  # + 0.0: -0.0 becomes 0.0
    keys = np.empty(len(x), dtype=np.uint64)
    for i in range(len(x)):
        if x[i] != x[i]:
            keys[i] = np.uint64(0xFFFFFFFFFFFFFFFF)
        elif bits[i] >> np.uint64(63):
            keys[i] = ~bits[i]
        else:
            keys[i] = bits[i] | np.uint64(0x8000000000000000)
    return keys


@kernel
def _priority_order(key, size):
    """Positions sorted by (``key``, ``size``, position), as ``np.lexsort((position, size, key))``:
    buckets on the leading key bits (most-significant first, again within a large bucket), an equal-key
    bucket by size, a small one by insertion."""
    n = len(key)
    order = np.arange(n)
    tmp = np.empty(n, dtype=np.int64)
    stack_s = np.empty(n // 16 + 2, dtype=np.int64)  # pending buckets: disjoint, each above 16
    stack_e = np.empty(n // 16 + 2, dtype=np.int64)
    stack_s[0], stack_e[0] = 0, n
    depth = 1 if n > 1 else 0
    while depth:
        depth -= 1
        s, e = stack_s[depth], stack_e[depth]
        lo = key[order[s]]
        hi = lo
        for i in range(s, e):
            lo = min(lo, key[order[i]])
            hi = max(hi, key[order[i]])
        if lo == hi:
            _sort_by_size(order, s, e, size, tmp)
            continue
        want = min(_bit_length(np.uint64(e - s)) + 1, 16)  # about two buckets per item, at most 65536
        shift = np.uint64(max(_bit_length(hi - lo) - want, 0))
        n_buckets = int((hi - lo) >> shift) + 1
        start = np.zeros(n_buckets + 1, dtype=np.int64)
        for i in range(s, e):
            start[int((key[order[i]] - lo) >> shift) + 1] += 1
        for b in range(n_buckets):
            start[b + 1] += start[b]
        fill = start[:-1].copy()
        for i in range(s, e):
            b = int((key[order[i]] - lo) >> shift)
            tmp[s + fill[b]] = order[i]
            fill[b] += 1
        order[s:e] = tmp[s:e]
        for b in range(n_buckets):
            bs, be = s + start[b], s + start[b + 1]
            if be - bs > 16:
                stack_s[depth], stack_e[depth] = bs, be
                depth += 1
            elif be - bs > 1:
                _insertion_sort(order, bs, be, key, size)
    return order


@kernel
def _bit_length(x):
    """Number of bits of an unsigned ``x``."""
    bits = 0
    while bits < 64 and (x >> np.uint64(bits)) > np.uint64(0):
        bits += 1
    return bits


@kernel
def _insertion_sort(order, s, e, key, size):
    """``order[s:e]`` stably sorted by (key, size)."""
    for i in range(s + 1, e):
        x = order[i]
        j = i - 1
        while j >= s and (key[order[j]] > key[x] or (key[order[j]] == key[x] and size[order[j]] > size[x])):
            order[j + 1] = order[j]
            j -= 1
        order[j + 1] = x


@kernel
def _sort_by_size(order, s, e, size, tmp):
    """``order[s:e]`` stably sorted by size (a counting sort over the sizes present)."""
    lo = size[order[s]]
    hi = lo
    for i in range(s, e):
        lo = min(lo, size[order[i]])
        hi = max(hi, size[order[i]])
    if lo == hi:
        return
    if hi - lo > 4096:
        seg = order[s:e].copy()
        order[s:e] = seg[argsort_ints(size[seg])]
        return
    start = np.zeros(hi - lo + 2, dtype=np.int64)
    for i in range(s, e):
        start[size[order[i]] - lo + 1] += 1
    for b in range(hi - lo + 1):
        start[b + 1] += start[b]
    for i in range(s, e):
        b = size[order[i]] - lo
        tmp[s + start[b]] = order[i]
        start[b] += 1
    order[s:e] = tmp[s:e]


@kernel
def _lexsort2(primary, secondary):
    """Positions sorted by (primary, secondary), ties by position: ``np.lexsort((secondary, primary))``."""
    n = len(primary)
    if n <= 32:
        order = np.arange(n)
        for i in range(1, n):
            x = order[i]
            j = i - 1
            while j >= 0 and (primary[order[j]] > primary[x]
                              or (primary[order[j]] == primary[x] and secondary[order[j]] > secondary[x])):
                order[j + 1] = order[j]
                j -= 1
            order[j + 1] = x
        return order
    by2 = argsort_ints(secondary)
    return by2[argsort_ints(primary[by2])]


@kernel
def argsort_ints(keys):
    """``np.argsort(keys, kind="stable")`` for integers: LSD radix on the offsets from the minimum,
    11 bits a pass, as many passes as the range needs."""
    n = len(keys)
    order = np.arange(n)
    if n < 2:
        return order
    lo = keys.min()
    span = np.uint64(keys.max() - lo)
    tmp = np.empty(n, dtype=np.int64)
    off = np.empty(n, dtype=np.uint64)
    for i in range(n):
        off[i] = np.uint64(keys[i] - lo)
    counts = np.empty(2049, dtype=np.int64)
    shift = np.uint64(0)
    mask = np.uint64(2047)
    while shift < np.uint64(64) and (span >> shift) > np.uint64(0):
        counts[:] = 0
        for i in range(n):
            counts[((off[order[i]] >> shift) & mask) + np.uint64(1)] += 1
        for b in range(2048):
            counts[b + 1] += counts[b]
        for i in range(n):
            b = (off[order[i]] >> shift) & mask
            tmp[counts[b]] = order[i]
            counts[b] += 1
        order, tmp = tmp, order
        shift += np.uint64(11)
    return order


# -- combined-checkout groups ------------------------------------------------------------------------


@kernel
def best_first(cands, first, size, cand_txn, points, unit_orders, n_orders, n_txns, chosen):
    """The reference's best-first pass over ``cands`` (ascending): by points, then fewer orders, then
    candidate order, a candidate is taken unless its transaction or one of its orders is taken."""
    order = cands[_priority_order(_float_keys(-points[cands]), size[cands])]
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


# -- the assignment solver ---------------------------------------------------------------------------


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


# -- single-order groups -----------------------------------------------------------------------------


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
        order = _lexsort2(rank, ids)
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
    row_ptr = np.zeros(n_r + 1, dtype=np.int64)  # the group's candidates by row
    for p in range(len(r)):
        row_ptr[r[p] + 1] += 1
    for i in range(n_r):
        row_ptr[i + 1] += row_ptr[i]
    fill = row_ptr[:-1].copy()
    by_row = np.empty(len(r), dtype=np.int64)
    for p in range(len(r)):
        by_row[fill[r[p]]] = p
        fill[r[p]] += 1
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
            a, b = _find(parent, r[p]), _find(parent, n_r + q[p])
            if a != b:
                parent[a] = b
    root = np.empty(n, dtype=np.int64)
    for p in range(n):
        root[p] = _find(parent, r[p]) if alive[p] else -1
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

"""Compiled sorts of the assignment kernels: each gives exactly numpy's order.

:func:`argsort_ints` is ``np.argsort(keys, kind="stable")`` for integers (LSD radix);
:func:`lexsort2` and :func:`priority_order` are ``np.lexsort`` over two and three keys;
:func:`float_keys` maps floats to unsigned keys in numpy's float order.  Same orders as numpy, so
the assignment is the same bit for bit (``tests/test_reconcile_assign_kernels.py`` holds them against
numpy).  Used by :mod:`complaint.reconciliation.compiled.assign` and :mod:`complaint.reconciliation.compiled.bipartite`; split from the former.
"""

from __future__ import annotations

import numpy as np

from .kernel import kernel


@kernel
def float_keys(x):
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
def priority_order(key, size):
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
def lexsort2(primary, secondary):
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

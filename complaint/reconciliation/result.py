"""What a reconciliation run returns (:class:`FrameResult`), with its lists stored flat (:class:`Links`).

Indices everywhere are row numbers of the frames the engine was given (orders, transactions) or of
``FrameResult.expectations``; :mod:`complaint.reconciliation.reconcile` turns them into records and reasons.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .refund import MAX_POINTS as REFUND_MAX


@dataclass(frozen=True)
class Links:
    """A list of row indices per result row, stored flat (CSR): row ``i`` is ``items[ptr[i]:ptr[i + 1]]``.

    A bulk run has ~100,000 payments: one small array per payment costs more than the matching, so
    the engine keeps them flat and builds the lists only when a report asks for them."""

    ptr: np.ndarray
    items: np.ndarray

    @classmethod
    def one_each(cls, items: np.ndarray) -> Links:
        items = np.asarray(items, dtype=np.int64)
        return cls(np.arange(len(items) + 1, dtype=np.int64), items)

    @classmethod
    def from_lists(cls, lists) -> Links:
        sizes = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
        items = np.concatenate([np.asarray(x, dtype=np.int64) for x in lists]) if len(lists) else \
            np.zeros(0, dtype=np.int64)
        return cls(np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64), items)

    def __len__(self) -> int:
        return len(self.ptr) - 1

    def sizes(self) -> np.ndarray:
        return np.diff(self.ptr)

    def first(self) -> np.ndarray:
        """The first index of each row (-1 for an empty row)."""
        ok = self.sizes() > 0
        return np.where(ok, self.items[np.minimum(self.ptr[:-1], max(len(self.items) - 1, 0))]
                        if len(self.items) else -1, -1)

    def owner(self) -> np.ndarray:
        """The row of each item."""
        return np.repeat(np.arange(len(self), dtype=np.int64), self.sizes())

    def lists(self) -> list[np.ndarray]:
        return np.split(self.items, self.ptr[1:-1]) if len(self) else []

    def rows(self, which) -> list[np.ndarray]:
        """The lists of the rows ``which`` only."""
        ptr, items = self.ptr, self.items
        return [items[ptr[i]:ptr[i + 1]] for i in np.asarray(which, dtype=np.int64).tolist()]

    def lift(self, back: np.ndarray) -> Links:
        return Links(self.ptr, back[self.items] if len(self.items) else self.items)

    def concat(self, other: Links) -> Links:
        return Links(np.concatenate([self.ptr, other.ptr[1:] + self.ptr[-1]]),
                     np.concatenate([self.items, other.items]))


@dataclass
class FrameResult:
    orders: pd.DataFrame
    txns: pd.DataFrame
    payment_rows: pd.DataFrame  # one row per payment match (flat columns)
    payment_orders: Links  # the order rows of each payment
    payment_txns: Links  # the transaction rows of each payment (one, or several linked by hand)
    refund_rows: pd.DataFrame  # one row per expectation with at least one credit: exp, score, decision, credited_eur
    refund_txns: Links  # the credits of each of those rows
    refund_credits: pd.DataFrame  # per credit (aligned with refund_txns.items): how it was found
    expectations: pd.DataFrame
    unmatched_debits: np.ndarray
    orders_without_payment: np.ndarray
    duplicates: pd.DataFrame
    credits_without_refund: np.ndarray
    stale_decisions: list = field(default_factory=list)
    delays: dict = field(default_factory=dict)
    # bank debits that top up PayPal, each linked to the PayPal funding mirror and the PayPal payment
    # it funds: columns bank, mirror, payment (txn rows) and aliexpress (the payment is one)
    funding: pd.DataFrame = field(default_factory=lambda: empty_funding())
    _payments: pd.DataFrame | None = field(default=None, repr=False)
    _refunds: pd.DataFrame | None = field(default=None, repr=False)

    @property
    def payments(self) -> pd.DataFrame:
        """The payment rows with ``order_idx`` and ``txn_idx`` lists (built on first use)."""
        if self._payments is None:
            pay = self.payment_rows.copy()
            pay["order_idx"] = self.payment_orders.lists()
            pay["txn_idx"] = self.payment_txns.lists()
            self._payments = pay
        return self._payments

    @property
    def refunds(self) -> pd.DataFrame:
        """The refund rows with ``txn_idx`` and ``details`` lists (built on first use): a detail is
        (points, kind, mode, gap, on_purchase, related, after), None for a credit linked by hand."""
        if self._refunds is None:
            ref = self.refund_rows.copy()
            ref.insert(1, "txn_idx", self.refund_txns.lists())
            c = self.refund_credits
            cols = [c[k].tolist() for k in ("points", "kind", "mode", "gap", "on_purchase", "related", "after")]
            details = [(pts, kind, mode, gap, bool(op), bool(rel), bool(aft)) if known else None
                       for known, pts, kind, mode, gap, op, rel, aft in zip(c["known"].tolist(), *cols, strict=True)]
            ptr = self.refund_txns.ptr
            ref.insert(3, "details", [details[ptr[i]:ptr[i + 1]] for i in range(len(ref))])
            self._refunds = ref
        return self._refunds

    def paid_eur_cents(self) -> int:
        """The EUR cents of every debit matched to an order."""
        return int(-self.txns["eur"].to_numpy(dtype=np.int64)[self.payment_txns.items].sum())


def empty_funding() -> pd.DataFrame:
    return pd.DataFrame({"bank": np.zeros(0, np.int64), "mirror": np.zeros(0, np.int64),
                         "payment": np.zeros(0, np.int64), "aliexpress": np.zeros(0, bool)})


DETAIL_COLUMNS = ("points", "mode", "gap", "on_purchase", "related", "after")


def refund_rows(fixed_e: np.ndarray, fixed_t: np.ndarray, decision_of: dict, full: pd.DataFrame,
                 part: pd.DataFrame, t_eur: np.ndarray) -> tuple[pd.DataFrame, Links, pd.DataFrame]:
    """(one row per expectation with credits, its credits, how each credit was found), in bulk.

    Credits of an expectation keep the order they were found in: linked by hand, the full pass, then
    the partial pass.  A credit found by a pass carries its candidate row's points and flags; one
    linked by hand those of a candidate with the same pair, if any (else no detail)."""
    frames = [(full, "full"), (part, "partial")]
    e = np.concatenate([fixed_e] + [f["exp"].to_numpy(dtype=np.int64) for f, _k in frames])
    t = np.concatenate([fixed_t] + [f["txn"].to_numpy(dtype=np.int64) for f, _k in frames])
    n_fixed = len(fixed_e)
    known = np.concatenate([np.zeros(n_fixed, dtype=bool), np.ones(len(e) - n_fixed, dtype=bool)])
    kind = np.concatenate([np.full(n_fixed, "", dtype=object)] + [np.full(len(f), k, dtype=object) for f, k in frames])
    cols = {c: np.concatenate([np.zeros(n_fixed, dtype=full[c].dtype)] + [f[c].to_numpy() for f, _k in frames])
            for c in DETAIL_COLUMNS}
    for i in range(n_fixed):  # the few pairs linked by hand: a candidate row of the same pair (last wins)
        for f, k in frames:
            hit = np.flatnonzero((f["exp"].to_numpy() == e[i]) & (f["txn"].to_numpy() == t[i])) if len(f) else []
            if len(hit):
                known[i], kind[i] = True, k
                for c in DETAIL_COLUMNS:
                    cols[c][i] = f[c].to_numpy()[hit[-1]]
    order = np.argsort(e, kind="stable")
    e, t, known, kind = e[order], t[order], known[order], kind[order]
    credits = pd.DataFrame({"known": known, "kind": kind, **{c: v[order] for c, v in cols.items()}})
    exps, start, count = np.unique(e, return_index=True, return_counts=True)
    links = Links(np.append(start, len(e)).astype(np.int64), t)
    pts = np.where(known, credits["points"].to_numpy(dtype=np.float64), 0.0)
    n_known = np.add.reduceat(known.astype(np.int64), start) if len(e) else np.zeros(0, dtype=np.int64)
    total = np.add.reduceat(pts, start) if len(e) else np.zeros(0)
    mean = total / np.maximum(n_known, 1)
    decided = np.isin(exps, np.fromiter(decision_of, dtype=np.int64, count=len(decision_of)))
    score = np.where(decided, 1.0, np.round(np.minimum(1.0, mean / REFUND_MAX), 3))
    rows = pd.DataFrame({"exp": exps, "score": score,
                         "decision": [decision_of.get(int(x)) for x in exps] if decision_of else None,
                         "credited_eur": np.add.reduceat(t_eur[t], start) if len(e) else np.zeros(0, dtype=np.int64)})
    return rows, links, credits

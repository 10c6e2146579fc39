"""The relational part of the reconciliation on DuckDB: the candidate pairs in SQL.

The pandas path finds candidates with a banded join in numpy (:func:`complaint.reconciliation.pay.payment_candidates`,
:func:`complaint.reconciliation.refund.full_candidates` / ``partial_candidates``): sorted keys and ``searchsorted``.
That join is where memory grows with the input: this module runs the same join in SQL inside an
in-process DuckDB connection, which streams, uses every core and spills to disk when the pairs do
not fit in memory.  The join is as narrow as the rules allow, so the pairs grow with the input,
not with its square: a debit (or credit) in the currency of the order (or refund) meets only the
exact amount (to the cent, +-1), on a join of (currency, amount, day window); other currencies
meet the neighbouring EUR amount buckets (the tolerance through an ECB rate).

The SQL returns only the pairs, in exactly the order the numpy join produces them; their points
are computed by the one implementation in numpy (:func:`complaint.reconciliation.pay.score_payments`,
:func:`complaint.reconciliation.refund.finish_full` / ``finish_partial``), so the scoring formulas exist once.
Everything else (units of one checkout, expectations, the global assignment, the explanations)
stays in :mod:`complaint.reconciliation.engine`.  ``tests/test_duckdb_equivalence.py`` checks that both
engines give identical results.  The amount buckets (a logarithm) and the currency codes are
computed once in numpy and handed to SQL as columns.

``engine="auto"`` picks DuckDB from :data:`DUCKDB_MIN_BANK_ROWS` bank rows upwards.
"""

# SQL here is assembled from constant fragments only; every value goes in as a parameter or a
# registered frame (the bench also inlines its own file paths): S608 does not apply.
# ruff: noqa: S608
from __future__ import annotations

import os

import numpy as np
import pandas as pd

from ..i18n import _
from .expect import REFUND_SEARCH_HORIZON_DAYS
from .pay import DAY_SPAN, Units, buckets, score_payments, shared_codes
from .refund import empty_candidates, finish_full, finish_partial

DUCKDB_MIN_BANK_ROWS = 2_000_000  # engine="auto": DuckDB from this many bank rows (the one threshold)
ENGINES = ("pandas", "duckdb", "auto")

def choose_engine(engine: str, n_bank_rows: int) -> str:
    """``pandas`` or ``duckdb`` for ``engine`` (``auto`` decides by the number of bank rows).

    >>> choose_engine("auto", 10), choose_engine("auto", DUCKDB_MIN_BANK_ROWS), choose_engine("pandas", 10**9)
    ('pandas', 'duckdb', 'pandas')
    """
    if engine not in ENGINES:
        raise ValueError(_("unknown reconciliation engine {engine} (choose pandas, duckdb or auto)", engine=engine))
    if engine == "auto":
        return "duckdb" if n_bank_rows >= DUCKDB_MIN_BANK_ROWS else "pandas"
    return engine


class DuckDBCandidates:
    """Candidate sources for :func:`complaint.reconciliation.engine.reconcile_frames` (``candidates=``).

    ``memory_limit`` (e.g. ``"4GB"``) and ``temp_directory`` bound DuckDB's own memory; beyond
    it, joins and sorts spill to ``temp_directory``.
    """

    def __init__(self, memory_limit: str | None = None, temp_directory: str | None = None,
                 threads: int | None = None) -> None:
        import duckdb

        self.con = duckdb.connect(":memory:")
        self.con.execute(f"SET threads = {int(threads or os.cpu_count() or 1)}")
        if memory_limit:
            self.con.execute("SET memory_limit = ?", [memory_limit])
        if temp_directory:
            self.con.execute("SET temp_directory = ?", [str(temp_directory)])
        self.con.execute("SET preserve_insertion_order = false")

    def close(self) -> None:
        self.con.close()

    def _pairs(self, sql: str, tables: dict[str, pd.DataFrame], params: dict) -> tuple[np.ndarray, np.ndarray]:
        """(left, right) int64 columns ``a`` and ``b`` of the query, in its order."""
        for name, frame in tables.items():
            self.con.register(name, frame)
        try:
            arrays = self.con.execute(sql, params).fetchnumpy()
        finally:
            for name in tables:
                self.con.unregister(name)
        return (np.asarray(arrays["a"], dtype=np.int64), np.asarray(arrays["b"], dtype=np.int64))

    # -- payments ---------------------------------------------------------------------------------

    def payment_candidates(self, units: Units, txns: pd.DataFrame, debit_idx: np.ndarray, txn_eur: np.ndarray,
                           window_days: int, tol: float) -> pd.DataFrame:
        """Same pairs, points and order as :func:`complaint.reconciliation.pay.payment_candidates`."""
        debit_idx = np.asarray(debit_idx, dtype=np.int64)
        if not len(debit_idx) or not len(units.day):
            return score_payments(units, txns, np.zeros(0, np.int64), np.zeros(0, np.int64), txn_eur,
                                  window_days, tol)
        ub = buckets(units.eur, tol)
        rank = np.empty(len(ub), dtype=np.int64)
        rank[np.argsort(ub * DAY_SPAN + units.day, kind="stable")] = np.arange(len(ub))
        u_code, t_code = shared_codes(units.currency, txns["currency"])
        u = pd.DataFrame({"unit": np.arange(len(ub), dtype=np.int64), "ub": ub, "urank": rank,
                          "uday": units.day.astype(np.int64), "due": units.due.astype(np.int64), "ucode": u_code})
        d_day = txns["day"].to_numpy(dtype=np.int64)[debit_idx]
        d = _by_block(pd.DataFrame({"pos": np.arange(len(debit_idx), dtype=np.int64), "txn": debit_idx,
                                    "db": buckets(-txn_eur[debit_idx], tol), "tday": d_day,
                                    "lo": d_day - window_days, "hi": d_day + 1,
                                    "cents": np.abs(txns["amount_cents"].to_numpy(dtype=np.int64)[debit_idx]),
                                    "dcode": t_code[debit_idx]}))
        u["blk"] = u["uday"] // BLOCK_DAYS
        same = _offsets(d, "cents", "amt")  # the account's currency: the exact amount (+-1 cent) only
        other = _other_codes(_offsets(d, "db", "bk"), "dcode", np.unique(u_code))  # the EUR buckets
        sql = """
        SELECT unit AS a, txn AS b FROM (
          SELECT s.pos, s.txn, u.unit, u.urank, u.ub - s.db AS shift
          FROM s JOIN u ON u.ucode = s.dcode AND u.due = s.amt AND u.blk = s.blk
          WHERE u.uday BETWEEN s.lo AND s.hi AND u.ub - s.db BETWEEN -1 AND 1
          UNION ALL
          SELECT o.pos, o.txn, u.unit, u.urank, o.off AS shift
          FROM o JOIN u ON u.ucode = o.kcode AND u.ub = o.bk AND u.blk = o.blk
          WHERE u.uday BETWEEN o.lo AND o.hi)
        ORDER BY shift, pos, urank
        """
        unit, t = self._pairs(sql, {"u": u, "s": same, "o": other}, {})
        return score_payments(units, txns, unit, t, txn_eur, window_days, tol)

    # -- refunds ----------------------------------------------------------------------------------

    def full_candidates(self, exp: pd.DataFrame, txns: pd.DataFrame, credit_idx: np.ndarray, txn_eur: np.ndarray,
                        related: pd.DataFrame, tol: float) -> pd.DataFrame:
        """Same pairs, points and order as :func:`complaint.reconciliation.refund.full_candidates`.

        The numpy join meets the neighbouring EUR buckets; of those pairs, one in the credit's own
        currency survives the scoring only with the exact amount, so here it is joined on it."""
        e_idx = np.flatnonzero(exp["needs_credit"].to_numpy(dtype=bool))
        credit_idx = np.asarray(credit_idx, dtype=np.int64)
        if not len(e_idx) or not len(credit_idx):
            return empty_candidates()
        e = _exp_side(exp, e_idx)
        e["eb"] = buckets(exp["eur"].to_numpy(dtype=np.int64)[e_idx], tol)
        c_day = txns["day"].to_numpy(dtype=np.int64)[credit_idx]
        cb = buckets(txn_eur[credit_idx], tol)
        crank = np.empty(len(cb), dtype=np.int64)
        crank[np.argsort(cb * DAY_SPAN + c_day, kind="stable")] = np.arange(len(cb))
        e_code, t_code = shared_codes(exp["currency"].to_numpy(dtype=object)[e_idx], txns["currency"])
        e["cents"] = exp["amount_cents"].to_numpy(dtype=np.int64)[e_idx]
        e["ecode"] = e_code
        c = pd.DataFrame({"txn": credit_idx, "crank": crank, "cb": cb, "tday": c_day, "ccode": t_code[credit_idx],
                          "cents": np.abs(txns["amount_cents"].to_numpy(dtype=np.int64)[credit_idx]),
                          "blk": c_day // BLOCK_DAYS})
        e = _by_block(e)
        same = _offsets(e, "cents", "amt")
        other = _other_codes(_offsets(e, "eb", "bk"), "ecode", np.unique(c["ccode"].to_numpy()))
        sql = """
        SELECT exp AS a, txn AS b FROM (
          SELECT s.pos, s.exp, c.txn, c.crank, c.cb - s.eb AS shift
          FROM s JOIN c ON c.ccode = s.ecode AND c.cents = s.amt AND c.blk = s.blk
          WHERE c.tday BETWEEN s.lo AND s.hi AND c.cb - s.eb BETWEEN -1 AND 1
          UNION ALL
          SELECT o.pos, o.exp, c.txn, c.crank, o.off AS shift
          FROM o JOIN c ON c.ccode = o.kcode AND c.cb = o.bk AND c.blk = o.blk
          WHERE c.tday BETWEEN o.lo AND o.hi)
        ORDER BY shift, pos, crank
        """
        ex, t = self._pairs(sql, {"s": same, "o": other, "c": c}, {})
        return finish_full(exp, txns, ex, t, txn_eur, related, tol)

    def partial_candidates(self, exp: pd.DataFrame, remaining_eur: np.ndarray, txns: pd.DataFrame,
                           credit_idx: np.ndarray, txn_eur: np.ndarray, related: pd.DataFrame,
                           tol: float) -> pd.DataFrame:
        """Same pairs, points and order as :func:`complaint.reconciliation.refund.partial_candidates`:
        every credit in the window that is not more than what is still expected."""
        e_idx = np.flatnonzero(exp["needs_credit"].to_numpy(dtype=bool) & (remaining_eur > 0))
        credit_idx = np.asarray(credit_idx, dtype=np.int64)
        if not len(e_idx) or not len(credit_idx):
            return empty_candidates()
        e = _exp_side(exp, e_idx)
        e["cap"] = remaining_eur[e_idx] * (1 + tol)  # the fit of finish_partial, as a prefilter
        c_day = txns["day"].to_numpy(dtype=np.int64)[credit_idx]
        crank = np.empty(len(c_day), dtype=np.int64)
        crank[np.argsort(c_day, kind="stable")] = np.arange(len(c_day))
        c = pd.DataFrame({"txn": credit_idx, "crank": crank, "tday": c_day,
                          "eur": txn_eur[credit_idx].astype(np.float64)})
        sql = """
        SELECT e.exp AS a, c.txn AS b FROM e JOIN c ON c.tday BETWEEN e.lo AND e.hi AND c.eur <= e.cap
        ORDER BY e.pos, c.crank
        """
        ex, t = self._pairs(sql, {"e": e, "c": c}, {})
        return finish_partial(exp, remaining_eur, txns, ex, t, txn_eur, related, tol)


BLOCK_DAYS = 64  # the day windows are joined through 64-day blocks (an equality DuckDB hashes on)


def _by_block(side: pd.DataFrame) -> pd.DataFrame:
    """``side`` with one row per 64-day block its window ``lo``..``hi`` touches (column ``blk``): a
    window meets a row of the other side through that row's block, exactly once."""
    first = side["lo"].to_numpy(dtype=np.int64) // BLOCK_DAYS
    count = side["hi"].to_numpy(dtype=np.int64) // BLOCK_DAYS - first + 1
    rows = np.repeat(np.arange(len(side)), count)
    step = np.arange(int(count.sum()), dtype=np.int64) - np.repeat(np.cumsum(count) - count, count)
    out = side.iloc[rows].reset_index(drop=True)
    out["blk"] = first[rows] + step
    return out


def _offsets(side: pd.DataFrame, column: str, name: str) -> pd.DataFrame:
    """``side`` three times, with ``name`` = ``column`` - 1, + 0, + 1 (and the offset as ``off``): the
    +-1 cent or the neighbouring bucket as plain equality keys, which DuckDB hashes."""
    rows = np.repeat(np.arange(len(side)), 3)
    off = np.tile(np.array([-1, 0, 1], dtype=np.int64), len(side))
    out = side.iloc[rows].reset_index(drop=True)
    out["off"] = off
    out[name] = out[column].to_numpy(dtype=np.int64) + off
    return out


def _other_codes(side: pd.DataFrame, column: str, codes: np.ndarray) -> pd.DataFrame:
    """``side`` once per code of ``codes`` other than its own ``column`` (as ``kcode``): the pairs in
    another currency, each currency through its own equality."""
    own = side[column].to_numpy(dtype=np.int64)
    parts = []
    for code in np.asarray(codes, dtype=np.int64).tolist():
        part = side[own != code].copy()
        part["kcode"] = code
        parts.append(part)
    return pd.concat(parts, ignore_index=True) if parts else side.assign(kcode=np.zeros(len(side), np.int64))[:0]


def _exp_side(exp: pd.DataFrame, e_idx: np.ndarray) -> pd.DataFrame:
    """Expectations ``e_idx`` with their search window (as the band joins of :mod:`complaint.reconciliation.refund` window them)."""
    purchase = exp["purchase_day"].to_numpy(dtype=np.int64)[e_idx]
    pay = exp["pay_day"].to_numpy(dtype=np.int64)[e_idx]
    start = np.where(pay >= 0, np.minimum(pay, purchase), purchase) - 1
    since = exp["since_day"].to_numpy(dtype=np.int64)[e_idx]
    return pd.DataFrame({"pos": np.arange(len(e_idx), dtype=np.int64), "exp": e_idx.astype(np.int64),
                         "lo": start, "hi": np.maximum(since, start) + REFUND_SEARCH_HORIZON_DAYS})

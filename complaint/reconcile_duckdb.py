"""The relational part of the reconciliation on DuckDB: candidate pairs and their points in SQL.

The pandas path finds candidates with a banded join in numpy (``reconcile_pay.payment_candidates``,
``reconcile_refund.full_candidates`` / ``partial_candidates``): sorted keys and ``searchsorted``.
That join, and the scoring of every pair it yields, is where memory grows with the input: this
module runs the same join and the same points in SQL inside an in-process DuckDB connection,
which streams, uses every core and spills to disk when the pairs do not fit in memory.

Everything else (units of one checkout, expectations, the global assignment, the explanations)
stays in the one shared implementation in :mod:`complaint.reconcile_engine`, which receives the
pairs from whichever engine made them.  The SQL returns the pairs in exactly the order the numpy
join produces them and computes the points with the same IEEE double operations in the same
order, so both engines give identical results (``tests/test_duckdb_equivalence.py`` checks it).
The amount buckets (a logarithm) are computed once in numpy and handed to SQL as a column, so a
last-bit difference between two ``log`` implementations can never move a pair.

``engine="auto"`` picks DuckDB from :data:`DUCKDB_MIN_BANK_ROWS` bank rows upwards.
"""

# SQL here is assembled from constant fragments only; every value goes in as a parameter or a
# registered frame (the bench also inlines its own file paths): S608 does not apply.
# ruff: noqa: S608
from __future__ import annotations

import os

import numpy as np
import pandas as pd

from .i18n import _
from .reconcile_expect import REFUND_SEARCH_HORIZON_DAYS
from .reconcile_pay import STRONG_MERCHANTS, Units, buckets

DUCKDB_MIN_BANK_ROWS = 2_000_000  # engine="auto": DuckDB from this many bank rows (the one threshold)
ENGINES = ("pandas", "duckdb", "auto")

_PAY_COLUMNS = {"unit": np.int64, "txn": np.int64, "points": np.float64, "mode": np.int64, "gap": np.int64,
                "day_gap": np.int64, "desc_pts": np.float64, "amount_pts": np.float64, "date_pts": np.float64}
_REF_COLUMNS = {"exp": np.int64, "txn": np.int64, "points": np.float64, "mode": np.int64, "gap": np.int64,
                "day": np.int64, "on_purchase": bool, "after": bool, "related": bool, "wording": bool,
                "amount_pts": np.float64}


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


# Shared SQL fragments: compare_amounts() and descriptor_points() of reconcile_pay, row by row.
# Inputs per pair: exp_cur, exp_cents, exp_eur (what is expected) and t_cur, o_cur, o_cents,
# a_cents, e_cents (the transaction, absolute values), merchant.
_MODE = ("CASE WHEN t_cur = exp_cur THEN 1 "
         "WHEN o_cur = exp_cur AND o_cents > 0 AND t_cur <> exp_cur THEN 0 ELSE 2 END")
_AMOUNTS = f"""
  SELECT *, CASE WHEN mode = 1 THEN a_cents WHEN mode = 0 THEN o_cents ELSE e_cents END
            - CASE WHEN mode = 2 THEN exp_eur ELSE exp_cents END AS gap,
         CASE WHEN mode = 2 THEN exp_eur ELSE exp_cents END AS want
  FROM (SELECT *, {_MODE} AS mode FROM pairs)
"""
_REL = "CAST(abs(gap) AS DOUBLE) / CAST(greatest(want, 1) AS DOUBLE)"
_DESC = ("CASE WHEN merchant IN ({strong}) THEN 3.0::DOUBLE WHEN merchant = 'paypal' THEN 1.5::DOUBLE "
         "ELSE 1.0::DOUBLE END").format(strong=", ".join(f"'{m}'" for m in STRONG_MERCHANTS))


class DuckDBCandidates:
    """Candidate sources for :func:`complaint.reconcile_engine.reconcile_frames` (``candidates=``).

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

    def _query(self, sql: str, tables: dict[str, pd.DataFrame], params: list, columns: dict) -> pd.DataFrame:
        for name, frame in tables.items():
            self.con.register(name, frame)
        try:
            arrays = self.con.execute(sql, params).fetchnumpy()
        finally:
            for name in tables:
                self.con.unregister(name)
        return pd.DataFrame({c: np.asarray(arrays[c]).astype(t, copy=False) for c, t in columns.items()})

    # -- payments ---------------------------------------------------------------------------------

    def payment_candidates(self, units: Units, txns: pd.DataFrame, debit_idx: np.ndarray, txn_eur: np.ndarray,
                           window_days: int, tol: float) -> pd.DataFrame:
        """Same pairs, points and order as :func:`complaint.reconcile_pay.payment_candidates`."""
        if not len(debit_idx) or not len(units.day):
            return _empty(_PAY_COLUMNS)
        u = pd.DataFrame({"unit": np.arange(len(units.day), dtype=np.int64), "ub": buckets(units.eur, tol),
                          "uday": units.day.astype(np.int64), "exp_eur": units.eur.astype(np.int64),
                          "exp_cents": units.due.astype(np.int64), "exp_cur": units.currency.astype(object),
                          "size": units.size.astype(np.int64)})
        d = _txn_side(txns, debit_idx, txn_eur)
        d["db"] = buckets(-txn_eur[debit_idx], tol)
        late = float(max(window_days - 3, 1))
        sql = f"""
        WITH pairs AS (
          SELECT s.shift, d.pos, u.uday AS uday, u.unit, d.txn, d.tday, d.t_cur, d.o_cur, d.o_cents, d.a_cents,
                 d.e_cents, d.merchant, u.exp_cur, u.exp_cents, u.exp_eur, u.size
          FROM d, (VALUES (-1), (0), (1)) s(shift), u
          WHERE u.ub = d.db + s.shift AND u.uday BETWEEN d.tday - $window AND d.tday + 1
        ), scored AS (
          SELECT *, abs(gap) <= 1 AS exact, {_REL} AS rel, tday - uday AS day_gap FROM ({_AMOUNTS})
        ), kept AS (
          SELECT *, 1.0::DOUBLE - least(rel / $tolc, 1.0::DOUBLE) AS closeness, {_DESC} AS desc_pts
          FROM scored
          WHERE (exact OR (mode = 2 AND rel <= $tol)) AND day_gap BETWEEN -1 AND $window AND exp_cents > 0
        ), pts AS (
          SELECT *,
            CASE WHEN exact THEN 3.0::DOUBLE WHEN mode = 2 THEN 1.0::DOUBLE + 1.5::DOUBLE * closeness
                 ELSE 0.5::DOUBLE + 1.0::DOUBLE * closeness END AS amount_pts,
            CASE WHEN day_gap < 0 THEN 2.0::DOUBLE WHEN day_gap <= 3 THEN 3.0::DOUBLE
                 ELSE 3.0::DOUBLE - 2.0::DOUBLE * CAST(day_gap - 3 AS DOUBLE) / $late END AS date_pts
          FROM kept
        )
        SELECT unit, txn, desc_pts + amount_pts + date_pts - 0.25::DOUBLE * CAST(size - 1 AS DOUBLE) AS points,
               mode, gap, day_gap, desc_pts, amount_pts, date_pts
        FROM pts ORDER BY shift, pos, uday, unit
        """
        params = {"window": int(window_days), "tol": float(tol), "tolc": max(float(tol), 1e-9), "late": late}
        return self._query(sql, {"u": u, "d": d}, params, _PAY_COLUMNS)

    # -- refunds ----------------------------------------------------------------------------------

    def full_candidates(self, exp: pd.DataFrame, txns: pd.DataFrame, credit_idx: np.ndarray, txn_eur: np.ndarray,
                        related: pd.DataFrame, tol: float) -> pd.DataFrame:
        """Same pairs, points and order as :func:`complaint.reconcile_refund.full_candidates`."""
        e_idx = np.flatnonzero(exp["needs_credit"].to_numpy(dtype=bool))
        if not len(e_idx) or not len(credit_idx):
            return _empty(_REF_COLUMNS)
        e = _exp_side(exp, e_idx)
        e["eb"] = buckets(exp["eur"].to_numpy(dtype=np.int64)[e_idx], tol)
        c = _txn_side(txns, credit_idx, txn_eur)
        c["cb"] = buckets(txn_eur[credit_idx], tol)
        join = """
          SELECT s.shift, e.pos AS epos, c.tday AS ckey, c.pos AS cpos, e.exp, c.txn
          FROM e, (VALUES (-1), (0), (1)) s(shift), c
          WHERE c.cb = e.eb + s.shift AND c.tday BETWEEN e.lo AND e.hi"""
        return self._refunds(join, e, c, exp, related, tol, partial=False, remaining=None,
                             txns=txns, txn_eur=txn_eur)

    def partial_candidates(self, exp: pd.DataFrame, remaining_eur: np.ndarray, txns: pd.DataFrame,
                           credit_idx: np.ndarray, txn_eur: np.ndarray, related: pd.DataFrame,
                           tol: float) -> pd.DataFrame:
        """Same pairs, points and order as :func:`complaint.reconcile_refund.partial_candidates`."""
        e_idx = np.flatnonzero(exp["needs_credit"].to_numpy(dtype=bool) & (remaining_eur > 0))
        if not len(e_idx) or not len(credit_idx):
            return _empty(_REF_COLUMNS)
        e = _exp_side(exp, e_idx)
        c = _txn_side(txns, credit_idx, txn_eur)
        join = """
          SELECT 0 AS shift, e.pos AS epos, c.tday AS ckey, c.pos AS cpos, e.exp, c.txn
          FROM e JOIN c ON c.tday BETWEEN e.lo AND e.hi"""
        return self._refunds(join, e, c, exp, related, tol, partial=True, remaining=remaining_eur,
                             txns=txns, txn_eur=txn_eur)

    def _refunds(self, join: str, e: pd.DataFrame, c: pd.DataFrame, exp: pd.DataFrame, related: pd.DataFrame,
                 tol: float, partial: bool, remaining: np.ndarray | None, txns: pd.DataFrame,
                 txn_eur: np.ndarray) -> pd.DataFrame:
        need = exp["needs_credit"].to_numpy(dtype=bool)
        rel = related[need[related["exp"].to_numpy(dtype=np.int64)]] if len(related) else related
        r = pd.DataFrame({"exp": np.asarray(rel["exp"], dtype=np.int64) if len(rel) else np.zeros(0, np.int64),
                          "txn": np.asarray(rel["txn"], dtype=np.int64) if len(rel) else np.zeros(0, np.int64)})
        all_related = pd.DataFrame({"exp": related["exp"].to_numpy(dtype=np.int64) if len(related) else
                                    np.zeros(0, np.int64),
                                    "txn": related["txn"].to_numpy(dtype=np.int64) if len(related) else
                                    np.zeros(0, np.int64)})
        # with related pairs, numpy takes np.unique over (exp, txn): sorted and distinct
        if len(related):
            ordered = f"""
              SELECT DISTINCT 0 AS shift, 0 AS epos, 0 AS ckey, 0 AS cpos, exp, txn FROM (
                SELECT exp, txn FROM ({join}) UNION ALL SELECT exp, txn FROM r)"""
            order_by = "exp, txn"
        else:
            ordered = join
            order_by = "shift, epos, ckey, cpos"
        h = float(REFUND_SEARCH_HORIZON_DAYS)
        rem = pd.DataFrame({"exp": np.arange(len(exp), dtype=np.int64),
                            "rem": (remaining if remaining is not None else np.zeros(len(exp))).astype(np.int64)})
        if partial:
            fits = "AND CAST(tx.e_cents_signed AS DOUBLE) <= CAST(rem.rem AS DOUBLE) * $tol1"
            keep = "(NOT (exact OR (mode = 2 AND rel <= $tol)) OR related)"
            amount = "CASE WHEN exact THEN 3.0::DOUBLE ELSE 1.0::DOUBLE END"
        else:
            fits = ""
            keep = "(exact OR (mode = 2 AND rel <= $tol))"
            amount = ("CASE WHEN exact THEN 3.0::DOUBLE WHEN mode = 2 THEN 1.0::DOUBLE + 1.5::DOUBLE * closeness "
                      "ELSE 0.5::DOUBLE + closeness END")
        sql = f"""
        WITH cand AS ({ordered}),
        pairs AS (
          SELECT cand.shift, cand.epos, cand.ckey, cand.cpos, cand.exp, cand.txn, x.exp_cur, x.exp_cents,
                 x.exp_eur, x.since, x.purchase, x.pay, tx.tday, tx.t_cur, tx.o_cur, tx.o_cents, tx.a_cents,
                 tx.e_cents, tx.merchant, tx.wording,
                 (ar.exp IS NOT NULL) AS related
          FROM cand JOIN x ON x.exp = cand.exp JOIN tx ON tx.txn = cand.txn JOIN rem ON rem.exp = cand.exp
          LEFT JOIN (SELECT DISTINCT exp, txn FROM ar) ar ON ar.exp = cand.exp AND ar.txn = cand.txn
          WHERE TRUE {fits}
        ), scored AS (
          SELECT *, abs(gap) <= 1 AS exact, {_REL} AS rel FROM ({_AMOUNTS})
        ), pts AS (
          SELECT *, 1.0::DOUBLE - least(rel / $tolc, 1.0::DOUBLE) AS closeness,
                 ((tday = purchase OR tday = pay) AND tday < since) AS on_purchase, tday >= since AS after
          FROM scored
        ), fin AS (
          SELECT *, {amount} AS amount_pts,
            CASE WHEN after THEN 3.0::DOUBLE - 2.0::DOUBLE * least(CAST(tday - since AS DOUBLE) / $h, 1.0::DOUBLE)
                 WHEN on_purchase THEN 2.0::DOUBLE ELSE 1.5::DOUBLE END AS date_pts,
            {_DESC} + 0.5::DOUBLE * CAST(wording AS DOUBLE) AS desc_pts
          FROM pts WHERE {keep}
        )
        SELECT exp, txn, desc_pts + amount_pts + date_pts + 6.0::DOUBLE * CAST(related AS DOUBLE) AS points,
               mode, gap, tday AS day, on_purchase, after, related, wording, amount_pts
        FROM fin ORDER BY {order_by}
        """
        x = pd.DataFrame({"exp": np.arange(len(exp), dtype=np.int64),
                          "exp_cur": exp["currency"].to_numpy(dtype=object),
                          "exp_cents": exp["amount_cents"].to_numpy(dtype=np.int64),
                          "exp_eur": exp["eur"].to_numpy(dtype=np.int64),
                          "since": exp["since_day"].to_numpy(dtype=np.int64),
                          "purchase": exp["purchase_day"].to_numpy(dtype=np.int64),
                          "pay": exp["pay_day"].to_numpy(dtype=np.int64)})
        params = {"tol": float(tol), "tolc": max(float(tol), 1e-9), "h": h}
        if partial:
            params["tol1"] = 1 + float(tol)
        # a related credit may lie outside the pool (numpy adds it all the same): describe those too
        extra = np.setdiff1d(r["txn"].to_numpy(), c["txn"].to_numpy())
        tx = pd.concat([c, _txn_side(txns, extra, txn_eur)], ignore_index=True) if len(extra) else c
        tables = {"e": e, "c": c, "r": r, "ar": all_related, "x": x, "tx": tx, "rem": rem}
        return self._query(sql, tables, params, _REF_COLUMNS)


def _txn_side(txns: pd.DataFrame, idx: np.ndarray, txn_eur: np.ndarray) -> pd.DataFrame:
    """The transaction columns the SQL reads, for rows ``idx`` (``pos`` = position in ``idx``)."""
    idx = np.asarray(idx, dtype=np.int64)
    return pd.DataFrame({
        "pos": np.arange(len(idx), dtype=np.int64), "txn": idx,
        "tday": txns["day"].to_numpy(dtype=np.int64)[idx],
        "t_cur": _text(txns["currency"], idx), "o_cur": _text(txns["orig_currency"], idx),
        "o_cents": np.abs(txns["orig_cents"].to_numpy(dtype=np.int64)[idx]),
        "a_cents": np.abs(txns["amount_cents"].to_numpy(dtype=np.int64)[idx]),
        "e_cents": np.abs(txn_eur[idx]), "e_cents_signed": txn_eur[idx],
        "merchant": _text(txns["merchant"], idx),
        "wording": txns["refund_wording"].to_numpy(dtype=bool)[idx],
    })


def _text(column: pd.Series, idx: np.ndarray) -> np.ndarray:
    values = column.to_numpy(dtype=object)[idx]
    return np.where(pd.isna(values), "", values).astype(object)


def _exp_side(exp: pd.DataFrame, e_idx: np.ndarray) -> pd.DataFrame:
    """Expectations ``e_idx`` with their search window (``reconcile_refund._window``)."""
    purchase = exp["purchase_day"].to_numpy(dtype=np.int64)[e_idx]
    pay = exp["pay_day"].to_numpy(dtype=np.int64)[e_idx]
    start = np.where(pay >= 0, np.minimum(pay, purchase), purchase) - 1
    since = exp["since_day"].to_numpy(dtype=np.int64)[e_idx]
    return pd.DataFrame({"pos": np.arange(len(e_idx), dtype=np.int64), "exp": e_idx.astype(np.int64),
                         "lo": start, "hi": np.maximum(since, start) + REFUND_SEARCH_HORIZON_DAYS})


def _empty(columns: dict) -> pd.DataFrame:
    return pd.DataFrame({c: np.zeros(0, dtype=t) for c, t in columns.items()})

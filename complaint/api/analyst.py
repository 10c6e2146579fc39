"""For analysts: refunds still missing across every case of a store, per-case refund and cash-flow
tables, and the reconciliation engine on DataFrames (integer cents and day numbers) for who holds
their data in frames already (the benchmarks do)."""

from __future__ import annotations

import os
from datetime import date

import pandas as pd

from ..analysis import analyst as analysis
from .cases import CaseLike, as_store, case_data

# how the missing refunds of many cases can be grouped, and the columns of a grouped table
ANALYST_GROUPINGS, ANALYST_GROUP_COLUMNS = analysis.GROUPINGS, analysis.GROUP_COLUMNS


def overview_all(db, as_of: date | None = None, progress=None, engine: str = "auto") -> dict[str, pd.DataFrame]:
    """Refunds still missing in every case of a store: ``{"detail", "store", "payment_method",
    "month"}`` tables, overdue first, worst offenders first.

    >>> import complaint
    >>> tables = complaint.overview_all(complaint.open_sample().store)
    >>> list(tables["detail"]["state"])
    ['overdue', 'pending']
    """
    from ..analysis.analyst import overview_all as overview

    return overview(as_store(db) if isinstance(db, str | os.PathLike) else db, as_of=as_of, progress=progress,
                    engine=engine)


def refund_table(case: CaseLike, reconciliation=None) -> pd.DataFrame:
    """One row per expected refund: order, store, payment method, state, credited on, delay in days.

    >>> import complaint
    >>> set(complaint.refund_table(complaint.open_sample())["state"]) >= {"credited", "overdue"}
    True
    """
    from ..analysis.analyst import refund_table as table
    from .views import reconcile

    data = case_data(case)
    return table(data, reconciliation if reconciliation is not None else reconcile(data))


def monthly_flows(case: CaseLike, reconciliation=None) -> pd.DataFrame:
    """Paid and refunded per month (matched bank/PayPal rows), in cents and euros.

    >>> import complaint
    >>> complaint.monthly_flows(complaint.open_sample())["month"].is_monotonic_increasing
    True
    """
    from ..analysis.analyst import monthly_flows as flows
    from .views import reconcile

    data = case_data(case)
    return flows(data, reconciliation if reconciliation is not None else reconcile(data))


# -- the engine on frames ---------------------------------------------------------------------------

def case_frames(case: CaseLike) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The frames :func:`complaint.reconcile` gives the engine for a case: (orders, transactions
    that can take part in a match, promises), built from its columns for a large import.

    >>> import complaint
    >>> orders, txns, promises = complaint.case_frames(complaint.open_sample())
    >>> list(txns.columns[:3])
    ['txn_id', 'day', 'amount_cents']
    """
    from ..reconciliation.frames import case_frames as frames
    from ..reconciliation.frames import promises_frame

    data = case_data(case)
    orders, txns, _rows = frames(data)
    return orders, txns, promises_frame(data)


def reconcile_frames(orders: pd.DataFrame, txns: pd.DataFrame, promises: pd.DataFrame | None = None,
                     decisions: list | None = None, *, as_of_day: int, **options):
    """The reconciliation engine on frames of int64 cents and day numbers (days since 1970-01-01),
    the one :func:`complaint.reconcile` runs: orders (order_id, order_day, checkout, currency,
    due_cents, status, refund_expected, ...), transactions (txn_id, day, amount_cents, currency,
    merchant, refund_wording, ...).  ``options``: window_days, amount_tolerance, candidates (see
    :func:`duckdb_candidates`), reference (the straightforward numpy path, the oracle), compiled.
    Returns flat results (``payments``, ``refunds``, ``expectations``, ``unmatched_debits``...).

    >>> import complaint, pandas as pd
    >>> orders = pd.DataFrame({"order_id": ["3000000000000001"], "order_day": [20500],
    ...     "checkout": [20500 * 1440 + 600], "currency": ["EUR"], "due_cents": [1490], "status": ["completed"],
    ...     "refund_expected": [False], "refund_cents": [-1], "refund_reason": [""], "refund_since_day": [-1],
    ...     "payment_method": [""], "end_reason": [""]})
    >>> txns = pd.DataFrame({"txn_id": ["b1"], "day": [20501], "amount_cents": [-1490], "currency": ["EUR"],
    ...     "orig_cents": [0], "orig_currency": [""], "merchant": ["aliexpress"], "payment_method": [""],
    ...     "related_id": [""], "bank_reference": [""], "refund_wording": [False], "is_duplicate": [False]})
    >>> complaint.reconcile_frames(orders, txns, as_of_day=20600).paid_eur_cents()
    1490
    """
    from ..reconciliation.engine import reconcile_frames as run

    return run(orders, txns, promises, decisions, as_of_day=as_of_day, **options)


def merchant_rules():
    """``(rules, refund_wording)``: the merchant rules (``.pattern`` regex, ``.merchant`` name,
    first match wins) that recognise AliExpress/Alipay/PayPal lines, and the regex of refund wording.

    >>> import complaint
    >>> rules, wording = complaint.merchant_rules()
    >>> rules[0].merchant, bool(wording.search("TERUGBETALING ALIEXPRESS"))
    ('paypal-aliexpress', True)
    """
    from ..importers.bank.merchants import DEFAULT_RULES, REFUND_WORDING

    return DEFAULT_RULES, REFUND_WORDING


DAY_EPOCH = date(1970, 1, 1)  # day number 0 of the engine's frames


def ecb_rates(currencies, days):
    """The ECB reference rate (units per EUR, float) for each (currency, day number), from the
    bundled ECB history; NaN where unknown.

    >>> import complaint, numpy as np
    >>> round(float(complaint.ecb_rates(np.array(["USD"], dtype=object), np.array([20_500]))[0]), 4)
    1.1855
    """
    from ..reconciliation.fx import rates_for

    return rates_for(currencies, days)


def duckdb_candidates(**options):
    """The SQL candidate source for :func:`reconcile_frames` (``candidates=``) for data larger than
    memory: ``memory_limit`` ("4GB"), ``temp_directory`` (where DuckDB spills), ``threads``.

    >>> import complaint
    >>> type(complaint.duckdb_candidates(memory_limit="1GB", threads=1)).__name__
    'DuckDBCandidates'
    """
    from ..reconciliation.duckdb_engine import DuckDBCandidates

    return DuckDBCandidates(**options)


def load_compiled_kernels() -> None:
    """Import the compiled kernels of the bulk path (and numba) now rather than on the first bulk
    run: what a benchmark does outside its timing.  A buyer's case never needs them."""
    from ..reconciliation.compiled import assign, pay, refund  # noqa: F401

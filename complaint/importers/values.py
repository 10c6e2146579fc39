"""Parsing amounts, currencies and dates as they appear in exports.

Amounts: ``1.234,56``, ``-1372.26``, ``1,234.56``, ``US $1,382.11``, ``129,46zł``, ``€12,34``,
``+0,00``, ``5,490000000``, trailing minus ``12,34-``.  Never float: always ``Decimal``.
Dates: ``dd/mm/yyyy``, ``dd-mm-yyyy``, ``dd.mm.yyyy``, ISO, ``M/D/YYYY`` (when told), ``Feb 10, 2026``,
``10 févr. 2026``, ``3. Aug 2025``, ``3 de ago. de 2025`` (month names of eight languages from CLDR,
see :mod:`complaint.importers.textdates`), CODA ``DDMMYY``.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from complaint.i18n import _

from .textdates import parse_text_date

_CURRENCY_SIGNS = {
    "US $": "USD", "US$": "USD", "$": "USD", "€": "EUR", "EUR": "EUR", "zł": "PLN", "PLN": "PLN",
    "£": "GBP", "GBP": "GBP", "CHF": "CHF", "USD": "USD", "C$": "CAD", "CA $": "CAD", "AU $": "AUD",
    "A$": "AUD", "¥": "CNY", "CN¥": "CNY", "руб.": "RUB", "R$": "BRL", "kr": "SEK", "Kč": "CZK",
}
_SIGN_RE = re.compile("|".join(re.escape(s) for s in sorted(_CURRENCY_SIGNS, key=len, reverse=True)))
_NUM_RE = re.compile(r"^[+-]?\d[\d., '\u00a0\u202f]*$")


class ValueParseError(ValueError):
    """A single cell that is not a number or a date; importers turn it into an Issue."""


def currency_in(text: str) -> str | None:
    """The ISO currency a display price names (``US $1.99`` -> USD), or None."""
    m = _SIGN_RE.search(text or "")
    return _CURRENCY_SIGNS[m.group(0)] if m else None


def parse_amount(text: str | None, decimal: str | None = None) -> Decimal | None:
    """A decimal amount from an export cell; None for an empty cell.

    ``decimal`` forces the decimal separator ("," or "."); by default it is inferred: the last
    of ``.``/``,`` is the decimal mark when followed by 1, 2 or more than 3 digits, or by 3 digits
    when both marks occur.  A lone mark followed by exactly 3 digits (``1,234``/``1.234``) is
    ambiguous, and is read as a thousands separator unless ``decimal`` says otherwise.
    """
    if text is None:
        return None
    raw = str(text).strip()
    if not raw:
        return None
    s = _SIGN_RE.sub("", raw).strip()
    s = s.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("'", "")
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1]
    if s.endswith("-") and not s.startswith("-"):
        negative, s = True, s[:-1]
    if s.startswith("+"):
        s = s[1:]
    elif s.startswith("-"):
        negative, s = not negative, s[1:]
    s = _SIGN_RE.sub("", s).strip()
    if not s or not _NUM_RE.match(s):
        raise ValueParseError(_("'{value}' is not a number", value=raw))
    if decimal is None:
        last_dot, last_comma = s.rfind("."), s.rfind(",")
        if last_dot >= 0 and last_comma >= 0:
            decimal = "." if last_dot > last_comma else ","
        elif last_dot >= 0 or last_comma >= 0:
            mark = "." if last_dot >= 0 else ","
            pos = max(last_dot, last_comma)
            digits_after = len(s) - pos - 1
            decimal = mark if (s.count(mark) == 1 and digits_after != 3) else ("," if mark == "." else ".")
        else:
            decimal = "."
    thousands = "," if decimal == "." else "."
    if s.count(decimal) > 1:
        raise ValueParseError(_("'{value}' is not a number", value=raw))
    s = s.replace(thousands, "").replace(decimal, ".")
    try:
        value = Decimal(s)
    except InvalidOperation as exc:
        raise ValueParseError(_("'{value}' is not a number", value=raw)) from exc
    if not value.is_finite():
        raise ValueParseError(_("'{value}' is not a number", value=raw))
    return -value if negative else value


def parse_date(text: str | None, fmt: str | None = None, *, dayfirst: bool = True) -> date | None:
    """A calendar date; ``fmt`` is a strptime format, else common layouts are tried.

    Slash dates are day-first (Belgian) unless ``dayfirst=False`` (US ``M/D/YYYY`` exporters).
    """
    if text is None:
        return None
    s = str(text).strip()
    if not s:
        return None
    if fmt:
        try:
            return datetime.strptime(s, fmt).date()
        except ValueError as exc:
            raise ValueParseError(_("'{value}' is not a date in the format {fmt}", value=s, fmt=fmt)) from exc
    m = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$", s)
    if m:
        return _mk(s, int(m[1]), int(m[2]), int(m[3]))
    m = re.match(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})(?:\s.*)?$", s)
    if m:
        a, b, y = int(m[1]), int(m[2]), int(m[3])
        if y < 100:
            y += 2000
        d, mo = (a, b) if dayfirst else (b, a)
        return _mk(s, y, mo, d)
    m = re.match(r"^(\d{4})(\d{2})(\d{2})", s)
    if m and len(s) >= 8:
        return _mk(s, int(m[1]), int(m[2]), int(m[3]))
    try:
        found = parse_text_date(s)
    except ValueError as exc:
        raise ValueParseError(_("'{value}' is not a valid date", value=s)) from exc
    if found is not None:
        return found
    raise ValueParseError(_("'{value}' is not a date", value=s))


def _mk(raw: str, y: int, m: int, d: int) -> date:
    try:
        return date(y, m, d)
    except ValueError as exc:
        raise ValueParseError(_("'{value}' is not a valid date", value=raw)) from exc


def parse_coda_date(text: str) -> date | None:
    """CODA ``DDMMYY``; ``000000`` means no date."""
    s = text.strip()
    if not s or s == "000000":
        return None
    if not s.isdigit() or len(s) != 6:
        raise ValueParseError(_("'{value}' is not a DDMMYY date", value=s))
    return _mk(s, 2000 + int(s[4:6]), int(s[2:4]), int(s[0:2]))


def minor_units(amount: Decimal, currency: str | None = None) -> int:
    """Decimal -> integer cents (half away from zero); JPY-like currencies have no minor unit."""
    exp = 0 if currency in {"JPY", "KRW"} else 2
    q = amount.scaleb(exp).to_integral_value(rounding="ROUND_HALF_UP")
    return int(q)


def from_minor(units: int, currency: str | None = None) -> Decimal:
    exp = 0 if currency in {"JPY", "KRW"} else 2
    return Decimal(units).scaleb(-exp)


def two_decimals(value: Decimal | None) -> Decimal | None:
    """A bank amount with two decimals when that loses no digit: ``1250.5`` -> ``1250.50``,
    ``25.990000000`` -> ``25.99``; ``1.234`` stays as it is (never rounded)."""
    if value is None:
        return None
    cents = value.quantize(Decimal("0.01")) if abs(value) < Decimal(10) ** 20 else value
    return cents if cents == value else value

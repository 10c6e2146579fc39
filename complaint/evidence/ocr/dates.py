"""Dates, times and amounts as the AliExpress app writes them in English, French, Dutch and German.

Month names come from CLDR (babel) for the four languages, wide and abbreviated, compared without
accents and dots (OCR often loses both).  Relative days ("Yesterday 14:02", "Hier", "Gisteren",
"Gestern", "Today"...) are resolved against the capture time of the screenshot.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache

LANGS = ("en", "fr", "nl", "de")
RELATIVE = {  # word -> days before the capture day
    "today": 0, "aujourd'hui": 0, "aujourdhui": 0, "vandaag": 0, "heute": 0,
    "yesterday": 1, "hier": 1, "gisteren": 1, "gestern": 1,
    "eergisteren": 2, "vorgestern": 2, "avant-hier": 2,
}


def fold(text: str) -> str:
    """Lower case without accents (what OCR output and a month table can both be compared as)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def months() -> dict[str, int]:
    from babel.dates import get_month_names

    table: dict[str, int] = {}
    for lang in LANGS:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, locale=lang).items():
                    table[fold(name).rstrip(".")] = number
    for extra, number in (("sept", 9), ("mrt", 3), ("maerz", 3), ("juil", 7), ("fevr", 2), ("janv", 1)):
        table.setdefault(extra, number)
    return table


_MONTH = r"([^\W\d_]{3,10}\.?)"
_TIME = r"(?:\s*(?:,|à|a|om|um|at|-)?\s*(\d{1,2})[:h](\d{2}))?"
DAY_MONTH_YEAR = re.compile(r"(?<!\d)(\d{1,2})\.?\s+" + _MONTH + r"\s+(\d{4})" + _TIME)
MONTH_DAY_YEAR = re.compile(_MONTH + r"\s+(\d{1,2}),?\s+(\d{4})" + _TIME)
ISO = re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]+(\d{1,2}):(\d{2}))?")
NUMERIC = re.compile(r"(?<![\d.])(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\s+(\d{1,2}):(\d{2}))?")
RELATIVE_TIME = re.compile(r"(?i)\b(" + "|".join(sorted(map(re.escape, RELATIVE), key=len, reverse=True))
                           + r")\b[\s,]*(?:(?:at|à|a|om|um)\s+)?(\d{1,2})[:h](\d{2})")


def _clock(h: str | None, m: str | None) -> time | None:
    if h is None or m is None:
        return None
    hh, mm = int(h), int(m)
    return time(hh, mm) if hh < 24 and mm < 60 else None


def _day(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def find_dates(text: str, captured: datetime | None = None) -> list[tuple[int, int, date, time | None]]:
    """Every date in ``text``: (start, end, day, time or None).  A relative day needs ``captured``."""
    found: list[tuple[int, int, date, time | None]] = []
    taken: list[tuple[int, int]] = []

    def add(m: re.Match, day: date | None, clock: time | None) -> None:
        if day is None or any(m.start() < e and s < m.end() for s, e in taken):
            return
        if not 2000 <= day.year <= 2100:
            return
        taken.append((m.start(), m.end()))
        found.append((m.start(), m.end(), day, clock))

    table = months()
    for m in DAY_MONTH_YEAR.finditer(text):
        month = table.get(fold(m.group(2)).rstrip("."))
        if month:
            add(m, _day(int(m.group(3)), month, int(m.group(1))), _clock(m.group(4), m.group(5)))
    for m in MONTH_DAY_YEAR.finditer(text):
        month = table.get(fold(m.group(1)).rstrip("."))
        if month:
            add(m, _day(int(m.group(3)), month, int(m.group(2))), _clock(m.group(4), m.group(5)))
    for m in ISO.finditer(text):
        add(m, _day(int(m.group(1)), int(m.group(2)), int(m.group(3))), _clock(m.group(4), m.group(5)))
    for m in NUMERIC.finditer(text):  # day first, as in Belgium and the four languages' apps
        add(m, _day(int(m.group(3)), int(m.group(2)), int(m.group(1))), _clock(m.group(4), m.group(5)))
    if captured is not None:
        for m in RELATIVE_TIME.finditer(text):
            back = RELATIVE.get(m.group(1).lower(), RELATIVE.get(fold(m.group(1))))
            if back is not None:
                add(m, captured.date() - timedelta(days=back), _clock(m.group(2), m.group(3)))
    return sorted(found)


# -- amounts ----------------------------------------------------------------------------------------

CURRENCIES = {"€": "EUR", "eur": "EUR", "us $": "USD", "us$": "USD", "usd": "USD", "$": "USD", "£": "GBP",
              "gbp": "GBP", "chf": "CHF", "pln": "PLN"}
_SYMBOL = r"(€|EUR|US\s?\$|USD|\$|£|GBP|CHF|PLN)"
_NUMBER = r"(\d{1,3}(?:[.,\s\u00a0\u202f]\d{3})*[.,]\d{2}|\d+[.,]\d{2})"
AMOUNT_BEFORE = re.compile(_SYMBOL + r"\s?" + _NUMBER + r"(?!\d)")
AMOUNT_AFTER = re.compile(r"(?<![\d.,])" + _NUMBER + r"\s?" + _SYMBOL)


def parse_number(text: str) -> Decimal | None:
    """'1.234,56', '1,234.56', '1 234,56', '14.90' -> Decimal: the last separator before two
    digits is the decimal one."""
    digits = re.sub(r"[\s\u00a0\u202f]", "", text)
    if len(digits) < 4 or digits[-3] not in ".,":
        return None
    whole, cents = digits[:-3], digits[-2:]
    whole = re.sub(r"[.,]", "", whole)
    try:
        return Decimal(f"{whole}.{cents}")
    except InvalidOperation:
        return None


def find_amounts(text: str) -> list[tuple[int, int, Decimal, str]]:
    """Every amount with a currency in ``text``: (start, end, amount, ISO currency)."""
    found = []
    taken: list[tuple[int, int]] = []
    for pattern, sym, num in ((AMOUNT_BEFORE, 1, 2), (AMOUNT_AFTER, 2, 1)):
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            value = parse_number(m.group(num))
            currency = CURRENCIES.get(re.sub(r"\s", " ", m.group(sym)).lower().replace("us $", "us $"))
            if currency is None:
                currency = CURRENCIES.get(m.group(sym).replace(" ", "").lower())
            if value is None or currency is None:
                continue
            taken.append((m.start(), m.end()))
            found.append((m.start(), m.end(), value, currency))
    return sorted(found)

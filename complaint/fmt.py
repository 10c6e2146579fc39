"""Amounts and dates in the Belgian conventions of the active language (babel: fr_BE, nl_BE,
en_BE, de_BE), for text the core builds for display."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

from .i18n import LOCALES, get_language


def money(amount: Decimal | float | int | str | None, currency: str | None = "EUR", lang: str | None = None,
          *, nbsp: bool = False) -> str:
    """``1234.5, "EUR"`` -> ``1.234,50 €`` (nl: ``€ 1.234,50``); ``—`` for no amount.

    ``nbsp=True`` keeps babel's no-break spaces (for a screen: the amount never wraps between the
    number and the sign); by default they are plain spaces (for text that is searched or copied)."""
    if amount is None:
        return "—"
    text = format_currency(Decimal(str(amount)), currency or "EUR", locale=LOCALES.get(lang or get_language(), "en_BE"))
    return text if nbsp else text.replace("\u202f", " ").replace("\xa0", " ")


def number(value: Decimal | float | int | str | None, lang: str | None = None) -> str:
    """A plain amount without currency (the currency is unknown), e.g. ``1.234,5`` (fr, nl)."""
    if value is None:
        return "—"
    text = format_decimal(Decimal(str(value)), locale=LOCALES.get(lang or get_language(), "en_BE"))
    return text.replace("\u202f", " ").replace("\xa0", " ")


def day(d: date | None, lang: str | None = None, style: str = "medium") -> str:
    """A calendar day, e.g. ``16 juil. 2026`` (fr), ``16 jul 2026`` (nl)."""
    if d is None:
        return "—"
    return format_date(d, format=style, locale=LOCALES.get(lang or get_language(), "en_BE"))


def moment(at: datetime | None, lang: str | None = None, seconds: bool = False, offset: bool = True) -> str:
    """A date and wall-clock time as it reads where it happened, e.g. ``2 mars 2026 14:05 +01:00``
    (24-hour clock, as in Belgium in every language); the UTC offset only for an aware time."""
    if at is None:
        return "—"
    text = day(at.date(), lang) + " " + at.strftime("%H:%M:%S" if seconds else "%H:%M")
    if offset and at.utcoffset() is not None:
        z = at.strftime("%z")
        text += f" {z[:3]}:{z[3:]}"
    return text

"""Amounts and dates in the Belgian conventions of the active language (babel: fr_BE, nl_BE,
en_BE, de_BE), for text the core builds for display."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_currency

from .i18n import LOCALES, get_language


def money(amount: Decimal | float | int | str | None, currency: str | None = "EUR", lang: str | None = None) -> str:
    """``1234.5, "EUR"`` -> ``1.234,50 €`` (nl: ``€ 1.234,50``); ``—`` for no amount."""
    if amount is None:
        return "—"
    text = format_currency(Decimal(str(amount)), currency or "EUR", locale=LOCALES.get(lang or get_language(), "en_BE"))
    return text.replace("\u202f", " ").replace("\xa0", " ")


def day(d: date | None, lang: str | None = None, style: str = "medium") -> str:
    """A calendar day, e.g. ``16 juil. 2026`` (fr), ``16 jul 2026`` (nl)."""
    if d is None:
        return "—"
    return format_date(d, format=style, locale=LOCALES.get(lang or get_language(), "en_BE"))

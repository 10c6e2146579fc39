"""Shared render helpers (formatting only; no business logic)."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_currency

from complaint.i18n import LOCALES, get_language


def money(amount: Decimal | float | int | None, currency: str = "EUR") -> str:
    """An amount in the Belgian conventions of the chosen language (12,34 € / € 12,34)."""
    if amount is None:
        return "—"
    return format_currency(Decimal(amount), currency, locale=LOCALES.get(get_language(), "en_BE"))


def day(value, fmt: str = "long") -> str:
    """A date in the chosen language's Belgian format (26 novembre 2026 / 26 november 2026)."""
    if value is None:
        return "—"
    from babel.dates import format_date

    return format_date(value, format=fmt, locale=LOCALES.get(get_language(), "en_BE"))

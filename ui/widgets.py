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

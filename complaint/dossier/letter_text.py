"""Plain-text pieces of a letter in its own language: amounts, dates, account numbers, quotes.

Letters are plain text that the user sends by post, e-mail, chat or a public post, so everything
here returns ``str`` without control characters, in the Belgian conventions of the letter's
language (babel fr_BE, nl_BE, en_BE, de_BE): "14,90 €", "€ 14,90", "18 juin 2026", "1er mars 2026".
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

from babel.dates import format_date, format_time
from babel.numbers import format_currency

from ..calendar_be import BRUSSELS
from ..i18n import LOCALES

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
QUOTE_CHARS = 180  # a seller's answer or a note is quoted up to this many characters


def plain(value: object) -> str:
    """User- or seller-supplied text made safe for a plain-text letter (no control characters)."""
    return _CONTROL.sub("", str(value)).strip()


def plain_multiline(text: str) -> str:
    return "\n".join(_CONTROL.sub("", line).rstrip() for line in str(text).replace("\r\n", "\n").split("\n"))


def money(amount: Decimal | None, currency: str | None, lang: str) -> str | None:
    if amount is None:
        return None
    text = format_currency(Decimal(amount), currency or "EUR", locale=LOCALES[lang])
    return text.replace("\u202f", " ").replace("\xa0", " ")


def day(d: date | None, lang: str) -> str | None:
    if d is None:
        return None
    text = format_date(d, "long", locale=LOCALES[lang])
    if lang == "fr" and d.day == 1:
        text = "1er" + text[1:]  # "1er mars 2026", as French writes the first of the month
    return text


def moment(at: datetime | None, lang: str) -> str | None:
    if at is None:
        return None
    local = at.astimezone(BRUSSELS)
    return day(local.date(), lang) + " " + format_time(local, "HH:mm", locale=LOCALES[lang])


def account(value: str | None) -> str | None:
    """An IBAN in groups of four ("BE62 7350 4821 6361"); anything else as it is."""
    if not value:
        return None
    text = plain(value)
    compact = text.replace(" ", "")
    if re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{8,30}", compact):
        return " ".join(compact[i:i + 4] for i in range(0, len(compact), 4))
    return text


def quote(text: str | None, limit: int = QUOTE_CHARS) -> str | None:
    """One line of someone's words, cut at a word boundary after ``limit`` characters ("…")."""
    if not text:
        return None
    line = " ".join(plain(text).split())
    if len(line) <= limit:
        return line
    cut = line[:limit].rsplit(" ", 1)[0].rstrip(" ,;:.")
    return cut + "…"

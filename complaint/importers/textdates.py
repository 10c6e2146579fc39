"""Dates written in words, in the language of the account that made the export.

Order exporters copy the AliExpress page text, so a date reads ``Aug 3, 2025``, ``3. Aug 2025``,
``3 août 2025``, ``3 aug. 2025``, ``3 de ago. de 2025``, ``28. Mai 2020`` or ``3 sierpnia 2025``
depending on the account's language.  The month names come from the Unicode CLDR through babel
(https://babel.pocoo.org/en/latest/api/dates.html, ``get_month_names``; CLDR
https://cldr.unicode.org/, checked December 2026): wide and abbreviated, format and stand-alone
forms, of every language in :data:`LANGUAGES`.  No month list is written by hand.

A word that names different months in two languages would make a date ambiguous; the table is
built at import time and :data:`CONFLICTS` lists such words (none for the languages below), so a
test can keep it empty.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from babel.dates import get_month_names

LANGUAGES = ("en", "fr", "nl", "de", "es", "it", "pl", "pt")
# words that join the parts of a date and mean nothing ("3 de ago. de 2025", "le 3 août")
_FILLERS = frozenset({"de", "del", "do", "da", "of", "the", "le", "den", "der", "am", "il", "el", "r", "roku"})
_TOKEN = re.compile(r"\d+|[^\W\d_]+")
_TIME = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?\s*m\.?)?", re.IGNORECASE)


def fold_word(word: str) -> str:
    """A month word compared without case, accents or a final dot: ``Févr.`` -> ``fevr``."""
    word = unicodedata.normalize("NFKD", word.strip().rstrip("."))
    return "".join(ch for ch in word if not unicodedata.combining(ch)).casefold().replace("ł", "l")


def _month_table() -> tuple[dict[str, int], dict[str, set[int]]]:
    seen: dict[str, set[int]] = {}
    for lang in LANGUAGES:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, lang).items():
                    seen.setdefault(fold_word(name), set()).add(number)
    table = {word: next(iter(nums)) for word, nums in seen.items() if len(nums) == 1}
    conflicts = {word: nums for word, nums in seen.items() if len(nums) > 1}
    return table, conflicts


MONTHS, CONFLICTS = _month_table()


def month_number(word: str) -> int | None:
    """The month a (possibly shortened) month word names in any language of :data:`LANGUAGES`."""
    w = fold_word(word)
    if not w or w.isdigit():
        return None
    if w in MONTHS:
        return MONTHS[w]
    # a shortening CLDR does not list ("Sept" for September in English, "Juni" cut to "Jun"):
    # accepted when every month word it starts has the same number
    if len(w) >= 3:
        nums = {n for name, n in MONTHS.items() if name.startswith(w)}
        if len(nums) == 1:
            return nums.pop()
    return None


def parse_text_date(text: str) -> date | None:
    """The date of ``text`` when it names its month in words; None when it does not look like one.

    Raises ValueError for a date that names a month but cannot exist (``31 févr. 2025``).
    """
    cleaned = _TIME.sub(" ", text or "")
    tokens = [t for t in _TOKEN.findall(cleaned) if fold_word(t) not in _FILLERS]
    numbers = [(i, t) for i, t in enumerate(tokens) if t.isdigit()]
    words = [(i, t) for i, t in enumerate(tokens) if not t.isdigit()]
    months = [(i, month_number(t)) for i, t in words]
    months = [(i, m) for i, m in months if m]
    if len(months) != 1 or len(numbers) < 2:
        return None
    years = [(i, t) for i, t in numbers if len(t) == 4]
    days = [(i, t) for i, t in numbers if len(t) <= 2]
    if len(years) != 1 or not days:
        return None
    month_at, month = months[0]
    # the day is the number next to the month word (before it in "3 août", after it in "Aug 3")
    day_at, day = min(days, key=lambda pair: (abs(pair[0] - month_at), pair[0]))
    return date(int(years[0][1]), month, int(day))

"""Recognise the dates and times people copy from web pages (chat, tracking), in EN/FR/NL/DE.

Layouts: ``2026-03-12 14:05(:22)``, ``2026/03/12 14:05``, ``12/03/2026 14:05``, ``12.03.2026 14:05 Uhr``,
``12-03-2026``, ``Mar 12, 2026 2:05 PM``, ``March 12, 2026 at 14:05``, ``12 mars 2026 à 14h05``,
``di 10 mrt 2026 08:15``, ``dinsdag 10 maart 2026 om 08:15``, ``Tuesday, March 10, 2026 08:15``,
each optionally without the time (a date-only separator line).  Slash dates are day-first
unless the text proves otherwise (see :func:`detect_dayfirst`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time

MONTHS: dict[str, int] = {}
for _num, _names in enumerate((
    "january jan janvier janv januari januar jänner",
    "february feb fev février févr fevrier fevr februari februar",
    "march mar mars maart mrt märz marz mär mrz",
    "april apr avril avr",
    "may mai mei",
    "june jun juin juni",
    "july jul juillet juil juli",
    "august aug août aout augustus",
    "september sep sept septembre",
    "october oct octobre okt oktober",
    "november nov novembre",
    "december dec décembre déc decembre dez dezember",
), start=1):
    for _name in _names.split():
        MONTHS[_name] = _num

WEEKDAYS = (
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun "
    "lundi mardi mercredi jeudi vendredi samedi dimanche lun mer jeu ven sam dim "
    "maandag dinsdag woensdag donderdag vrijdag zaterdag zondag ma di wo do vr za zo "
    "montag dienstag mittwoch donnerstag freitag samstag sonntag mo mi fr sa so"
).split()


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


_MON = rf"(?P<mon>{_alt(MONTHS)})"
_WD = rf"(?:(?:{_alt(WEEKDAYS)})\.?,?\s+)?"
_TIME = (r"(?:\s*(?:,|-|à|a|om|at|um|\|)?\s*(?P<H>\d{1,2})[:h](?P<M>\d{2})(?::(?P<S>\d{2}))?"
         r"(?:\s*(?P<ampm>[ap]\.?\s?m\.?)(?![a-z]))?(?:\s*(?:uhr|u)\b)?)?")
_PATTERNS = [
    re.compile(rf"\b(?P<y>\d{{4}})[-/.](?P<mo>\d{{1,2}})[-/.](?P<d>\d{{1,2}})(?:T|\b){_TIME}", re.I),
    re.compile(rf"\b{_WD}(?P<a>\d{{1,2}})[/.\-](?P<b>\d{{1,2}})[/.\-](?P<y>\d{{4}}|\d{{2}})\b{_TIME}", re.I),
    re.compile(rf"\b{_WD}(?P<d>\d{{1,2}})(?:er|st|nd|rd|th|e)?\.?\s+{_MON}\.?,?\s+(?P<y>\d{{4}})\b{_TIME}", re.I),
    re.compile(rf"\b{_WD}{_MON}\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})\b{_TIME}", re.I),
]
_TIME_ONLY = re.compile(r"^(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?(?:\s*(?P<ampm>[ap]\.?\s?m\.?)(?![a-z]))?",
                        re.I)
_NUMERIC_DMY = re.compile(r"\b(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})\b")


@dataclass(frozen=True, slots=True)
class Found:
    start: int
    end: int
    day: date
    at: time | None  # None: the text gave a date only


def detect_dayfirst(text: str, default: bool = True) -> tuple[bool, bool]:
    """(dayfirst, ambiguous) for the slash/dot dates of a whole text.

    A first number above 12 proves day-first; a second number above 12 proves month-first;
    otherwise the Belgian day-first reading is used and ``ambiguous`` says no date decided it.
    """
    ambiguous = False
    for a, b, _y in _NUMERIC_DMY.findall(text):
        a, b = int(a), int(b)
        if a > 12 >= b:
            return True, False
        if b > 12 >= a:
            return False, False
        if a != b:
            ambiguous = True
    return default, ambiguous


def _time(m: re.Match) -> time | None:
    if m.group("H") is None:
        return None
    hour, minute = int(m.group("H")), int(m.group("M"))
    second = int(m.group("S")) if m.group("S") else 0
    ampm = (m.group("ampm") or "").lower().replace(".", "").replace(" ", "")
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return time(hour, minute, second)


def find_datetime(line: str, dayfirst: bool = True) -> Found | None:
    """The first date (with its time, if any) in a line, or None."""
    best: Found | None = None
    for pattern in _PATTERNS:
        for m in pattern.finditer(line):
            groups = m.groupdict()
            try:
                if groups.get("mon"):
                    day = date(int(groups["y"]), MONTHS[groups["mon"].lower()], int(groups["d"]))
                elif groups.get("a"):
                    a, b, y = int(groups["a"]), int(groups["b"]), int(groups["y"])
                    y = y + 2000 if y < 100 else y
                    d, mo = (a, b) if dayfirst else (b, a)
                    day = date(y, mo, d)
                else:
                    day = date(int(groups["y"]), int(groups["mo"]), int(groups["d"]))
            except ValueError:
                continue
            at = _time(m)
            end = m.end() if at is not None else m.end("y")
            found = Found(m.start(), end, day, at)
            if best is None or found.start < best.start:
                best = found
            break
    return best


def find_time_only(line: str) -> tuple[time, int] | None:
    """A time alone at the start of a line ('08:15 Zending is bezorgd') -> (time, end)."""
    m = _TIME_ONLY.match(line)
    if not m:
        return None
    at = _time(m)
    return (at, m.end()) if at is not None else None

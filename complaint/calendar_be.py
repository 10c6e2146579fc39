"""Belgian business days and local time.

Business days are Monday to Friday minus Belgian public holidays (``holidays`` package, BE), the
way platform refund delays ("3-20 business days") and Belgian deadlines are counted here.
"""

from __future__ import annotations

import functools
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays

BRUSSELS = ZoneInfo("Europe/Brussels")


@functools.cache
def _be_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("BE", years=year).keys())


def is_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _be_holidays(day.year)


def add_business_days(start: date, n: int) -> date:
    """The date ``n`` Belgian business days after ``start`` (``start`` itself not counted)."""
    if n < 0:
        raise ValueError("n must be >= 0")
    day = start
    while n > 0:
        day += timedelta(days=1)
        if is_business_day(day):
            n -= 1
    return day


def business_days_between(start: date, end: date) -> int:
    """Business days after ``start`` up to and including ``end`` (0 when end <= start)."""
    if end <= start:
        return 0
    count = 0
    day = start
    # whole weeks fast path
    while (end - day).days > 7:
        week_end = day + timedelta(days=7)
        count += sum(1 for k in range(1, 8) if is_business_day(day + timedelta(days=k)))
        day = week_end
    while day < end:
        day += timedelta(days=1)
        if is_business_day(day):
            count += 1
    return count


def local_day(instant: datetime) -> date:
    """The Brussels calendar day of an aware instant."""
    if instant.tzinfo is None:
        raise ValueError("naive datetime")
    return instant.astimezone(BRUSSELS).date()


def today_brussels() -> date:
    return datetime.now(BRUSSELS).date()

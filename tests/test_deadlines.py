"""Deadlines in Belgian business days, iCalendar export, call window across DST."""

from __future__ import annotations

from datetime import UTC, date, datetime

from dossier_case import AS_OF, LAMP, REFUND, SHOES, build_case, build_recon

from complaint.deadlines import (
    Deadline,
    add_months,
    call_window,
    deadlines,
    deadlines_ics,
    refund_due_date,
    upcoming,
)


def _by(items, oid, kind):
    return [d for d in items if d.order_id == oid and d.kind == kind]


def test_refund_due_in_belgian_business_days():
    # 2 March 2026 (Monday) + 20 business days, Easter Monday 6 April not in range -> 30 March
    assert refund_due_date(date(2026, 3, 2), "debit_card") == date(2026, 3, 30)
    # across Easter Monday (6 April 2026): 27 March + 20 business days skips it -> 27 April
    assert refund_due_date(date(2026, 3, 27), "credit_card") == date(2026, 4, 27)
    assert refund_due_date(date(2026, 3, 2), "platform_balance") == date(2026, 3, 16)  # 10 business days


def test_case_deadlines():
    items = deadlines(build_case(), build_recon(), AS_OF)
    assert items == sorted(items, key=lambda d: (d.date, d.order_id, d.kind))
    assert _by(items, LAMP, "follow_up")[0].date == date(2026, 3, 18)  # message 11 March, no answer
    assert _by(items, LAMP, "dispute_window")[0].date == date(2026, 3, 25)
    assert _by(items, LAMP, "withdrawal")[0].date == date(2026, 3, 24)
    assert _by(items, LAMP, "guarantee_notice")[0].date == date(2026, 5, 10)
    assert _by(items, LAMP, "guarantee_end")[0].date == date(2028, 3, 10)
    assert _by(items, LAMP, "chargeback_bank_limit")[0].date == date(2026, 5, 21)
    assert _by(items, REFUND, "refund_due")[0].date == date(2026, 3, 30)
    assert not _by(items, REFUND, "chargeback_deadline")  # debit card
    assert _by(items, SHOES, "paypal_deadline")[0].date == date(2026, 8, 28)
    assert not _by(items, SHOES, "follow_up")  # the seller answered
    assert all(d.source_rule for d in items)
    assert all(d.date >= AS_OF for d in upcoming(items, AS_OF))


def test_add_months_clamps():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


def test_call_window_winter_and_summer_time():
    start, end = call_window(date(2026, 3, 27))  # Friday before DST: CET
    assert (start.hour, end.hour, start.utcoffset().total_seconds()) == (2, 11, 3600)
    start, end = call_window(date(2026, 3, 30))  # Monday after DST: CEST
    assert (start.hour, end.hour, start.utcoffset().total_seconds()) == (3, 12, 7200)
    assert call_window(date(2026, 10, 23))[0].hour == 3
    assert call_window(date(2026, 10, 26))[0].hour == 2
    assert str(start.tzinfo) == "Europe/Brussels"


def test_ics_is_rfc5545():
    long_label = "Remboursement de 23,50 € attendu; très long libellé " * 4
    ics = deadlines_ics([Deadline(REFUND, date(2026, 3, 30), "refund_due", long_label, "refund_delay")],
                        stamp=datetime(2026, 4, 20, 10, 0, tzinfo=UTC))
    assert ics.startswith("BEGIN:VCALENDAR\r\n") and ics.endswith("END:VCALENDAR\r\n")
    lines = ics.split("\r\n")
    assert "\n" not in ics.replace("\r\n", "")
    assert all(len(line.encode()) <= 75 for line in lines)
    assert "DTSTART;VALUE=DATE:20260330" in lines and "DTSTAMP:20260420T100000Z" in lines
    assert any(line.startswith("UID:") for line in lines)
    assert "BEGIN:VALARM" in lines and "TRIGGER:-P1D" in lines
    unfolded = ics.replace("\r\n ", "")
    assert "attendu\\; très" in unfolded and "23\\,50" in unfolded
    ics.encode("utf-8")  # folding never splits a multi-byte character

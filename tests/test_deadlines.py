"""Deadlines in Belgian business days, iCalendar export, call window across DST."""

from __future__ import annotations

from datetime import UTC, date, datetime

from dossier_case import AS_OF, LAMP, REFUND, SHOES, build_case, build_recon

from complaint.dossier.deadlines import (
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


# --- cost: one pass over the case, whatever the number of orders ------------------------------

class _Counted(list):
    """A list that counts how often it is walked through."""

    walks = 0

    def __iter__(self):
        type(self).walks += 1
        return super().__iter__()


def _generated(n: int):
    """``n`` orders: every 3rd cancelled (refund expected, a missing credit for half of those),
    every 5th annotated damaged (credit card), every 7th with a message sent; one payment each."""
    from datetime import timedelta
    from decimal import Decimal

    from dossier_case import MissingCredit, Recon, ev, order

    from complaint.case import CaseData
    from complaint.records import BankTxn, Match, OrderAnnotation, OrderStatus

    case = CaseData(name="generated", as_of=AS_OF)
    recon = Recon(summary={})
    for i in range(n):
        oid = str(8_200_000_000_000_000 + i)
        day = date(2025, 1, 1) + timedelta(days=i % 400)
        cancelled = i % 3 == 0
        case.orders.append(order(oid, day, "12.50", f"item {i}", f"store {i % 40}",
                                 status=OrderStatus.CANCELLED if cancelled else OrderStatus.COMPLETED,
                                 refund_expected=cancelled))
        case.transactions.append(BankTxn(id=f"t{i}", booking_date=day + timedelta(days=1), amount=Decimal("-12.50"),
                                         currency="EUR", payment_method="debit_card"))
        recon.matches.append(Match(kind="payment", order_ids=(oid,), txn_ids=(f"t{i}",), score=9.0))
        if cancelled and i % 2 == 0:
            recon.missing_credits.append(MissingCredit(oid, Decimal("12.50"), "EUR", day + timedelta(days=3), 30,
                                                       "overdue", day + timedelta(days=31)))
        if i % 5 == 0:
            case.annotations[oid] = OrderAnnotation(oid, problem="damaged", payment_method="credit_card",
                                                    delivered_on=day + timedelta(days=12))
        if i % 7 == 0:
            case.events.append(ev("message_out", day + timedelta(days=14), oid, "message"))
    return case, recon


def _walks(n: int) -> tuple[int, int, int]:
    case, recon = _generated(n)
    _Counted.walks = 0
    case.transactions = _Counted(case.transactions)
    case.events = _Counted(case.events)
    recon.matches = _Counted(recon.matches)
    items = deadlines(case, recon, AS_OF)
    assert len(items) > n // 3  # every problem order has deadlines
    return _Counted.walks, len(items), n


def test_deadlines_walk_the_case_a_fixed_number_of_times():
    """Transactions, events and matches are read a fixed number of times, not once per order
    (was: two dictionaries of all transactions and a scan of every event for each order)."""
    small, n_small, _ = _walks(60)
    large, n_large, _ = _walks(600)
    assert n_large > 9 * n_small
    assert small == large
    assert large <= 12


def test_deadlines_match_the_facts_of_each_order_on_its_own():
    """One case view shared by every order gives the same order views and deadlines as each order
    assembled on its own, in any order."""
    from complaint.dossier.view import build_case_view

    case, recon = _generated(90)
    shared = build_case_view(case, recon, AS_OF)
    shared.orders()
    for o in reversed(case.orders):
        assert shared.order(o.order_id) == build_case_view(case, recon, AS_OF).order(o.order_id)
    together = deadlines(case, recon, AS_OF)
    alone = sorted((d for o in case.orders for d in deadlines(case, recon, AS_OF, order_ids=[o.order_id])),
                   key=lambda d: (d.date, d.order_id, d.kind))
    assert together == [d for d in alone if d.order_id in {x.order_id for x in together}]
    assert {d.kind for d in together} >= {"refund_due", "follow_up", "withdrawal", "chargeback_deadline"}

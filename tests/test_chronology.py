"""Chronology: builders per source, stable ids, DST handling, flags, CSV/Markdown exports."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from complaint.case import CaseData
from complaint.csvsafe import safe_cell, write_csv
from complaint.records import (
    BankTxn,
    Evidence,
    Match,
    Order,
    OrderAnnotation,
    OrderStatus,
    Provenance,
    RefundPromise,
)
from complaint.timeline.events import (
    build_chronology,
    chronology_frame,
    event_id,
    filter_events,
    format_when,
    localize,
    manual_event,
)
from complaint.timeline.flags import find_contradictions
from complaint.timeline.table import chronology_csv, chronology_markdown

BXL = ZoneInfo("Europe/Brussels")
O1, O2 = "8190000000000001", "8190000000000002"


@dataclass
class MissingCredit:
    order_id: str
    expected_amount: Decimal
    currency: str
    expected_since: date
    business_days_waiting: int
    state: str
    due_date: date


@dataclass
class Reconciliation:
    matches: list
    missing_credits: list


def make_case() -> tuple[CaseData, Reconciliation]:
    prov = Provenance("orders.csv", "ab" * 32, "aliexpress.orders", 2)
    o1 = Order(O1, date(2026, 2, 20), OrderStatus.IN_DISPUTE, "In dispute", "EUR", Decimal("89.90"), store="Gadgets",
               order_time=datetime(2026, 2, 20, 21, 14, tzinfo=BXL), tz_source="export", provenance=prov)
    o2 = Order(O2, date(2026, 3, 2), OrderStatus.SHIPPED, "Shipped", "EUR", Decimal("24.50"), provenance=prov)
    t1 = BankTxn("r1", date(2026, 2, 23), Decimal("-89.90"), "EUR", counterparty="ALIEXPRESS", merchant="aliexpress")
    t2 = BankTxn("r2", date(2026, 3, 4), Decimal("-24.50"), "EUR", merchant="paypal-aliexpress")
    t3 = BankTxn("r3", date(2026, 3, 5), Decimal("-12.00"), "EUR", counterparty="BAKERY")  # not ours
    photo = Evidence("e1" * 32, "IMG_20260314_101500.jpg", 1000, "image/jpeg",
                     captured_at=datetime(2026, 3, 14, 10, 15, tzinfo=BXL), time_source="exif",
                     tz_source="exif-offset", order_id=O1, problem="damaged")
    case = CaseData(name="t", orders=[o1, o2], transactions=[t1, t2, t3], evidence=[photo], as_of=date(2026, 5, 4))
    case.promises.append(RefundPromise("p1", O1, Decimal("89.90"), "EUR", date(2026, 3, 25)))
    case.annotations[O1] = OrderAnnotation(O1, delivered_on=date(2026, 3, 13), dispute_opened_on=date(2026, 3, 15))
    rec = Reconciliation([Match("payment", (O1,), ("r1",), 0.9), Match("payment", (O2,), ("r2",), 0.9)],
                         [MissingCredit(O1, Decimal("89.90"), "EUR", date(2026, 3, 25), 27, "overdue",
                                        date(2026, 4, 22))])
    return case, rec


def test_builds_events_from_every_source():
    case, rec = make_case()
    events = build_chronology(case, rec)
    kinds = [e.kind for e in events]
    assert kinds.count("order_placed") == 2
    assert kinds.count("paid") == 2  # the bakery is not in the chronology
    assert {"delivered", "dispute_opened", "refund_promised", "refund_overdue", "photo_taken"} <= set(kinds)
    paid = next(e for e in events if e.kind == "paid" and e.order_ids == (O1,))
    assert paid.txn_ids == ("r1",) and paid.at is None and paid.lane == "bank"
    placed = next(e for e in events if e.kind == "order_placed" and e.order_ids == (O1,))
    assert placed.at == datetime(2026, 2, 20, 21, 14, tzinfo=BXL) and placed.tz_source == "export"
    photo = next(e for e in events if e.kind in ("photo_taken", "screenshot_taken"))
    assert photo.evidence_ids[0] == "e1" * 32 and photo.order_ids == (O1,)
    overdue = next(e for e in events if e.kind == "refund_overdue")
    assert overdue.on == date(2026, 4, 22) and "22 Apr 2026" in overdue.title
    assert "89,90 €" in overdue.title  # en_BE: decimal comma, symbol after
    assert [e.on for e in events] == sorted(e.on for e in events)


def test_ids_are_stable_and_manual_edits_win():
    case, rec = make_case()
    first = build_chronology(case, rec)
    assert [e.id for e in first] == [e.id for e in build_chronology(case, rec)]
    placed = next(e for e in first if e.kind == "order_placed")
    assert placed.id == event_id("order_placed", placed.order_ids[0])
    edited = replace(placed, title="Placed from the phone app", origin="manual")
    case.events.append(edited)
    again = build_chronology(case, rec)
    assert [e for e in again if e.id == placed.id] == [edited]
    assert len(again) == len(first)


def test_rejected_match_is_not_a_payment_of_that_order():
    case, rec = make_case()
    rec.matches[0] = replace(rec.matches[0], decision="rejected")
    events = build_chronology(case, rec)
    r1 = next(e for e in events if e.txn_ids == ("r1",))
    assert r1.order_ids == ()  # still listed (an AliExpress charge) but not tied to the order


def test_filter_and_frame():
    case, rec = make_case()
    events = build_chronology(case, rec)
    only = filter_events(events, order_id=O2)
    assert only and all(O2 in e.order_ids for e in only)
    bank = filter_events(events, lanes=["bank"], start=date(2026, 3, 1))
    assert {e.kind for e in bank} == {"paid", "refund_overdue"}
    frame = chronology_frame(events)
    assert len(frame) == len(events)
    assert str(frame["at_utc"].dtype).startswith("datetime64") and frame["date_only"].dtype == bool
    assert frame.loc[frame["kind"] == "paid", "date_only"].all()


# --- time zones across the Belgian DST changes ------------------------------------------------

def test_spring_gap_moves_forward():
    aware, note = localize(datetime(2026, 3, 29, 2, 30))  # does not exist in Brussels
    assert aware.astimezone(UTC) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert aware.utcoffset().total_seconds() == 7200 and aware.hour == 3
    assert note and "does not exist" in note


def test_autumn_repeat_takes_first():
    aware, note = localize(datetime(2026, 10, 25, 2, 30))  # happens twice
    assert aware.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # CEST, +02:00
    assert note and "twice" in note
    plain, none = localize(datetime(2026, 10, 25, 4, 30))
    assert none is None and plain.utcoffset().total_seconds() == 3600


def test_manual_event_naive_time_and_display():
    ev, note = manual_event("letter_sent", "Letter to the seller", date(2026, 3, 29), at=datetime(2026, 3, 29, 2, 30),
                            order_ids=[O1, " "])
    assert note and ev.at.utcoffset().total_seconds() == 7200 and ev.tz_source == "assumed Europe/Brussels"
    assert ev.order_ids == (O1,) and ev.lane == "messages" and ev.origin == "manual"
    assert format_when(ev) == "2026-03-29 03:30 +02:00"
    day_only, _ = manual_event("note", "Called the bank", date(2026, 4, 2))
    assert format_when(day_only).startswith("2026-04-02") and "date only" in format_when(day_only)


# --- flags -------------------------------------------------------------------------------

def codes(flags):
    return sorted(f.code for f in flags)


def test_clean_case_has_only_expected_flags():
    case, rec = make_case()
    events = build_chronology(case, rec)
    assert codes(find_contradictions(events, case)) == ["silence"]  # 25/03 -> 04/05 with nothing


def test_photo_before_delivery_and_refund_before_promise():
    case, rec = make_case()
    case.evidence[0] = replace(case.evidence[0], captured_at=datetime(2026, 3, 10, 9, 0, tzinfo=BXL))
    case.transactions.append(BankTxn("r9", date(2026, 3, 20), Decimal("89.90"), "EUR", merchant="aliexpress"))
    rec.matches.append(Match("refund", (O1,), ("r9",), 0.9))
    flags = find_contradictions(build_chronology(case, rec), case)
    assert "photo_before_delivery" in codes(flags) and "refund_before_promise" in codes(flags)
    refund = next(f for f in flags if f.code == "refund_before_promise")
    assert refund.order_ids == (O1,) and "20 Mar 2026" in refund.message


def test_future_paid_twice_exif_mismatch_silence():
    case, rec = make_case()
    case.transactions.append(BankTxn("r7", date(2026, 2, 24), Decimal("-89.90"), "EUR", merchant="aliexpress"))
    rec.matches.append(Match("payment", (O1,), ("r7",), 0.8))
    case.evidence[0] = replace(case.evidence[0], filename_time=datetime(2026, 3, 1, 10, 15, tzinfo=BXL))
    future, _ = manual_event("letter_sent", "Letter planned", date(2026, 6, 1))
    case.events.append(future)
    flags = find_contradictions(build_chronology(case, rec), case)
    assert {"future_event", "paid_twice", "exif_filename_mismatch", "silence"} <= set(codes(flags))
    twice = next(f for f in flags if f.code == "paid_twice")
    assert len(twice.event_ids) == 2
    # a reminder every 10 days removes the silence
    for day in (date(2026, 4, 3), date(2026, 4, 13), date(2026, 4, 23), date(2026, 5, 3)):
        case.events.append(manual_event("reminder_sent", "Reminder", day, order_ids=[O1])[0])
    assert "silence" not in codes(find_contradictions(build_chronology(case, rec), case))


# --- exports -------------------------------------------------------------------------------

@pytest.mark.parametrize("bad", ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_safe_cell_neutralises_formulas(bad):
    assert safe_cell(bad) == "'" + bad
    assert safe_cell(Decimal("-12.50")) == "-12.50" and safe_cell(None) == "" and safe_cell("ok") == "ok"


def test_chronology_csv_is_injection_safe_and_links_evidence():
    case, rec = make_case()
    evil, _ = manual_event("message_in", "=cmd|' /C calc'!A0", date(2026, 3, 16), body="@SUM(1)", order_ids=[O1])
    case.events.append(evil)
    events = build_chronology(case, rec)
    text = chronology_csv(events, case.evidence)
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == len(events) + 1
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert any(cell == "'=cmd|' /C calc'!A0" for row in rows for cell in row)
    assert any("IMG_20260314_101500.jpg (sha256 " + "e1" * 32 + ")" in cell for row in rows for cell in row)
    assert write_csv([{"a": "=1"}], ["a"]) == "a\r\n'=1\r\n"


def test_markdown_escapes_user_text():
    case, rec = make_case()
    evil, _ = manual_event("message_in", "[click](http://evil) <script>x</script> | *bold*\nnew row", date(2026, 3, 16))
    events = build_chronology(case, rec) + [evil]
    md = chronology_markdown(events, case.evidence)
    line = next(s for s in md.splitlines() if "click" in s)
    assert "<script>" not in md and "&lt;script&gt;" in line
    assert "\\[click\\]\\(http://evil\\)" in line and "\\*bold\\*" in line and "\\|" in line
    assert line.count(" | ") == 5  # the table row was not broken by the user's pipe or newline
    assert "IMG\\_20260314\\_101500\\.jpg" in md


def test_edited_rows_round_trip_and_report_problems():
    from complaint.timeline.events import events_from_rows, manual_rows

    ev, _ = manual_event("reminder_sent", "Reminder", date(2026, 4, 3), at=datetime(2026, 4, 3, 9, 30),
                         order_ids=[O1], evidence_ids=["e1" * 32])
    rows = manual_rows([ev])
    assert rows[0]["time"] == "09:30" and rows[0]["order_ids"] == O1
    back, problems = events_from_rows(rows, {ev.id: ev})
    assert problems == [] and back == [ev]  # same id, evidence link kept
    rows.append({"day": date(2026, 4, 4), "time": "25:00", "kind": "note", "title": "x"})
    rows.append({"day": None, "kind": "note", "title": ""})
    _, problems = events_from_rows(rows)
    assert len(problems) == 2 and "row 2" in problems[0] and "row 3" in problems[1]

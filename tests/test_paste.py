"""Pasted seller conversations and tracking histories -> dated events."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from complaint.timeline.paste import parse_conversation, parse_tracking
from complaint.timeline.paste_time import detect_dayfirst, find_datetime

BXL = ZoneInfo("Europe/Brussels")
OID = "8190000000000001"


def at(*args):
    return datetime(*args, tzinfo=BXL)


def test_name_and_iso_header_multiline():
    text = ("Best Gadgets Store  2026-03-12 14:05\nHello dear, we shipped.\nPlease wait.\n\n"
            "You  2026-03-12 15:10\nIt arrived broken.\nSee photos.\n")
    r = parse_conversation(text, OID)
    assert [e.kind for e in r.events] == ["message_in", "message_out"]
    assert r.events[0].at == at(2026, 3, 12, 14, 5) and r.events[0].body == "Hello dear, we shipped.\nPlease wait."
    assert r.events[1].body == "It arrived broken.\nSee photos."
    assert r.events[0].title.startswith("Best Gadgets Store: Hello dear")
    assert all(e.order_ids == (OID,) and e.tz_source == "assumed Europe/Brussels" for e in r.events)
    assert r.events[1].provenance.line_no == 5 and r.events[1].provenance.importer == "paste.conversation"
    assert r.unparsed_lines == [] and r.warnings == []


def test_name_above_english_month_header_12h():
    text = "Best Gadgets Store\nMar 12, 2026 2:05 PM\nHi friend\nYou\nMar 13, 2026 09:00\nRefund please\n"
    r = parse_conversation(text, OID)
    assert [(e.kind, e.at) for e in r.events] == [("message_in", at(2026, 3, 12, 14, 5)),
                                                  ("message_out", at(2026, 3, 13, 9, 0))]
    assert r.events[0].body == "Hi friend"


def test_one_header_several_speakers_and_bracketed_times():
    text = ("Mar 14, 2026 10:12\nYou: The label says S.\nSimwood Store: Dear friend, so sorry.\nmore text\n"
            "You: OK, dispute opened.\nMar 20, 2026 16:40\nSimwood Store: Thank you.\n")
    r = parse_conversation(text, OID)
    assert [(e.kind, e.at.day) for e in r.events] == [("message_out", 14), ("message_in", 14), ("message_out", 14),
                                                      ("message_in", 20)]
    assert r.events[1].body == "Dear friend, so sorry.\nmore text"
    from complaint.timeline.events import sort_key
    assert sorted(r.events, key=sort_key) == r.events  # same minute: kept in pasted order
    b = parse_conversation("[22/04/2026 17:41] You: Hello\n[23/04/2026 08:12] Nordic Store: Hi", OID)
    assert [(e.kind, e.body) for e in b.events] == [("message_out", "Hello"), ("message_in", "Hi")]


def test_slash_dates_whatsapp_style_and_dutch_buyer():
    text = "12/03/2026 14:05 - Ik: Hallo\n13/03/2026 10:00 - Winkel: Goedendag\nmeer tekst"
    r = parse_conversation(text, OID)
    assert [e.kind for e in r.events] == ["message_out", "message_in"]
    assert r.events[1].body == "Goedendag\nmeer tekst" and r.events[1].at == at(2026, 3, 13, 10, 0)


@pytest.mark.parametrize("header, expected", [
    ("Vendeur  12 mars 2026 14:05", datetime(2026, 3, 12, 14, 5)),
    ("Vendeur  jeudi 12 mars 2026 à 14h05", datetime(2026, 3, 12, 14, 5)),
    ("Verkoper  do 12 mrt 2026 14:05", datetime(2026, 3, 12, 14, 5)),
    ("Verkoper  12 maart 2026 om 14:05", datetime(2026, 3, 12, 14, 5)),
    ("Vendeur  1er avril 2026 08:00", datetime(2026, 4, 1, 8, 0)),
    ("Verkoper  3 oktober 2026 08:00", datetime(2026, 10, 3, 8, 0)),
])
def test_french_and_dutch_months(header, expected):
    r = parse_conversation(header + "\nBonjour", OID)
    assert len(r.events) == 1 and r.events[0].at == expected.replace(tzinfo=BXL)
    assert r.events[0].kind == "message_in"


def test_day_separator_with_time_only_headers_and_custom_buyer_name():
    text = "12 March 2026\nJan Peeters  09:15\nWhere is my parcel?\nShop  09:40\nSoon.\n13 March 2026\n10:00\nStill?\n"
    r = parse_conversation(text, OID, buyer_names=("Jan Peeters",))
    assert [(e.kind, e.at.time()) for e in r.events] == [("message_out", time(9, 15)), ("message_in", time(9, 40)),
                                                         ("message_in", time(10, 0))]
    assert r.events[2].on == date(2026, 3, 13)
    assert any("no sender" in w for w in r.warnings)  # "10:00" alone: who said it is unknown


def test_support_chat_and_unattributed_lead_lines():
    text = "Conversation export\nblah blah.\nCustomer Service  2026-03-20 11:00\nWe are checking.\n"
    r = parse_conversation(text, OID)
    assert [e.kind for e in r.events] == ["support_chat"]
    assert r.unparsed_lines == [(1, "Conversation export"), (2, "blah blah.")]
    assert r.warnings


def test_unknown_text_becomes_one_editable_event():
    r = parse_conversation("the seller said he would refund me\nnext week", OID, today=date(2026, 4, 1))
    assert len(r.events) == 1 and r.events[0].at is None and r.events[0].on == date(2026, 4, 1)
    assert "edit" in r.events[0].title and r.events[0].body.startswith("the seller said")
    assert r.warnings and len(r.unparsed_lines) == 2
    assert parse_conversation("   ", OID).events == []


def test_stable_ids_on_repaste_and_dst_warnings():
    text = "Shop  2026-03-29 02:30\nspring\nShop  2026-10-25 02:30\nautumn\n"
    a, b = parse_conversation(text, OID), parse_conversation(text, OID)
    assert [e.id for e in a.events] == [e.id for e in b.events]
    assert a.events[0].at.astimezone(UTC) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert a.events[1].at.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert len([w for w in a.warnings if "line" in w]) == 2


def test_dayfirst_detection():
    assert detect_dayfirst("03/13/2026 and 03/04/2026") == (False, False)
    assert detect_dayfirst("13/03/2026") == (True, False)
    assert detect_dayfirst("03/04/2026") == (True, True)
    r = parse_conversation("Shop  03/13/2026 10:00\nhi\nShop  03/14/2026 10:00\nhello", OID)
    assert [e.on for e in r.events] == [date(2026, 3, 13), date(2026, 3, 14)]
    assert find_datetime("Hello see you at 14:05") is None and find_datetime("31/02/2026 10:00") is None


# --- tracking --------------------------------------------------------------------------------

def test_cainiao_same_line_and_tracking_number_header():
    text = ("Tracking number: LP00123456789012\nCarrier: Cainiao\n2026-03-10 08:15:22  Arrived at destination country\n"
            "2026-02-24 10:11:00  Seller shipped\n2026-03-12 10:00:00  Delivered\n")
    r = parse_tracking(text, OID)
    assert [e.kind for e in r.events] == ["tracking", "shipped", "delivered"]
    assert r.events[0].at == at(2026, 3, 10, 8, 15, 22) and r.events[0].title == "Arrived at destination country"
    assert r.events[0].provenance.locator == "LP00123456789012" and "LP00123456789012" in r.events[0].body
    assert "Carrier: Cainiao" in r.events[0].body
    assert all(e.lane == "tracking" for e in r.events) and r.unparsed_lines == [] and r.warnings == []


def test_bpost_tabbed_columns():
    text = ("13/03/2026\t08:15\tBruxelles X\tVotre envoi a été livré\n"
            "13/03/2026\t06:30\tBruxelles X\tVotre envoi est en cours de livraison\n")
    r = parse_tracking(text, OID, tracking_number="323299000000000000")
    assert [e.kind for e in r.events] == ["delivered", "tracking"]
    assert "Bruxelles X" in r.events[0].title and r.events[0].at == at(2026, 3, 13, 8, 15)


def test_postnl_day_groups():
    text = ("dinsdag 10 maart 2026\n08:15 Zending is bezorgd\n07:00 Zending wordt vandaag bezorgd\n"
            "ma 9 mrt 2026\n18:00 Zending is gesorteerd\n")
    r = parse_tracking(text, OID)
    assert [(e.kind, e.at) for e in r.events] == [("delivered", at(2026, 3, 10, 8, 15)),
                                                  ("tracking", at(2026, 3, 10, 7, 0)),
                                                  ("tracking", at(2026, 3, 9, 18, 0))]


def test_postnl_same_line_and_dhl_layouts():
    r = parse_tracking("di 10 mrt 2026 08:15 Pakket is afgeleverd\n", OID)
    assert r.events[0].kind == "delivered" and r.events[0].at == at(2026, 3, 10, 8, 15)
    dhl = ("Tuesday, March 10, 2026 8:15 AM  BRUSSELS - BELGIUM  Delivered\n"
           "Monday, March 9, 2026 9:40 PM  BRUSSELS - BELGIUM  With delivery courier\n")
    r = parse_tracking(dhl, OID)
    assert [(e.kind, e.at) for e in r.events] == [("delivered", at(2026, 3, 10, 8, 15)),
                                                  ("tracking", at(2026, 3, 9, 21, 40))]
    de = parse_tracking("Di, 10.03.2026 08:15 Uhr Die Sendung wurde zugestellt.", OID)
    assert de.events[0].kind == "delivered"


def test_description_below_and_above_the_date():
    below = parse_tracking("2026-03-12 10:00\nDelivered\nBrussels\n2026-03-12 07:00\nOut for delivery\n", OID)
    assert [(e.kind, e.title) for e in below.events] == [("delivered", "Delivered"), ("tracking", "Out for delivery")]
    assert "Brussels" in below.events[0].body
    above = parse_tracking("Delivered\n2026-03-12 10:00\nOut for delivery\n2026-03-12 07:00\n", OID)
    assert [(e.kind, e.at.hour) for e in above.events] == [("delivered", 10), ("tracking", 7)]


def test_bad_tracking_input_reports_everything():
    r = parse_tracking("no dates here\nat all", OID)
    assert r.events == [] and r.unparsed_lines == [(1, "no dates here"), (2, "at all")] and r.warnings
    dup = parse_tracking("2026-03-12 10:00 Delivered\n2026-03-12 10:00 Delivered\n", OID)
    assert len(dup.events) == 1
    lone = parse_tracking("2026-03-12 10:00\n", OID)
    assert lone.events and lone.warnings  # a date without a description is kept and reported

"""Text on screenshots (issue 21): dates, amounts, screen shapes and facts without Tesseract; the
reading of rendered screenshots, the CLI fields, the cache, suggestions and their decisions with it."""

from __future__ import annotations

import io
import json
from datetime import date, datetime
from decimal import Decimal

import pytest
from click.testing import CliRunner
from evidence_factory import jpeg, make_exif
from PIL import Image

import complaint
from bench.ocr_screens import photographed, refund_png, screen_png, tall_capture
from complaint import api
from complaint.cli import cli
from complaint.evidence.ocr import dates, engine, facts
from complaint.evidence.ocr.detect import is_screen, screen_shape
from complaint.evidence.ocr.engine import Word
from complaint.records import Evidence

needs_tesseract = pytest.mark.skipif(api.ocr_status() is not None, reason="Tesseract is not installed")
CAPTURED = datetime(2026, 6, 20, 9, 0)


# -- without Tesseract ------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "day", "clock"), [
    ("18 Jun 2026", date(2026, 6, 18), None), ("Jun 18, 2026", date(2026, 6, 18), None),
    ("18 juin 2026 14:02", date(2026, 6, 18), "14:02"), ("18 févr. 2026", date(2026, 2, 18), None),
    ("18 fevr. 2026", date(2026, 2, 18), None), ("12 mrt. 2026", date(2026, 3, 12), None),
    ("3. März 2026 um 09:15", date(2026, 3, 3), "09:15"), ("3. Marz 2026", date(2026, 3, 3), None),
    ("2026-10-14 06:12", date(2026, 10, 14), "06:12"), ("18/06/2026", date(2026, 6, 18), None),
    ("Yesterday 14:02", date(2026, 6, 19), "14:02"), ("Hier à 14:02", date(2026, 6, 19), "14:02"),
    ("Gisteren 14:02", date(2026, 6, 19), "14:02"), ("Gestern 14:02", date(2026, 6, 19), "14:02"),
    ("Vandaag 08:00", date(2026, 6, 20), "08:00"),
])
def test_dates_in_four_languages_and_relative_ones(text, day, clock):
    (start, end, got, at), = dates.find_dates(text, CAPTURED)
    assert got == day and (at.strftime("%H:%M") if at else None) == clock


def test_no_date_from_numbers_that_are_not_dates():
    assert dates.find_dates("Order ID: 8116516504403817 · 3-20 business days · 45 mai", CAPTURED) == []
    assert dates.find_dates("Yesterday 14:02", None) == []  # a relative day needs the capture time


@pytest.mark.parametrize(("text", "amount", "currency"), [
    ("€14.90", "14.90", "EUR"), ("14,90 €", "14.90", "EUR"), ("€ 1.234,56", "1234.56", "EUR"),
    ("1 234,56 €", "1234.56", "EUR"), ("US $12.30", "12.30", "USD"), ("EUR 7,00", "7.00", "EUR"),
])
def test_amounts_in_the_four_languages_formats(text, amount, currency):
    (_s, _e, value, cur), = dates.find_amounts(text)
    assert value == Decimal(amount) and cur == currency


def test_no_amount_without_a_currency():
    assert dates.find_amounts("We will refund you 14.90.") == []


def test_screen_shapes_and_camera_photos():
    assert screen_shape(1080, 2400) == "phone" and screen_shape(1080, 20000) == "scroll"
    assert screen_shape(1920, 1080) == "desktop" and screen_shape(4000, 3000) is None
    shot = Evidence("a" * 64, "Screenshot_1.png", 1, media_type="image/png", width=1080, height=2400)
    assert is_screen(shot)
    assert not is_screen(Evidence("b" * 64, "IMG_1.jpg", 1, media_type="image/jpeg", width=1080, height=2400,
                                  camera_make="samsung"))
    assert not is_screen(Evidence("c" * 64, "x.heic", 1, media_type="image/heic", width=1080, height=2400))


def _words(rows):
    out = []
    for y, x, text in rows:
        for word in text.split():
            out.append(Word(word, x, y, 18 * len(word), 40, 95.0))
            x += 18 * len(word) + 14
    return out


def test_facts_of_a_refund_screen_from_words():
    screen = facts.read_facts(_words([(300, 60, "Refund successful"), (380, 60, "Refund amount: 14,90 €"),
                                      (460, 60, "18 Jun 2026"), (540, 60, "Order ID: 8116516504403817")]),
                              (1080, 2400), CAPTURED)
    assert screen.type == "refund"
    got = {(f.kind, json.dumps(f.value)) for f in screen.facts}
    assert got == {("refund_status", '"successful"'), ("amount", '{"amount": "14.90", "currency": "EUR"}'),
                   ("date", '"2026-06-18"'), ("order_id", '"8116516504403817"')}
    oid = next(f for f in screen.facts if f.kind == "order_id")
    assert oid.box[1] == 540 and oid.box[0] > 60 and oid.text == "8116516504403817"


def test_chat_messages_have_their_sender_and_time():
    screen = facts.read_facts(_words([(200, 60, "Chat — Store"), (300, 60, "Yesterday 09:43"),
                                      (380, 500, "Hello, it arrived broken."), (460, 60, "Yesterday 09:48"),
                                      (540, 60, "Sorry! Send a photo.")]), (1080, 2400), CAPTURED)
    assert screen.type == "chat"
    assert [(f.value["sender"], f.value["at"]) for f in screen.facts if f.kind == "message"] == [
        ("buyer", "2026-06-19T09:43"), ("seller", "2026-06-19T09:48")]


def test_tiles_cover_a_tall_capture_with_overlap():
    spans = engine.tiles(20_000)
    assert spans[0][0] == 0 and spans[-1][1] == 20_000
    assert all(b - a <= engine.TILE_HEIGHT for a, b in spans)
    assert all(nxt[0] == prev[1] - engine.OVERLAP for prev, nxt in zip(spans, spans[1:], strict=False))


def test_without_tesseract_the_fields_are_absent_and_one_line_says_why(tmp_path, monkeypatch):
    monkeypatch.setenv("COMPLAINT_OCR", "0")
    png, _truth = screen_png("refund", "en")
    (tmp_path / "Screenshot_20260620-090000.png").write_bytes(png)
    res = CliRunner().invoke(cli, ["evidence", str(tmp_path), "--format", "json"])
    assert res.exit_code == 0, res.output
    row, = json.loads(res.stdout)
    assert "screen" not in row and "text_facts" not in row
    assert "text recognition is off (COMPLAINT_OCR=0)" in res.stderr


# -- with Tesseract ---------------------------------------------------------------------------------

def _read(png: bytes, name: str = "Screenshot_20260620-090000.png"):
    f, = api.read_evidence(_Upload(name, png), ocr=True)
    return f


class _Upload:
    def __init__(self, name, data):
        self.name, self._data = name, data

    def getvalue(self):
        return self._data


def _key(kind, value):
    if kind == "carrier_event" or kind == "message":
        return kind, value["at"]
    return kind, json.dumps(value, sort_keys=True)


@needs_tesseract
@pytest.mark.parametrize(("kind", "lang", "theme", "font"), [
    ("refund", "en", "light", "DejaVu Sans"), ("refund", "fr", "dark", "Liberation Sans"),
    ("order", "nl", "light", "Roboto"), ("order", "de", "dark", "DejaVu Serif"),
])
def test_screenshots_give_their_order_id_amount_and_date(kind, lang, theme, font):
    png, truth = screen_png(kind, lang, seed=3, theme=theme, font=font)
    reading = _read(png).reading
    assert reading.status == "read" and reading.type == kind
    got = {_key(f.kind, f.value) for f in reading.facts}
    assert {_key(t["kind"], t["value"]) for t in truth} <= got


@needs_tesseract
def test_tracking_and_chat_screens():
    png, truth = screen_png("tracking", "de", seed=4)
    reading = _read(png).reading
    assert reading.type == "tracking"
    want = {t["value"]["at"] for t in truth if t["kind"] == "carrier_event"}
    assert {f.value["at"] for f in reading.facts if f.kind == "carrier_event"} == want
    png, truth = screen_png("chat", "nl", seed=4)
    reading = _read(png).reading
    assert reading.type == "chat"
    got = {(f.value["at"], f.value["sender"]) for f in reading.facts if f.kind == "message"}
    assert got <= {(t["value"]["at"], t["value"]["sender"]) for t in truth} and len(got) >= 3


@needs_tesseract
def test_the_cli_json_has_screen_and_text_facts(tmp_path):
    png, _truth = screen_png("refund", "fr", seed=8)
    (tmp_path / "Screenshot_20260620-090000.png").write_bytes(png)
    (tmp_path / "IMG_1.jpg").write_bytes(jpeg(make_exif("2026:03:14 10:15:00"), size=(1080, 2400)))
    res = CliRunner().invoke(cli, ["evidence", str(tmp_path), "--format", "json"])
    assert res.exit_code == 0, res.output
    photo, shot = sorted(json.loads(res.stdout), key=lambda r: r["file_name"])
    assert shot["screen"]["type"] == "refund" and 0 < shot["screen"]["confidence"] <= 1
    assert {"kind", "value", "text", "confidence", "box"} <= set(shot["text_facts"][0])
    amount = next(f for f in shot["text_facts"] if f["kind"] == "amount")
    assert amount["value"]["currency"] == "EUR" and len(amount["box"]) == 4
    assert photo["screen"] is None and photo["text_facts"] == []  # a camera photo is never read
    res = CliRunner().invoke(cli, ["evidence", str(tmp_path), "--format", "json", "--no-ocr"])
    assert all("text_facts" not in r for r in json.loads(res.stdout))


@needs_tesseract
def test_a_screenshot_without_text_gives_no_fact_and_no_error():
    im = Image.new("RGB", (1080, 2400), (240, 240, 240))
    out = io.BytesIO()
    im.save(out, "PNG")
    f = _read(out.getvalue())
    assert f.reading.status == "read" and f.reading.facts == () and f.evidence.error is None


@needs_tesseract
def test_a_photographed_screen_is_not_read():
    import random

    png, _truth = screen_png("refund", "en")
    photo = photographed(Image.open(io.BytesIO(png)), random.Random(1))
    f = _read(photo, "IMG_20260620_090000.jpg")
    assert f.reading.status == "not_screen" and api.evidence_row(f)["text_facts"] == []


@needs_tesseract
@pytest.mark.slow
def test_a_20000_pixel_scrolling_capture_is_read_in_tiles():
    f = _read(tall_capture(20_000))
    assert f.reading.status == "read" and f.reading.type == "chat"
    ys = sorted(x.box[1] for x in f.reading.facts if x.kind == "message")
    assert ys[-1] > 15_000  # facts from the last tiles, in the picture's own coordinates
    assert len({(x.box[1] // 10) for x in f.reading.facts if x.kind == "message"}) == len(ys)  # none twice


@needs_tesseract
def test_too_many_pixels_are_refused_clearly(monkeypatch):
    monkeypatch.setattr(engine, "MAX_PIXELS", 1_000_000)
    f = _read(screen_png("chat", "en")[0])
    assert f.reading.status == "refused" and "crop the capture" in f.reading.note
    assert api.evidence_row(f)["text_note"] == f.reading.note


@needs_tesseract
def test_suggestions_accept_and_reject_are_remembered(monkeypatch):
    case = complaint.open_sample()
    order = "3168931822093655"
    complaint.import_evidence(case, _Upload("Screenshot_20261112-101500.png",
                                            refund_png(order, "45.80", date(2026, 11, 10))))
    complaint.read_case_screens(case)
    # read once: the reading is kept by file hash
    monkeypatch.setattr(engine, "read_words", lambda *a, **k: pytest.fail("read again"))
    assert complaint.read_case_screens(case) == {}
    sug = {s.kind: s for s in complaint.screen_suggestions(case)}
    promise = sug["refund_promise"]
    assert promise.order_id == order and promise.payload["amount"] == "45.80"
    assert promise.title == "refund promise of 45,80 € for order 3168931822093655 on 10 Nov 2026"
    assert complaint.screen_crop(case, promise.sha256, promise.box)[:4] == b"\x89PNG"
    made, = complaint.accept_suggestion(case, promise.id)
    assert (made.order_id, made.amount, made.promised_on) == (order, Decimal("45.80"), date(2026, 11, 10))
    assert "Screenshot_20261112-101500.png" in made.note and "box x=" in made.note
    assert made in complaint.promises(case)
    shot = next(e for e in complaint.case_data(case).evidence if e.file_name.startswith("Screenshot_20261112"))
    assert shot.order_id == order  # attached to the order it shows
    missing = {m.order_id: m for m in complaint.reconcile(case).missing_credits}
    assert missing[order].expected_amount == Decimal("45.80")
    assert promise.id not in {s.id for s in complaint.screen_suggestions(case)}  # accepted: not proposed again
    with pytest.raises(complaint.ComplaintError, match="already accepted"):
        complaint.accept_suggestion(case, promise.id)


@needs_tesseract
def test_accepted_tracking_becomes_events_with_provenance_and_a_rejection_is_kept():
    case = complaint.open_sample()
    complaint.read_case_screens(case)
    tracking, = [s for s in complaint.screen_suggestions(case) if s.kind == "tracking_events"]
    events = complaint.accept_suggestion(case, tracking.id)
    assert len(events) == 5 and all(e.provenance.importer == "evidence.ocr" for e in events)
    assert events[0].provenance.locator.startswith("box ") and events[0].evidence_ids == (tracking.sha256,)
    assert events[0].at.isoformat() == "2026-10-14T06:12:00+02:00"
    ids = {e.id for e in complaint.case_data(case).events}
    assert {e.id for e in events} <= ids
    case2 = complaint.open_sample()
    complaint.read_case_screens(case2)
    for s in complaint.screen_suggestions(case2):
        complaint.reject_suggestion(case2, s.id)
    assert complaint.screen_suggestions(case2) == []
    assert len(complaint.screen_suggestions(case2, decided=True)) >= 1


def test_a_rejected_suggestion_stays_rejected_in_a_case_file_copy():
    case = complaint.open_case("Screens")
    case.store.decide_suggestion(case.id, "abc123", "f" * 64, "rejected", {"kind": "messages"})
    copy = case.store.import_case(case.store.export_case(case.id), "Copy")
    assert case.store.suggestion_decisions(copy.id)["abc123"]["decision"] == "rejected"


def test_a_refund_for_an_order_the_case_lacks_is_proposed_with_a_warning():
    from complaint.evidence.ocr import Reading, suggestions

    screen = facts.read_facts(_words([(300, 60, "Refund successful"), (380, 60, "Refund amount: 14,90 €"),
                                      (460, 60, "Order total: 29,80 €"), (540, 60, "18 Jun 2026"),
                                      (620, 60, "Order ID: 8116516504403817")]), (1080, 2400), CAPTURED)
    reading = Reading("f" * 64, "read", screen.type, screen.confidence, tuple(screen.facts))
    ev = Evidence("f" * 64, "Screenshot_1.png", 1, media_type="image/png", width=1080, height=2400)
    promise, = suggestions(reading, ev, orders={"3000000000000001"})
    assert promise.payload["amount"] == "14.90"  # the amount nearest the refund status, not the order total
    assert "not among this case's orders" in promise.warning
    kinds = [s.kind for s in suggestions(reading, ev, orders={"8116516504403817"})]
    assert kinds == ["refund_promise", "attach"]


@needs_tesseract
def test_a_truncated_screenshot_is_refused_not_raised():
    png, _truth = screen_png("refund", "en")
    ev = Evidence("e" * 64, "Screenshot_1.png", len(png), media_type="image/png", width=1080, height=2400)
    reading = api.read_screen_text(png[: len(png) // 2], ev)
    assert reading.status == "refused" and "Screenshot_1.png" in reading.note

"""app_pages/evidence.py through AppTest: gallery with capture times, duplicates, linking a photo to an order."""

from __future__ import annotations

import os
from pathlib import Path

from evidence_factory import encode, jpeg, make_exif, picture
from streamlit.testing.v1 import AppTest

from complaint.evidence.ingest import ingest_bytes, mark_duplicates
from complaint.store.db import Store

PAGE = str(Path(__file__).resolve().parent.parent / "app_pages" / "evidence.py")


def _store_with_photos():
    store = Store.open(os.environ["COMPLAINT_DB"])
    case = store.create_case("Parcel")
    photo = jpeg(make_exif("2026:03:14 10:15:00", orientation=6, gps=(50.85, 4.35)), seed=11, size=(320, 240))
    shot = encode(picture((200, 400), seed=12), "PNG")
    small = encode(picture((320, 240), seed=11).resize((160, 120)), "JPEG", make_exif(orientation=6), quality=70)
    items = [("IMG_1.jpg", photo), ("small.jpg", small), ("Screenshot_20260315-090000.png", shot)]
    evs = mark_duplicates([ingest_bytes(n, d) for n, d in items])
    for ev, (_n, data) in zip(evs, items, strict=True):
        store.add_evidence(case.id, ev, data)
    return store, case


def test_gallery_renders_and_saves_a_note():
    store, case = _store_with_photos()
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["_case_id"] = case.id
    at.run()
    assert not at.exception and not at.error
    assert [m.value for m in at.metric] == ["3", "1", "1"]  # pictures, with camera time, duplicates
    texts = [t.value for t in at.text]
    assert "IMG_1.jpg" in texts and "Screenshot_20260315-090000.png" in texts
    assert any("camera" in c.value and "clock" in c.value and "zone" in c.value for c in at.caption)  # plain words
    sha = next(e.sha256 for e in store.load_case(case.id).evidence if e.file_name == "IMG_1.jpg")
    area = next(t for t in at.text_area if t.label == "Note")  # the first card is IMG_1 (earliest)
    area.input("box crushed on arrival")
    at.selectbox[1].select("damaged")
    at.button(key=f"FormSubmitter:ev_{sha}-Save").click().run()
    assert not at.exception and not at.error
    saved = {e.file_name: e for e in Store.open(os.environ["COMPLAINT_DB"]).load_case(case.id).evidence}
    assert saved["IMG_1.jpg"].note == "box crushed on arrival" and saved["IMG_1.jpg"].problem == "damaged"


def test_no_case_selected():
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    assert not at.exception and at.info


def test_screenshot_suggestions_are_accepted_or_rejected_on_the_page():
    from datetime import date

    import pytest

    from bench.ocr_screens import refund_png, screen_png
    from complaint import api

    if api.ocr_status() is not None:
        pytest.skip("Tesseract is not installed")
    store = Store.open(os.environ["COMPLAINT_DB"])
    case = store.create_case("Screens")
    handle = api.open_case(case.id, db=store, create=False)
    api.add_order(handle, "8116516504403817", "2026-05-02", "14.90")
    chat, _truth = screen_png("chat", "fr", seed=2)
    items = [("Screenshot_20260620-090000.png", refund_png("8116516504403817", "14.90", date(2026, 6, 18))),
             ("Screenshot_20260620-091000.png", chat)]
    for name, data in items:
        store.add_evidence(case.id, ingest_bytes(name, data), data)
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.session_state["_case_id"] = case.id
    at.run()  # the background reader starts
    at.session_state["_evidence_ocr"]["thread"].join(120)
    at.run()
    assert not at.exception and not at.error
    assert "What your screenshots show" in [h.value for h in at.subheader]
    assert any("Screenshot read" in c.value and "refund detail" in c.value for c in at.caption)
    titles = [m.value for m in at.markdown]
    promise = next(s for s in api.screen_suggestions(handle) if s.kind == "refund_promise")
    messages = next(s for s in api.screen_suggestions(handle) if s.kind == "messages")
    assert "**refund promise of 14\\,90 € for order 8116516504403817 on 18 Jun 2026**" in titles  # escaped
    at.button(key=f"sug_ok_{promise.id}").click().run()
    assert not at.exception and not at.error
    assert [(p.order_id, str(p.amount)) for p in api.promises(handle)] == [("8116516504403817", "14.90")]
    at.button(key=f"sug_no_{messages.id}").click().run()
    assert not at.exception
    assert api.screen_suggestions(handle) == []


def test_a_picture_without_capture_time_is_placed_on_the_day_the_user_confirms():
    """No camera time, no dated file name: "capture time unknown"; the user's day places it (issue 18)."""
    from datetime import date

    store = Store.open(os.environ["COMPLAINT_DB"])
    case = store.create_case("Undated")
    data = encode(picture((320, 240), seed=5), "JPEG", quality=80)
    ev = ingest_bytes("parcel.jpg", data)
    assert ev.captured_at is None
    store.add_evidence(case.id, ev, data)
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["_case_id"] = case.id
    at.run()
    assert not at.exception and not at.error
    assert any(c.value == "Capture time unknown" for c in at.caption)
    day_input = next(d for d in at.date_input if d.label == "Day the picture was taken")
    day_input.set_value(date(2026, 6, 9))
    at.button(key=f"FormSubmitter:evday_{ev.sha256}-Place on this day").click().run()
    assert not at.exception and not at.error
    saved = Store.open(os.environ["COMPLAINT_DB"]).load_case(case.id).evidence[0]
    assert saved.time_source == "user" and saved.captured_at.date() == date(2026, 6, 9)

"""Evidence ingest: capture-time ladder, metadata, HEIC, thumbnails, duplicates, privacy copies."""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from evidence_factory import encode, jpeg, make_exif, picture
from PIL import Image

from complaint.evidence.capture_time import filename_time, zone
from complaint.evidence.ingest import (
    date_only,
    evidence_events,
    export_copy,
    ingest_bytes,
    is_screenshot,
    map_links,
    mark_duplicates,
    thumbnail,
)
from complaint.records import Evidence

PLUS1 = timezone(timedelta(hours=1))
PLUS2 = timezone(timedelta(hours=2))


def ingest(name, data, **kw):
    kw.setdefault("perceptual", False)
    return ingest_bytes(name, data, **kw)


# --- capture-time ladder ----------------------------------------------------------------------

def test_exif_original_with_offset_and_subseconds():
    data = jpeg(make_exif("2026:03:14 10:15:00", subsec="123", offset="+02:00"))
    ev = ingest("photo.jpg", data)
    assert ev.error is None and ev.warnings == ()
    assert ev.captured_at == datetime(2026, 3, 14, 10, 15, 0, 123000, tzinfo=PLUS2)
    assert (ev.time_source, ev.tz_source) == ("exif", "exif-offset")
    assert ev.captured_text == "2026:03:14 10:15:00"
    assert ev.sha256 == hashlib.sha256(data).hexdigest() and ev.size == len(data)
    assert ev.provenance.locator == "EXIF DateTimeOriginal"


@pytest.mark.parametrize("offset", ["   :  ", "", "bogus", "+99:00"])
def test_blank_or_bad_offset_means_local_brussels(offset):
    ev = ingest("p.jpg", jpeg(make_exif("2026:01:10 09:00:00", offset=offset)))
    assert ev.captured_at.utcoffset() == timedelta(hours=1)
    assert ev.tz_source == "assumed Europe/Brussels"


@pytest.mark.parametrize("text, expected", [
    # last Sunday of March 2026 = 29 March: 02:00 -> 03:00
    ("2026:03:29 01:59:59", datetime(2026, 3, 29, 1, 59, 59, tzinfo=PLUS1)),
    ("2026:03:29 03:00:00", datetime(2026, 3, 29, 3, 0, 0, tzinfo=PLUS2)),
    ("2026:03:29 02:30:00", datetime(2026, 3, 29, 3, 30, 0, tzinfo=PLUS2)),  # skipped hour: clock moves on
    # last Sunday of October 2026 = 25 October: 03:00 -> 02:00 (02:30 happens twice; the first is kept)
    ("2026:10:25 02:30:00", datetime(2026, 10, 25, 2, 30, tzinfo=PLUS2)),
    ("2026:10:25 03:30:00", datetime(2026, 10, 25, 3, 30, tzinfo=PLUS1)),
    ("2026:07:01 12:00:00", datetime(2026, 7, 1, 12, 0, tzinfo=PLUS2)),
])
def test_brussels_dst_boundaries(text, expected):
    ev = ingest("p.jpg", jpeg(make_exif(text)))
    assert ev.captured_at.isoformat() == expected.isoformat()  # (== is never true for an ambiguous time)
    assert ev.captured_at.utcoffset() == expected.utcoffset()


def test_caller_zone_is_used_and_recorded():
    ev = ingest("p.jpg", jpeg(make_exif("2026:01:10 09:00:00")), tz="Asia/Shanghai")
    assert ev.captured_at.utcoffset() == timedelta(hours=8)
    assert ev.tz_source == "assumed Asia/Shanghai"


def test_zero_date_falls_through_to_digitized_with_warning():
    ev = ingest("p.jpg", jpeg(make_exif("0000:00:00 00:00:00", digitized="2026:02:01 08:00:00",
                                        digitized_offset="+01:00")))
    assert ev.time_source == "exif-digitized"
    assert ev.captured_at == datetime(2026, 2, 1, 8, 0, tzinfo=PLUS1)
    assert any("0000:00:00" in w for w in ev.warnings)
    assert ev.provenance.locator == "EXIF DateTimeDigitized"


def test_implausible_camera_times_are_kept_and_flagged_never_replaced():
    future = (datetime.now(UTC) + timedelta(days=40)).strftime("%Y:%m:%d %H:%M:%S")
    ev = ingest("p.jpg", jpeg(make_exif(future, digitized="2026:02:01 08:00:00")), mtime=None)
    assert (ev.captured_text, ev.time_source, ev.time_flag) == (future, "exif", "clock-ahead")
    assert any("camera clock probably wrong" in w for w in ev.warnings)
    unset = ingest("IMG_20260314_101500.jpg", jpeg(make_exif("2000:01:01 00:00:00")), mtime=None)
    assert (unset.captured_text, unset.time_source, unset.time_flag) == ("2000:01:01 00:00:00", "exif", "clock-not-set")
    assert any("camera clock probably not set" in w for w in unset.warnings)
    assert unset.filename_time is not None  # the name's time is kept apart, not swapped in


def test_gps_utc_when_no_exif_date():
    ev = ingest("p.jpg", jpeg(make_exif(gps_utc=("2026:03:14", (9.0, 15.0, 30.5)))))
    assert ev.time_source == "gps" and ev.tz_source == "gps-utc"
    assert ev.captured_at == datetime(2026, 3, 14, 9, 15, 30, 500000, tzinfo=UTC)


def test_gps_delta_gives_the_zone_of_a_local_exif_time():
    ev = ingest("p.jpg", jpeg(make_exif("2026:03:14 10:15:00", gps_utc=("2026:03:14", (15.0, 15.0, 2.0)))))
    assert ev.time_source == "exif" and ev.tz_source == "gps-delta"
    assert ev.captured_at.utcoffset() == timedelta(hours=-5)


BRU = zone("Europe/Brussels")


@pytest.mark.parametrize("name, iso, only_date", [
    ("IMG_20260314_101500.jpg", "2026-03-14T10:15:00+01:00", False),
    ("Screenshot_20260314-101500.png", "2026-03-14T10:15:00+01:00", False),
    ("Screenshot_2026-03-14-10-15-00-123_com.alibaba.aliexpresshd.jpg", "2026-03-14T10:15:00.123000+01:00", False),
    ("Screenshot 2026-03-14 at 10.15.00.png", "2026-03-14T10:15:00+01:00", False),
    ("Screen Shot 2026-03-14 at 10.15.00 PM.png", "2026-03-14T22:15:00+01:00", False),
    ("Screenshot 2026-03-14 101500.png", "2026-03-14T10:15:00+01:00", False),
    ("IMG-20260314-WA0003.jpg", "2026-03-14T00:00:00+01:00", True),
    ("PXL_20260314_101500123.jpg", "2026-03-14T10:15:00.123000+01:00", False),
    ("signal-2026-07-14-10-15-00-123.jpg", "2026-07-14T10:15:00.123000+02:00", False),
    ("photo_2026-07-14_10-15-00.jpg", "2026-07-14T10:15:00+02:00", False),
    ("FB_IMG_1773479700000.jpg", "2026-03-14T09:15:00+00:00", False),
    ("folder/20260314_101500.jpg", "2026-03-14T10:15:00+01:00", False),
])
def test_filename_patterns(name, iso, only_date):
    found = filename_time(name, BRU, "Europe/Brussels")
    assert found is not None and found.at.isoformat() == iso and found.date_only is only_date


@pytest.mark.parametrize("name", ["IMG_0042.jpg", "order_8123456789012345.png", "IMG_20261399_101500.jpg",
                                  "photo.jpg"])
def test_filename_without_a_valid_timestamp(name):
    assert filename_time(name, BRU, "Europe/Brussels") is None


def test_filename_source_when_exif_was_stripped():
    ev = ingest("IMG-20260314-WA0003.jpg", jpeg(None))
    assert (ev.time_source, ev.tz_source) == ("filename", "assumed Europe/Brussels")
    assert date_only(ev) and ev.captured_text == "2026-03-14"
    assert any("only the date" in w for w in ev.warnings)
    [event] = evidence_events([ev])
    assert event.at is None and event.on == date(2026, 3, 14)


def test_mtime_is_never_a_capture_time():
    mtime = datetime(2026, 5, 2, 8, 30, tzinfo=UTC)
    ev = ingest("IMG_0042.jpg", jpeg(None), mtime=mtime)
    assert (ev.captured_at, ev.time_source, ev.tz_source) == (None, None, None)
    assert ev.file_time == mtime and ev.file_time.utcoffset() == timedelta(hours=2)
    assert any(w.startswith("capture time unknown: the file's own date") for w in ev.warnings)


def test_exif_and_filename_disagree_warning():
    ev = ingest("IMG_20260320_101500.jpg", jpeg(make_exif("2026:03:14 10:15:00")))
    assert ev.time_source == "exif" and ev.filename_time.date() == date(2026, 3, 20)
    assert any("differ by 6 days" in w for w in ev.warnings)
    same = ingest("IMG_20260314_111500.jpg", jpeg(make_exif("2026:03:14 10:15:00")))
    assert same.warnings == ()


# --- metadata ---------------------------------------------------------------------------------

def test_camera_gps_size_orientation():
    ev = ingest("p.jpg", jpeg(make_exif("2026:03:14 10:15:00", gps=(50.8466, -4.3528), orientation=6,
                                        software="G998BXXU"), size=(200, 100)))
    assert (ev.camera_make, ev.camera_model, ev.software) == ("Samsung", "SM-S911B", "G998BXXU")
    assert (ev.width, ev.height, ev.orientation) == (200, 100, 6)
    assert ev.gps_lat == pytest.approx(50.8466, abs=1e-5) and ev.gps_lon == pytest.approx(-4.3528, abs=1e-5)


def test_southern_hemisphere_and_null_island():
    assert ingest("p.jpg", jpeg(make_exif(gps=(-33.8688, 151.2093)))).gps_lat == pytest.approx(-33.8688, abs=1e-5)
    ev = ingest("p.jpg", jpeg(make_exif(gps=(0.0, 0.0))))
    assert ev.gps_lat is None and any("0,0" in w for w in ev.warnings)


def test_map_links_are_strings_only():
    links = map_links(50.8466, 4.3528)
    assert links["geo"] == "geo:50.846600,4.352800"
    assert links["osm"].startswith("https://www.openstreetmap.org/?mlat=50.846600&mlon=4.352800")


@pytest.mark.parametrize("fmt, media", [("PNG", "image/png"), ("WEBP", "image/webp"), ("TIFF", "image/tiff"),
                                        ("HEIF", "image/heic")])
def test_other_formats_carry_exif(fmt, media):
    exif = make_exif("2026:01:05 10:11:12", offset="+01:00", gps=(50.5, 4.5), model="iPhone 15")
    ev = ingest(f"p.{fmt.lower()}", encode(picture(), fmt, exif))
    assert ev.error is None, ev.error
    assert ev.media_type == media and ev.camera_model == "iPhone 15"
    assert ev.captured_at == datetime(2026, 1, 5, 10, 11, 12, tzinfo=PLUS1)
    assert ev.gps_lat == pytest.approx(50.5, abs=1e-5)


def test_png_screenshot_without_exif_is_read_without_decoding():
    data = encode(picture((300, 600)), "PNG")
    ev = ingest("Screenshot_20260314-101500.png", data)
    assert ev.time_source == "filename" and ev.width == 300 and is_screenshot(ev)
    [event] = evidence_events([ev])
    assert event.kind == "screenshot_taken"


# --- thumbnails -------------------------------------------------------------------------------

def _half_and_half() -> Image.Image:
    im = Image.new("RGB", (200, 100), (255, 0, 0))
    im.paste((0, 0, 255), (100, 0, 200, 100))  # left red, right blue
    return im


def test_thumbnail_is_upright_for_orientation_6():
    data = encode(_half_and_half(), "JPEG", make_exif(orientation=6), quality=95)
    thumb = Image.open(io.BytesIO(thumbnail(data, size=64)))
    assert thumb.format == "JPEG" and thumb.size == (32, 64)  # portrait once rotated 90 degrees clockwise
    top, bottom = thumb.getpixel((16, 5)), thumb.getpixel((16, 58))
    assert top[0] > 200 and top[2] < 60  # the left (red) edge is now at the top
    assert bottom[2] > 200 and bottom[0] < 60


def test_thumbnail_png_and_large_jpeg_draft():
    big = encode(picture((2400, 1600)), "JPEG", quality=80)
    assert Image.open(io.BytesIO(thumbnail(big, size=200))).size == (200, 133)
    png = Image.open(io.BytesIO(thumbnail(encode(picture(), "PNG"), size=40, fmt="PNG")))
    assert png.format == "PNG" and max(png.size) == 40


# --- duplicates -------------------------------------------------------------------------------

def test_exact_and_near_duplicates():
    original = jpeg(make_exif("2026:03:14 10:15:00"), seed=7, size=(640, 480))
    resized = encode(picture((640, 480), 7).resize((320, 240)), "JPEG", quality=60)
    other = jpeg(None, seed=8, size=(640, 480))
    evs = [ingest_bytes(n, d) for n, d in
           [("small.jpg", resized), ("orig.jpg", original), ("copy.jpg", original), ("other.jpg", other)]]
    marked = mark_duplicates(evs)
    by_name = {e.file_name: e for e in marked}
    assert by_name["orig.jpg"].duplicate_of is None  # the bigger one is the original
    assert by_name["copy.jpg"].duplicate_of == by_name["orig.jpg"].sha256
    assert by_name["small.jpg"].duplicate_of == by_name["orig.jpg"].sha256
    assert by_name["other.jpg"].duplicate_of is None
    assert [e.file_name for e in marked] == ["small.jpg", "orig.jpg", "copy.jpg", "other.jpg"]
    events = evidence_events(marked)
    assert len(events) == 1 and set(events[0].evidence_ids) == {e.sha256 for e in evs[:3]}


def test_blank_screenshots_are_not_near_duplicates():
    a = encode(Image.new("RGB", (300, 600), "white"), "PNG")
    b = encode(Image.new("RGB", (300, 600), (250, 250, 250)), "PNG")
    marked = mark_duplicates([ingest_bytes("a.png", a), ingest_bytes("b.png", b)])
    assert [e.duplicate_of for e in marked] == [None, None]


# --- chronology -------------------------------------------------------------------------------

def test_evidence_events_fields():
    ev = ingest("IMG_1.jpg", jpeg(make_exif("2026:03:14 23:30:00", offset="+00:00")))
    ev = Evidence(**{**{f: getattr(ev, f) for f in ev.__slots__}, "order_id": "8123456789012345",
                     "problem": "damaged", "note": "box crushed"})
    [event] = evidence_events([ev, Evidence(sha256="x", file_name="broken.jpg", size=0, error="bad")])
    assert event.kind == "photo_taken" and event.lane == "evidence"
    assert event.on == date(2026, 3, 15)  # 23:30 UTC is already the next day in Brussels
    assert event.at == ev.captured_at and event.time_source == "exif"
    assert event.order_ids == ("8123456789012345",) and event.evidence_ids == (ev.sha256,)
    assert "IMG_1.jpg" in event.title and "damaged" in event.body and "box crushed" in event.body


# --- privacy copies ---------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "TIFF", "HEIF"])
def test_export_copy_strips_gps_and_personal_tags(fmt):
    exif = make_exif("2026:03:14 10:15:00", offset="+01:00", gps=(50.8466, 4.3528), orientation=6,
                     personal=True, gps_utc=("2026:03:14", (9.0, 15.0, 0.0)))
    data = encode(picture(), fmt, exif)
    before = bytes(data)
    copy = export_copy(data)
    assert data == before  # the original is untouched
    fresh = Image.open(io.BytesIO(copy)) if fmt != "HEIF" else _open_heif(copy)
    ex = fresh.getexif()
    sub = ex.get_ifd(0x8769)
    assert 0x8825 not in ex or not ex.get_ifd(0x8825)
    assert sub.get(0x9003) == "2026:03:14 10:15:00"
    if fmt == "HEIF":  # pillow-heif stores orientation in the container and decodes upright
        assert fresh.size == (120, 160)
    else:
        assert ex.get(0x0112) == 6
    assert 0x013B not in ex and 0xA431 not in sub and 0xA430 not in sub
    ev = ingest(f"c.{fmt.lower()}", copy)
    assert ev.gps_lat is None and ev.captured_at == datetime(2026, 3, 14, 10, 15, tzinfo=PLUS1)


def _open_heif(data):
    import pillow_heif

    pillow_heif.register_heif_opener()
    return Image.open(io.BytesIO(data))


def test_export_copy_of_jpeg_keeps_pixels_identical():
    data = jpeg(make_exif("2026:03:14 10:15:00", gps=(50.8, 4.3), personal=True), size=(64, 48))
    copy = export_copy(data)
    assert Image.open(io.BytesIO(copy)).tobytes() == Image.open(io.BytesIO(data)).tobytes()
    assert b"Jan Peeters" not in copy and b"SN-0042" not in copy
    assert export_copy(data, strip_gps=False, strip_personal=False) == data

"""Capture times as ExifTool reads them (issue 18): the fast path, the one-batch ExifTool fallback,
the reader recorded, the file's date never a capture time, implausible times kept and flagged,
damaged and RAW files, and the agreement with ``exiftool -DateTimeOriginal`` on every photo fixture."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

import complaint
from complaint.evidence import exiftool

ROOT = Path(__file__).resolve().parent.parent
PHOTOS = ROOT / "tests" / "data" / "photos"
needs_exiftool = pytest.mark.skipif(shutil.which("exiftool") is None, reason="exiftool is not installed")

# file -> (captured text, time source, reader, flag)
EXPECTED = {
    "exif_ifd_subsec_offset.jpg": ("2025:08:03 14:05:09", "exif", "evidence.pillow", None),
    "ifd0_datetimeoriginal.jpg": ("2025:07:01 06:12:40", "exif", "evidence.exiftool", None),
    "xmp_only.jpg": ("2025:07:02 07:00:01", "exif", "evidence.exiftool", None),
    "iptc_only.jpg": ("2025:07:03 08:30:00", "exif", "evidence.exiftool", None),
    "exif_and_xmp_differ.jpg": ("2025:07:04 09:00:00", "exif", "evidence.pillow", None),
    "clock_not_set.jpg": ("2000:01:01 00:00:00", "exif", "evidence.pillow", "clock-not-set"),
    "gps_only.jpg": ("2025:07:06 11:22:33", "gps", "evidence.pillow", None),
    "create_date_only.jpg": ("2025:07:07 12:00:00", "exif-digitized", "evidence.pillow", None),
    "no_time.jpg": (None, None, "evidence.pillow", None),
    "png_exif.png": ("2025:07:08 13:00:00", "exif", "evidence.pillow", None),
    "png_xmp.png": ("2025:07:09 14:00:00", "exif", "evidence.exiftool", None),
    "webp_exif.webp": ("2025:07:10 15:00:00", "exif", "evidence.pillow", None),
    "tiff_ifd0.tif": ("2025:07:11 16:00:00", "exif", "evidence.pillow", None),
    "camera_raw.dng": ("2025:07:12 17:00:00", "exif", "evidence.exiftool", None),
    "truncated.jpg": ("2025:07:13 18:00:00", "exif", "evidence.pillow", None),
}


def _read(paths):
    return {f.evidence.file_name: f.evidence for f in complaint.read_evidence(*paths, duplicates=False)}


@needs_exiftool
def test_every_layout_gives_its_time_and_the_reader_that_read_it():
    got = _read(sorted(PHOTOS / name for name in EXPECTED))
    for name, (text, source, reader, flag) in EXPECTED.items():
        ev = got[name]
        assert ev.error is None, (name, ev.error)
        assert (ev.captured_text, ev.time_source, ev.provenance.importer, ev.time_flag) == (text, source, reader,
                                                                                           flag), name
    xmp = got["xmp_only.jpg"]
    assert xmp.tz_source == "exif-offset" and xmp.captured_at.utcoffset().total_seconds() == 7200
    assert got["ifd0_datetimeoriginal.jpg"].provenance.locator == "ExifTool IFD0:DateTimeOriginal"
    raw = got["camera_raw.dng"]
    assert (raw.media_type, raw.camera_make, raw.camera_model, raw.width) == ("image/x-adobe-dng", "RawMaker", "R-1", 96)
    assert any("no preview can be shown for this RAW file" in w for w in raw.warnings)
    assert any(w.startswith("truncated JPEG") for w in got["truncated.jpg"].warnings)
    assert any("camera clock probably not set" in w for w in got["clock_not_set.jpg"].warnings)


@needs_exiftool
def test_one_exiftool_process_for_the_files_the_fast_path_misses(monkeypatch):
    calls = []
    real = exiftool.run
    monkeypatch.setattr(exiftool, "run", lambda paths: calls.append(list(paths)) or real(paths))
    _read(sorted(PHOTOS / name for name in EXPECTED))
    assert len(calls) == 1
    asked = {Path(p).name for p in calls[0]}
    assert "exif_ifd_subsec_offset.jpg" not in asked and "ifd0_datetimeoriginal.jpg" in asked
    assert "clock_not_set.jpg" in asked  # a doubted time is checked too


def test_without_exiftool_the_miss_is_said_and_never_becomes_the_file_date(monkeypatch, tmp_path):
    monkeypatch.setattr(exiftool, "available", lambda: False)
    copy = tmp_path / "ifd0_datetimeoriginal.jpg"
    copy.write_bytes((PHOTOS / copy.name).read_bytes())
    os.utime(copy, (datetime(2026, 1, 2, tzinfo=UTC).timestamp(),) * 2)
    ev = _read([copy])[copy.name]
    assert ev.captured_at is None and ev.time_source is None
    assert ev.file_time == datetime(2026, 1, 2, tzinfo=UTC)
    assert any("ExifTool is not installed" in w for w in ev.warnings)
    assert any(w.startswith("capture time unknown: the file's own date") for w in ev.warnings)
    assert complaint.capture_time_label(ev) is None


@needs_exiftool
def test_agreement_with_exiftool_on_every_photo_fixture_is_at_least_99_percent():
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "capture_agreement.py")], capture_output=True,
                          text=True, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "(100.0%)" in done.stdout and "file's date: 0" in done.stdout


def test_a_picture_without_capture_time_is_placed_only_on_the_day_the_user_confirms(tmp_path):
    from datetime import date

    case = complaint.open_sample()
    files = complaint.read_evidence(PHOTOS / "no_time.jpg", duplicates=False)
    complaint.store_evidence(case, files)
    sha = files[0].evidence.sha256

    def placed():
        return [e for e in complaint.chronology(case) if sha in (e.evidence_ids or ())]

    assert placed() == []
    ev = complaint.confirm_capture_day(case, sha[:12], date(2026, 3, 2))
    assert (ev.time_source, ev.captured_text) == ("user", "2026-03-02")
    [event] = placed()
    assert event.on == date(2026, 3, 2) and event.at is None
    complaint.confirm_capture_day(case, sha, None)
    assert placed() == []
    camera = complaint.case_data(case).evidence[0]
    assert complaint.confirm_capture_day(case, camera.sha256, date(2020, 1, 1)).captured_at == camera.captured_at


def test_a_camera_time_before_its_order_is_kept_and_flagged():
    case = complaint.open_sample()
    order = complaint.case_data(case).orders[0]
    files = complaint.read_evidence(PHOTOS / "exif_ifd_subsec_offset.jpg", duplicates=False)  # 3 Aug 2025
    complaint.store_evidence(case, files)
    sha = files[0].evidence.sha256
    ev = complaint.attach_evidence(case, sha, order.order_id)
    assert order.order_date > ev.captured_at.date()
    assert ev.time_flag == "before-order" and ev.captured_text == "2025:08:03 14:05:09"
    assert sum("taken before its order was placed" in w for w in ev.warnings) == 1
    again = complaint.attach_evidence(case, sha, order.order_id)
    assert sum("taken before its order was placed" in w for w in again.warnings) == 1
    gone = complaint.detach_evidence(case, sha)
    assert gone.time_flag is None and not any("taken before" in w for w in gone.warnings)

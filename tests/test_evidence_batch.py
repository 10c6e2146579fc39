"""Evidence: broken files, decompression bombs, folders/ZIPs in batches, agreement with ExifTool."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import struct
import subprocess
import zipfile

import pytest
from evidence_factory import encode, jpeg, jpeg_with_raw_app1, make_exif, picture, png_bomb_header
from PIL import Image

from complaint.errors import LimitExceeded
from complaint.evidence.ingest import ingest_bytes, ingest_paths, thumbnail
from complaint.evidence.metadata import ImageUnreadable


def ingest(name, data, **kw):
    return ingest_bytes(name, data, **kw)


# --- broken input -----------------------------------------------------------------------------

def test_zero_bytes():
    ev = ingest("empty.jpg", b"")
    assert ev.error == "empty.jpg: empty file (0 bytes)" and ev.size == 0
    assert ev.sha256 == hashlib.sha256(b"").hexdigest()


def test_not_an_image():
    ev = ingest("notes.jpg", b"Order 8123456789012345 arrived broken\n")
    assert "not a supported image" in ev.error and ev.media_type is None


def test_truncated_jpeg_keeps_hash_metadata_and_capture_time():
    data = jpeg(make_exif("2026:03:14 10:15:00"), size=(400, 300))
    cut = data[: len(data) // 2]
    ev = ingest("cut.jpg", cut)
    assert ev.error is None and ev.sha256 == hashlib.sha256(cut).hexdigest()
    assert (ev.width, ev.height, ev.captured_text, ev.time_source) == (400, 300, "2026:03:14 10:15:00", "exif")
    assert any(w.startswith("truncated JPEG") for w in ev.warnings)


def test_truncated_png_is_damaged_not_unreadable():
    data = encode(picture((400, 300)), "PNG")
    ev = ingest("cut.png", data[: len(data) // 2])
    assert ev.error is None and any(w.startswith("truncated PNG") for w in ev.warnings)


def test_truncated_header_only():
    assert ingest("h.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF").error.startswith("h.jpg: ")


def test_bomb_sized_png_header_is_refused_and_global_limit_untouched():
    before = Image.MAX_IMAGE_PIXELS
    ev = ingest("bomb.png", png_bomb_header())
    assert "image too large" in ev.error and "bomb.png" in ev.error
    with pytest.raises(ImageUnreadable):
        thumbnail(png_bomb_header())
    assert Image.MAX_IMAGE_PIXELS == before


def test_pixel_limit_comes_from_settings(monkeypatch):
    monkeypatch.setenv("COMPLAINT_MAX_IMAGE_PIXELS", "10000")
    ev = ingest("p.jpg", jpeg(None, size=(200, 100)))
    assert "200x100 = 20000 pixels, limit 10000" in ev.error
    monkeypatch.delenv("COMPLAINT_MAX_IMAGE_PIXELS")
    assert ingest("p.jpg", jpeg(None, size=(200, 100))).error is None


@pytest.mark.parametrize("payload, damaged", [
    (b"MM\x00*\x00\x00\xff\xf0", True),  # IFD offset far past the end
    (b"II*\x00\x08\x00\x00\x00\xff\xff" + b"\x00" * 20, True),  # 65535 entries claimed
    (b"", False),  # an empty Exif block (Pillow #6123): nothing to report
    (b"garbage that is not TIFF", True),
])
def test_broken_exif_block_does_not_stop_reading(payload, damaged):
    ev = ingest("IMG_20260314_101500.jpg", jpeg_with_raw_app1(payload))
    assert ev.error is None and ev.width == 160
    assert ev.time_source == "filename"
    assert any(w.startswith("EXIF damaged") for w in ev.warnings) is damaged


def test_odd_encodings_in_ascii_tags():
    exif = make_exif("2026:03:14 10:15:00\x00\x00", make="Sam\xe9sung", model=None)
    ev = ingest("p.jpg", jpeg(exif))
    assert ev.error is None and ev.time_source == "exif" and ev.camera_make.startswith("Sam")


def test_heic_disguised_as_jpg_is_read_by_content():
    data = encode(picture(), "HEIF", make_exif("2026:01:05 10:11:12", offset="+01:00"))
    ev = ingest("instagram.jpg", data)
    assert ev.error is None and ev.media_type == "image/heic" and ev.time_source == "exif"


# --- batches ----------------------------------------------------------------------------------

@pytest.fixture
def photo_tree(tmp_path):
    root = tmp_path / "photos"
    (root / "day1" / "sub").mkdir(parents=True)
    (root / "day1" / "IMG_20260314_101500.jpg").write_bytes(jpeg(make_exif("2026:03:14 10:15:00")))
    (root / "day1" / "sub" / "shot.png").write_bytes(encode(picture(seed=2), "PNG"))
    (root / "day1" / "broken.jpg").write_bytes(b"\xff\xd8\xff")
    (root / ".DS_Store").write_bytes(b"junk")
    return root


def test_folder_batch_goes_on_past_bad_files(photo_tree):
    calls = []
    out = ingest_paths([photo_tree], progress=lambda d, t, n: calls.append((d, t, n)))
    names = [i.evidence.file_name for i in out]
    assert names == ["IMG_20260314_101500.jpg", "broken.jpg", "shot.png"]
    assert [c[:2] for c in calls] == [(1, 3), (2, 3), (3, 3)]
    assert out[1].evidence.error and out[0].evidence.error is None and out[2].evidence.error is None
    assert out[2].evidence.time_source is None and out[2].evidence.file_time is not None
    for item in out:
        assert hashlib.sha256(item.data()).hexdigest() == item.evidence.sha256
        assert item.read_bytes() == item.data()


def test_missing_path_is_an_error_entry(tmp_path):
    [item] = ingest_paths([tmp_path / "nope.jpg"])
    assert "no such file" in item.evidence.error


def test_zip_with_nested_folders_and_traversal(tmp_path):
    z = tmp_path / "evidence.zip"
    good = jpeg(make_exif("2026:03:14 10:15:00"))
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("a/b/IMG_1.jpg", good)
        zf.writestr("a/Screenshot_20260314-101500.png", encode(picture(seed=4), "PNG"))
        zf.writestr("../evil.jpg", good)
        zf.writestr("__MACOSX/a/._IMG_1.jpg", b"junk")
    out = ingest_paths([z])
    assert [i.path for i in out] == [f"{z}!/a/b/IMG_1.jpg", f"{z}!/a/Screenshot_20260314-101500.png",
                                     f"{z}!/../evil.jpg"]
    assert out[0].evidence.sha256 == hashlib.sha256(good).hexdigest() and out[0].data() == good
    assert out[1].evidence.time_source == "filename"
    assert "unsafe path" in out[2].evidence.error


def test_zip_limits(tmp_path):
    z = tmp_path / "many.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for i in range(5):
            zf.writestr(f"p{i}.jpg", b"x" * 1000)
    with pytest.raises(LimitExceeded, match="5 files in the ZIP, the limit is 4"):
        ingest_paths([z], max_members=4)
    with pytest.raises(LimitExceeded, match="5000 bytes once unpacked"):
        ingest_paths([z], max_total_bytes=4000)
    assert len(ingest_paths([z])) == 5


def test_not_a_zip_named_zip(tmp_path):
    z = tmp_path / "broken.zip"
    z.write_bytes(b"PK\x03\x04 not really")
    [item] = ingest_paths([z])
    assert "not a readable ZIP" in item.evidence.error


# --- agreement with ExifTool ------------------------------------------------------------------

@pytest.mark.skipif(shutil.which("exiftool") is None, reason="exiftool (libimage-exiftool-perl) not installed")
def test_datetimeoriginal_agrees_with_exiftool(tmp_path):
    made = {
        "a.jpg": jpeg(make_exif("2026:03:14 10:15:00", subsec="042", offset="+01:00")),
        "b.png": encode(picture(), "PNG", make_exif("2026:07:01 23:59:59")),
        "c.webp": encode(picture(), "WEBP", make_exif("2025:12:31 00:00:01", offset="-05:00")),
        "d.tiff": encode(picture(), "TIFF", make_exif("2026:10:25 02:30:00")),
        "e.heic": encode(picture(), "HEIF", make_exif("2026:01:05 10:11:12", offset="+01:00")),
    }
    for name, data in made.items():
        (tmp_path / name).write_bytes(data)
    proc = subprocess.run(["exiftool", "-json", "-DateTimeOriginal", *sorted(made)], cwd=tmp_path,
                          capture_output=True, text=True, check=True, timeout=60)
    theirs = {row["SourceFile"]: row["DateTimeOriginal"] for row in json.loads(proc.stdout)}
    for item in ingest_paths(sorted(tmp_path.iterdir())):
        ev = item.evidence
        assert ev.error is None and ev.time_source == "exif"
        assert ev.captured_text == theirs[ev.file_name], ev.file_name
        assert ev.captured_at.strftime("%Y:%m:%d %H:%M:%S") == theirs[ev.file_name]


def test_struct_sanity_of_bomb_fixture():
    head = png_bomb_header()
    assert struct.unpack(">II", head[16:24]) == (100_000, 100_000)


def test_read_meta_file_through_mmap(tmp_path):
    from complaint.evidence.metadata import read_meta_file

    p = tmp_path / "p.jpg"
    p.write_bytes(jpeg(make_exif("2026:03:14 10:15:00", gps=(50.5, 4.5))))
    meta = read_meta_file(p)
    assert meta.times.original == "2026:03:14 10:15:00" and meta.gps_lat == pytest.approx(50.5, abs=1e-5)
    (tmp_path / "empty.jpg").write_bytes(b"")
    with pytest.raises(ImageUnreadable, match="empty file"):
        read_meta_file(tmp_path / "empty.jpg")
    (tmp_path / "cut.jpg").write_bytes(p.read_bytes()[:-200])
    cut = read_meta_file(tmp_path / "cut.jpg")
    assert cut.damaged and cut.times.original == "2026:03:14 10:15:00"


def test_ingest_upload_image_and_zip():
    from complaint.evidence.ingest import ingest_upload

    good = jpeg(make_exif("2026:03:14 10:15:00"))
    [(ev, data)] = ingest_upload("IMG_1.jpg", good)
    assert data == good and ev.time_source == "exif"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("x/IMG_1.jpg", good)
        zf.writestr("../../etc/evil.jpg", good)
        zf.writestr("notes.txt", b"hello")
    calls = []
    out = ingest_upload("upload.zip", buf.getvalue(), progress=lambda d, t, n: calls.append((d, t)))
    assert [e.file_name for e, _ in out] == ["IMG_1.jpg", "evil.jpg", "notes.txt"]
    assert out[0][0].provenance.source_name == "upload.zip!/x/IMG_1.jpg" and out[0][1] == good
    assert "unsafe path" in out[1][0].error and "not a supported image" in out[2][0].error
    assert calls[-1] == (3, 3)
    [(bad, _)] = ingest_upload("bad.zip", b"PK\x03\x04junk")
    assert "not a readable ZIP" in bad.error

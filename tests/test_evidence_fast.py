"""Evidence at the speed of reading the bytes: the perceptual hash from the camera's thumbnail
(faithful copies only), the pixels deciding every close call, one reading per file, a thread pool
with results in input order, bounded memory and per-file messages without Python reprs."""

from __future__ import annotations

import io
import struct
import threading
import zipfile
from dataclasses import replace
from unittest import mock

import pytest
from evidence_factory import camera_jpeg, encode, exif_with_thumbnail, jpeg_with_raw_app1, make_exif, picture
from PIL import Image, ImageChops, ImageDraw

from complaint import api
from complaint.evidence import duplicates, ingest, metadata, pixels
from complaint.evidence.duplicates import ESTIMATE_ERROR_BITS, mark_duplicates
from complaint.evidence.ingest import ingest_bytes, ingest_paths, read_one, read_upload, run_in_order
from complaint.evidence.metadata import short_reason
from complaint.evidence.pixels import hamming, perceptual_hash

TURN = {3: Image.Transpose.ROTATE_180, 6: Image.Transpose.ROTATE_90, 8: Image.Transpose.ROTATE_270}


def stored(upright: Image.Image, orientation: int | None) -> Image.Image:
    """The pixels a camera stores for an upright scene shot with the given EXIF Orientation."""
    return upright.transpose(TURN[orientation]) if orientation in TURN else upright


def source(data: bytes, name: str = "p.jpg") -> str | None:
    return read_one(name, data)[1]


# --- the hash from the thumbnail ----------------------------------------------------------------

@pytest.mark.parametrize("orientation", [None, 3, 6, 8])
@pytest.mark.parametrize("size", [(1600, 1200), (1920, 1080), (900, 1200)])
def test_thumbnail_hash_is_close_to_the_pixels_hash(orientation, size):
    for seed in range(4):
        scene = picture(size, seed + 40)
        data = camera_jpeg(stored(scene, orientation), make_exif(orientation=orientation))
        ev, src = read_one("p.jpg", data)
        assert src == "exif-thumbnail"
        # an estimate: flat drawn scenes like these are the worst case (up to 6 bits were seen)
        assert hamming(ev.perceptual_hash, perceptual_hash(data, thumbnails=False)) <= 6
        # and the upright scene it shows is the one a copy without EXIF shows
        copy = encode(scene.resize((size[0] // 2, size[1] // 2)), "JPEG", quality=60)
        assert hamming(ev.perceptual_hash, ingest_bytes("c.jpg", copy).perceptual_hash) <= 8


def test_pixels_when_the_thumbnail_is_not_a_faithful_copy():
    scene = picture((1600, 1200), 3)
    cropped = scene.crop((0, 0, 1200, 1200))
    assert source(camera_jpeg(scene)) == "exif-thumbnail"
    # an editor cropped the photo and kept the old thumbnail: another aspect ratio
    small = scene.copy()
    small.thumbnail((160, 160))
    assert source(camera_jpeg(cropped, thumb=small)) == "pixels"
    # the EXIF block declares another size (copied from another version of the picture)
    exif = make_exif()
    exif[0x8769] = {**exif.get_ifd(0x8769), 0xA002: 4000, 0xA003: 3000}
    assert source(camera_jpeg(scene, exif)) == "pixels"
    # a thumbnail turned another way than the photo
    assert source(camera_jpeg(scene, make_exif(orientation=1), thumb_orientation=6)) == "pixels"
    # too small to hash
    assert source(camera_jpeg(scene, thumb=scene.resize((24, 18)))) == "pixels"


def test_letterboxed_thumbnail_is_cropped_to_the_picture():
    scene = picture((1800, 1200), 5)  # 3:2 photo, 4:3 thumbnail with black bars (as many cameras)
    boxed = Image.new("RGB", (160, 120), "black")
    boxed.paste(scene.resize((160, 107)), (0, 6))
    data = camera_jpeg(scene, thumb=boxed)
    ev, src = read_one("p.jpg", data)
    assert src == "exif-thumbnail"
    assert hamming(ev.perceptual_hash, perceptual_hash(data, thumbnails=False)) <= ESTIMATE_ERROR_BITS
    # bars that are not uniform are a crop, not padding: the pixels decide
    busy = picture((160, 120), 9)
    busy.paste(scene.resize((160, 107)), (0, 6))
    assert source(camera_jpeg(scene, thumb=busy)) == "pixels"


def test_damaged_thumbnail_falls_back_to_the_pixels():
    scene = picture((800, 600), 2)
    small = io.BytesIO()
    scene.resize((160, 120)).save(small, "JPEG")
    broken = b"\xff\xd8" + b"\x00" * (len(small.getvalue()) - 2)
    buf = io.BytesIO()
    scene.save(buf, "JPEG", exif=exif_with_thumbnail(make_exif(), broken))
    ev, src = read_one("p.jpg", buf.getvalue())
    assert src == "pixels" and ev.error is None and not any(w.startswith("EXIF") for w in ev.warnings)
    assert ev.perceptual_hash == perceptual_hash(buf.getvalue(), thumbnails=False)


def test_heic_thumbnail_item():
    import pillow_heif

    pillow_heif.register_heif_opener()
    scene = picture((800, 600), 6)
    buf = io.BytesIO()
    scene.save(buf, "HEIF", thumbnails=[128])
    ev, src = read_one("p.heic", buf.getvalue())
    assert src == "heif-thumbnail" and ev.error is None
    assert hamming(ev.perceptual_hash, perceptual_hash(buf.getvalue(), thumbnails=False)) <= ESTIMATE_ERROR_BITS


def _hash_as_before(data: bytes) -> str:
    """The dHash as ingest computed it before thumbnails were used (its code, kept here)."""
    from PIL import ImageOps

    im = Image.open(io.BytesIO(data))
    if im.format in ("JPEG", "MPO"):
        im.draft("L", (64, 64))
    im.load()
    px = ImageOps.exif_transpose(im).convert("L").resize((9, 8), Image.Resampling.BOX).tobytes()
    bits = 0
    for row in range(8):
        for col in range(8):
            bits = (bits << 1) | (px[row * 9 + col] < px[row * 9 + col + 1])
    return f"{bits:016x}"


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "TIFF"])
@pytest.mark.parametrize("orientation", [None, 6])
def test_without_thumbnail_the_hash_is_the_one_of_before(fmt, orientation):
    data = encode(picture((640, 480), 11), fmt, make_exif(orientation=orientation))
    ev, src = read_one("p", data)
    assert src == "pixels" and ev.perceptual_hash == _hash_as_before(data)
    assert perceptual_hash(data, thumbnails=False) == ev.perceptual_hash


# --- the same decisions as the pixels ----------------------------------------------------------

def _scene_set(tmp_path):
    """Originals with thumbnails and every kind of copy the evidence page meets."""
    out = tmp_path / "pictures"
    out.mkdir()
    for k, (size, orientation) in enumerate([((1600, 1200), None), ((1600, 1200), 6), ((1200, 1600), None),
                                             ((1920, 1080), 3), ((1600, 1200), 8), ((1200, 900), None)]):
        scene = picture(size, 60 + k)
        ImageDraw.Draw(scene).rectangle((50, 50, 300 + 40 * k, 260), fill=(240, 240, 240))
        original = camera_jpeg(stored(scene, orientation), make_exif("2026:03:14 10:15:00", orientation=orientation))
        (out / f"{k}_original.jpg").write_bytes(original)
        (out / f"{k}_same_bytes.jpg").write_bytes(original)
        (out / f"{k}_resized.jpg").write_bytes(encode(scene.resize((size[0] // 3, size[1] // 3)), "JPEG", quality=60))
        (out / f"{k}_reencoded.jpg").write_bytes(encode(scene, "JPEG", quality=35))
        (out / f"{k}_kept_exif.jpg").write_bytes(camera_jpeg(stored(scene, orientation), make_exif(
            orientation=orientation), quality=50))  # an app re-encoded the pixels, kept the thumbnail
        (out / f"{k}_upright_copy.png").write_bytes(encode(scene, "PNG"))
        for n, shift in enumerate((0.03, 0.08)):  # a burst: the scene moved a little
            moved = ImageChops.offset(scene, int(size[0] * shift), int(size[1] * shift / 2))
            (out / f"{k}_burst{n}.jpg").write_bytes(camera_jpeg(stored(moved, orientation),
                                                                make_exif(orientation=orientation)))
    (out / "screenshot.png").write_bytes(encode(picture((540, 960), 90), "PNG"))
    (out / "screenshot_copy.jpg").write_bytes(encode(picture((540, 960), 90), "JPEG", quality=85))
    (out / "blank.png").write_bytes(encode(Image.new("RGB", (540, 960), "white"), "PNG"))
    (out / "photo.webp").write_bytes(encode(picture((800, 600), 91), "WEBP"))
    (out / "photo.tiff").write_bytes(encode(picture((800, 600), 91), "TIFF"))
    (out / "photo.heic").write_bytes(encode(picture((800, 600), 92), "HEIF", thumbnails=[96]))
    (out / "photo_copy.jpg").write_bytes(encode(picture((800, 600), 92), "JPEG", quality=50))
    return out


def test_decisions_are_those_of_the_pixels(tmp_path):
    folder = _scene_set(tmp_path)
    sources = [i.hash_source for i in ingest_paths([folder])]
    assert sources.count("exif-thumbnail") == 30 and sources.count("heif-thumbnail") == 1
    fast = api.read_evidence(folder)
    assert sum(1 for f in fast if f.hash_source != "pixels") >= 15  # most estimates are never decoded
    with mock.patch.object(ingest, "picture_hash", lambda im, name: pixels.picture_hash(im, name, thumbnails=False)):
        slow = api.read_evidence(folder)
    assert {f.hash_source for f in slow} == {"pixels"}
    names = {f.evidence.sha256: f.evidence.file_name for f in slow}
    decisions = [(f.evidence.file_name, names.get(f.evidence.duplicate_of)) for f in slow]
    assert [(f.evidence.file_name, names.get(f.evidence.duplicate_of)) for f in fast] == decisions
    marked = dict(decisions)
    for k in range(6):  # and they are the right ones
        assert marked[f"{k}_original.jpg"] is None
        for copy in ("same_bytes", "resized", "reencoded", "kept_exif", "upright_copy"):
            assert marked[f"{k}_{copy}.{'png' if copy == 'upright_copy' else 'jpg'}"] is not None, (k, copy)
    for a, b in (("screenshot.png", "screenshot_copy.jpg"), ("photo.heic", "photo_copy.jpg"),
                 ("photo.tiff", "photo.webp")):  # the larger file is the original
        assert marked[a] == b or marked[b] == a, (a, b)
    assert marked["blank.png"] is None


def test_close_calls_decode_only_the_pictures_involved():
    evs = [replace(ingest_bytes(f"{i}.jpg", encode(picture((64, 48), i), "JPEG")), width=64, height=48, size=1000)
           for i in range(4)]
    evs = [replace(e, perceptual_hash=h) for e, h in
           zip(evs, ["00000000ffffffff", "00000000fffffff0", "0000000000ffffff", "ffffffff00000000"], strict=True)]
    asked: list[int] = []

    def exact(i, value):
        return lambda: asked.append(i) or value

    # 0 vs 1: 4 bits, a match even if the estimate is off by ESTIMATE_ERROR_BITS; 0 vs 2: 8 bits, a close call
    marked = mark_duplicates(evs, estimated={1: exact(1, "00000000fffffff0"), 2: exact(2, "000000000000ffff")})
    assert asked == [2]
    assert [e.duplicate_of for e in marked] == [None, evs[0].sha256, None, None]
    assert marked[2].perceptual_hash == "000000000000ffff"  # the picture now carries its pixels' hash


# --- one reading, threads, order, memory, messages ---------------------------------------------

def _folder(tmp_path, n=24):
    out = tmp_path / "batch"
    out.mkdir()
    for i in range(n):
        kind = i % 6
        if kind == 0:
            data = camera_jpeg(picture((640, 480), i), make_exif(f"2026:03:{1 + i:02d} 10:15:00"))
        elif kind == 1:
            data = encode(picture((300, 600), i), "PNG")
        elif kind == 2:
            data = jpeg_with_raw_app1(b"MM\x00*\x00\x00\xff\xf0", seed=i)  # broken EXIF: a warning
        elif kind == 3:
            data = b"\xff\xd8\xff\xe0 this is no JPEG"  # JPEG magic, no image
        elif kind == 4:
            data = encode(picture((640, 480), i), "JPEG", quality=70)
        else:
            data = camera_jpeg(picture((640, 480), i), make_exif(orientation=6))
        (out / f"IMG_2026031{i % 10}_1015{i:02d}.{'png' if kind == 1 else 'jpg'}").write_bytes(data)
    with zipfile.ZipFile(out / "chat.zip", "w") as zf:
        for i in range(5):
            zf.writestr(f"WhatsApp/IMG-2026031{i}-WA000{i}.jpg", encode(picture((320, 240), 200 + i), "JPEG"))
    return out


def test_threads_give_the_single_thread_result_in_input_order(tmp_path):
    folder = _folder(tmp_path)
    calls: list[tuple[int, int, str]] = []
    threads: set[str] = set()

    def progress(done, total, name):
        calls.append((done, total, name))
        threads.add(threading.current_thread().name)

    one = ingest_paths([folder], workers=1)
    many = ingest_paths([folder], workers=4, progress=progress)
    assert [i.evidence for i in many] == [i.evidence for i in one]
    assert [i.path for i in many] == [i.path for i in one] == sorted(i.path for i in one)
    assert [c[0] for c in calls] == list(range(1, len(one) + 1)) and threads == {threading.current_thread().name}
    warned = [i.evidence.file_name for i in many if any(w.startswith("EXIF damaged") for w in i.evidence.warnings)]
    assert len(warned) == 4 and all(i.evidence.media_type == "image/jpeg" for i in many
                                    if i.evidence.file_name in warned)


def test_each_file_is_read_and_opened_once(tmp_path, monkeypatch):
    folder = _folder(tmp_path, 12)
    reads: list[str] = []
    opens: list[int] = []
    real_read = ingest.Path.read_bytes
    real_open = metadata.open_image_noting
    monkeypatch.setattr(ingest.Path, "read_bytes", lambda self: reads.append(self.name) or real_read(self))
    monkeypatch.setattr(metadata, "open_image_noting", lambda data, *a, **k: opens.append(len(data)) or
                        real_open(data, *a, **k))
    items = ingest_paths([folder])
    assert sorted(reads) == sorted(p.name for p in folder.iterdir() if p.suffix != ".zip")
    assert len(opens) == len(items)  # one opening per picture, metadata and hash together


def test_jobs_are_taken_lazily_so_memory_stays_bounded():
    taken: list[int] = []
    first_result_after: list[int] = []

    def jobs():
        for i in range(100):
            taken.append(i)
            yield str(i), (lambda i=i: i)

    out = []
    for value in run_in_order(jobs(), 100, workers=3):
        if not out:
            first_result_after.append(len(taken))
        out.append(value)
    assert out == list(range(100))
    assert first_result_after == [6]  # two jobs a thread in flight, never the whole folder


def test_messages_name_the_file_and_never_show_a_python_object(tmp_path):
    folder = _folder(tmp_path, 6)
    items = ingest_paths([folder])
    bad = [i.evidence for i in items if i.evidence.error]
    assert bad and all(e.file_name in e.error for e in bad)
    assert all(" at 0x" not in e.error and "<_io." not in e.error for e in bad)
    [upload] = read_upload("photo.jpg", b"\xff\xd8\xff\xdb garbage")
    assert upload.evidence.error.startswith("photo.jpg: ") and "0x" not in upload.evidence.error
    assert short_reason(OSError("cannot identify image file <_io.BytesIO object at 0x7f3a2c1b9e40>")) == \
        "cannot identify image file"


def test_upload_zip_keeps_order_and_bytes():
    buf = io.BytesIO()
    members = {f"p{i}.jpg": camera_jpeg(picture((320, 240), i), make_exif()) for i in range(7)}
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        zf.writestr("../evil.jpg", b"x")
    items = read_upload("photos.zip", buf.getvalue())
    assert [i.evidence.file_name for i in items] == [*members, "evil.jpg"]
    assert [i.data() for i in items[:-1]] == list(members.values())
    assert {i.hash_source for i in items[:-1]} == {"exif-thumbnail"} and "unsafe path" in items[-1].evidence.error


def test_exif_with_thumbnail_fixture_is_what_exiftool_reads(tmp_path):
    import json
    import shutil
    import subprocess

    if shutil.which("exiftool") is None:
        pytest.skip("exiftool (libimage-exiftool-perl) not installed")
    path = tmp_path / "cam.jpg"
    path.write_bytes(camera_jpeg(picture((640, 480), 1), make_exif("2026:03:14 10:15:00")))
    [row] = json.loads(subprocess.run(["exiftool", "-json", "-b", "-ThumbnailImage", str(path)],
                                      capture_output=True, text=True, check=True).stdout)
    assert str(row["ThumbnailImage"]).startswith("base64:")
    assert struct.unpack(">H", path.read_bytes()[:2])[0] == 0xFFD8


def test_estimated_margin_is_documented_where_it_is_used():
    assert duplicates.ESTIMATE_ERROR_BITS == ESTIMATE_ERROR_BITS >= 2


def test_uploads_are_read_as_one_batch_in_order():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("a/IMG_1.jpg", camera_jpeg(picture((320, 240), 1), make_exif("2026:03:14 10:15:00")))
        zf.writestr("a/IMG_2.jpg", camera_jpeg(picture((320, 240), 2), make_exif("2026:03:15 10:15:00")))
    uploads = [io.BytesIO(encode(picture((320, 240), 3), "PNG")), io.BytesIO(buf.getvalue()),
               io.BytesIO(camera_jpeg(picture((320, 240), 1), make_exif("2026:03:14 10:15:00")))]
    for obj, name in zip(uploads, ["shot.png", "photos.zip", "IMG_1.jpg"], strict=True):
        obj.name = name
    calls: list[tuple[int, int]] = []
    files = api.read_evidence(*uploads, progress=lambda done, total, name: calls.append((done, total)))
    assert [f.path for f in files] == ["shot.png", "photos.zip!/a/IMG_1.jpg", "photos.zip!/a/IMG_2.jpg", "IMG_1.jpg"]
    assert calls == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert files[3].evidence.duplicate_of == files[1].evidence.sha256  # the same bytes, in and out of the ZIP
    assert files[1].data() == uploads[2].getvalue()

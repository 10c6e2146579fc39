"""Real-format test images made with Pillow (+ pillow-heif): EXIF, GPS, orientation, broken files."""

from __future__ import annotations

import io
import random
import struct
import zlib

from PIL import ExifTags, Image, ImageDraw

B = ExifTags.Base
G = ExifTags.GPS
EXIF_IFD = 0x8769
GPS_IFD = 0x8825


def make_exif(original: str | None = None, subsec: str | None = None, offset: str | None = None,
              digitized: str | None = None, digitized_offset: str | None = None,
              gps: tuple[float, float] | None = None, gps_utc: tuple[str, tuple[float, float, float]] | None = None,
              make: str | None = "Samsung", model: str | None = "SM-S911B", orientation: int | None = None,
              personal: bool = False, software: str | None = None) -> Image.Exif:
    exif = Image.Exif()
    if make:
        exif[B.Make] = make
    if model:
        exif[B.Model] = model
    if software:
        exif[B.Software] = software
    if orientation:
        exif[B.Orientation] = orientation
    sub: dict = {}
    if original:
        sub[B.DateTimeOriginal] = original
    if subsec:
        sub[B.SubsecTimeOriginal] = subsec
    if offset is not None:
        sub[B.OffsetTimeOriginal] = offset
    if digitized:
        sub[B.DateTimeDigitized] = digitized
    if digitized_offset:
        sub[B.OffsetTimeDigitized] = digitized_offset
    if personal:
        exif[B.Artist] = "Jan Peeters"
        sub[B.BodySerialNumber] = "SN-0042"
        sub[B.CameraOwnerName] = "Jan Peeters"
    if sub:
        exif[EXIF_IFD] = sub
    g: dict = {}
    if gps:
        lat, lon = gps
        g[G.GPSLatitudeRef] = "N" if lat >= 0 else "S"
        g[G.GPSLongitudeRef] = "E" if lon >= 0 else "W"
        g[G.GPSLatitude] = _dms(abs(lat))
        g[G.GPSLongitude] = _dms(abs(lon))
    if gps_utc:
        g[G.GPSDateStamp] = gps_utc[0]
        g[G.GPSTimeStamp] = gps_utc[1]
    if g:
        exif[GPS_IFD] = g
    return exif


def _dms(value: float) -> tuple[float, float, float]:
    d = int(value)
    m = int((value - d) * 60)
    s = round((value - d - m / 60) * 3600, 4)
    return (float(d), float(m), s)


def picture(size: tuple[int, int] = (160, 120), seed: int = 1) -> Image.Image:
    """A deterministic picture with structure (so perceptual hashes differ between seeds)."""
    rnd = random.Random(seed)
    im = Image.new("RGB", size, (rnd.randrange(256), rnd.randrange(256), rnd.randrange(256)))
    draw = ImageDraw.Draw(im)
    w, h = size
    for _ in range(12):
        x0, y0 = rnd.randrange(w), rnd.randrange(h)
        x1, y1 = x0 + rnd.randrange(w // 6, w // 2), y0 + rnd.randrange(h // 6, h // 2)
        draw.ellipse((x0, y0, x1, y1), fill=(rnd.randrange(256), rnd.randrange(256), rnd.randrange(256)))
    return im


def encode(im: Image.Image, fmt: str = "JPEG", exif: Image.Exif | None = None, **kw) -> bytes:
    if fmt == "HEIF":
        import pillow_heif

        pillow_heif.register_heif_opener()
    buf = io.BytesIO()
    if exif is not None:
        kw["exif"] = exif.tobytes()
    im.save(buf, fmt, **kw)
    return buf.getvalue()


def jpeg(exif: Image.Exif | None = None, seed: int = 1, size=(160, 120), **kw) -> bytes:
    return encode(picture(size, seed), "JPEG", exif, quality=90, **kw)


def png_bomb_header(width: int = 100_000, height: int = 100_000) -> bytes:
    """A tiny PNG whose IHDR claims a huge size (valid CRCs, one empty IDAT, IEND)."""
    def chunk(ctype: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + ctype + body + struct.pack(">I", zlib.crc32(ctype + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


def jpeg_with_raw_app1(payload: bytes, seed: int = 3) -> bytes:
    """A valid JPEG whose first segment is an APP1 'Exif' block with the given (broken) payload."""
    base = jpeg(None, seed)
    seg = b"Exif\x00\x00" + payload
    return base[:2] + b"\xff\xe1" + struct.pack(">H", len(seg) + 2) + seg + base[2:]


def exif_with_thumbnail(exif: Image.Exif, thumb: bytes, thumb_orientation: int | None = None) -> bytes:
    """EXIF bytes (``Exif\\0\\0`` + TIFF) whose IFD1 holds ``thumb`` (a JPEG), as cameras write them:
    IFD0's next-IFD pointer leads to IFD1 with Compression=6, JPEGInterchangeFormat and its length."""
    raw = exif.tobytes()
    tiff = bytearray(raw[6:])
    e = "<" if tiff[:2] == b"II" else ">"
    count = struct.unpack_from(e + "H", tiff, 8)[0]
    next_at = 8 + 2 + 12 * count
    assert struct.unpack_from(e + "I", tiff, next_at)[0] == 0
    if len(tiff) % 2:
        tiff += b"\x00"
    ifd1 = len(tiff)
    entries = [(0x0103, 3, 1, 6)] + ([(0x0112, 3, 1, thumb_orientation)] if thumb_orientation else [])
    n = len(entries) + 2
    start = ifd1 + 2 + 12 * n + 4
    entries += [(0x0201, 4, 1, start), (0x0202, 4, 1, len(thumb))]
    struct.pack_into(e + "I", tiff, next_at, ifd1)
    tiff += struct.pack(e + "H", n)
    for tag, typ, cnt, value in sorted(entries):
        tiff += struct.pack(e + "HHI", tag, typ, cnt) + struct.pack(e + ("HH" if typ == 3 else "I"), value, *([0] if typ == 3 else []))
    tiff += struct.pack(e + "I", 0) + thumb
    return b"Exif\x00\x00" + bytes(tiff)


def camera_jpeg(im: Image.Image, exif: Image.Exif | None = None, thumb: Image.Image | None = None,
                quality: int = 90, **kw) -> bytes:
    """A JPEG as a camera writes it: EXIF with a JPEG thumbnail of the same picture in IFD1
    (160 px on the long side unless ``thumb`` is given)."""
    if thumb is None:
        thumb = im.copy()
        thumb.thumbnail((160, 160))
    small = io.BytesIO()
    thumb.save(small, "JPEG", quality=85)
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=quality, exif=exif_with_thumbnail(exif or Image.Exif(), small.getvalue(), **kw))
    return buf.getvalue()

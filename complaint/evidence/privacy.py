"""Privacy-safe copies of evidence for the dossier: GPS and personal tags removed.

The original bytes are never touched; ``export_copy`` returns new bytes.  JPEG and PNG are
rewritten segment by segment (pixels are not re-encoded: the copy is visually identical); WebP,
TIFF and HEIC are re-saved by Pillow with the cleaned EXIF.  DateTimeOriginal (and the other
time tags) and Orientation are kept, so the copy still shows when it was taken and stands upright.
XMP and IPTC blocks are dropped (they can repeat GPS, names and serial numbers).
"""

from __future__ import annotations

import io
import struct
import zlib

from PIL import ExifTags, Image

from ..i18n import _
from .metadata import EXIF_IFD, GPS_IFD, ImageUnreadable, open_image, png_exif_chunk

B = ExifTags.Base
PERSONAL_IFD0 = (B.Artist, B.HostComputer, B.ImageDescription, B.XPAuthor, B.XPComment, B.XPKeywords,
                 B.XPSubject, B.XPTitle, B.CameraSerialNumber, B.UniqueCameraModel, B.RawDataUniqueID,
                 0x02BC, 0x83BB)  # XMP-in-TIFF, IPTC-in-TIFF
PERSONAL_EXIF = (B.MakerNote, B.UserComment, B.CameraOwnerName, B.BodySerialNumber, B.LensSerialNumber,
                 B.ImageUniqueID)


def clean_exif(exif: Image.Exif, strip_gps: bool = True, strip_personal: bool = True) -> Image.Exif:
    """A new Exif without GPS and/or personal tags (IFD1 thumbnail and maker notes dropped)."""
    out = Image.Exif()
    for tag, value in exif.items():
        if tag in (EXIF_IFD, GPS_IFD, int(ExifTags.IFD.Interop)):
            continue
        if strip_personal and tag in PERSONAL_IFD0:
            continue
        out[tag] = value
    sub = dict(exif.get_ifd(EXIF_IFD)) if EXIF_IFD in exif else {}
    sub.pop(int(ExifTags.IFD.Interop), None)
    if strip_personal:
        for tag in PERSONAL_EXIF:
            sub.pop(tag, None)
    if sub:
        out[EXIF_IFD] = sub
    if not strip_gps and GPS_IFD in exif:
        gps = dict(exif.get_ifd(GPS_IFD))
        if gps:
            out[GPS_IFD] = gps
    return out


def export_copy(data: bytes, strip_gps: bool = True, strip_personal: bool = True, name: str = "image") -> bytes:
    """Bytes of a copy safe to send: GPS and personal tags removed, capture time and orientation kept."""
    if not strip_gps and not strip_personal:
        return bytes(data)
    im = open_image(data, name)
    fmt = im.format
    try:
        exif = _read_exif(im, data)
        cleaned = clean_exif(exif, strip_gps, strip_personal)
        if fmt in ("JPEG", "MPO"):
            return _jpeg_copy(data, cleaned)
        if fmt == "PNG":
            return _png_copy(data, cleaned)
        return _resave(im, cleaned, fmt or "")
    except ImageUnreadable:
        raise
    except Exception as exc:  # corrupt segments/IFDs: refuse rather than leak unknown metadata
        raise ImageUnreadable(_("{file}: a privacy-safe copy could not be made ({reason})",
                                file=name, reason=str(exc) or type(exc).__name__)) from exc
    finally:
        im.close()


def _read_exif(im: Image.Image, data: bytes) -> Image.Exif:
    if im.format == "PNG" and "exif" not in im.info:
        exif = Image.Exif()
        raw = png_exif_chunk(data)
        if raw:
            exif.load(raw)
        return exif
    return im.getexif()


def _exif_bytes(exif: Image.Exif) -> bytes:
    """The TIFF-structured EXIF payload, without the ``Exif\\0\\0`` prefix (b"" when empty)."""
    if not len(exif):
        return b""
    raw = exif.tobytes()
    return raw[6:] if raw.startswith(b"Exif\x00\x00") else raw


def _jpeg_copy(data: bytes, exif: Image.Exif) -> bytes:
    """Rewrite the marker segments before the scan: one clean EXIF APP1, no XMP/IPTC/comments."""
    out = io.BytesIO()
    out.write(b"\xff\xd8")
    pos, wrote_exif = 2, False
    payload = _exif_bytes(exif)
    while pos < len(data):
        if data[pos] != 0xFF:
            raise ValueError(f"bad JPEG marker at byte {pos}")
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0xDA or marker == 0xD9:  # start of scan: the rest is pixels, copied as is
            if payload and not wrote_exif:
                _jpeg_segment(out, 0xE1, b"Exif\x00\x00" + payload)
            out.write(data[pos:])
            return out.getvalue()
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            out.write(data[pos:pos + 2])
            pos += 2
            continue
        (length,) = struct.unpack(">H", data[pos + 2:pos + 4])
        body = data[pos + 4:pos + 2 + length]
        pos += 2 + length
        if marker == 0xE1 and body.startswith(b"Exif\x00\x00"):
            if payload and not wrote_exif:
                _jpeg_segment(out, 0xE1, b"Exif\x00\x00" + payload)
                wrote_exif = True
            continue
        if marker in (0xE1, 0xED, 0xFE) or 0xE3 <= marker <= 0xEC or marker == 0xEF:
            continue  # XMP / other APP1, IPTC (APP13), comments, maker APPn blocks
        if not wrote_exif and payload and marker not in (0xE0,):
            _jpeg_segment(out, 0xE1, b"Exif\x00\x00" + payload)
            wrote_exif = True
        out.write(data[pos - 2 - length:pos])
    raise ValueError("no image data (start of scan not found)")


def _jpeg_segment(out: io.BytesIO, marker: int, body: bytes) -> None:
    if len(body) + 2 > 0xFFFF:
        raise ValueError("EXIF block too large for one JPEG segment")
    out.write(bytes((0xFF, marker)) + struct.pack(">H", len(body) + 2) + body)


_PNG_DROP = {b"eXIf", b"tEXt", b"zTXt", b"iTXt", b"tIME"}


def _png_copy(data: bytes, exif: Image.Exif) -> bytes:
    """Copy the PNG chunks, replacing eXIf and dropping text chunks (XMP, author, comments)."""
    out = io.BytesIO()
    out.write(data[:8])
    pos, payload = 8, _exif_bytes(exif)
    while pos + 8 <= len(data):
        length, ctype = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos:pos + 12 + length]
        pos += 12 + length
        if ctype in _PNG_DROP:
            continue
        if ctype == b"IDAT" and payload:
            body = b"eXIf" + payload
            out.write(struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body)))
            payload = b""
        out.write(chunk)
        if ctype == b"IEND":
            break
    return out.getvalue()


def _resave(im: Image.Image, exif: Image.Exif, fmt: str) -> bytes:
    im.load()
    out = io.BytesIO()
    payload = exif.tobytes() if len(exif) else b""
    if fmt == "WEBP":
        lossless = im.info.get("lossless", False)
        im.save(out, "WEBP", exif=payload, quality=95, lossless=lossless)
    elif fmt == "TIFF":
        im.save(out, "TIFF", exif=payload, compression=im.info.get("compression", "raw"))
    elif fmt in ("HEIF", "AVIF"):
        im.save(out, fmt, exif=payload, quality=95, xmp=None)
    else:
        im.save(out, fmt, exif=payload)
    return out.getvalue()

"""Image metadata without decoding pixels: format, size, camera, orientation, GPS and time tags.

Pillow is the primary reader (``Image.open`` only parses headers; ``getexif`` + ``get_ifd`` read
the Exif and GPS sub-IFDs); HEIC/HEIF goes through pillow-heif.  exifread is the secondary reader
for JPEG/TIFF/WebP when Pillow cannot parse the EXIF block; any exception from either parser
means "unreadable metadata", never a stopped batch.  The decompression-bomb limit is
``SETTINGS.max_image_pixels``, checked per call (Pillow's global is left alone).
"""

from __future__ import annotations

import io
import math
import mmap
import os
import re
import struct
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from PIL import ExifTags, Image, UnidentifiedImageError

from ..errors import ComplaintError
from ..i18n import _
from ..settings import SETTINGS
from .capture_time import RawTimes, clean_text
from .notes import collected

Image.init()

EXIF_IFD = int(ExifTags.IFD.Exif)
GPS_IFD = int(ExifTags.IFD.GPSInfo)
B = ExifTags.Base
G = ExifTags.GPS

MEDIA_TYPES = {"JPEG": "image/jpeg", "MPO": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp",
               "TIFF": "image/tiff", "HEIF": "image/heic", "AVIF": "image/avif"}
_FORMATS = {"image/jpeg": ["JPEG"], "image/png": ["PNG"], "image/webp": ["WEBP"], "image/tiff": ["TIFF"],
            "image/heic": ["HEIF"], "image/avif": ["AVIF", "HEIF"]}
_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"avif", b"avis"}
_heif_registered = False
_heif_lock = threading.Lock()


class ImageUnreadable(ComplaintError):
    """A file that is not a readable image (the message names the file and the reason)."""


def register_heif() -> None:
    """Register pillow-heif's HEIC/HEIF opener once per process."""
    global _heif_registered
    with _heif_lock:  # files are read on several threads
        if not _heif_registered:
            import pillow_heif

            pillow_heif.register_heif_opener()
            _heif_registered = True


def sniff(data: bytes) -> str | None:
    """Media type from the magic bytes (never from the extension), or None."""
    head = data[:32]
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "image/tiff"
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return "image/avif" if head[8:12] in (b"avif", b"avis") else "image/heic"
    return None


def open_image(data: bytes, name: str, limit: int | None = None) -> Image.Image:
    """Open lazily (headers only), enforcing the per-call pixel limit; ImageUnreadable otherwise."""
    return open_image_noting(data, name, limit)[0]


def open_image_noting(data: bytes, name: str, limit: int | None = None) -> tuple[Image.Image, list[str]]:
    """:func:`open_image`, also returning the parser's warnings ("Corrupt EXIF data...") as text."""
    if not data:
        raise ImageUnreadable(_("{file}: empty file (0 bytes)", file=name))
    media = sniff(data)
    if media is None:
        raise ImageUnreadable(_("{file}: not a supported image (JPEG, PNG, WebP, TIFF or HEIC expected)", file=name))
    if media in ("image/heic", "image/avif"):
        register_heif()
    limit = int(limit if limit is not None else SETTINGS.max_image_pixels)
    try:
        with collected() as caught:
            fp = data if isinstance(data, mmap.mmap) else io.BytesIO(data)
            im = Image.open(fp, formats=[f for f in _FORMATS[media] if f in Image.OPEN])
    except Image.DecompressionBombError as exc:
        raise ImageUnreadable(_("{file}: image too large (more than {limit} pixels), not opened",
                                file=name, limit=limit)) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, struct.error, EOFError) as exc:
        raise ImageUnreadable(_("{file}: unreadable image ({reason})", file=name, reason=short_reason(exc))) from exc
    except Exception as exc:  # third-party decoders (pillow-heif) may raise anything on corrupt input
        raise ImageUnreadable(_("{file}: unreadable image ({reason})", file=name, reason=short_reason(exc))) from exc
    w, h = im.size
    if w <= 0 or h <= 0:
        raise ImageUnreadable(_("{file}: image has no pixels ({w}x{h})", file=name, w=w, h=h))
    if w * h > limit:
        raise ImageUnreadable(_("{file}: image too large ({w}x{h} = {pixels} pixels, limit {limit})",
                                file=name, w=w, h=h, pixels=w * h, limit=limit))
    notes = [short_reason(w) for w in caught if not isinstance(w, Image.DecompressionBombWarning)]
    return im, notes


_OBJECT_REPR = re.compile(r"\s*<[^<>]* at 0x[0-9A-Fa-f]+>")


def short_reason(exc: BaseException | str) -> str:
    """An exception's text for a user: one line, at most 160 characters, and never a Python
    object's repr ("cannot identify image file <_io.BytesIO object at 0x...>")."""
    text = _OBJECT_REPR.sub("", re.sub(r"\s*[\r\n]+\s*", " ", str(exc))).strip() or type(exc).__name__
    return text if len(text) < 160 else text[:157] + "..."


@dataclass
class Meta:
    media_type: str | None = None
    width: int | None = None
    height: int | None = None
    orientation: int | None = None
    make: str | None = None
    model: str | None = None
    software: str | None = None
    gps_lat: float | None = None
    gps_lon: float | None = None
    times: RawTimes = field(default_factory=RawTimes)
    reader: str = "pillow"
    warnings: list[str] = field(default_factory=list)
    damaged: bool = False  # the pixel data is cut short (truncated JPEG/PNG)
    preview: bool = True  # False for RAW and JPEG XL files: no picture is decoded here


# RAW camera files and JPEG XL: no decoder here; their hash and metadata come from ExifTool.
# TIFF-based RAW formats share the TIFF magic, so the extension decides among them.
RAW_EXTENSIONS = {".arw": "image/x-sony-arw", ".cr2": "image/x-canon-cr2", ".cr3": "image/x-canon-cr3",
                  ".nef": "image/x-nikon-nef", ".nrw": "image/x-nikon-nrw", ".dng": "image/x-adobe-dng",
                  ".raf": "image/x-fuji-raf", ".orf": "image/x-olympus-orf", ".rw2": "image/x-panasonic-rw2",
                  ".pef": "image/x-pentax-pef", ".srw": "image/x-samsung-srw"}
_JXL_MAGIC = (b"\xff\x0a", b"\x00\x00\x00\x0cJXL \r\n\x87\n")


def unpreviewable(data: bytes, name: str) -> Meta | None:
    """A Meta for a RAW camera file or a JPEG XL picture (recognised by magic bytes and, for the
    TIFF-based RAW formats, the extension); None for any other file."""
    head = bytes(data[:32])
    ext = os.path.splitext(name.lower())[1]
    media = None
    if head.startswith(_JXL_MAGIC):
        media = "image/jxl"
    elif ext in RAW_EXTENSIONS and (head[:4] in (b"II*\x00", b"MM\x00*", b"IIRO", b"IIU\x00")
                                    or head.startswith(b"FUJIFILMCCD-RAW") or head[4:12] == b"ftypcrx "):
        media = RAW_EXTENSIONS[ext]
    if media is None:
        return None
    kind = "JPEG XL" if media == "image/jxl" else "RAW"
    return Meta(media_type=media, reader="exiftool", preview=False,
                warnings=[_("no preview can be shown for this {kind} file; its hash and metadata are read "
                            "by ExifTool", kind=kind)])


def read_meta(data: bytes, name: str, limit: int | None = None) -> Meta:
    """Everything we read from headers; raises ImageUnreadable when the file is not an image."""
    meta, im = inspect(data, name, limit)
    im.close()
    return meta


def inspect(data: bytes, name: str, limit: int | None = None) -> tuple[Meta, Image.Image]:
    """:func:`read_meta`, also returning the opened image (headers parsed, pixels not decoded) so
    that its pixels or its EXIF thumbnail can be read without opening the bytes again.  The
    caller closes it."""
    im, notes = open_image_noting(data, name, limit)
    meta = Meta(media_type=MEDIA_TYPES.get(im.format or "", sniff(data)), width=im.size[0], height=im.size[1])
    try:
        damage = _check_complete(data, im)
        if damage:
            meta.warnings.append(damage)
            meta.damaged = True
        _read_tags(im, data, meta, notes)
    except BaseException:
        im.close()
        raise
    if meta.media_type in ("image/heic", "image/avif"):
        # pillow-heif decodes upright and resets EXIF Orientation; keep what the file said
        meta.orientation = _orientation(im.info.get("original_orientation")) or meta.orientation
    return meta, im


def _read_tags(im: Image.Image, data: bytes, meta: Meta, notes: list[str]) -> None:
    try:
        with collected() as caught:
            exif = _pillow_exif(im, data)
            _from_pillow(exif, meta)
        notes += [short_reason(w) for w in caught]
        raw = im.info.get("exif")
        if isinstance(raw, bytes) and len(raw) > 8 and not len(exif):
            notes.append(_("the EXIF block is present but no tag could be read"))
        for note in dict.fromkeys(notes):
            meta.warnings.append(_("EXIF damaged: {reason}", reason=note))
    except Exception as exc:  # Pillow's EXIF parser on broken offsets/encodings: try exifread
        meta.warnings.append(_("EXIF block could not be read by Pillow ({reason})", reason=short_reason(exc)))
        if meta.media_type in ("image/jpeg", "image/tiff", "image/webp"):
            _from_exifread(data, meta)


def read_meta_file(path: str | os.PathLike, limit: int | None = None) -> Meta:
    """:func:`read_meta` on a file through a memory map: only the pages holding the headers and
    the end marker are read from disk, not the compressed pixels."""
    p = Path(path)
    with p.open("rb") as fh:
        if p.stat().st_size == 0:
            return read_meta(b"", p.name, limit)
        with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
            return read_meta(mm, p.name, limit)  # type: ignore[arg-type]


def _check_complete(data: bytes, im: Image.Image) -> str | None:
    """Cheap truncation checks without decoding (JPEG end marker after the scan, PNG IEND): a
    warning, since a cut file keeps its hash, metadata and capture time; None when complete."""
    if im.format in ("JPEG", "MPO"):
        start = im.tile[0][2] if im.tile else 0
        if data.rfind(b"\xff\xd9", start) == -1:
            return _("truncated JPEG (the end-of-image marker is missing): the picture is damaged, its hash, "
                     "metadata and capture time are kept")
    elif im.format == "PNG" and data.rfind(b"IEND") == -1:
        return _("truncated PNG (the IEND chunk is missing): the picture is damaged, its hash, metadata and "
                 "capture time are kept")
    return None


def _pillow_exif(im: Image.Image, data: bytes) -> Image.Exif:
    if im.format == "PNG" and "exif" not in im.info:
        # Pillow's PNG getexif() decodes all pixels to find a late eXIf chunk; walk the chunks instead.
        exif = Image.Exif()
        raw = png_exif_chunk(data)
        if raw:
            exif.load(raw)
        return exif
    return im.getexif()


def png_exif_chunk(data: bytes) -> bytes | None:
    """The raw eXIf chunk of a PNG (chunk lengths are followed, compressed data is skipped)."""
    pos = 8
    while pos + 8 <= len(data):
        length, ctype = struct.unpack(">I4s", data[pos:pos + 8])
        if ctype == b"eXIf":
            return data[pos + 8:pos + 8 + length]
        if ctype == b"IEND":
            return None
        pos += 12 + length
    return None


def _from_pillow(exif: Image.Exif, meta: Meta) -> None:
    sub = exif.get_ifd(EXIF_IFD) if EXIF_IFD in exif else {}
    gps = exif.get_ifd(GPS_IFD) if GPS_IFD in exif else {}
    meta.make = clean_text(exif.get(B.Make))
    meta.model = clean_text(exif.get(B.Model))
    meta.software = clean_text(exif.get(B.Software))
    meta.orientation = _orientation(exif.get(B.Orientation))
    t = meta.times
    t.original = clean_text(sub.get(B.DateTimeOriginal))
    t.original_subsec = clean_text(sub.get(B.SubsecTimeOriginal))
    t.original_offset = clean_text(sub.get(B.OffsetTimeOriginal))
    t.digitized = clean_text(sub.get(B.DateTimeDigitized))
    t.digitized_subsec = clean_text(sub.get(B.SubsecTimeDigitized))
    t.digitized_offset = clean_text(sub.get(B.OffsetTimeDigitized))
    t.gps_date = clean_text(gps.get(G.GPSDateStamp))
    t.gps_time = _triple(gps.get(G.GPSTimeStamp))
    _set_position(meta, gps.get(G.GPSLatitude), gps.get(G.GPSLatitudeRef),
                  gps.get(G.GPSLongitude), gps.get(G.GPSLongitudeRef))


def _from_exifread(data: bytes, meta: Meta) -> None:
    try:
        import exifread

        tags = exifread.process_file(io.BytesIO(data), details=False, extract_thumbnail=False)
    except Exception as exc:  # exifread raises AssertionError/KeyError/... on odd files
        meta.warnings.append(_("EXIF block could not be read by exifread either ({reason})", reason=short_reason(exc)))
        return
    meta.reader = "exifread"

    def text(key: str) -> str | None:
        tag = tags.get(key)
        return None if tag is None else clean_text(tag.printable)

    def values(key: str):
        tag = tags.get(key)
        return None if tag is None else tag.values

    meta.make, meta.model, meta.software = text("Image Make"), text("Image Model"), text("Image Software")
    orient = values("Image Orientation")
    meta.orientation = _orientation(orient[0] if orient else None)
    t = meta.times
    t.original, t.original_subsec = text("EXIF DateTimeOriginal"), text("EXIF SubSecTimeOriginal")
    t.original_offset = text("EXIF OffsetTimeOriginal")
    t.digitized, t.digitized_subsec = text("EXIF DateTimeDigitized"), text("EXIF SubSecTimeDigitized")
    t.digitized_offset = text("EXIF OffsetTimeDigitized")
    t.gps_date = text("GPS GPSDate")
    t.gps_time = _triple(values("GPS GPSTimeStamp"))
    _set_position(meta, values("GPS GPSLatitude"), text("GPS GPSLatitudeRef"),
                  values("GPS GPSLongitude"), text("GPS GPSLongitudeRef"))


def _orientation(value: object) -> int | None:
    try:
        o = int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return o if 1 <= o <= 8 else None


def _num(x: object) -> float:
    if hasattr(x, "num") and hasattr(x, "den"):  # exifread Ratio
        return float(x.num) / float(x.den) if x.den else math.nan
    return float(x)  # type: ignore[arg-type]


def _triple(value: object) -> tuple[float, float, float] | None:
    try:
        parts = tuple(_num(v) for v in value)  # type: ignore[union-attr]
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if len(parts) != 3 or not all(math.isfinite(p) for p in parts):
        return None
    return parts  # type: ignore[return-value]


def _degrees(value: object, ref: object) -> float | None:
    try:
        parts = [_num(v) for v in value]  # type: ignore[union-attr]
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if not parts or not all(math.isfinite(p) for p in parts):
        return None
    deg = parts[0] + (parts[1] / 60 if len(parts) > 1 else 0) + (parts[2] / 3600 if len(parts) > 2 else 0)
    if (clean_text(ref) or "").upper()[:1] in ("S", "W"):
        deg = -deg
    return deg


def _set_position(meta: Meta, lat: object, lat_ref: object, lon: object, lon_ref: object) -> None:
    if lat is None or lon is None:
        return
    la, lo = _degrees(lat, lat_ref), _degrees(lon, lon_ref)
    if la is None or lo is None or not (-90 <= la <= 90 and -180 <= lo <= 180):
        meta.warnings.append(_("GPS position is malformed; ignored"))
        return
    if la == 0 and lo == 0:
        meta.warnings.append(_("GPS position 0,0 (a placeholder, not a place); ignored"))
        return
    meta.gps_lat, meta.gps_lon = round(la, 7), round(lo, 7)


def map_links(lat: float, lon: float, zoom: int = 17) -> dict[str, str]:
    """A ``geo:`` URI and an OpenStreetMap URL for a position (strings only, nothing is fetched)."""
    ll = f"{lat:.6f},{lon:.6f}"
    return {"geo": f"geo:{ll}",
            "osm": f"https://www.openstreetmap.org/?mlat={lat:.6f}&mlon={lon:.6f}#map={zoom}/{quote(f'{lat:.6f}/{lon:.6f}')}"}


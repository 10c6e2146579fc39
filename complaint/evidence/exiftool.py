"""ExifTool as the second reader of capture times: one process for a batch, only for the files the
fast path (Pillow, exifread) gave no camera time, or one it doubts.

ExifTool (https://exiftool.org, installed by ``scripts/setup.sh`` as Debian's
``libimage-exiftool-perl``) reads the layouts the fast readers miss: maker notes of old compact,
trail and thermal cameras, odd IFD layouts, XMP and IPTC dates, RAW and JPEG XL files.  It runs
locally (nothing leaves the machine); bytes that are not a file on disk (uploads, ZIP members)
are written to a private temporary folder for the call and removed right after.

The command is ``exiftool -json -a -G1 -time:all -Make -Model -ImageWidth -ImageHeight
-Orientation# <files>``: every time tag with its group, so the ladder of
:func:`complaint.evidence.capture_time.capture_time` runs on ExifTool's values.  File-system dates
(``System:FileModifyDate``...) are never read as capture times.  The evidence records which reader
gave its time: ``evidence.exiftool`` in its provenance, and the ExifTool tag in the locator.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from ..i18n import _
from ..records import Evidence
from .capture_time import RawTimes, capture_time, clean_text
from .metadata import RAW_EXTENSIONS

TIMEOUT_S = 120
CAMERA_SOURCES = ("exif", "exif-digitized", "gps")
_RANK = {"exif": 0, "exif-digitized": 1, "gps": 2, "filename": 3, None: 4}
_PREVIEWLESS = {*RAW_EXTENSIONS.values(), "image/jxl"}
_OFFSET_TAIL = re.compile(r"([+-]\d{2}:?\d{2}|Z)\s*$")
# groups in the order ExifTool itself prefers a tag (EXIF, then XMP, then maker notes)
_NOT_CAPTURE = ("System:", "File:", "Composite:", "ICC_Profile:", "IFD0:ModifyDate", "ExifIFD:ModifyDate")


@dataclass(frozen=True, slots=True)
class Entry:
    """One evidence to check: its record and where its bytes are (a path, or a function giving them)."""

    evidence: Evidence
    path: str | None = None
    data: Callable[[], bytes] | None = None


def available() -> bool:
    return shutil.which("exiftool") is not None


def wanted(ev: Evidence) -> bool:
    """Whether ExifTool should read this file: no camera time from the fast path, a time it flags,
    a time exifread had to recover from a damaged block, or a file only ExifTool can read."""
    if ev.error:
        return False
    if ev.media_type in _PREVIEWLESS:
        return True
    if ev.time_source not in CAMERA_SOURCES or ev.time_flag:
        return True
    return bool(ev.provenance and ev.provenance.importer == "evidence.exifread")


_JPEG_SKIP = (b"JFIF\x00", b"JFXX\x00", b"ICC_PROFILE\x00", b"Adobe")
_PNG_TEXT = {b"eXIf", b"iTXt", b"tEXt", b"zTXt"}


def worth_asking(data: bytes, complete: bool = True) -> bool:
    """Whether the file holds metadata ExifTool could read a time from.  A JPEG whose only APP
    segments are JFIF, ICC or Adobe colour, or a PNG without eXIf or text chunks, has none: asking
    would only cost a process.  Any other layout (TIFF, RAW, HEIC, WebP...) is always worth it.
    ``complete=False``: ``data`` is the file's head only, so what it does not reach counts as metadata."""
    head = bytes(data[:4])
    if head.startswith(b"\xff\xd8"):
        pos = 2
        while pos + 4 <= len(data) and data[pos] == 0xFF:
            marker = data[pos + 1]
            if marker in (0xDA, 0xD9):  # start of scan / end of image: no more metadata segments
                return False
            length = int.from_bytes(data[pos + 2:pos + 4], "big")
            if 0xE1 <= marker <= 0xEF and not bytes(data[pos + 4:pos + 16]).startswith(_JPEG_SKIP):
                return True
            if marker == 0xFE:  # a comment may carry a date written by old cameras
                return True
            pos += 2 + length
        return not complete
    if head == b"\x89PNG":
        pos = 8
        while pos + 8 <= len(data):
            length = int.from_bytes(data[pos:pos + 4], "big")
            kind = bytes(data[pos + 4:pos + 8])
            if kind in _PNG_TEXT:
                return True
            if kind == b"IEND":
                return False
            pos += 12 + length
        return not complete
    return True


def run(paths: Sequence[str]) -> list[dict | None]:
    """ExifTool's tags of each path (None for a file it could not read); raises OSError or
    subprocess errors when ExifTool cannot run."""
    if not paths:
        return []
    cmd = ["exiftool", "-json", "-a", "-G1", "-q", "-q", "-charset", "filename=utf8", "-time:all", "-Make", "-Model",
           "-ImageWidth", "-ImageHeight", "-Orientation#", "--", *paths]
    done = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT_S, check=False)  # noqa: S603 - fixed argv
    try:
        rows = json.loads(done.stdout.decode("utf-8", "replace") or "[]")
    except json.JSONDecodeError:
        rows = []
    by_path = {row.get("SourceFile"): row for row in rows if isinstance(row, dict)}
    return [by_path.get(p) for p in paths]


def _first(tags: dict, name: str) -> tuple[str | None, str | None]:
    """(value, tag) of the first ``<group>:<name>`` that can be a capture time, in ExifTool's order;
    ExifTool's own composite (``Composite:DateTimeOriginal``, made from IPTC dates) comes last."""
    for key, value in tags.items():
        if key.endswith(":" + name) and not key.startswith(_NOT_CAPTURE) and key not in _NOT_CAPTURE:
            text = clean_text(value)
            if text:
                return text, key
    composite = clean_text(tags.get(f"Composite:{name}"))
    return (composite, f"Composite:{name}") if composite and name != "SubSecDateTimeOriginal" else (None, None)


def _split_offset(text: str | None) -> tuple[str | None, str | None]:
    """``2026:03:14 10:15:00+01:00`` -> (``2026:03:14 10:15:00``, ``+01:00``)."""
    if not text:
        return None, None
    m = _OFFSET_TAIL.search(text)
    if not m or len(text) <= 19:
        return text, None
    offset = "+00:00" if m[1] == "Z" else m[1]
    return text[: m.start()].strip(), offset


def times_from(tags: dict) -> tuple[RawTimes, dict[str, str]]:
    """ExifTool's tags as the ladder's RawTimes, and the tag each value came from."""
    where: dict[str, str] = {}
    original, tag = _first(tags, "DateTimeOriginal")
    if tag:
        where["exif"] = tag
    sub = clean_text(tags.get("Composite:SubSecDateTimeOriginal"))
    if original and sub and sub.startswith(original[:19]):
        original = sub  # keeps the sub-seconds as text (the -json numbers lose leading zeros)
    original, offset = _split_offset(original)
    offset = clean_text(tags.get("ExifIFD:OffsetTimeOriginal")) or offset
    digitized, tag = _first(tags, "CreateDate")
    if not digitized:
        digitized, tag = _first(tags, "DateCreated")
        created_time = clean_text(tags.get("IPTC:TimeCreated"))
        if digitized and len(digitized) <= 10 and created_time:
            digitized = f"{digitized} {created_time}"
    if tag:
        where["exif-digitized"] = tag
    digitized, digitized_offset = _split_offset(digitized)
    gps_date, gps_time = clean_text(tags.get("GPS:GPSDateStamp")), clean_text(tags.get("GPS:GPSTimeStamp"))
    triple = None
    if gps_date and gps_time:
        parts = re.findall(r"\d+(?:\.\d+)?", gps_time)
        if len(parts) >= 3:
            triple = (float(parts[0]), float(parts[1]), float(parts[2]))
            where["gps"] = "GPS:GPSDateStamp+GPSTimeStamp"
    raw = RawTimes(original=original, original_offset=offset, digitized=digitized,
                   digitized_offset=clean_text(tags.get("ExifIFD:OffsetTimeDigitized")) or digitized_offset,
                   gps_date=gps_date, gps_time=triple)
    return raw, where


def refine(entries: Sequence[Entry], tz: str = "Europe/Brussels", now: datetime | None = None) -> list[Evidence]:
    """The evidence of ``entries``, with ExifTool's capture time (and, for RAW and JPEG XL, its
    metadata) where the fast path had none or doubted it; one ExifTool process for all of them."""
    out = [e.evidence for e in entries]
    todo = [i for i, e in enumerate(entries) if wanted(e.evidence) and worth_asking(*_head(e))]
    if not todo:
        return out
    if not available():
        for i in todo:
            out[i] = replace(out[i], warnings=(*out[i].warnings, _(
                "ExifTool is not installed: the capture time could not be checked by a second reader")))
        return out
    with tempfile.TemporaryDirectory(prefix="complaint-exif-") as tmp:
        paths: list[str] = []
        for n, i in enumerate(todo):
            entry = entries[i]
            if entry.path and os.path.isfile(entry.path):
                paths.append(os.path.abspath(entry.path))
                continue
            suffix = re.sub(r"[^A-Za-z0-9.]", "", Path(entry.evidence.file_name).suffix)[:8]
            target = Path(tmp) / f"{n:06d}{suffix}"
            target.write_bytes(entry.data() if entry.data else b"")
            paths.append(str(target))
        try:
            found = run(paths)
        except (OSError, subprocess.SubprocessError) as exc:
            note = _("ExifTool could not be run ({reason}): the capture time was not checked by a second reader",
                     reason=type(exc).__name__)
            for i in todo:
                out[i] = replace(out[i], warnings=(*out[i].warnings, note))
            return out
    for i, tags in zip(todo, found, strict=True):
        out[i] = _apply(out[i], tags, tz, now)
    return out


_HEAD = 1 << 20


def _head(entry: Entry) -> tuple[bytes, bool]:
    """The file's bytes, or for a file on disk its first megabyte (read once more, cheaply), and
    whether that is the whole file."""
    try:
        if entry.path and os.path.isfile(entry.path):
            with open(entry.path, "rb") as fh:
                head = fh.read(_HEAD + 1)
            return head[:_HEAD], len(head) <= _HEAD
        return (entry.data() if entry.data is not None else b""), True
    except OSError:
        return b"", True


def _apply(ev: Evidence, tags: dict | None, tz: str, now: datetime | None) -> Evidence:
    previewless = ev.media_type in _PREVIEWLESS
    if tags is None:
        return ev
    if previewless:
        ev = replace(ev, camera_make=clean_text(tags.get("IFD0:Make")) or _first(tags, "Make")[0],
                     camera_model=clean_text(tags.get("IFD0:Model")) or _first(tags, "Model")[0],
                     width=_int(_first(tags, "ImageWidth")[0]), height=_int(_first(tags, "ImageHeight")[0]),
                     orientation=_int(_first(tags, "Orientation")[0]))
    raw, where = times_from(tags)
    ct = capture_time(raw, ev.file_name, ev.file_time, tz, now=now)
    better = _RANK.get(ct.source, 4) < _RANK.get(ev.time_source, 4)
    differs = bool(ev.time_flag) and ct.source == ev.time_source and ct.text != ev.captured_text
    if not (better or differs) or ct.source not in CAMERA_SOURCES:
        return ev
    before = capture_time(RawTimes(), ev.file_name, ev.file_time, tz, now=now).warnings if ev.time_source in (
        None, "filename") else []
    warnings = [w for w in ev.warnings if w not in before] + ct.warnings
    prov = ev.provenance
    if prov is not None:
        prov = replace(prov, importer="evidence.exiftool", locator=f"ExifTool {where.get(ct.source, ct.source)}")
    return replace(ev, captured_at=ct.at, captured_text=ct.text, time_source=ct.source, tz_source=ct.tz_source,
                   time_flag=ct.flag, warnings=tuple(dict.fromkeys(warnings)), provenance=prov)


def _int(value: str | None) -> int | None:
    try:
        return int(float(value)) if value is not None else None
    except ValueError:
        return None

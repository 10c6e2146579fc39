"""Evidence photos and screenshots: ingest, capture time, duplicates and chronology events.

Public API::

    ingest_bytes(name, data, mtime=None, tz="Europe/Brussels") -> Evidence
    ingest_paths(paths, progress=None, tz=...) -> list[Ingested]   # files, folders, ZIPs
    mark_duplicates(evidence_list) -> list[Evidence]
    evidence_events(evidence_list) -> list[Event]
    thumbnail(data, size=512) -> bytes;  export_copy(data, strip_gps=True, strip_personal=True) -> bytes
    map_links(lat, lon) -> {"geo": ..., "osm": ...}

The original bytes are never changed; their SHA-256 is the evidence id.  One bad file gives an
Evidence with ``error`` set; a batch always goes on.
"""

from __future__ import annotations

import hashlib
import os
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from ..calendar_be import BRUSSELS
from ..errors import ComplaintError, LimitExceeded
from ..i18n import N_, _
from ..records import Event, Evidence, Lane, Provenance
from ..settings import SETTINGS
from .capture_time import RawTimes, capture_time, localize, zone
from .metadata import ImageUnreadable, hamming, map_links, perceptual_hash, read_meta, sniff, thumbnail
from .privacy import export_copy

__all__ = ["Ingested", "ingest_bytes", "ingest_paths", "ingest_upload", "mark_duplicates", "evidence_events", "thumbnail",
           "export_copy", "map_links", "is_screenshot", "date_only", "NEAR_DUPLICATE_BITS"]

Progress = Callable[[int, int, str], None]
NEAR_DUPLICATE_BITS = 8  # dHash Hamming distance at or below which two pictures are "the same"
ZIP_MAX_TOTAL_BYTES = 4 * 1024**3
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".jpe", ".png", ".webp", ".tif", ".tiff", ".heic", ".heif", ".hif", ".avif"}
_LOCATOR = {"exif": "EXIF DateTimeOriginal", "exif-digitized": "EXIF DateTimeDigitized",
            "gps": "EXIF GPSDateStamp+GPSTimeStamp", "filename": "file name", "mtime": "file modification time"}


def ingest_bytes(name: str, data: bytes, mtime: datetime | None = None, tz: str = "Europe/Brussels", *,
                 perceptual: bool = True, source_name: str | None = None, now: datetime | None = None) -> Evidence:
    """Read one file's bytes into an Evidence record (never raises for bad image data)."""
    zone(tz)  # an unknown zone is the caller's error, not the file's
    sha = hashlib.sha256(data).hexdigest()
    file_name = PurePosixPath(name.replace("\\", "/")).name or name
    ev = Evidence(sha256=sha, file_name=file_name, size=len(data), media_type=sniff(data))
    warnings: list[str] = []
    reader = "evidence"
    error: str | None = None
    meta = None
    if len(data) > int(SETTINGS.max_file_bytes):
        error = _("{file}: file too large ({size} bytes, limit {limit})", file=file_name, size=len(data),
                  limit=SETTINGS.max_file_bytes)
    else:
        try:
            meta = read_meta(data, file_name)
        except ImageUnreadable as exc:
            error = str(exc)
    if meta is not None:
        reader = f"evidence.{meta.reader}"
        warnings.extend(meta.warnings)
        ev = replace(ev, media_type=meta.media_type, width=meta.width, height=meta.height,
                     orientation=meta.orientation, camera_make=meta.make, camera_model=meta.model,
                     software=meta.software, gps_lat=meta.gps_lat, gps_lon=meta.gps_lon)
        if perceptual:
            try:
                ev = replace(ev, perceptual_hash=perceptual_hash(data, file_name))
            except ImageUnreadable as exc:
                error = str(exc)
    prov = Provenance(source_name=source_name or name, source_sha256=sha, importer=reader)
    if error is not None:  # an unreadable file is not dated: it cannot show what it claims to show
        return replace(ev, warnings=tuple(warnings), error=error, provenance=prov)
    ct = capture_time(meta.times if meta else RawTimes(), file_name, mtime, tz, now=now)
    warnings.extend(ct.warnings)
    return replace(ev, captured_at=ct.at, captured_text=ct.text, time_source=ct.source, tz_source=ct.tz_source,
                   filename_time=ct.filename_time, warnings=tuple(warnings), error=error,
                   provenance=replace(prov, locator=_LOCATOR.get(ct.source or "")))


def date_only(ev: Evidence) -> bool:
    """True when only the day is known (e.g. WhatsApp ``IMG-20260314-WA0003.jpg``)."""
    return ev.time_source == "filename" and bool(ev.captured_text) and "T" not in (ev.captured_text or "")


# --- batches: files, folders, ZIPs ------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Ingested:
    """One ingested file; the bytes are re-read on demand (``data()``), never kept in memory."""

    evidence: Evidence
    path: str  # file path, or "archive.zip!/folder/IMG_1.jpg" for a ZIP member
    file: str | None = None  # the file on disk holding the bytes
    member: str | None = None  # ZIP member name, when inside a ZIP

    def data(self) -> bytes:
        if self.file is None:
            raise ComplaintError(_("{path}: the file could not be read", path=self.path))
        if self.member is None:
            return Path(self.file).read_bytes()
        with zipfile.ZipFile(self.file) as zf:
            return zf.read(self.member)

    def read_bytes(self) -> bytes:
        """Same as :meth:`data` (the name ``pathlib.Path`` users expect)."""
        return self.data()


@dataclass(frozen=True, slots=True)
class _Item:
    path: str
    file: str | None
    member: str | None = None
    size: int = 0
    mtime: datetime | None = None
    problem: str | None = None


def _is_hidden(name: str) -> bool:
    parts = PurePosixPath(name.replace("\\", "/")).parts
    return any((p.startswith(".") and p not in (".", "..")) or p == "__MACOSX" for p in parts)


def _safe_member(name: str) -> bool:
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or "\x00" in name:
        return False
    return ".." not in PurePosixPath(name.replace("\\", "/")).parts


def _zip_items(path: Path, tz: str, max_members: int | None, max_total: int) -> Iterator[_Item]:
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        yield _Item(str(path), None, problem=_("{file}: not a readable ZIP archive ({reason})", file=path.name,
                                               reason=str(exc)))
        return
    with zf:
        members = [i for i in zf.infolist() if not i.is_dir() and not _is_hidden(i.filename)]
        limit = int(max_members if max_members is not None else SETTINGS.max_files)
        if len(members) > limit:
            raise LimitExceeded(_("{file}: {n} files in the ZIP, the limit is {limit}", file=path.name,
                                  n=len(members), limit=limit))
        total = sum(i.file_size for i in members)
        if total > max_total:
            raise LimitExceeded(_("{file}: {size} bytes once unpacked, the limit is {limit}", file=path.name,
                                  size=total, limit=max_total))
    for info in members:
        label = f"{path}!/{info.filename}"
        if not _safe_member(info.filename):
            yield _Item(label, None, problem=_("{file}: unsafe path inside the ZIP, skipped", file=info.filename))
            continue
        try:
            mtime = localize(datetime(*info.date_time), zone(tz))
        except ValueError:
            mtime = None
        yield _Item(label, str(path), info.filename, info.file_size, mtime)


def _expand(paths: Iterable[str | os.PathLike], tz: str, max_members: int | None,
            max_total: int) -> list[_Item]:
    items: list[_Item] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and not _is_hidden(str(f.relative_to(p))):
                    if f.suffix.lower() == ".zip":
                        items.extend(_zip_items(f, tz, max_members, max_total))
                    else:
                        items.append(_file_item(f))
        elif p.is_file() and (p.suffix.lower() == ".zip" or (zipfile.is_zipfile(p) and
                                                                 p.suffix.lower() not in IMAGE_SUFFIXES)):
            items.extend(_zip_items(p, tz, max_members, max_total))
        elif p.is_file():
            items.append(_file_item(p))
        else:
            items.append(_Item(str(p), None, problem=_("{file}: no such file or folder", file=str(p))))
    return items


def _file_item(f: Path) -> _Item:
    st = f.stat()
    return _Item(str(f), str(f), None, st.st_size, datetime.fromtimestamp(st.st_mtime, UTC))


def ingest_paths(paths: Iterable[str | os.PathLike], progress: Progress | None = None, tz: str = "Europe/Brussels",
                 *, perceptual: bool = True, max_members: int | None = None,
                 max_total_bytes: int = ZIP_MAX_TOTAL_BYTES) -> list[Ingested]:
    """Ingest files, folders (recursively) and ZIPs; ``progress(done, total, name)`` after each file.

    ZIPs are read in memory member by member (never extracted to disk); more members than
    ``SETTINGS.max_files`` or more than ``max_total_bytes`` unpacked raise LimitExceeded before
    anything is read.  Unsafe member names (``..``, absolute paths) become error entries.
    """
    zone(tz)
    items = _expand(paths, tz, max_members, max_total_bytes)
    out: list[Ingested] = []
    open_zip: tuple[str, zipfile.ZipFile] | None = None
    try:
        for done, item in enumerate(items, 1):
            name = PurePosixPath(item.path.replace("\\", "/")).name
            if item.problem is not None or item.file is None:
                ev = Evidence(sha256="", file_name=name, size=0, error=item.problem)
            elif item.size > int(SETTINGS.max_file_bytes):
                ev = Evidence(sha256="", file_name=name, size=item.size,
                              error=_("{file}: file too large ({size} bytes, limit {limit})", file=name,
                                      size=item.size, limit=SETTINGS.max_file_bytes))
            else:
                try:
                    if item.member is None:
                        data = Path(item.file).read_bytes()
                    else:
                        if open_zip is None or open_zip[0] != item.file:
                            if open_zip is not None:
                                open_zip[1].close()
                            open_zip = (item.file, zipfile.ZipFile(item.file))
                        with open_zip[1].open(item.member) as fh:
                            data = fh.read(int(SETTINGS.max_file_bytes) + 1)
                    ev = ingest_bytes(name, data, item.mtime, tz, perceptual=perceptual, source_name=item.path)
                    del data  # free before the next read: lets the allocator reuse the same pages
                except (OSError, zipfile.BadZipFile, RuntimeError, EOFError, NotImplementedError) as exc:
                    ev = Evidence(sha256="", file_name=name, size=item.size,
                                  error=_("{file}: could not be read ({reason})", file=name, reason=str(exc)))
            out.append(Ingested(ev, item.path, item.file, item.member))
            if progress is not None:
                progress(done, len(items), name)
    finally:
        if open_zip is not None:
            open_zip[1].close()
    return out


def ingest_upload(name: str, data: bytes, tz: str = "Europe/Brussels", progress: Progress | None = None,
                  *, max_members: int | None = None,
                  max_total_bytes: int = ZIP_MAX_TOTAL_BYTES) -> list[tuple[Evidence, bytes]]:
    """An uploaded file (an image or a ZIP of images, already in memory) -> (Evidence, bytes) pairs."""
    zone(tz)
    if not (name.lower().endswith(".zip") or data[:4] == b"PK\x03\x04"):
        ev = ingest_bytes(name, data, tz=tz)
        if progress is not None:
            progress(1, 1, name)
        return [(ev, data)]
    import io

    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        return [(Evidence(sha256=hashlib.sha256(data).hexdigest(), file_name=name, size=len(data),
                          error=_("{file}: not a readable ZIP archive ({reason})", file=name, reason=str(exc))),
                 data)]
    out: list[tuple[Evidence, bytes]] = []
    with zf:
        members = [i for i in zf.infolist() if not i.is_dir() and not _is_hidden(i.filename)]
        limit = int(max_members if max_members is not None else SETTINGS.max_files)
        if len(members) > limit:
            raise LimitExceeded(_("{file}: {n} files in the ZIP, the limit is {limit}", file=name,
                                  n=len(members), limit=limit))
        if sum(i.file_size for i in members) > max_total_bytes:
            raise LimitExceeded(_("{file}: {size} bytes once unpacked, the limit is {limit}", file=name,
                                  size=sum(i.file_size for i in members), limit=max_total_bytes))
        for done, info in enumerate(members, 1):
            base = PurePosixPath(info.filename).name
            if not _safe_member(info.filename):
                ev = Evidence(sha256="", file_name=base, size=info.file_size,
                              error=_("{file}: unsafe path inside the ZIP, skipped", file=info.filename))
                out.append((ev, b""))
            elif info.file_size > int(SETTINGS.max_file_bytes):
                out.append((Evidence(sha256="", file_name=base, size=info.file_size,
                                     error=_("{file}: file too large ({size} bytes, limit {limit})", file=base,
                                             size=info.file_size, limit=SETTINGS.max_file_bytes)), b""))
            else:
                try:
                    member = zf.read(info)
                except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError) as exc:
                    out.append((Evidence(sha256="", file_name=base, size=info.file_size,
                                         error=_("{file}: could not be read ({reason})", file=base,
                                                 reason=str(exc))), b""))
                else:
                    try:
                        mtime = localize(datetime(*info.date_time), zone(tz))
                    except ValueError:
                        mtime = None
                    out.append((ingest_bytes(base, member, mtime, tz, source_name=f"{name}!/{info.filename}"),
                                member))
            if progress is not None:
                progress(done, len(members), base)
    return out


# --- duplicates -------------------------------------------------------------------------------

def _rank(ev: Evidence) -> tuple:
    """Best original first: readable, more pixels, a camera time, larger file."""
    good_time = ev.time_source in ("exif", "exif-digitized", "gps")
    return (ev.error is None, (ev.width or 0) * (ev.height or 0), good_time, ev.size)


def _aspect(ev: Evidence) -> float | None:
    if not ev.width or not ev.height:
        return None
    return max(ev.width, ev.height) / min(ev.width, ev.height)


def mark_duplicates(evidence_list: Iterable[Evidence], threshold: int = NEAR_DUPLICATE_BITS) -> list[Evidence]:
    """Set ``duplicate_of`` (same SHA-256, or a dHash within ``threshold`` bits of a better copy).

    Input order is kept; nothing is removed.  Near-duplicates must also share the aspect ratio,
    and nearly uniform pictures (blank screenshots) are never matched on their hash alone.
    """
    items = list(evidence_list)
    first_by_sha: dict[str, str] = {}
    reps: list[Evidence] = []  # representatives for near-duplicate comparison
    result: dict[int, str | None] = {}
    order = sorted(range(len(items)), key=lambda i: _rank(items[i]), reverse=True)
    for i in order:
        ev = items[i]
        if ev.sha256 and ev.sha256 in first_by_sha:
            result[i] = first_by_sha[ev.sha256]
            continue
        if ev.sha256:
            first_by_sha[ev.sha256] = ev.sha256
        result[i] = None
        if ev.perceptual_hash and ev.error is None:
            bits = int(ev.perceptual_hash, 16).bit_count()
            if 3 <= bits <= 61:
                for rep in reps:
                    ra, ea = _aspect(rep), _aspect(ev)
                    if ra and ea and abs(ra - ea) / ra <= 0.03 and \
                            hamming(rep.perceptual_hash, ev.perceptual_hash) <= threshold:
                        result[i] = rep.sha256
                        break
                else:
                    reps.append(ev)
    return [replace(ev, duplicate_of=result[i]) if result[i] != ev.duplicate_of else ev
            for i, ev in enumerate(items)]


# --- chronology -------------------------------------------------------------------------------

_SCREENSHOT = re.compile(r"screen[ _-]?shot|screencap|screen[ _-]?capture|capture d.?[ée]cran|"
                         r"schermafbeelding|schermopname|bildschirmfoto|snip", re.I)


def is_screenshot(ev: Evidence) -> bool:
    if _SCREENSHOT.search(ev.file_name) or _SCREENSHOT.search(ev.software or ""):
        return True
    return ev.media_type == "image/png" and not ev.camera_make and not ev.camera_model


TIME_SOURCE_LABELS = {
    "exif": N_("camera time (EXIF DateTimeOriginal)"),
    "exif-digitized": N_("camera time (EXIF DateTimeDigitized)"),
    "gps": N_("GPS time (UTC)"),
    "filename": N_("the file name"),
    "mtime": N_("the file modification time (weak)"),
    "user": N_("entered by the user"),
}


def evidence_events(evidence_list: Iterable[Evidence]) -> list[Event]:
    """One chronology event per picture with a capture time (duplicates fold into their original)."""
    items = list(evidence_list)
    copies: dict[str, list[str]] = {}
    for ev in items:
        if ev.duplicate_of and ev.duplicate_of != ev.sha256:
            copies.setdefault(ev.duplicate_of, []).append(ev.sha256)
    events: list[Event] = []
    seen: set[str] = set()
    for ev in items:
        if ev.captured_at is None or ev.sha256 in seen or (ev.duplicate_of and ev.duplicate_of != ev.sha256):
            continue
        seen.add(ev.sha256)
        shot = is_screenshot(ev)
        kind = "screenshot_taken" if shot else "photo_taken"
        title = (_("Screenshot taken: {name}", name=ev.file_name) if shot
                 else _("Photo taken: {name}", name=ev.file_name))
        body = [_("Time from {source}; zone: {tz}.", source=_(TIME_SOURCE_LABELS.get(ev.time_source or "", "?")),
                  tz=ev.tz_source or "?")]
        if ev.problem:
            from ..records import PROBLEM_LABELS, Problem

            try:
                body.append(_("Problem: {problem}.", problem=_(PROBLEM_LABELS[Problem(ev.problem)])))
            except ValueError:
                body.append(_("Problem: {problem}.", problem=ev.problem))
        if ev.note:
            body.append(ev.note)
        if copies.get(ev.sha256):
            body.append(_("{n} duplicate copies.", n=len(copies[ev.sha256])))
        local = ev.captured_at.astimezone(BRUSSELS)
        events.append(Event(
            id=f"evidence-{ev.sha256[:16]}", kind=kind, lane=Lane.EVIDENCE.value, title=title, on=local.date(),
            at=None if date_only(ev) else ev.captured_at, body=" ".join(body),
            order_ids=(ev.order_id,) if ev.order_id else (),
            evidence_ids=(ev.sha256, *copies.get(ev.sha256, ())), time_source=ev.time_source,
            provenance=ev.provenance))
    events.sort(key=lambda e: (e.on, e.at or datetime.combine(e.on, datetime.min.time(), BRUSSELS), e.id))
    return events

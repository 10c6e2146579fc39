"""Evidence photos and screenshots: ingest, capture time, duplicates and chronology events.

Public API::

    ingest_bytes(name, data, mtime=None, tz="Europe/Brussels") -> Evidence
    ingest_paths(paths, progress=None, tz=...) -> list[Ingested]   # files, folders, ZIPs
    ingest_upload(name, data, tz=...) -> list[(Evidence, bytes)]   # an image or a ZIP in memory
    mark_duplicates(evidence_list) -> list[Evidence]
    evidence_events(evidence_list) -> list[Event]
    thumbnail(data, size=512) -> bytes;  export_copy(data, strip_gps=True, strip_personal=True) -> bytes
    map_links(lat, lon) -> {"geo": ..., "osm": ...}

The original bytes are never changed; their SHA-256 is the evidence id.  One bad file gives an
Evidence with ``error`` set; a batch always goes on.

Speed: each file is read once; the same bytes feed SHA-256 and one opening of the image, whose
parsed headers give the metadata and then the perceptual hash (from the EXIF thumbnail when there
is a faithful one, else the pixels decoded at reduced scale: see :mod:`.pixels`).  A batch runs
on a small thread pool (hashlib and Pillow's decoders release the GIL), with at most two files per
thread in memory, and gives its results (and progress) in the order of the input.
"""

from __future__ import annotations

import hashlib
import os
import zipfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import TypeVar

from ..archive import Archive
from ..errors import ComplaintError, LimitExceeded, ParseError
from ..i18n import _
from ..limits import too_large
from ..records import Evidence, Provenance
from ..settings import SETTINGS
from . import exiftool
from .capture_time import RawTimes, capture_time, zone
from .chronology import TIME_SOURCE_LABELS, date_only, evidence_events, is_screenshot, zone_label
from .duplicates import NEAR_DUPLICATE_BITS, mark_duplicates
from .metadata import ImageUnreadable, inspect, map_links, short_reason, sniff, unpreviewable
from .pixels import perceptual_hash, picture_hash, thumbnail
from .privacy import export_copy
from .sources import ZIP_MAX_TOTAL_BYTES, Source, expand, member_mtime, open_zip, safe_member, zip_members

__all__ = ["Ingested", "ingest_bytes", "ingest_paths", "ingest_upload", "mark_duplicates", "evidence_events", "thumbnail",
           "export_copy", "map_links", "is_screenshot", "date_only", "NEAR_DUPLICATE_BITS", "TIME_SOURCE_LABELS", "zone_label",
           "ZIP_MAX_TOTAL_BYTES", "default_workers", "read_one", "read_upload", "read_uploads", "run_in_order"]

Progress = Callable[[int, int, str], None]
MAX_WORKERS = 4  # the work per file is short: more threads only add memory and contention
_READ_ERRORS = (OSError, zipfile.BadZipFile, RuntimeError, EOFError, NotImplementedError, ParseError)
_LOCATOR = {"exif": "EXIF DateTimeOriginal", "exif-digitized": "EXIF DateTimeDigitized",
            "gps": "EXIF GPSDateStamp+GPSTimeStamp", "filename": "file name", "mtime": "file modification time"}


def ingest_bytes(name: str, data: bytes, mtime: datetime | None = None, tz: str = "Europe/Brussels", *,
                 perceptual: bool = True, source_name: str | None = None, now: datetime | None = None) -> Evidence:
    """Read one file's bytes into an Evidence record (never raises for bad image data)."""
    ev = read_one(name, data, mtime, tz, perceptual=perceptual, source_name=source_name, now=now)[0]
    return exiftool.refine([exiftool.Entry(ev, data=lambda: data)], tz, now)[0]


def read_one(name: str, data: bytes, mtime: datetime | None = None, tz: str = "Europe/Brussels", *,
             perceptual: bool = True, source_name: str | None = None,
             now: datetime | None = None) -> tuple[Evidence, str | None]:
    """:func:`ingest_bytes`, with where the perceptual hash was taken from (``pixels``,
    ``exif-thumbnail``, ``heif-thumbnail``; None without a hash): see :func:`.pixels.picture_hash`."""
    zone(tz)  # an unknown zone is the caller's error, not the file's
    sha = hashlib.sha256(data).hexdigest()
    file_name = PurePosixPath(name.replace("\\", "/")).name or name
    ev = Evidence(sha256=sha, file_name=file_name, size=len(data), media_type=sniff(data))
    warnings: list[str] = []
    reader = "evidence"
    error: str | None = None
    meta = None
    hash_source: str | None = None
    if len(data) > int(SETTINGS.max_file_bytes):
        error = _too_large(file_name, len(data))
    elif (meta := unpreviewable(data, file_name)) is None:  # RAW and JPEG XL: ExifTool reads them later
        try:
            meta, im = inspect(data, file_name)
        except ImageUnreadable as exc:
            error = str(exc)
        else:
            try:
                if perceptual:
                    phash, hash_source = picture_hash(im, file_name)
                    ev = replace(ev, perceptual_hash=phash)
            except ImageUnreadable as exc:
                if not meta.damaged:
                    error = str(exc)
                # damaged pixels: the file keeps its hash, metadata and capture time (warned above)
            finally:
                im.close()
    if meta is not None:
        reader = f"evidence.{meta.reader}"
        warnings.extend(meta.warnings)
        ev = replace(ev, media_type=meta.media_type, width=meta.width, height=meta.height,
                     orientation=meta.orientation, camera_make=meta.make, camera_model=meta.model,
                     software=meta.software, gps_lat=meta.gps_lat, gps_lon=meta.gps_lon)
    prov = Provenance(source_name=source_name or name, source_sha256=sha, importer=reader)
    if error is not None:  # an unreadable file is not dated: it cannot show what it claims to show
        return replace(ev, warnings=tuple(warnings), error=error, provenance=prov), None
    ct = capture_time(meta.times if meta else RawTimes(), file_name, mtime, tz, now=now)
    warnings.extend(ct.warnings)
    return replace(ev, captured_at=ct.at, captured_text=ct.text, time_source=ct.source, tz_source=ct.tz_source,
                   filename_time=ct.filename_time, time_flag=ct.flag, file_time=ct.file_time,
                   warnings=tuple(warnings), error=error,
                   provenance=replace(prov, locator=_LOCATOR.get(ct.source or ""))), hash_source


def _too_large(name: str, size: int) -> str:
    return str(too_large(name, size))


def _unreadable(name: str, size: int, exc: BaseException) -> Evidence:
    return Evidence(sha256="", file_name=name, size=size,
                    error=_("{file}: could not be read ({reason})", file=name, reason=short_reason(exc)))


# --- running many files ------------------------------------------------------------------------

def default_workers() -> int:
    """Threads for a batch: the processors this process may use, at most MAX_WORKERS."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(MAX_WORKERS, cpus))


T = TypeVar("T")


def run_in_order(jobs: Iterable[tuple[str, Callable[[], T]]], total: int, progress: Progress | None = None,
                 workers: int | None = None) -> Iterator[T]:
    """Each job's result, in the order of ``jobs``, computed on a thread pool.

    ``jobs`` is consumed lazily: at most two jobs per thread are started ahead of the one being
    waited for, so jobs that hold a file's bytes keep memory bounded however many files there
    are.  ``progress(done, total, name)`` runs on the calling thread, in order.
    """
    n = workers or default_workers()
    if n <= 1 or total <= 1:
        for done, (name, job) in enumerate(jobs, 1):
            result = job()
            if progress is not None:
                progress(done, total, name)
            yield result
        return
    with ThreadPoolExecutor(n, thread_name_prefix="evidence") as pool:
        window: deque[tuple[str, Future[T]]] = deque()
        done = 0
        for name, job in jobs:
            window.append((name, pool.submit(job)))
            if len(window) >= 2 * n:
                done += 1
                yield _result(window.popleft(), done, total, progress)
        while window:
            done += 1
            yield _result(window.popleft(), done, total, progress)


def _result(entry: tuple[str, Future[T]], done: int, total: int, progress: Progress | None) -> T:
    name, future = entry
    result = future.result()
    if progress is not None:
        progress(done, total, name)
    return result


# --- batches: files, folders, ZIPs ------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Ingested:
    """One ingested file; the bytes are re-read on demand (``data()``), never kept in memory,
    except for an upload's (``content``)."""

    evidence: Evidence
    path: str  # file path, "archive.zip!/folder/IMG_1.jpg" for a ZIP member, or an upload's name
    file: str | None = None  # the file on disk holding the bytes
    member: str | None = None  # ZIP member name, when inside a ZIP
    hash_source: str | None = None  # where the perceptual hash came from (see read_one)
    content: bytes | None = None  # an upload's bytes

    def data(self) -> bytes:
        if self.content is not None:
            return self.content
        if self.file is None:
            raise ComplaintError(_("{path}: the file could not be read", path=self.path))
        if self.member is None:
            return Path(self.file).read_bytes()
        with open_zip(self.file, Path(self.file).name, None, ZIP_MAX_TOTAL_BYTES) as zf:
            return zf.read(self.member)

    def read_bytes(self) -> bytes:
        """Same as :meth:`data` (the name ``pathlib.Path`` users expect)."""
        return self.data()

    def pixel_hash(self) -> str | None:
        """The perceptual hash of the decoded pixels (not of a thumbnail); None when they cannot
        be decoded.  For :func:`mark_duplicates`' close calls."""
        try:
            return perceptual_hash(self.data(), self.evidence.file_name, thumbnails=False)
        except (ComplaintError, *_READ_ERRORS):
            return None

    @property
    def estimated(self) -> bool:
        """True when the perceptual hash was taken from a thumbnail (an estimate)."""
        return self.hash_source not in (None, "pixels")


Result = tuple[Evidence, str | None]


def _fixed(ev: Evidence) -> Callable[[], Result]:
    return lambda: (ev, None)


def ingest_paths(paths: Iterable[str | os.PathLike], progress: Progress | None = None, tz: str = "Europe/Brussels",
                 *, perceptual: bool = True, max_members: int | None = None,
                 max_total_bytes: int = ZIP_MAX_TOTAL_BYTES, workers: int | None = None) -> list[Ingested]:
    """Ingest files, folders (recursively) and ZIPs; ``progress(done, total, name)`` after each file.

    ZIPs are read in memory member by member (never extracted to disk); more members than
    ``SETTINGS.max_files`` or more than ``max_total_bytes`` unpacked raise LimitExceeded before
    anything is read.  Unsafe member names (``..``, absolute paths) become error entries.
    Files are read on ``workers`` threads (default :func:`default_workers`); the result keeps
    the order of the input.
    """
    zone(tz)
    items = expand(paths, tz, max_members, max_total_bytes)
    opened: dict[str, Archive] = {}

    def read(item: Source, data: bytes | None = None) -> Result:
        try:
            if data is None:
                data = Path(item.file).read_bytes()  # type: ignore[arg-type]
            return read_one(item.name, data, item.mtime, tz, perceptual=perceptual, source_name=item.path)
        except _READ_ERRORS as exc:
            return _unreadable(item.name, item.size, exc), None

    def unzip(item: Source) -> bytes:
        if item.file not in opened:  # members come archive by archive: one open at a time
            for zf in opened.values():
                zf.close()
            opened.clear()
            opened[item.file] = open_zip(item.file, Path(item.file).name, max_members,  # type: ignore[arg-type]
                                         max_total_bytes)
        return opened[item.file].read(item.member)  # type: ignore[index,arg-type]

    def jobs() -> Iterator[tuple[str, Callable[[], Result]]]:
        for item in items:
            name = item.name
            if item.problem is not None or item.file is None:
                yield name, _fixed(Evidence(sha256="", file_name=name, size=0, error=item.problem))
            elif item.size > int(SETTINGS.max_file_bytes):
                yield name, _fixed(Evidence(sha256="", file_name=name, size=item.size,
                                            error=_too_large(name, item.size)))
            elif item.member is None:
                yield name, (lambda item=item: read(item))  # read on the worker thread
            else:  # ZIP members are unpacked here, one at a time, on the calling thread
                try:
                    data = unzip(item)
                except _READ_ERRORS as exc:
                    yield name, _fixed(_unreadable(name, item.size, exc))
                else:
                    yield name, (lambda item=item, data=data: read(item, data))

    try:
        results = list(run_in_order(jobs(), len(items), progress, workers))
    finally:
        for zf in opened.values():
            zf.close()
    out = [Ingested(ev, item.path, item.file, item.member, source)
           for (ev, source), item in zip(results, items, strict=True)]
    return _second_reader(out, tz)


def ingest_upload(name: str, data: bytes, tz: str = "Europe/Brussels", progress: Progress | None = None,
                  *, max_members: int | None = None,
                  max_total_bytes: int = ZIP_MAX_TOTAL_BYTES) -> list[tuple[Evidence, bytes]]:
    """An uploaded file (an image or a ZIP of images, already in memory) -> (Evidence, bytes) pairs."""
    return [(i.evidence, i.data()) for i in
            read_upload(name, data, tz, progress, max_members=max_members, max_total_bytes=max_total_bytes)]


def read_upload(name: str, data: bytes, tz: str = "Europe/Brussels", progress: Progress | None = None,
                *, max_members: int | None = None, max_total_bytes: int = ZIP_MAX_TOTAL_BYTES,
                workers: int | None = None) -> list[Ingested]:
    """:func:`ingest_upload` as :class:`Ingested` items (their ``content`` holds the bytes)."""
    return read_uploads([(name, data)], tz, progress, max_members=max_members, max_total_bytes=max_total_bytes,
                        workers=workers)


def read_uploads(uploads: Iterable[tuple[str, bytes]], tz: str = "Europe/Brussels", progress: Progress | None = None,
                 *, max_members: int | None = None, max_total_bytes: int = ZIP_MAX_TOTAL_BYTES,
                 workers: int | None = None) -> list[Ingested]:
    """Uploaded files (images or ZIPs of images, already in memory), read as one batch on the
    thread pool; ``progress(done, total, name)`` counts every picture of the batch."""
    zone(tz)
    plan = [p for name, data in uploads for p in _upload_plan(name, data, tz, max_members, max_total_bytes)]
    results = run_in_order(((p.name, p.job) for p in plan), len(plan), progress, workers)
    return _second_reader([Ingested(ev, p.path, hash_source=source, content=p.content)
                           for (ev, source), p in zip(results, plan, strict=True)], tz)


def _second_reader(items: list[Ingested], tz: str) -> list[Ingested]:
    """The batch with ExifTool's capture times where the fast path had none or doubted one
    (one ExifTool process for the whole batch: :mod:`.exiftool`)."""
    entries = [exiftool.Entry(i.evidence, path=i.file if i.member is None and i.content is None else None,
                              data=i.data) for i in items]
    refined = exiftool.refine(entries, tz)
    return [i if ev is i.evidence else replace(i, evidence=ev) for i, ev in zip(items, refined, strict=True)]


@dataclass(frozen=True, slots=True)
class _Planned:
    path: str  # the upload's name, or "upload.zip!/member"
    name: str
    job: Callable[[], Result]
    content: bytes


def _upload_plan(name: str, data: bytes, tz: str, max_members: int | None,
                 max_total_bytes: int) -> Iterator[_Planned]:
    if not (name.lower().endswith(".zip") or data[:4] == b"PK\x03\x04"):
        yield _Planned(name, name, lambda: read_one(name, data, tz=tz), data)
        return
    try:  # an upload's members are all held in memory: at most four files' worth once unpacked
        zf = open_zip(data, name, max_members, min(max_total_bytes, 4 * int(SETTINGS.max_file_bytes)))
    except LimitExceeded:
        raise
    except ComplaintError as exc:
        ev = Evidence(sha256=hashlib.sha256(data).hexdigest(), file_name=name, size=len(data), error=str(exc))
        yield _Planned(name, name, _fixed(ev), data)
        return
    with zf:
        for info in zip_members(zf, name, max_members, max_total_bytes):
            base, path, member = PurePosixPath(info.filename).name, f"{name}!/{info.filename}", b""
            if not safe_member(info.filename):
                work = _fixed(Evidence(sha256="", file_name=base, size=info.file_size,
                                       error=_("{file}: unsafe path inside the ZIP, skipped", file=info.filename)))
            elif info.file_size > int(SETTINGS.max_file_bytes):
                work = _fixed(Evidence(sha256="", file_name=base, size=info.file_size,
                                       error=_too_large(base, info.file_size)))
            else:
                try:
                    member = zf.read(info)
                except ParseError as exc:
                    work = _fixed(Evidence(sha256="", file_name=base, size=info.file_size, error=str(exc)))
                except _READ_ERRORS as exc:
                    work = _fixed(_unreadable(base, info.file_size, exc))
                else:
                    work = _member_job(base, member, info, tz, path)
            yield _Planned(path, base, work, member)


def _member_job(base: str, member: bytes, info: zipfile.ZipInfo, tz: str, path: str) -> Callable[[], Result]:
    return lambda: read_one(base, member, member_mtime(info, tz), tz, source_name=path)

"""Where pictures come from: files, folders (read recursively) and ZIP archives, expanded into
one :class:`Source` per picture before anything is read.

Hidden files and macOS resource forks (``.DS_Store``, ``__MACOSX/``) are left out.  A ZIP with
more members than ``SETTINGS.max_files``, or more bytes once unpacked than the limit, raises
LimitExceeded before any member is read; a member with an unsafe name (``..``, an absolute path)
becomes a Source with a ``problem`` and is never read.  Members are read through
:class:`complaint.archive.Archive` (bounded streams: a directory that lies about a size is caught).
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from ..archive import Archive, ArchiveLimits
from ..errors import ComplaintError, LimitExceeded
from ..i18n import _
from ..settings import SETTINGS
from .capture_time import localize, zone

__all__ = ["Source", "expand", "zip_members", "is_hidden", "safe_member", "member_mtime", "IMAGE_SUFFIXES",
           "ZIP_MAX_TOTAL_BYTES", "open_zip"]

ZIP_MAX_TOTAL_BYTES = 4 * 1024**3
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".jpe", ".png", ".webp", ".tif", ".tiff", ".heic", ".heif", ".hif", ".avif"}


@dataclass(frozen=True, slots=True)
class Source:
    """One picture to read: a file, or a member of a ZIP on disk."""

    path: str  # file path, or "archive.zip!/folder/IMG_1.jpg" for a ZIP member
    file: str | None  # the file on disk holding the bytes (None: nothing to read)
    member: str | None = None  # ZIP member name, when inside a ZIP
    size: int = 0
    mtime: datetime | None = None
    problem: str | None = None  # why it is not read (unsafe name, missing file...)

    @property
    def name(self) -> str:
        return PurePosixPath(self.path.replace("\\", "/")).name


def is_hidden(name: str) -> bool:
    parts = PurePosixPath(name.replace("\\", "/")).parts
    return any((p.startswith(".") and p not in (".", "..")) or p == "__MACOSX" for p in parts)


def safe_member(name: str) -> bool:
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or "\x00" in name:
        return False
    return ".." not in PurePosixPath(name.replace("\\", "/")).parts


def member_mtime(info: zipfile.ZipInfo, tz: str) -> datetime | None:
    """A member's date as the archive recorded it (local time, no zone: read in ``tz``)."""
    try:
        return localize(datetime(*info.date_time), zone(tz))
    except ValueError:
        return None


def open_zip(source: bytes | str | os.PathLike, label: str, max_members: int | None, max_total: int) -> Archive:
    """An evidence ZIP read through bounded streams: each member at most the file limit, all of
    them at most ``max_total`` once unpacked.  Raises ComplaintError when it cannot be opened."""
    limits = ArchiveLimits.from_settings(total_bytes=max_total, members=1 << 62)
    return Archive(source, label, limits)


def zip_members(zf: Archive, label: str, max_members: int | None, max_total: int) -> list[zipfile.ZipInfo]:
    """The pictures' entries of an open ZIP (no folders, nothing hidden), limits checked."""
    members = [i for i in zf.infos if not is_hidden(i.filename)]
    limit = int(max_members if max_members is not None else SETTINGS.max_files)
    if len(members) > limit:
        raise LimitExceeded(_("{file}: {n} files in the ZIP, the limit is {limit}", file=label,
                              n=len(members), limit=limit))
    total = sum(i.file_size for i in members)
    if total > max_total:
        raise LimitExceeded(_("{file}: {size} bytes once unpacked, the limit is {limit}", file=label,
                              size=total, limit=max_total))
    return members


def _zip_sources(path: Path, tz: str, max_members: int | None, max_total: int) -> Iterator[Source]:
    try:
        zf = open_zip(path, path.name, max_members, max_total)
    except OSError as exc:
        yield Source(str(path), None, problem=_("{file}: not a readable ZIP archive ({reason})", file=path.name,
                                                reason=exc.strerror or type(exc).__name__))
        return
    except LimitExceeded:
        raise
    except ComplaintError as exc:
        yield Source(str(path), None, problem=str(exc))
        return
    with zf:
        members = zip_members(zf, path.name, max_members, max_total)
    for info in members:
        label = f"{path}!/{info.filename}"
        if not safe_member(info.filename):
            yield Source(label, None, problem=_("{file}: unsafe path inside the ZIP, skipped", file=info.filename))
            continue
        yield Source(label, str(path), info.filename, info.file_size, member_mtime(info, tz))


def _file_source(f: Path) -> Source:
    st = f.stat()
    return Source(str(f), str(f), None, st.st_size, datetime.fromtimestamp(st.st_mtime, UTC))


def expand(paths: Iterable[str | os.PathLike], tz: str, max_members: int | None = None,
           max_total: int = ZIP_MAX_TOTAL_BYTES) -> list[Source]:
    """Files, folders (sorted, recursive) and ZIPs -> one Source per picture, in a stable order."""
    items: list[Source] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and not is_hidden(str(f.relative_to(p))):
                    if f.suffix.lower() == ".zip":
                        items.extend(_zip_sources(f, tz, max_members, max_total))
                    else:
                        items.append(_file_source(f))
        elif p.is_file() and (p.suffix.lower() == ".zip" or (zipfile.is_zipfile(p) and
                                                                 p.suffix.lower() not in IMAGE_SUFFIXES)):
            items.extend(_zip_sources(p, tz, max_members, max_total))
        elif p.is_file():
            items.append(_file_source(p))
        else:
            items.append(Source(str(p), None, problem=_("{file}: no such file or folder", file=str(p))))
    return items

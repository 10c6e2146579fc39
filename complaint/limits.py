"""The limits of one input, checked in one place before anything is decoded, and their messages.

Every upload path (orders, statements, evidence, case files, pasted text; app, CLI and API) reads
its bytes through :func:`read_limited`: at most ``COMPLAINT_MAX_FILE_BYTES + 1`` bytes are ever read,
so a file that is too large is refused after reading at most the limit, never whole.  Rows
(``COMPLAINT_MAX_ROWS``) are counted by the readers as they go and refused with
:func:`too_many_rows`; pixels (``COMPLAINT_MAX_IMAGE_PIXELS``) are checked from the image header
before decoding (``evidence.metadata``).

The messages name the file and the limit in words a person can act on.  In hosted mode
(``COMPLAINT_HOSTED``) the person cannot change the limits: they are told to split the file or to
run the app on their own computer, never to "raise the limit".
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO

from .errors import ComplaintError, LimitExceeded
from .i18n import _
from .settings import SETTINGS

__all__ = ["read_limited", "check_size", "check_text", "too_large", "too_many_rows", "size_label", "hosted"]


def hosted() -> bool:
    return bool(SETTINGS.hosted)


def size_label(size: int) -> str:
    """Bytes as a person reads them: ``52 MB``, ``800 kB``, ``120 bytes``."""
    if size >= 10 * 1024 * 1024:  # megabytes as Streamlit counts them (its "Limit 50MB per file")
        return f"{size / (1024 * 1024):.0f} MB"
    return f"{size:,} bytes"


def too_large(name: str, size: int | None = None, limit: int | None = None) -> LimitExceeded:
    """The one message of a file over the size limit (``size`` None: "more than the limit")."""
    limit = int(limit if limit is not None else SETTINGS.max_file_bytes)
    shown = size_label(size) if size is not None else _("more than {limit}", limit=size_label(limit))
    if hosted():
        return LimitExceeded(_("{file} is too large for this shared app ({size}; it accepts files up to {limit}). "
                               "Split it into smaller files, or run the app on your own computer.",
                               file=name, size=shown, limit=size_label(limit)))
    return LimitExceeded(_("{file} is too large ({size}; the limit is {limit}). Split it into smaller files, "
                           "or raise COMPLAINT_MAX_FILE_BYTES.", file=name, size=shown, limit=size_label(limit)))


def too_many_rows(limit: int | None = None, file: str | None = None) -> LimitExceeded:
    """The one message of a file with more rows than the limit."""
    limit = int(limit if limit is not None else SETTINGS.max_rows)
    where = f"{file}: " if file else ""
    if hosted():
        return LimitExceeded(where + _("more than {limit} rows, the most this shared app reads from one file. "
                                       "Split the file into smaller ones, or run the app on your own computer.",
                                       limit=limit))
    return LimitExceeded(where + _("more than {limit} rows: split the file or raise the limit (COMPLAINT_MAX_ROWS)",
                                   limit=limit))


def check_size(name: str, size: int) -> None:
    if size > int(SETTINGS.max_file_bytes):
        raise too_large(name, size)


def read_limited(obj: str | os.PathLike | bytes | bytearray | memoryview | BinaryIO,
                 name: str | None = None) -> tuple[str, bytes]:
    """(name, bytes) of a path, bytes or a file object (a Streamlit upload), reading at most the
    limit plus one byte: the one size check of every upload path."""
    limit = int(SETTINGS.max_file_bytes)
    if isinstance(obj, str | os.PathLike):
        path = Path(obj)
        label = name or path.name
        try:
            with path.open("rb") as fh:
                data = fh.read(limit + 1)
        except OSError as exc:
            raise ComplaintError(_("{file}: cannot read ({error})", file=str(path),
                                   error=exc.strerror or type(exc).__name__)) from exc
        if len(data) > limit:
            size = path.stat().st_size
            raise too_large(label, size)
        return label, data
    if isinstance(obj, bytes | bytearray | memoryview):
        label = name or "upload"
        if len(obj) > limit:
            raise too_large(label, len(obj))
        return label, bytes(obj)
    label = Path(name or getattr(obj, "name", None) or "upload").name
    size = getattr(obj, "size", None)  # a Streamlit upload knows its size: refuse before copying it
    if isinstance(size, int) and size > limit:
        raise too_large(label, size)
    if not hasattr(obj, "read"):  # an object that only hands over its bytes (``getvalue()``)
        data = obj.getvalue()
        if len(data) > limit:
            raise too_large(label, len(data))
        return label, bytes(data)
    if hasattr(obj, "seek"):
        obj.seek(0)
    data = obj.read(limit + 1)
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > limit:
        raise too_large(label, size if isinstance(size, int) else None)
    return label, data


def check_text(name: str, text: str) -> None:
    """Pasted text: at most the file limit (UTF-8 bytes) and the row limit (lines)."""
    if len(text) > int(SETTINGS.max_file_bytes) or len(text.encode("utf-8", "replace")) > int(SETTINGS.max_file_bytes):
        raise too_large(name, len(text.encode("utf-8", "replace")))
    if text.count("\n") >= int(SETTINGS.max_rows):
        raise too_many_rows(file=name)

"""Warnings of the image parsers, collected per thread.

Pillow reports a damaged EXIF block with ``warnings.warn`` ("Corrupt EXIF data", "Possibly corrupt
EXIF MakerNote data...").  ``warnings.catch_warnings`` swaps process-wide state, so with files
read on several threads one file's warning could be recorded against another, or lost.  Here
one hook is installed while any thread collects: it hands each warning to the list of the thread
that raised it, and passes the others (threads that are not collecting) to the previous hook.

    with collected() as notes:
        Image.open(...).getexif()
    [str(w) for w in notes]  # ["Corrupt EXIF data.  Expecting to read 12 bytes but only got 0. "]
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collected"]

# Every warning of the parsers is shown (recorded), not only the first one of each text and line.
_PARSERS = r"(PIL|pillow_heif)(\.|$)"

_local = threading.local()
_lock = threading.Lock()
_users = 0
_previous = warnings.showwarning


def _show(message, category, filename, lineno, file=None, line=None) -> None:
    sink = getattr(_local, "sink", None)
    if sink is None:
        _previous(message, category, filename, lineno, file, line)
    else:
        sink.append(message)


def _install() -> None:
    global _previous
    if warnings.showwarning is not _show:  # first user, or someone's catch_warnings restored theirs
        _previous = warnings.showwarning
        warnings.showwarning = _show
    if not any(_ours(f) for f in warnings.filters):
        warnings.filterwarnings("always", module=_PARSERS)


def _uninstall() -> None:
    if warnings.showwarning is _show:
        warnings.showwarning = _previous
    for f in [f for f in warnings.filters if _ours(f)]:
        warnings.filters.remove(f)


def _ours(f: tuple) -> bool:
    return f[0] == "always" and f[2] is Warning and getattr(f[3], "pattern", None) == _PARSERS


@contextmanager
def collected() -> Iterator[list[Warning]]:
    """Every warning raised in this thread inside the block, in order (``str(w)`` is its text)."""
    global _users
    with _lock:
        _install()
        _users += 1
    outer = getattr(_local, "sink", None)
    sink: list = []
    _local.sink = sink
    try:
        yield sink
    finally:
        _local.sink = outer
        with _lock:
            _users -= 1
            if _users == 0:
                _uninstall()

"""Progress of reading one file: rows read so far, told to whoever asked.

A surface passes ``progress(done, total, name)`` to :func:`complaint.api.read_file` (the Import
page draws a bar per file, the CLI a line on a terminal); the reader calls :func:`report` as rows
come in.  ``total`` is the file's number of lines (an estimate of its rows: a row may span lines),
``done`` the rows read so far.  The callback travels in a context variable, so importers need no
extra argument and two sessions never see each other's bar.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Progress = Callable[[int, int, str], None]
_current: contextvars.ContextVar[tuple[Progress, str, int] | None] = contextvars.ContextVar(
    "complaint_import_progress", default=None)


@contextmanager
def reporting(progress: Progress | None, name: str, data: bytes) -> Iterator[None]:
    """Within the block, :func:`report` calls ``progress`` for the file ``name`` (whose bytes give
    the number of lines); without ``progress``, nothing is reported."""
    if progress is None:
        yield
        return
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)
    token = _current.set((progress, name, lines))
    try:
        progress(0, lines, name)
        yield
    finally:
        _current.reset(token)


def report(rows: int, *, done: bool = False) -> None:
    """``rows`` read so far (``done``: the file is read: the bar is full)."""
    current = _current.get()
    if current is None:
        return
    progress, name, lines = current
    progress(rows, max(lines, rows) if not done else rows, name)

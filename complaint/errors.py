"""One exception hierarchy for the whole core.

Interfaces (CLI, Streamlit pages) catch :class:`ComplaintError` in one place and show
``str(error)``; anything else is a bug and is allowed to surface.
"""

from __future__ import annotations


class ComplaintError(Exception):
    """Base class: a problem the user can understand and act on."""


class NotMyFormat(ComplaintError):
    """No importer recognises a file."""


class AmbiguousFormat(ComplaintError):
    """More than one importer claims a file; the user must choose."""

    def __init__(self, message: str, candidates: list[str]):
        super().__init__(message)
        self.candidates = list(candidates)


class ParseError(ComplaintError):
    """A whole file cannot be read (row-level problems are Issue records instead)."""

    def __init__(self, message: str, file: str | None = None, line: int | None = None, value: str | None = None):
        where = file or ""
        if file and line is not None:
            where = f"{file} line {line}"
        super().__init__(f"{where}: {message}" if where else message)
        self.file = file
        self.line = line
        self.value = value


class LimitExceeded(ComplaintError):
    """An input is larger than the configured limits allow."""


class CaseNotFound(ComplaintError):
    """A case name or id does not exist in the store."""


class StoreError(ComplaintError):
    """The case store cannot be opened or written."""

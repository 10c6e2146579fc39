"""Text on screenshots (issue 21): which screens are read, the Tesseract call, the facts and the
suggestions made of them.

Public API::

    is_screen(ev) -> bool                 # PNG/JPEG, no camera EXIF, a phone or desktop screen's shape
    unavailable_reason() -> str | None    # why text recognition cannot run here, in one line
    read_screen(data, ev) -> Reading      # type, confidence, facts (never raises for a picture)
    suggestions(reading, ev, orders) -> list[Suggestion]
"""

from __future__ import annotations

from .detect import is_screen, screen_shape
from .engine import ENGINE_VERSION, MAX_PIXELS, OcrUnavailable, TooLarge, available, unavailable_reason
from .facts import TextFact
from .reading import Reading, read_screen
from .suggest import Suggestion, suggestions

__all__ = ["is_screen", "screen_shape", "unavailable_reason", "available", "read_screen", "Reading", "TextFact",
           "Suggestion", "suggestions", "OcrUnavailable", "TooLarge", "ENGINE_VERSION", "MAX_PIXELS"]

"""One screenshot read: the screen's type and the facts, or why nothing was read."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime

from PIL import Image

from ...i18n import _
from ...records import Evidence
from .detect import is_screen
from .engine import ENGINE_VERSION, OcrUnavailable, TooLarge, read_words
from .facts import TextFact, read_facts


@dataclass(frozen=True)
class Reading:
    """``status``: "read", "not_screen" (a photo, or not a screen's shape), "refused" (too large),
    "unavailable" (no Tesseract); ``note`` says why in one line when not read."""

    sha256: str
    status: str
    type: str | None = None
    confidence: float | None = None
    facts: tuple[TextFact, ...] = field(default_factory=tuple)
    note: str | None = None
    seconds: float = 0.0
    engine: str = ENGINE_VERSION

    @property
    def screen(self) -> dict | None:
        return None if self.type is None else {"type": self.type, "confidence": self.confidence}

    def text_facts(self) -> list[dict]:
        return [f.as_dict() for f in self.facts]

    def as_dict(self) -> dict:
        return {"sha256": self.sha256, "status": self.status, "type": self.type, "confidence": self.confidence,
                "facts": self.text_facts(), "note": self.note, "seconds": round(self.seconds, 3),
                "engine": self.engine}

    @classmethod
    def from_dict(cls, d: dict) -> Reading:
        facts = tuple(TextFact(f["kind"], f["value"], f["text"], f["confidence"], tuple(f["box"]))
                      for f in d.get("facts", ()))
        return cls(d["sha256"], d["status"], d.get("type"), d.get("confidence"), facts, d.get("note"),
                   d.get("seconds", 0.0), d.get("engine", ""))


def _local(ev: Evidence) -> datetime | None:
    """The capture time as the phone's clock showed it (what "Yesterday 14:02" is relative to)."""
    return ev.captured_at.replace(tzinfo=None) if ev.captured_at is not None else None


def read_screen(data: bytes, ev: Evidence) -> Reading:
    """Read a screenshot's text (never raises for the picture: a refusal is a Reading with a note)."""
    if not is_screen(ev):
        return Reading(ev.sha256, "not_screen", note=_("{file}: not a screenshot (a camera photo or not a screen's "
                                                       "size): its text is not read", file=ev.file_name))
    started = time.perf_counter()
    try:
        words, size = read_words(data, ev.file_name)
    except OcrUnavailable as exc:
        return Reading(ev.sha256, "unavailable", note=str(exc))
    except TooLarge as exc:
        return Reading(ev.sha256, "refused", note=str(exc))
    except (OSError, ValueError, RuntimeError, Image.DecompressionBombError) as exc:  # Pillow or Tesseract failed
        return Reading(ev.sha256, "refused", note=_("{file}: its text could not be read ({reason})",
                                                     file=ev.file_name, reason=str(exc)[:120]))
    screen = read_facts(words, size, _local(ev))
    return Reading(ev.sha256, "read", screen.type, screen.confidence, tuple(screen.facts),
                   seconds=time.perf_counter() - started)

"""Settings declared once (name, default, help), read from the environment.

The same declarations feed validation, ``complaint --help`` and the README table.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    env: str
    default: object
    help: str


DECLARED: tuple[Setting, ...] = (
    Setting("db_path", "COMPLAINT_DB", str(Path.home() / ".complaint-notebook" / "cases.sqlite"),
            "Path of the SQLite case store (local mode)."),
    Setting("hosted", "COMPLAINT_HOSTED", False,
            "Hosted mode: one in-memory store per browser session, nothing written to disk."),
    Setting("database_url", "COMPLAINT_DATABASE_URL", "",
            "Optional server-side store for a self-hosted team (postgresql://...), cases owned by user."),
    Setting("max_file_bytes", "COMPLAINT_MAX_FILE_BYTES", 50 * 1024 * 1024,
            "Largest single input file accepted, in bytes."),
    Setting("max_rows", "COMPLAINT_MAX_ROWS", 2_000_000, "Most rows read from one file."),
    Setting("max_files", "COMPLAINT_MAX_FILES", 500, "Most files in one import batch or ZIP."),
    Setting("max_image_pixels", "COMPLAINT_MAX_IMAGE_PIXELS", 120_000_000,
            "Decompression-bomb limit for images, in pixels."),
    Setting("timezone", "COMPLAINT_TZ", "Europe/Brussels",
            "Zone assumed for times that carry none (EXIF without offset, bank dates)."),
)


def _coerce(default: object, raw: str) -> object:
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(raw)
    return raw


class _Settings:
    """Attribute access to the declared settings; the environment is read on every access."""

    def __getattr__(self, name: str) -> object:
        for s in DECLARED:
            if s.name == name:
                raw = os.environ.get(s.env)
                return s.default if raw in (None, "") else _coerce(s.default, raw)
        raise AttributeError(name)


SETTINGS = _Settings()

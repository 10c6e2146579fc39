"""Capture-time agreement with ExifTool: for every picture that ``exiftool -DateTimeOriginal``
dates, does the product (``complaint.read_evidence``) give the same wall-clock time?

    .venv/bin/python scripts/capture_agreement.py [FOLDER_OR_FILE ...]

Default: the project's photo fixtures (sample_data/evidence, tests/data/photos, docs/screenshots).
Prints one line per disagreement, then the agreement and the count of pictures whose capture time
came from the file's own date (must be 0: the mtime is never a capture time).  Exit 1 below 99 %.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import complaint

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = [ROOT / "sample_data" / "evidence", ROOT / "tests" / "data" / "photos", ROOT / "docs" / "screenshots"]
PICTURES = {".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff", ".heic", ".heif", ".dng", ".cr2", ".cr3", ".nef",
            ".arw", ".jxl", ".raf", ".orf", ".rw2"}


def pictures(args: list[str]) -> list[Path]:
    roots = [Path(a) for a in args] or DEFAULT
    out: list[Path] = []
    for root in roots:
        found = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        out += [p for p in found if p.suffix.lower() in PICTURES]
    return out


def wall_clock(text: str | None) -> str | None:
    """``2026:03:14 10:15:00.050+02:00`` -> ``2026:03:14 10:15:00``."""
    if not text:
        return None
    return text.replace("-", ":", 2).replace("T", " ")[:19]


def main(args: list[str]) -> int:
    files = pictures(args)
    truth = json.loads(subprocess.run(["exiftool", "-json", "-DateTimeOriginal", *map(str, files)],
                                      capture_output=True, check=False).stdout or b"[]")
    expected = {str(Path(row["SourceFile"]).resolve()): wall_clock(str(row["DateTimeOriginal"]))
                for row in truth if row.get("DateTimeOriginal")}
    read = complaint.read_evidence(*files, duplicates=False)
    dated = agree = from_mtime = 0
    for path, item in zip(files, read, strict=True):
        ev = item.evidence
        from_mtime += ev.time_source == "mtime"
        want = expected.get(str(path.resolve()))
        if want is None:
            continue
        dated += 1
        got = wall_clock(ev.captured_text)
        if got == want:
            agree += 1
        else:
            print(f"differs: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: exiftool {want}, "
                  f"product {got} ({ev.time_source})")
    share = agree / dated if dated else 1.0
    print(f"{len(files)} pictures, {dated} dated by exiftool -DateTimeOriginal: {agree} agree ({share:.1%}); "
          f"capture times taken from the file's date: {from_mtime}")
    return 0 if share >= 0.99 and from_mtime == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

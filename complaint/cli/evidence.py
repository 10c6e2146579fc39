"""complaint evidence: read photos and screenshots (files, folders, ZIPs) with capture times and hashes."""

from __future__ import annotations

import click

from ..evidence.ingest import Ingested, ingest_paths, map_links, mark_duplicates
from ..i18n import _
from ..settings import SETTINGS
from .options import db_option, emit, format_option, progress, progress_callback

COLUMNS = ["path", "sha256", "captured_at", "time_source", "tz_source", "camera", "gps", "width", "height",
           "duplicate_of", "warnings", "error"]


def evidence_row(item: Ingested) -> dict:
    """The CLI/JSON shape of one ingested file (a stable contract: keep the keys)."""
    ev = item.evidence
    camera = " ".join(x for x in (ev.camera_make, ev.camera_model) if x) or None
    gps = None if ev.gps_lat is None or ev.gps_lon is None else {"lat": ev.gps_lat, "lon": ev.gps_lon}
    return {
        "path": item.path,
        "file_name": ev.file_name,
        "sha256": ev.sha256 or None,
        "size": ev.size,
        "media_type": ev.media_type,
        "captured_at": ev.captured_at.isoformat() if ev.captured_at else None,
        "captured_text": ev.captured_text,
        "time_source": ev.time_source,
        "tz_source": ev.tz_source,
        "camera": camera,
        "software": ev.software,
        "gps": gps,
        "map": map_links(ev.gps_lat, ev.gps_lon)["osm"] if gps else None,
        "width": ev.width,
        "height": ev.height,
        "orientation": ev.orientation,
        "perceptual_hash": ev.perceptual_hash,
        "duplicate_of": ev.duplicate_of,
        "warnings": list(ev.warnings),
        "error": ev.error,
    }


@click.command("evidence")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@format_option("table")
@click.option("--tz", "tz", default=None, metavar="ZONE",
              help="Zone for times without an offset (default Europe/Brussels, COMPLAINT_TZ).")
@click.option("--no-duplicates", is_flag=True, help="Skip perceptual hashing and near-duplicate detection (faster).")
@click.option("--strict", is_flag=True, help="Exit 1 when any file could not be read.")
@db_option
@click.option("--case", "case_name", metavar="NAME", help="Also store the pictures in this case (with --db).")
def command(paths: tuple[str, ...], fmt: str, tz: str | None, no_duplicates: bool, strict: bool,
            db: str | None, case_name: str | None) -> None:
    """Read photos and screenshots: capture time (and its source), camera, GPS, size, SHA-256.

    PATH may be an image (JPEG, PNG, WebP, TIFF, HEIC), a folder (read recursively) or a ZIP.
    A file that cannot be read gets an "error" and the others go on.

    \b
    Examples:
      complaint evidence IMG_20260314_101500.jpg --format json
      complaint evidence ~/Pictures/parcel/ photos.zip --format csv --tz Europe/Brussels
      complaint evidence unboxing/ --db cases.sqlite --case "Sofa 2026"
    """
    zone = tz or str(SETTINGS.timezone)
    items = ingest_paths(paths, progress=progress_callback, tz=zone, perceptual=not no_duplicates)
    evidence = [i.evidence for i in items]
    stored_before = []
    store = case = None
    if case_name:
        from ..store.db import Store

        store = Store.open(db or SETTINGS.db_path)
        case = store.get_case(case_name)
        stored_before = store.load_case(case.id).evidence
    if not no_duplicates:
        evidence = mark_duplicates(stored_before + evidence)[len(stored_before):]
    items = [Ingested(ev, i.path, i.file, i.member) for ev, i in zip(evidence, items, strict=True)]
    if store is not None and case is not None:
        added = sum(store.add_evidence(case.id, i.evidence, i.data()) for i in items
                    if i.evidence.error is None and i.evidence.sha256)
        progress(_("{n} new pictures stored in case {case}", n=added, case=case.name))
    emit([evidence_row(i) for i in items], fmt, None if fmt == "json" else COLUMNS)
    failed = sum(1 for i in items if i.evidence.error)
    progress(_("{n} files read, {failed} unreadable", n=len(items), failed=failed))
    if strict and failed:
        raise SystemExit(1)

"""complaint evidence: read photos and screenshots (files, folders, ZIPs) with capture times and hashes;
complaint evidence-attach: link a kept picture to an order (or detach it)."""

from __future__ import annotations

import click

from .. import api
from ..i18n import _
from .options import (
    db_option,
    echo_record,
    emit,
    format_option,
    progress,
    progress_callback,
    record_format,
    stored_case,
    stored_case_options,
)

COLUMNS = ["path", "sha256", "captured_at", "time_source", "tz_source", "camera", "gps", "width", "height",
           "duplicate_of", "warnings", "error"]


@click.command("evidence")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@format_option("table")
@click.option("--tz", "tz", default=None, metavar="ZONE",
              help="Zone for times without an offset (default Europe/Brussels, COMPLAINT_TZ).")
@click.option("--no-duplicates", is_flag=True, help="Skip perceptual hashing and near-duplicate detection (faster).")
@click.option("--no-ocr", is_flag=True, help="Do not read the text of screenshots (screen, text_facts).")
@click.option("--strict", is_flag=True, help="Exit 1 when any file could not be read.")
@db_option
@click.option("--case", "case_name", metavar="NAME", help="Also store the pictures in this case (with --db).")
def command(paths: tuple[str, ...], fmt: str, tz: str | None, no_duplicates: bool, no_ocr: bool, strict: bool,
            db: str | None, case_name: str | None) -> None:
    """Read photos and screenshots: capture time (and its source), camera, GPS, size, SHA-256;
    and the text of screenshots (never of camera photos): the screen's type and the facts read,
    each with its words, box and confidence (Tesseract; --no-ocr skips it).

    PATH may be an image (JPEG, PNG, WebP, TIFF, HEIC), a folder (read recursively) or a ZIP.
    A file that cannot be read gets an "error" and the others go on.

    \b
    Examples:
      complaint evidence IMG_20260314_101500.jpg --format json
      complaint evidence Screenshot_20260618-101500.png --format json   # screen, text_facts
      complaint evidence ~/Pictures/parcel/ photos.zip --format csv --tz Europe/Brussels
      complaint evidence unboxing/ --db cases.sqlite --case "Sofa 2026"
    """
    case = stored_case(db, case_name) if case_name else None
    known = api.case_data(case).evidence if case is not None else []
    ocr = not no_ocr
    if ocr and api.ocr_status():
        progress(api.ocr_status())  # one line: why the screenshots' text is not read
        ocr = False
    files = api.read_evidence(*paths, tz=tz, progress=progress_callback, duplicates=not no_duplicates, known=known,
                              ocr=ocr)
    if case is not None:
        added = sum(api.store_evidence(case, files))
        progress(_("{n} new pictures stored in case {case}", n=added, case=case.name))
        api.keep_screen_readings(case, files)
    emit([api.evidence_row(f) for f in files], fmt, None if fmt == "json" else COLUMNS)
    failed = sum(1 for f in files if f.evidence.error)
    progress(_("{n} files read, {failed} unreadable", n=len(files), failed=failed))
    if strict and failed:
        raise SystemExit(1)


@click.command("evidence-attach")
@stored_case_options
@click.argument("sha256")
@click.argument("order_id", required=False)
@click.option("--detach", is_flag=True, help="Link the picture to no order.")
@click.option("--problem", default=None, help="The problem it shows (damaged, missing_item, ...).")
@click.option("--note", default=None, help="A note kept with the picture.")
@record_format
def attach(db: str | None, case_name: str, sha256: str, order_id: str | None, detach: bool, problem: str | None,
           note: str | None, fmt: str) -> None:
    """Link a picture of the case (its SHA-256, or its first 8+ characters) to ORDER_ID.

    \b
    Examples:
      complaint evidence-attach --db cases.sqlite --case "Sofa 2026" 3f2a9c1e 8116516504403817 --problem damaged
      complaint evidence-attach --db cases.sqlite --case "Sofa 2026" 3f2a9c1e --detach
    """
    case = stored_case(db, case_name)
    if detach == bool(order_id):
        raise click.UsageError(_("give ORDER_ID, or --detach"))
    extra = {k: v for k, v in {"problem": problem, "note": note}.items() if v is not None}
    ev = api.detach_evidence(case, sha256) if detach else api.attach_evidence(case, sha256, order_id, **extra)
    echo_record(ev, fmt, _("{file}: linked to order {order}", file=ev.file_name, order=ev.order_id) if ev.order_id
                else _("{file}: linked to no order", file=ev.file_name))


COMMANDS = [command, attach]

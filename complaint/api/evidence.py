"""Photos and screenshots: read them (files, folders, ZIPs or uploads) with their capture time and
its source, find duplicates, keep the originals in the case unchanged, and attach them to orders.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from ..errors import ComplaintError
from ..i18n import N_, _
from ..records import Evidence
from ..settings import SETTINGS
from .cases import CaseHandle, CaseLike, case_data, handle

EVIDENCE_COLUMNS = ["file_name", "sha256", "captured_at", "time_source", "added", "duplicate_of", "error"]


@dataclass(frozen=True)
class EvidenceFile:
    """One picture read: its record, where it came from (a path, ``archive.zip!/member`` or an
    upload's name) and how to get its bytes again."""

    evidence: Evidence
    path: str
    read: Callable[[], bytes]
    # where the perceptual hash came from: "pixels", "exif-thumbnail" or "heif-thumbnail" (an
    # estimate from the thumbnail the camera stored; the pixels decide every close call)
    hash_source: str | None = None
    # the text read on it (complaint.evidence.ocr.Reading) when read_evidence(ocr=True)
    reading: object | None = None

    def data(self) -> bytes:
        return self.read()


def read_evidence(*items, tz: str | None = None, progress=None, duplicates: bool = True,
                  known: list[Evidence] | tuple = (), ocr: bool = False) -> list[EvidenceFile]:
    """Read pictures (paths of images, folders or ZIPs; or uploads/file objects with a ``name``),
    nothing stored.  Times without a zone are read in ``tz`` (default Europe/Brussels).  With
    ``duplicates`` each copy of a picture (same bytes, or the same picture resized) gets
    ``duplicate_of``, also against the ``known`` pictures of the case.  A file that cannot be
    read gets an ``error`` and the others go on.  ``progress(done, total, name)``.

    With ``ocr`` the text of each screenshot is read too (``reading``; see :func:`read_screen_text`).

    Each file is read once, on a few threads; a photo's perceptual hash comes from the thumbnail
    its camera stored when there is one, and its pixels are decoded only for a close call.

    >>> import complaint
    >>> files = complaint.read_evidence(complaint.sample_files()["evidence"][0])
    >>> (files[0].evidence.file_name, files[0].evidence.time_source)
    ('IMG_20260127_183412.jpg', 'exif')
    """
    from ..evidence.ingest import ingest_paths, mark_duplicates, read_uploads
    from ..limits import read_limited

    zone = tz or str(SETTINGS.timezone)
    read: list = []  # Ingested items, in the order given
    paths: list = []  # consecutive paths are read in one batch (one progress count), and so are uploads
    uploads: list[tuple[str, bytes]] = []

    def flush() -> None:
        if paths:
            read.extend(ingest_paths(paths, progress=progress, tz=zone, perceptual=duplicates))
            paths.clear()
        if uploads:
            read.extend(replace(i, path=i.evidence.provenance.source_name if i.evidence.provenance else i.path)
                        for i in read_uploads(uploads, tz=zone, progress=progress))
            uploads.clear()

    for obj in items:
        if isinstance(obj, str | os.PathLike):
            if uploads:
                flush()
            paths.append(obj)
            continue
        if paths:
            flush()
        name, data = read_limited(obj, Path(getattr(obj, "name", None) or "upload.jpg").name)
        uploads.append((name, data))
    flush()
    evidence = [i.evidence for i in read]
    if duplicates:
        known = list(known)
        estimated = {len(known) + k: i.pixel_hash for k, i in enumerate(read) if i.estimated}
        evidence = mark_duplicates(known + evidence, estimated=estimated)[len(known):]
    files = [EvidenceFile(ev, i.path, i.data, "pixels" if ev.perceptual_hash != i.evidence.perceptual_hash
                          else i.hash_source) for ev, i in zip(evidence, read, strict=True)]
    return _read_text(files, progress) if ocr else files


def _read_text(files: list[EvidenceFile], progress=None) -> list[EvidenceFile]:
    """Each file with the text of its screenshot read (two at a time: Tesseract uses a core each);
    a camera photo's bytes are not even read again."""
    from ..evidence.ingest import run_in_order
    from .screens import is_screenshot, ocr_status, read_screen_text

    if ocr_status() is not None:
        return files

    def job(f: EvidenceFile) -> EvidenceFile:
        data = f.data() if is_screenshot(f.evidence) else b""
        return replace(f, reading=read_screen_text(data, f.evidence))

    screens = [f for f in files if is_screenshot(f.evidence)]
    done = iter(run_in_order(((f.evidence.file_name, (lambda f=f: job(f))) for f in screens), len(screens),
                             progress, workers=2))
    return [next(done) if is_screenshot(f.evidence) else replace(f, reading=read_screen_text(b"", f.evidence))
            if not f.evidence.error else f for f in files]


def store_evidence(case: CaseLike, files: list[EvidenceFile], *, order_id: str | None = None,
                   problem: str | None = None) -> list[bool]:
    """Keep the readable pictures of :func:`read_evidence` in the case (originals unchanged),
    linked to ``order_id``/``problem`` when they have none; per file, True when it was new.

    >>> import complaint
    >>> case = complaint.open_case("Mine")
    >>> files = complaint.read_evidence(*complaint.sample_files()["evidence"][:2])
    >>> complaint.store_evidence(case, files, order_id="3082753449609284")
    [True, True]
    """
    added = []
    for f in files:
        ev = f.evidence
        if ev.error or not ev.sha256:
            added.append(False)
            continue
        ev = replace(ev, order_id=ev.order_id or order_id, problem=ev.problem or problem)
        if isinstance(case, CaseHandle):
            added.append(bool(case.store.add_evidence(case.id, ev, f.data())))
        else:
            data = case_data(case)
            new = all(e.sha256 != ev.sha256 for e in data.evidence)
            if new:
                data.evidence.append(ev)
            added.append(new)
    return added


def import_evidence(case: CaseLike, *items, tz: str = "Europe/Brussels", progress=None,
                    order_id: str | None = None, problem: str | None = None) -> pd.DataFrame:
    """Read pictures and keep them in the case (duplicates marked against what the case holds).

    Returns one row per file: file_name, sha256, captured_at, time_source, added (False if the
    same bytes were already there or the file is unreadable), duplicate_of, error.

    >>> import complaint
    >>> case = complaint.open_case("Mine")
    >>> rows = complaint.import_evidence(case, complaint.sample_files()["evidence"][0])
    >>> rows[["file_name", "added"]].to_dict("records")
    [{'file_name': 'IMG_20260127_183412.jpg', 'added': True}]
    """
    if not items:
        raise ComplaintError(_("no file given"))
    flat = [x for i in items for x in (i if isinstance(i, list | tuple) else [i])]
    files = read_evidence(*flat, tz=tz, progress=progress, known=case_data(case).evidence)
    added = store_evidence(case, files, order_id=order_id, problem=problem)
    rows = [{"file_name": f.evidence.file_name, "sha256": f.evidence.sha256 or None,
             "captured_at": f.evidence.captured_at, "time_source": f.evidence.time_source, "added": a,
             "duplicate_of": f.evidence.duplicate_of, "error": f.evidence.error} for f, a in zip(files, added, strict=True)]
    return pd.DataFrame(rows, columns=EVIDENCE_COLUMNS)


def evidence_row(item: EvidenceFile) -> dict:
    """One picture as the ``complaint evidence --format json`` object (a contract: keep the keys).

    >>> import complaint
    >>> row = complaint.evidence_row(complaint.read_evidence(complaint.sample_files()["evidence"][0])[0])
    >>> (row["camera"], row["gps"] is not None)
    ('samsung SM-A546B', True)
    """
    from ..evidence.ingest import map_links

    ev = item.evidence
    camera = " ".join(x for x in (ev.camera_make, ev.camera_model) if x) or None
    gps = None if ev.gps_lat is None or ev.gps_lon is None else {"lat": ev.gps_lat, "lon": ev.gps_lon}
    return {
        "path": item.path, "file_name": ev.file_name, "sha256": ev.sha256 or None, "size": ev.size,
        "media_type": ev.media_type, "captured_at": ev.captured_at.isoformat() if ev.captured_at else None,
        "captured_text": ev.captured_text, "time_source": ev.time_source, "tz_source": ev.tz_source,
        "camera": camera, "software": ev.software, "gps": gps,
        "map": map_links(ev.gps_lat, ev.gps_lon)["osm"] if gps else None,
        "width": ev.width, "height": ev.height, "orientation": ev.orientation,
        "perceptual_hash": ev.perceptual_hash, "hash_source": item.hash_source, "duplicate_of": ev.duplicate_of,
        "warnings": list(ev.warnings), "error": ev.error,
        **_text_fields(item.reading),
    }


def _text_fields(reading) -> dict:
    """``screen`` and ``text_facts`` of a read picture (absent when its text was not read)."""
    if reading is None or reading.status == "unavailable":
        return {}
    fields = {"screen": reading.screen, "text_facts": reading.text_facts()}
    if reading.status == "refused":
        fields["text_note"] = reading.note
    return fields


def _find(case: CaseLike, sha256: str) -> Evidence:
    for ev in case_data(case).evidence:
        if ev.sha256 == sha256 or (len(sha256) >= 8 and ev.sha256.startswith(sha256)):
            return ev
    raise ComplaintError(_("no evidence file {sha} in this case", sha=sha256[:12]))


_KEEP = object()


def _save(case: CaseLike, new: Evidence) -> Evidence:
    if isinstance(case, CaseHandle):
        case.store.update_evidence(case.id, new)
    else:
        data = case_data(case)
        data.evidence = [new if e.sha256 == new.sha256 else e for e in data.evidence]
    return new


def attach_evidence(case: CaseLike, sha256: str, order_id: str | None, *, problem=_KEEP, note=_KEEP) -> Evidence:
    """Link a picture (by its SHA-256, or its first 8+ characters) to an order, with the problem it
    shows and a note; ``order_id=None`` detaches it.  The original file is never changed.

    >>> import complaint
    >>> case = complaint.open_sample()
    >>> sha = complaint.case_data(case).evidence[0].sha256
    >>> complaint.attach_evidence(case, sha[:12], "3035361745554821", problem="damaged").order_id
    '3035361745554821'
    """
    ev = _find(case, sha256)
    new = replace(ev, order_id=(order_id or "").strip() or None,
                  problem=ev.problem if problem is _KEEP else (problem or None),
                  note=ev.note if note is _KEEP else ((note or "").strip() or None))
    return _save(case, _flag_before_order(case, new))


FLAG_BEFORE_ORDER = "before-order"
_BEFORE_ORDER = N_("taken before its order was placed ({day}): the camera clock is probably wrong")


def _flag_before_order(case: CaseLike, ev: Evidence) -> Evidence:
    """A camera time before the day its order was placed is kept and flagged (the camera's clock is
    probably wrong), never replaced; the flag goes when the picture leaves that order."""
    order = next((o for o in case_data(case).orders if o.order_id == ev.order_id), None) if ev.order_id else None
    early = (order is not None and ev.captured_at is not None and ev.time_source in ("exif", "exif-digitized", "gps")
             and ev.captured_at.date() < order.order_date)
    prefix = _(_BEFORE_ORDER, day="\x00").split("\x00")[0]
    warnings = tuple(w for w in ev.warnings if not w.startswith(prefix))
    if early:
        return replace(ev, time_flag=ev.time_flag or FLAG_BEFORE_ORDER,
                       warnings=(*warnings, _(_BEFORE_ORDER, day=order.order_date.isoformat())))
    return replace(ev, time_flag=None if ev.time_flag == FLAG_BEFORE_ORDER else ev.time_flag, warnings=warnings)


def confirm_capture_day(case: CaseLike, sha256: str, day: date | None) -> Evidence:
    """Place a picture whose capture time is unknown on the day the user confirms (the chronology
    then shows it that day, "entered by the user"); ``day=None`` withdraws it.  A camera, GPS or
    file-name time is never overwritten: the user's day is only for pictures without one.

    >>> import complaint
    >>> from datetime import date
    >>> case = complaint.open_sample()
    >>> sha = complaint.case_data(case).evidence[0].sha256
    >>> complaint.confirm_capture_day(case, sha, date(2026, 1, 27)).time_source  # it has a camera time
    'exif'
    """
    from ..calendar_be import BRUSSELS

    ev = _find(case, sha256)
    if ev.time_source not in (None, "user", "mtime"):
        return ev
    if day is None:
        new = replace(ev, captured_at=None, captured_text=None, time_source=None, tz_source=None)
    else:
        new = replace(ev, captured_at=datetime.combine(day, datetime.min.time(), BRUSSELS),
                      captured_text=day.isoformat(), time_source="user", tz_source="user")
    return _save(case, new)


def detach_evidence(case: CaseLike, sha256: str) -> Evidence:
    """The picture stays in the case, linked to no order.

    >>> import complaint
    >>> case = complaint.open_sample()
    >>> sha = complaint.case_data(case).evidence[0].sha256
    >>> complaint.detach_evidence(case, sha).order_id is None
    True
    """
    return attach_evidence(case, sha256, None)


def remove_evidence(case: CaseLike, sha256: str) -> None:
    """Remove a picture (and its original) from the case.

    >>> import complaint
    >>> case = complaint.open_sample()
    >>> sha = complaint.case_data(case).evidence[0].sha256
    >>> complaint.remove_evidence(case, sha)
    >>> sha in {e.sha256 for e in complaint.case_data(case).evidence}
    False
    """
    ev = _find(case, sha256)
    if isinstance(case, CaseHandle):
        case.store.delete_evidence(case.id, ev.sha256)
    else:
        data = case_data(case)
        data.evidence = [e for e in data.evidence if e.sha256 != ev.sha256]


def evidence_bytes(case: CaseHandle, sha256: str) -> bytes:
    """The original bytes of a picture kept in the case.

    >>> import complaint
    >>> case = complaint.open_sample()
    >>> complaint.evidence_bytes(case, complaint.case_data(case).evidence[0].sha256)[:2]
    b'\\xff\\xd8'
    """
    case = handle(case)
    return case.store.evidence_bytes(case.id, sha256)


def evidence_thumbnail(case: CaseHandle, sha256: str, size: int = 360) -> bytes | None:
    """An upright JPEG thumbnail of a kept picture (None when the picture cannot be drawn).

    >>> import complaint
    >>> case = complaint.open_sample()
    >>> complaint.evidence_thumbnail(case, complaint.case_data(case).evidence[0].sha256)[:2]
    b'\\xff\\xd8'
    """
    from ..evidence.ingest import thumbnail
    from ..evidence.metadata import ImageUnreadable

    try:
        return thumbnail(evidence_bytes(case, sha256), size=size)
    except (ImageUnreadable, ComplaintError):
        return None


def capture_time_label(ev: Evidence) -> str | None:
    """When the picture was taken, in the language's Belgian format and the picture's own zone
    (the day only when the file name gives no time); None when unknown.

    >>> import complaint
    >>> ev = complaint.read_evidence(complaint.sample_files()["evidence"][0])[0].evidence
    >>> complaint.capture_time_label(ev)
    '27 Jan 2026 18:34:12 +01:00'
    """
    from ..evidence.ingest import date_only
    from ..fmt import day, moment

    if ev.captured_at is None:
        return None
    return day(ev.captured_at.date()) if date_only(ev) else moment(ev.captured_at, seconds=True)


def file_date_label(ev: Evidence) -> str | None:
    """The file's own date (when it was saved, copied or uploaded), labelled as such: never the
    capture time.  None when the file had no date (an upload) or its capture time is known.

    >>> import complaint
    >>> from datetime import datetime, timezone
    >>> ev = complaint.read_evidence(complaint.sample_files()["evidence"][0])[0].evidence
    >>> complaint.file_date_label(ev) is None  # the camera dated it
    True
    """
    from ..fmt import moment

    if ev.captured_at is not None or ev.file_time is None:
        return None
    return _("file date (not the capture time): {date}", date=moment(ev.file_time))


def time_source_label(source: str | None) -> str:
    """What a capture time was read from (camera EXIF, GPS, the file name...), in the current language.

    >>> import complaint
    >>> complaint.time_source_label("gps")
    'GPS time (UTC)'
    """
    from ..evidence.ingest import TIME_SOURCE_LABELS

    return _(TIME_SOURCE_LABELS.get(source or "", "?"))


def zone_label(tz_source: str | None) -> str:
    """Where the time zone of a capture time came from, in plain words.

    >>> import complaint
    >>> complaint.zone_label("assumed Europe/Brussels")
    'guessed: Brussels time'
    """
    from ..evidence.ingest import zone_label as label

    return label(tz_source)


def map_link(ev: Evidence) -> str | None:
    """An OpenStreetMap link to where the picture was taken (nothing is fetched), None without GPS.

    >>> import complaint
    >>> ev = complaint.read_evidence(complaint.sample_files()["evidence"][0])[0].evidence
    >>> complaint.map_link(ev)[:36]
    'https://www.openstreetmap.org/?mlat='
    """
    from ..evidence.ingest import map_links

    if ev.gps_lat is None or ev.gps_lon is None:
        return None
    return map_links(ev.gps_lat, ev.gps_lon)["osm"]


def picture_metadata(path: str | os.PathLike):
    """What a picture's headers say (size, orientation, camera, GPS, the raw EXIF times), read
    through a memory map: the compressed pixels are not read.  ImageUnreadable when not an image.

    >>> import complaint
    >>> meta = complaint.picture_metadata(complaint.sample_files()["evidence"][0])
    >>> (meta.make, meta.width > 0)
    ('samsung', True)
    """
    from ..evidence.metadata import read_meta_file

    return read_meta_file(path)

"""Pictures on the chronology: one event per picture with a capture time (copies fold into their
original), labelled photo or screenshot, with where its time came from."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from ..calendar_be import BRUSSELS
from ..i18n import N_, _
from ..records import Event, Evidence, Lane

__all__ = ["evidence_events", "is_screenshot", "date_only", "TIME_SOURCE_LABELS", "ZONE_LABELS", "zone_label"]


def date_only(ev: Evidence) -> bool:
    """True when only the day is known (e.g. WhatsApp ``IMG-20260314-WA0003.jpg``)."""
    return ev.time_source in ("filename", "user") and bool(ev.captured_text) and "T" not in (ev.captured_text or "")


_SCREENSHOT = re.compile(r"screen[ _-]?shot|screencap|screen[ _-]?capture|capture d.?[ée]cran|"
                         r"schermafbeelding|schermopname|bildschirmfoto|snip", re.I)


def is_screenshot(ev: Evidence) -> bool:
    if _SCREENSHOT.search(ev.file_name) or _SCREENSHOT.search(ev.software or ""):
        return True
    return ev.media_type == "image/png" and not ev.camera_make and not ev.camera_model


TIME_SOURCE_LABELS = {
    "exif": N_("the camera's clock"),
    "exif-digitized": N_("the camera's clock (when the picture was saved)"),
    "gps": N_("GPS time (UTC)"),
    "filename": N_("the file name"),
    "mtime": N_("the file modification time (weak)"),
    "user": N_("entered by the user"),
}
# where the time zone of a capture time came from (capture_time.py's tz_source), in plain words
ZONE_LABELS = {
    "exif-offset": N_("from the camera"),
    "gps-utc": N_("UTC, from the GPS"),
    "gps-delta": N_("worked out from the camera and GPS clocks"),
    "epoch-utc": N_("UTC, from the file name"),
    "file-mtime": N_("from the file's date"),
}


def zone_label(tz_source: str | None) -> str:
    """``exif-offset`` -> "from the camera"; ``assumed Europe/Brussels`` -> "guessed: Brussels time"."""
    if not tz_source:
        return _("unknown")
    if tz_source.startswith("assumed "):
        zone = tz_source.removeprefix("assumed ")
        return _("guessed: Brussels time") if zone == "Europe/Brussels" else _("guessed: {zone}", zone=zone)
    return _(ZONE_LABELS[tz_source]) if tz_source in ZONE_LABELS else tz_source




def evidence_events(evidence_list: Iterable[Evidence]) -> list[Event]:
    """One chronology event per picture with a capture time (duplicates fold into their original)."""
    items = list(evidence_list)
    copies: dict[str, list[str]] = {}
    for ev in items:
        if ev.duplicate_of and ev.duplicate_of != ev.sha256:
            copies.setdefault(ev.duplicate_of, []).append(ev.sha256)
    events: list[Event] = []
    seen: set[str] = set()
    for ev in items:
        if ev.captured_at is None or ev.sha256 in seen or (ev.duplicate_of and ev.duplicate_of != ev.sha256):
            continue
        seen.add(ev.sha256)
        shot = is_screenshot(ev)
        kind = "screenshot_taken" if shot else "photo_taken"
        title = (_("Screenshot taken: {name}", name=ev.file_name) if shot
                 else _("Photo taken: {name}", name=ev.file_name))
        body = [_("Time from {source}; zone: {tz}.", source=_(TIME_SOURCE_LABELS.get(ev.time_source or "", "?")),
                  tz=zone_label(ev.tz_source))]
        if ev.problem:
            from ..records import PROBLEM_LABELS, Problem

            try:
                body.append(_("Problem: {problem}.", problem=_(PROBLEM_LABELS[Problem(ev.problem)])))
            except ValueError:
                body.append(_("Problem: {problem}.", problem=ev.problem))
        if ev.note:
            body.append(ev.note)
        if copies.get(ev.sha256):
            body.append(_("{n} duplicate copies.", n=len(copies[ev.sha256])))
        local = ev.captured_at.astimezone(BRUSSELS)
        events.append(Event(
            id=f"evidence-{ev.sha256[:16]}", kind=kind, lane=Lane.EVIDENCE.value, title=title, on=local.date(),
            at=None if date_only(ev) else ev.captured_at, body=" ".join(body),
            order_ids=(ev.order_id,) if ev.order_id else (),
            evidence_ids=(ev.sha256, *copies.get(ev.sha256, ())), time_source=ev.time_source,
            provenance=ev.provenance))
    events.sort(key=lambda e: (e.on, e.at or datetime.combine(e.on, datetime.min.time(), BRUSSELS), e.id))
    return events

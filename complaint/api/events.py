"""The chronology's own entries: events the user adds, edits and deletes, and conversations or
tracking histories pasted from AliExpress, Cainiao, bpost, PostNL or DHL (parsed into dated events).

A local time without a zone is read as Brussels time; a time that does not exist (clocks went
forward) or happened twice (clocks went back) is placed by the rule of
:func:`complaint.timeline.events.localize` and said in ``notes``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..calendar_be import today_brussels
from ..errors import ComplaintError
from ..i18n import _
from ..records import Event
from .cases import CaseLike, case_data, write_records

EVENT_FIELDS = ("id", "day", "time", "kind", "title", "order_ids", "body")


@dataclass
class EventChanges:
    """What an edit of the chronology kept: ``saved`` events (as stored), ``deleted`` ids, and
    ``notes`` (rows not saved and why, times read by the DST rule), one line each."""

    saved: list[Event] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def event_kinds() -> dict[str, str]:
    """Every kind of event the user can add: kind -> label in the current language.

    >>> import complaint
    >>> complaint.event_kinds()["dispute_opened"]
    'dispute opened'
    """
    from ..timeline.events import KINDS, kind_label

    return {k: kind_label(k) for k in KINDS}


def lanes() -> dict[str, str]:
    """The chronology's lanes (where an event comes from): lane -> label in the current language.

    >>> import complaint
    >>> list(complaint.lanes())
    ['order', 'bank', 'evidence', 'messages', 'tracking', 'dispute']
    """
    from ..timeline.events import LANES, lane_label

    return {lane: lane_label(lane) for lane in LANES}


def event_lane(kind: str) -> str:
    """The lane an event of ``kind`` is drawn in (order, bank, evidence, messages, tracking, dispute).

    >>> import complaint
    >>> complaint.event_lane("refund_credited")
    'bank'
    """
    from ..timeline.events import lane_of

    return lane_of(kind)


def _manual(case: CaseLike) -> dict[str, Event]:
    return {ev.id: ev for ev in case_data(case).events if ev.origin == "manual"}


def event_rows(case: CaseLike) -> list[dict]:
    """The user's own events as editable rows: id, day, time ('HH:MM' Brussels, or ''), kind,
    title, order_ids (comma-separated), body.

    >>> import complaint
    >>> case = complaint.open_case("Mine")
    >>> _ = complaint.add_event(case, "message_out", "2026-03-12", "Asked for a refund", time="14:05")
    >>> {k: v for k, v in complaint.event_rows(case)[0].items() if k in ("time", "title")}
    {'time': '14:05', 'title': 'Asked for a refund'}
    """
    from ..timeline.events import manual_rows

    return manual_rows(_manual(case).values())


def add_event(case: CaseLike, kind: str, on: date | str, title: str, *, time: str | None = None,
              body: str | None = None, order_ids=()) -> EventChanges:
    """Add one dated event to the chronology (``kind``: see :func:`event_kinds`; ``time``: 'HH:MM'
    Brussels time, or None when only the day is known).

    >>> import complaint
    >>> case = complaint.open_case("Mine")
    >>> added = complaint.add_event(case, "dispute_opened", "2026-03-20", "Dispute opened", order_ids="3069099405659913")
    >>> [(e.kind, str(e.on), e.order_ids) for e in added.saved]
    [('dispute_opened', '2026-03-20', ('3069099405659913',))]
    >>> complaint.add_event(case, "dispute_opened", "2026-03-20", "Dispute opened", time="25:00")
    Traceback (most recent call last):
    ...
    complaint.errors.ComplaintError: row 1: time '25:00' is not HH:MM
    """
    ids = order_ids if isinstance(order_ids, str) else ",".join(order_ids or ())
    changes = _save(case, [{"day": on, "time": time or "", "kind": kind, "title": title, "body": body or "",
                            "order_ids": ids}], {}, strict=True)
    return changes


def edit_event(case: CaseLike, event_id: str, *, kind: str | None = None, on: date | str | None = None,
               title: str | None = None, time: str | None = None, body: str | None = None,
               order_ids=None) -> EventChanges:
    """Change an event the user added (fields not given stay as they are; ``time=""`` makes it
    date-only).  Events read from files are not edited here: they follow their file.

    >>> import complaint
    >>> case = complaint.open_case("Mine")
    >>> ev = complaint.add_event(case, "note", "2026-03-20", "Called the seller").saved[0]
    >>> complaint.edit_event(case, ev.id, title="Called the seller twice").saved[0].title
    'Called the seller twice'
    """
    mine = _manual(case)
    if event_id not in mine:
        raise ComplaintError(_("no event {id} of your own in this case", id=event_id))
    row = next(r for r in event_rows(case) if r["id"] == event_id)
    changes = {"kind": kind, "day": on, "title": title, "time": time, "body": body,
               "order_ids": order_ids if order_ids is None or isinstance(order_ids, str) else ",".join(order_ids)}
    row.update({k: v for k, v in changes.items() if v is not None})
    return _save(case, [row], mine, strict=True)


def delete_event(case: CaseLike, event_id: str) -> EventChanges:
    """Delete an event the user added or pasted.

    >>> import complaint
    >>> case = complaint.open_case("Mine")
    >>> ev = complaint.add_event(case, "note", "2026-03-20", "Typo").saved[0]
    >>> complaint.delete_event(case, ev.id).deleted == [ev.id]
    True
    """
    if event_id not in _manual(case):
        raise ComplaintError(_("no event {id} of your own in this case", id=event_id))
    write_records(case, delete=[(Event, event_id)])
    return EventChanges(deleted=[event_id])


def save_event_rows(case: CaseLike, rows: list[dict]) -> EventChanges:
    """The table of the user's events after editing (rows as :func:`event_rows` gives them):
    changed rows are saved, rows removed from the table are deleted, rows with a problem are
    kept unchanged and listed in ``notes``.  One transaction.

    >>> import complaint
    >>> case = complaint.open_case("Mine")
    >>> _ = complaint.add_event(case, "note", "2026-03-20", "First")
    >>> rows = complaint.event_rows(case) + [{"day": "2026-03-21", "kind": "note", "title": "Second"}]
    >>> len(complaint.save_event_rows(case, rows).saved)
    1
    """
    mine = _manual(case)
    return _save(case, rows, mine, strict=False, delete_missing=True)


def _save(case: CaseLike, rows: list[dict], previous: dict[str, Event], *, strict: bool,
          delete_missing: bool = False) -> EventChanges:
    from ..timeline.events import events_from_rows

    new, problems = events_from_rows(rows, previous)
    if strict and not new:
        raise ComplaintError("; ".join(problems) or _("nothing to save"))
    saved = [ev for ev in new if previous.get(ev.id) != ev]
    deleted = []
    if delete_missing:
        listed = {ev.id for ev in new} | {str(r.get("id")) for r in rows if r.get("id")}
        deleted = [old for old in previous if old not in listed]
    write_records(case, put=saved, delete=[(Event, d) for d in deleted])
    return EventChanges(saved=saved, deleted=deleted, notes=problems)


# -- pasted conversations and tracking histories ----------------------------------------------------

@dataclass
class Pasted:
    """What a paste gave: the events (saved unless asked not to), the lines not understood
    (line number, text: never dropped silently) and warnings."""

    events: list[Event]
    unparsed_lines: list[tuple[int, str]]
    warnings: list[str]
    saved: bool


def _pasted(case: CaseLike, result, save: bool) -> Pasted:
    if save and result.events:
        write_records(case, put=result.events)
    return Pasted(list(result.events), list(result.unparsed_lines), list(result.warnings), save and bool(result.events))


def paste_conversation(case: CaseLike, text: str, order_id: str | None, *, source_name: str | None = None,
                       save: bool = True) -> Pasted:
    """A conversation copied from the AliExpress message page, as dated messages of the order
    (``save=False``: parse only, to preview).

    >>> import complaint
    >>> case = complaint.open_case("Mine")
    >>> chat = "Seller Store  2026-03-12 14:05\\nWe will refund you.\\nYou  2026-03-12 15:00\\nThank you."
    >>> [e.kind for e in complaint.paste_conversation(case, chat, "3069099405659913").events]
    ['message_in', 'message_out']
    """
    from ..limits import check_text
    from ..timeline.paste import parse_conversation

    check_text(source_name or _("pasted conversation"), text)
    result = parse_conversation(text, order_id, today=case.as_of or today_brussels(),
                                source_name=source_name or "pasted conversation")
    return _pasted(case, result, save)


def paste_tracking(case: CaseLike, text: str, order_id: str | None, *, tracking_number: str | None = None,
                   source_name: str | None = None, save: bool = True) -> Pasted:
    """A tracking history copied from AliExpress/Cainiao, bpost, PostNL or DHL, as dated scans of
    the order (the delivery among them).

    >>> import complaint
    >>> case = complaint.open_case("Mine")
    >>> scans = "2026-03-10 08:15 Arrived at destination country\\n2026-03-12 11:02 Delivered"
    >>> [e.kind for e in complaint.paste_tracking(case, scans, "3069099405659913").events]
    ['tracking', 'delivered']
    """
    from ..limits import check_text
    from ..timeline.paste import parse_tracking

    check_text(source_name or _("pasted tracking"), text)
    result = parse_tracking(text, order_id, tracking_number=tracking_number,
                            source_name=source_name or "pasted tracking")
    return _pasted(case, result, save)


def read_text(path) -> str:
    """A pasted text kept in a file (UTF-8), with a one-line error naming the file.

    >>> import complaint
    >>> complaint.read_text("no-such-chat.txt")
    Traceback (most recent call last):
    ...
    complaint.errors.ComplaintError: no-such-chat.txt: cannot read (No such file or directory)
    """
    from pathlib import Path

    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ComplaintError(_("{file}: not UTF-8 text ({error})", file=path, error=exc)) from exc
    except OSError as exc:
        raise ComplaintError(_("{file}: cannot read ({error})", file=path, error=exc.strerror)) from exc


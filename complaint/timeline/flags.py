"""Gaps and contradictions in a chronology, the things the other side would use against the buyer.

- a photo of the received item taken before the delivery;
- a refund credited before it was promised (often the bank's doing: some refunds are booked on
  the purchase date, so the flag says so);
- EXIF time and file-name time of a photo disagree;
- events dated after "today" (the as-of date);
- an order paid twice;
- long silences: no event for more than 14 days while a dispute is open.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from ..fmt import day as fmt_day
from ..fmt import moment
from ..i18n import _
from ..records import Event, Problem
from .events import open_disputes, sort_key

SILENCE_DAYS = 14
EXIF_NAME_TOLERANCE = timedelta(days=1)
# problems whose photos need not show a received item (screenshots of tracking, of the bank...)
NOT_RECEIVED_PROBLEMS = frozenset({Problem.NOT_DELIVERED, Problem.LATE, Problem.REFUND_NOT_RECEIVED})


@dataclass(frozen=True, slots=True)
class Flag:
    code: str  # photo_before_delivery, refund_before_promise, exif_filename_mismatch, future_event, paid_twice, silence
    severity: str  # "warning" (the other side may use it) or "info"
    message: str
    event_ids: tuple[str, ...] = ()
    order_ids: tuple[str, ...] = ()


def _photo_before_delivery(events: list[Event], case) -> list[Flag]:
    delivered: dict[str, Event] = {}
    for ev in events:
        if ev.kind == "delivered":
            for oid in ev.order_ids:
                delivered.setdefault(oid, ev)  # the first delivery scan
    problems = {e.sha256: e.problem for e in case.evidence}
    out = []
    for ev in events:
        if ev.kind != "photo_taken":  # screenshots may well predate the delivery
            continue
        if ev.evidence_ids and all(problems.get(s) in NOT_RECEIVED_PROBLEMS for s in ev.evidence_ids):
            continue
        for oid in ev.order_ids:
            d = delivered.get(oid)
            if d is None:
                continue
            before = ev.on < d.on if (d.at is None or ev.at is None) else ev.at < d.at
            if before:
                out.append(Flag("photo_before_delivery", "warning", _(
                    "Photo '{title}' ({photo}) was taken before order {order} was delivered ({delivered}); "
                    "check the camera clock or the delivery date.", title=ev.title, photo=fmt_day(ev.on),
                    order=oid, delivered=fmt_day(d.on)), (ev.id, d.id), (oid,)))
    return out


def _refund_before_promise(events: list[Event], case) -> list[Flag]:
    promised: dict[str, Event] = {}
    for ev in events:
        if ev.kind == "refund_promised":
            for oid in ev.order_ids:
                promised.setdefault(oid, ev)
    out = []
    for ev in events:
        if ev.kind != "refund_credited":
            continue
        for oid in ev.order_ids:
            p = promised.get(oid)
            if p is not None and ev.on < p.on:
                out.append(Flag("refund_before_promise", "warning", _(
                    "The refund for order {order} was credited on {credited}, before it was promised ({promised}). "
                    "Some refunds are booked on the purchase date: check the bank's value date, or the promise date.",
                    order=oid, credited=fmt_day(ev.on), promised=fmt_day(p.on)), (ev.id, p.id), (oid,)))
    return out


def _exif_filename(case) -> list[Flag]:
    out = []
    for e in case.evidence:
        differs = False
        if e.captured_at and e.filename_time and (e.time_source or "").startswith("exif"):
            differs = abs(e.captured_at - e.filename_time) > EXIF_NAME_TOLERANCE
        differs = differs or any("file name" in w and "differ" in w for w in e.warnings)
        if differs:
            out.append(Flag("exif_filename_mismatch", "warning", _(
                "'{name}': the EXIF time ({exif}) and the time in the file name ({fname}) disagree; "
                "the photo may have been copied, edited or taken with a wrong camera clock.",
                name=e.file_name, exif=moment(e.captured_at, seconds=True) if e.captured_at else "?",
                fname=moment(e.filename_time, seconds=True) if e.filename_time else "?"),
                (), (e.order_id,) if e.order_id else ()))
    return out


def _future(events: list[Event], as_of: date) -> list[Flag]:
    return [Flag("future_event", "warning", _(
        "'{title}' is dated {day}, after today ({today}); check the date.", title=ev.title,
        day=fmt_day(ev.on), today=fmt_day(as_of)), (ev.id,), ev.order_ids)
        for ev in events if ev.on > as_of and ev.kind != "refund_overdue"]


def _paid_twice(events: list[Event]) -> list[Flag]:
    payments: dict[str, dict[str, Event]] = defaultdict(dict)
    for ev in events:
        if ev.kind == "paid":
            for oid in ev.order_ids:
                for tid in ev.txn_ids or (ev.id,):
                    payments[oid][tid] = ev
    out = []
    for oid, by_txn in payments.items():
        if len(by_txn) > 1:
            evs = sorted(set(by_txn.values()), key=sort_key)
            out.append(Flag("paid_twice", "warning", _(
                "Order {order} was paid {n} times ({days}); a double charge should be claimed back, "
                "unless the order was split.", order=oid, n=len(by_txn),
                days=", ".join(fmt_day(e.on) for e in evs)), tuple(e.id for e in evs), (oid,)))
    return out


def _silences(events: list[Event], as_of: date) -> list[Flag]:
    out = []
    for oid, (start, end) in open_disputes(events, as_of).items():
        days = sorted({ev.on for ev in events if oid in ev.order_ids and start <= ev.on <= end
                       and ev.kind != "refund_overdue"} | {start})
        days.append(end)
        for a, b in zip(days, days[1:], strict=False):
            if (b - a).days > SILENCE_DAYS:
                out.append(Flag("silence", "info", _(
                    "Order {order}: no event for {n} days ({start} to {end}) while the dispute was open; "
                    "a reminder or a note of what happened helps.", order=oid, n=(b - a).days,
                    start=fmt_day(a), end=fmt_day(b)), (), (oid,)))
    return out


def find_contradictions(events: Iterable[Event], case, as_of: date | None = None) -> list[Flag]:
    events = sorted(events, key=sort_key)
    as_of = as_of or case.today()
    return (_photo_before_delivery(events, case) + _refund_before_promise(events, case) + _exif_filename(case)
            + _future(events, as_of) + _paid_twice(events) + _silences(events, as_of))

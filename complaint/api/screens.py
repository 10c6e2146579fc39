"""Text on screenshots (issue 21): read order, refund, tracking and chat screenshots with Tesseract,
and turn what they show into suggestions the user accepts (a refund promise, tracking events, chat
messages, the order it shows) or rejects (never proposed again).  Camera photos are never read.
Readings are kept per case by file hash, so a screenshot is read once.
"""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

from ..errors import ComplaintError
from ..i18n import N_, _
from ..records import Event, Evidence, Lane, Provenance, RefundPromise
from .cases import CaseLike, case_data, handle

TIME_SOURCE = "screenshot text"
TZ_SOURCE = "assumed Europe/Brussels"
_DELIVERED = re.compile(r"(delivered|livre\b|bezorgd|zugestellt|afgeleverd)")


def ocr_status() -> str | None:
    """Why text on screenshots cannot be read here, in one line; None when Tesseract and its
    English, French, Dutch and German data are installed.

    >>> import complaint
    >>> complaint.ocr_status() is None or complaint.ocr_status().startswith("text recognition is off")
    True
    """
    from ..evidence.ocr import unavailable_reason

    return unavailable_reason()


def is_screenshot(ev: Evidence) -> bool:
    """True when text recognition reads this picture: a PNG or JPEG without a camera's EXIF, at a
    phone's, tablet's or desktop's screen shape (a tall scrolling capture too).

    >>> import complaint
    >>> complaint.is_screenshot(complaint.read_evidence(complaint.sample_files()["evidence"][0])[0].evidence)
    False
    """
    from ..evidence.ocr import is_screen

    return is_screen(ev)


def read_screen_text(data: bytes, ev: Evidence):
    """Read one picture's text (a :class:`~complaint.evidence.ocr.Reading`: ``status`` "read",
    "not_screen", "refused" or "unavailable", ``screen``, ``text_facts()``, ``note``); nothing kept.

    >>> import complaint
    >>> photo = complaint.read_evidence(complaint.sample_files()["evidence"][0])[0]
    >>> complaint.read_screen_text(photo.data(), photo.evidence).status   # a camera photo is never read
    'not_screen'
    """
    from ..evidence.ocr import read_screen

    return read_screen(data, ev)


def screen_reading(case: CaseLike, sha256: str, *, refresh: bool = False, evidence: Evidence | None = None):
    """The text of a kept screenshot, read once and kept in the case by file hash (``evidence``:
    its record when the caller holds it, so the case is not loaded again).

    >>> import complaint
    >>> case = complaint.open_sample()
    >>> shot = next(e for e in complaint.case_data(case).evidence if complaint.is_screenshot(e))
    >>> complaint.screen_reading(case, shot.sha256).status in ("read", "unavailable")
    True
    """
    from ..evidence.ocr import ENGINE_VERSION, Reading

    case = handle(case)
    ev = evidence if evidence is not None and evidence.sha256 == sha256 else _evidence(case, sha256)
    if not refresh:
        cached = case.store.ocr_reading(case.id, ev.sha256, ENGINE_VERSION)
        if cached is not None:
            return Reading.from_dict(cached)
    reading = read_screen_text(case.store.evidence_bytes(case.id, ev.sha256), ev)
    if reading.status in ("read", "refused"):  # "unavailable" is retried once Tesseract is installed
        case.store.save_ocr_reading(case.id, ev.sha256, ENGINE_VERSION, reading.as_dict())
    return reading


SCREEN_TYPES = {"order": N_("order detail"), "refund": N_("refund detail"), "tracking": N_("tracking"),
                "chat": N_("chat with the seller"), "bank": N_("bank app"), "other": N_("other screen")}


def screen_label(reading) -> str | None:
    """What a read screenshot shows, in one line of the current language (None when not read).

    >>> import complaint
    >>> photo = complaint.read_evidence(complaint.sample_files()["evidence"][0])[0]
    >>> complaint.screen_label(complaint.read_screen_text(photo.data(), photo.evidence)) is None
    True
    """
    if reading is None or reading.status != "read":
        return None
    return _("Screenshot read: {type} ({confidence} %), {n} facts", type=_(SCREEN_TYPES.get(reading.type, "?")),
             confidence=round(100 * (reading.confidence or 0)), n=len(reading.facts))


def keep_screen_readings(case: CaseLike, files) -> int:
    """Keep in the case the text already read on files of :func:`read_evidence` (``ocr=True``), so
    it is not read again; returns how many were kept.

    >>> import complaint
    >>> case = complaint.open_case("Mine")
    >>> files = complaint.read_evidence(complaint.sample_files()["evidence"][0], ocr=True)
    >>> complaint.store_evidence(case, files), complaint.keep_screen_readings(case, files)   # a photo: nothing
    ([True], 0)
    """
    case = handle(case)
    kept = 0
    for f in files:
        r = getattr(f, "reading", None)
        if r is not None and r.status in ("read", "refused") and f.evidence.sha256:
            case.store.save_ocr_reading(case.id, f.evidence.sha256, r.engine, r.as_dict())
            kept += 1
    return kept


def unread_screenshots(case: CaseLike) -> list[Evidence]:
    """The case's screenshots whose text has not been read yet (what the app reads in the background).

    >>> import complaint
    >>> [e.file_name for e in complaint.unread_screenshots(complaint.open_sample())]
    ['Screenshot_20260314-101500.png', 'Screenshot_20261029-214210.png']
    """
    from ..evidence.ocr import ENGINE_VERSION

    case = handle(case)
    return [ev for ev in case_data(case).evidence
            if is_screenshot(ev) and case.store.ocr_reading(case.id, ev.sha256, ENGINE_VERSION) is None]


def read_case_screens(case: CaseLike, progress=None) -> dict:
    """Read every screenshot of the case not read yet; ``progress(done, total, name)``.  Returns
    sha256 -> Reading for the screenshots read now.

    >>> import complaint
    >>> len(complaint.read_case_screens(complaint.open_sample()))
    2
    """
    from ..evidence.ingest import run_in_order

    case = handle(case)
    todo = unread_screenshots(case)
    jobs = ((ev.file_name, (lambda ev=ev: screen_reading(case, ev.sha256))) for ev in todo)
    return {r.sha256: r for r in run_in_order(jobs, len(todo), progress, workers=2)}


def screen_suggestions(case: CaseLike, sha256: str | None = None, *, decided: bool = False) -> list:
    """What the case's read screenshots propose (:class:`~complaint.evidence.ocr.Suggestion`: ``id``,
    ``kind``, ``title``, ``order_id``, ``box``, ``payload``, ``facts``), one screenshot's with
    ``sha256``; accepted and rejected ones only with ``decided=True``.  Unread screenshots are not
    read here (see :func:`read_case_screens`).

    >>> import complaint
    >>> complaint.screen_suggestions(complaint.open_sample())
    []
    """
    from ..evidence.ocr import ENGINE_VERSION, Reading, suggestions

    case = handle(case)
    data = case_data(case)
    orders = {o.order_id for o in data.orders}
    done = {} if decided else case.store.suggestion_decisions(case.id)
    out = []
    for ev in data.evidence:
        if sha256 is not None and not ev.sha256.startswith(sha256):
            continue
        cached = case.store.ocr_reading(case.id, ev.sha256, ENGINE_VERSION) if is_screenshot(ev) else None
        if cached is None:
            continue
        out += [s for s in suggestions(Reading.from_dict(cached), ev, orders) if s.id not in done]
    return out


def _suggestion(case, suggestion_id: str):
    for s in screen_suggestions(case, decided=True):
        if s.id == suggestion_id:
            return s
    raise ComplaintError(_("no suggestion {id} in this case (read the screenshots first)", id=suggestion_id))


def _evidence(case, sha256: str) -> Evidence:
    for ev in case_data(case).evidence:
        if ev.sha256 == sha256 or (len(sha256) >= 8 and ev.sha256.startswith(sha256)):
            return ev
    raise ComplaintError(_("no evidence file {sha} in this case", sha=sha256[:12]))


def accept_suggestion(case: CaseLike, suggestion_id: str, *, order_id: str | None = None) -> list:
    """Accept a suggestion: it becomes a refund promise, tracking events or chat messages (with the
    screenshot and box they were read from), and the screenshot is attached to the order it shows
    (or ``order_id``).  Returns the records made.

    >>> import complaint
    >>> case = complaint.open_sample()
    >>> _ = complaint.read_case_screens(case)
    >>> [s.kind for s in complaint.screen_suggestions(case)] in ([], ["tracking_events"])  # [] without Tesseract
    True
    >>> [e.kind for s in complaint.screen_suggestions(case) for e in complaint.accept_suggestion(case, s.id)][:1]
    ... # doctest: +SKIP
    ['tracking']
    >>> complaint.accept_suggestion(case, "0123456789abcdef")
    Traceback (most recent call last):
    ...
    complaint.errors.ComplaintError: no suggestion 0123456789abcdef in this case (read the screenshots first)
    """
    from .edits import check_order_id

    case = handle(case)
    s = _suggestion(case, suggestion_id)
    decisions = case.store.suggestion_decisions(case.id)
    if decisions.get(s.id, {}).get("decision") == "accepted":
        raise ComplaintError(_("suggestion {id} was already accepted", id=s.id))
    ev = _evidence(case, s.sha256)
    target = check_order_id(order_id) if order_id else (s.order_id or ev.order_id)
    if s.kind == "refund_promise" and not target:
        raise ComplaintError(_("{file}: no order id was read; give the order", file=ev.file_name))
    made = _records(s, ev.file_name, target)
    if target and ev.order_id != target:
        case.store.update_evidence(case.id, replace(ev, order_id=target))
    case.store.decide_suggestion(case.id, s.id, s.sha256, "accepted",
                                 {**s.as_dict(), "order_id": target, "made": [getattr(r, "id", "") for r in made]},
                                 put=made)
    return made


def reject_suggestion(case: CaseLike, suggestion_id: str) -> None:
    """Reject a suggestion: nothing is added and it is not proposed again.

    >>> import complaint
    >>> case = complaint.open_sample()
    >>> _ = complaint.read_case_screens(case)
    >>> for s in complaint.screen_suggestions(case):
    ...     complaint.reject_suggestion(case, s.id)
    >>> complaint.screen_suggestions(case)
    []
    """
    case = handle(case)
    s = _suggestion(case, suggestion_id)
    case.store.decide_suggestion(case.id, s.id, s.sha256, "rejected", s.as_dict())


def screen_crop(case: CaseLike, sha256: str, box, *, margin: int = 24, max_width: int = 900) -> bytes:
    """A PNG of the part of a kept screenshot where a suggestion was read (``box``: x, y, w, h).

    >>> import complaint
    >>> case = complaint.open_sample()
    >>> shot = next(e for e in complaint.case_data(case).evidence if complaint.is_screenshot(e))
    >>> complaint.screen_crop(case, shot.sha256, (20, 60, 340, 40))[:4]
    b'\\x89PNG'
    """
    from PIL import Image

    case = handle(case)
    x, y, w, h = (int(v) for v in box)
    with Image.open(io.BytesIO(case.store.evidence_bytes(case.id, _evidence(case, sha256).sha256))) as im:
        part = im.convert("RGB").crop((max(0, x - margin), max(0, y - margin), min(im.width, x + w + margin),
                                       min(im.height, y + h + margin)))
    if part.width > max_width:
        part = part.resize((max_width, max(1, round(part.height * max_width / part.width))))
    out = io.BytesIO()
    part.save(out, "PNG")
    return out.getvalue()


# -- what an accepted suggestion becomes ---------------------------------------------------------

def where_read(s, file_name: str, box=None) -> str:
    x, y, w, h = box or s.box
    return _("screenshot {file} ({sha}), box x={x} y={y} w={w} h={h}", file=file_name, sha=s.sha256[:12],
             x=x, y=y, w=w, h=h)


def _provenance(s, file_name: str, box) -> Provenance:
    x, y, w, h = box
    return Provenance(source_name=file_name, source_sha256=s.sha256, importer="evidence.ocr",
                      locator=f"box {x},{y},{w},{h}")


def _moment(value: dict) -> tuple[date, datetime | None]:
    from ..timeline.events import localize

    if value.get("at"):
        naive = datetime.fromisoformat(value["at"])
        return naive.date(), localize(naive)[0]
    return date.fromisoformat(value["on"]), None


def _records(s, file_name: str, order_id: str | None) -> list:
    from ..evidence.ocr.dates import fold
    from ..timeline.events import event_id

    ids = (order_id,) if order_id else ()
    if s.kind == "refund_promise":
        p = s.payload
        return [RefundPromise(id=f"ocr-{s.id[:12]}", order_id=order_id, amount=Decimal(p["amount"]),
                              currency=p["currency"], promised_on=date.fromisoformat(p["promised_on"]),
                              by="platform", note=_("read on {where}", where=where_read(s, file_name)))]
    out = []
    for fact in s.facts if s.kind in ("tracking_events", "messages") else ():
        v = fact.value
        on, at = _moment(v)
        if s.kind == "tracking_events":
            number = s.payload.get("tracking_number")
            kind = "delivered" if _DELIVERED.search(fold(v.get("status") or "")) else "tracking"
            title = " — ".join(x for x in (v.get("status"), v.get("place")) if x)
            body = _("Tracking number {number}", number=number) if number else None
            eid, lane = event_id("ocr-tracking", s.sha256, v.get("at") or v.get("on"), title), Lane.TRACKING
        else:
            buyer = v.get("sender") == "buyer"
            kind = "message_out" if buyer else "message_in"
            title = f"{_('You') if buyer else _('Seller')}: {(v.get('text') or '')[:80]}"
            body = v.get("text")
            eid, lane = event_id("ocr-message", s.sha256, v.get("at"), v.get("text")), Lane.MESSAGES
        out.append(Event(id=eid, kind=kind, lane=lane.value, title=title, on=on, at=at, body=body, order_ids=ids,
                         evidence_ids=(s.sha256,), time_source=TIME_SOURCE, tz_source=TZ_SOURCE if at else None,
                         origin="manual", provenance=_provenance(s, file_name, fact.box)))
    return out

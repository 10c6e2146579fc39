"""The chronology: one event model for every source, rebuilt from the case on demand.

Every dated fact (order placed, paid, shipped, tracking scan, delivered, photo taken, message,
dispute opened, proposal, refund promised or credited, refund overdue, reminder, letter,
escalation) is a :class:`complaint.records.Event`: an instant (tz-aware ``at``) or a day only
(``at is None``), what it means (``kind``), its lane, the orders it concerns, links to evidence and
transactions, where its time and zone came from, and its provenance (plaso's event model).

Derived events get a stable id, ``<kind>-<hash of kind + source ids>``, so rebuilding after a
new import gives the same ids, and a manual event stored with the same id as a derived one
replaces it (that is how a user corrects an automatic event: the edit survives rebuilds).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pandas as pd

from ..calendar_be import BRUSSELS
from ..fmt import day as fmt_day
from ..fmt import moment, money, number
from ..i18n import N_, _
from ..records import (
    MANUAL,
    OUTCOME_LABELS,
    PROMISE_BY,
    BankTxn,
    Event,
    Evidence,
    Lane,
    Order,
    OrderStatus,
    Provenance,
)

# kind -> (lane, label). Labels are stored untranslated and rendered with _().
KINDS: dict[str, tuple[str, str]] = {
    "order_placed": (Lane.ORDER, N_("order placed")),
    "status_changed": (Lane.ORDER, N_("order status changed")),
    "paid": (Lane.BANK, N_("payment booked")),
    "refund_credited": (Lane.BANK, N_("refund credited")),
    "refund_overdue": (Lane.BANK, N_("refund overdue")),
    "bank_booking": (Lane.BANK, N_("bank booking")),
    "shipped": (Lane.TRACKING, N_("shipped")),
    "tracking": (Lane.TRACKING, N_("tracking update")),
    "delivered": (Lane.TRACKING, N_("delivered")),
    "photo_taken": (Lane.EVIDENCE, N_("photo taken")),
    "screenshot_taken": (Lane.EVIDENCE, N_("screenshot taken")),
    "message_in": (Lane.MESSAGES, N_("message from the seller")),
    "message_out": (Lane.MESSAGES, N_("message to the seller")),
    "support_chat": (Lane.MESSAGES, N_("chat with customer service")),
    "reminder_sent": (Lane.MESSAGES, N_("reminder sent")),
    "letter_sent": (Lane.MESSAGES, N_("letter sent")),
    "dispute_opened": (Lane.DISPUTE, N_("dispute opened")),
    "proposal": (Lane.DISPUTE, N_("proposal")),
    "proposal_accepted": (Lane.DISPUTE, N_("proposal accepted")),
    "proposal_refused": (Lane.DISPUTE, N_("proposal refused")),
    "refund_promised": (Lane.DISPUTE, N_("refund promised")),
    "escalation": (Lane.DISPUTE, N_("escalation")),
    "registered_letter_sent": (Lane.DISPUTE, N_("registered letter sent")),
    "formal_notice_sent": (Lane.DISPUTE, N_("formal notice sent")),
    "chargeback_requested": (Lane.DISPUTE, N_("chargeback requested from the bank")),
    "paypal_dispute_opened": (Lane.DISPUTE, N_("PayPal dispute opened")),
    "consumerconnect_report": (Lane.DISPUTE, N_("ConsumerConnect report filed")),
    "ecc_complaint": (Lane.DISPUTE, N_("complaint to the European Consumer Centre")),
    "mediation_request": (Lane.DISPUTE, N_("request to the Consumer Mediation Service")),
    "social_media_post": (Lane.MESSAGES, N_("public post on social media")),
    "dispute_closed": (Lane.DISPUTE, N_("dispute closed")),
    "refund_completed_platform": (Lane.DISPUTE, N_("refund completed on AliExpress")),
    "bank_contact": (Lane.BANK, N_("contact with the bank")),
    "delivery_guarantee_claim": (Lane.DISPUTE, N_("delivery guarantee claimed")),
    "note": (Lane.ORDER, N_("note")),
}

LANES: tuple[str, ...] = tuple(lane.value for lane in Lane)
LANE_LABELS: dict[str, str] = {
    Lane.ORDER: N_("Order"),
    Lane.BANK: N_("Bank / PayPal"),
    Lane.EVIDENCE: N_("Evidence"),
    Lane.MESSAGES: N_("Messages"),
    Lane.TRACKING: N_("Tracking"),
    Lane.DISPUTE: N_("Dispute"),
}
DISPUTE_END_KINDS = frozenset({"refund_credited", "proposal_accepted", "dispute_closed"})


def kind_label(kind: str) -> str:
    return _(KINDS[kind][1]) if kind in KINDS else kind.replace("_", " ")


def lane_label(lane: str) -> str:
    return _(LANE_LABELS[lane]) if lane in LANE_LABELS else lane


def lane_of(kind: str) -> str:
    return str(KINDS.get(kind, (Lane.ORDER, ""))[0])


def event_id(kind: str, *source_ids: object) -> str:
    """Stable id from what the event is and what it was derived from."""
    raw = kind + "\x1f" + "\x1f".join("" if s is None else str(s) for s in source_ids)
    return f"{kind}-{hashlib.sha256(raw.encode('utf-8')).hexdigest()[:16]}"


# --- local time ----------------------------------------------------------------------------

def localize(naive: datetime, tz: ZoneInfo = BRUSSELS) -> tuple[datetime, str | None]:
    """Attach a zone to a wall-clock time; returns (aware, note) where note explains a DST case.

    Choice (same as the evidence module): in the spring gap (Brussels, last Sunday of March,
    02:00-03:00 does not exist) the time is moved forward by the gap, like a clock would: 02:30
    becomes 03:30 CEST (01:30 UTC).  In the repeated autumn hour (last Sunday of October,
    02:00-03:00 happens twice) the first occurrence is taken (fold=0, still CEST +02:00).
    """
    if naive.tzinfo is not None:
        return naive, None
    aware = naive.replace(tzinfo=tz)
    roundtrip = aware.astimezone(UTC).astimezone(tz)
    if roundtrip.replace(tzinfo=None) != naive:
        return roundtrip, _("{time} does not exist in {tz} (clocks went forward); read as {shown}",
                            time=moment(naive), tz=tz.key, shown=roundtrip.strftime("%H:%M %z"))
    other = naive.replace(tzinfo=tz, fold=1)
    if other.utcoffset() != aware.utcoffset():
        return aware, _("{time} happened twice in {tz} (clocks went back); the first one ({offset}) was taken",
                        time=moment(naive), tz=tz.key, offset=aware.strftime("%z"))
    return aware, None


def local_day(at: datetime) -> date:
    return at.astimezone(BRUSSELS).date()


def sort_key(ev: Event) -> tuple:
    """Chronological; a date-only event sorts at the start of its day, then by lane and id."""
    instant = ev.at.astimezone(UTC) if ev.at else datetime.combine(ev.on, time.min, BRUSSELS).astimezone(UTC)
    lane_rank = LANES.index(ev.lane) if ev.lane in LANES else len(LANES)
    line = ev.provenance.line_no if ev.provenance and ev.provenance.line_no is not None else 0
    return (ev.on, instant, lane_rank, line, ev.id)


def format_when(ev: Event, human: bool = False) -> str:
    """'2026-03-12 14:05 +01:00' in Brussels time, or '2026-03-12 (date only)' (CSV and PDF tables);
    ``human``: the day in the language's Belgian format, '12 mars 2026 14:05 +01:00' (pages, chart)."""
    if ev.at is None:
        return _("{day} (date only)", day=fmt_day(ev.on) if human else ev.on.isoformat())
    local = ev.at.astimezone(BRUSSELS)
    if human:
        return moment(local)
    offset = local.strftime("%z")
    return local.strftime("%Y-%m-%d %H:%M") + f" {offset[:3]}:{offset[3:]}"


# --- builders -------------------------------------------------------------------------------

def order_events(order: Order) -> list[Event]:
    at = order.order_time
    title = _("Order {order} placed", order=order.order_id)
    if order.store:
        title += " " + _("at {store}", store=order.store)
    body_parts = [f"{item.quantity} x {item.title}" for item in order.items]
    if order.total is not None:
        body_parts.append(_("total {amount}", amount=money(order.total, order.currency) if order.currency
                            else number(order.total)))
    return [Event(
        id=event_id("order_placed", order.order_id), kind="order_placed", lane=Lane.ORDER.value, title=title,
        on=local_day(at) if at else order.order_date, at=at, body="\n".join(body_parts) or None,
        order_ids=(order.order_id,), time_source="order export", tz_source=order.tz_source if at else None,
        provenance=order.provenance)]


def annotation_events(case) -> list[Event]:
    """Delivery and dispute dates the user entered on an order, and how its dispute ended (dates only)."""
    out = []
    for order_id, ann in case.annotations.items():
        if ann.delivered_on:
            out.append(Event(id=event_id("delivered", order_id, "annotation"), kind="delivered",
                             lane=Lane.TRACKING.value, title=_("Order {order} delivered", order=order_id),
                             on=ann.delivered_on, order_ids=(order_id,), time_source="user", origin="manual",
                             provenance=MANUAL))
        if ann.dispute_opened_on:
            out.append(Event(id=event_id("dispute_opened", order_id, "annotation"), kind="dispute_opened",
                             lane=Lane.DISPUTE.value, title=_("Dispute opened for order {order}", order=order_id),
                             on=ann.dispute_opened_on, order_ids=(order_id,), time_source="user", origin="manual",
                             provenance=MANUAL))
        if ann.outcome and ann.outcome_on:
            label = OUTCOME_LABELS.get(ann.outcome, ann.outcome)
            out.append(Event(id=event_id("dispute_closed", order_id, "annotation"), kind="dispute_closed",
                             lane=Lane.DISPUTE.value, title=_("Dispute for order {order} closed: {outcome}",
                                                              order=order_id, outcome=_(label)),
                             on=ann.outcome_on, order_ids=(order_id,), time_source="user", origin="manual",
                             provenance=MANUAL))
    return out


def txn_event(txn: BankTxn, kind: str, order_ids: tuple[str, ...]) -> Event:
    amount = money(txn.amount, txn.currency)
    if kind == "paid":
        title = _("Payment of {amount} booked", amount=money(abs(txn.amount), txn.currency))
    elif kind == "refund_credited":
        title = _("Refund of {amount} credited", amount=amount)
    else:
        title = _("Bank booking of {amount}", amount=amount)
    if order_ids:
        title += " " + _("(order {orders})", orders=", ".join(order_ids))
    body = " | ".join(p for p in (txn.counterparty, txn.description, txn.communication) if p) or None
    return Event(id=event_id(kind, txn.id), kind=kind, lane=Lane.BANK.value, title=title, on=txn.booking_date,
                 body=body, order_ids=order_ids, txn_ids=(txn.id,), time_source="bank booking date",
                 provenance=txn.provenance)


def transaction_events(case, reconciliation=None) -> list[Event]:
    """Matched movements (payment/refund, with their orders) and unmatched merchant movements."""
    by_id = {t.id: t for t in case.transactions}
    seen: set[str] = set()
    out: list[Event] = []
    for m in getattr(reconciliation, "matches", None) or ():
        if getattr(m, "decision", None) == "rejected":
            continue
        kind = "paid" if m.kind == "payment" else "refund_credited"
        for txn_id in m.txn_ids:
            txn = by_id.get(txn_id)
            if txn is None or txn_id in seen:
                continue
            seen.add(txn_id)
            out.append(txn_event(txn, kind, tuple(m.order_ids)))
    for txn in case.transactions:
        if txn.id in seen or not txn.merchant or txn.duplicate_of:
            continue
        out.append(txn_event(txn, "paid" if txn.amount < 0 else "refund_credited", ()))
    return out


def overdue_events(reconciliation) -> list[Event]:
    out = []
    for mc in getattr(reconciliation, "missing_credits", None) or ():
        if mc.state != "overdue":
            continue
        out.append(Event(
            id=event_id("refund_overdue", mc.order_id, mc.expected_since), kind="refund_overdue",
            lane=Lane.BANK.value,
            title=_("Refund of {amount} for order {order} overdue since {due}",
                    amount=money(mc.expected_amount, mc.currency), order=mc.order_id, due=fmt_day(mc.due_date)),
            on=mc.due_date, order_ids=(mc.order_id,),
            body=_("Expected since {since}; {days} business days waiting.", since=fmt_day(mc.expected_since),
                   days=mc.business_days_waiting),
            time_source="reconciliation"))
    return out


def promise_events(case) -> list[Event]:
    return [Event(
        id=event_id("refund_promised", p.id), kind="refund_promised", lane=Lane.DISPUTE.value,
        title=_("Refund of {amount} promised by the {by} (order {order})",
                amount=money(p.amount, p.currency), by=_(PROMISE_BY.get(p.by, p.by)), order=p.order_id),
        on=p.promised_on, body=p.note, order_ids=(p.order_id,), time_source="user", origin="manual",
        provenance=MANUAL) for p in case.promises]


def photo_events(evidence: Iterable[Evidence]) -> list[Event]:
    """Capture time of each evidence file (fallback when the evidence module has no builder)."""
    out = []
    for ev in evidence:
        if ev.captured_at is None or ev.duplicate_of:
            continue
        title = _("Photo taken: {name}", name=ev.file_name)
        out.append(Event(
            id=event_id("photo_taken", ev.sha256), kind="photo_taken", lane=Lane.EVIDENCE.value, title=title,
            on=local_day(ev.captured_at), at=ev.captured_at, body=ev.note,
            order_ids=(ev.order_id,) if ev.order_id else (), evidence_ids=(ev.sha256,),
            time_source=ev.time_source, tz_source=ev.tz_source,
            provenance=ev.provenance or Provenance(ev.file_name, ev.sha256, "evidence")))
    return out


def evidence_events_for(evidence: list[Evidence]) -> list[Event]:
    try:
        from ..evidence.ingest import evidence_events
    except ImportError:
        return photo_events(evidence)
    return list(evidence_events(evidence))


def build_chronology(case, reconciliation=None, as_of: date | None = None) -> list[Event]:
    """Every event of the case, derived and manual, sorted; manual events win on equal ids."""
    events: list[Event] = []
    for order in case.orders:
        events.extend(order_events(order))
    events.extend(annotation_events(case))
    events.extend(transaction_events(case, reconciliation))
    events.extend(overdue_events(reconciliation))
    events.extend(promise_events(case))
    events.extend(evidence_events_for(list(case.evidence)))
    by_id: dict[str, Event] = {}
    for ev in events:
        by_id.setdefault(ev.id, ev)
    for ev in case.events:  # manual / import events replace derived ones with the same id
        by_id[ev.id] = ev
    return sorted(by_id.values(), key=sort_key)


def filter_events(events: Iterable[Event], order_id: str | None = None, lanes: Iterable[str] | None = None,
                  start: date | None = None, end: date | None = None, order_ids: Iterable[str] | None = None
                  ) -> list[Event]:
    """Events of one order or of some orders (``order_ids``; events that name no order only when no
    order is asked), lanes, days."""
    lane_set = {str(lane) for lane in lanes} if lanes is not None else None
    some = set(order_ids) if order_ids is not None else None
    out = []
    for ev in events:
        if order_id is not None and order_id not in ev.order_ids:
            continue
        if some is not None and not some.intersection(ev.order_ids):
            continue
        if lane_set is not None and ev.lane not in lane_set:
            continue
        if start is not None and ev.on < start:
            continue
        if end is not None and ev.on > end:
            continue
        out.append(ev)
    return out


FRAME_COLUMNS = ["id", "on", "at_utc", "when", "date_only", "lane", "lane_label", "kind", "kind_label", "title",
                 "body", "order_ids", "evidence_ids", "txn_ids", "time_source", "tz_source", "origin", "source"]


def chronology_frame(events: Iterable[Event], human: bool = False) -> pd.DataFrame:
    """One row per event; ids joined with ', '; ``at_utc`` is a UTC timestamp (NaT for date-only);
    ``when`` as :func:`format_when` (``human``: in the language's Belgian format, for a page)."""
    rows = [{
        "id": ev.id, "on": ev.on, "at_utc": pd.Timestamp(ev.at.astimezone(UTC)) if ev.at else pd.NaT,
        "when": format_when(ev, human), "date_only": ev.at is None, "lane": ev.lane, "lane_label": lane_label(ev.lane),
        "kind": ev.kind, "kind_label": kind_label(ev.kind), "title": ev.title, "body": ev.body or "",
        "order_ids": ", ".join(ev.order_ids), "evidence_ids": ", ".join(ev.evidence_ids),
        "txn_ids": ", ".join(ev.txn_ids), "time_source": ev.time_source or "", "tz_source": ev.tz_source or "",
        "origin": ev.origin, "source": ev.provenance.where() if ev.provenance else "",
    } for ev in events]
    frame = pd.DataFrame(rows, columns=FRAME_COLUMNS)
    frame["at_utc"] = pd.to_datetime(frame["at_utc"], utc=True)
    frame["date_only"] = frame["date_only"].astype(bool)
    return frame


def manual_event(kind: str, title: str, on: date, at: datetime | None = None, body: str | None = None,
                 order_ids: Iterable[str] = (), evidence_ids: Iterable[str] = (), event_id_: str | None = None,
                 tz: ZoneInfo = BRUSSELS) -> tuple[Event, str | None]:
    """An event the user typed (form or table); a naive time is read as Brussels time.

    Returns (event, note) where note explains a DST adjustment, if any.
    """
    note = None
    tz_source = None
    if at is not None:
        if at.tzinfo is None:
            at, note = localize(at, tz)
            tz_source = f"assumed {tz.key}"
        else:
            tz_source = "user"
        on = local_day(at)
    order_ids = tuple(o.strip() for o in order_ids if o and o.strip())
    eid = event_id_ or event_id(kind, "manual", on.isoformat(), title, *order_ids)
    return Event(id=eid, kind=kind, lane=lane_of(kind), title=title.strip(), on=on, at=at, body=body or None,
                 order_ids=order_ids, evidence_ids=tuple(evidence_ids), time_source="user", tz_source=tz_source,
                 origin="manual", provenance=MANUAL), note


def open_disputes(events: Iterable[Event], as_of: date) -> dict[str, tuple[date, date]]:
    """order id -> (opened on, ended on or as_of) for each dispute in the events."""
    opened: dict[str, date] = {}
    ended: dict[str, date] = {}
    for ev in sorted(events, key=sort_key):
        for oid in ev.order_ids:
            if ev.kind in ("dispute_opened", "escalation") and oid not in opened:
                opened[oid] = ev.on
            elif ev.kind in DISPUTE_END_KINDS and oid in opened and oid not in ended and ev.on >= opened[oid]:
                ended[oid] = ev.on
    return {oid: (start, ended.get(oid, max(as_of, start))) for oid, start in opened.items()}


def is_order_open(order: Order) -> bool:
    return order.status not in (OrderStatus.CANCELLED, OrderStatus.REFUNDED, OrderStatus.COMPLETED)


def days_between(a: date, b: date) -> int:
    return (b - a) // timedelta(days=1)


MANUAL_COLUMNS = ["id", "day", "time", "kind", "title", "order_ids", "body"]


def manual_rows(events: Iterable[Event]) -> list[dict]:
    """The user's own events as editable rows (day, local time 'HH:MM' or '', ids joined)."""
    out = []
    for ev in events:
        if ev.origin != "manual":
            continue
        local = ev.at.astimezone(BRUSSELS) if ev.at else None
        out.append({"id": ev.id, "day": ev.on, "time": local.strftime("%H:%M") if local else "", "kind": ev.kind,
                    "title": ev.title, "order_ids": ", ".join(ev.order_ids), "body": ev.body or ""})
    return out


def events_from_rows(rows: Iterable[dict], previous: dict[str, Event] | None = None) -> tuple[list[Event], list[str]]:
    """Edited rows back to events (ids kept, so links survive); problems are returned per row."""
    previous = previous or {}
    events, problems = [], []
    for n, row in enumerate(rows, start=1):
        title = str(row.get("title") or "").strip()
        day = row.get("day")
        if isinstance(day, datetime):
            day = day.date()
        if isinstance(day, str) and day:
            try:
                day = date.fromisoformat(day[:10])
            except ValueError:
                day = None
        kind = str(row.get("kind") or "note")
        if not title or not isinstance(day, date):
            problems.append(_("row {n}: a day and a title are needed", n=n))
            continue
        if kind not in KINDS:
            problems.append(_("row {n}: unknown kind '{kind}'", n=n, kind=kind))
            continue
        at = None
        text = str(row.get("time") or "").strip()
        if text:
            try:
                at = datetime.combine(day, time.fromisoformat(text))
            except ValueError:
                problems.append(_("row {n}: time '{time}' is not HH:MM", n=n, time=text))
                continue
        old = previous.get(str(row.get("id") or ""))
        ev, note = manual_event(kind, title, day, at=at, body=str(row.get("body") or "") or None,
                                order_ids=str(row.get("order_ids") or "").split(","),
                                evidence_ids=old.evidence_ids if old else (), event_id_=row.get("id") or None)
        if note:
            problems.append(_("row {n}: {note}", n=n, note=note))
        events.append(ev)
    return events, problems

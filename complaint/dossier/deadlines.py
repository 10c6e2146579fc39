"""Deadlines and reminders per order, an iCalendar export, and the China call window.

Every deadline names the rule it comes from (``source_rule``, a key of complaint/dossier/rules.json),
so the page can show the source and the date the rule was checked next to it.  Refund delays are
counted in Belgian business days (complaint.calendar_be); everything else in calendar days.  The
facts come from the case view (complaint.dossier.view); a missing refund is due on the date the
reconciliation gives it, the one that makes it overdue.
"""

from __future__ import annotations

import calendar
import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ..calendar_be import BRUSSELS, add_business_days
from ..fmt import day as fmt_day
from ..fmt import money
from ..i18n import _
from ..records import PaymentMethod, Problem
from . import rules
from .facts import CONFORMITY_PROBLEMS
from .view import CaseView, OrderView, ensure_view

BEIJING = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True, slots=True)
class Deadline:
    order_id: str
    date: date
    kind: str
    label: str
    source_rule: str
    detail: str | None = None

    def passed(self, as_of: date) -> bool:
        return self.date < as_of

    def days_left(self, as_of: date) -> int:
        return (self.date - as_of).days


def add_months(day: date, months: int) -> date:
    """Same day ``months`` later, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def refund_due_date(start: date, method: PaymentMethod | str | None) -> date:
    """Last day a refund processed on ``start`` should reach the payment method (Belgian business days),
    by the rules file's delay (a refund the reconciliation found missing has its own due date)."""
    r = rules.rule("refund_delay")
    key = str(method) if method else "other"
    low_high = r["by_method"].get(key, r["by_method"]["other"])
    return add_business_days(start, int(low_high[1]))


def order_deadlines(f: OrderView) -> list[Deadline]:
    """The deadlines of one order, from its view (unsorted)."""
    order_id = f.order_id
    out: list[Deadline] = []

    def add(day: date | None, kind: str, label: str, rule_id: str, detail: str | None = None) -> None:
        if day is not None:
            out.append(Deadline(order_id, day, kind, label, rule_id, detail))

    low, high = rules.value("follow_up_no_answer")
    if f.awaiting_answer:
        add(f.last_out + timedelta(days=int(low)), "follow_up",
            _("Follow up: no answer to your message of {date} ({low}-{high} days)",
              date=fmt_day(f.last_out), low=low, high=high), "follow_up_no_answer")

    problem = f.problem
    if problem is None:
        return out
    completion = f.completed_on or f.delivered_on
    if f.dispute_opened_on is None and completion is not None and problem != Problem.REFUND_NOT_RECEIVED:
        add(completion + timedelta(days=int(rules.value("aliexpress_dispute_window"))), "dispute_window",
            _("Last day to open an AliExpress dispute (completion + {n} days)",
              n=rules.value("aliexpress_dispute_window")), "aliexpress_dispute_window")
    if f.dispute_opened_on is not None and f.dispute_closed_on is None:
        add(f.dispute_opened_on + timedelta(days=int(rules.value("aliexpress_dispute_escalation"))),
            "dispute_escalation",
            _("Dispute opened {date}: escalate to AliExpress if there is no agreement",
              date=fmt_day(f.dispute_opened_on)), "aliexpress_dispute_escalation")

    for m in f.missing:  # due on the reconciliation's date, the one that makes it overdue
        add(m.due, "refund_due", _("Refund of {amount} expected since {date} should have arrived",
                                   amount=money(m.outstanding.amount, m.outstanding.currency),
                                   date=fmt_day(m.since)), "refund_delay")

    method = f.payment_method
    if method == PaymentMethod.CREDIT_CARD:
        out += _chargeback_deadlines(f, order_id)
    if method == PaymentMethod.PAYPAL and f.paid_on is not None:
        add(f.paid_on + timedelta(days=int(rules.value("paypal_dispute_window"))), "paypal_deadline",
            _("Last day for a PayPal dispute ({n} days after payment)", n=rules.value("paypal_dispute_window")),
            "paypal_dispute_window")

    if f.delivered_on is not None and problem in CONFORMITY_PROBLEMS:
        add(f.delivered_on + timedelta(days=int(rules.value("withdrawal"))), "withdrawal",
            _("Last day to withdraw from the purchase (14 days from receipt)"), "withdrawal")
        if f.defect_found_on is not None:
            add(add_months(f.defect_found_on, int(rules.value("legal_guarantee_notice"))), "guarantee_notice",
                _("Tell the seller about the defect (2 months from discovery on {date})",
                  date=fmt_day(f.defect_found_on)), "legal_guarantee_notice")
        add(add_months(f.delivered_on, 12 * int(rules.value("legal_guarantee"))), "guarantee_end",
            _("Legal guarantee ends (2 years from delivery)"), "legal_guarantee")

    notice = f.steps_done.get("formal_notice")
    if notice is not None:
        add(notice + timedelta(days=int(rules.value("formal_notice_deadline"))), "formal_notice_due",
            _("End of the deadline given in your formal notice of {date}", date=fmt_day(notice)),
            "formal_notice_deadline")
    return out


def _chargeback_deadlines(f, order_id: str) -> list[Deadline]:
    out = []
    problem = f.problem
    if problem == Problem.REFUND_NOT_RECEIVED:
        start = f.refund_agreed_on or min((m.since for m in f.missing), default=None)
        if start is not None:
            r = rules.rule("chargeback_credit_not_processed")
            out.append(Deadline(order_id, start + timedelta(days=int(r["min_wait_days"])), "chargeback_open",
                                _("Chargeback possible from today (refund receipt of {date} + {n} days)",
                                  date=fmt_day(start), n=r["min_wait_days"]), "chargeback_credit_not_processed"))
            out.append(Deadline(order_id, start + timedelta(days=int(r["value"])), "chargeback_deadline",
                                _("Last day for a card chargeback, credit not processed ({n} days)", n=r["value"]),
                                "chargeback_credit_not_processed"))
    elif problem in (Problem.NOT_DELIVERED, Problem.LATE):
        r = rules.rule("chargeback_not_received")
        if f.paid_on is not None:
            out.append(Deadline(order_id, f.paid_on + timedelta(days=int(r["min_wait_days"])), "chargeback_open",
                                _("Chargeback for goods not received possible ({n} days after payment)",
                                  n=r["min_wait_days"]), "chargeback_not_received"))
            out.append(Deadline(order_id, f.paid_on + timedelta(days=int(r["value"])), "chargeback_deadline",
                                _("Last day for a card chargeback, goods not received (no delivery date known: "
                                  "{n} days from payment)", n=r["value"]), "chargeback_not_received"))
    else:
        start = f.delivered_on or f.paid_on
        if start is not None:
            out.append(Deadline(order_id, start + timedelta(days=int(rules.value("chargeback_not_as_described"))),
                                "chargeback_deadline",
                                _("Last day for a card chargeback, not as described ({n} days from {what})",
                                  n=rules.value("chargeback_not_as_described"),
                                  what=_("delivery") if f.delivered_on else _("payment")),
                                "chargeback_not_as_described"))
    if f.paid_on is not None:
        out.append(Deadline(order_id, add_months(f.paid_on, int(rules.value("chargeback_be_issuer"))),
                            "chargeback_bank_limit",
                            _("Your bank may stop accepting disputes about 3 months after the statement: ask it"),
                            "chargeback_be_issuer"))
    return out


def deadlines(case, reconciliation, as_of: date | None = None, events=None,
              order_ids: list[str] | None = None, view: CaseView | None = None) -> list[Deadline]:
    """All deadlines of the case's problem orders (and follow-ups on any order), sorted by date.

    ``view``: the case view (complaint.dossier.view) when the caller has it; else it is built from
    the case, the reconciliation and ``events``.  Each order's deadlines are computed once per view."""
    view = ensure_view(view, case, reconciliation, as_of, events)
    ids = order_ids if order_ids is not None else view.watched_order_ids()
    out: list[Deadline] = []
    for oid in ids:
        out += view.cached(("deadlines", oid), lambda oid=oid: order_deadlines(view.order(oid)))
    return sorted(out, key=lambda d: (d.date, d.order_id, d.kind))


def upcoming(all_deadlines: list[Deadline], as_of: date, limit: int | None = None) -> list[Deadline]:
    """Deadlines on or after ``as_of`` (what the home page shows)."""
    out = [d for d in all_deadlines if d.date >= as_of]
    return out[:limit] if limit else out


# --- iCalendar (RFC 5545), written by hand ---------------------------------------------------

def _ics_escape(text: str) -> str:
    text = "".join(ch for ch in text if ch in "\n" or ord(ch) >= 32)
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def _fold(line: str) -> str:
    """Fold at 75 octets without splitting a UTF-8 sequence (RFC 5545 3.1)."""
    out, current, size = [], "", 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        limit = 75 if not out else 74  # continuation lines start with one space
        if size + n > limit:
            out.append(current)
            current, size = "", 0
        current += ch
        size += n
    out.append(current)
    return "\r\n ".join(out)


def deadlines_ics(items: list[Deadline], stamp: datetime | None = None, alarm_days: int = 1,
                  calendar_name: str = "complaint-notebook") -> str:
    """An iCalendar file: one all-day VEVENT per deadline with a VALARM ``alarm_days`` before."""
    stamp = (stamp or datetime.now(UTC)).astimezone(UTC)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//complaint-notebook//dossier//EN",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH", "X-WR-CALNAME:" + _ics_escape(calendar_name)]
    for d in items:
        uid = hashlib.sha256(f"{d.order_id}|{d.kind}|{d.date.isoformat()}|{d.source_rule}".encode()).hexdigest()[:32]
        cit = rules.citation(d.source_rule)
        description = _("Order {order}", order=d.order_id) + "\n" + d.label + "\n" + _("Source: {source}",
                                                                                      source=cit.text())
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid}@complaint-notebook",
            "DTSTAMP:" + stamp.strftime("%Y%m%dT%H%M%SZ"),
            "DTSTART;VALUE=DATE:" + d.date.strftime("%Y%m%d"),
            "DTEND;VALUE=DATE:" + (d.date + timedelta(days=1)).strftime("%Y%m%d"),
            "SUMMARY:" + _ics_escape(f"{d.order_id}: {d.label}"),
            "DESCRIPTION:" + _ics_escape(description),
            "CATEGORIES:" + _ics_escape(d.kind),
            "TRANSP:TRANSPARENT",
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"TRIGGER:-P{int(alarm_days)}D",
            "DESCRIPTION:" + _ics_escape(d.label),
            "END:VALARM",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


# --- call window ---------------------------------------------------------------------------------

def call_window(day: date) -> tuple[datetime, datetime]:
    """The Alibaba phone hours (09:00-18:00 Beijing time) on ``day`` as Brussels times.

    China has no daylight saving time; Brussels does, so the window is 02:00-11:00 in winter
    (CET, UTC+1) and 03:00-12:00 in summer (CEST, UTC+2).
    """
    hours = rules.rule("alibaba_phone")["hours"]
    zone = ZoneInfo(hours["tz"]) if hours.get("tz") else BEIJING
    start = datetime.combine(day, time.fromisoformat(hours["start"]), zone)
    end = datetime.combine(day, time.fromisoformat(hours["end"]), zone)
    return start.astimezone(BRUSSELS), end.astimezone(BRUSSELS)

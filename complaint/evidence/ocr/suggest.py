"""What a read screenshot proposes to the case: a refund promise, tracking events, chat messages,
or a link to the order it shows.  Suggestions are never facts of the case until the user accepts
one; a rejected one is remembered (by its id) and not proposed again."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ...i18n import N_, _
from ...records import Evidence
from .facts import Box, TextFact, union
from .reading import Reading

TITLES = {
    "refund_promise": N_("refund promise of {amount} for order {order} on {day}"),
    "tracking_events": N_("{n} tracking events"),
    "messages": N_("chat with the seller, {n} messages"),
    "attach": N_("this screenshot shows order {order}: attach it"),
}


@dataclass(frozen=True)
class Suggestion:
    id: str
    kind: str  # refund_promise, tracking_events, messages, attach
    sha256: str  # the screenshot
    order_id: str | None
    box: tuple[int, int, int, int]  # where on the screenshot it was read (x, y, w, h)
    payload: dict = field(default_factory=dict)
    facts: tuple[TextFact, ...] = ()

    @property
    def warning(self) -> str | None:
        """What the user should check before accepting (None: nothing)."""
        if self.kind == "refund_promise" and not self.payload.get("order_in_case", True):
            return _("order {order} is not among this case's orders: check the number read", order=self.order_id)
        return None

    @property
    def title(self) -> str:
        """What it proposes, in the current language and the Belgian formats."""
        from ...fmt import day, money

        args = dict(self.payload.get("title_args", {}))
        if self.kind == "refund_promise":
            args = {**args, "amount": money(Decimal(args["amount"]), args["currency"]), "currency": "",
                    "day": day(date.fromisoformat(args["day"]))}
        return " ".join(_(TITLES[self.kind], **args).split())

    def as_dict(self) -> dict:
        return {"id": self.id, "kind": self.kind, "title": self.title, "warning": self.warning, "sha256": self.sha256,
                "order_id": self.order_id, "box": list(self.box),
                "payload": {k: v for k, v in self.payload.items() if k != "title_args"},
                "facts": [f.as_dict() for f in self.facts]}


def _id(sha: str, kind: str, key: str) -> str:
    return hashlib.sha256(f"{sha}:{kind}:{key}".encode()).hexdigest()[:16]


def _box(facts) -> Box:
    class _W:  # the union of boxes, as words
        def __init__(self, b):
            self.x, self.y, self.w, self.h = b
    return union([_W(f.box) for f in facts])


def _order(reading: Reading, ev: Evidence, orders: set[str]) -> tuple[str | None, TextFact | None]:
    """The order the screenshot is about: an id it shows that the case holds, else the one it shows,
    else the order it is attached to."""
    ids = [f for f in reading.facts if f.kind == "order_id"]
    known = [f for f in ids if f.value in orders]
    if known:
        return known[0].value, known[0]
    if ids:
        return ids[0].value, ids[0]
    return ev.order_id, None


def suggestions(reading: Reading, ev: Evidence, orders=()) -> list[Suggestion]:
    """The suggestions of one read screenshot (``orders``: the case's order ids)."""
    if reading.status != "read" or not reading.facts:
        return []
    orders = set(orders)
    sha = ev.sha256
    out: list[Suggestion] = []
    order_id, order_fact = _order(reading, ev, orders)
    facts = reading.facts
    if reading.type == "refund":
        amounts = [f for f in facts if f.kind == "amount"]
        status = next((f for f in facts if f.kind == "refund_status"), None)
        days = [f for f in facts if f.kind in ("date", "datetime")]
        if amounts and order_id and (status is None or status.value != "rejected"):
            # the refund's amount is the one nearest the refund's status (an order total may be shown too)
            amount = min(amounts, key=lambda f: abs(f.box[1] - status.box[1])) if status else amounts[0]
            day_fact = days[0] if days else None
            day = (day_fact.value[:10] if day_fact else
                   (ev.captured_at.date().isoformat() if ev.captured_at else date.today().isoformat()))
            used = tuple(f for f in (amount, order_fact, day_fact, status) if f is not None)
            payload = {"order_id": order_id, "amount": amount.value["amount"], "currency": amount.value["currency"],
                       "promised_on": day, "status": status.value if status else None,
                       "order_in_case": order_id in orders,
                       "title_args": {"amount": amount.value["amount"], "currency": amount.value["currency"],
                                      "order": order_id, "day": day}}  # formatted when shown
            out.append(Suggestion(_id(sha, "refund_promise", f"{order_id}:{amount.value['amount']}:{day}"),
                                  "refund_promise", sha, order_id, _box(used), payload, used))
    events = [f for f in facts if f.kind == "carrier_event"]
    if reading.type == "tracking" and events:
        number = next((f.value for f in facts if f.kind == "tracking_number"), None)
        payload = {"events": [f.value for f in events], "tracking_number": number, "order_id": ev.order_id,
                   "title_args": {"n": len(events)}}
        out.append(Suggestion(_id(sha, "tracking_events", str(len(events))), "tracking_events", sha, ev.order_id,
                              _box(events), payload, tuple(events)))
    messages = [f for f in facts if f.kind == "message"]
    if reading.type == "chat" and messages:
        payload = {"messages": [f.value for f in messages], "order_id": ev.order_id, "title_args": {"n": len(messages)}}
        out.append(Suggestion(_id(sha, "messages", str(len(messages))), "messages", sha, ev.order_id,
                              _box(messages), payload, tuple(messages)))
    if order_fact is not None and order_id in orders and ev.order_id != order_id:
        out.append(Suggestion(_id(sha, "attach", order_id), "attach", sha, order_id, order_fact.box,
                              {"order_id": order_id, "title_args": {"order": order_id}}, (order_fact,)))
    return out

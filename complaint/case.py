"""CaseData: everything known about one case, the input of reconcile, chronology and dossier.

A CaseData comes from the store (``Store.load_case``) or straight from files
(:func:`complaint.api.case_from_files`, for one-off CLI runs and notebooks), and is merged the same
way in both: orders by order id (items by line key), transactions by their stable id, so re-importing
the same or an overlapping file adds nothing twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date

from .calendar_be import today_brussels
from .i18n import _
from .records import (
    STATUS_LABELS,
    BankTxn,
    BuyerProfile,
    Decision,
    Event,
    Evidence,
    ImportResult,
    Issue,
    Lane,
    Order,
    OrderAnnotation,
    RefundPromise,
    match_key,
)


@dataclass
class CaseData:
    name: str = "unsaved case"
    orders: list[Order] = field(default_factory=list)
    transactions: list[BankTxn] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)  # manual and import events (derived ones are built later)
    promises: list[RefundPromise] = field(default_factory=list)
    annotations: dict[str, OrderAnnotation] = field(default_factory=dict)
    decisions: list[Decision] = field(default_factory=list)
    imports: list[ImportResult] = field(default_factory=list)  # records stripped; for rejected rows and summaries
    rejected: list[Issue] = field(default_factory=list)
    as_of: date | None = None  # a fixed "today" (sample case, --as-of)
    profile: BuyerProfile | None = None  # the buyer's details for the letters

    def today(self) -> date:
        return self.as_of or today_brussels()

    def order(self, order_id: str) -> Order | None:
        for o in self.orders:
            if o.order_id == order_id:
                return o
        return None

    def add_result(self, result: ImportResult) -> list[Event]:
        """Merge one import result; returns status-change events for orders seen again."""
        self.imports.append(replace(result, records=()))
        self.rejected.extend(result.rejected)
        if result.kind == "orders":
            self.orders, events = merge_orders(self.orders, result.records)
            self.events.extend(events)
            return events
        if result.kind == "bank":
            self.transactions = merge_transactions(self.transactions, result.records)
        return []


def merge_orders(existing: list[Order], new: Iterable[Order]) -> tuple[list[Order], list[Event]]:
    """Orders by id; items by line key; a changed status is kept (newest file wins) and reported."""
    by_id = {o.order_id: o for o in existing}
    events: list[Event] = []
    for order in new:
        old = by_id.get(order.order_id)
        if old is None:
            by_id[order.order_id] = order
            continue
        items = {i.key: i for i in old.items}
        for item in order.items:
            items[item.key] = item
        merged = replace(order, items=tuple(items.values()))
        if old.status != order.status or old.status_text != order.status_text:
            events.append(status_change_event(old, order))
        by_id[order.order_id] = merged
    return list(by_id.values()), events


def merge_transactions(existing: list[BankTxn], new: Iterable[BankTxn]) -> list[BankTxn]:
    """Transactions by stable id: the same movement from an overlapping statement is kept once."""
    by_id = {t.id: t for t in existing}
    for txn in new:
        by_id.setdefault(txn.id, txn)
    return sorted(by_id.values(), key=lambda t: (t.booking_date, t.id))


def status_change_event(old: Order, new: Order) -> Event:
    """The event of an order whose status changed between two imports."""
    on = today_brussels()
    return Event(
        id="status-" + match_key("status", (new.order_id,), (old.status_text, new.status_text, on.isoformat())),
        kind="status_changed",
        lane=Lane.ORDER.value,
        title=_("Order {order}: status {old} -> {new}", order=new.order_id,
                old=_(STATUS_LABELS[old.status]), new=_(STATUS_LABELS[new.status])),
        on=on,
        body=_("Seen in a later import: '{old}' became '{new}'.", old=old.status_text, new=new.status_text),
        order_ids=(new.order_id,),
        origin="import",
        provenance=new.provenance,
    )

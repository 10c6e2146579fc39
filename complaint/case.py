"""CaseData: everything known about one case, the input of reconcile, chronology and dossier.

A CaseData comes from the store (``Store.load_case``) or straight from files
(:func:`complaint.api.case_from_files`, for one-off CLI runs and notebooks), and is merged the same
way in both: orders by order id (items by line key), transactions by their stable id, so re-importing
the same or an overlapping file adds nothing twice.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
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
    OrderLine,
    RefundPromise,
    match_key,
)


class CaseData:
    """Everything known about one case.

    ``orders`` and ``transactions`` are lists of records.  A large file read into columns (a
    columnar ImportResult) is kept as columns until someone reads those lists: the
    reconciliation reads the columns (:meth:`order_parts`, :meth:`transaction_parts`) and builds
    records only for what its report shows, so a million statement lines never become a million
    records on the way to a report."""

    def __init__(self, name: str = "unsaved case", orders: list[Order] | None = None,
                 transactions: list[BankTxn] | None = None, evidence: list[Evidence] | None = None,
                 events: list[Event] | None = None, promises: list[RefundPromise] | None = None,
                 annotations: dict[str, OrderAnnotation] | None = None, decisions: list[Decision] | None = None,
                 imports: list[ImportResult] | None = None, rejected: list[Issue] | None = None,
                 as_of: date | None = None, profile: BuyerProfile | None = None):
        self.name = name
        self._orders: list[Order] = orders if orders is not None else []
        self._transactions: list[BankTxn] = transactions if transactions is not None else []
        self._order_parts: list = []  # OrderColumns not yet turned into records (no id overlaps)
        self._txn_parts: list = []  # BankColumns not yet merged
        self.evidence = evidence if evidence is not None else []
        self.events = events if events is not None else []  # manual and import events (derived ones are built later)
        self.promises = promises if promises is not None else []
        self.annotations = annotations if annotations is not None else {}
        self.decisions = decisions if decisions is not None else []
        self.imports = imports if imports is not None else []  # records stripped; for rejected rows and summaries
        self.rejected = rejected if rejected is not None else []
        self.as_of = as_of  # a fixed "today" (sample case, --as-of)
        self.profile = profile  # the buyer's details for the letters

    _FIELDS = ("name", "orders", "transactions", "evidence", "events", "promises", "annotations", "decisions",
               "imports", "rejected", "as_of", "profile")

    def __eq__(self, other: object) -> bool:
        """Equal when every field is (records compared one by one, as the dataclass it was did)."""
        if not isinstance(other, CaseData):
            return NotImplemented
        return all(getattr(self, f) == getattr(other, f) for f in self._FIELDS)

    __hash__ = None  # mutable, like a dataclass with eq

    def __repr__(self) -> str:
        orders, txns = self.counts()
        return f"<CaseData {self.name!r}: {orders} orders, {txns} transactions>"

    # -- orders and transactions: records, or columns until read ----------------------------------
    @property
    def orders(self) -> list[Order]:
        if self._order_parts:
            parts, self._order_parts = self._order_parts, []
            for part in parts:
                self._orders.extend(part if isinstance(part, list) else part.records())
        return self._orders

    @orders.setter
    def orders(self, value: list[Order]) -> None:
        self._orders, self._order_parts = value, []

    @property
    def transactions(self) -> list[BankTxn]:
        if self._txn_parts:
            parts, self._txn_parts = self._txn_parts, []
            new = [t for p in parts for t in (p if isinstance(p, list) else p.records())]
            self._transactions = merge_transactions(self._transactions, new)
        return self._transactions

    @transactions.setter
    def transactions(self, value: list[BankTxn]) -> None:
        self._transactions, self._txn_parts = value, []

    def has_columns(self) -> bool:
        """True while some orders or transactions are still columns (not yet records)."""
        return bool(self._order_parts or self._txn_parts)

    def order_parts(self) -> list:
        """The orders as parts, in merge order: the records (a list) first, then each columns part."""
        return ([self._orders] if self._orders else []) + list(self._order_parts)

    def transaction_parts(self) -> list:
        """The transactions as parts, in merge order (the first of two rows with one id wins)."""
        return ([self._transactions] if self._transactions else []) + list(self._txn_parts)

    def counts(self) -> tuple[int, int]:
        """(orders, transactions) without building records (transactions seen in two files once)."""
        orders = len(self._orders) + sum(len(p) for p in self._order_parts)
        if not self._txn_parts:
            return orders, len(self._transactions)
        if len(self._txn_parts) == 1 and not self._transactions:
            return orders, len(self._txn_parts[0])
        import pyarrow as pa
        import pyarrow.compute as pc

        ids = pa.chunked_array([_ids(self._transactions)] + [_ids(p) for p in self._txn_parts])
        return orders, len(pc.unique(ids))

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
        columns = getattr(result.records, "columns", None)  # a columnar import's columns
        if result.kind == "orders":
            if columns is None and not self._order_parts:
                self.orders, events = merge_orders(self.orders, result.records)  # a buyer's case: records only
                self.events.extend(events)
                return events
            part = columns if columns is not None else list(result.records)
            if not self._overlaps(part):
                self._order_parts.append(part)
                return []
            self.orders, events = merge_orders(self.orders, result.records)
            self.events.extend(events)
            return events
        if result.kind == "bank":
            if columns is None and not self._txn_parts:
                self.transactions = merge_transactions(self.transactions, result.records)
            else:
                self._txn_parts.append(columns if columns is not None else list(result.records))
        return []

    def add_columns(self, columns) -> None:
        """Add a part kept as columns (a stored case's block) whose ids the case does not have."""
        (self._order_parts if columns.kind == "orders" else self._txn_parts).append(columns)

    def _overlaps(self, part) -> bool:
        """Whether an order of ``part`` is already in the case (then the records are merged)."""
        import pyarrow as pa
        import pyarrow.compute as pc

        known = [_ids(self._orders)] + [_ids(p) for p in self._order_parts]
        if not any(len(k) for k in known):
            return False
        return bool(pc.any(pc.is_in(_ids(part), value_set=pa.concat_arrays(known))).as_py())


def _ids(part):
    """The ids (order ids or transaction ids) of a part: a list of records or columns."""
    import pyarrow as pa

    if isinstance(part, list):
        return pa.array([r.order_id if isinstance(r, Order) else r.id for r in part], pa.string())
    return part.ids()


def merge_orders(existing: list[Order], new: Iterable[Order]) -> tuple[list[Order], list[Event]]:
    """Orders by id; items by line key; a changed status is kept (newest file wins) and reported.

    Two exporters key the items of one order differently (a SKU id, a product link, the title,
    ``first``), so an item of another importer whose key is new replaces the existing item it is
    the same as (:func:`same_item`) instead of being added next to it: an order seen in two exports
    holds each item once.
    """
    by_id = {o.order_id: o for o in existing}
    events: list[Event] = []
    for order in new:
        old = by_id.get(order.order_id)
        if old is None:
            by_id[order.order_id] = order
            continue
        merged = replace(order, items=merge_items(old.items, order.items))
        if old.status != order.status or old.status_text != order.status_text:
            events.append(status_change_event(old, order))
        by_id[order.order_id] = merged
    return list(by_id.values()), events


def merge_items(old: Iterable[OrderLine], new: Iterable[OrderLine]) -> tuple[OrderLine, ...]:
    """The items of one order seen in two files: same key replaced, the same item under another
    importer's key replaced, the rest added."""
    items = {i.key: i for i in old}
    claimed: set[str] = set()
    for item in new:
        if item.key in items:
            items[item.key] = item
            claimed.add(item.key)
            continue
        twin = next((k for k, i in items.items() if k not in claimed and _importer(i) != _importer(item)
                     and same_item(i, item)), None)
        if twin is not None:
            del items[twin]
        items[item.key] = item
        claimed.add(item.key)
    return tuple(items.values())


def _importer(line: OrderLine) -> str | None:
    return line.provenance.importer if line.provenance else None


def _product(line: OrderLine) -> str | None:
    if line.product_id:
        return line.product_id
    m = re.search(r"/item/(?:[^/]*/)?(\d{6,})\.html", line.product_url or "")
    return m[1] if m else None


def _folded(text: str | None) -> str:
    return " ".join((text or "").casefold().split())


def same_item(a: OrderLine, b: OrderLine) -> bool:
    """Whether two lines of one order, from two exporters, are the same item: the same product
    (and the same SKU or attributes when both files give them), else the same title."""
    pa, pb = _product(a), _product(b)
    if pa and pb:
        if pa != pb:
            return False
        if a.sku and b.sku:
            return a.sku == b.sku
        if a.attributes and b.attributes:
            return _folded(a.attributes) == _folded(b.attributes)
        return True
    return bool(_folded(a.title)) and _folded(a.title) == _folded(b.title)


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

"""Imported records as columns: :class:`BankColumns` (one row per BankTxn), :class:`OrderColumns`
(one row per Order, plus its lines), and :class:`LazyRecords`, the ``records`` of a columnar
ImportResult.

Every field of the record has a column; Decimals are kept as their exact text (``"-12.50"``),
so a record built from a row is equal to the one the record path builds (the tests compare
them with ``==``).  The provenance (file, SHA-256, importer, line, locator) is five columns.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from decimal import Decimal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ...records import BankTxn, Order, OrderLine, OrderStatus, Provenance

_PROV = [("source_name", pa.string()), ("source_sha256", pa.string()), ("importer", pa.string()),
         ("line_no", pa.int64()), ("locator", pa.string())]

BANK_SCHEMA = pa.schema([
    ("id", pa.string()), ("booking_date", pa.date32()), ("amount", pa.string()), ("currency", pa.string()),
    ("value_date", pa.date32()), ("account", pa.string()), ("counterparty", pa.string()),
    ("counterparty_account", pa.string()), ("description", pa.string()), ("communication", pa.string()),
    ("bank_reference", pa.string()), ("original_amount", pa.string()), ("original_currency", pa.string()),
    ("fx_rate", pa.string()), ("card_masked", pa.string()), ("merchant", pa.string()),
    ("merchant_rule", pa.string()), ("payment_method", pa.string()), ("related_id", pa.string()),
    ("duplicate_of", pa.string()), *_PROV])

ORDER_SCHEMA = pa.schema([
    ("order_id", pa.string()), ("order_date", pa.date32()), ("status", pa.string()), ("status_text", pa.string()),
    ("currency", pa.string()), ("total", pa.string()), ("store", pa.string()), ("order_time", pa.string()),
    ("tz_source", pa.string()), ("shipping", pa.string()), ("paid_amount", pa.string()),
    ("store_url", pa.string()), ("tracking_number", pa.string()), ("tracking_status", pa.string()),
    ("refund_expected", pa.bool_()), ("refund_reason", pa.string()), ("refund_amount", pa.string()),
    ("end_reason", pa.string()), ("parent_order_id", pa.string()), *_PROV])

LINE_SCHEMA = pa.schema([
    ("order_index", pa.int64()), ("order_id", pa.string()), ("title", pa.string()), ("quantity", pa.int64()),
    ("unit_price", pa.string()), ("currency", pa.string()), ("line_id", pa.string()), ("product_id", pa.string()),
    ("sku", pa.string()), ("attributes", pa.string()), ("product_url", pa.string()), *_PROV])

_DECIMALS = {"amount", "original_amount", "fx_rate", "total", "shipping", "paid_amount", "refund_amount",
             "unit_price"}


def _dec(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def _provenance(row: dict) -> Provenance | None:
    if row["source_name"] is None:
        return None
    return Provenance(row["source_name"], row["source_sha256"] or "", row["importer"] or "", row["line_no"],
                      row["locator"])


def _conform(table: pa.Table, schema: pa.Schema, keep: Sequence[str] = ()) -> pa.Table:
    """``table`` with the columns of ``schema`` (missing ones null; text kept dictionary-encoded
    where it is), plus the columns named in ``keep``."""
    cols, fields_ = [], []
    for f in schema:
        col = table.column(f.name) if f.name in table.column_names else pa.nulls(table.num_rows, f.type)
        if col.type != f.type and not (pa.types.is_dictionary(col.type) and col.type.value_type == f.type):
            col = col.cast(f.type)
        cols.append(col)
        fields_.append(pa.field(f.name, col.type))
    for name in keep:
        cols.append(table.column(name))
        fields_.append(pa.field(name, table.column(name).type))
    return pa.table(cols, schema=pa.schema(fields_))


@dataclass(frozen=True)
class IdRecipe:
    """How the ids of a columnar import are made, when they are made on demand:
    ``ref_txn_id(family, account, reference)`` for rows with a unique bank reference, else
    ``stable_txn_id(family, *content, occurrence=rank)``; the table keeps ``_id_rank`` (the
    occurrence) and ``_id_amount`` (the amount as parsed, where it differs from ``amount``)."""

    family: str
    ref_is_unique: bool = True


_HIDDEN = ("_id_amount", "_id_rank")


@dataclass(frozen=True)
class BankColumns:
    """Bank transactions as one arrow table (``BANK_SCHEMA``).

    With a ``recipe``, the ``id`` column is made on demand (a SHA-256 per row): the
    reconciliation of a file asks only for the rows that can match, a store for every row."""

    table: pa.Table
    recipe: IdRecipe | None = None
    _cache: dict = field(default_factory=dict, compare=False, repr=False)
    kind = "bank"

    def __post_init__(self) -> None:
        object.__setattr__(self, "table", _conform(self.table, BANK_SCHEMA, keep=_HIDDEN if self.recipe else ()))

    def __len__(self) -> int:
        return self.table.num_rows

    def ids(self, rows=None) -> pa.Array:
        """The ids of ``rows`` (all by default)."""
        if self.recipe is None:
            col = self.table.column("id").combine_chunks()
            return col if rows is None else col.take(pa.array(np.asarray(rows, dtype=np.int64)))
        full = self._cache.get("ids")
        if full is None and rows is None:
            full = self._cache["ids"] = make_ids(self.table, self.recipe)
        if full is not None:
            return full if rows is None else full.take(pa.array(np.asarray(rows, dtype=np.int64)))
        return make_ids(self.table.take(pa.array(np.asarray(rows, dtype=np.int64))), self.recipe)

    def resolved(self) -> BankColumns:
        """The same rows with every id made (and the recipe's columns gone): what a store keeps."""
        if self.recipe is None:
            return self
        t = self.table.drop_columns(list(_HIDDEN)).set_column(0, "id", self.ids())
        return BankColumns(t)

    def records(self, rows: Sequence[int] | np.ndarray | None = None) -> list[BankTxn]:
        """The BankTxn records of ``rows`` (all by default), in that order."""
        sel = None if rows is None else pa.array(np.asarray(rows, dtype=np.int64))
        t = self.table if sel is None else self.table.take(sel)
        ids = self.ids(rows).to_pylist() if self.recipe is not None else t.column("id").to_pylist()
        out = []
        for r, txn_id in zip(t.drop_columns([c for c in _HIDDEN if c in t.column_names]).to_pylist(), ids,
                             strict=True):
            out.append(BankTxn(
                id=txn_id, booking_date=r["booking_date"], amount=Decimal(r["amount"]), currency=r["currency"],
                value_date=r["value_date"], account=r["account"], counterparty=r["counterparty"],
                counterparty_account=r["counterparty_account"], description=r["description"],
                communication=r["communication"], bank_reference=r["bank_reference"],
                original_amount=_dec(r["original_amount"]), original_currency=r["original_currency"],
                fx_rate=_dec(r["fx_rate"]), card_masked=r["card_masked"], merchant=r["merchant"],
                merchant_rule=r["merchant_rule"], payment_method=r["payment_method"], related_id=r["related_id"],
                duplicate_of=r["duplicate_of"], provenance=_provenance(r)))
        return out

    def take(self, rows) -> BankColumns:
        """The rows ``rows`` (ids still made as they would be in the whole file)."""
        return BankColumns(self.table.take(pa.array(np.asarray(rows, dtype=np.int64))), self.recipe)

    @classmethod
    def from_records(cls, txns: Sequence[BankTxn]) -> BankColumns:
        return cls(pa.Table.from_pylist([_flat(t) for t in txns], schema=BANK_SCHEMA))

    @classmethod
    def concat(cls, parts: Sequence[BankColumns]) -> BankColumns:
        return cls(pa.concat_tables([p.resolved().table for p in parts]).combine_chunks())


def make_ids(t: pa.Table, recipe: IdRecipe) -> pa.Array:
    """The ids of the rows of ``t`` (made with ``recipe``): exactly ``ref_txn_id`` and
    ``stable_txn_id`` as the record path calls them."""
    import hashlib

    n = t.num_rows
    sep = "\x1f"

    def text(name: str) -> pa.Array:
        col = t.column(name).combine_chunks()
        if not pa.types.is_string(col.type):
            col = col.cast(pa.string())
        return pc.fill_null(col, "")

    ref = text("bank_reference")
    rank = t.column("_id_rank").combine_chunks().cast(pa.string())
    account = text("account")
    use_ref = np.asarray(pc.not_equal(ref, "").to_numpy(zero_copy_only=False), dtype=bool) if recipe.ref_is_unique \
        else np.zeros(n, dtype=bool)
    out = np.empty(n, dtype=object)
    sha = hashlib.sha256
    if use_ref.any():
        rows = pa.array(np.flatnonzero(use_ref))
        r_rank = rank.take(rows)
        key = pc.if_else(pc.equal(r_rank, "0"), ref.take(rows), pc.binary_join_element_wise(ref.take(rows), r_rank, "#"))
        fam = pa.array([recipe.family] * len(rows), pa.string())
        raw = pc.binary_join_element_wise(fam, account.take(rows), key, sep).cast(pa.binary()).to_pylist()
        out[use_ref] = ["r" + sha(b).hexdigest()[:24] for b in raw]
    if not use_ref.all():
        rows = pa.array(np.flatnonzero(~use_ref))
        amount = pc.if_else(pc.is_valid(t.column("_id_amount").combine_chunks()),
                            t.column("_id_amount").combine_chunks(), t.column("amount").combine_chunks())
        parts = [account, text("booking_date"), text("value_date"), pc.fill_null(amount, ""), text("currency"),
                 text("description"), text("communication"), text("counterparty"), ref, rank]
        fam = pa.array([recipe.family] * len(rows), pa.string())
        raw = pc.binary_join_element_wise(fam, *[p.take(rows) for p in parts], sep).cast(pa.binary()).to_pylist()
        out[~use_ref] = ["h" + sha(b).hexdigest()[:24] for b in raw]
    return pa.array(out, pa.string())


@dataclass(frozen=True)
class OrderColumns:
    """Orders as one arrow table (``ORDER_SCHEMA``) and their lines (``LINE_SCHEMA``, ``order_index``
    the row of the order, lines in order)."""

    table: pa.Table
    lines: pa.Table
    kind = "orders"

    def __post_init__(self) -> None:
        object.__setattr__(self, "table", _conform(self.table, ORDER_SCHEMA))
        object.__setattr__(self, "lines", _conform(self.lines, LINE_SCHEMA))

    def __len__(self) -> int:
        return self.table.num_rows

    def records(self, rows: Sequence[int] | np.ndarray | None = None) -> list[Order]:
        """The Order records of ``rows`` (all by default), each with its lines."""
        rows = np.arange(len(self), dtype=np.int64) if rows is None else np.asarray(rows, dtype=np.int64)
        orders = self.table.take(pa.array(rows)).to_pylist()
        owner = self.lines.column("order_index").to_numpy()
        wanted = np.isin(owner, rows)
        line_rows = np.flatnonzero(wanted)
        items: dict[int, list[OrderLine]] = {}
        for r in self.lines.take(pa.array(line_rows)).to_pylist():
            items.setdefault(r["order_index"], []).append(OrderLine(
                order_id=r["order_id"], title=r["title"], quantity=r["quantity"], unit_price=_dec(r["unit_price"]),
                currency=r["currency"], line_id=r["line_id"], product_id=r["product_id"], sku=r["sku"],
                attributes=r["attributes"], product_url=r["product_url"], provenance=_provenance(r)))
        out = []
        for i, r in zip(rows.tolist(), orders, strict=True):
            out.append(Order(
                order_id=r["order_id"], order_date=r["order_date"], status=OrderStatus(r["status"]),
                status_text=r["status_text"], currency=r["currency"], total=_dec(r["total"]), store=r["store"],
                items=tuple(items.get(i, ())),
                order_time=None if r["order_time"] is None else datetime.fromisoformat(r["order_time"]),
                tz_source=r["tz_source"], shipping=_dec(r["shipping"]), paid_amount=_dec(r["paid_amount"]),
                store_url=r["store_url"], tracking_number=r["tracking_number"], tracking_status=r["tracking_status"],
                refund_expected=bool(r["refund_expected"]), refund_reason=r["refund_reason"],
                refund_amount=_dec(r["refund_amount"]), end_reason=r["end_reason"],
                parent_order_id=r["parent_order_id"], provenance=_provenance(r)))
        return out

    def take(self, rows) -> OrderColumns:
        """The orders of ``rows`` with their lines (renumbered)."""
        rows = np.asarray(rows, dtype=np.int64)
        new_of = np.full(max(len(self), 1), -1, dtype=np.int64)
        new_of[rows] = np.arange(len(rows), dtype=np.int64)
        owner = self.lines.column("order_index").to_numpy()
        keep = np.flatnonzero(new_of[owner] >= 0) if len(owner) else np.zeros(0, dtype=np.int64)
        lines = self.lines.take(pa.array(keep))
        # lines stay grouped by order in the new order of ``rows``
        new_owner = new_of[owner[keep]]
        order = np.argsort(new_owner, kind="stable")
        lines = lines.take(pa.array(order)).set_column(0, "order_index", pa.array(new_owner[order]))
        return OrderColumns(self.table.take(pa.array(rows)), lines)

    def ids(self) -> pa.Array:
        return self.table.column("order_id").combine_chunks()

    @classmethod
    def from_records(cls, orders: Sequence[Order]) -> OrderColumns:
        rows, lines = [], []
        for i, o in enumerate(orders):
            rows.append(_flat(o))
            for item in o.items:
                lines.append({"order_index": i, **_flat(item)})
        return cls(pa.Table.from_pylist(rows, schema=ORDER_SCHEMA), pa.Table.from_pylist(lines, schema=LINE_SCHEMA))

    @classmethod
    def concat(cls, parts: Sequence[OrderColumns]) -> OrderColumns:
        tables, lines, offset = [], [], 0
        for p in parts:
            tables.append(p.table)
            owner = pc.add(p.lines.column("order_index"), offset)
            lines.append(p.lines.set_column(0, "order_index", owner))
            offset += len(p)
        return cls(pa.concat_tables(tables).combine_chunks(), pa.concat_tables(lines).combine_chunks())


def _flat(record) -> dict:
    """A record's fields as column values (Decimals as text, the provenance spread out)."""
    out = {}
    for f in fields(record):
        if f.name == "items":
            continue
        v = getattr(record, f.name)
        if f.name == "provenance":
            p = v
            out.update(source_name=p.source_name if p else None, source_sha256=p.source_sha256 if p else None,
                       importer=p.importer if p else None, line_no=p.line_no if p else None,
                       locator=p.locator if p else None)
        elif isinstance(v, Decimal):
            out[f.name] = str(v)
        elif isinstance(v, OrderStatus):
            out[f.name] = v.value
        elif isinstance(v, datetime):
            out[f.name] = v.isoformat()
        elif isinstance(v, date):
            out[f.name] = v
        else:
            out[f.name] = v
    return out


class LazyRecords(Sequence):
    """The records of a columnar import: a sequence whose length is known without building a
    record, and whose records are built (once, then kept) only when someone reads them."""

    __slots__ = ("columns", "_built")

    def __init__(self, columns: BankColumns | OrderColumns):
        self.columns = columns
        self._built: list | None = None

    def _all(self) -> list:
        if self._built is None:
            self._built = self.columns.records()
        return self._built

    def __len__(self) -> int:
        return len(self.columns)

    def __getitem__(self, i):
        if self._built is None and isinstance(i, int):
            n = len(self)
            if not -n <= i < n:
                raise IndexError(i)
            return self.columns.records([i % n])[0]
        return self._all()[i]

    def __iter__(self) -> Iterator:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LazyRecords):
            return self._all() == other._all()
        if isinstance(other, tuple | list):
            return tuple(self._all()) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:  # records are compared by value, like the tuple they stand for
        return hash(tuple(self._all()))

    def __bool__(self) -> bool:
        return len(self) > 0

    def __repr__(self) -> str:
        return f"<{len(self)} {self.columns.kind} records in columns>"


def columns_of(records) -> BankColumns | OrderColumns | None:
    """The columns behind an ImportResult's ``records``, or None for a tuple of records."""
    return records.columns if isinstance(records, LazyRecords) else None

"""Writing one import result into a case, in bulk, inside the store's transaction.

Transactions: the ids the case does not have yet are added (the first file to bring a movement
keeps it), in one ``executemany`` (records) or one block (a columnar import).  Orders: new orders
are added the same way; an order the case already has is merged (items by line key, the newer
status kept and reported as an event) and written as one JSON row, which overrides a block row.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

import pyarrow as pa
import pyarrow.compute as pc

from ..case import merge_orders
from ..importers.columnar.tables import BankColumns, OrderColumns
from ..records import BankTxn, ImportResult, Order
from ..serialize import dumps, from_dict
from . import blocks
from .dialect import Db, insert, upsert

_CHUNK = 500  # ids per "IN (...)" look-up


def add_result(c: Db, case_id: int, result: ImportResult, summary) -> None:
    """Add the records of ``result`` (records or columns) to the case; counts go to ``summary``."""
    columns = getattr(result.records, "columns", None)
    if result.kind == "bank":
        if columns is not None:
            _add_txn_columns(c, case_id, result.sha256, columns, summary)
        else:
            _add_txns(c, case_id, list(result.records), summary)
    else:
        if columns is not None:
            _add_order_columns(c, case_id, result.sha256, columns, summary)
        else:
            add_orders(c, case_id, list(result.records), summary)
    rejected = [(case_id, result.sha256, seq, dumps(iss)) for seq, iss in enumerate(result.rejected)]
    if rejected:
        c.executemany("INSERT INTO rejected_rows (case_id, file_sha256, seq, payload) VALUES (?, ?, ?, ?)", rejected)


def _known(c: Db, case_id: int, table: str, key: str, wanted: Sequence[str]) -> set[str]:
    """Which of ``wanted`` the JSON table ``table`` of the case holds (a large import asks once for
    every key of the table: the table holds the few records typed by hand or read by the record path)."""
    if len(wanted) > 20 * _CHUNK:
        have = {r[0] for r in c.execute(f"SELECT {key} FROM {table} WHERE case_id = ?", (case_id,)).fetchall()}  # noqa: S608
        return have.intersection(wanted)
    found: set[str] = set()
    for i in range(0, len(wanted), _CHUNK):
        part = list(wanted[i:i + _CHUNK])
        marks = ", ".join("?" * len(part))
        found.update(r[0] for r in c.execute(f"SELECT {key} FROM {table} WHERE case_id = ? AND {key} IN ({marks})",  # noqa: S608
                                             (case_id, *part)).fetchall())
    return found


def _in_blocks(c: Db, case_id: int, kind: str, wanted: pa.Array) -> pa.Array:
    """A bool per ``wanted`` id: already in a block of the case."""
    kept = blocks.ids(c, case_id, kind)
    if not len(kept):
        return pa.array([False] * len(wanted), pa.bool_())
    return pc.fill_null(pc.is_in(wanted, value_set=kept), False)


# -- transactions -------------------------------------------------------------------------------------

def _add_txns(c: Db, case_id: int, txns: list[BankTxn], summary) -> None:
    ids = [t.id for t in txns]
    known = _known(c, case_id, "transactions", "txn_id", ids)
    in_blocks = _in_blocks(c, case_id, "bank", pa.array(ids, pa.string())).to_pylist()
    rows, seen = [], set()
    for t, old in zip(txns, in_blocks, strict=True):
        if t.id in known or old or t.id in seen:
            summary.unchanged += 1
            continue
        seen.add(t.id)
        rows.append((case_id, t.id, t.booking_date.isoformat(), dumps(t)))
    if rows:
        c.executemany(insert("transactions", ("case_id", "txn_id", "booking_date", "payload")), rows)
    summary.added += len(rows)


def _add_txn_columns(c: Db, case_id: int, sha: str, columns: BankColumns, summary) -> None:
    columns = columns.resolved()
    ids = columns.ids()
    old = pc.or_(_in_blocks(c, case_id, "bank", ids),
                 pc.is_in(ids, value_set=pa.array(sorted(_known(c, case_id, "transactions", "txn_id",
                                                                ids.to_pylist())), pa.string())))
    new = [i for i, o in enumerate(pc.fill_null(old, False).to_pylist()) if not o]
    summary.added += len(new)
    summary.unchanged += len(columns) - len(new)
    if new:
        blocks.write(c, case_id, sha, columns if len(new) == len(columns) else columns.take(new))


# -- orders ---------------------------------------------------------------------------------------------

def existing_orders(c: Db, case_id: int, order_ids: Sequence[str]) -> dict[str, Order]:
    """The case's orders with these ids: JSON rows, else block rows."""
    out: dict[str, Order] = {}
    for i in range(0, len(order_ids), _CHUNK):
        part = list(order_ids[i:i + _CHUNK])
        marks = ", ".join("?" * len(part))
        for oid, payload in c.execute(f"SELECT order_id, payload FROM orders WHERE case_id = ? AND order_id IN "  # noqa: S608
                                      f"({marks})", (case_id, *part)).fetchall():
            out[oid] = from_dict(Order, json.loads(payload))
    missing = sorted(set(order_ids) - set(out))
    if missing:
        value_set = pa.array(missing, pa.string())
        for part in blocks.parts(c, case_id, "orders"):
            hit = pc.is_in(part.ids(), value_set=value_set).to_pylist()
            rows = [i for i, h in enumerate(hit) if h]
            for order in part.records(rows) if rows else []:
                out.setdefault(order.order_id, order)
    return out


def add_orders(c: Db, case_id: int, orders: Iterable[Order], summary) -> None:
    """New orders inserted, known ones merged (a changed status becomes an event)."""
    orders = list(orders)
    have = existing_orders(c, case_id, [o.order_id for o in orders])
    inserts, updates, events = [], [], []
    for order in orders:
        old = have.get(order.order_id)
        if old is None:
            inserts.append((case_id, order.order_id, dumps(order)))
            have[order.order_id] = order
            summary.added += 1
            continue
        (merged,), new_events = merge_orders([old], [order])
        if merged == old:
            summary.unchanged += 1
            continue
        updates.append((case_id, order.order_id, dumps(merged)))
        have[order.order_id] = merged
        summary.updated += 1
        events.extend(new_events)
    if inserts:
        c.executemany(insert("orders", ("case_id", "order_id", "payload")), inserts)
    if updates:
        c.executemany(upsert("orders", ("case_id", "order_id", "payload"), ("case_id", "order_id")), updates)
    for event in events:
        c.execute(upsert("events", ("case_id", "event_id", "payload"), ("case_id", "event_id")),
                  (case_id, event.id, dumps(event)))
        summary.events.append(event)


def _add_order_columns(c: Db, case_id: int, sha: str, columns: OrderColumns, summary) -> None:
    ids = columns.ids()
    old = pc.or_(_in_blocks(c, case_id, "orders", ids),
                 pc.is_in(ids, value_set=pa.array(sorted(_known(c, case_id, "orders", "order_id", ids.to_pylist())),
                                                  pa.string())))
    flags = pc.fill_null(old, False).to_pylist()
    new = [i for i, o in enumerate(flags) if not o]
    seen = [i for i, o in enumerate(flags) if o]
    if new:
        blocks.write(c, case_id, sha, columns if len(new) == len(columns) else columns.take(new))
        summary.added += len(new)
    if seen:
        add_orders(c, case_id, columns.records(seen), summary)

"""Columnar imports kept as blocks: a large file's transactions (or orders and their lines) as one
arrow table in one row of ``record_blocks`` (an Arrow IPC stream, zstd-compressed).

A block is written in bulk, in the import's transaction, and read back as columns: a stored case of
a million statement lines reconciles without a million JSON documents.  The rows of a block are
records like those of the ``orders`` and ``transactions`` tables: a block holds only ids that were
new when it was written, and a row of those tables (a hand-entered order, an order merged on a
later import) overrides a block row with the same id.  Every reader of the store (loading a case,
exporting it, ``raw_table``) sees the union.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.ipc as ipc

from ..importers.columnar.tables import BankColumns, OrderColumns
from .dialect import Db, insert

FORMAT = "arrow-ipc-zstd/1"
KINDS = {"bank": ("transactions",), "orders": ("orders", "order_lines")}
ID_COLUMN = {"transactions": "id", "orders": "order_id"}


def pack(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    with ipc.new_stream(sink, table.schema, options=ipc.IpcWriteOptions(compression="zstd")) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def unpack(data) -> pa.Table:
    return ipc.open_stream(pa.py_buffer(bytes(data))).read_all()


def write(c: Db, case_id: int, file_sha256: str, columns: BankColumns | OrderColumns) -> None:
    """Keep ``columns`` (every id made) as the blocks of one imported file."""
    if isinstance(columns, BankColumns):
        parts = [("transactions", columns.resolved().table)]
    else:
        parts = [("orders", columns.table), ("order_lines", columns.lines)]
    for kind, table in parts:
        c.execute(insert("record_blocks", ("case_id", "file_sha256", "kind", "rows", "format", "data")),
                  (case_id, file_sha256, kind, table.num_rows, FORMAT, pack(table)))


def read(c: Db, case_id: int, kinds: tuple[str, ...] = ("transactions", "orders", "order_lines")
         ) -> list[tuple[str, str, pa.Table]]:
    """(file, kind, table) of the case's blocks of ``kinds``, in the order they were written."""
    marks = ", ".join("?" * len(kinds))
    rows = c.execute(f"SELECT file_sha256, kind, data FROM record_blocks WHERE case_id = ? AND kind IN ({marks}) "  # noqa: S608
                     "ORDER BY rowid", (case_id, *kinds)).fetchall()
    return [(sha, kind, unpack(data)) for sha, kind, data in rows]


def parts(c: Db, case_id: int, kind: str) -> list[BankColumns | OrderColumns]:
    """The case's blocks of ``kind`` ("bank" or "orders") as columns, one part per file."""
    blocks = read(c, case_id, KINDS[kind])
    if kind == "bank":
        return [BankColumns(t) for _sha, _k, t in blocks]
    lines = {sha: t for sha, k, t in blocks if k == "order_lines"}
    return [OrderColumns(t, lines[sha]) for sha, k, t in blocks if k == "orders"]


def ids(c: Db, case_id: int, kind: str) -> pa.Array:
    """Every id kept in the case's blocks of ``kind`` ("bank" or "orders")."""
    table_kind = KINDS[kind][0]
    got = [t.column(ID_COLUMN[table_kind]).combine_chunks() for _s, _k, t in read(c, case_id, (table_kind,))]
    return pa.concat_arrays(got) if got else pa.array([], pa.string())


def without(part: BankColumns | OrderColumns, drop: set[str]) -> BankColumns | OrderColumns | None:
    """``part`` without the rows whose id is in ``drop`` (None when nothing is left)."""
    if not drop:
        return part
    keep = pc.invert(pc.is_in(part.ids(), value_set=pa.array(sorted(drop), pa.string())))
    rows = [i for i, k in enumerate(keep.to_pylist()) if k]
    if not rows:
        return None
    return part if len(rows) == len(part) else part.take(rows)


def delete_ids(c: Db, case_id: int, kind: str, drop: set[str]) -> bool:
    """Remove the rows with an id in ``drop`` from the case's blocks of ``kind``; True if any was there."""
    changed = False
    table_kind = KINDS[kind][0]
    for sha, _k, t in read(c, case_id, (table_kind,)):
        hit = pc.is_in(t.column(ID_COLUMN[table_kind]), value_set=pa.array(sorted(drop), pa.string()))
        if not pc.any(hit).as_py():
            continue
        changed = True
        part = parts_of_file(c, case_id, kind, sha)
        rest = without(part, drop)
        c.execute("DELETE FROM record_blocks WHERE case_id = ? AND file_sha256 = ?", (case_id, sha))
        if rest is not None:
            write(c, case_id, sha, rest)
    return changed


def parts_of_file(c: Db, case_id: int, kind: str, sha: str) -> BankColumns | OrderColumns:
    rows = c.execute("SELECT kind, data FROM record_blocks WHERE case_id = ? AND file_sha256 = ?",
                     (case_id, sha)).fetchall()
    tables = {k: unpack(d) for k, d in rows}
    if kind == "bank":
        return BankColumns(tables["transactions"])
    return OrderColumns(tables["orders"], tables["order_lines"])

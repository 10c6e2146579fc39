"""The Shopper Inventory CSV (one row per order line), a column at a time.

The columnar twin of :func:`complaint.importers.orders.shopper_inventory.build` and of
:class:`~complaint.importers.orders.common.OrderAssembler`: the same checks in the same order (order
id, date, quantity, price: the first that fails rejects the row with that field), the same
remarks in the same order, lines grouped into orders by first appearance, line keys made unique
with ``#2``, ``#3``, and the order total as the sum of price x quantity.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ...i18n import N_, _
from ...records import ImportResult, Issue, issue
from ..orders import common as _orders
from ..orders.status import classify
from ..textio import Source
from ..values import ValueParseError, currency_in, parse_date
from . import cells
from .readcsv import RawTable
from .tables import LazyRecords, OrderColumns

_PRICE_SIGN = "^(?:€|US \\$)"  # the signs _SIGN_RE removes from a displayed price, at its start
_PRICE_SUFFIX = "zł$"


def extract_shopper_csv(source: Source, importer: str, raw: RawTable, idx: dict[str, int], unit_price) -> ImportResult:
    """``ShopperInventoryCsvImporter.extract`` of a file read into columns (``unit_price``: the
    importer's reading of ``Price`` and ``Price Info``)."""
    n = raw.n_rows
    lines = raw.line_no.tolist()

    def col(name: str) -> pa.Array:
        i = idx.get(name.lower())
        return cells.plain(raw.columns[i]) if i is not None else pa.array([""] * n, pa.string())

    order_raw, date_raw, qty_raw, price_raw, info_raw = (col(c) for c in ("Order ID", "Order Date", "Qty", "Price",
                                                                          "Price Info"))
    error: dict[int, Issue] = {}

    def reject(rows, field: str, values: list, errors: list) -> None:
        for r in rows:
            if r not in error:
                error[r] = issue(source.name, lines[r], N_("{error}"), field=field, value=values[r], column=field,
                                 error=errors[r])

    order_id = _checked(order_raw, _clean_id, cells.matches(order_raw, "^[0-9]{6,24}$"), "Order ID",
                        order_raw.to_pylist(), reject)
    day = _checked(date_raw, _iso_date, np.zeros(n, dtype=bool), "Order Date", [""] * n, reject, pa.date32())
    qty = _checked(qty_raw, lambda s: _orders.quantity(s, default=None), cells.matches(qty_raw, "^[1-9][0-9]{0,8}$"),
                   "Qty", qty_raw.to_pylist(), reject, pa.int64())
    price = _prices(price_raw, info_raw, unit_price, reject)
    ok = np.ones(n, dtype=bool)
    ok[list(error)] = False
    rows = np.flatnonzero(ok)
    asm = _assemble(source, importer, raw, idx, rows, order_id, day, qty, price, price_raw, info_raw, lines)
    rejected = tuple(error[r] for r in sorted(error))
    return ImportResult(file=source.name, importer=importer, kind="orders", sha256=source.sha256,
                        records=LazyRecords(asm[0]), rejected=rejected, warnings=tuple(asm[1]), rows_total=n,
                        rows_imported=len(rows))


def _clean_id(text: str) -> str:
    return _orders.clean_order_id(text)


def _iso_date(text: str):
    """The CSV's one date (ISO, computed in UTC by the extension): ``_order_date`` with no displayed date."""
    day = parse_date(text) if text.strip() else None
    if day is None:
        raise ValueParseError(_("the order date is empty"))
    return day


def _checked(raw: pa.Array, fn, fast: np.ndarray, field: str, values: list, reject, out_type=pa.string()):
    """``fn`` of each cell, once per distinct text (``fast`` rows: the cell itself, cast to
    ``out_type``); a cell ``fn`` refuses rejects its row with ``field`` and the value ``values[row]``."""
    n = len(raw)
    out = pa.nulls(n, out_type)
    if fast.any():
        rows = np.flatnonzero(fast)
        got = raw.take(pa.array(rows))
        out = cells.replace_rows(out, rows, got.cast(out_type) if out_type != pa.string() else got)
    slow = np.flatnonzero(~fast)
    if not len(slow):
        return out
    uniq, pos = cells.distinct(raw.take(pa.array(slow)))
    results, errs = [], {}
    for k, v in enumerate(uniq):
        try:
            results.append(None if v is None else fn(v))
        except ValueParseError as exc:
            results.append(None)
            errs[k] = exc
    out = cells.replace_rows(out, slow, pa.array(results, out_type).take(pa.array(pos)))
    if errs:
        hit = np.flatnonzero(np.isin(pos, list(errs)))
        reject([int(slow[j]) for j in hit.tolist()], field, values,
               {int(slow[j]): errs[int(pos[j])] for j in hit.tolist()})
    return out


def _prices(price_raw: pa.Array, info_raw: pa.Array, unit_price, reject) -> pa.Array:
    """``unit_price(Price, Price Info)`` as decimal text (null: no price)."""
    n = len(price_raw)
    body = pc.replace_substring_regex(pc.replace_substring_regex(price_raw, _PRICE_SIGN, ""), _PRICE_SUFFIX, "")
    fast, text = cells.fast_decimals(body, None)
    fast &= cells.matches(price_raw, "^(?:€|US \\$)?[0-9+-][0-9.,]*(?:zł)?$")
    empty_price = np.asarray(pc.equal(cells.strip(price_raw), "").to_numpy(zero_copy_only=False), dtype=bool)
    no_info = np.asarray(pc.equal(cells.strip(info_raw), "").to_numpy(zero_copy_only=False), dtype=bool)
    out = pc.if_else(pa.array(fast), text, pa.scalar(None, pa.string()))
    slow = np.flatnonzero(~fast & ~(empty_price & no_info))
    if not len(slow):
        return out
    pairs = pc.binary_join_element_wise(price_raw.take(pa.array(slow)), info_raw.take(pa.array(slow)), "\x00")
    uniq, pos = cells.distinct(pairs)
    results, errs = [], {}
    for k, v in enumerate(uniq):
        if v is None:
            results.append(None)
            continue
        price, info = v.split("\x00", 1)
        try:
            value = unit_price(price, info)
            results.append(None if value is None else str(value))
        except ValueParseError as exc:
            results.append(None)
            errs[k] = exc
    out = cells.replace_rows(out, slow, pa.array(results, pa.string()).take(pa.array(pos)))
    if errs:
        hit = np.flatnonzero(np.isin(pos, list(errs)))
        reject([int(slow[j]) for j in hit.tolist()], "Price", price_raw.to_pylist(),
               {int(slow[j]): errs[int(pos[j])] for j in hit.tolist()})
    del n
    return out


def _assemble(source: Source, importer: str, raw: RawTable, idx: dict[str, int], rows: np.ndarray, order_id, day,
              qty, price, price_raw, info_raw, lines: list[int]):
    """The OrderAssembler over the imported ``rows``: (OrderColumns, warnings in row order)."""
    n = raw.n_rows
    sel = pa.array(rows)

    def col(name: str) -> pa.Array:
        i = idx.get(name.lower())
        return cells.plain(raw.columns[i]).take(sel) if i is not None else pa.array([""] * len(rows), pa.string())

    def opt(name: str) -> pa.Array:
        return cells.null_if_empty(cells.strip(col(name)))

    oid = cells.plain(order_id).take(sel)
    d = cells.plain(day).take(sel)
    q = cells.plain(qty).take(sel)
    p = cells.plain(price).take(sel)
    pr = price_raw.take(sel)
    cur_col = cells.strip(col("Currency"))
    cur_up = cells.per_distinct(cur_col, str.upper, pa.string())
    shown = cells.per_distinct(pr, currency_in, pa.string())
    from_info = cells.per_distinct(info_raw.take(sel), currency_in, pa.string())
    currency = pc.if_else(pc.not_equal(cur_up, ""), cur_up, pc.if_else(pc.is_valid(shown), shown, from_info))
    currency = cells.null_if_empty(currency)
    status = cells.per_distinct(col("Status"), classify)
    warn: list[tuple[int, int, Issue]] = []
    cur_text = cur_col.to_pylist()
    shown_l, currency_l, pr_l = shown.to_pylist(), currency.to_pylist(), pr.to_pylist()
    p_null = np.asarray(pc.is_null(p).to_numpy(zero_copy_only=False), dtype=bool)
    m = len(rows)
    line_of = [lines[r] for r in rows.tolist()]
    for j in range(m):
        if shown_l[j] and cur_text[j] and shown_l[j] != currency_l[j]:
            warn.append((j, 0, issue(source.name, line_of[j], N_("the price {price} is not in the currency column's "
                                                                "{currency}; the currency column is used"),
                                     field="Currency", value=_raw_cell(raw, idx, "Currency", rows[j]),
                                     severity="warning", price=pr_l[j], currency=currency_l[j])))
        if p_null[j]:
            warn.append((j, 1, issue(source.name, line_of[j], N_("no price: the order total is left empty"),
                                     field="Price", severity="warning")))
    codes, uniques = pd.factorize(np.asarray(oid.to_pylist(), dtype=object)) if m else (np.zeros(0, np.int64), [])
    codes = np.asarray(codes, dtype=np.int64)
    n_orders = len(uniques)
    first = _first_rows(codes, n_orders)
    # later rows that disagree with their order's first row
    st = status.tolist()
    oid_l = oid.to_pylist()
    mixed = np.zeros(n_orders, dtype=bool)
    for j in range(m):
        f = int(first[codes[j]])
        if f == j:
            continue
        a, b = currency_l[f], currency_l[j]
        if b and a and b != a:
            warn.append((j, 2, issue(source.name, line_of[j], N_("order {order} has lines in {a} and in {b}; the order "
                                                                "total is left empty"), field="currency", value=b,
                                     severity="warning", order=oid_l[j], a=a, b=b)))
            mixed[codes[j]] = True
        if st[j].status != st[f].status:
            warn.append((j, 3, issue(source.name, line_of[j], N_("order {order}: this line says '{b}' but an earlier "
                                                                "line says '{a}'; the first is kept"), field="status",
                                     value=st[j].status_text, severity="warning", order=oid_l[j],
                                     a=st[f].status_text, b=st[j].status_text)))
    warn.sort(key=lambda w: (w[0], w[1]))
    # lines, grouped by order in order of first appearance, keys made unique
    pid, sku = cells.strip(col("Product ID")), cells.strip(col("SKU ID"))
    has_key = pc.or_(pc.not_equal(pid, ""), pc.not_equal(sku, ""))
    line_id = pc.if_else(has_key, pc.binary_join_element_wise(pid, sku, ":"), pa.scalar(None, pa.string()))
    title = cells.strip(col("Title"))
    key = pc.if_else(pc.is_valid(line_id), line_id, title)
    line_id = _unique_keys(codes, key, line_id)
    by_order = np.argsort(codes, kind="stable")
    prov = {"source_name": pa.array([source.name] * m, pa.string()),
            "source_sha256": pa.array([source.sha256] * m, pa.string()),
            "importer": pa.array([importer] * m, pa.string())}
    line_table = pa.table({
        "order_index": pa.array(codes, pa.int64()), "order_id": oid, "title": title, "quantity": q,
        "unit_price": p, "currency": currency, "line_id": line_id, "product_id": cells.null_if_empty(pid),
        "sku": cells.null_if_empty(sku), "attributes": opt("Attributes"), "product_url": opt("Product Url"),
        **prov, "line_no": pa.array(line_of, pa.int64())}).take(pa.array(by_order))
    # orders: the first row's date, status and currency; the first non-empty store; the total
    fsel = pa.array(first)
    store, store_url = _first_present(opt("Store"), codes, n_orders), _first_present(opt("Store Url"), codes, n_orders)
    totals = _totals(codes, q, p, mixed, n_orders)
    fst = [st[i] for i in first.tolist()]
    order_table = pa.table({
        "order_id": pa.array(list(uniques), pa.string()), "order_date": d.take(fsel),
        "status": pa.array([s.status.value for s in fst], pa.string()),
        "status_text": pa.array([s.status_text for s in fst], pa.string()), "currency": currency.take(fsel),
        "total": totals, "store": store, "store_url": store_url,
        "refund_expected": pa.array([s.refund_expected for s in fst], pa.bool_()),
        "refund_reason": pa.array([s.refund_reason for s in fst], pa.string()),
        "end_reason": pa.array([s.end_reason for s in fst], pa.string()),
        **{k: v.take(fsel) for k, v in prov.items()}, "line_no": pa.array([line_of[i] for i in first.tolist()],
                                                                         pa.int64())})
    del n
    return OrderColumns(order_table, line_table), [w[2] for w in warn]


def _first_rows(codes: np.ndarray, n_orders: int) -> np.ndarray:
    """The first row of each order."""
    first = np.full(n_orders, -1, dtype=np.int64)
    if len(codes):
        first[codes[::-1]] = np.arange(len(codes) - 1, -1, -1)
    return first


def _raw_cell(raw: RawTable, idx: dict[str, int], name: str, row: int) -> str:
    i = idx.get(name.lower())
    return raw.columns[i][int(row)].as_py() if i is not None else ""


def _first_present(values: pa.Array, codes: np.ndarray, n_orders: int) -> pa.Array:
    """Per order, the first non-null value of its rows (the assembler fills a field once)."""
    valid = np.asarray(pc.is_valid(values).to_numpy(zero_copy_only=False), dtype=bool)
    pos = np.full(n_orders, -1, dtype=np.int64)
    rows = np.flatnonzero(valid)
    pos[codes[rows][::-1]] = rows[::-1]
    got = pos >= 0
    out = pa.nulls(n_orders, pa.string())
    if got.any():
        out = cells.replace_rows(out, np.flatnonzero(got), values.take(pa.array(pos[got])))
    return out


def _unique_keys(codes: np.ndarray, key: pa.Array, line_id: pa.Array) -> pa.Array:
    """Line keys unique inside an order: a repeated key becomes ``key#2``, ``key#3`` (skipping a
    ``key#n`` the order already has), as OrderAssembler.add does."""
    m = len(codes)
    if not m:
        return line_id
    composite = pc.binary_join_element_wise(pa.array(codes.astype(str), pa.string()), key, "\x00")
    values, pos = cells.distinct(composite)
    counts = np.bincount(pos, minlength=len(values))
    if not (counts > 1).any():
        return line_id
    dup_orders = set(codes[np.isin(pos, np.flatnonzero(counts > 1))].tolist())
    rows = np.flatnonzero(np.isin(codes, list(dup_orders)))
    keys = key.take(pa.array(rows)).to_pylist()
    ids = line_id.take(pa.array(rows)).to_pylist()
    seen: dict[int, set] = {}
    for j, (r, k) in enumerate(zip(rows.tolist(), keys, strict=True)):
        have = seen.setdefault(int(codes[r]), set())
        if k in have:
            rank = 2
            while f"{k}#{rank}" in have:
                rank += 1
            k = f"{k}#{rank}"
            ids[j] = k
        have.add(k)
    return cells.replace_rows(line_id, rows, pa.array(ids, pa.string()))


def _totals(codes: np.ndarray, qty: pa.Array, price: pa.Array, mixed: np.ndarray, n_orders: int) -> pa.Array:
    """``order_total``: the sum of price x quantity (Decimal), None when a line has no price or the
    order mixes currencies.  A one-line order of quantity 1 with a plain price is that price."""
    counts = np.bincount(codes, minlength=n_orders) if len(codes) else np.zeros(n_orders, dtype=np.int64)
    q = np.asarray(pc.fill_null(qty, 0).to_numpy(zero_copy_only=False), dtype=np.int64)
    plain_price = cells.matches(price, r"^-?[0-9]{1,15}(?:\.[0-9]{1,6})?$")
    single = (counts[codes] == 1) & (q == 1) & plain_price
    first = _first_rows(codes, n_orders)
    out = pa.nulls(n_orders, pa.string())
    easy = np.flatnonzero(single[first] & ~mixed) if n_orders else np.zeros(0, dtype=np.int64)
    if len(easy):
        out = cells.replace_rows(out, easy, cells.plain(price).take(pa.array(first[easy])))
    rest = np.setdiff1d(np.arange(n_orders), easy)
    rest = rest[~mixed[rest]]
    if len(rest):
        prices, qs = cells.plain(price).to_pylist(), q.tolist()
        rows_of: dict[int, list[int]] = {}
        for r in np.flatnonzero(np.isin(codes, rest)).tolist():
            rows_of.setdefault(int(codes[r]), []).append(r)
        values = []
        for o in rest.tolist():
            parts = [(prices[r], qs[r]) for r in rows_of.get(o, [])]
            if not parts or any(x is None for x, _q in parts):
                values.append(None)
            else:
                values.append(str(sum((Decimal(x) * k for x, k in parts), Decimal("0"))))
        out = cells.replace_rows(out, rest, pa.array(values, pa.string()))
    return out

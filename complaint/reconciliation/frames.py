"""The engine's input frames, from a case's records or from its columns, and the way back from a
frame row to its record.

:func:`case_frames` gives (orders, transactions, :class:`Rows`).  A case whose orders and lines are
all records takes :func:`orders_frame` and :func:`txns_frame`, one row per record.  A case holding
columns (a large import, a stored case) builds the same frames a column at a time, and gives the
engine only the transactions that can take part in a match (a recognised merchant, a related id,
a PayPal funding row or its target, a user's decision): the engine would keep only those itself
(``engine._relevant_rows``), so the result is the same, and a million grocery lines are counted,
never turned into Python objects.  :class:`Rows` builds records for the frame rows a report shows.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..case import CaseData
from ..importers.bank.merchants import is_refund_wording
from ..importers.bank.paypal import BANK_DEPOSIT_RE  # "Bank Deposit to PP Account"
from ..importers.columnar import cells
from ..importers.columnar.tables import BankColumns, OrderColumns
from ..records import BankTxn, Order
from .fx import day_number, minor_exponent

ORDER_COLUMNS = ["order_id", "order_day", "checkout", "currency", "due_cents", "status", "refund_expected",
                 "refund_cents", "refund_reason", "refund_since_day", "payment_method", "end_reason"]
TXN_COLUMNS = ["txn_id", "day", "amount_cents", "currency", "orig_cents", "orig_currency", "merchant",
               "payment_method", "related_id", "bank_reference", "refund_wording", "is_duplicate", "funding"]
_ORDER_TYPES = {"order_day": "int64", "checkout": "int64", "due_cents": "int64", "refund_cents": "int64",
                "refund_since_day": "int64", "refund_expected": bool}
_TXN_TYPES = {"day": "int64", "amount_cents": "int64", "orig_cents": "int64", "refund_wording": bool,
              "is_duplicate": bool, "funding": bool}


def minor(value: Decimal | None, currency: str | None) -> int:
    """A money value in minor units of its currency (half away from zero); -1 for no value."""
    if value is None:
        return -1
    return int((value.scaleb(minor_exponent(currency))).to_integral_value(rounding="ROUND_HALF_UP"))


@dataclass
class Rows:
    """Records for frame rows: ``orders(idx)`` and ``txns(idx)`` build (or look up) the records of
    those rows, in that order; ``n_transactions`` counts every transaction of the case."""

    orders: Callable[[list[int]], list[Order]]
    txns: Callable[[list[int]], list[BankTxn]]
    n_transactions: int


# -- records -> frames ----------------------------------------------------------------------------

def _status_since(case: CaseData) -> dict[str, int]:
    since: dict[str, int] = {}
    for ev in case.events:
        if ev.kind == "status_changed":
            for oid in ev.order_ids:
                since[oid] = min(since.get(oid, 10**9), day_number(ev.on))
    return since


def orders_frame(case: CaseData, orders: list[Order] | None = None) -> pd.DataFrame:
    since = _status_since(case)
    rows = []
    for o in (case.orders if orders is None else orders):
        cur = o.currency or "EUR"
        day = day_number(o.order_date)
        checkout = int(o.order_time.timestamp() // 60) if o.order_time else -1 - day
        ann = case.annotations.get(o.order_id)
        rows.append((o.order_id, day, checkout, cur, minor(o.amount_due, cur), o.status.value,
                     bool(o.refund_expected), minor(o.refund_amount, cur), o.refund_reason or "",
                     since.get(o.order_id, -1) if o.refund_expected else -1,
                     (ann.payment_method if ann else None) or "", o.end_reason or ""))
    return pd.DataFrame(rows, columns=ORDER_COLUMNS).astype(_ORDER_TYPES)


def txns_frame(case: CaseData, txns: list[BankTxn] | None = None) -> pd.DataFrame:
    rows = []
    for t in (case.transactions if txns is None else txns):
        text = " ".join(x for x in (t.counterparty, t.description, t.communication) if x)
        wording = bool(t.merchant_rule and "refund-wording" in t.merchant_rule) or is_refund_wording(text)
        orig = minor(t.original_amount, t.original_currency) if t.original_amount is not None else 0
        funding = t.payment_method == "paypal" and bool(BANK_DEPOSIT_RE.search(t.description or ""))
        rows.append((t.id, day_number(t.booking_date), minor(t.amount, t.currency), t.currency, orig,
                     t.original_currency or "", t.merchant or "", t.payment_method or "", t.related_id or "",
                     t.bank_reference or "", wording, t.duplicate_of is not None, funding))
    return pd.DataFrame(rows, columns=TXN_COLUMNS).astype(_TXN_TYPES)


def promises_frame(case: CaseData) -> pd.DataFrame:
    rows = [(p.id, p.order_id, minor(p.amount, p.currency), p.currency, day_number(p.promised_on),
             p.destination, p.by) for p in case.promises]
    cols = ["promise_id", "order_id", "amount_cents", "currency", "promised_day", "destination", "by"]
    return pd.DataFrame(rows, columns=cols).astype({"amount_cents": "int64", "promised_day": "int64"})


def case_frames(case: CaseData) -> tuple[pd.DataFrame, pd.DataFrame, Rows]:
    """(orders frame, transactions frame, the records behind their rows)."""
    if not case.has_columns():
        orders, txns = case.orders, case.transactions
        return orders_frame(case), txns_frame(case), Rows(lambda idx: [orders[i] for i in idx],
                                                          lambda idx: [txns[i] for i in idx], len(txns))
    o_frame, o_rows = _orders_from_parts(case)
    t_frame, t_rows, n = _txns_from_parts(case)
    return o_frame, t_frame, Rows(o_rows, t_rows, n)


# -- columns -> frames ----------------------------------------------------------------------------

def _as_columns(part, kind):
    if isinstance(part, list):
        return OrderColumns.from_records(part) if kind == "orders" else BankColumns.from_records(part)
    return part


def _records_of(parts: list, which: np.ndarray, rows: np.ndarray) -> Callable[[list[int]], list]:
    """Records of frame rows: row ``i`` is row ``rows[i]`` of part ``which[i]``."""
    def get(idx: list[int]) -> list:
        idx = np.asarray(idx, dtype=np.int64)
        out: list = [None] * len(idx)
        for p in np.unique(which[idx]).tolist() if len(idx) else []:
            at = np.flatnonzero(which[idx] == p)
            part = parts[p]
            wanted = rows[idx[at]]
            got = [part[int(r)] for r in wanted] if isinstance(part, list) else part.records(wanted)
            for k, rec in zip(at.tolist(), got, strict=True):
                out[k] = rec
        return out
    return get


def _minor_column(amount: pa.Array, currency: pa.Array) -> np.ndarray:
    """``minor(Decimal(amount), currency)`` per row (-1 where amount is null)."""
    amount, currency = cells.plain(amount), cells.plain(currency)
    units, ok = cells.decimal_units(amount, 2)
    two = cells.per_distinct(currency, lambda c: minor_exponent(c) == 2, pa.bool_()) if len(currency) else \
        pa.array([], pa.bool_())
    ok &= np.asarray(pc.fill_null(two, True).to_numpy(zero_copy_only=False), dtype=bool)
    null = np.asarray(pc.is_null(amount).to_numpy(zero_copy_only=False), dtype=bool)
    units[null] = -1
    slow = np.flatnonzero(~ok & ~null)
    if len(slow):
        pairs = pc.binary_join_element_wise(amount.take(pa.array(slow)),
                                            pc.fill_null(currency.take(pa.array(slow)), ""), "\x00")
        units[slow] = cells.per_distinct(pairs, lambda s: minor(Decimal(s.split("\x00")[0]),
                                                                s.split("\x00")[1] or None)).astype(np.int64)
    return units


def _text(arr: pa.Array) -> pd.Series:
    """A text column as the frames hold it (``str`` dtype, "" for none)."""
    arr = cells.plain(arr)
    if pa.types.is_dictionary(arr.type):
        arr = arr.dictionary_decode()
    return pc.fill_null(arr, "").to_pandas()


def _orders_from_parts(case: CaseData):
    parts = case.order_parts()
    frames, which, rows = [], [], []
    since = _status_since(case)
    for p, part in enumerate(parts):
        if isinstance(part, list):
            frames.append(orders_frame(case, part))
            n = len(part)
        else:
            frames.append(_orders_frame_columns(case, part.table, since))
            n = len(part)
        which.append(np.full(n, p, dtype=np.int64))
        rows.append(np.arange(n, dtype=np.int64))
    if not frames:
        return orders_frame(case, []), lambda idx: []
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    return frame, _records_of(parts, np.concatenate(which), np.concatenate(rows))


def _orders_frame_columns(case: CaseData, t: pa.Table, since: dict[str, int]) -> pd.DataFrame:
    n = t.num_rows
    oid = t.column("order_id").combine_chunks()
    currency = pc.fill_null(t.column("currency").combine_chunks(), "EUR")
    day = pc.cast(t.column("order_date").combine_chunks(), pa.int32()).to_numpy(zero_copy_only=False).astype(np.int64)
    times = t.column("order_time").combine_chunks()
    checkout = -1 - day
    if times.null_count < n:
        from datetime import datetime

        minutes = cells.per_distinct(times, lambda s: int(datetime.fromisoformat(s).timestamp() // 60), pa.int64())
        has = np.asarray(pc.is_valid(times).to_numpy(zero_copy_only=False), dtype=bool)
        checkout = np.where(has, pc.fill_null(minutes, 0).to_numpy(zero_copy_only=False), checkout)
    paid = t.column("paid_amount").combine_chunks()
    due = pc.if_else(pc.is_valid(paid), paid, t.column("total").combine_chunks())
    expected = np.asarray(t.column("refund_expected").combine_chunks().to_numpy(zero_copy_only=False), dtype=bool)
    since_day = np.full(n, -1, dtype=np.int64)
    if since and expected.any():
        ids = oid.to_pylist()
        since_day = np.array([since.get(i, -1) if e else -1 for i, e in zip(ids, expected.tolist(), strict=True)],
                             dtype=np.int64)
    method = pa.nulls(n, pa.string())
    if case.annotations:
        methods = {k: a.payment_method for k, a in case.annotations.items() if a.payment_method}
        if methods:
            method = pa.array([methods.get(i) for i in oid.to_pylist()], pa.string())
    frame = pd.DataFrame({
        "order_id": _text(oid), "order_day": day, "checkout": checkout, "currency": _text(currency),
        "due_cents": _minor_column(due, currency), "status": _text(t.column("status")),
        "refund_expected": expected, "refund_cents": _minor_column(t.column("refund_amount"), currency),
        "refund_reason": _text(t.column("refund_reason")), "refund_since_day": since_day,
        "payment_method": _text(method), "end_reason": _text(t.column("end_reason"))})
    return frame.astype(_ORDER_TYPES)


def _txns_from_parts(case: CaseData):
    parts = case.transaction_parts()
    cols = [_as_columns(p, "bank") for p in parts]
    firsts = _first_of_each_id(cols)
    decided = {t for d in case.decisions for t in d.txn_ids}
    funding = [_funding(c.table) for c in cols]
    targets = {r for c, f in zip(cols, funding, strict=True) if f.any()
               for r in c.table.column("related_id").combine_chunks().filter(pa.array(f)).to_pylist() if r}
    frames, which, rows = [], [], []
    n_total = 0
    for p, (c, keep_first, fund) in enumerate(zip(cols, firsts, funding, strict=True)):
        n_total += int(keep_first.sum())
        keep = keep_first & _relevant(c, fund, decided | targets)
        sel = np.flatnonzero(keep)
        frames.append(_txns_frame_columns(c.table.take(pa.array(sel)), c.ids(sel), fund[sel]))
        which.append(np.full(len(sel), p, dtype=np.int64))
        rows.append(sel.astype(np.int64))
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    which_a, rows_a = np.concatenate(which), np.concatenate(rows)
    order = _day_id_order(frame)
    frame = frame.take(order).reset_index(drop=True)
    return frame, _records_of(parts, which_a[order], rows_a[order]), n_total


def _first_of_each_id(cols: list[BankColumns]) -> list[np.ndarray]:
    """Per part, True on the rows whose id no earlier row has (the first of two wins)."""
    if len(cols) == 1:
        return [np.ones(len(cols[0]), dtype=bool)]
    ids = pd.Series(pa.chunked_array([c.ids() for c in cols]).to_pandas())
    first = ~ids.duplicated(keep="first").to_numpy()
    out, at = [], 0
    for c in cols:
        out.append(first[at:at + len(c)])
        at += len(c)
    return out


def _funding(t: pa.Table) -> np.ndarray:
    """PayPal funding mirrors: a PayPal row whose description says 'Bank Deposit to PP Account'."""
    method = t.column("payment_method").combine_chunks()
    paypal = np.asarray(pc.fill_null(pc.equal(method, "paypal"), False).to_numpy(zero_copy_only=False), dtype=bool)
    out = np.zeros(t.num_rows, dtype=bool)
    if paypal.any():
        rows = np.flatnonzero(paypal)
        desc = t.column("description").combine_chunks().take(pa.array(rows)).to_pylist()
        out[rows] = [bool(BANK_DEPOSIT_RE.search(d or "")) for d in desc]
    return out


def _present(arr) -> np.ndarray:
    arr = cells.plain(arr)
    return np.asarray(pc.fill_null(pc.not_equal(arr, ""), False).to_numpy(zero_copy_only=False), dtype=bool)


def _relevant(c: BankColumns, funding: np.ndarray, ids: set) -> np.ndarray:
    """The rows the engine can match (``engine._relevant_rows``), plus the decided and funding targets."""
    t = c.table
    keep = _present(t.column("merchant")) | _present(t.column("related_id")) | funding
    if ids:
        value_set = pa.array(sorted(ids), pa.string())
        for col in (c.ids(), t.column("bank_reference").combine_chunks()):
            hit = pc.is_in(col, value_set=value_set)
            keep |= np.asarray(pc.fill_null(hit, False).to_numpy(zero_copy_only=False), dtype=bool)
    return keep


def _txns_frame_columns(t: pa.Table, ids: pa.Array, funding: np.ndarray) -> pd.DataFrame:
    n = t.num_rows
    currency = t.column("currency").combine_chunks()
    orig = t.column("original_amount").combine_chunks()
    orig_cur = t.column("original_currency").combine_chunks()
    orig_cents = np.where(np.asarray(pc.is_valid(orig).to_numpy(zero_copy_only=False), dtype=bool),
                          _minor_column(orig, orig_cur), 0) if n else np.zeros(0, dtype=np.int64)
    full = cells.join_texts([t.column("counterparty"), t.column("description"), t.column("communication")])
    rule = pc.fill_null(t.column("merchant_rule").combine_chunks(), "")
    by_rule = np.asarray(pc.match_substring(rule, "refund-wording").to_numpy(zero_copy_only=False), dtype=bool) \
        if n else np.zeros(0, dtype=bool)
    said = np.asarray(cells.per_distinct(full, is_refund_wording, pa.bool_()).to_numpy(zero_copy_only=False),
                      dtype=bool) if n else np.zeros(0, dtype=bool)
    day = pc.cast(t.column("booking_date").combine_chunks(), pa.int32()).to_numpy(zero_copy_only=False)
    frame = pd.DataFrame({
        "txn_id": _text(ids), "day": day.astype(np.int64),
        "amount_cents": _minor_column(t.column("amount"), currency), "currency": _text(currency),
        "orig_cents": orig_cents, "orig_currency": _text(orig_cur), "merchant": _text(t.column("merchant")),
        "payment_method": _text(t.column("payment_method")), "related_id": _text(t.column("related_id")),
        "bank_reference": _text(t.column("bank_reference")), "refund_wording": by_rule | said,
        "is_duplicate": np.asarray(pc.is_valid(t.column("duplicate_of").combine_chunks()).to_numpy(
            zero_copy_only=False), dtype=bool), "funding": funding.astype(bool)})
    return frame.astype(_TXN_TYPES)


def _day_id_order(frame: pd.DataFrame) -> np.ndarray:
    """Rows sorted by (booking day, id): the order of ``case.transactions``."""
    if not len(frame):
        return np.zeros(0, dtype=np.int64)
    table = pa.table({"day": frame["day"].to_numpy(), "id": pa.array(frame["txn_id"].tolist(), pa.string())})
    return pc.sort_indices(table, sort_keys=[("day", "ascending"), ("id", "ascending")]).to_numpy()


# -- searching a case without building every record -----------------------------------------------

_ID_LIKE = re.compile(r"^[hr]?[0-9a-f]{3,}$")


def _search(parts: list, text: str, limit: int, columns: tuple[str, ...], day: str, key: str, keep=None) -> list:
    """Records of ``parts`` (lists of records or columns) whose ``columns`` contain ``text``: the
    ``limit`` newest by ``day``, then by ``key``."""
    needle = text.strip().lower()
    found: list = []
    for part in parts:
        if isinstance(part, list):
            for rec in part:
                if keep is not None and not keep(rec):
                    continue
                if needle and not any(needle in str(getattr(rec, c) or "").lower() for c in columns):
                    continue
                found.append(rec)
            continue
        t = part.table
        mask = np.ones(t.num_rows, dtype=bool)
        if keep is not None:
            mask &= _present(t.column("merchant"))
        if needle:
            hit = np.zeros(t.num_rows, dtype=bool)
            for c in columns:
                if c == "id" and not _ID_LIKE.match(needle):
                    continue  # ids are made on demand: only a text that looks like one is looked for there
                col = part.ids() if c == "id" else t.column(c).combine_chunks()
                col = col.dictionary_decode() if pa.types.is_dictionary(col.type) else col
                if not pa.types.is_string(col.type):
                    col = col.cast(pa.string())
                hit |= np.asarray(pc.fill_null(pc.match_substring(col, needle, ignore_case=True), False)
                                  .to_numpy(zero_copy_only=False), dtype=bool)
            mask &= hit
        rows = np.flatnonzero(mask)
        if not len(rows):
            continue
        days = pc.cast(t.column(day).combine_chunks().take(pa.array(rows)), pa.int32()).to_numpy(
            zero_copy_only=False)
        if len(rows) > limit:  # the newest days only (all rows of the last day kept, for the tie-break)
            rows = rows[days >= np.sort(days)[::-1][limit - 1]]
        found.extend(part.records(rows))
    found.sort(key=lambda r: (-getattr(r, day).toordinal(), getattr(r, key)))
    return found[:limit]


def search_transactions(case: CaseData, text: str, *, limit: int = 200, matchable: bool = True) -> list:
    return _search(case.transaction_parts(), text, limit, ("id", "description", "counterparty", "amount"),
                   "booking_date", "id", keep=(lambda t: bool(t.merchant)) if matchable else None)


def transactions_by_id(case: CaseData, ids) -> dict:
    """id -> BankTxn for the given ids (those the case has); a large case builds those rows only."""
    wanted = {i for i in ids if i}
    found: dict = {}
    for part in case.transaction_parts():
        if not wanted:
            break
        if isinstance(part, list):
            found.update((t.id, t) for t in part if t.id in wanted)
        else:
            hit = pc.fill_null(pc.is_in(part.ids(), value_set=pa.array(sorted(wanted), pa.string())), False)
            rows = np.flatnonzero(np.asarray(hit.to_numpy(zero_copy_only=False), dtype=bool))
            found.update((t.id, t) for t in part.records(rows))
        wanted -= found.keys()
    return found


def search_orders(case: CaseData, text: str, *, limit: int = 200) -> list:
    return _search(case.order_parts(), text, limit, ("order_id", "store"), "order_date", "order_id")

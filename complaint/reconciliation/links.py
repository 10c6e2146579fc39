"""Links between transactions, found after the matching: a bank debit that topped up PayPal for a
PayPal payment (the funding mirror), a PayPal refund naming the payment it refunds, and a debit that
charges an order twice.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .codes import text_present
from .pay import STRONG_MERCHANTS
from .result import Links, empty_funding

FUNDING_DAYS_BEFORE, FUNDING_DAYS_AFTER = 2, 7  # bank booking relative to the PayPal mirror row


DUPLICATE_DAYS = 3


def paypal_funding(txns: pd.DataFrame, amount: np.ndarray, day: np.ndarray, dup: np.ndarray) -> pd.DataFrame:
    """Bank debits to PayPal linked to the PayPal file's funding mirror (``Bank Deposit to PP Account``,
    same amount and currency, booked ``FUNDING_DAYS_BEFORE`` days before to ``FUNDING_DAYS_AFTER``
    days after it) and through its ``related_id`` to the PayPal payment it funds.

    Needs the ``funding`` column (True on mirror rows of a PayPal activity file); without it, or
    without mirrors, nothing is linked and PayPal debits are matched as before.  One bank debit per
    mirror: the nearest in days, then the earlier rows."""
    if "funding" not in txns or not len(txns):
        return empty_funding()
    fund = txns["funding"].fillna(False).to_numpy(dtype=bool)
    mirrors = np.flatnonzero(fund & (amount > 0) & ~dup)
    if not len(mirrors):
        return empty_funding()
    ids = txns["txn_id"].to_numpy(dtype=object)
    refs = txns["bank_reference"].to_numpy(dtype=object)
    merchant = txns["merchant"].to_numpy(dtype=object)
    method = txns["payment_method"].to_numpy(dtype=object)
    rel = txns["related_id"].to_numpy(dtype=object)
    target: dict[str, int] = {}
    for i in np.flatnonzero((amount < 0) & ~fund):  # PayPal payments (and anything a mirror may name)
        for key in (ids[i], refs[i]):
            if isinstance(key, str) and key:
                target.setdefault(key, int(i))
    pay_of = np.array([target.get(r, -1) if isinstance(r, str) else -1 for r in rel[mirrors]], dtype=np.int64)
    mirrors, pay_of = mirrors[pay_of >= 0], pay_of[pay_of >= 0]
    banks = np.flatnonzero((amount < 0) & np.isin(merchant, ("paypal", "paypal-aliexpress")) & ~dup & ~fund
                           & (method != "paypal"))
    if not len(mirrors) or not len(banks):
        return empty_funding()
    cur = txns["currency"].to_numpy(dtype=object)
    left = pd.DataFrame({"bank": banks, "cents": -amount[banks], "cur": cur[banks], "bday": day[banks]})
    right = pd.DataFrame({"mirror": mirrors, "cents": amount[mirrors], "cur": cur[mirrors], "mday": day[mirrors],
                          "payment": pay_of})
    pairs = left.merge(right, on=["cents", "cur"])
    gap = (pairs["bday"] - pairs["mday"]).to_numpy()
    pairs = pairs[(gap >= -FUNDING_DAYS_BEFORE) & (gap <= FUNDING_DAYS_AFTER)]
    pairs = pairs.assign(dist=(pairs["bday"] - pairs["mday"]).abs()).sort_values(
        ["dist", "mday", "mirror", "bank"], kind="stable")
    seen_b, seen_m, rows = set(), set(), []
    for b, m, p in zip(pairs["bank"].tolist(), pairs["mirror"].tolist(), pairs["payment"].tolist(), strict=True):
        if b in seen_b or m in seen_m:
            continue
        seen_b.add(b)
        seen_m.add(m)
        rows.append((b, m, p))
    if not rows:
        return empty_funding()
    b, m, p = (np.array(x, dtype=np.int64) for x in zip(*rows, strict=True))
    strong = np.isin(merchant[p], STRONG_MERCHANTS)
    return pd.DataFrame({"bank": b, "mirror": m, "payment": p, "aliexpress": strong}).sort_values(
        "bank", kind="stable").reset_index(drop=True)


def related_pairs(exp: pd.DataFrame, txns: pd.DataFrame, amount: np.ndarray, pool: np.ndarray) -> pd.DataFrame:
    """(exp, txn) pairs where a credit's related_id names the payment matched to the order."""
    ptx = exp["pay_txn"].to_numpy(dtype=np.int64)
    has = np.flatnonzero(ptx >= 0)
    column = txns["related_id"]
    named = text_present(column)  # a missing id names nothing
    credits = np.flatnonzero((amount > 0) & named & pool)
    if not len(has) or not len(credits):
        return pd.DataFrame({"exp": np.zeros(0, dtype=np.int64), "txn": np.zeros(0, dtype=np.int64)})
    rel = column.to_numpy(dtype=object)
    ids = txns["txn_id"].to_numpy(dtype=object)
    refs = txns["bank_reference"].to_numpy(dtype=object)
    left = pd.concat([pd.DataFrame({"exp": has, "ref": ids[ptx[has]]}),
                      pd.DataFrame({"exp": has, "ref": refs[ptx[has]]})])
    left = left[left["ref"].notna() & (left["ref"] != "")]
    right = pd.DataFrame({"txn": credits, "ref": rel[credits]})
    out = left.merge(right, on="ref")[["exp", "txn"]].drop_duplicates()
    return out.astype(np.int64).reset_index(drop=True)


def double_charges(unmatched: np.ndarray, pay_orders: Links, pay_txns: Links, txns: pd.DataFrame, amount,
                t_day) -> pd.DataFrame:
    """An unmatched debit with the same amount and merchant as a matched payment a few days apart
    (the nearest such payment, then the lowest row)."""
    cols = ["txn", "original_txn", "order_idx"]
    if not len(unmatched) or not len(pay_txns):
        return pd.DataFrame(columns=cols)
    merchant = txns["merchant"]
    paid_t = pay_txns.first()
    codes, _uniques = pd.factorize(merchant.take(np.concatenate([unmatched, paid_t])), use_na_sentinel=True)
    codes = np.asarray(codes, dtype=np.int64)
    u_code, p_code = codes[:len(unmatched)], codes[len(unmatched):]
    # key: (merchant, amount); a missing merchant is a merchant of its own (a merge matches NaN with NaN)
    big = np.int64(1) << np.int64(42)
    u_key = (u_code + 2) * big + amount[unmatched]
    p_key = (p_code + 2) * big + amount[paid_t]
    near = np.flatnonzero(pd.Series(p_key).isin(u_key).to_numpy())  # hashed: the few payments that can pair
    by = np.argsort(u_key, kind="stable")
    u_sorted = u_key[by]
    start = np.searchsorted(u_sorted, p_key[near], side="left")
    count = np.searchsorted(u_sorted, p_key[near], side="right") - start
    pay_row = np.repeat(near, count)
    offset = np.arange(int(count.sum()), dtype=np.int64) - np.repeat(np.cumsum(count) - count, count)
    txn, orig = unmatched[by[np.repeat(start, count) + offset]], paid_t[pay_row]
    dist = np.abs(t_day[txn] - t_day[orig])
    ok = dist <= DUPLICATE_DAYS
    txn, orig, pay_row, dist = txn[ok], orig[ok], pay_row[ok], dist[ok]
    order = np.lexsort((orig, dist, txn))
    txn, orig, pay_row = txn[order], orig[order], pay_row[order]
    first = np.concatenate([[True], txn[1:] != txn[:-1]]) if len(txn) else np.zeros(0, dtype=bool)
    return pd.DataFrame({"txn": txn[first], "original_txn": orig[first],
                         "order_idx": pay_orders.rows(pay_row[first])}, columns=cols)

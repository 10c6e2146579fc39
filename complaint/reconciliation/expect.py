"""Which refunds are expected, where, and by when (the platform's delay per payment method).

Rules (the user can see each one in the explanation of a missing credit):

1. **A recorded promise overrides the order's status.**  When the user recorded one or more
   refund promises for an order (``case.promises``), exactly those are expected (partial amounts and
   dates as recorded); the export's status-derived expectation for that order is ignored.
2. Otherwise an order whose importer set ``refund_expected`` (cancelled after payment, refunded,
   closed by a refund end reason) expects ``refund_amount``, or the full ``amount_due``.
   Such an expectation only counts as *missing* when the order's payment was found on the
   statements: if it was not, the tool cannot tell whether money ever left the account.
3. ``destination == "platform_balance"`` expects no bank credit at all (the AliExpress balance).
4. The refund is *pending* while within the delay for the payment method, counted in Belgian
   business days (:mod:`complaint.calendar_be`) from the day it was promised or granted, and
   *overdue* after.  The delays are declared once, below, with the text they come from.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import holidays
import numpy as np
import pandas as pd

from ..i18n import N_
from .fx import EPOCH


@dataclass(frozen=True, slots=True)
class RefundDelay:
    business_days: int
    source: str


REFUND_DELAYS: dict[str, RefundDelay] = {
    "card": RefundDelay(20, N_(
        "AliExpress help: 'It normally takes 3-20 business days for refunds to be processed' "
        "(card refunds; Alipay adds that the issuer 'may require between 7 and 15 business days')")),
    "paypal": RefundDelay(5, N_(
        "AliExpress help: refunds to the payment method take 1-10 working days depending on the method; "
        "PayPal credits its balance within days (project default, 5 business days)")),
    "bank_transfer": RefundDelay(10, N_(
        "AliExpress help: 1-10 working days depending on the payment method (upper bound for transfers)")),
}
METHOD_GROUPS = {"credit_card": "card", "debit_card": "card", "card": "card", "paypal": "paypal",
                 "bank_transfer": "bank_transfer", "other": "card", "": "card"}
REFUND_SEARCH_HORIZON_DAYS = 180  # credits are searched from the purchase day to this long after the promise


def delay_table(overrides: dict | None = None) -> dict[str, int]:
    table = {k: v.business_days for k, v in REFUND_DELAYS.items()}
    for key, value in (overrides or {}).items():
        table[METHOD_GROUPS.get(key, key)] = int(value)
    return table


def method_group(method: str | None, merchant: str | None = None) -> str:
    if method:
        return METHOD_GROUPS.get(method, "card")
    if merchant and merchant.startswith("paypal"):
        return "paypal"
    return "card"


HOLIDAY_YEARS = (1999, 2040)  # the years whose Belgian public holidays the calendar knows


@functools.cache
def _calendar(first_year: int, last_year: int) -> np.busdaycalendar:
    """Belgian business days (Monday-Friday less public holidays) for the given years, built once."""
    years = range(max(first_year, HOLIDAY_YEARS[0]), min(last_year, HOLIDAY_YEARS[1]) + 1)
    days = holidays.country_holidays("BE", years=years).keys() if len(years) else ()
    return np.busdaycalendar(holidays=np.array(sorted(days), dtype="datetime64[D]"))


def _calendar_for(lo_day: int, hi_day: int) -> np.busdaycalendar:
    """The calendar covering day numbers ``lo_day``..``hi_day`` (only those years' holidays are
    computed: ``holidays`` builds each year in Python)."""
    y0 = int(np.datetime64(int(lo_day), "D").astype("datetime64[Y]").astype(np.int64)) + 1970
    y1 = int(np.datetime64(int(hi_day), "D").astype("datetime64[Y]").astype(np.int64)) + 1970
    return _calendar(y0, y1)


def _d64(days: np.ndarray) -> np.ndarray:
    return (np.datetime64(EPOCH, "D") + np.asarray(days, dtype=np.int64).astype("timedelta64[D]"))


def add_business_days(days: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Vectorised calendar_be.add_business_days on day numbers."""
    days = np.asarray(days, dtype=np.int64)
    n = np.broadcast_to(np.asarray(n, dtype=np.int64), days.shape)
    if not days.size:
        return np.zeros(days.shape, dtype=np.int64)
    reach = 2 * int(np.abs(n).max()) + 14  # n business days lie within 2n + 14 calendar days
    cal = _calendar_for(int(days.min()) - reach, int(days.max()) + reach)
    out = np.busday_offset(_d64(days), n, roll="backward", busdaycal=cal)
    return (out - np.datetime64(EPOCH, "D")).astype(np.int64)


def business_days_between(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Vectorised calendar_be.business_days_between: business days after start up to end."""
    start, end = np.asarray(start, dtype=np.int64), np.asarray(end, dtype=np.int64)
    if not start.size:
        return np.zeros(start.shape, dtype=np.int64)
    cal = _calendar_for(min(int(start.min()), int(end.min())), max(int(start.max()), int(end.max())) + 1)
    counts = np.busday_count(_d64(start) + np.timedelta64(1, "D"), _d64(end) + np.timedelta64(1, "D"),
                             busdaycal=cal)
    return np.maximum(counts, 0)


def build_expectations(orders: pd.DataFrame, promises: pd.DataFrame, paid_order: np.ndarray) -> pd.DataFrame:
    """One row per expected refund (see the module rules); ``paid_order`` is a bool per order row."""
    return mark_paid(expectation_rows(orders, promises), paid_order)


def mark_paid(exp: pd.DataFrame, paid_order: np.ndarray) -> pd.DataFrame:
    """The columns that depend on the payments found: ``paid`` and ``needs_credit`` (rule 2)."""
    o = exp["order_idx"].to_numpy()
    exp["paid"] = paid_order[o] if len(o) else np.zeros(0, dtype=bool)
    exp["needs_credit"] = (exp["destination"] != "platform_balance") & ((exp["source"] == "promise") | exp["paid"])
    return exp


def expectation_rows(orders: pd.DataFrame, promises: pd.DataFrame) -> pd.DataFrame:
    """The expectations without what depends on the payments (so they can be built while the
    payments are matched), in their order: by day, order id, then expectation id."""
    ids = orders["order_id"]
    expecting = orders["refund_expected"].to_numpy(dtype=bool)
    p = promises
    if len(promises):
        p = promises[promises["order_id"].isin(ids)]
    promised_orders = set(p["order_id"]) if len(p) else set()
    first_row = _first_rows(ids, expecting, p["order_id"] if len(p) else [])
    prom = pd.DataFrame({
        "exp_id": "promise:" + p["promise_id"].astype(str),
        "order_idx": first_row.reindex(p["order_id"].to_numpy(dtype=object)).to_numpy(dtype=np.int64),
        "source": "promise",
        "promise_id": p["promise_id"].astype(object),
        "by": p["by"].astype(str),
        "amount_cents": p["amount_cents"].astype(np.int64),
        "currency": p["currency"].astype(str),
        "since_day": p["promised_day"].astype(np.int64),
        "destination": p["destination"].astype(str),
    }) if len(p) else None
    st_rows = np.flatnonzero(expecting & ~(ids.isin(promised_orders).to_numpy(dtype=bool) if promised_orders
                                           else False))
    st = orders.take(st_rows)
    amount = np.where(st["refund_cents"].to_numpy() >= 0, st["refund_cents"].to_numpy(), st["due_cents"].to_numpy())
    since = np.where(st["refund_since_day"].to_numpy() >= 0, st["refund_since_day"].to_numpy(),
                     st["order_day"].to_numpy())
    stat = pd.DataFrame({
        "exp_id": "status:" + st["order_id"].astype(str),
        "order_idx": first_row.reindex(ids.take(st_rows).to_numpy(dtype=object)).to_numpy(dtype=np.int64),
        "source": "status",
        "promise_id": None,
        "by": st["refund_reason"].astype(str),
        "amount_cents": amount.astype(np.int64),
        "currency": st["currency"].astype(str),
        "since_day": since.astype(np.int64),
        "destination": "original_payment",
    })
    stat = stat[stat["amount_cents"] > 0]
    exp = pd.concat([x for x in (prom, stat) if x is not None], ignore_index=True)
    o = exp["order_idx"].to_numpy()
    exp["order_id"] = ids.take(o).to_numpy(dtype=object)
    exp["purchase_day"] = orders["order_day"].to_numpy()[o]
    return exp.take(_sort_order(exp)).reset_index(drop=True)


def _first_rows(ids: pd.Series, expecting: np.ndarray, promised) -> pd.Series:
    """Row of the first occurrence of each order id that expects a refund or has a promise, by id
    (only those ids are hashed: an export has many orders and few refunds)."""
    wanted = pd.unique(pd.concat([ids[expecting], pd.Series(promised, dtype=object)], ignore_index=True)
                       .astype(object).to_numpy())
    rows = np.flatnonzero(ids.isin(wanted).to_numpy(dtype=bool))
    found = pd.Series(rows, index=ids.take(rows).to_numpy(dtype=object))
    return found[~found.index.duplicated(keep="first")]


def _sort_order(exp: pd.DataFrame) -> np.ndarray:
    """Stable order by (since_day, order_id, exp_id), texts by code point (arrow's sort)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not len(exp):
        return np.zeros(0, dtype=np.int64)
    table = pa.table({"since": exp["since_day"].to_numpy(dtype=np.int64),
                      "order": pa.array(exp["order_id"].astype(str).to_numpy(dtype=object), type=pa.string()),
                      "exp": pa.array(exp["exp_id"].astype(str).to_numpy(dtype=object), type=pa.string())})
    return pc.sort_indices(table, sort_keys=[("since", "ascending"), ("order", "ascending"),
                                             ("exp", "ascending")]).to_numpy()


def settle(exp: pd.DataFrame, credited: np.ndarray, tol: float, as_of_day: int, delays: dict | None) -> None:
    table = delay_table(delays)
    eur = exp["eur"].to_numpy(dtype=np.int64)
    need = exp["needs_credit"].to_numpy(dtype=bool)
    remaining_eur = np.where(need, eur - credited, 0)
    settled_tol = np.maximum(np.rint(eur * tol), 1)
    missing = need & (remaining_eur > settled_tol)
    amount = exp["amount_cents"].to_numpy(dtype=np.int64)
    share = np.where(eur > 0, remaining_eur / np.maximum(eur, 1), 1.0)
    exp["credited_eur"] = credited
    exp["remaining_eur"] = np.where(missing, remaining_eur, 0)
    exp["remaining_cents"] = np.where(missing, np.where(credited > 0, np.rint(amount * share), amount), 0)
    exp["difference_eur"] = np.where(need & ~missing & (credited > 0), credited - eur, 0)
    delay = exp["method"].map(table).fillna(table["card"]).to_numpy(dtype=np.int64) if len(exp) else \
        np.zeros(0, dtype=np.int64)
    since = exp["since_day"].to_numpy(dtype=np.int64)
    due = add_business_days(since, delay) if len(exp) else np.zeros(0, dtype=np.int64)
    exp["delay_days"] = delay
    exp["due_day"] = due
    exp["waiting"] = business_days_between(since, np.full(len(exp), as_of_day)) if len(exp) else 0
    exp["state"] = np.where(~exp["destination"].eq("original_payment").to_numpy(), "platform_balance",
                            np.where(~need, "unverified",
                                     np.where(~missing, "credited",
                                              np.where(as_of_day > due, "overdue", "pending"))))

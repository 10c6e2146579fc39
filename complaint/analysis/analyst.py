"""The analyst's tables: refunds across one case or every case of a store, as DataFrames.

For a consumer association, a reseller or a household with hundreds of orders: which stores and
payment methods keep people waiting, month by month, worst offenders first.

- :func:`refund_table`: one row per expected refund of a case (store, payment method, state,
  amounts, when it became due, when the money came, the delay in days);
- :func:`monthly_flows`: paid and refunded EUR per calendar month of a case;
- :func:`overview_all`: missing refunds of every case of a store, grouped by store, payment
  method and month (``detail`` has the rows), sorted worst first.

Money is integer EUR cents (``*_cents``) plus a float EUR column for charts; nothing is rounded
on the way.  A missing refund's *month* is the month it became expected (``expected_since``).
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from ..case import CaseData
from ..i18n import _

GROUPINGS = ("store", "payment_method", "month")
DETAIL_COLUMNS = ["case", "order_id", "store", "payment_method", "month", "state", "expected_eur_cents",
                  "expected_since", "due_date", "business_days_waiting", "days_overdue"]
GROUP_COLUMNS = ["overdue", "overdue_eur_cents", "overdue_eur", "pending", "pending_eur_cents", "pending_eur",
                 "cases", "orders",
                 "median_business_days_waiting", "max_days_overdue"]
REFUND_COLUMNS = ["order_id", "store", "order_date", "payment_method", "source", "destination", "state",
                  "expected_since", "expected_eur_cents", "credited_eur_cents", "credited_on", "delay_days"]


def _cents(value) -> int:
    return int((value * 100).to_integral_value())


def refund_table(case: CaseData, reconciliation) -> pd.DataFrame:
    """One row per expected refund: who owes it, how it was paid, its state and how long it took.

    ``credited_on`` is the booking day of the last credit matched to it; ``delay_days`` is the
    calendar days from ``expected_since`` to ``credited_on`` (negative when a bank booked the
    refund before it was granted, as card refunds on the purchase day are).
    """
    orders = {o.order_id: o for o in case.orders}
    booked = {t.id: t.booking_date for t in case.transactions}
    missing = {(m.order_id, m.promise_id): m for m in reconciliation.missing_credits}
    rows = []
    for e in reconciliation.expected_refunds:
        o = orders.get(e.order_id)
        days = [booked[t] for t in e.txn_ids if t in booked]
        credited_on = max(days) if days else None
        m = missing.get((e.order_id, e.promise_id))
        if m is not None:
            expected = _cents(m.expected_eur)
        elif e.currency == "EUR":
            expected = _cents(e.amount)
        else:
            expected = _cents(e.credited_eur - e.difference_eur)
        rows.append({
            "order_id": e.order_id, "store": (o.store if o and o.store else _("(unknown store)")),
            "order_date": o.order_date if o else None, "payment_method": e.payment_method, "source": e.source,
            "destination": e.destination, "state": e.state, "expected_since": e.expected_since,
            "expected_eur_cents": expected, "credited_eur_cents": _cents(e.credited_eur),
            "credited_on": credited_on,
            "delay_days": (credited_on - e.expected_since).days if credited_on else None,
        })
    frame = pd.DataFrame(rows, columns=REFUND_COLUMNS)
    return frame.astype({"expected_eur_cents": "int64", "credited_eur_cents": "int64", "delay_days": "Int64"})


def monthly_flows(case: CaseData, reconciliation) -> pd.DataFrame:
    """Paid (matched payments) and refunded (matched refund credits) EUR per month, oldest first."""
    txns = {t.id: t for t in case.transactions}
    rows = []
    for m in reconciliation.matches:
        for tid in m.txn_ids:
            t = txns.get(tid)
            if t is None:
                continue
            eur = _cents(abs(t.amount)) if t.currency == "EUR" else None
            if eur is None:
                continue
            rows.append({"month": t.booking_date.strftime("%Y-%m"), "kind": m.kind, "eur_cents": eur})
    frame = pd.DataFrame(rows, columns=["month", "kind", "eur_cents"])
    table = frame.pivot_table(index="month", columns="kind", values="eur_cents", aggfunc="sum", fill_value=0)
    table = table.reindex(columns=["payment", "refund"], fill_value=0).astype("int64")
    out = pd.DataFrame({"month": table.index, "paid_eur_cents": table["payment"].to_numpy(),
                        "refunded_eur_cents": table["refund"].to_numpy()})
    out["paid_eur"] = out["paid_eur_cents"] / 100
    out["refunded_eur"] = out["refunded_eur_cents"] / 100
    return out.sort_values("month").reset_index(drop=True)


def missing_table(case: CaseData, reconciliation, case_name: str | None = None) -> pd.DataFrame:
    """One row per missing refund (pending or overdue) with its store, payment method and month."""
    orders = {o.order_id: o for o in case.orders}
    method = {(e.order_id, e.promise_id): e.payment_method for e in reconciliation.expected_refunds}
    as_of = reconciliation.as_of
    rows = []
    for m in reconciliation.missing_credits:
        o = orders.get(m.order_id)
        rows.append({
            "case": case_name or case.name, "order_id": m.order_id,
            "store": o.store if o and o.store else _("(unknown store)"),
            "payment_method": method.get((m.order_id, m.promise_id), "card"),
            "month": m.expected_since.strftime("%Y-%m"), "state": m.state,
            "expected_eur_cents": _cents(m.expected_eur), "expected_since": m.expected_since,
            "due_date": m.due_date, "business_days_waiting": m.business_days_waiting,
            "days_overdue": max((as_of - m.due_date).days, 0) if m.state == "overdue" else 0,
        })
    return pd.DataFrame(rows, columns=DETAIL_COLUMNS).astype({"expected_eur_cents": "int64",
                                                               "business_days_waiting": "int64",
                                                               "days_overdue": "int64"})


def group_missing(detail: pd.DataFrame, by: str) -> pd.DataFrame:
    """Missing refunds grouped by ``store``, ``payment_method`` or ``month``, worst first
    (most overdue EUR, then most overdue refunds, then the name)."""
    if by not in GROUPINGS:
        raise ValueError(_("cannot group by {by}; choose one of: {choices}", by=by, choices=", ".join(GROUPINGS)))
    if detail.empty:
        return pd.DataFrame(columns=[by, *GROUP_COLUMNS])
    overdue = detail["state"].eq("overdue")
    d = detail.assign(_over=overdue.astype("int64"), _pend=(~overdue).astype("int64"),
                      _over_c=np.where(overdue, detail["expected_eur_cents"], 0),
                      _pend_c=np.where(overdue, 0, detail["expected_eur_cents"]),
                      _late=np.where(overdue, detail["days_overdue"], 0),
                      _key=detail["case"].astype(str) + "\x1f" + detail["order_id"].astype(str))
    g = d.groupby(by, sort=False)
    out = pd.DataFrame({
        "overdue": g["_over"].sum(), "overdue_eur_cents": g["_over_c"].sum().astype("int64"),
        "pending": g["_pend"].sum(), "pending_eur_cents": g["_pend_c"].sum().astype("int64"),
        "cases": g["case"].nunique(), "orders": g["_key"].nunique(),
        "median_business_days_waiting": g["business_days_waiting"].median(),
        "max_days_overdue": g["_late"].max().astype("int64"),
    }).reset_index()
    out["overdue_eur"] = out["overdue_eur_cents"] / 100
    out["pending_eur"] = out["pending_eur_cents"] / 100
    out = out.sort_values(["overdue_eur_cents", "overdue", "pending_eur_cents", by],
                          ascending=[False, False, False, True], kind="stable")
    return out[[by, *GROUP_COLUMNS]].reset_index(drop=True)


def overview_all(store, as_of: date | None = None, progress=None, engine: str = "auto") -> dict[str, pd.DataFrame]:
    """Missing refunds across every case of ``store``: ``{"store", "payment_method", "month", "detail"}``.

    Each case is reconciled as of ``as_of`` (default: the case's own "today", fixed for the
    sample, else today in Brussels).  ``progress(done, total, name)`` is called after each case.
    """
    from ..reconciliation.reconcile import reconcile

    cases = store.list_cases()
    parts = []
    for i, c in enumerate(cases, 1):
        data = store.load_case(c.id)
        rec = reconcile(data, as_of or data.today(), engine=engine)
        parts.append(missing_table(data, rec, c.name))
        if progress:
            progress(i, len(cases), c.name)
    detail = (pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=DETAIL_COLUMNS))
    detail = detail.sort_values(["state", "expected_eur_cents", "case", "order_id"],
                                ascending=[True, False, True, True], kind="stable").reset_index(drop=True)
    out = {by: group_missing(detail, by) for by in GROUPINGS}
    out["detail"] = detail
    return out

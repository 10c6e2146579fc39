"""The Analyst page's tables in words a reader knows: translated headers, amounts as money in the
language's Belgian format (14,90 €), states and payment methods by their labels, and the CSV with
the same headers.  Formatting only: the figures come from ``api.overview_all``."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from complaint import fmt
from complaint.i18n import N_, _
from complaint.records import PAYMENT_LABELS, PaymentMethod

GROUP_LABELS = {"store": N_("Store / seller"), "payment_method": N_("Payment method"), "month": N_("Month")}
STATE_LABELS = {"overdue": N_("overdue"), "pending": N_("pending")}
# column -> (header, how its cells are shown); the cents columns are shown as money
GROUP_COLUMNS = {"overdue": N_("Overdue refunds"), "overdue_eur_cents": N_("Overdue amount"),
                 "pending": N_("Pending refunds"), "pending_eur_cents": N_("Pending amount"),
                 "cases": N_("Cases"), "orders": N_("Orders"),
                 "median_business_days_waiting": N_("Business days waited (median)"),
                 "max_days_overdue": N_("Most days overdue")}
DETAIL_COLUMNS = {"case": N_("Case"), "order_id": N_("Order"), "store": N_("Store / seller"),
                  "payment_method": N_("Payment method"), "month": N_("Month"), "state": N_("State"),
                  "expected_eur_cents": N_("Amount expected"), "expected_since": N_("Expected since"),
                  "due_date": N_("Due"), "business_days_waiting": N_("Business days waited"),
                  "days_overdue": N_("Days overdue")}


def euros(cents) -> str:
    return fmt.money(Decimal(int(cents)) / 100, "EUR", nbsp=True)


def payment_label(code: str) -> str:
    try:
        return _(PAYMENT_LABELS[PaymentMethod(code)])
    except (ValueError, KeyError):
        return str(code)


def month_label(month: str) -> str:
    """``2026-06`` -> ``juin 2026`` (fr)."""
    try:
        year, number = (int(x) for x in str(month).split("-"))
    except ValueError:
        return str(month)
    from datetime import date

    from babel.dates import format_date

    from complaint.i18n import LOCALES, get_language

    return format_date(date(year, number, 1), "LLLL y", locale=LOCALES.get(get_language(), "en_BE"))


def _cell(column: str, value):
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    if column.endswith("_cents"):
        return euros(value)
    if column == "payment_method":
        return payment_label(value)
    if column == "state":
        return _(STATE_LABELS.get(value, value))
    if column == "month":
        return month_label(value)
    if column in ("expected_since", "due_date"):
        return fmt.day(value)
    if isinstance(value, float):
        return fmt.number(round(value, 1))
    return value


def readable(frame: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """The named columns of ``frame`` with translated headers and readable cells."""
    out = pd.DataFrame({_(label): [_cell(name, v) for v in frame[name]] for name, label in columns.items()
                        if name in frame.columns})
    return out


def group_table(table: pd.DataFrame, by: str) -> pd.DataFrame:
    return readable(table, {by: GROUP_LABELS[by], **GROUP_COLUMNS})


def detail_table(detail: pd.DataFrame) -> pd.DataFrame:
    return readable(detail, DETAIL_COLUMNS)


def bar_figure(table: pd.DataFrame, by: str):
    """Overdue and pending euros per group, stacked: months along the bottom in their order, stores
    and payment methods as horizontal bars whose whole names fit (plotly's automargin); the same
    red and orange as the rest of the page, hover amounts as money."""
    import plotly.graph_objects as go

    from ui.widgets import plotly_separators
    names = ([month_label(m) for m in table[by]] if by == "month" else
             [payment_label(m) for m in table[by]] if by == "payment_method" else [str(s) for s in table[by]])
    horizontal = by != "month"
    fig = go.Figure()
    for column, label, colour in (("overdue_eur_cents", _("Overdue"), "#d62728"),
                                  ("pending_eur_cents", _("Pending"), "#ff7f0e")):
        euros_ = [int(c) / 100 for c in table[column]]
        money = [euros(c) for c in table[column]]
        xy = {"x": euros_, "y": names, "orientation": "h"} if horizontal else {"x": names, "y": euros_}
        fig.add_trace(go.Bar(name=label, marker_color=colour, customdata=money,
                             hovertemplate=("%{y}" if horizontal else "%{x}") + ": %{customdata}<extra>" + label
                             + "</extra>", **xy))
    axis_group = {"title": {"text": _(GROUP_LABELS[by])}, "automargin": True, "type": "category"}
    axis_euros = {"title": {"text": _("Euros")}, "rangemode": "tozero"}
    fig.update_layout(barmode="stack", height=max(260, 60 + 28 * len(names)) if horizontal else 320,
                      margin={"l": 10, "r": 10, "t": 10, "b": 10}, separators=plotly_separators(),
                      legend={"orientation": "h", "y": -0.25 if not horizontal else -0.35},
                      xaxis=axis_euros if horizontal else axis_group,
                      yaxis={**axis_group, "autorange": "reversed"} if horizontal else axis_euros)
    return fig


def detail_csv(detail: pd.DataFrame) -> tuple[list[str], list[list[str]]]:
    """Headers in the language shown, values as a spreadsheet reads them (euros with a point)."""
    names = [n for n in DETAIL_COLUMNS if n in detail.columns]
    rows = [[f"{Decimal(int(v)) / 100:.2f}" if n.endswith("_cents") else "" if v is None else str(v)
             for n, v in zip(names, r, strict=True)] for r in detail[names].itertuples(index=False)]
    return [_(DETAIL_COLUMNS[n]) for n in names], rows

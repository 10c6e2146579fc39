"""What a case shows: the reconciliation, the Overview's summary, what was found for one order,
the chronology and its chart, things to check in it, and its tables (orders, transactions)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pandas as pd

from ..calendar_be import today_brussels
from ..i18n import get_language
from .cases import CaseHandle, CaseLike, case_data


def _today(case: CaseLike, as_of: date | None) -> date:
    return as_of or case.as_of or today_brussels()


def _value(x):
    return x() if callable(x) else x


def reconcile(case: CaseLike, as_of: date | None = None, *, window_days: int = 10,
              amount_tolerance: Decimal | str = Decimal("0.03"), engine: str = "pandas"):
    """Match payments and refunds; a :class:`~complaint.reconciliation.reconcile.Reconciliation`.

    ``rec.missing_credits`` (typed records), ``rec.summary`` (EUR Decimals), ``rec.frames()``
    (DataFrames by table), ``rec.to_json()``.  ``engine``: pandas, duckdb or auto.

    >>> import complaint
    >>> rec = complaint.reconcile(complaint.open_sample())
    >>> [(m.order_id, m.state) for m in rec.missing_credits]
    [('8116516504403817', 'overdue'), ('3065169024372184', 'pending')]
    """
    from ..reconciliation.reconcile import reconcile as run

    return run(case_data(case), as_of, window_days=window_days, amount_tolerance=Decimal(amount_tolerance),
               engine=engine)


def case_summary(case: CaseLike, as_of: date | None = None, *, data=None, reconciliation=None, deadlines=None,
                 view=None):
    """The Overview: figures (paid, refunds expected, credited, missing, overdue), the next steps
    most urgent first, and the coming deadlines (a ``HomeFigures``: ``.overview``, ``.upcoming``).

    For a stored case the figures are kept with the case and reused while it is unchanged, so an
    unchanged case is neither read nor reconciled again.  ``data``, ``reconciliation`` and
    ``deadlines`` may give what the caller already has (values, or functions called only when
    the figures must be computed), and ``view`` the case view (a value or a function).

    >>> import complaint
    >>> ov = complaint.case_summary(complaint.open_sample()).overview
    >>> (ov.missing_count, ov.overdue_count, str(ov.overdue_eur))
    (2, 1, '14.90')
    """
    from ..analysis.overview import cached_home_figures, home_figures

    day = _today(case, as_of)

    def compute():
        loaded = _value(data) if data is not None else case_data(case)
        rec = _value(reconciliation) if reconciliation is not None else reconcile(loaded, day)
        dls = _value(deadlines) if deadlines is not None else None
        return home_figures(loaded, rec, day, dls, view=_value(view) if view is not None else None)

    if isinstance(case, CaseHandle):
        return cached_home_figures(case.store, case.id, day, compute)[0]
    return compute()


def refresh_summary(case: CaseHandle, language: str | None = None) -> bool:
    """Compute and keep the Overview of a stored case now (e.g. right after a write, off the
    page's thread); True when it was computed, False when the kept one was current.

    >>> import complaint
    >>> case = complaint.open_sample()
    >>> (complaint.refresh_summary(case), complaint.refresh_summary(case))
    (True, False)
    """
    from ..analysis.overview import refresh_home_snapshot

    return refresh_home_snapshot(case.store, case.id, language or get_language())


def order_findings(case: CaseLike, order_id: str, reconciliation=None, as_of: date | None = None, *, view=None):
    """What the reconciliation found about one order, read from the case view (an ``OrderView``):
    its payments, the refunds promised and credited, and those missing (overdue first).

    >>> import complaint
    >>> f = complaint.order_findings(complaint.open_sample(), "8116516504403817")
    >>> [(m.state, str(m.outstanding.amount)) for m in f.missing]
    [('overdue', '14.90')]
    """
    from ..analysis.findings import order_findings as find

    if view is not None:
        return find(None, None, order_id, view=view)
    data = case_data(case)
    rec = reconciliation if reconciliation is not None else reconcile(data, _today(data, as_of))
    return find(data, rec, order_id)


# -- the chronology ---------------------------------------------------------------------------------

def chronology(case: CaseLike, reconciliation=None, as_of: date | None = None, *, order_id: str | None = None,
               lanes=None, order_ids=None) -> list:
    """Every dated event of the case (derived from the files and the reconciliation, and the
    user's own), in order; only one order's or some lanes' when asked.

    >>> import complaint
    >>> events = complaint.chronology(complaint.open_sample(), order_id="8116516504403817")
    >>> events[0].kind
    'order_placed'
    """
    from ..timeline.events import build_chronology, filter_events

    data = case_data(case)
    events = build_chronology(data, reconciliation, as_of=_today(data, as_of))
    if order_id or lanes or order_ids is not None:
        return filter_events(events, order_id=order_id, lanes=lanes, order_ids=order_ids)
    return events


def open_problem_orders(case: CaseLike, reconciliation=None, as_of: date | None = None) -> list[str]:
    """The orders with an open problem, newest first: a refund still missing (pending or overdue), or
    a problem the user recorded whose dispute has no outcome yet.  The Timeline opens on them.

    >>> import complaint
    >>> "8116516504403817" in complaint.open_problem_orders(complaint.open_sample())
    True
    """
    data = case_data(case)
    rec = reconciliation if reconciliation is not None else reconcile(data, _today(data, as_of))
    open_ids = {m.order_id for m in rec.missing_credits}
    open_ids |= {oid for oid, ann in data.annotations.items() if ann.problem and not ann.outcome}
    day = {o.order_id: o.order_date for o in data.orders if o.order_id in open_ids}
    return sorted(open_ids, key=lambda oid: (day.get(oid) or date.min, oid), reverse=True)


def build_timeline(case: CaseLike, reconciliation=None, as_of: date | None = None, order_id: str | None = None,
                   *, lanes=None, human: bool = False, events=None) -> pd.DataFrame:
    """The chronology as a DataFrame, one row per event (``human``: dates in the language's format).

    >>> import complaint
    >>> list(complaint.build_timeline(complaint.open_sample()).columns[:4])
    ['id', 'on', 'at_utc', 'when']
    """
    from ..timeline.events import chronology_frame, filter_events

    if events is None:
        events = chronology(case, reconciliation, as_of, order_id=order_id, lanes=lanes)
    elif order_id or lanes:
        events = filter_events(events, order_id=order_id, lanes=lanes)
    return chronology_frame(events, human=human)


@dataclass
class TimelineChart:
    """The dispute timeline chart (a plotly Figure) and the deadlines too far ahead to draw."""

    figure: object
    later: list[tuple[date, str]] = field(default_factory=list)
    horizon_days: int = 0
    note: str | None = None  # deadlines could not be computed: why


def timeline_chart(case: CaseLike, reconciliation=None, as_of: date | None = None, order_id: str | None = None,
                   lang: str | None = None, *, events=None, with_deadlines: bool = True) -> TimelineChart:
    """The chart with lanes, waiting spans, overdue refunds in red, today and the coming deadlines
    (``events``: draw these instead of the case's chronology; ``with_deadlines=False``: no deadline lines).

    >>> import complaint
    >>> chart = complaint.timeline_chart(complaint.open_sample())
    >>> (len(chart.figure.data) > 3, chart.horizon_days)
    (True, 60)
    """
    from ..errors import ComplaintError
    from ..timeline.chart import chart_deadlines
    from ..timeline.chart import timeline_figure as figure

    data = case_data(case)
    today = _today(data, as_of)
    rec = reconciliation if reconciliation is not None else reconcile(data, today)
    events = events if events is not None else chronology(data, rec, today)
    deadlines, note = [], None
    try:
        if with_deadlines:
            deadlines = chart_deadlines(data, rec, today, events, order_id)
    except ComplaintError as exc:
        note = str(exc)
    fig = figure(events, rec, as_of=today, order_id=order_id, lang=lang, deadlines=deadlines)
    meta = fig.layout.meta
    later = [(date.fromisoformat(d), label) for d, label in meta["later_deadlines"]]
    return TimelineChart(fig, later, int(meta["horizon_days"]), note)


def timeline_figure(case: CaseLike, reconciliation=None, as_of: date | None = None, order_id: str | None = None,
                    lang: str | None = None):
    """The dispute timeline chart (a plotly Figure); see :func:`timeline_chart`.

    >>> import complaint
    >>> len(complaint.timeline_figure(complaint.open_sample()).data) > 3
    True
    """
    return timeline_chart(case, reconciliation, as_of, order_id, lang).figure


def timeline_html(figure) -> str:
    """The chart as one self-contained HTML file that makes no network request.

    >>> import complaint
    >>> "Content-Security-Policy" in complaint.timeline_html(complaint.timeline_figure(complaint.open_sample()))
    True
    """
    from ..timeline.render import timeline_html as html

    return html(figure)


def timeline_png(figure, width: int = 1400):
    """The chart as a PNG (``.data``), drawn with Chromium through kaleido, else matplotlib (``.engine``,
    ``.note`` say which and why); nothing is downloaded."""
    from ..timeline.render import render_png

    return render_png(figure, width)


def timeline_flags(case: CaseLike, events=None, as_of: date | None = None, order_id: str | None = None) -> list:
    """Things to check in the chronology (a photo before the delivery, a refund before its promise,
    a paid-twice, long silences...): ``Flag`` records with ``severity`` and ``message``.

    >>> import complaint
    >>> flags = complaint.timeline_flags(complaint.open_sample())
    >>> all(f.severity in ("warning", "info") for f in flags)
    True
    """
    from ..timeline.events import filter_events
    from ..timeline.flags import find_contradictions

    data = case_data(case)
    today = _today(data, as_of)
    if events is None:
        events = chronology(data, reconcile(data, today), today)
    return find_contradictions(filter_events(events, order_id=order_id), data, as_of=today)


def chronology_table(case: CaseLike, events, fmt: str = "csv"):
    """The chronology as ``csv`` or ``markdown`` text, or ``records`` (JSON-ready dicts: when, lane,
    kind, title, order_ids, evidence, source), evidence named by file.

    >>> import complaint
    >>> case = complaint.open_sample()
    >>> complaint.chronology_table(case, complaint.chronology(case), "csv").splitlines()[0][:30]
    'Date and time,Source,Event,Tit'
    """
    from ..timeline.table import chronology_csv, chronology_markdown, chronology_records

    make = {"csv": chronology_csv, "markdown": chronology_markdown, "records": chronology_records}
    if fmt not in make:
        raise ValueError(f"fmt must be one of {', '.join(make)}")
    return make[fmt](events, case_data(case).evidence)


# -- tables -----------------------------------------------------------------------------------------

def orders(case: CaseLike) -> pd.DataFrame:
    """The orders: order_id, order_date, store, status, currency, amount (Decimal), amount_cents, refund_expected.

    >>> import complaint
    >>> complaint.orders(complaint.open_sample())["amount_cents"].dtype
    Int64Dtype()
    """
    from ..reconciliation.fx import minor_exponent

    rows = []
    for o in case_data(case).orders:
        due = o.amount_due
        rows.append({"order_id": o.order_id, "order_date": o.order_date, "store": o.store, "status": o.status.value,
                     "currency": o.currency, "amount": due,
                     "amount_cents": None if due is None else int(due.scaleb(minor_exponent(o.currency))),
                     "refund_expected": o.refund_expected})
    frame = pd.DataFrame(rows, columns=["order_id", "order_date", "store", "status", "currency", "amount",
                                        "amount_cents", "refund_expected"])
    return frame.astype({"amount_cents": "Int64"})


def transactions(case: CaseLike) -> pd.DataFrame:
    """The bank/PayPal rows: id, booking_date, amount (Decimal), amount_cents, currency, merchant, description.

    >>> import complaint
    >>> complaint.transactions(complaint.open_sample())["amount_cents"].dtype
    dtype('int64')
    """
    from ..reconciliation.fx import minor_exponent

    rows = [{"id": t.id, "booking_date": t.booking_date, "amount": t.amount,
             "amount_cents": int(t.amount.scaleb(minor_exponent(t.currency))), "currency": t.currency,
             "merchant": t.merchant, "payment_method": t.payment_method, "description": t.description,
             "file": t.provenance.source_name if t.provenance else None}
            for t in case_data(case).transactions]
    return pd.DataFrame(rows, columns=["id", "booking_date", "amount", "amount_cents", "currency", "merchant",
                                       "payment_method", "description", "file"]).astype({"amount_cents": "int64"})



def transactions_by_id(case: CaseLike, ids) -> dict:
    """The case's transactions of ``ids``, by id (ids it does not have are left out), e.g. to show
    a match's statement lines by day, amount and text.

    >>> import complaint
    >>> case = complaint.open_sample()
    >>> txn = complaint.find_transactions(case, "aliexpress", limit=1)[0]
    >>> complaint.transactions_by_id(case, [txn.id, "nope"]) == {txn.id: txn}
    True
    """
    from ..reconciliation.frames import transactions_by_id as by_id

    return by_id(case_data(case), ids)


def find_transactions(case: CaseLike, text: str = "", *, limit: int = 200, matchable: bool = True) -> list:
    """Up to ``limit`` transactions whose id, text or amount contains ``text`` (case-insensitive),
    newest first; ``matchable``: only the rows a merchant rule recognised (what a match can use).
    A large case is searched in its columns: only the rows returned become records.

    >>> import complaint
    >>> [t.merchant for t in complaint.find_transactions(complaint.open_sample(), "aliexpress", limit=2)]
    ['aliexpress', 'aliexpress']
    """
    from ..reconciliation.frames import search_transactions

    return search_transactions(case_data(case), text, limit=limit, matchable=matchable)


def find_orders(case: CaseLike, text: str = "", *, limit: int = 200) -> list:
    """Up to ``limit`` orders whose id or store contains ``text``, newest first (a large case is
    searched in its columns).

    >>> import complaint
    >>> len(complaint.find_orders(complaint.open_sample(), "8116")) >= 1
    True
    """
    from ..reconciliation.frames import search_orders

    return search_orders(case_data(case), text, limit=limit)


# -- reports written as they are built ------------------------------------------------------------

def write_json(items, out) -> None:
    """One JSON object from (key, value) pairs, written to ``out`` (anything with ``write``) as it
    is built: a value that is an iterator (a long list) goes out one item per line, so a report of
    100,000 matches is never one string.  ``Reconciliation.json_items()`` and
    ``FileReport.json_items()`` give such pairs.

    >>> import io, json, complaint
    >>> buf = io.StringIO()
    >>> complaint.write_json(complaint.reconcile(complaint.open_sample()).json_items(), buf)
    >>> sorted(json.loads(buf.getvalue()))[:3]
    ['as_of', 'credits_without_refund', 'duplicate_charges']
    """
    import json
    from collections.abc import Iterator
    from itertools import islice

    from ..serialize import to_jsonable

    first = True
    for key, value in items:
        out.write(("{\n" if first else ",\n") + json.dumps(key) + ": ")
        first = False
        if isinstance(value, Iterator):  # items in batches: one encoder call per 500 items
            n = 0
            for batch in iter(lambda value=value: list(islice(value, 500)), []):
                text = json.dumps(batch, ensure_ascii=False, default=to_jsonable)[1:-1]
                out.write(("[\n  " if n == 0 else ",\n  ") + text)
                n += len(batch)
            out.write("\n]" if n else "[]")
        else:
            out.write(json.dumps(value, ensure_ascii=False, default=to_jsonable))
    out.write("{}\n" if first else "\n}\n")


def write_json_array(objects, out) -> None:
    """A JSON array of objects given as (key, value) pairs (one per file), each as :func:`write_json`.

    >>> import io, json, complaint
    >>> buf = io.StringIO()
    >>> complaint.write_json_array([[("file", "a.csv")], [("file", "b.csv")]], buf)
    >>> json.loads(buf.getvalue())
    [{'file': 'a.csv'}, {'file': 'b.csv'}]
    """
    n = 0
    for items in objects:
        out.write("[\n" if n == 0 else ",\n")
        write_json(items, _NoNewline(out))
        n += 1
    out.write("\n]\n" if n else "[]\n")


class _NoNewline:
    """``out`` without the newline :func:`write_json` ends an object with (inside an array)."""

    def __init__(self, out) -> None:
        self.out = out

    def write(self, text: str) -> None:
        self.out.write(text[:-1] if text.endswith("}\n") else text)


def write_report(reconciliation, out, fmt: str = "json") -> None:
    """A reconciliation written to ``out`` as it is built: ``json`` (the CLI's ``--format json``
    object) or ``csv`` (the missing credits, spreadsheet-safe).

    >>> import io, complaint
    >>> buf = io.StringIO()
    >>> complaint.write_report(complaint.reconcile(complaint.open_sample()), buf, "csv")
    >>> buf.getvalue().splitlines()[0][:24]
    'state,order_id,expected_'
    """
    if fmt == "json":
        write_json(reconciliation.json_items(), out)
        return
    if fmt != "csv":
        raise ValueError("fmt must be json or csv")
    from ..csvsafe import write_csv

    items = dict(reconciliation.json_items())["missing_credits"]
    chunk, header = [], True
    for row in items:
        chunk.append([_csv_cell(row.get(c)) for c in MISSING_COLUMNS])
        if len(chunk) >= 5000:
            out.write(_csv_text(write_csv(chunk, MISSING_COLUMNS), header))
            chunk, header = [], False
    if chunk or header:
        out.write(_csv_text(write_csv(chunk, MISSING_COLUMNS), header))


MISSING_COLUMNS = ["state", "order_id", "expected_amount", "currency", "expected_since", "business_days_waiting",
                   "due_date", "reason"]


def _csv_cell(value) -> str:
    import json

    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _csv_text(text: str, header: bool) -> str:
    return text if header else text.split("\r\n", 1)[1]

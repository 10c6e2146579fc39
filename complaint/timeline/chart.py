"""The dispute timeline: swimlanes by source, event markers, waiting spans, today and deadlines.

Design (plotly's horizontal bars with a date ``base``, as ``px.timeline`` draws them:
https://plotly.com/python/gantt/, "Gantt Charts in Python"): one categorical y axis of lanes (translated
labels, ``automargin`` so they never overlap the plot), point events as markers with hover detail
per lane (``go.Scattergl`` when a lane has more than ``GL_THRESHOLD`` points), waiting periods as
horizontal ``go.Bar`` spans with a date ``base`` (delivery time, dispute duration, refund waiting
time with the overdue part in red), a line for today (the as-of date) and dashed lines for
upcoming deadlines.  Colours are the Okabe-Ito palette (colour-blind safe); lanes also differ
by position and kinds by marker symbol, so nothing relies on colour alone.

Readability on a real case (a year of orders, deadlines two years ahead): the x axis runs from
the first event to ``as_of`` plus a horizon (``HORIZON_DAYS``); deadlines beyond it are not drawn
but counted in a note (the page lists them under the chart).  Line labels (today, deadlines) are
short (kind + date, the full text is in the hover) and stacked in rows so they never overlap;
labels that find no free row are left to the hover.  Spans carry text only in a sparse lane and
when the text fits the span; markers never carry text (the hover has the detail).

Times are shown in Brussels local time (plotly has no zones): the x axis says so, and each hover
shows the UTC offset, or "date only" for events without a time (drawn at noon of their day).
"""

from __future__ import annotations

import contextlib
import html
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta

import plotly.graph_objects as go

from ..calendar_be import BRUSSELS, today_brussels
from ..fmt import day as fmt_day
from ..fmt import money as fmt_money
from ..i18n import _, get_language, set_language
from ..records import Event
from .events import LANES, filter_events, format_when, kind_label, lane_label, open_disputes, sort_key

GL_THRESHOLD = 1000
OKABE_ITO = {"black": "#000000", "orange": "#E69F00", "sky_blue": "#56B4E9", "bluish_green": "#009E73",
             "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "reddish_purple": "#CC79A7",
             "grey": "#999999"}
LANE_COLOURS = {"order": OKABE_ITO["blue"], "bank": OKABE_ITO["bluish_green"], "evidence": OKABE_ITO["reddish_purple"],
                "messages": OKABE_ITO["orange"], "tracking": OKABE_ITO["sky_blue"], "dispute": OKABE_ITO["black"]}
OVERDUE_COLOUR = OKABE_ITO["vermillion"]
WAITING_COLOUR = OKABE_ITO["orange"]
SYMBOLS = {"paid": "triangle-down", "refund_credited": "triangle-up", "refund_overdue": "x", "delivered": "star",
           "shipped": "square", "photo_taken": "diamond", "message_out": "circle-open", "dispute_opened": "square",
           "escalation": "hexagram", "refund_promised": "triangle-up-open", "letter_sent": "square-open"}
DAY_MS = 86_400_000
HORIZON_DAYS = 60  # how far past as_of the x axis runs by default
SPARSE_LANE = 8  # a lane with more items than this in view shows no text on its spans
LABEL_ROWS = 4  # rows of line labels above the plot (today + deadlines); more go to the hover
LABEL_ROW_PX = 20  # height of a row of line labels
PLOT_PX = 700  # plot width assumed when deciding what fits (conservative: the page is usually wider)
CHAR_PX = 7.2  # average width of a character at the 12 px label font
LABEL_GAP_PX = 12  # free space kept between two labels on the same row


@contextlib.contextmanager
def _language(lang: str | None):
    if not lang:
        yield
        return
    old = get_language()
    set_language(lang)
    try:
        yield
    finally:
        set_language(old)


def _x(ev: Event) -> str:
    """Brussels wall-clock position; date-only events at noon."""
    if ev.at is None:
        return f"{ev.on.isoformat()} 12:00:00"
    return ev.at.astimezone(BRUSSELS).strftime("%Y-%m-%d %H:%M:%S")


def _day_start(day: date) -> str:
    return f"{day.isoformat()} 00:00:00"


def _esc(text: str | None) -> str:
    """User text for plotly's pseudo-HTML labels: no tags, no links."""
    return html.escape(text or "", quote=False).replace("\n", "<br>")


def _marker_traces(events: list[Event]) -> list[go.BaseTraceType]:
    by_lane: dict[str, list[Event]] = defaultdict(list)
    for ev in events:
        by_lane[ev.lane].append(ev)
    traces = []
    for lane in LANES:
        lane_events = by_lane.get(lane, [])
        if not lane_events:
            continue
        label = lane_label(lane)
        trace_type = go.Scattergl if len(lane_events) > GL_THRESHOLD else go.Scatter
        colours = [OVERDUE_COLOUR if ev.kind == "refund_overdue" else LANE_COLOURS[lane] for ev in lane_events]
        traces.append(trace_type(
            x=[_x(ev) for ev in lane_events], y=[label] * len(lane_events), mode="markers", name=label,
            legendgroup=lane,
            marker={"size": 11, "color": colours, "symbol": [SYMBOLS.get(ev.kind, "circle") for ev in lane_events],
                    "line": {"width": 1, "color": "#333333"}},
            customdata=[[_esc(ev.title[:200]), format_when(ev, human=True), ", ".join(ev.order_ids) or "-",
                         _esc(kind_label(ev.kind))] for ev in lane_events],
            hovertemplate=("<b>%{customdata[0]}</b><br>%{customdata[3]} · %{customdata[1]}<br>"
                           + _esc(_("Orders")) + ": %{customdata[2]}<extra></extra>")))
    return traces


def _span_trace(name: str, spans: list[tuple], colour: str, opacity: float, legendgroup: str,
                pattern: str = "") -> go.Bar | None:
    """spans: (start, end, lane label, hover text[, text shown on the bar])."""
    if not spans:
        return None
    bases, widths, lanes, hover, shown = [], [], [], [], []
    for start, end, lane, text, *label in spans:
        shown.append(_esc(label[0]) if label else "")
        s = start if isinstance(start, datetime) else datetime.combine(start, time.min)
        e = end if isinstance(end, datetime) else datetime.combine(end, time.min)
        bases.append(s.strftime("%Y-%m-%d %H:%M:%S"))
        widths.append(max((e - s) / timedelta(milliseconds=1), DAY_MS / 8))
        lanes.append(lane)
        hover.append(_esc(text))
    rgba = f"rgba({int(colour[1:3], 16)}, {int(colour[3:5], 16)}, {int(colour[5:7], 16)}, {opacity})"
    return go.Bar(base=bases, x=widths, y=lanes, orientation="h", name=name, legendgroup=legendgroup,
                  marker={"color": rgba, "line": {"width": 0}, "pattern": {"shape": pattern, "fgcolor": colour}},
                  width=0.5, text=shown, textposition="inside", insidetextanchor="middle", constraintext="inside",
                  textfont={"size": 11, "color": "#000000"}, customdata=hover,
                  hovertemplate="%{customdata}<extra></extra>")


def _local_dt(ev: Event) -> datetime:
    return ev.at.astimezone(BRUSSELS).replace(tzinfo=None) if ev.at else datetime.combine(ev.on, time(12))


def waiting_spans(events: list[Event], reconciliation, as_of: date, order_id: str | None = None) -> list[go.Bar]:
    """The span traces: delivery time, dispute open, refund waiting (within delay / overdue)."""
    placed: dict[str, Event] = {}
    delivered: dict[str, Event] = {}
    shipped: set[str] = set()
    for ev in sorted(events, key=sort_key):
        for oid in ev.order_ids:
            if ev.kind == "order_placed":
                placed.setdefault(oid, ev)
            elif ev.kind == "delivered":
                delivered.setdefault(oid, ev)
            elif ev.kind in ("shipped", "tracking"):
                shipped.add(oid)
    order_lane, dispute_lane, bank_lane = lane_label("order"), lane_label("dispute"), lane_label("bank")
    today = datetime.combine(as_of, time(23, 59))
    delivery, waiting_delivery = [], []
    for oid, p in placed.items():
        start = _local_dt(p)
        if oid in delivered:
            end = _local_dt(delivered[oid])
            days = (delivered[oid].on - p.on).days
            delivery.append((start, end, order_lane, _("Order {order}: delivered after {n} days ({start} to {end})",
                                                       order=oid, n=days, start=fmt_day(p.on),
                                                       end=fmt_day(delivered[oid].on)),
                             _("…{short}: {n} days", short=oid[-4:], n=days)))
        elif oid in shipped and as_of > p.on:
            waiting_delivery.append((start, today, order_lane, _("Order {order}: not delivered yet, {n} days since "
                                                                 "the order", order=oid, n=(as_of - p.on).days),
                                     _("…{short}: not delivered", short=oid[-4:])))
    disputes = [(datetime.combine(start, time.min), datetime.combine(end, time(23, 59)), dispute_lane,
                 _("Order {order}: dispute open {start} to {end} ({n} days)", order=oid, start=fmt_day(start), end=fmt_day(end),
                   n=(end - start).days), _("…{short}: dispute, {n} days", short=oid[-4:], n=(end - start).days))
                for oid, (start, end) in open_disputes(events, as_of).items()]
    within, overdue = [], []
    for mc in getattr(reconciliation, "missing_credits", None) or ():
        if order_id is not None and mc.order_id != order_id:
            continue
        amount = fmt_money(mc.expected_amount, mc.currency)
        since = datetime.combine(mc.expected_since, time.min)
        due = datetime.combine(mc.due_date, time.min)
        if mc.state == "overdue" and mc.due_date < as_of:
            within.append((since, due, bank_lane, _("Order {order}: refund of {amount} expected since {since}, "
                                                    "due by {due}", order=mc.order_id, amount=amount,
                                                    since=fmt_day(mc.expected_since), due=fmt_day(mc.due_date))))
            overdue.append((due, today, bank_lane, _("Order {order}: refund of {amount} OVERDUE since {due} "
                                                     "({n} business days waiting)", order=mc.order_id, amount=amount,
                                                     due=fmt_day(mc.due_date), n=mc.business_days_waiting),
                            _("overdue {n} days", n=(as_of - mc.due_date).days)))
        else:
            within.append((since, today, bank_lane, _("Order {order}: refund of {amount} expected since {since}, "
                                                      "due by {due}", order=mc.order_id, amount=amount,
                                                      since=fmt_day(mc.expected_since), due=fmt_day(mc.due_date))))
    traces = [
        _span_trace(_("Delivery time"), delivery, OKABE_ITO["sky_blue"], 0.35, "span-delivery"),
        _span_trace(_("Waiting for delivery"), waiting_delivery, OKABE_ITO["sky_blue"], 0.35, "span-delivery-wait",
                    pattern="/"),
        _span_trace(_("Dispute open"), disputes, OKABE_ITO["grey"], 0.45, "span-dispute"),
        _span_trace(_("Refund awaited (within the announced delay)"), within, WAITING_COLOUR, 0.45, "span-refund"),
        _span_trace(_("Refund overdue"), overdue, OVERDUE_COLOUR, 0.75, "span-overdue"),
    ]
    return [t for t in traces if t is not None]


def split_deadlines(deadlines: Sequence[tuple[date, str]], as_of: date, horizon_days: int = HORIZON_DAYS
                    ) -> tuple[list[tuple[date, str]], list[tuple[date, str]]]:
    """(drawn, later): deadlines up to ``as_of + horizon_days`` are drawn, later ones are listed."""
    limit = as_of + timedelta(days=horizon_days)
    items = sorted((d, label) for d, label, *_rest in deadlines)
    return [x for x in items if x[0] <= limit], [x for x in items if x[0] > limit]


def _short(label: str, limit: int = 26) -> str:
    """The start of a label, cut at a word boundary: the kind of deadline."""
    label = " ".join(label.split())
    if len(label) <= limit:
        return label
    cut = label[:limit].rsplit(" ", 1)[0].rstrip(" ,;:(-·")
    return (cut or label[:limit]) + "…"


def _anchor(x: float, width: float) -> str:
    """Labels near an edge are anchored inwards (they start, or end, at their line)."""
    return "left" if x - width / 2 < 0 else "right" if x + width / 2 > PLOT_PX else "center"


def _place_labels(positions: list[tuple[float, int]], fixed_first: bool = True,
                  rows: int = LABEL_ROWS) -> list[int | None]:
    """A row for each label (x in px, width in px, centred on x), none sharing a row with a neighbour it
    would touch; ``None`` when no row is free.  The first label (today) keeps row 0 when ``fixed_first``."""
    taken: list[list[tuple[float, float]]] = [[] for _r in range(rows)]
    out: list[int | None] = []
    for k, (x, width) in enumerate(positions):
        left = x - width / 2 if _anchor(x, width) == "center" else x if _anchor(x, width) == "left" else x - width
        box = (left - LABEL_GAP_PX / 2, left + width + LABEL_GAP_PX / 2)
        candidates = [0] if (fixed_first and k == 0) else range(rows)
        row = next((r for r in candidates if all(box[1] <= a or box[0] >= b for a, b in taken[r])), None)
        if row is not None:
            taken[row].append(box)
        out.append(row)
    return out


def _span_labels(fig: go.Figure, x_start: date, x_end: date) -> None:
    """Move the spans' text to labels placed where they can be read, or drop it.

    A span keeps a label only in a sparse lane (at most ``SPARSE_LANE`` items in view), when no other
    span of the lane overlaps it, and when the text fits inside the visible part of the span at a
    place no marker covers (tried from the middle outwards).  The hover keeps the detail either way.
    """
    span_ms = max(1, (x_end - x_start).days) * DAY_MS
    lo, hi = datetime.combine(x_start, time.min), datetime.combine(x_end, time.min)
    counts: dict[str, int] = defaultdict(int)
    marks: dict[str, list[datetime]] = defaultdict(list)
    bars: dict[str, list[tuple[int, int, datetime, datetime]]] = defaultdict(list)
    for ti, trace in enumerate(fig.data):
        if trace.type == "bar":
            for pi, (base, ms, lane) in enumerate(zip(trace.base, trace.x, trace.y, strict=True)):
                s = datetime.fromisoformat(base)
                e = s + timedelta(milliseconds=float(ms))
                bars[lane].append((ti, pi, s, e))
                counts[lane] += e >= lo and s <= hi
        elif trace.type in ("scatter", "scattergl") and trace.name != "lanes" and trace.x is not None:
            for x, lane in zip(trace.x, trace.y, strict=True):
                at = datetime.fromisoformat(x)
                counts[lane] += lo <= at <= hi
                marks[lane].append(at)

    def ms_of(px: float) -> timedelta:
        return timedelta(milliseconds=px / PLOT_PX * span_ms)

    labels = []
    for lane, items in bars.items():
        if counts[lane] > SPARSE_LANE:
            continue
        for ti, pi, s, e in items:
            texts = fig.data[ti].text or ()
            text = texts[pi] if pi < len(texts) else ""
            if not text or any((a, b) != (ti, pi) and c < e and s < d for a, b, c, d in items):
                continue
            v0, v1 = max(s, lo), min(e, hi)
            half = ms_of(len(html.unescape(text)) * CHAR_PX / 2 + 4)
            if v1 - v0 < 2 * half:
                continue
            guard = half + ms_of(6)  # half a marker
            middle, step = v0 + (v1 - v0) / 2, ms_of(8)
            room = (v1 - v0) / 2 - half
            for k in range(int(room / step) + 1 if step else 1):
                spot = next((c for c in (middle - step * k, middle + step * k)
                             if not any(c - guard <= at <= c + guard for at in marks[lane])), None)
                if spot is not None:
                    labels.append((spot, lane, text, fig.data[ti].textfont.color or "#000000"))
                    break
    for trace in fig.data:
        if trace.type == "bar":
            trace.text = None
    for k, (spot, lane, text, colour) in enumerate(labels):
        fig.add_annotation(x=spot.strftime("%Y-%m-%d %H:%M:%S"), y=lane, xref="x", yref="y", text=text,
                           showarrow=False, font={"size": 11, "color": colour}, name=f"span-label-{k}")


def timeline_figure(events: Iterable[Event], reconciliation=None, as_of: date | None = None,
                    order_id: str | None = None, lang: str | None = None,
                    deadlines: Sequence[tuple[date, str]] = (), title: str | None = None,
                    horizon_days: int = HORIZON_DAYS) -> go.Figure:
    """The chart for a whole case, or for one order (``order_id``).

    The x axis runs from the first event to at most ``as_of + horizon_days``; deadlines after that
    are not drawn (``fig.layout.meta["later_deadlines"]`` lists them, a note on the chart counts them).
    """
    with _language(lang):
        as_of = as_of or today_brussels()
        events = sorted(filter_events(events, order_id=order_id), key=sort_key)
        labels = [lane_label(lane) for lane in LANES]
        drawn, later = split_deadlines(deadlines, as_of, horizon_days)
        fig = go.Figure()
        for trace in waiting_spans(events, reconciliation, as_of, order_id):
            fig.add_trace(trace)
        for trace in _marker_traces(events):
            fig.add_trace(trace)
        days = [ev.on for ev in events] + [as_of]
        days += [mc.expected_since for mc in getattr(reconciliation, "missing_credits", None) or ()
                 if order_id is None or mc.order_id == order_id]
        first = min(days + [d for d, _l in drawn])
        pad = max(2, (max(days) - first).days // 40)
        x_start = first - timedelta(days=pad)
        # today and the drawn deadlines, plus a little room; never past the horizon unless events are
        x_end = min(as_of + timedelta(days=horizon_days),
                    max([as_of, *(d for d, _l in drawn)]) + timedelta(days=pad + 1))
        x_end = max(x_end, max(days) + timedelta(days=1), as_of + timedelta(days=2))
        span = max(1, (x_end - x_start).days)
        # every lane is shown, even an empty one (an empty "Messages" lane says something too)
        fig.add_trace(go.Scatter(x=[_day_start(x_start)] * len(labels), y=labels, mode="markers",
                                 marker={"opacity": 0, "size": 1}, hoverinfo="skip", showlegend=False,
                                 name="lanes"))
        _span_labels(fig, x_start, x_end)

        def px(day: date) -> float:
            return ((day - x_start).days + 0.5) / span * PLOT_PX

        lines = [(as_of, _("Today · {day}", day=fmt_day(as_of)), _("Today (as of) {day}", day=fmt_day(as_of)),
                  OKABE_ITO["vermillion"], "solid")]
        lines += [(d, _("{deadline} · {day}", deadline=_short(label), day=fmt_day(d)),
                   _("{deadline} ({day})", deadline=label, day=fmt_day(d)), OKABE_ITO["blue"], "dash")
                  for d, label in drawn]
        rows = _place_labels([(px(d), len(short) * CHAR_PX + 10) for d, short, *_r in lines])
        for k, ((day, short, full, colour, dash), row) in enumerate(zip(lines, rows, strict=True)):
            _add_vline(fig, day, short, full, colour, dash, row, px(day) / PLOT_PX, f"line-{k}")
        if drawn:
            fig.add_trace(go.Scatter(  # hover on the deadline lines, in every lane: the full label
                x=[f"{d.isoformat()} 12:00:00" for d, _l in drawn for _lane in labels],
                y=[lane for _d in drawn for lane in labels], mode="markers", name="deadlines", showlegend=False,
                marker={"opacity": 0, "size": 14}, customdata=[_esc(full) for _d, _s, full, *_r in lines[1:]
                                                               for _lane in labels],
                hovertemplate="%{customdata}<extra></extra>"))
        used_rows = max((r for r in rows if r is not None), default=0) + 1
        if later:  # two rows of their own, right-aligned above the line labels (short lines fit a phone)
            note = (_("1 later deadline, {first}, not drawn", first=fmt_day(later[0][0])) if len(later) == 1
                    else _("{n} later deadlines, {first} to {last}, not drawn", n=len(later),
                           first=fmt_day(later[0][0]), last=fmt_day(later[-1][0])))
            fig.add_annotation(
                name="later-deadlines", xref="paper", yref="paper", x=1, y=1.0, xanchor="right", yanchor="bottom",
                yshift=2 + LABEL_ROW_PX * used_rows, showarrow=False, font={"color": OKABE_ITO["blue"], "size": 12},
                text=_esc(note).replace(", ", ",<br>", 1), align="right",
                hovertext="<br>".join(_esc(f"{fmt_day(d)}: {label}") for d, label in later))
            used_rows += 2
        ticks = date_ticks(x_start, x_end)
        heading = title or (_("Dispute timeline, order {order}", order=order_id) if order_id
                            else _("Dispute timeline"))
        fig.update_layout(
            title={"text": _esc(heading), "x": 0.01, "xanchor": "left", "y": 0.995, "yanchor": "top"},
            barmode="overlay", template="plotly_white", height=140 + 75 * len(labels) + LABEL_ROW_PX * used_rows,
            margin={"l": 10, "r": 30, "t": 40 + LABEL_ROW_PX * used_rows, "b": 130},
            font={"family": "DejaVu Sans, Arial, sans-serif", "size": 13},
            legend={"orientation": "h", "yref": "container", "yanchor": "bottom", "y": 0.01, "x": 0,
                    "xanchor": "left", "font": {"size": 12}},
            hovermode="closest", hoverlabel={"align": "left"},
            separators=number_separators(),
            xaxis={"type": "date", "title": {"text": _("Date (Brussels time)")}, "automargin": True,
                   "range": [_day_start(x_start), _day_start(x_end)], "tickmode": "array",
                   "tickvals": ticks[0], "ticktext": ticks[1],
                   "showgrid": True, "gridcolor": "#e5e5e5"},
            yaxis={"type": "category", "categoryorder": "array", "categoryarray": labels, "autorange": "reversed",
                   "title": {"text": _("Source")}, "automargin": True, "showgrid": True, "gridcolor": "#eeeeee",
                   "fixedrange": True},
        )
        fig.layout.meta = {"as_of": as_of.isoformat(), "order_id": order_id, "lanes": list(LANES), "lang": get_language(),
                           "horizon_days": horizon_days,
                           "drawn_deadlines": [[d.isoformat(), label] for d, label in drawn],
                           "later_deadlines": [[d.isoformat(), label] for d, label in later]}
        return fig


def date_ticks(x_start: date, x_end: date, lang: str | None = None) -> tuple[list[str], list[str]]:
    """Tick positions and labels of the date axis, written by babel in the language's own month
    names (``janv. 2026``, ``mrt 2026``, ``Mai 2026``), so every renderer (the app, the HTML file, the
    PDF's picture) shows them in the language: a week apart on a short range, else one to twelve
    months apart so that about eight fit."""
    from babel.dates import format_date

    from ..i18n import LOCALES

    locale = LOCALES.get(lang or get_language(), "en_BE")
    days = max(1, (x_end - x_start).days)
    if days <= 45:
        step = 7 if days > 14 else 1 if days <= 7 else 2
        first = x_start + timedelta(days=(-x_start.weekday()) % 7 if step == 7 else 0)
        ticks = [first + timedelta(days=k) for k in range(0, days + 1, step)]
        return [_day_start(d) for d in ticks], [format_date(d, "d MMM", locale=locale) for d in ticks]
    months = days / 30.4
    step = next(m for m in (1, 2, 3, 4, 6, 12) if months / m <= 8 or m == 12)
    year, month = x_start.year, x_start.month + 1  # the first month start inside the range
    ticks = []
    while True:
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
        d = date(year, month, 1)
        if d > x_end:
            break
        if (d.year * 12 + d.month - 1) % step == 0:
            ticks.append(d)
        month += 1
    return [_day_start(d) for d in ticks], [format_date(d, "MMM y", locale=locale) for d in ticks]


def number_separators(lang: str | None = None) -> str:
    """plotly's ``separators`` (decimal mark, then group mark) of the language's Belgian format."""
    from babel.numbers import get_decimal_symbol, get_group_symbol

    from ..i18n import LOCALES

    locale = LOCALES.get(lang or get_language(), "en_BE")
    return get_decimal_symbol(locale) + get_group_symbol(locale).replace("\u202f", "\xa0")


def _add_vline(fig: go.Figure, day: date, label: str, full: str, colour: str, dash: str, row: int | None,
               position: float, name: str) -> None:
    """A vertical line; its short label above the plot in ``row`` (none when ``row`` is None), the full
    text in the label's hover.  Labels near an edge are anchored inwards."""
    x = f"{day.isoformat()} 12:00:00"
    fig.add_shape(type="line", x0=x, x1=x, xref="x", yref="paper", y0=0, y1=1,
                  line={"color": colour, "width": 2, "dash": dash}, name=name)
    if row is None:
        return
    anchor = _anchor(position * PLOT_PX, len(label) * CHAR_PX + 10)
    fig.add_annotation(x=x, xref="x", yref="paper", y=1.0, yanchor="bottom", yshift=2 + LABEL_ROW_PX * row,
                       text=_esc(label), hovertext=_esc(full), showarrow=False, xanchor=anchor, name=name,
                       font={"color": colour, "size": 12}, bgcolor="rgba(255,255,255,0.85)")


def timeline_html(fig: go.Figure) -> str:
    from .render import timeline_html as render

    return render(fig)


def timeline_png(fig: go.Figure, width: int = 1400, height: int | None = None) -> bytes:
    from .render import render_png

    return render_png(fig, width, height).data


def chart_deadlines(case, reconciliation, as_of: date, events: list[Event] | None = None,
                    order_id: str | None = None, limit: int | None = 20) -> list[tuple[date, str]]:
    """Upcoming deadlines (complaint.dossier.deadlines) as (day, label) pairs for the chart; for the whole
    case the label names the order.  The chart draws those within its horizon, the page lists the rest."""
    from ..dossier.deadlines import deadlines, upcoming

    items = deadlines(case, reconciliation, as_of, events=events,
                      order_ids=[order_id] if order_id else None)
    return [(d.date, d.label if order_id else _("{deadline}, order {order}", deadline=d.label, order=d.order_id))
            for d in upcoming(items, as_of, limit=limit)]

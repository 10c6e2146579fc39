"""The dispute timeline: swimlanes by source, event markers, waiting spans, today and deadlines.

Design (research notes, streamlit.md section 5): one categorical y axis of lanes (translated
labels, ``automargin`` so they never overlap the plot), point events as markers with hover detail
per lane (``go.Scattergl`` when a lane has more than ``GL_THRESHOLD`` points), waiting periods as
horizontal ``go.Bar`` spans with a date ``base`` (delivery time, dispute duration, refund waiting
time with the overdue part in red), a line for today (the as-of date) and dashed lines for
upcoming deadlines.  Colours are the Okabe-Ito palette (colour-blind safe); lanes also differ
by position and kinds by marker symbol, so nothing relies on colour alone.

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

from .calendar_be import BRUSSELS, today_brussels
from .chronology import LANES, filter_events, format_when, kind_label, lane_label, open_disputes, sort_key
from .i18n import _, get_language, set_language
from .records import Event

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
            customdata=[[_esc(ev.title[:200]), format_when(ev), ", ".join(ev.order_ids) or "-",
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
                                                       order=oid, n=days, start=p.on, end=delivered[oid].on),
                             _("…{short}: {n} days", short=oid[-4:], n=days)))
        elif oid in shipped and as_of > p.on:
            waiting_delivery.append((start, today, order_lane, _("Order {order}: not delivered yet, {n} days since "
                                                                 "the order", order=oid, n=(as_of - p.on).days),
                                     _("…{short}: not delivered", short=oid[-4:])))
    disputes = [(datetime.combine(start, time.min), datetime.combine(end, time(23, 59)), dispute_lane,
                 _("Order {order}: dispute open {start} to {end} ({n} days)", order=oid, start=start, end=end,
                   n=(end - start).days), _("…{short}: dispute, {n} days", short=oid[-4:], n=(end - start).days))
                for oid, (start, end) in open_disputes(events, as_of).items()]
    within, overdue = [], []
    for mc in getattr(reconciliation, "missing_credits", None) or ():
        if order_id is not None and mc.order_id != order_id:
            continue
        amount = f"{mc.expected_amount} {mc.currency}"
        since = datetime.combine(mc.expected_since, time.min)
        due = datetime.combine(mc.due_date, time.min)
        if mc.state == "overdue" and mc.due_date < as_of:
            within.append((since, due, bank_lane, _("Order {order}: refund of {amount} expected since {since}, "
                                                    "due by {due}", order=mc.order_id, amount=amount,
                                                    since=mc.expected_since, due=mc.due_date)))
            overdue.append((due, today, bank_lane, _("Order {order}: refund of {amount} OVERDUE since {due} "
                                                     "({n} business days waiting)", order=mc.order_id, amount=amount,
                                                     due=mc.due_date, n=mc.business_days_waiting),
                            _("overdue {n} days", n=(as_of - mc.due_date).days)))
        else:
            within.append((since, today, bank_lane, _("Order {order}: refund of {amount} expected since {since}, "
                                                      "due by {due}", order=mc.order_id, amount=amount,
                                                      since=mc.expected_since, due=mc.due_date)))
    traces = [
        _span_trace(_("Delivery time"), delivery, OKABE_ITO["sky_blue"], 0.35, "span-delivery"),
        _span_trace(_("Waiting for delivery"), waiting_delivery, OKABE_ITO["sky_blue"], 0.35, "span-delivery-wait",
                    pattern="/"),
        _span_trace(_("Dispute open"), disputes, OKABE_ITO["grey"], 0.45, "span-dispute"),
        _span_trace(_("Refund awaited (within the announced delay)"), within, WAITING_COLOUR, 0.45, "span-refund"),
        _span_trace(_("Refund overdue"), overdue, OVERDUE_COLOUR, 0.75, "span-overdue"),
    ]
    return [t for t in traces if t is not None]


def timeline_figure(events: Iterable[Event], reconciliation=None, as_of: date | None = None,
                    order_id: str | None = None, lang: str | None = None,
                    deadlines: Sequence[tuple[date, str]] = (), title: str | None = None) -> go.Figure:
    """The chart for a whole case, or for one order (``order_id``)."""
    with _language(lang):
        as_of = as_of or today_brussels()
        events = sorted(filter_events(events, order_id=order_id), key=sort_key)
        labels = [lane_label(lane) for lane in LANES]
        fig = go.Figure()
        for trace in waiting_spans(events, reconciliation, as_of, order_id):
            fig.add_trace(trace)
        for trace in _marker_traces(events):
            fig.add_trace(trace)
        days = [ev.on for ev in events] + [as_of] + [d for d, _l in deadlines]
        days += [mc.expected_since for mc in getattr(reconciliation, "missing_credits", None) or ()
                 if order_id is None or mc.order_id == order_id]
        first, last = min(days), max(days)
        pad = max(2, (last - first).days // 25)
        # every lane is shown, even an empty one (an empty "Messages" lane says something too)
        fig.add_trace(go.Scatter(x=[_day_start(first)] * len(labels), y=labels, mode="markers",
                                 marker={"opacity": 0, "size": 1}, hoverinfo="skip", showlegend=False,
                                 name="lanes"))
        x_start, x_end = first - timedelta(days=pad), last + timedelta(days=pad + 1)
        span = max(1, (x_end - x_start).days)

        def where(day: date) -> float:
            return (day - x_start).days / span

        _add_vline(fig, as_of, _("Today {day}", day=as_of.isoformat()), OKABE_ITO["vermillion"], "solid", 1.0,
                   where(as_of))
        for k, (day, label) in enumerate(sorted(deadlines)):
            _add_vline(fig, day, _esc(label) + f" ({day.isoformat()})", OKABE_ITO["blue"], "dash",
                       1.0 + 0.07 * ((k % 3) + 1), where(day))
        heading = title or (_("Dispute timeline, order {order}", order=order_id) if order_id
                            else _("Dispute timeline"))
        fig.update_layout(
            title={"text": _esc(heading), "x": 0.01, "xanchor": "left", "y": 0.98, "yanchor": "top"},
            barmode="overlay", template="plotly_white", height=140 + 75 * len(labels),
            margin={"l": 10, "r": 30, "t": 70 + 22 * min(3, len(deadlines)), "b": 130},
            font={"family": "DejaVu Sans, Arial, sans-serif", "size": 13},
            legend={"orientation": "h", "yref": "container", "yanchor": "bottom", "y": 0.01, "x": 0,
                    "xanchor": "left", "font": {"size": 12}},
            hovermode="closest", hoverlabel={"align": "left"},
            xaxis={"type": "date", "title": {"text": _("Date (Brussels time)")}, "automargin": True,
                   "range": [_day_start(x_start), _day_start(x_end)],
                   "showgrid": True, "gridcolor": "#e5e5e5"},
            yaxis={"type": "category", "categoryorder": "array", "categoryarray": labels, "autorange": "reversed",
                   "title": {"text": _("Source")}, "automargin": True, "showgrid": True, "gridcolor": "#eeeeee",
                   "fixedrange": True},
        )
        fig.layout.meta = {"as_of": as_of.isoformat(), "order_id": order_id, "lanes": list(LANES)}
        return fig


def _add_vline(fig: go.Figure, day: date, label: str, colour: str, dash: str, y_label: float,
               position: float = 0.5) -> None:
    """A vertical line with its label above the plot; labels near an edge are anchored inwards."""
    x = f"{day.isoformat()} 12:00:00"
    anchor = "right" if position > 0.8 else "left" if position < 0.2 else "center"
    fig.add_shape(type="line", x0=x, x1=x, xref="x", yref="paper", y0=0, y1=1,
                  line={"color": colour, "width": 2, "dash": dash}, name=label)
    fig.add_annotation(x=x, xref="x", yref="paper", y=y_label, yanchor="bottom", text=label, showarrow=False,
                       xanchor=anchor, font={"color": colour, "size": 12}, bgcolor="rgba(255,255,255,0.8)")


def timeline_html(fig: go.Figure) -> str:
    from .timeline_render import timeline_html as render

    return render(fig)


def timeline_png(fig: go.Figure, width: int = 1400, height: int | None = None) -> bytes:
    from .timeline_render import render_png

    return render_png(fig, width, height).data


def chart_deadlines(case, reconciliation, as_of: date, events: list[Event] | None = None,
                    order_id: str | None = None, limit: int = 6) -> list[tuple[date, str]]:
    """Upcoming deadlines (complaint.deadlines) as (day, label) pairs for the chart."""
    from .deadlines import deadlines, upcoming

    items = deadlines(case, reconciliation, as_of, events=events,
                      order_ids=[order_id] if order_id else None)
    return [(d.date, d.label) for d in upcoming(items, as_of, limit=limit)]

"""The timeline figure, its private HTML export and the PNG fallback."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import plotly.graph_objects as go
import pytest

from complaint.timeline.chart import (
    GL_THRESHOLD,
    HORIZON_DAYS,
    OVERDUE_COLOUR,
    split_deadlines,
    timeline_figure,
    timeline_html,
)
from complaint.timeline.events import build_chronology, manual_event
from complaint.timeline.render import PRIVATE_CONFIG, matplotlib_png, render_png
from tests.test_chronology import O1, O2, make_case

BXL = ZoneInfo("Europe/Brussels")
LANE_NAMES = ["Order", "Bank / PayPal", "Evidence", "Messages", "Tracking", "Dispute"]


def figure(**kw):
    case, rec = make_case()
    return timeline_figure(build_chronology(case, rec), rec, as_of=case.as_of, **kw)


def test_lanes_markers_and_hover():
    fig = figure()
    assert list(fig.layout.yaxis.categoryarray) == LANE_NAMES
    assert fig.layout.yaxis.automargin and fig.layout.yaxis.type == "category"
    assert fig.layout.xaxis.title.text and fig.layout.yaxis.title.text
    lanes = {t.name for t in fig.data if t.type == "scatter" and t.mode == "markers" and t.name != "lanes"}
    assert {"Order", "Bank / PayPal", "Evidence", "Tracking", "Dispute"} <= lanes
    bank = next(t for t in fig.data if t.name == "Bank / PayPal")
    assert any("date only" in row[1] for row in bank.customdata)
    order = next(t for t in fig.data if t.name == "Order")
    assert any(row[1] == "20 Feb 2026 21:14 +01:00" for row in order.customdata)  # Belgian English format
    assert any(O1 in row[2] for row in order.customdata)
    # every lane is on the axis even without events (the invisible lane trace)
    assert list(next(t for t in fig.data if t.name == "lanes").y) == LANE_NAMES


def test_overdue_span_is_red_and_today_line():
    fig = figure(deadlines=[(date(2026, 5, 15), "Chargeback <b>deadline</b>")])
    overdue = next(t for t in fig.data if t.type == "bar" and t.name == "Refund overdue")
    r, g, b = (int(OVERDUE_COLOUR[i:i + 2], 16) for i in (1, 3, 5))
    assert overdue.marker.color.startswith(f"rgba({r}, {g}, {b}")
    assert overdue.base == ("2026-04-22 00:00:00",) and overdue.y == ("Bank / PayPal",)
    end = datetime.fromisoformat(overdue.base[0]) + timedelta(milliseconds=overdue.x[0])
    assert end.date() == date(2026, 5, 4)  # up to today (as_of)
    names = {t.name for t in fig.data if t.type == "bar"}
    assert {"Delivery time", "Dispute open", "Refund awaited (within the announced delay)"} <= names
    xs = {s.x0 for s in fig.layout.shapes}
    assert "2026-05-04 12:00:00" in xs and "2026-05-15 12:00:00" in xs
    texts = [a.text for a in fig.layout.annotations]
    assert "Today · 04 May 2026" in texts  # the today line, labelled in the language's Belgian date format
    assert any("&lt;b&gt;" in t for t in texts)  # a user label cannot inject markup


def test_filter_by_order():
    fig = figure(order_id=O2)
    for trace in fig.data:
        if trace.type == "scatter" and trace.name != "lanes":
            assert all(O2 in row[2] for row in trace.customdata)
    assert not any(t.name == "Refund overdue" for t in fig.data)  # O1's refund
    assert O2 in fig.layout.title.text


def test_many_events_use_webgl():
    case, rec = make_case()
    start = datetime(2026, 1, 1, 8, tzinfo=BXL)
    extra = [manual_event("tracking", f"scan {i}", date(2026, 1, 1), at=start + timedelta(minutes=7 * i),
                          order_ids=[O1])[0] for i in range(GL_THRESHOLD + 5)]
    case.events.extend(extra)
    fig = timeline_figure(build_chronology(case, rec), rec, as_of=case.as_of)
    tracking = next(t for t in fig.data if t.name == "Tracking")
    assert isinstance(tracking, go.Scattergl)
    assert isinstance(next(t for t in fig.data if t.name == "Order"), go.Scatter)


def test_html_is_self_contained_and_private():
    html = timeline_html(figure())
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert not re.search(r"<script[^>]+src\s*=", html, re.I)
    assert not re.search(r"<link[^>]+href\s*=\s*[\"']?(https?:)?//", html, re.I)
    assert not re.search(r"<(img|iframe|embed|object)[^>]+(src|data)\s*=\s*[\"']?(https?:)?//", html, re.I)
    assert '"showSendToCloud": false' in html and '"displaylogo": false' in html
    config = html[html.rfind('"showSendToCloud"'):]
    assert '"topojsonURL": ""' in config and "http" not in config  # plotly.py drops plotlyServerURL itself
    assert "cdn.plot.ly" not in html.split("</script>")[-1]
    assert len(html) > 1_000_000  # plotly.js is inlined
    assert PRIVATE_CONFIG["showSendToCloud"] is False


def test_png_fallback_without_browser(monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    fig = figure()
    result = render_png(fig, 900, 500, scale=1)
    assert result.engine == "matplotlib" and "Chromium" in result.note
    assert result.data.startswith(b"\x89PNG\r\n\x1a\n")
    assert matplotlib_png(fig, 600, 400, scale=1).startswith(b"\x89PNG")


def test_cli_prints_chronology_and_writes_html(tmp_path):
    import json
    from pathlib import Path

    from click.testing import CliRunner

    from complaint.cli import cli

    sample = Path(__file__).resolve().parent.parent / "sample_data"
    orders = sample / "orders" / "aliexpress_orders.csv"
    chat = tmp_path / "chat.txt"
    chat.write_text("Shop  2026-01-27 18:50\n=HYPERLINK(\"x\")\nYou  2026-01-27 18:52\nBroken.\n", encoding="utf-8")
    oid = "3082753449609284"
    base = ["timeline", "--orders", str(orders), "--as-of", "2026-11-20", "--messages", str(chat), "--order", oid]
    runner = CliRunner()
    res = runner.invoke(cli, [*base, "--format", "json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert {"order_placed", "message_in", "message_out"} <= {r["kind"] for r in rows}
    msg = next(r for r in rows if r["kind"] == "message_out")
    assert msg["when"] == "2026-01-27T18:52:00+01:00" and msg["order_ids"] == [oid] and msg["lane"] == "messages"
    csv_out = runner.invoke(cli, [*base, "--format", "csv"])
    assert csv_out.exit_code == 0
    import csv
    import io

    table = list(csv.reader(io.StringIO(csv_out.stdout)))
    assert table[0] == ["when", "lane", "kind", "title", "order_ids", "evidence", "source"]
    assert all(not c.startswith(("=", "+", "-", "@")) for row in table for c in row)
    out = tmp_path / "chart.html"
    res = runner.invoke(cli, [*base, "--out", str(out)])
    assert res.exit_code == 0 and out.read_text(encoding="utf-8").startswith("<!doctype html>")
    bad = runner.invoke(cli, ["timeline", "--orders", str(orders), "--messages", str(chat)])
    assert bad.exit_code == 2 and "--order" in bad.output


# --- readability on the sample case: horizon, deadline labels, dense lanes ------------------------

@pytest.fixture(scope="module")
def sample():
    from complaint.api.sample import sample_case_data
    from complaint.reconciliation.reconcile import reconcile
    from complaint.timeline.chart import chart_deadlines

    case = sample_case_data()
    rec = reconcile(case, as_of=case.as_of)
    events = build_chronology(case, rec, case.as_of)
    return case, rec, events, chart_deadlines(case, rec, case.as_of, events)


def _day(value) -> date:
    return datetime.fromisoformat(str(value)).date()


def test_sample_x_range_ends_within_the_horizon(sample):
    case, rec, events, deadlines = sample
    assert max(d for d, _l in deadlines) > case.as_of + timedelta(days=365)  # the legal guarantee, 2028
    fig = timeline_figure(events, rec, as_of=case.as_of, deadlines=deadlines)
    start, end = (_day(x) for x in fig.layout.xaxis.range)
    assert case.as_of < end <= case.as_of + timedelta(days=HORIZON_DAYS)
    assert start <= min(ev.on for ev in events) and (min(ev.on for ev in events) - start).days <= 15
    drawn = {_day(s.x0) for s in fig.layout.shapes}
    assert all(start <= d <= end for d in drawn)
    later = fig.layout.meta["later_deadlines"]
    assert [d for d, _l in later] == sorted(d.isoformat() for d, _l in deadlines if d > end)
    assert len(later) == 4 and all("Legal guarantee" in label and "order" in label for _d, label in later)
    note = next(a for a in fig.layout.annotations if a.name == "later-deadlines")
    assert note.text.startswith("4 later deadlines") and "08 Jun 2028" in note.text
    assert "Legal guarantee" in note.hovertext
    shorter = timeline_figure(events, rec, as_of=case.as_of, deadlines=deadlines, horizon_days=5)
    assert _day(shorter.layout.xaxis.range[1]) <= case.as_of + timedelta(days=5)
    assert len(shorter.layout.meta["later_deadlines"]) == 5


def _label_boxes(fig, plot_px=1000, char_px=6.0):
    """(row, left, right) in px of each line label, from the annotation's own anchor."""
    x0, x1 = (datetime.fromisoformat(x) for x in fig.layout.xaxis.range)
    boxes = []
    for a in fig.layout.annotations:
        if not (a.name or "").startswith("line-"):
            continue
        x = (datetime.fromisoformat(a.x) - x0) / (x1 - x0) * plot_px
        w = len(a.text) * char_px
        left = x - w / 2 if a.xanchor == "center" else x if a.xanchor == "left" else x - w
        boxes.append((a.yshift, left, left + w, a.text))
    return boxes


def test_deadline_labels_never_overlap():
    case, rec = make_case()
    as_of = case.as_of
    crowded = [(as_of + timedelta(days=k), f"Chargeback deadline for the card payment number {k}")
               for k in (1, 2, 3, 5, 8, 9, 30, 31)]
    fig = timeline_figure(build_chronology(case, rec), rec, as_of=as_of, deadlines=crowded)
    boxes = _label_boxes(fig)
    assert len(boxes) >= 4  # today and several deadlines are labelled, in several rows
    assert len({row for row, *_r in boxes}) >= 3
    for i, (row, left, right, text) in enumerate(boxes):
        for row2, left2, right2, text2 in boxes[i + 1:]:
            if row == row2:
                assert right <= left2 or right2 <= left, (text, text2)
    today = next(b for b in boxes if b[3].startswith("Today"))
    assert today[0] == min(row for row, *_r in boxes)  # today stays on the row next to the plot
    # labels are short (kind + date), the full text is in their hover and on the lines' hover trace
    labelled = [a for a in fig.layout.annotations if (a.name or "").startswith("line-") and "Chargeback" in a.text]
    assert all(len(a.text) <= 45 and "number" in a.hovertext for a in labelled)
    hover = next(t for t in fig.data if t.name == "deadlines")
    assert {row for row in hover.customdata} >= {f"{label} ({d.strftime('%d %b %Y')})" for d, label in crowded}
    assert len([s for s in fig.layout.shapes if s.line.dash == "dash"]) == len(crowded)  # every line is drawn


def test_sample_dense_lanes_have_no_text(sample):
    case, rec, events, deadlines = sample
    fig = timeline_figure(events, rec, as_of=case.as_of, deadlines=deadlines)
    counts = {}
    for t in fig.data:
        if t.name not in ("lanes", "deadlines"):
            for lane in t.y:
                counts[lane] = counts.get(lane, 0) + 1
    dense = {lane for lane, n in counts.items() if n > 12}  # well beyond sparse, whatever the constant
    assert {"Order", "Bank / PayPal", "Dispute"} <= dense
    assert all(not t.text for t in fig.data if t.type == "bar")
    assert all(t.mode == "markers" and not t.text for t in fig.data if t.type in ("scatter", "scattergl"))
    assert not [a.text for a in fig.layout.annotations if a.yref == "y" and a.y in dense]


def test_sparse_lane_label_avoids_markers(sample):
    case, rec, events, _deadlines = sample
    overdue = next(m for m in rec.missing_credits if m.state == "overdue")
    fig = timeline_figure(events, rec, as_of=case.as_of, order_id=overdue.order_id)
    label = next(a for a in fig.layout.annotations if a.yref == "y" and a.text.startswith("overdue"))
    assert label.y == "Bank / PayPal"
    x0, x1 = (datetime.fromisoformat(x) for x in fig.layout.xaxis.range)
    at = datetime.fromisoformat(label.x)
    assert datetime.combine(overdue.due_date, datetime.min.time()) < at < x1
    half = (x1 - x0) * (len(label.text) * 7 / 2 / 700)
    bank = next(t for t in fig.data if t.name == "Bank / PayPal")
    assert all(abs(datetime.fromisoformat(x) - at) > half for x in bank.x)


def test_split_deadlines():
    as_of = date(2026, 11, 20)
    items = [(date(2028, 1, 1), "b"), (date(2026, 12, 1), "a"), (date(2027, 1, 19), "c", "extra")]
    assert split_deadlines(items, as_of) == ([(date(2026, 12, 1), "a"), (date(2027, 1, 19), "c")],
                                             [(date(2028, 1, 1), "b")])
    assert split_deadlines(items, as_of, horizon_days=10) == ([], [(date(2026, 12, 1), "a"), (date(2027, 1, 19), "c"),
                                                                   (date(2028, 1, 1), "b")])

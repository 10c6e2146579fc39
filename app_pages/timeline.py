"""Timeline: the dispute chart, the chronology table, flags, and adding events (form, paste, table)."""

from datetime import datetime

import streamlit as st

from complaint.errors import ComplaintError
from complaint.fmt import day as fmt_day
from complaint.fmt import moment
from complaint.i18n import _
from complaint.timeline.chart import chart_deadlines, split_deadlines, timeline_figure, timeline_html
from complaint.timeline.events import (
    KINDS,
    LANES,
    build_chronology,
    chronology_frame,
    events_from_rows,
    filter_events,
    kind_label,
    lane_label,
    manual_rows,
)
from complaint.timeline.flags import find_contradictions
from complaint.timeline.paste import parse_conversation, parse_tracking
from complaint.timeline.table import chronology_csv, chronology_markdown
from ui import state
from ui.widgets import headers

st.title(_("Timeline"))
case_id = state.require_case()
store = state.get_store()
case = state.load_case()
as_of = state.as_of()
try:
    rec = state.reconciliation()
    events = build_chronology(case, rec, as_of)
except ComplaintError as exc:
    st.error(str(exc))
    st.stop()

order_ids = [o.order_id for o in case.orders]
all_label = _("All orders")
picked = st.selectbox(_("Order"), [all_label, *order_ids], key="tl_order",
                      format_func=lambda o: o if o == all_label else f"{o} · {(case.order(o).store or '')}")
order_id = None if picked == all_label else picked
shown = filter_events(events, order_id=order_id)

try:
    deadlines = chart_deadlines(case, rec, as_of, events, order_id)
except ComplaintError as exc:
    deadlines = []
    st.warning(str(exc))
fig = timeline_figure(events, rec, as_of=as_of, order_id=order_id, deadlines=deadlines)
st.plotly_chart(fig, theme=None, key="tl_chart", config={"displaylogo": False})
_drawn, later = split_deadlines(deadlines, as_of, int(fig.layout.meta["horizon_days"]))
if later:
    st.caption(_("Later deadlines, not drawn on the chart (it shows up to {n} days after today):",
                 n=fig.layout.meta["horizon_days"]))
    st.dataframe([{_("Date"): fmt_day(d), _("Days left"): (d - as_of).days, _("Deadline"): label}
                  for d, label in later], hide_index=True, width="stretch", key="tl_later")

flags = find_contradictions(shown, case, as_of=as_of)
if flags:
    with st.expander(_("{n} things to check in the chronology", n=len(flags)), expanded=True):
        for flag in flags:
            (st.warning if flag.severity == "warning" else st.info)(flag.message)

st.subheader(_("Chronology"))
lanes = st.multiselect(_("Sources"), list(LANES), default=list(LANES), format_func=lane_label, key="tl_lanes")
table = chronology_frame(filter_events(shown, lanes=lanes), human=True)
st.dataframe(table[["when", "lane_label", "kind_label", "title", "order_ids", "evidence_ids", "source"]],
             hide_index=True, width="stretch",
             column_config={"when": _("Date and time"), "lane_label": _("Source"), "kind_label": _("Event"),
                            "title": _("Title"), "order_ids": _("Orders"), "evidence_ids": _("Evidence"),
                            "source": _("Provenance")})
c1, c2, c3 = st.columns(3)
c1.download_button(_("Chart (HTML)"), timeline_html(fig), file_name="timeline.html", mime="text/html",
                   key="tl_dl_html", icon=":material/download:")
c2.download_button(_("Chronology (CSV)"), chronology_csv(shown, case.evidence), file_name="chronology.csv",
                   mime="text/csv", key="tl_dl_csv", icon=":material/download:")
c3.download_button(_("Chronology (Markdown)"), chronology_markdown(shown, case.evidence), file_name="chronology.md",
                   mime="text/markdown", key="tl_dl_md", icon=":material/download:")

st.subheader(_("Add to the chronology"))
add_tab, chat_tab, track_tab, edit_tab = st.tabs([_("One event"), _("Paste a conversation"),
                                                  _("Paste a tracking history"), _("Edit my events")])
with add_tab, st.form("tl_add", clear_on_submit=True):
    kind = st.selectbox(_("What happened"), list(KINDS), format_func=kind_label, key="tl_add_kind")
    day = st.date_input(_("Day"), value=as_of, key="tl_add_day")
    at_text = st.text_input(_("Time (HH:MM, Brussels time; empty if unknown)"), key="tl_add_time")
    title = st.text_input(_("Title"), key="tl_add_title")
    body = st.text_area(_("Details"), key="tl_add_body")
    orders = st.multiselect(_("Orders"), order_ids, default=[order_id] if order_id else [], key="tl_add_orders")
    if st.form_submit_button(_("Add event")):
        rows = [{"day": day, "time": at_text, "kind": kind, "title": title, "body": body, "order_ids": ",".join(orders)}]
        new, problems = events_from_rows(rows)
        for problem in problems:
            st.warning(problem)
        for ev in new:
            store.add_event(case_id, ev)
        if new:
            state.invalidate()
            st.rerun()


def paste_box(key: str, label: str, parse) -> None:
    target = st.selectbox(_("Order"), order_ids, index=order_ids.index(order_id) if order_id else 0,
                          key=f"{key}_order") if order_ids else None
    text = st.text_area(label, height=200, key=f"{key}_text")
    if not text.strip():
        return
    result = parse(text, target)
    for warning in result.warnings:
        st.warning(warning)
    if result.unparsed_lines:
        st.caption(_("Lines not understood (not imported):"))
        st.dataframe([{"line": n, "text": t} for n, t in result.unparsed_lines], hide_index=True,
                     column_config=headers(["line", "text"]))
    st.dataframe(chronology_frame(result.events, human=True)[["when", "kind_label", "title", "body"]], hide_index=True,
                 width="stretch", column_config=headers(["when", "kind_label", "title", "body"]))
    if result.events and st.button(_("Save {n} events", n=len(result.events)), key=f"{key}_save"):
        for ev in result.events:
            store.add_event(case_id, ev)
        state.invalidate()
        st.rerun()


with chat_tab:
    st.caption(_("Copy the conversation from the AliExpress message page and paste it here. Times are read as "
                 "Brussels time, as the page shows them."))
    paste_box("tl_chat", _("Conversation"), parse_conversation)
with track_tab:
    st.caption(_("Copy the tracking history from AliExpress/Cainiao, bpost, PostNL or DHL and paste it here."))
    paste_box("tl_track", _("Tracking history"), parse_tracking)
with edit_tab:
    mine = [ev for ev in case.events if ev.origin == "manual"]
    if not mine:
        st.info(_("No events of your own yet."))
    else:
        edited = st.data_editor(
            manual_rows(mine), key="tl_editor", hide_index=True, width="stretch", num_rows="dynamic",
            disabled=["id"],
            column_config={"day": st.column_config.DateColumn(_("Day")),
                           "time": st.column_config.TextColumn(_("Time (HH:MM)")),
                           "kind": st.column_config.SelectboxColumn(_("Event"), options=list(KINDS)),
                           "title": _("Title"), "order_ids": _("Orders"), "body": _("Details")})
        if st.button(_("Save changes"), key="tl_editor_save"):
            by_id = {ev.id: ev for ev in mine}
            new, problems = events_from_rows(edited, by_id)
            for problem in problems:
                st.warning(problem)
            kept = {ev.id for ev in new}
            for ev in new:
                if by_id.get(ev.id) != ev:
                    store.add_event(case_id, ev)
            for old_id in set(by_id) - kept - {r.get("id") for r in edited}:
                store.delete_event(case_id, old_id)
            state.invalidate()
            st.rerun()
st.caption(_("As of {day}. Times in Brussels time. Generated {now}.", day=fmt_day(as_of),
             now=moment(datetime.now())))

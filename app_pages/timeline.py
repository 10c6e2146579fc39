"""Timeline: the dispute chart, the chronology table, flags, and adding events (form, paste, table)."""

from datetime import datetime

import streamlit as st

from complaint import api
from complaint.errors import ComplaintError
from complaint.fmt import day as fmt_day
from complaint.fmt import moment
from complaint.i18n import _
from ui import state
from ui.safe import md_escape
from ui.widgets import headers, show_error

st.title(_("Timeline"))
handle = state.handle()
case = state.load_case()
as_of = state.as_of()
try:
    rec = state.reconciliation()
    events = api.chronology(case, rec, as_of)
except ComplaintError as exc:
    show_error(exc)
    st.stop()

order_ids = [o.order_id for o in case.orders]
open_ids = api.open_problem_orders(case, rec, as_of)
OPEN, ALL = "open", "all"  # the two groups before the single orders; the page opens on the open problems
choices = {OPEN: _("Orders with an open problem ({n})", n=len(open_ids)), ALL: _("All orders ({n})", n=len(order_ids))}
picked = st.selectbox(_("Order"), [*([OPEN] if open_ids else []), ALL, *order_ids], key="tl_order",
                      format_func=lambda o: choices.get(o) or f"{o} · {(case.order(o).store or '')}")
order_id = None if picked in choices else picked
if picked == OPEN:
    events = [ev for ev in events if not set(ev.order_ids).isdisjoint(open_ids)]
shown = api.chronology(case, rec, as_of, order_id=order_id) if order_id else events

chart = api.timeline_chart(case, rec, as_of, order_id, events=events)
if chart.note:
    st.warning(md_escape(chart.note))
st.plotly_chart(chart.figure, theme=None, key="tl_chart", config={"displaylogo": False})
if chart.later:
    st.caption(_("Later deadlines, not drawn on the chart (it shows up to {n} days after today):",
                 n=chart.horizon_days))
    st.dataframe([{_("Date"): fmt_day(d), _("Days left"): (d - as_of).days, _("Deadline"): label}
                  for d, label in chart.later], hide_index=True, width="stretch", key="tl_later")

flags = api.timeline_flags(case, shown, as_of)
if flags:
    with st.expander(_("{n} things to check in the chronology", n=len(flags)), expanded=True):
        for flag in flags:
            (st.warning if flag.severity == "warning" else st.info)(flag.message)

st.subheader(_("Chronology"))
lanes = api.lanes()
picked_lanes = st.multiselect(_("Sources"), list(lanes), default=list(lanes), format_func=lanes.get, key="tl_lanes",
                              placeholder=_("Choose one or more"))
table = api.build_timeline(case, events=shown, lanes=picked_lanes, human=True)
st.dataframe(table[["when", "lane_label", "kind_label", "title", "order_ids", "evidence_ids", "source"]],
             hide_index=True, width="stretch",
             column_config={"when": _("Date and time"), "lane_label": _("Source"), "kind_label": _("Event"),
                            "title": _("Title"), "order_ids": _("Orders"), "evidence_ids": _("Evidence"),
                            "source": _("Provenance")})
c1, c2, c3 = st.columns(3)
c1.download_button(_("Chart (HTML)"), api.timeline_html(chart.figure), file_name="timeline.html", mime="text/html",
                   key="tl_dl_html", icon=":material/download:")
c2.download_button(_("Chronology (CSV)"), api.chronology_table(case, shown, "csv"), file_name="chronology.csv",
                   mime="text/csv", key="tl_dl_csv", icon=":material/download:")
c3.download_button(_("Chronology (Markdown)"), api.chronology_table(case, shown, "markdown"),
                   file_name="chronology.md", mime="text/markdown", key="tl_dl_md", icon=":material/download:")

st.subheader(_("Add to the chronology"))
kinds = api.event_kinds()
add_tab, chat_tab, track_tab, edit_tab = st.tabs([_("One event"), _("Paste a conversation"),
                                                  _("Paste a tracking history"), _("Edit my events")])


def _notes(changes) -> None:
    for note in changes.notes:
        st.warning(md_escape(note))


with add_tab, st.form("tl_add", clear_on_submit=True):
    kind = st.selectbox(_("What happened"), list(kinds), format_func=kinds.get, key="tl_add_kind")
    day = st.date_input(_("Day"), value=as_of, key="tl_add_day")
    at_text = st.text_input(_("Time (HH:MM, Brussels time; empty if unknown)"), key="tl_add_time")
    title = st.text_input(_("Title"), key="tl_add_title")
    body = st.text_area(_("Details"), key="tl_add_body")
    orders = st.multiselect(_("Orders"), order_ids, default=[order_id] if order_id else [], key="tl_add_orders",
                            placeholder=_("Choose one or more"))
    if st.form_submit_button(_("Add event")):
        try:
            added = api.add_event(handle, kind, day, title, time=at_text, body=body, order_ids=orders)
        except ComplaintError as exc:
            show_error(exc, "warning")
        else:
            _notes(added)
            state.invalidate()
            st.rerun()


def paste_box(key: str, label: str, paste) -> None:
    target = st.selectbox(_("Order"), order_ids, index=order_ids.index(order_id) if order_id else 0,
                          key=f"{key}_order") if order_ids else None
    text = st.text_area(label, height=200, key=f"{key}_text")
    if not text.strip():
        return
    try:
        preview = paste(handle, text, target, save=False)
    except ComplaintError as exc:  # more text than the limits allow
        show_error(exc)
        return
    for warning in preview.warnings:
        st.warning(md_escape(warning))
    if preview.unparsed_lines:
        st.caption(_("Lines not understood (not imported):"))
        st.dataframe([{"line": n, "text": t} for n, t in preview.unparsed_lines], hide_index=True,
                     column_config=headers(["line", "text"]))
    frame = api.build_timeline(case, events=preview.events, human=True)
    st.dataframe(frame[["when", "kind_label", "title", "body"]], hide_index=True, width="stretch",
                 column_config=headers(["when", "kind_label", "title", "body"]))
    if preview.events and st.button(_("Save {n} events", n=len(preview.events)), key=f"{key}_save"):
        paste(handle, text, target)
        state.invalidate()
        st.rerun()


with chat_tab:
    st.caption(_("Copy the conversation from the AliExpress message page and paste it here. Times are read as "
                 "Brussels time, as the page shows them."))
    paste_box("tl_chat", _("Conversation"), api.paste_conversation)
with track_tab:
    st.caption(_("Copy the tracking history from AliExpress/Cainiao, bpost, PostNL or DHL and paste it here."))
    paste_box("tl_track", _("Tracking history"), api.paste_tracking)
with edit_tab:
    rows = api.event_rows(case)
    if not rows:
        st.info(_("No events of your own yet."))
    else:
        edited = st.data_editor(
            rows, key="tl_editor", hide_index=True, width="stretch", num_rows="dynamic", disabled=["id"],
            column_config={"day": st.column_config.DateColumn(_("Day")),
                           "time": st.column_config.TextColumn(_("Time (HH:MM)")),
                           "kind": st.column_config.SelectboxColumn(_("Event"), options=list(kinds)),
                           "title": _("Title"), "order_ids": _("Orders"), "body": _("Details")})
        if st.button(_("Save changes"), key="tl_editor_save"):
            _notes(api.save_event_rows(handle, edited))
            state.invalidate()
            st.rerun()
st.caption(_("As of {day}. Times in Brussels time. Generated {now}.", day=fmt_day(as_of),
             now=moment(datetime.now())))

"""Analyst: refunds still missing across every case of the database, by store, payment method or month."""

import streamlit as st

from complaint import api
from complaint.csvsafe import write_csv
from complaint.errors import ComplaintError
from complaint.i18n import _
from ui import analyst_view as view
from ui import state
from ui.paging import paged
from ui.widgets import show_error

st.title(_("Analyst"))
st.caption(_("Every case in this database is reconciled; the refunds still missing are summed per store, "
             "payment method or month (the month the refund became expected), worst offenders first."))

left, right = st.columns([1, 2])
as_of = left.date_input(_("As of"), value=state.as_of(), key="analyst_as_of", format="DD/MM/YYYY")
by = right.radio(_("Group by"), api.ANALYST_GROUPINGS, format_func=lambda g: _(view.GROUP_LABELS[g]), horizontal=True,
                 key="analyst_by")

try:
    with st.spinner(_("Reconciling every case...")):
        tables = api.overview_all(state.get_store(), as_of=as_of)
except ComplaintError as exc:
    show_error(exc)
    st.stop()

table = tables[by]
detail = tables["detail"]
if detail.empty:
    st.info(_("No refund is missing in any case of this database."))
    st.stop()

c1, c2, c3 = st.columns(3)
c1.metric(_("Overdue refunds"), int(table["overdue"].sum()))
c2.metric(_("Overdue amount"), view.euros(table["overdue_eur_cents"].sum()))
c3.metric(_("Cases concerned"), int(detail["case"].nunique()))

group = _(view.GROUP_LABELS[by])
st.subheader(_("Missing refunds by {what}", what=group.lower()))
shown = table if by == "month" else table.head(40)
st.plotly_chart(view.bar_figure(shown, by), width="stretch", key="analyst_chart", config={"displaylogo": False})
st.dataframe(view.group_table(paged(table, "analyst_table"), by), hide_index=True, width="stretch",
             column_config={group: st.column_config.TextColumn(group, width="large")})

with st.expander(_("Every missing refund ({n})", n=len(detail))):
    st.dataframe(view.detail_table(paged(detail, "analyst_detail")), hide_index=True, width="stretch",
                 column_config={_("Store / seller"): st.column_config.TextColumn(width="large")})
    header, rows = view.detail_csv(detail)
    st.download_button(_("Download as CSV"), write_csv(rows, header).encode("utf-8"),
                       file_name="missing-refunds.csv", mime="text/csv", key="analyst_csv")

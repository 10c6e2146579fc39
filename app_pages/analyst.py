"""Analyst: refunds still missing across every case of the store, by store, payment method or month."""

import streamlit as st

from complaint import api
from complaint.csvsafe import write_csv
from complaint.errors import ComplaintError
from complaint.i18n import _
from ui import state
from ui.paging import paged
from ui.widgets import show_error

st.title(_("Analyst"))
st.caption(_("Every case of this store is reconciled; the refunds still missing are summed per store, "
             "payment method or month (the month the refund became expected), worst offenders first."))

labels = {"store": _("Store / seller"), "payment_method": _("Payment method"), "month": _("Month")}
left, right = st.columns([1, 2])
as_of = left.date_input(_("As of"), value=state.as_of(), key="analyst_as_of")
by = right.radio(_("Group by"), api.ANALYST_GROUPINGS, format_func=labels.get, horizontal=True, key="analyst_by")

try:
    with st.spinner(_("Reconciling every case...")):
        tables = api.overview_all(state.get_store(), as_of=as_of)
except ComplaintError as exc:
    show_error(exc)
    st.stop()

table = tables[by]
detail = tables["detail"]
if detail.empty:
    st.info(_("No refund is missing in any case of this store."))
    st.stop()

c1, c2, c3 = st.columns(3)
c1.metric(_("Overdue refunds"), int(table["overdue"].sum()))
c2.metric(_("Overdue amount (EUR)"), f"{table['overdue_eur_cents'].sum() / 100:,.2f}")
c3.metric(_("Cases concerned"), int(detail["case"].nunique()))

st.subheader(_("Missing refunds by {what}", what=labels[by].lower()))
st.bar_chart(table if by == "month" else table.head(40), x=by, y=["overdue_eur", "pending_eur"], color=["#d62728", "#ff7f0e"], horizontal=by != "month",
             x_label=labels[by] if by == "month" else None, y_label=_("EUR"), stack=True)
st.dataframe(paged(table, "analyst_table"), hide_index=True, use_container_width=True,
             column_config={"overdue_eur": st.column_config.NumberColumn(_("Overdue (EUR)"), format="%.2f"),
                            "pending_eur": st.column_config.NumberColumn(_("Pending (EUR)"), format="%.2f")})

with st.expander(_("Every missing refund ({n})", n=len(detail))):
    st.dataframe(paged(detail, "analyst_detail"), hide_index=True, use_container_width=True)
    rows = [[str(v) for v in r] for r in detail.itertuples(index=False)]
    st.download_button(_("Download as CSV"), write_csv(rows, list(detail.columns)).encode("utf-8"),
                       file_name="missing-refunds.csv", mime="text/csv", key="analyst_csv")

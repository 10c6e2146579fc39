"""Overview: the case at a glance and the next recommended step.

The figures come from ``state.home_figures()``: cached for the session, and kept in the case
store as a snapshot, so a visit to an unchanged case neither loads nor reconciles it."""

import streamlit as st

from complaint.i18n import _
from ui import state
from ui.widgets import day as fmt_day
from ui.widgets import dossier_link, money

st.title(_("Your case at a glance"))
if state.current_case_id() is None:
    st.info(_("Open the sample case or create a case from the sidebar to begin."))
    st.stop()

figures = state.home_figures()
ov = figures.overview
c1, c2, c3, c4 = st.columns(4)
c1.metric(_("Total paid"), money(ov.paid_eur))
c2.metric(_("Refunds expected"), money(ov.refunds_expected_eur))
c3.metric(_("Refunds credited"), money(ov.refunds_credited_eur))
c4.metric(_("Missing credits"), f"{ov.missing_count} · {money(ov.missing_eur)}",
          delta=_("{n} overdue", n=ov.overdue_count) if ov.overdue_count else None, delta_color="inverse")
st.caption(_("{orders} orders, {txns} statement lines, {evidence} photos and screenshots; as of {date}.",
             orders=ov.orders, txns=ov.transactions, evidence=ov.evidence, date=fmt_day(figures.as_of)))

st.subheader(_("What to do next"))
if not ov.steps:
    st.success(_("Nothing is missing: every expected refund has been credited."))
links = {"import": ("app_pages/import.py", _("Import")), "reconcile": ("app_pages/reconcile.py", _("Reconcile")),
         "evidence": ("app_pages/evidence.py", _("Evidence")), "timeline": ("app_pages/timeline.py", _("Timeline"))}
for step in ov.steps[:8]:
    with st.container(border=True):
        left, right = st.columns([3, 1])
        left.text(step.text)
        if step.order_id:  # the card is about an order: open the Dossier on that order (?order=, kept on reload)
            dossier_link(step.order_id, _("Dossier of this order"), right)
        if step.page in links:
            page, label = links[step.page]
            right.page_link(page, label=label, icon=":material/arrow_forward:")
        elif not step.order_id:
            dossier_link(None, _("Dossier"), right)

st.subheader(_("Coming deadlines"))
if figures.upcoming:
    st.dataframe([{_("Date"): fmt_day(d.date), _("Order"): d.order_id, _("What"): d.label}
                  for d in figures.upcoming], hide_index=True, width="stretch")
else:
    st.caption(_("No deadline in the coming weeks."))

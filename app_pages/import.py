"""Import: order exports and bank / PayPal statements."""

import streamlit as st

from complaint.i18n import _
from ui import import_bank, import_orders, state

st.title(_("Import your files"))
case = state.handle()
st.caption(_("Files are read on this machine only. Every row is either imported or listed as rejected with "
             "its reason."))
orders_tab, bank_tab = st.tabs([_("Orders"), _("Bank and PayPal statements")])
with orders_tab:
    import_orders.render(case)
with bank_tab:
    import_bank.render(case)

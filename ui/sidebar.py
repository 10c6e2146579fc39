"""The sidebar case picker: choose, create, or open the bundled sample case."""

from __future__ import annotations

import streamlit as st

from complaint import api
from complaint.i18n import _

from . import state


def case_picker() -> None:
    store = state.get_store()
    cases = api.list_cases(store)
    if cases.empty:
        if not (state.demo() or st.button(_("Open the sample case"), key="open_sample", icon=":material/science:")):
            st.caption(_("No case yet."))
            return
        # no rerun: this run goes on with the sample, on the page the address names (a deep link such
        # as /dossier?order=... as the first request of the demo keeps its page)
        state.set_case(api.open_sample(store).id)
        cases = api.list_cases(store)
    ids = [int(i) for i in cases["id"]]
    current = state.current_case_id()
    if current not in ids:
        current = ids[0]
        state.set_case(current)
    names = dict(zip(ids, cases["name"], strict=True))
    picked = st.selectbox(_("Case"), ids, index=ids.index(current), format_func=names.get, key="case_select")
    if picked != current:
        state.set_case(picked)
        st.rerun()

"""The sidebar case picker: choose, create, or open the bundled sample case."""

from __future__ import annotations

import streamlit as st

from complaint.api.sample import load_sample
from complaint.i18n import _

from . import state


def case_picker() -> None:
    store = state.get_store()
    cases = store.list_cases()
    if not cases:
        st.caption(_("No case yet."))
        if st.button(_("Open the sample case"), key="open_sample", icon=":material/science:") or state.demo():
            case = load_sample(store)
            state.set_case(case.id)
            st.rerun()
        return
    ids = [c.id for c in cases]
    current = state.current_case_id()
    if current not in ids:
        current = ids[0]
        state.set_case(current)
    names = {c.id: c.name for c in cases}
    picked = st.selectbox(_("Case"), ids, index=ids.index(current), format_func=names.get, key="case_select")
    if picked != current:
        state.set_case(picked)
        st.rerun()

"""Cases: create, rename, delete, download and open case files."""

import streamlit as st

from complaint.api.sample import load_sample
from complaint.errors import ComplaintError
from complaint.i18n import _
from ui import state
from ui.safe import md_escape

st.title(_("Cases"))
store = state.get_store()

with st.form("new_case", clear_on_submit=True):
    name = st.text_input(_("New case name"), key="new_case_name")
    if st.form_submit_button(_("Create case")):
        try:
            case = store.create_case(name)
            state.set_case(case.id)
            st.toast(_("Case {name} created", name=case.name))
            st.rerun()
        except ComplaintError as exc:
            st.error(str(exc))

if st.button(_("Open the sample case"), key="cases_sample"):
    state.set_case(load_sample(store).id)
    st.rerun()

uploaded = st.file_uploader(_("Open a case file (.zip made by 'Download this case')"), type=["zip"], key="case_file")
if uploaded is not None and st.button(_("Open this case file"), key="open_case_file"):
    try:
        case = store.import_case(uploaded.getvalue())
        state.set_case(case.id)
        st.toast(_("Case {name} opened", name=case.name))
        st.rerun()
    except ComplaintError as exc:
        st.error(str(exc))

case_id = state.current_case_id()
if case_id is not None:
    current = store.get_case(case_id)
    st.subheader(_("Current case: {name}", name=md_escape(current.name)))
    st.download_button(_("Download this case"), data=store.export_case(case_id),
                       file_name=f"{current.name}.case.zip".replace("/", "_"), mime="application/zip",
                       key="download_case", icon=":material/download:")
    with st.expander(_("Rename or delete")):
        new_name = st.text_input(_("New name"), value=current.name, key="rename_case")
        if st.button(_("Rename"), key="rename_btn"):
            try:
                store.rename_case(case_id, new_name)
                state.invalidate()
                st.rerun()
            except ComplaintError as exc:
                st.error(str(exc))
        confirm = st.checkbox(_("I understand that deleting removes every file and note of this case"),
                              key="confirm_delete")
        if st.button(_("Delete this case"), disabled=not confirm, type="primary", key="delete_btn"):
            store.delete_case(case_id)
            state.set_case(None)
            st.rerun()

cases = store.list_cases()
if cases:
    st.dataframe([{_("Name"): c.name, _("Created"): c.created_at.date().isoformat(),
                   _("As of"): c.as_of.isoformat() if c.as_of else ""} for c in cases],
                 hide_index=True, width="stretch")

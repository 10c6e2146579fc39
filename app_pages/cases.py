"""Cases: create, rename, delete, download and open case files; the buyer's details for the letters."""

import streamlit as st

from complaint import api
from complaint.errors import ComplaintError
from complaint.i18n import _
from ui import state
from ui.safe import md_text
from ui.widgets import profile_form, show_error, upload_hint

st.title(_("Cases"))
store = state.get_store()

with st.form("new_case", clear_on_submit=True):
    name = st.text_input(_("New case name"), key="new_case_name")
    if st.form_submit_button(_("Create case")):
        try:
            case = api.create_case(store, name)
            state.set_case(case.id)
            st.toast(md_text("Case {name} created", name=case.name))
            st.rerun()
        except ComplaintError as exc:
            show_error(exc)

if st.button(_("Open the sample case"), key="cases_sample"):
    state.set_case(api.open_sample(store).id)
    st.rerun()

upload_hint(["zip"])
uploaded = st.file_uploader(_("Open a case file (.zip made by 'Download this case')"), type=["zip"], key="case_file")
if uploaded is not None and st.button(_("Open this case file"), key="open_case_file"):
    try:
        case = api.import_case(store, uploaded)
        state.set_case(case.id)
        st.toast(md_text("Case {name} opened", name=case.name))
        st.rerun()
    except ComplaintError as exc:
        show_error(exc)

if state.current_case_id() is not None:
    current = state.handle()
    st.subheader(md_text("Current case: {name}", name=current.name))
    st.download_button(_("Download this case"), data=api.export_case(current),
                       file_name=f"{current.name}.case.zip".replace("/", "_"), mime="application/zip",
                       key="download_case", icon=":material/download:")
    profile_form(current, "profile", expanded=False)  # the buyer's details, as on the Dossier page
    with st.expander(_("Rename or delete")):
        new_name = st.text_input(_("New name"), value=current.name, key="rename_case")
        if st.button(_("Rename"), key="rename_btn"):
            try:
                api.rename_case(current, new_name)
                state.invalidate()
                st.rerun()
            except ComplaintError as exc:
                show_error(exc)
        confirm = st.checkbox(_("I understand that deleting removes every file and note of this case"),
                              key="confirm_delete")
        if st.button(_("Delete this case"), disabled=not confirm, type="primary", key="delete_btn"):
            api.delete_case(current)
            state.set_case(None)
            st.rerun()

cases = api.list_cases(store)
if not cases.empty:
    st.dataframe([{_("Name"): c["name"], _("Created"): c["created_at"].date().isoformat(),
                   _("As of"): c["as_of"].isoformat() if c["as_of"] else ""} for c in cases.to_dict("records")],
                 hide_index=True, width="stretch")

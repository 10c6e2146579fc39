"""complaint-notebook: the Streamlit entry point (a router; the pages hold the UI)."""

import streamlit as st

from complaint.errors import ComplaintError
from complaint.i18n import LANGUAGES, _
from ui import hosted, state
from ui.sidebar import case_picker

st.set_page_config(page_title="complaint-notebook", page_icon="⚖️", layout="wide")
lang = state.language()
if state.hosted():  # a reload of the tab takes its session back from memory (ui/hosted.py)
    hosted.keep_session()

with st.sidebar:
    choice = st.selectbox(_("Language"), list(LANGUAGES), index=list(LANGUAGES).index(lang),
                          format_func=LANGUAGES.get, key="lang_select")
    if choice != lang:
        state.set_language_choice(choice)
        st.rerun()
    try:
        case_picker()
    except ComplaintError as exc:
        st.error(str(exc))
    if state.hosted():
        st.info(_("Hosted mode: nothing you upload is kept on the server. Download your case to keep it."),
                icon=":material/lock:")

# A case with no data (or no case yet) opens on the guided help; its url_path stays the same either way,
# so a user in the middle of the guide is not moved when the case fills up.
if state.hosted():
    hosted.banner(state.current_case_id())
fresh = state.case_is_empty()  # without loading the case: the home page may not need it
guide = st.Page("app_pages/guide.py", title=_("Guided help"), icon=":material/assistant_direction:", url_path="guide",
                default=fresh)
pages = [
    *([guide] if fresh else []),
    st.Page("app_pages/home.py", title=_("Overview"), icon=":material/home:", default=not fresh),
    *([] if fresh else [guide]),
    st.Page("app_pages/import.py", title=_("Import"), icon=":material/upload:"),
    st.Page("app_pages/reconcile.py", title=_("Reconcile"), icon=":material/account_balance:"),
    st.Page("app_pages/evidence.py", title=_("Evidence"), icon=":material/photo_library:"),
    st.Page("app_pages/timeline.py", title=_("Timeline"), icon=":material/timeline:"),
    st.Page("app_pages/dossier.py", title=_("Dossier"), icon=":material/description:"),
    st.Page("app_pages/cases.py", title=_("Cases"), icon=":material/folder:"),
    st.Page("app_pages/analyst.py", title=_("Analyst"), icon=":material/query_stats:"),
]
st.navigation(pages).run()

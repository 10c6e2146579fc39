"""Per-session state: the store, the current case, the language.

Local mode: one SQLite file (``COMPLAINT_DB``).  Hosted mode (``COMPLAINT_HOSTED=1`` or the
``hosted`` secret): an in-memory store per browser session, so nothing is written to disk and no
session can see another's data.  Nothing per-user is ever put in a global cache.

Server mode (``COMPLAINT_DATABASE_URL`` or the ``database_url`` secret): one PostgreSQL store
shared by the process (a thread-safe resource), seen by each session only through
``OwnedStore(store, identity)`` where the identity is the logged-in user of ``st.login``.  Without
a logged-in user the server store is not opened at all: there is no shared anonymous owner.
"""

from __future__ import annotations

import logging
import threading
from datetime import date

import streamlit as st

from complaint import api
from complaint.case import CaseData
from complaint.errors import ComplaintError
from complaint.i18n import LANGUAGES, get_language, normalise_language, set_language
from complaint.settings import SETTINGS

_STORE = "_store"
_CASE = "_case_id"
_CACHE = "_case_cache"
_LANG = "_lang"
_AS_OF = "_as_of_cache"
_DEADLINES = "_deadlines_cache"
_VIEW = "_view_cache"
_HOME = "_home_cache"


def hosted() -> bool:
    if SETTINGS.hosted:
        return True
    try:
        if st.secrets.load_if_toml_exists() and bool(st.secrets.get("hosted", False)):
            # the whole process is hosted: the core words its limit messages for visitors too
            import os

            os.environ["COMPLAINT_HOSTED"] = "1"
            return True
    except Exception:  # noqa: BLE001 - a malformed secrets file means "not configured"
        return False
    return False


def demo() -> bool:
    """Demo mode (``COMPLAINT_DEMO=1``, used by the README run command): open the sample case."""
    import os

    return os.environ.get("COMPLAINT_DEMO", "").lower() in {"1", "true", "yes"}


def database_url() -> str:
    """The server store's URL (environment first, then the ``database_url`` secret), or ""."""
    if SETTINGS.database_url:
        return str(SETTINGS.database_url)
    try:
        if st.secrets.load_if_toml_exists():
            return str(st.secrets.get("database_url", "") or "")
    except Exception:  # noqa: BLE001 - a malformed secrets file means "not configured"
        return ""
    return ""


def user_identity() -> str | None:
    """The logged-in user's e-mail (or the provider's subject id), None when nobody is logged in."""
    try:
        if not st.user.is_logged_in:
            return None
        email, sub = st.user.get("email"), st.user.get("sub")
    except Exception:  # noqa: BLE001 - authentication not configured: nobody is logged in
        return None
    if email:
        return str(email).strip().lower()
    if sub:
        return f"{st.user.get('iss') or 'oidc'}|{sub}"
    return None


def auth_configured() -> bool:
    try:
        return bool(st.secrets.load_if_toml_exists() and "auth" in st.secrets)
    except Exception:  # noqa: BLE001
        return False


@st.cache_resource(show_spinner=False)
def _server_store(url: str):
    """One connection per process to the team's database (the store is thread-safe; no user data here)."""
    return api.open_server_store(url)


def _login_gate() -> None:
    """Stop the page: the shared store is never opened for an anonymous visitor."""
    from complaint.i18n import _

    st.error(_("This app keeps cases in a shared database: log in to see your own cases."),
             icon=":material/lock:")
    if auth_configured():
        st.button(_("Log in"), on_click=st.login, key="_login_button", type="primary")
    else:
        st.caption(_("The administrator has not configured a login ([auth] in secrets.toml), so the "
                     "shared case store stays closed. See docs/DEPLOY.md."))
    st.stop()


def get_store():
    """This session's case store: local file, in memory (hosted), or its owner's view of the team's."""
    url = database_url()
    if url:
        return _owned_store(url)
    store = st.session_state.get(_STORE)
    if store is None:
        store = api.open_store(None if hosted() else SETTINGS.db_path)
        st.session_state[_STORE] = store
    return store


def _owned_store(url: str):
    owner = user_identity()
    if owner is None:
        st.session_state.pop(_STORE, None)
        set_case(None)
        _login_gate()
    store = st.session_state.get(_STORE)
    if getattr(store, "owner", None) != owner:  # first use, or another user logged in
        set_case(None)
        store = api.owned_store(_server_store(url), owner)
        st.session_state[_STORE] = store
    return store


def current_case_id() -> int | None:
    return st.session_state.get(_CASE)


def require_case() -> int:
    """The current case id; without one, say what to do and stop the page here."""
    case_id = current_case_id()
    if case_id is None:
        from complaint.i18n import _

        st.info(_("Create or open a case in the sidebar first."))
        st.stop()
    return case_id


def handle() -> api.CaseHandle:
    """The current case as a stored case (writes go through it, one transaction each)."""
    return api.open_case(require_case(), db=get_store(), create=False)


def set_case(case_id: int | None) -> None:
    st.session_state[_CASE] = case_id
    invalidate()


def load_case() -> CaseData:
    """The current case (cached for this session until invalidate())."""
    case_id = current_case_id()
    if case_id is None:
        return CaseData(name="")
    cached = st.session_state.get(_CACHE)
    if cached is not None and cached[0] == case_id:
        return cached[1]
    data = api.case_data(api.open_case(case_id, db=get_store(), create=False))
    st.session_state[_CACHE] = (case_id, data)
    return data


def case_is_empty() -> bool:
    """No orders and no statement lines in the current case (the router then opens the guide),
    answered by the store without loading the case when it can."""
    case_id = current_case_id()
    if case_id is None:
        return True
    cached = st.session_state.get(_CACHE)
    if cached is not None and cached[0] == case_id:
        return not any(cached[1].counts())
    return api.case_is_empty(api.open_case(case_id, db=get_store(), create=False))


def invalidate() -> None:
    """Forget this session's cached views of the case after a write, and start computing the
    case's home snapshot in the background so that the next visit to the overview is fast."""
    for key in (_CACHE, "_recon_cache", _AS_OF, _VIEW, _DEADLINES, _HOME):
        st.session_state.pop(key, None)
    case_id = current_case_id()
    store = st.session_state.get(_STORE)
    if case_id is not None and store is not None:
        _warmer.request(store, case_id, get_language())


class _SnapshotWarmer:
    """One background thread per process that refreshes home snapshots, newest request last.

    Requests that arrive while it works are coalesced per (store, case, language): a burst of
    writes costs one computation after the last one.  Only core calls run here (no st.* call)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: dict[tuple[int, int, str], tuple[object, int, str]] = {}
        self._thread: threading.Thread | None = None

    def request(self, store, case_id: int, language: str) -> None:
        if not getattr(store, "keeps_snapshots", False):
            return
        with self._lock:
            self._pending[(id(store), case_id, language)] = (store, case_id, language)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="home-snapshot", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            with self._lock:
                if not self._pending:
                    self._thread = None
                    return
                _key, (store, case_id, language) = self._pending.popitem()
            try:
                api.refresh_summary(api.open_case(case_id, db=store, create=False), language)
            except ComplaintError:
                pass  # the case was deleted or the store closed meanwhile: nothing to warm
            except Exception:  # noqa: BLE001 - a background failure must not be silent, nor kill the app
                logging.getLogger(__name__).exception("home snapshot refresh failed for case %s", case_id)

    def wait(self, timeout: float = 60.0) -> None:
        """Block until the queue is empty (tests and benchmarks)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)


_warmer = _SnapshotWarmer()


def as_of() -> date:
    """The case's "today": its fixed as-of date, else today in Brussels (without loading the case)."""
    from complaint.calendar_be import today_brussels

    case_id = current_case_id()
    if case_id is None:
        return today_brussels()
    cached = st.session_state.get(_AS_OF)
    if cached is None or cached[0] != case_id:
        cached = (case_id, api.open_case(case_id, db=get_store(), create=False).as_of)
        st.session_state[_AS_OF] = cached
    return cached[1] or today_brussels()


def reconciliation():
    """Reconciliation of the current case, cached per session until the case changes."""
    key = (current_case_id(), as_of(), get_language())  # its reasons are text in the language of the time
    cached = st.session_state.get("_recon_cache")
    if cached is not None and cached[0] == key:
        return cached[1]
    result = api.reconcile(load_case(), as_of=as_of())
    st.session_state["_recon_cache"] = (key, result)
    return result


def case_view():
    """The case view (``api.case_view``) of the current case, built once per (case, as of,
    language) and cached per session like the reconciliation: every page that shows the guide,
    deadlines, letters, figures or the dossier reads this one."""
    key = (current_case_id(), as_of(), get_language())
    cached = st.session_state.get(_VIEW)
    if cached is not None and cached[0] == key:
        return cached[1]
    result = api.case_view(load_case(), reconciliation(), as_of())
    st.session_state[_VIEW] = (key, result)
    return result


def deadlines():
    """Every deadline of the current case, cached per session like the reconciliation."""
    key = (current_case_id(), as_of(), get_language())  # the labels are text in the language of the time
    cached = st.session_state.get(_DEADLINES)
    if cached is not None and cached[0] == key:
        return cached[1]
    result = api.deadlines(load_case(), reconciliation(), as_of(), view=case_view())
    st.session_state[_DEADLINES] = (key, result)
    return result


def home_figures():
    """The home page's figures (``case_summary``): from this session's cache, else from the case
    store's snapshot when the case has not changed since, else computed (the case loaded and
    reconciled) and kept in both."""
    case_id = current_case_id()
    day = as_of()
    key = (case_id, day, get_language())
    cached = st.session_state.get(_HOME)
    if cached is not None and cached[0] == key:
        return cached[1]
    figures = api.case_summary(api.open_case(case_id, db=get_store(), create=False), day, data=load_case,
                               reconciliation=reconciliation, deadlines=deadlines, view=case_view)
    st.session_state[_HOME] = (key, figures)
    return figures


def language() -> str:
    lang = st.session_state.get(_LANG)
    if lang is None:
        browser = getattr(st.context, "locale", None)
        lang = normalise_language(browser)
        st.session_state[_LANG] = lang
    return set_language(lang)


def set_language_choice(lang: str) -> None:
    st.session_state[_LANG] = lang if lang in LANGUAGES else "en"

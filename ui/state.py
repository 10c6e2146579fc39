"""Per-session state: the store, the current case, the language.

Local mode: one SQLite file (``COMPLAINT_DB``).  Hosted mode (``COMPLAINT_HOSTED=1`` or the
``hosted`` secret): an in-memory store per browser session, so nothing is written to disk and no
session can see another's data.  Nothing per-user is ever put in a global cache.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from complaint.case import CaseData
from complaint.i18n import LANGUAGES, normalise_language, set_language
from complaint.settings import SETTINGS
from complaint.store import Store

_STORE = "_store"
_CASE = "_case_id"
_CACHE = "_case_cache"
_LANG = "_lang"


def hosted() -> bool:
    if SETTINGS.hosted:
        return True
    try:
        if st.secrets.load_if_toml_exists():
            return bool(st.secrets.get("hosted", False))
    except Exception:  # noqa: BLE001 - a malformed secrets file means "not configured"
        return False
    return False


def demo() -> bool:
    """Demo mode (``COMPLAINT_DEMO=1``, used by the README run command): open the sample case."""
    import os

    return os.environ.get("COMPLAINT_DEMO", "").lower() in {"1", "true", "yes"}


def get_store() -> Store:
    store = st.session_state.get(_STORE)
    if store is None:
        store = Store.open(":memory:" if hosted() else SETTINGS.db_path)
        st.session_state[_STORE] = store
    return store


def current_case_id() -> int | None:
    return st.session_state.get(_CASE)


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
    data = get_store().load_case(case_id)
    st.session_state[_CACHE] = (case_id, data)
    return data


def invalidate() -> None:
    st.session_state.pop(_CACHE, None)
    st.session_state.pop("_recon_cache", None)


def as_of() -> date:
    return load_case().today()


def reconciliation():
    """Reconciliation of the current case, cached per session until the case changes."""
    from complaint.reconcile import reconcile

    key = (current_case_id(), as_of())
    cached = st.session_state.get("_recon_cache")
    if cached is not None and cached[0] == key:
        return cached[1]
    result = reconcile(load_case(), as_of=as_of())
    st.session_state["_recon_cache"] = (key, result)
    return result


def language() -> str:
    lang = st.session_state.get(_LANG)
    if lang is None:
        browser = getattr(st.context, "locale", None)
        lang = normalise_language(browser)
        st.session_state[_LANG] = lang
    return set_language(lang)


def set_language_choice(lang: str) -> None:
    st.session_state[_LANG] = lang if lang in LANGUAGES else "en"

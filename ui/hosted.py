"""Hosted mode: no surprise loss of work.

Once the session holds data, a banner at the top of every page offers "Download your case" (the
case file that **Cases → Open a case file** brings back), and the browser asks before the tab is
reloaded or closed (``beforeunload``: the plain warning every browser shows).

**A reload of the same tab gets its session back, from memory only.**  Mechanism:

- Each session holds a random token (32 bytes, ``secrets``).  A process-wide registry
  (:data:`_REGISTRY`, a dict guarded by a lock, never written to disk) maps the token to the
  session's in-memory store and current case, with the time it was last used.
- A tiny same-origin script (``st.iframe``, the app's own code, no user data in it) keeps the
  token in the tab's ``sessionStorage``: per tab, survives a reload, gone when the tab closes; a new
  tab or another browser never sees it.
- After a reload the new session has no data; the script finds the previous token in
  ``sessionStorage`` and reloads the page once with ``?restore=<token>``.  The new session takes
  the store out of the registry (the token is used once: it is removed), drops the parameter from
  the address, and continues with a new token.
- An entry not used for :data:`RESTORE_SECONDS` (``COMPLAINT_RESTORE_SECONDS``, default 600) is
  dropped at the next look-up of any session, so a closed tab's data stays in memory for at most
  that window.  Set it to 0 to turn restoring off.

A deep link or a new tab starts empty, by design (nothing crosses tabs).
"""

from __future__ import annotations

import json
import os
import secrets
import threading
import time
import weakref
from dataclasses import dataclass

import streamlit as st

from complaint import api
from complaint.i18n import _

_TOKEN = "_restore_token"
_PARAM = "restore"
_STORE = "_store"
_CASE = "_case_id"


def restore_seconds() -> int:
    try:
        return max(0, int(os.environ.get("COMPLAINT_RESTORE_SECONDS", "600")))
    except ValueError:
        return 600


@dataclass
class _Entry:
    store: object
    case_id: int | None
    seen: float


_REGISTRY: dict[str, _Entry] = {}
_LOCK = threading.Lock()


def _expire(now: float) -> None:
    window = restore_seconds()
    for token in [t for t, e in _REGISTRY.items() if now - e.seen > window]:
        del _REGISTRY[token]


def registry_size() -> int:
    """How many sessions can still be restored (for tests and the memory bench)."""
    with _LOCK:
        _expire(time.monotonic())
        return len(_REGISTRY)


def keep_session() -> None:
    """Run on every script run of a hosted session: restore after a reload, refresh this session's
    registry entry, and put the token script on the page."""
    if restore_seconds() == 0:
        return
    now = time.monotonic()
    wanted = st.query_params.get(_PARAM)
    with _LOCK:
        _expire(now)
        if wanted:
            entry = _REGISTRY.pop(wanted, None)
            if entry is not None and st.session_state.get(_STORE) is None:
                st.session_state[_STORE] = entry.store
                st.session_state[_CASE] = entry.case_id
                st.session_state["_restored"] = True
        token = st.session_state.get(_TOKEN)
        if token is None:
            token = st.session_state[_TOKEN] = secrets.token_urlsafe(32)
        store = st.session_state.get(_STORE)
        if store is not None:
            _REGISTRY[token] = _Entry(store, st.session_state.get(_CASE), now)
    if wanted:
        del st.query_params[_PARAM]
    _script(token, has_data=st.session_state.get(_CASE) is not None)


# Runs in the app page itself (a function made in the parent window, called by its own timer): the
# iframe's sandbox may not navigate the page, the page may.  Arguments: token, guard (the session holds data).
_PAGE_SCRIPT = """
const key = "complaint-notebook-session";
const previous = sessionStorage.getItem(key);
const url = new URL(location.href);
if (previous && previous !== token && !url.searchParams.has("restore")
    && !sessionStorage.getItem(key + "-tried-" + previous)) {
  sessionStorage.setItem(key + "-tried-" + previous, "1");
  url.searchParams.set("restore", previous);
  location.replace(url.toString());
} else {
  sessionStorage.setItem(key, token);
}
if (guard && !window.__complaintGuard) {
  window.__complaintGuard = true;
  addEventListener("beforeunload", (e) => { e.preventDefault(); e.returnValue = ""; });
}
"""  # "restore" is _PARAM


def _script(token: str, has_data: bool) -> None:
    # The token is ours (URL-safe base64); nothing from a user or a file goes into this page.
    body = json.dumps(_PAGE_SCRIPT)
    page = f"""<script>
const host = window.parent;
host.setTimeout(new host.Function("token", "guard", {body}), 0, "{token}", {"true" if has_data else "false"});
</script>"""
    st.iframe(page, height=1)


def _deferred_export(case_id: int):
    """The case file, made when the button is clicked.  Streamlit keeps this callable in its media
    manager beyond the session: it holds the store only weakly, so a dropped session's data is
    freed all the same."""
    store = weakref.ref(st.session_state[_STORE])

    def export() -> bytes:
        alive = store()
        return b"" if alive is None else api.export_case(api.open_case(case_id, db=alive, create=False))

    return export


def banner(case_id: int | None) -> None:
    """The persistent offer to download the case, once the session holds data."""
    if case_id is None:
        return
    handle = api.open_case(case_id, db=st.session_state[_STORE], create=False)
    if api.case_is_empty(handle) and not st.session_state.get("_restored"):
        return
    with st.container(border=True):
        left, right = st.columns([3, 1], vertical_alignment="center")
        left.markdown(":material/warning: " + _(
            "This shared app keeps your case only in this tab's memory. Download it to keep it: a closed "
            "tab, or a reload after {minutes} minutes, starts empty.", minutes=max(1, restore_seconds() // 60)))
        right.download_button(_("Download your case"), data=_deferred_export(case_id),
                              file_name=f"{handle.name}.case.zip".replace("/", "_"), mime="application/zip", key="_hosted_download",
                              icon=":material/download:", type="primary")
    if st.session_state.pop("_restored", False):
        st.toast(_("Your session was restored after the reload."), icon=":material/restore:")

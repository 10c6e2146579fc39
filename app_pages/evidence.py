"""Evidence: upload photos and screenshots, see when they were taken, link them to orders."""

from dataclasses import replace

import streamlit as st

from complaint.errors import ComplaintError
from complaint.evidence.ingest import (
    TIME_SOURCE_LABELS,
    date_only,
    ingest_upload,
    map_links,
    mark_duplicates,
    thumbnail,
)
from complaint.evidence.metadata import ImageUnreadable
from complaint.fmt import day as fmt_day
from complaint.fmt import moment
from complaint.i18n import _
from complaint.records import PROBLEM_LABELS, Problem
from complaint.settings import SETTINGS
from ui import state
from ui.safe import md_escape

PER_PAGE = 24
_THUMBS = "_evidence_thumbs"  # per-session cache sha256 -> thumbnail bytes (never a global cache)



def _taken(ev) -> str | None:
    """The capture time in the language's Belgian format, in the photo's own zone (date only when
    the time is not known)."""
    if ev.captured_at is None:
        return None
    return fmt_day(ev.captured_at.date()) if date_only(ev) else moment(ev.captured_at, seconds=True)


def _thumb(store, case_id: int, sha: str) -> bytes | None:
    cache = st.session_state.setdefault(_THUMBS, {})
    if sha not in cache:
        try:
            cache[sha] = thumbnail(store.evidence_bytes(case_id, sha), size=360)
        except (ImageUnreadable, ComplaintError):
            cache[sha] = None
    return cache[sha]


st.title(_("Evidence photos and screenshots"))
case_id = state.require_case()
store = state.get_store()
case = state.load_case()
st.caption(_("Keep the original files from your phone: chat apps remove the capture time. Each file is "
             "identified by its SHA-256; the original is never changed."))

with st.form("evidence_upload", clear_on_submit=True):
    uploads = st.file_uploader(_("Photos, screenshots or a ZIP"), accept_multiple_files=True,
                               type=["jpg", "jpeg", "png", "webp", "tif", "tiff", "heic", "heif", "zip"])
    tz = st.text_input(_("Time zone for times without one"), value=str(SETTINGS.timezone))
    submitted = st.form_submit_button(_("Add to the case"), type="primary")

if submitted and uploads:
    bar = st.progress(0.0, text=_("Reading…"))
    new, failed = [], []
    try:
        for k, up in enumerate(uploads):
            def tick(done, total, name, k=k):
                bar.progress(min(1.0, (k + done / max(total, 1)) / len(uploads)), text=name)

            for ev, data in ingest_upload(up.name, up.getvalue(), tz=tz, progress=tick):
                (failed if ev.error else new).append((ev, data))
    except ComplaintError as exc:
        st.error(str(exc))
    known = case.evidence
    marked = mark_duplicates(known + [ev for ev, _d in new])[len(known):]
    added = sum(store.add_evidence(case_id, ev, data) for ev, (_e, data) in zip(marked, new, strict=True))
    bar.empty()
    state.invalidate()
    st.success(_("{added} pictures added ({dup} already in the case).", added=added, dup=len(new) - added))
    for ev, _d in failed:
        st.warning(md_escape(ev.error or ev.file_name))
    case = state.load_case()

evidence = sorted(case.evidence, key=lambda e: (e.captured_at is None, e.captured_at.isoformat()
                                                  if e.captured_at else "", e.file_name))
if not evidence:
    st.info(_("No pictures yet. Add photos of the parcel, the label, the damage and screenshots of the "
              "order and the chat."))
    st.stop()

dups = sum(1 for e in evidence if e.duplicate_of)
c1, c2, c3 = st.columns(3)
c1.metric(_("Pictures"), len(evidence))
c2.metric(_("With camera time"), sum(1 for e in evidence if e.time_source in ("exif", "exif-digitized", "gps")))
c3.metric(_("Duplicates"), dups)
show_dups = st.toggle(_("Show duplicates"), value=False)
shown = [e for e in evidence if show_dups or not e.duplicate_of]

orders = {o.order_id: o for o in case.orders}
order_options = [""] + sorted(orders)
problem_options = [""] + [p.value for p in Problem]

gallery, table = st.tabs([_("Gallery"), _("Table")])
with table:
    st.dataframe([{
        _("File"): e.file_name, _("Taken"): _taken(e),
        _("Source"): e.time_source, _("Zone"): e.tz_source, _("Camera"): " ".join(
            x for x in (e.camera_make, e.camera_model) if x) or None,
        _("Order"): e.order_id, _("Problem"): e.problem, _("Duplicate of"): (e.duplicate_of or "")[:12] or None,
        _("Warnings"): "; ".join(e.warnings) or None, "SHA-256": e.sha256} for e in shown],
        hide_index=True, width="stretch")

with gallery:
    pages = max(1, -(-len(shown) // PER_PAGE))
    page = st.number_input(_("Page"), min_value=1, max_value=pages, value=1) if pages > 1 else 1
    cols = st.columns(3)
    for i, ev in enumerate(shown[(page - 1) * PER_PAGE: page * PER_PAGE]):
        with cols[i % 3].container(border=True):
            thumb = _thumb(store, case_id, ev.sha256)
            if thumb:
                st.image(thumb, width="stretch")
            st.text(ev.file_name)
            if ev.captured_at:
                st.caption(md_escape(_("Taken {when} — from {source}; zone: {tz}", when=_taken(ev),
                                 source=_(TIME_SOURCE_LABELS.get(ev.time_source or "", "?")),
                                 tz=ev.tz_source or "?")))
            else:
                st.caption(_("Capture time unknown"))
            if ev.duplicate_of:
                st.caption(md_escape(_("Duplicate of {sha}", sha=ev.duplicate_of[:12])))
            for w in ev.warnings:
                st.warning(md_escape(w))
            if ev.gps_lat is not None and ev.gps_lon is not None:
                st.link_button(_("Map (OpenStreetMap)"), map_links(ev.gps_lat, ev.gps_lon)["osm"])
            with st.expander(_("Order, problem, note")):
                with st.form(f"ev_{ev.sha256}"):
                    order_id = st.selectbox(
                        _("Order"), order_options,
                        index=order_options.index(ev.order_id) if ev.order_id in order_options else 0,
                        format_func=lambda o: o and f"{o} — {orders[o].store or ''}".strip(" —") or _("(none)"))
                    problem = st.selectbox(
                        _("Problem"), problem_options,
                        index=problem_options.index(ev.problem) if ev.problem in problem_options else 0,
                        format_func=lambda p: _(PROBLEM_LABELS[Problem(p)]) if p else _("(none)"))
                    note = st.text_area(_("Note"), value=ev.note or "")
                    save, delete = st.columns(2)
                    if save.form_submit_button(_("Save")):
                        try:
                            store.update_evidence(case_id, replace(ev, order_id=order_id or None,
                                                                   problem=problem or None, note=note.strip() or None))
                        except ComplaintError as exc:
                            st.error(str(exc))
                        else:
                            state.invalidate()
                            st.rerun()
                    if delete.form_submit_button(_("Remove from case")):
                        store.delete_evidence(case_id, ev.sha256)
                        state.invalidate()
                        st.rerun()

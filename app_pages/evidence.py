"""Evidence: upload photos and screenshots, see when they were taken, link them to orders."""

import threading

import streamlit as st

from complaint import api
from complaint.errors import ComplaintError
from complaint.i18n import _
from complaint.records import PROBLEM_LABELS, Problem
from complaint.settings import SETTINGS
from ui import state
from ui.safe import md_escape, md_text
from ui.widgets import show_error, upload_hint

PER_PAGE = 24
_THUMBS = "_evidence_thumbs"  # per-session cache sha256 -> thumbnail bytes (never a global cache)


def _thumb(case, sha: str) -> bytes | None:
    cache = st.session_state.setdefault(_THUMBS, {})
    if sha not in cache:
        cache[sha] = api.evidence_thumbnail(case, sha, size=360)
    return cache[sha]


st.title(_("Evidence photos and screenshots"))
handle = state.handle()
case = state.load_case()
st.caption(_("Keep the original files from your phone: chat apps remove the capture time. Each file is "
             "identified by its SHA-256; the original is never changed."))

with st.form("evidence_upload", clear_on_submit=True):
    upload_hint(["jpg", "jpeg", "png", "webp", "tif", "tiff", "heic", "heif", "zip"])
    uploads = st.file_uploader(_("Photos, screenshots or a ZIP"), accept_multiple_files=True,
                               type=["jpg", "jpeg", "png", "webp", "tif", "tiff", "heic", "heif", "zip"])
    tz = st.text_input(_("Time zone for times without one"), value=str(SETTINGS.timezone))
    submitted = st.form_submit_button(_("Add to the case"), type="primary")

if submitted and uploads:
    bar = st.progress(0.0, text=_("Reading…"))
    try:
        rows = api.import_evidence(handle, list(uploads), tz=tz,
                                   progress=lambda done, total, name: bar.progress(min(1.0, done / max(total, 1)),
                                                                                    text=md_escape(name)))
    except ComplaintError as exc:
        bar.empty()
        show_error(exc)
    else:
        bar.empty()
        state.invalidate()
        readable = rows[rows["error"].isna()]
        added = int(readable["added"].sum())
        st.success(_("{added} pictures added ({dup} already in the case).", added=added, dup=len(readable) - added))
        for msg in rows["error"].dropna():
            st.warning(md_escape(msg))
        case = state.load_case()

# -- text on screenshots: read on a background thread (the page stays free), then suggestions ---------
ocr_note = api.ocr_status()
_OCR = "_evidence_ocr"  # this session's reader: {"thread", "done", "total", "file", "tried"} (never calls st.*)
_tried = st.session_state.get(_OCR, {}).get("tried", set())
unread = [] if ocr_note else [e for e in api.unread_screenshots(handle) if e.sha256 not in _tried]


def start_reading() -> dict:
    job = st.session_state.get(_OCR)
    if job is not None and job["thread"].is_alive():
        return job
    job = {"done": 0, "total": len(unread), "file": unread[0].file_name,
           "tried": _tried | {e.sha256 for e in unread}}  # a screenshot that fails is not retried in a loop

    def progress(done: int, total: int, name: str) -> None:
        job.update(done=done, total=total, file=name)

    def run() -> None:
        try:
            api.read_case_screens(handle, progress)
        except BaseException as exc:  # handed to the page, which raises it: a thread's error is never lost
            job["error"] = exc

    # the store is thread-safe (one lock per store); the readings are kept in it by file hash
    job["thread"] = threading.Thread(target=run, daemon=True, name="evidence-ocr")
    job["thread"].start()
    st.session_state[_OCR] = job
    return job


@st.fragment(run_every="1s")
def reading_progress() -> None:
    job = st.session_state.get(_OCR)
    if job is not None and job.get("error") is not None:
        raise job.pop("error")
    if job is None or not job["thread"].is_alive():
        st.rerun(scope="app")  # all read: the page shows the suggestions
    st.progress(min(1.0, job["done"] / max(job["total"], 1)),
                text=md_text("Reading the text of screenshots: {done} of {total} ({file})", done=job["done"],
                             total=job["total"], file=job["file"]))


if ocr_note and any(api.is_screenshot(e) for e in case.evidence):
    st.caption(md_escape(ocr_note))
elif unread or (_OCR in st.session_state and st.session_state[_OCR]["thread"].is_alive()):
    if unread:
        start_reading()  # or the reader already running; what it did not take is read after it
    reading_progress()
else:
    suggested = api.screen_suggestions(handle)
    if suggested:
        st.subheader(_("What your screenshots show"))
        st.caption(_("Read on your screenshots; nothing is added to the case until you accept it."))
        names = {e.sha256: e.file_name for e in case.evidence}
        for sug in suggested:
            with st.container(border=True, key=f"sug_{sug.id}"):
                left, right = st.columns([2, 3])
                left.image(api.screen_crop(handle, sug.sha256, sug.box), width="stretch")
                right.markdown("**" + md_escape(sug.title) + "**")
                right.caption(md_escape(_("Read on {file}", file=names.get(sug.sha256, sug.sha256[:12]))))
                if sug.warning:
                    right.warning(md_escape(sug.warning))
                ok, no = right.columns(2)
                if ok.button(_("Accept"), key=f"sug_ok_{sug.id}", type="primary"):
                    try:
                        api.accept_suggestion(handle, sug.id)
                    except ComplaintError as exc:
                        show_error(exc)
                    else:
                        state.invalidate()
                        st.rerun()
                if no.button(_("Reject"), key=f"sug_no_{sug.id}"):
                    api.reject_suggestion(handle, sug.id)
                    state.invalidate()
                    st.rerun()

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
        _("File"): e.file_name, _("Taken"): api.capture_time_label(e) or "",
        _("Time from"): api.time_source_label(e.time_source) if e.time_source else "",
        _("Time zone"): api.zone_label(e.tz_source) if e.captured_at else "",
        _("Camera"): " ".join(x for x in (e.camera_make, e.camera_model) if x),
        _("Order"): e.order_id or "", _("Problem"): _(PROBLEM_LABELS[Problem(e.problem)]) if e.problem else "",
        _("Duplicate of"): (e.duplicate_of or "")[:12], _("Warnings"): "; ".join(e.warnings),
        "SHA-256": e.sha256} for e in shown],
        hide_index=True, width="stretch")

with gallery:
    pages = max(1, -(-len(shown) // PER_PAGE))
    page = st.number_input(_("Page"), min_value=1, max_value=pages, value=1) if pages > 1 else 1
    cols = st.columns(3)
    for i, ev in enumerate(shown[(page - 1) * PER_PAGE: page * PER_PAGE]):
        with cols[i % 3].container(border=True):
            thumb = _thumb(handle, ev.sha256)
            if thumb:
                st.image(thumb, width="stretch")
            st.text(ev.file_name)
            if ev.captured_at:
                st.caption(md_escape(_("Taken {when} — from {source}; zone: {tz}", when=api.capture_time_label(ev),
                                       source=api.time_source_label(ev.time_source), tz=api.zone_label(ev.tz_source))))
            else:
                st.caption(_("Capture time unknown"))
                file_date = api.file_date_label(ev)
                if file_date:
                    st.caption(md_escape(file_date))
            if ev.time_source in (None, "user"):
                with st.expander(_("On which day was it taken?")):
                    with st.form(f"evday_{ev.sha256}"):
                        when = st.date_input(_("Day the picture was taken"), value=ev.captured_at.date()
                                             if ev.captured_at else None, format="DD/MM/YYYY")
                        place, clear = st.columns(2)
                        if place.form_submit_button(_("Place on this day")) and when:
                            api.confirm_capture_day(handle, ev.sha256, when)
                            state.invalidate()
                            st.rerun()
                        if ev.time_source == "user" and clear.form_submit_button(_("Withdraw the day")):
                            api.confirm_capture_day(handle, ev.sha256, None)
                            state.invalidate()
                            st.rerun()
            if ev.duplicate_of:
                st.caption(md_escape(_("Duplicate of {sha}", sha=ev.duplicate_of[:12])))
            if not ocr_note and not unread and api.is_screenshot(ev):
                label = api.screen_label(api.screen_reading(handle, ev.sha256, evidence=ev))
                if label:
                    st.caption(md_escape(label))
            for w in ev.warnings:
                st.warning(md_escape(w))
            if api.map_link(ev):
                st.link_button(_("Map (OpenStreetMap)"), api.map_link(ev))
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
                            api.attach_evidence(handle, ev.sha256, order_id or None, problem=problem or None,
                                                note=note)
                        except ComplaintError as exc:
                            show_error(exc)
                        else:
                            state.invalidate()
                            st.rerun()
                    if delete.form_submit_button(_("Remove from case")):
                        api.remove_evidence(handle, ev.sha256)
                        state.invalidate()
                        st.rerun()

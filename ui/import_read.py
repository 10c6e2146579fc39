"""Reading an uploaded file for the Import page: a progress bar per file (rows read), and the
report kept for the session so that a rerun of the page does not read a large file again.

Rendering only: the file is read by ``complaint.api.read_file``.  Session keys start with the
file's own key (``ib_...``, ``imp_o_...``).
"""

from __future__ import annotations

from itertools import islice

import streamlit as st

from complaint import api, fmt
from complaint.i18n import _
from ui.safe import md_text


def read_with_progress(upload, kind: str, key: str, **options) -> api.FileReport:
    """``api.read_file(upload, kind, **options)`` with a bar of the rows read; the same file read
    with the same options is not read again in this session."""
    wanted = (kind, repr(sorted((k, repr(v)) for k, v in options.items())))
    cached = st.session_state.get(f"{key}_report")
    if cached is not None and cached[0] == wanted:
        return cached[1]
    bar = st.progress(0.0, text=md_text("Reading {file}…", file=upload.name))

    def tick(done: int, total: int, name: str) -> None:
        share = min(done / total, 1.0) if total else 1.0
        bar.progress(share, text=md_text("{file}: {done} of about {total} rows read", file=name,
                                         done=fmt.number(done), total=fmt.number(total)))

    try:
        report = api.read_file(upload, kind, progress=tick, **options)
    finally:
        bar.empty()
    st.session_state[f"{key}_report"] = (wanted, report)
    return report


def preview(report: api.FileReport, rows: int) -> list[dict]:
    """The first ``rows`` JSON rows of the file (records are built for those only)."""
    return list(islice(report.iter_records(), rows))


def summary_line(report: api.FileReport) -> str:
    """The report's one line with the format's name as the reader knows it (the CLI prints the
    importer's code: ``bank.kbc_csv``); the balance proof has its own box above it."""
    r = report.result
    label = api.list_importers(report.kind).get(r.importer, r.importer or "")
    return _("{file}: {format}, {n} of {rows} rows imported, {rejected} rejected, {skipped} skipped", file=r.file,
             format=label, n=fmt.number(r.rows_imported), rows=fmt.number(r.rows_total), rejected=len(r.rejected),
             skipped=len(r.skipped))

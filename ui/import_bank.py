"""Import page, statements section: upload, detected format, balance proof, preview, store.

Each file is read by ``complaint.api.read_file`` (the CLI's ``import-bank`` reads it the same way)
and shown from its report; rendering only.  Per-section session keys start with ``ib_``.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from complaint import api, fmt
from complaint.errors import AmbiguousFormat, ComplaintError, NotMyFormat
from complaint.i18n import N_, _
from ui import state
from ui.import_read import preview, read_with_progress, summary_line
from ui.paging import paged
from ui.safe import md_escape
from ui.widgets import headers, money, readable_rows, show_error, upload_hint

PREVIEW_ROWS = 200
PREVIEW_COLUMNS = ("booking_date", "value_date", "amount", "currency", "counterparty", "description",
                   "communication", "merchant", "payment_method", "bank_reference", "line")
PROBLEM_COLUMNS = ["kind", "row", "field", "value", "reason"]
KIND_LABELS = {"rejected": N_("rejected"), "skipped": N_("skipped"), "warning": N_("warning")}


def render(case: api.CaseHandle) -> None:
    st.subheader(_("Bank, card and PayPal statements"))
    st.caption(_("KBC/CBC, BNP Paribas Fortis, Fintro, Hello bank!, ING, Belfius, Argenta, Crelan, Keytrade CSV "
                 "(and XLSX), CODA, camt.053, MT940, OFX and PayPal. Several files at once are fine: "
                 "overlapping statements are merged without double counting."))
    upload_hint()
    uploads = st.file_uploader(_("Statement files"), accept_multiple_files=True, key="ib_upload", type=None)
    if not uploads:
        return
    for upload in uploads:
        with st.container(border=True):
            st.markdown(f"**{md_escape(upload.name)}**")
            try:
                _one_file(case, upload)
            except ComplaintError as exc:
                show_error(exc)


def _key(upload) -> str:
    import hashlib

    return "ib_" + hashlib.sha256(upload.getvalue()).hexdigest()[:16]


def render_file(case: api.CaseHandle, upload) -> None:
    """One statement file read, shown and offered for the case (also for a file dropped on the Orders tab)."""
    try:
        _one_file(case, upload)
    except ComplaintError as exc:
        show_error(exc)


def _one_file(case: api.CaseHandle, upload) -> None:
    key = _key(upload)
    try:
        report = read_with_progress(upload, "bank", key, importer=st.session_state.get(f"{key}_importer"))
    except AmbiguousFormat as exc:
        show_error(exc, "warning")
        labels = api.list_importers("bank")
        choice = st.selectbox(_("Which format is it?"), exc.candidates, key=f"{key}_choice",
                              format_func=lambda n: f"{labels.get(n, n)} ({n})")
        if st.button(_("Read with this format"), key=f"{key}_force"):
            st.session_state[f"{key}_importer"] = choice
            st.rerun()
        return
    except NotMyFormat as exc:
        orders = api.file_layouts(upload, "orders")
        if orders.found:  # dropped in the wrong tab: read it as what it is
            from ui import import_orders

            st.info(_("This is an order export ({layout}), not a statement: it is read as orders here "
                      "(its place is the Orders tab).", layout=orders.found[0][1]))
            import_orders.render_file(case, upload, key=key)
            return
        show_error(exc, "info")
        report = _mapping_step(case, upload, key)
        if report is None:
            return
    labels = api.list_importers("bank")
    st.write(_("Detected format: {label}", label=labels.get(report.format, report.format)))
    _show_report(case, report, key)


def _mapping_step(case: api.CaseHandle, upload, key: str):
    """No importer knows the file: propose a column mapping and let the user correct it."""
    st.markdown(_("**Map the columns** of this file once; the mapping can be reused."))
    try:
        proposal = api.propose_mapping(upload, "bank")
    except ComplaintError as exc:
        show_error(exc)
        return None
    saved = api.mapping_profiles(case.store, "bank")
    mapping = proposal.mapping
    if saved:
        pick = st.selectbox(_("Saved mapping"), ["", *saved], key=f"{key}_profile",
                            format_func=lambda n: n or _("(none)"))
        if pick:
            mapping = saved[pick]
    choices = ["", *proposal.header]
    columns = {}
    for target, label in api.mapping_fields("bank").items():
        current = mapping.columns.get(target, "")
        columns[target] = st.selectbox(label, choices, index=choices.index(current) if current in choices else 0,
                                       key=f"{key}_map_{target}")
    cols = st.columns(2)
    date_format = cols[0].text_input(_("Date format (e.g. %d/%m/%Y), empty to detect"), key=f"{key}_datefmt")
    decimal = cols[1].selectbox(_("Decimal mark"), ["", ",", "."], key=f"{key}_decimal",
                                format_func=lambda d: d or _("detect"))
    mapping = api.make_mapping("bank", columns, {**mapping.options, "date_format": date_format, "decimal": decimal})
    if mapping.missing():
        st.warning(_("Still to map: {fields}", fields=", ".join(api.field_label(f) or f for f in mapping.missing())))
        return None
    with st.form(f"{key}_save"):
        name = st.text_input(_("Save this mapping as"), key=f"{key}_pname")
        if st.form_submit_button(_("Save mapping")) and name.strip():
            api.save_mapping(case.store, mapping, name)
            st.success(_("Mapping saved."))
    return api.read_file(upload, "bank", mapping=mapping)


def _show_report(case: api.CaseHandle, report, key: str) -> None:
    statement = report.result.statement
    currency = (statement.currency if statement else None) or "EUR"
    if report.balance_check == "ok":
        st.success(_("Balance proof: opening {opening} + movements = closing {closing}",
                     opening=money(statement.opening_balance, currency), closing=money(statement.closing_balance, currency)))
    elif report.balance_check == "mismatch":
        st.error(_("Balance proof fails by {difference}: a movement may be missing from the file",
                   difference=money(report.result.balance_check.difference, currency)))
    else:
        st.info(_("This file has no opening and closing balance to check the movements against."))
    st.text(summary_line(report))
    cols = st.columns(3)
    cols[0].metric(_("Imported"), report.rows_imported)
    cols[1].metric(_("Rejected"), len(report.rejected))
    cols[2].metric(_("Skipped"), len(report.skipped))
    first = preview(report, PREVIEW_ROWS)
    if first:
        if report.rows_imported > PREVIEW_ROWS:
            st.caption(_("The first {n} of {total} transactions:", n=PREVIEW_ROWS, total=fmt.number(report.rows_imported)))
        preview_frame = pd.DataFrame(readable_rows(first, PREVIEW_COLUMNS))
        st.dataframe(preview_frame, hide_index=True, width="stretch", column_config=headers(preview_frame.columns),
                     key=f"{key}_preview")
    problems = report.problems()
    if problems:
        shown = pd.DataFrame(readable_rows([{**p, "kind": _(KIND_LABELS[p["kind"]])}
                                            for p in paged(problems, f"{key}_problems")], PROBLEM_COLUMNS))
        st.dataframe(shown, hide_index=True, width="stretch", column_config=headers(PROBLEM_COLUMNS),
                     key=f"{key}_problems")
        st.download_button(_("Download rejected rows (CSV)"), report.problems_csv().encode("utf-8"),
                           file_name=f"{report.file}.rejected.csv", mime="text/csv", key=f"{key}_dl")
    if st.button(_("Add to the case"), key=f"{key}_store", type="primary", disabled=not report.result.records):
        with st.spinner(_("Adding {file} to the case…", file=report.file)):
            summary = api.add_file(case, report)
        state.invalidate()
        if summary.already_imported:  # the toast and the page say the same thing
            st.toast(_("This file was already imported: nothing added."), icon=":material/info:")
            st.info(_("This file was already imported: nothing added."))
        else:
            done = _("{added} added, {unchanged} already known", added=summary.added, unchanged=summary.unchanged)
            st.toast(_("Statement saved in the case") + ": " + done, icon=":material/check:")
            st.success(done)

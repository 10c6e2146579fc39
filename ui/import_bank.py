"""Import page, statements section: upload, detected format, balance proof, preview, store.

Reads widgets and calls the core (``importers.base``, ``complaint.importers.mapping``, ``Store.add_import``);
rendering only.  Per-section session keys start with ``ib_``.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from complaint.cli.import_bank import file_report
from complaint.csvsafe import write_csv
from complaint.errors import AmbiguousFormat, ComplaintError, NotMyFormat
from complaint.i18n import _
from complaint.importers.base import detect, load_all
from complaint.importers.mapping import FIELD_LABELS
from complaint.importers.textio import as_source
from complaint.records import ImportResult
from ui import state
from ui.safe import md_escape
from ui.widgets import headers

PREVIEW_ROWS = 200
PREVIEW_COLUMNS = ("booking_date", "value_date", "amount", "currency", "counterparty", "description",
                   "communication", "merchant", "payment_method", "bank_reference", "line")


def render(store, case_id: int) -> None:
    st.subheader(_("Bank, card and PayPal statements"))
    st.caption(_("KBC/CBC, BNP Paribas Fortis, Fintro, Hello bank!, ING, Belfius, Argenta, Crelan, Keytrade CSV "
                 "(and XLSX), CODA, camt.053, MT940, OFX and PayPal. Several files at once are fine: "
                 "overlapping statements are merged without double counting."))
    uploads = st.file_uploader(_("Statement files"), accept_multiple_files=True, key="ib_upload",
                               type=None)
    if not uploads:
        return
    for upload in uploads:
        with st.container(border=True):
            st.markdown(f"**{md_escape(upload.name)}**")
            try:
                _one_file(store, case_id, upload)
            except ComplaintError as exc:
                st.error(str(exc))


def _one_file(store, case_id: int, upload) -> None:
    source = as_source(upload.getvalue(), upload.name)
    key = f"ib_{source.sha256[:16]}"
    importers = load_all()
    forced = st.session_state.get(f"{key}_importer")
    result: ImportResult | None = None
    try:
        if forced:
            imp = importers[forced]
        else:
            imp, _conf = detect(source, "bank")
        result = imp.extract(source)
    except AmbiguousFormat as exc:
        st.warning(str(exc))
        choice = st.selectbox(_("Which format is it?"), exc.candidates, key=f"{key}_choice",
                              format_func=lambda n: f"{importers[n].label} ({n})")
        if st.button(_("Read with this format"), key=f"{key}_force"):
            st.session_state[f"{key}_importer"] = choice
            st.rerun()
        return
    except NotMyFormat as exc:
        st.info(str(exc))
        result = _mapping_step(source, key)
        if result is None:
            return
    st.write(_("Detected format: {label}", label=importers[result.importer].label if result.importer in importers
               else result.importer))
    _show_result(store, case_id, result, key)


def _mapping_step(source, key: str) -> ImportResult | None:
    """No importer knows the file: propose a column mapping and let the user correct it."""
    try:
        from complaint.importers.generic_mapped import extract_mapped, read_any_table
        from complaint.importers.mapping import fields_for, propose_mapping
    except ImportError:  # the mapping step is not installed in this build
        st.warning(_("Column mapping is not available; export the statement in another format."))
        return None
    st.markdown(_("**Map the columns** of this file once; the mapping can be reused."))
    table = read_any_table(source)
    mapping = propose_mapping(table.header, "bank")
    choices = ["", *table.header]
    for target in fields_for("bank"):
        current = mapping.columns.get(target, "")
        picked = st.selectbox(_(FIELD_LABELS.get(target, target)), choices, index=choices.index(current) if current in choices else 0,
                              key=f"{key}_map_{target}")
        mapping = mapping.with_column(target, picked or None)
    cols = st.columns(2)
    date_format = cols[0].text_input(_("Date format (e.g. %d/%m/%Y), empty to detect"), key=f"{key}_datefmt")
    decimal = cols[1].selectbox(_("Decimal mark"), ["", ",", "."], key=f"{key}_decimal",
                                format_func=lambda d: d or _("detect"))
    if mapping.missing():
        st.warning(_("Still to map: {fields}", fields=", ".join(mapping.missing())))
        return None
    options = {k: v for k, v in {"date_format": date_format, "decimal": decimal}.items() if v}
    return extract_mapped(source, mapping, options)


def _show_result(store, case_id: int, result: ImportResult, key: str) -> None:
    report = file_report(result)
    check = result.balance_check
    if check.status == "ok":
        st.success(_("Balance proof: opening {opening} + movements = closing {closing}",
                     opening=report["opening_balance"], closing=report["closing_balance"]))
    elif check.status == "mismatch":
        st.error(_("Balance proof fails by {difference}: a movement may be missing from the file",
                   difference=report["balance_difference"]))
    else:
        st.info(_("This file has no opening and closing balance to check the movements against."))
    cols = st.columns(3)
    cols[0].metric(_("Imported"), result.rows_imported)
    cols[1].metric(_("Rejected"), len(result.rejected))
    cols[2].metric(_("Skipped"), len(result.skipped))
    if report["transactions"]:
        preview = pd.DataFrame([{c: t.get(c) for c in PREVIEW_COLUMNS} for t in report["transactions"][:PREVIEW_ROWS]])
        st.dataframe(preview, hide_index=True, use_container_width=True, column_config=headers(preview.columns))
    problems = ([{**r, "kind": _("rejected")} for r in report["rejected_rows"]]
                + [{**r, "kind": _("skipped")} for r in report["skipped_rows"]]
                + [{**r, "kind": _("warning")} for r in report["warnings"]])
    if problems:
        st.dataframe(pd.DataFrame(problems), hide_index=True, use_container_width=True,
                     column_config=headers(["kind", "row", "field", "value", "reason"]))
        header = ["kind", "row", "field", "value", "reason"]
        st.download_button(_("Download rejected rows (CSV)"), write_csv(problems, header).encode("utf-8"),
                           file_name=f"{result.file}.rejected.csv", mime="text/csv", key=f"{key}_dl")
    if st.button(_("Add to the case"), key=f"{key}_store", type="primary", disabled=not result.records):
        with st.spinner(_("Adding {file} to the case…", file=result.file)):
            summary = store.add_import(case_id, result)
        state.invalidate()
        st.toast(_("Statement saved in the case"), icon=":material/check:")
        if summary.already_imported:
            st.info(_("This file was already imported: nothing added."))
        else:
            st.success(_("{added} added, {unchanged} already known", added=summary.added,
                         unchanged=summary.unchanged))


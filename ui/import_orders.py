"""The orders section of the Import page: upload, layout detection, mapping, preview, import, manual entry.

Everything here reads widgets and calls ``complaint.api`` (``file_layouts``, ``read_file``,
``propose_mapping``, ``add_file``, ``add_order``); no parsing happens in this module.  Session keys
are prefixed ``imp_o_``.
"""

from __future__ import annotations

import hashlib
from datetime import date

import streamlit as st

from complaint import api
from complaint.errors import ComplaintError
from complaint.i18n import _
from complaint.records import STATUS_LABELS, OrderStatus
from ui import state
from ui.import_read import preview, read_with_progress, summary_line
from ui.paging import paged
from ui.widgets import headers, readable_rows, show_error, upload_hint

_P = "imp_o_"
_AUTO = "auto"
_NONE = "—"
GENERIC = "orders.generic_mapped"


def render(case: api.CaseHandle) -> None:
    st.subheader(_("Order exports"))
    st.caption(_("AliExpress Shopper Inventory (CSV/JSON), Order Exporter CSV, Bulk Order Exporter TSV, the "
                 "GDPR data backup (XLSX), or any CSV/XLSX with a column mapping."))
    upload_hint(["csv", "tsv", "txt", "json", "xlsx"])
    files = st.file_uploader(_("Order files"), type=["csv", "tsv", "txt", "json", "xlsx"],
                             accept_multiple_files=True, key=_P + "files")
    with st.expander(_("Reading options")):
        c1, c2, c3 = st.columns(3)
        encoding = c1.selectbox(_("Encoding"), [_AUTO, "utf-8-sig", "cp1252", "latin-1"], key=_P + "enc")
        delimiter = c2.selectbox(_("Separator"), [_AUTO, ",", ";", "tab"], key=_P + "delim")
        currency = c3.text_input(_("Currency when the file names none"), value="", max_chars=3, key=_P + "cur",
                                 help=_("The GDPR data backup and the bulk exporter do not say the currency."))
    options = {"encoding": None if encoding == _AUTO else encoding,
               "delimiter": None if delimiter == _AUTO else ("\t" if delimiter == "tab" else delimiter),
               "currency": currency.strip().upper() or None}
    reports = []
    for upload in files or []:
        with st.container(border=True):
            report = _one_file(case, upload, options)
        if report is not None:
            reports.append(report)
    if reports:
        _import_button(case, reports)
    _manual_form(case)


def _one_file(case: api.CaseHandle, upload, options: dict):
    st.markdown("**" + _("File") + ":** ")
    st.text(upload.name)
    key = _P + hashlib.sha256(upload.getvalue()).hexdigest()[:16]
    try:
        layouts = api.file_layouts(upload, "orders")
    except ComplaintError as exc:  # too large: refused before it is decoded
        show_error(exc)
        return None
    names = [n for n, _label, _c in layouts.found]
    labels = {n: f"{label} ({conf:.0%})" for n, label, conf in layouts.found}
    labels[GENERIC] = _("Map the columns myself (any CSV/XLSX)")
    if layouts.found and not layouts.ambiguous:
        st.success(_("Detected layout: {label}", label=labels[names[0]]))
    elif layouts.ambiguous:
        st.warning(_("Several layouts match this file; choose the right one."))
    else:
        bank = api.file_layouts(upload, "bank")
        if bank.found:  # dropped in the wrong tab: read it as what it is
            from ui import import_bank

            st.info(_("This is a bank statement ({layout}), not an order export: it is read as a statement here "
                      "(its place is the Bank and PayPal statements tab).", layout=bank.found[0][1]))
            import_bank.render_file(case, upload)
            return None
        st.info(_("No known layout: map the columns below."))
    chosen = st.radio(_("Layout"), names + [GENERIC], index=0, format_func=lambda n: labels[n], key=key + "_layout",
                      horizontal=False)
    mapping = _mapping_editor(case, upload, options, key) if chosen == GENERIC else None
    if chosen == GENERIC and mapping is None:
        return None
    try:
        report = read_with_progress(upload, "orders", key, importer=None if mapping else chosen, mapping=mapping,
                                    **options)
    except ComplaintError as exc:
        show_error(exc)
        return None
    result = report.result
    st.text(summary_line(report))
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(_("Rows"), result.rows_total)
    c2.metric(_("Imported"), result.rows_imported)
    c3.metric(_("Rejected"), len(result.rejected))
    c4.metric(_("Orders"), len(result.records))
    first = readable_rows([{k: v for k, v in row.items() if k != "items"} | {"items": len(row["items"])}
                           for row in preview(report, 200)])
    st.dataframe(first, hide_index=True, width="stretch", column_config=headers(first[0] if first else ()))
    if report.warnings:
        with st.expander(_("{n} remarks", n=len(report.warnings))):
            st.dataframe(readable_rows([{"row": w["row"], "field": w["field"], "remark": w["reason"]}
                                        for w in paged(report.warnings, key + "_remarks")]),
                         hide_index=True, width="stretch", column_config=headers(["row", "field", "remark"]))
    if report.rejected or report.skipped:
        st.dataframe(readable_rows(paged(report.rejected + report.skipped, key + "_rejected"),
                                   ["row", "field", "value", "reason"]), hide_index=True, width="stretch",
                     column_config=headers(["row", "field", "value", "reason"]))
    return report


def _mapping_editor(case: api.CaseHandle, upload, options: dict, key: str):
    try:
        proposal = api.propose_mapping(upload, "orders", options={k: v for k, v in options.items() if v})
    except ComplaintError as exc:
        show_error(exc)
        return None
    proposed = proposal.mapping
    profiles = api.mapping_profiles(case.store, "orders")
    if profiles:
        pick = st.selectbox(_("Saved mapping"), [_NONE, *profiles], key=key + "_profile")
        if pick != _NONE:
            proposed = profiles[pick]
    columns: dict[str, str] = {}
    cols = st.columns(3)
    for n, (target, field_label) in enumerate(api.mapping_fields("orders").items()):
        current = proposed.columns.get(target)
        conf = proposed.confidence.get(target)
        label = field_label + (f" ({conf:.0%})" if current and conf is not None else "")
        options_list = [_NONE, *proposal.header]
        index = options_list.index(current) if current in options_list else 0
        picked = cols[n % 3].selectbox(label, options_list, index=index, key=f"{key}_map_{target}")
        if picked != _NONE:
            columns[target] = picked
    c1, c2 = st.columns(2)
    date_format = c1.text_input(_("Date format (blank: automatic)"), value=proposed.options.get("date_format", ""),
                                key=key + "_datefmt", help="%d/%m/%Y, %Y-%m-%d, %m/%d/%Y ...")
    decimal = c2.selectbox(_("Decimal mark"), [_AUTO, ",", "."], key=key + "_dec")
    mapping = api.make_mapping("orders", columns, {"date_format": date_format.strip(),
                                                   "decimal": "" if decimal == _AUTO else decimal})
    if mapping.missing():
        st.warning(_("Choose a column for: {fields}",
                     fields=", ".join(api.field_label(f) or f for f in mapping.missing())))
        return None
    with st.form(key + "_save"):
        name = st.text_input(_("Save this mapping as"), key=key + "_pname")
        if st.form_submit_button(_("Save mapping")) and name.strip():
            api.save_mapping(case.store, mapping, name)
            st.success(_("Mapping saved."))
    return mapping


def render_file(case: api.CaseHandle, upload, key: str) -> None:
    """One order file read, shown and offered for the case (also for a file dropped on the Statements tab)."""
    report = _one_file(case, upload, {})
    if report is not None:
        _import_button(case, [report], key=key + "_orders")


def _import_button(case: api.CaseHandle, reports: list, key: str = _P) -> None:
    c1, c2 = st.columns(2)
    if c1.button(_("Import {n} file(s) into the case", n=len(reports)), type="primary", key=key + "go"):
        rows = []
        bar = st.progress(0.0, text=_("Adding the files to the case…"))
        for i, r in enumerate(reports, start=1):
            s = api.add_file(case, r)
            bar.progress(i / len(reports), text=_("Added {done} of {total} files", done=i, total=len(reports)))
            rows.append({"file": r.file, "added": s.added, "updated": s.updated, "unchanged": s.unchanged,
                         "rejected": len(r.rejected), "already imported": s.already_imported})
        state.invalidate()
        bar.empty()
        if all(r["already imported"] for r in rows):  # the toast and the page say the same thing
            st.toast(_("Already imported: nothing added."), icon=":material/info:")
            st.info(_("Already imported: nothing added."))
        else:
            st.toast(_("Orders saved in the case"), icon=":material/check:")
            st.success(_("Imported."))
        st.dataframe(readable_rows(rows), hide_index=True, width="stretch", column_config=headers(rows[0] if rows else ()))
    if any(r.rejected or r.skipped for r in reports):
        c2.download_button(_("Download rejected rows (CSV)"), api.rejected_csv(reports), file_name="rejected_rows.csv",
                           mime="text/csv", key=key + "rej")


def _manual_form(case: api.CaseHandle) -> None:
    with st.expander(_("Enter one order by hand")), st.form(_P + "manual", clear_on_submit=False):
        c1, c2, c3 = st.columns(3)
        order_id = c1.text_input(_("Order id"), key=_P + "m_id")
        order_date = c2.date_input(_("Order date"), value=date.today(), key=_P + "m_date")
        status = c3.selectbox(_("Status"), list(OrderStatus), format_func=lambda s: _(STATUS_LABELS[s]),
                              key=_P + "m_status")
        c4, c5, c6 = st.columns(3)
        total = c4.text_input(_("Total"), key=_P + "m_total", help="12,34")
        currency = c5.text_input(_("Currency"), value="EUR", max_chars=3, key=_P + "m_cur")
        quantity = c6.number_input(_("Quantity"), min_value=1, value=1, step=1, key=_P + "m_qty")
        title = st.text_input(_("Product"), key=_P + "m_title")
        shop = st.text_input(_("Store"), key=_P + "m_store")
        if st.form_submit_button(_("Add order")):
            try:
                order = api.add_order(case, order_id, order_date, total or None, currency, store=shop or None,
                                      status=status, title=title or None, quantity=int(quantity))
            except ComplaintError as exc:
                show_error(exc)
                return
            state.invalidate()
            st.success(_("Order {order} added.", order=order.order_id))

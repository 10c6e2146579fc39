"""The orders section of the Import page: upload, layout detection, mapping, preview, import, manual entry.

Everything here reads widgets and calls ``complaint.importers.order_import`` / ``complaint.importers.mapping`` /
``complaint.importers.manual``; no parsing happens in this module.  Session keys are prefixed ``imp_o_``.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from complaint.errors import ComplaintError
from complaint.i18n import _
from complaint.importers.base import CLEAR_MARGIN, MIN_CONFIDENCE
from complaint.importers.generic_mapped import ImporterOrders
from complaint.importers.manual import manual_order
from complaint.importers.mapping import FIELD_LABELS, ORDER_FIELDS, Mapping
from complaint.importers.order_import import (
    GENERIC,
    import_orders,
    layout_candidates,
    order_row,
    rejected_csv,
)
from complaint.importers.textio import Source
from complaint.records import STATUS_LABELS, OrderStatus
from complaint.store.db import Store
from ui.widgets import headers

_P = "imp_o_"
_AUTO = "auto"
_NONE = "—"


def render(store: Store, case_id: int) -> None:
    st.subheader(_("Order exports"))
    st.caption(_("AliExpress Shopper Inventory (CSV/JSON), Order Exporter CSV, Bulk Order Exporter TSV, the "
                 "GDPR data backup (XLSX), or any CSV/XLSX with a column mapping."))
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
    results = []
    for upload in files or []:
        source = Source(upload.name, upload.getvalue())
        with st.container(border=True):
            result = _one_file(store, source, options)
        if result is not None:
            results.append(result)
    if results:
        _import_button(store, case_id, results)
    _manual_form(store, case_id)


def _one_file(store: Store, source: Source, options: dict):
    st.markdown("**" + _("File") + ":** ")
    st.text(source.name)
    key = _P + source.sha256[:16]
    found = [c for c in layout_candidates(source) if c[2] >= MIN_CONFIDENCE]
    names = [n for n, _label, _c in found]
    labels = {n: f"{label} ({conf:.0%})" for n, label, conf in found}
    labels[GENERIC] = _("Map the columns myself (any CSV/XLSX)")
    ambiguous = len(found) > 1 and found[0][2] - found[1][2] < CLEAR_MARGIN
    if found and not ambiguous:
        st.success(_("Detected layout: {label}", label=labels[names[0]]))
        default = 0
    elif ambiguous:
        st.warning(_("Several layouts match this file; choose the right one."))
        default = 0
    else:
        st.info(_("No known layout: map the columns below."))
        default = 0
    choices = names + [GENERIC]
    chosen = st.radio(_("Layout"), choices, index=default, format_func=lambda n: labels[n], key=key + "_layout",
                      horizontal=False)
    mapping = _mapping_editor(store, source, options, key) if chosen == GENERIC else None
    if chosen == GENERIC and mapping is None:
        return None
    try:
        result = import_orders(source, importer=None if mapping else chosen, mapping=mapping, **options)
    except ComplaintError as exc:
        st.error(str(exc))
        return None
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(_("Rows"), result.rows_total)
    c2.metric(_("Imported"), result.rows_imported)
    c3.metric(_("Rejected"), len(result.rejected))
    c4.metric(_("Orders"), len(result.records))
    preview = [{k: v for k, v in order_row(o).items() if k != "items"} | {"items": len(o.items)}
               for o in result.records[:200]]
    st.dataframe(preview, hide_index=True, use_container_width=True, column_config=headers(preview[0] if preview else ()))
    if result.warnings:
        with st.expander(_("{n} remarks", n=len(result.warnings))):
            st.dataframe([{"row": i.line, "field": i.field, "remark": i.message} for i in result.warnings],
                         hide_index=True, use_container_width=True, column_config=headers(["row", "field", "remark"]))
    if result.rejected or result.skipped:
        st.dataframe([{"row": i.line, "field": i.field, "value": i.value, "reason": i.message}
                      for i in (*result.rejected, *result.skipped)], hide_index=True, use_container_width=True,
                     column_config=headers(["row", "field", "value", "reason"]))
    return result


def _mapping_editor(store: Store, source: Source, options: dict, key: str) -> Mapping | None:
    try:
        proposed, table = ImporterOrders().propose(source, options)
    except ComplaintError as exc:
        st.error(str(exc))
        return None
    profiles = {p.name: p for p in store.profiles("orders")}
    if profiles:
        pick = st.selectbox(_("Saved mapping"), [_NONE, *profiles], key=key + "_profile")
        if pick != _NONE:
            proposed = Mapping.from_profile(profiles[pick])
    header = [h for h in table.header if h]
    columns: dict[str, str] = {}
    cols = st.columns(3)
    for n, target in enumerate(ORDER_FIELDS):
        current = proposed.columns.get(target)
        conf = proposed.confidence.get(target)
        label = _(FIELD_LABELS[target]) + (f" ({conf:.0%})" if current and conf is not None else "")
        options_list = [_NONE, *header]
        index = options_list.index(current) if current in options_list else 0
        picked = cols[n % 3].selectbox(label, options_list, index=index, key=f"{key}_map_{target}")
        if picked != _NONE:
            columns[target] = picked
    c1, c2 = st.columns(2)
    date_format = c1.text_input(_("Date format (blank: automatic)"), value=proposed.options.get("date_format", ""),
                                key=key + "_datefmt", help="%d/%m/%Y, %Y-%m-%d, %m/%d/%Y ...")
    decimal = c2.selectbox(_("Decimal mark"), [_AUTO, ",", "."], key=key + "_dec")
    opts = {k: v for k, v in {"date_format": date_format.strip(),
                              "decimal": "" if decimal == _AUTO else decimal}.items() if v}
    mapping = Mapping("orders", columns, dict.fromkeys(columns, 1.0), opts)
    if mapping.missing():
        st.warning(_("Choose a column for: {fields}", fields=", ".join(mapping.missing())))
        return None
    with st.form(key + "_save"):
        name = st.text_input(_("Save this mapping as"), key=key + "_pname")
        if st.form_submit_button(_("Save mapping")) and name.strip():
            store.save_profile(mapping.to_profile(name.strip()))
            st.success(_("Mapping saved."))
    return mapping


def _import_button(store: Store, case_id: int, results: list) -> None:
    from ui import state

    c1, c2 = st.columns(2)
    if c1.button(_("Import {n} file(s) into the case", n=len(results)), type="primary", key=_P + "go"):
        rows = []
        bar = st.progress(0.0, text=_("Adding the files to the case…"))
        for i, r in enumerate(results, start=1):
            s = store.add_import(case_id, r)
            bar.progress(i / len(results), text=_("Added {done} of {total} files", done=i, total=len(results)))
            rows.append({"file": r.file, "added": s.added, "updated": s.updated, "unchanged": s.unchanged,
                         "rejected": len(r.rejected), "already imported": s.already_imported})
        state.invalidate()
        bar.empty()
        st.toast(_("Orders saved in the case"), icon=":material/check:")
        st.success(_("Imported."))
        st.dataframe(rows, hide_index=True, use_container_width=True, column_config=headers(rows[0] if rows else ()))
    if any(r.rejected or r.skipped for r in results):
        c2.download_button(_("Download rejected rows (CSV)"), rejected_csv(results), file_name="rejected_rows.csv",
                           mime="text/csv", key=_P + "rej")


def _manual_form(store: Store, case_id: int) -> None:
    from ui import state

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
                order = manual_order(order_id, order_date, total or None, currency, store=shop or None,
                                     status=status, title=title or None, quantity=int(quantity))
            except ComplaintError as exc:
                st.error(str(exc))
                return
            store.add_order(case_id, order)
            state.invalidate()
            st.success(_("Order {order} added.", order=order.order_id))

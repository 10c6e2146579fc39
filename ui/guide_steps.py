"""The data-entry steps of the guided flow: the problem, the order, the statement, the photos.

Each ``render_*`` function reads widgets and calls the core (``complaint.importers.order_import``,
``importers.base.import_file``, ``complaint.importers.manual``, ``complaint.evidence.ingest``, ``Store``); it
returns nothing and never raises a ComplaintError (it is shown with ``st.error`` saying what to
fix).  Session keys start with ``guide_``; widget values the user saved are kept under
``guide_saved_*`` because Streamlit forgets a widget's value when its step is not on screen.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import streamlit as st

from complaint.errors import AmbiguousFormat, ComplaintError, NotMyFormat
from complaint.i18n import N_, _
from complaint.importers.textio import Source
from complaint.importers.values import ValueParseError, parse_amount
from complaint.records import (
    PAYMENT_LABELS,
    PROBLEM_LABELS,
    STATUS_LABELS,
    ImportResult,
    OrderAnnotation,
    OrderStatus,
    PaymentMethod,
    Problem,
    RefundPromise,
)
from ui import state
from ui.safe import md_escape
from ui.widgets import day, money

P = "guide_"
ORDER_TYPES = ["csv", "tsv", "txt", "json", "xlsx"]
PHOTO_TYPES = ["jpg", "jpeg", "png", "webp", "heic", "heif", "tif", "tiff", "zip"]
PROMISED_BY = {"seller": N_("the seller"), "platform": N_("AliExpress customer service"),
               "dispute": N_("a dispute decision")}


def seed(key: str, value) -> None:
    """Give a widget its saved value the first time it is drawn on this visit of the step."""
    if key not in st.session_state and value is not None:
        st.session_state[key] = value


def ensure_case() -> int:
    """The current case; a new one named "My AliExpress case" when the user has none yet."""
    case_id = state.current_case_id()
    if case_id is not None:
        return case_id
    store = state.get_store()
    taken = {c.name for c in store.list_cases()}
    base = _("My AliExpress case")
    name = next(n for n in (base, *(f"{base} {i}" for i in range(2, 1000))) if n not in taken)
    case_id = store.create_case(name).id
    state.set_case(case_id)
    st.toast(_("Case “{name}” created. Everything you add is kept in it.", name=name), icon=":material/folder:")
    return case_id


def chosen_order() -> str | None:
    return st.session_state.get(P + "order") or None


def chosen_problem() -> Problem | None:
    raw = st.session_state.get(P + "problem")
    return Problem(raw) if raw else None


# --- step 1: what went wrong ---------------------------------------------------------------------

def render_problem(case) -> bool:
    """Problem type, order, payment method and a promised refund; True once saved."""
    seed(P + "w_problem", st.session_state.get(P + "problem"))
    problem = st.radio(_("What went wrong with your order?"), [p.value for p in Problem], index=None,
                       format_func=lambda p: _(PROBLEM_LABELS[Problem(p)]).capitalize(), key=P + "w_problem")
    known = sorted(case.orders, key=lambda o: (o.order_date, o.order_id), reverse=True)
    seed(P + "w_order_text", st.session_state.get(P + "order"))
    if known:
        labels = {o.order_id: f"{o.order_id} · {day(o.order_date, 'medium')} · {o.store or ''} · "
                              f"{money(o.total, o.currency or 'EUR') if o.total is not None else ''}".strip(" ·")
                  for o in known}
        saved = st.session_state.get(P + "order")
        seed(P + "w_order_pick", saved if saved in labels else None)
        picked = st.selectbox(_("Which order?"), list(labels), index=None, format_func=labels.get,
                              placeholder=_("Choose the order from your export"), key=P + "w_order_pick")
        typed = st.text_input(_("Or type the order number"), key=P + "w_order_text",
                              help=_("The 16-digit number under Order details in the AliExpress app."))
    else:
        picked = None
        typed = st.text_input(_("Order number"), key=P + "w_order_text", placeholder="8116516504403817",
                              help=_("The 16-digit number under Order details in the AliExpress app "
                                     "(My orders > the order > Order details)."))
    methods = [m.value for m in PaymentMethod]
    ann = case.annotations.get(chosen_order() or "")
    seed(P + "w_method", ann.payment_method if ann else None)
    method = st.selectbox(_("How did you pay? (optional)"), methods, index=None,
                          format_func=lambda m: _(PAYMENT_LABELS[PaymentMethod(m)]),
                          placeholder=_("I don't know"), key=P + "w_method",
                          help=_("It decides how long a refund may take and whether a card chargeback is possible."))
    promised = st.checkbox(_("AliExpress or the seller promised me a refund"), key=P + "w_promised")
    promise = None
    if promised:
        c1, c2, c3 = st.columns(3)
        amount = c1.text_input(_("Amount promised"), key=P + "w_p_amount", placeholder="14,90")
        currency = c2.text_input(_("Currency"), value="EUR", max_chars=3, key=P + "w_p_currency")
        on = c3.date_input(_("Promised on"), value=None, key=P + "w_p_date", format="DD/MM/YYYY")
        by = st.radio(_("Promised by"), list(PROMISED_BY), format_func=lambda b: _(PROMISED_BY[b]).capitalize(),
                      horizontal=True,
                      key=P + "w_p_by")
        promise = (amount, currency, on, by)
    if not st.button(_("Save and continue"), type="primary", key=P + "save_problem", icon=":material/save:"):
        return False
    try:
        order_id = _order_id((typed or "").strip() or picked)
        if problem is None:
            raise ComplaintError(_("Choose what went wrong: it decides which evidence and which steps apply."))
        built = _promise(order_id, *promise) if promise else None
    except ComplaintError as exc:
        st.error(str(exc))
        return False
    case_id = ensure_case()
    store = state.get_store()
    old = state.load_case().annotations.get(order_id) or OrderAnnotation(order_id=order_id)
    store.set_annotation(case_id, replace(old, problem=problem, payment_method=method or old.payment_method))
    if built is not None:
        store.add_promise(case_id, built)
    state.invalidate()
    st.session_state[P + "order"] = order_id
    st.session_state[P + "problem"] = problem
    st.toast(_("Saved: order {order}, {problem}.", order=order_id, problem=_(PROBLEM_LABELS[Problem(problem)])),
             icon=":material/check:")
    return True


def _order_id(raw: str | None) -> str:
    from complaint.importers.orders.common import clean_order_id

    if not raw:
        raise ComplaintError(_("Enter the order number: the 16-digit number under Order details in the "
                               "AliExpress app, or choose the order from the list."))
    try:
        return clean_order_id(raw)
    except ValueParseError as exc:
        raise ComplaintError(_("Order number '{value}': {error}. Copy it from Order details in the AliExpress app.",
                               value=raw, error=exc)) from exc


def _promise(order_id: str, amount: str, currency: str, on: date | None, by: str) -> RefundPromise:
    try:
        value = parse_amount(amount)
    except ValueParseError as exc:
        raise ComplaintError(_("Amount promised '{value}': {error}. Write it like 14,90.", value=amount,
                               error=exc)) from exc
    if value is None or value <= 0:
        raise ComplaintError(_("Amount promised: enter the amount of the refund, for example 14,90."))
    code = (currency or "").strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise ComplaintError(_("Currency '{value}': use a three-letter code such as EUR.", value=currency))
    if on is None:
        raise ComplaintError(_("Promised on: choose the date of the message or decision that promised the refund."))
    return RefundPromise(id=f"guide-{order_id}", order_id=order_id, amount=value, currency=code, promised_on=on,
                         by=by, note=_("Recorded in the guided help."))


# --- files: parse once per upload ----------------------------------------------------------------

def _parse(kind: str, upload) -> ImportResult | str:
    """ImportResult, or the message to show; cached in the session by file content."""
    cache = st.session_state.setdefault(P + "parsed", {})
    data = upload.getvalue()
    source = Source(upload.name, data)
    key = (kind, source.sha256)
    if key not in cache:
        with st.spinner(_("Reading {file}…", file=upload.name)):
            try:
                if kind == "orders":
                    from complaint.importers.order_import import import_orders

                    cache[key] = import_orders(source)
                else:
                    from complaint.importers.base import import_file

                    cache[key] = import_file(source, kind="bank")
            except (NotMyFormat, AmbiguousFormat) as exc:
                cache[key] = _("{error}. Open the Import page to choose the format or match the columns yourself.",
                               error=str(exc).rstrip("."))
            except ComplaintError as exc:
                cache[key] = str(exc)
    return cache[key]


def _file_results(kind: str, uploads) -> list[ImportResult]:
    results = []
    for up in uploads or []:
        got = _parse(kind, up)
        if isinstance(got, str):
            st.error(got, icon=":material/error:")
            st.page_link("app_pages/import.py", label=_("Open the Import page"), icon=":material/upload:")
            continue
        results.append(got)
        msg = _("{file}: {n} rows read, {rejected} rejected.", file=got.file, n=got.rows_imported,
                rejected=len(got.rejected))
        (st.warning if got.rejected else st.success)(msg, icon=":material/description:")
    return results


def _add_files(results: list[ImportResult], label: str, key: str) -> None:
    if not results or not st.button(label, type="primary", key=key, icon=":material/add:"):
        return
    case_id = ensure_case()
    store = state.get_store()
    bar = st.progress(0.0, text=_("Adding to your case…"))
    added = 0
    for i, r in enumerate(results, 1):
        summary = store.add_import(case_id, r)
        added += summary.added
        bar.progress(i / len(results), text=_("{file} added ({i} of {n})", file=r.file, i=i, n=len(results)))
    bar.empty()
    state.invalidate()
    st.toast(_("{n} new records added to your case.", n=added), icon=":material/check:")


# --- step 2: orders ------------------------------------------------------------------------------

def render_orders(case) -> None:
    st.write(_("Add the order export file (CSV, TSV, JSON or XLSX from an order exporter, or the AliExpress data "
               "download). No file? Enter the order by hand below."))
    uploads = st.file_uploader(_("Order export files"), type=ORDER_TYPES, accept_multiple_files=True,
                               key=P + "order_files")
    _add_files(_file_results("orders", uploads), _("Add these orders to my case"), P + "add_orders")
    case = state.load_case()
    order_id = chosen_order()
    order = case.order(order_id) if order_id else None
    if order is not None:
        st.success(_("Order {order} is in your case: placed {date}, {total}, {status}.", order=order.order_id,
                     date=day(order.order_date), total=money(order.total, order.currency or "EUR"),
                     status=_(STATUS_LABELS[order.status])), icon=":material/check_circle:")
    elif order_id and case.orders:
        st.warning(_("Order {order} is not in the files added so far. Check the number in step 1, or enter the "
                     "order by hand.", order=order_id))
    with st.expander(_("Enter the order by hand"), expanded=not case.orders and not uploads):
        _manual_order_form(order_id)


def _manual_order_form(order_id: str | None) -> None:
    from complaint.importers.manual import manual_order

    with st.form(P + "manual_order"):
        c1, c2, c3 = st.columns(3)
        oid = c1.text_input(_("Order number"), value=order_id or "", key=P + "mo_id")
        when = c2.date_input(_("Order date"), value=None, key=P + "mo_date", format="DD/MM/YYYY")
        status = c3.selectbox(_("Status in the app"), list(OrderStatus), format_func=lambda s: _(STATUS_LABELS[s]),
                              key=P + "mo_status")
        c4, c5, c6 = st.columns(3)
        total = c4.text_input(_("Total paid"), key=P + "mo_total", placeholder="29,80")
        currency = c5.text_input(_("Currency"), value="EUR", max_chars=3, key=P + "mo_cur")
        shop = c6.text_input(_("Store name"), key=P + "mo_store")
        title = st.text_input(_("Product"), key=P + "mo_title")
        if not st.form_submit_button(_("Add this order"), icon=":material/add:"):
            return
    try:
        order = manual_order(oid, when, total or None, currency, store=shop or None, status=status, title=title or None)
    except ComplaintError as exc:
        st.error(_("The order was not added. {error}", error=str(exc)))
        return
    state.get_store().add_order(ensure_case(), order)
    state.invalidate()
    st.session_state.setdefault(P + "order", order.order_id)
    st.toast(_("Order {order} added.", order=order.order_id), icon=":material/check:")
    st.rerun()


# --- step 3: statements --------------------------------------------------------------------------

def render_bank(case) -> None:
    st.write(_("Add the statement of the account or card you paid with: CSV, CODA, camt.053, MT940 or OFX from "
               "your bank, or the PayPal activity CSV. It proves the payment, and whether the refund arrived."))
    uploads = st.file_uploader(_("Bank or PayPal statement files"), accept_multiple_files=True, key=P + "bank_files")
    _add_files(_file_results("bank", uploads), _("Add these statements to my case"), P + "add_bank")
    case = state.load_case()
    if case.transactions:
        first = min(t.booking_date for t in case.transactions)
        last = max(t.booking_date for t in case.transactions)
        st.info(_("{n} statement lines in your case, from {first} to {last}.", n=len(case.transactions),
                  first=day(first), last=day(last)), icon=":material/account_balance:")
    with st.expander(_("Enter one payment or refund by hand"), expanded=not case.transactions and not uploads):
        _manual_txn_form()


def _manual_txn_form() -> None:
    from complaint.importers.manual import manual_transaction

    with st.form(P + "manual_txn"):
        direction = st.radio(_("What is it?"), ["out", "in"], horizontal=True, key=P + "mt_dir",
                             format_func=lambda d: _("A payment (money out)") if d == "out"
                             else _("A refund (money in)"))
        c1, c2, c3 = st.columns(3)
        when = c1.date_input(_("Date on the statement"), value=None, key=P + "mt_date", format="DD/MM/YYYY")
        amount = c2.text_input(_("Amount"), key=P + "mt_amount", placeholder="29,80")
        currency = c3.text_input(_("Currency"), value="EUR", max_chars=3, key=P + "mt_cur")
        counterparty = st.text_input(_("Counterparty as shown on the statement"), value="AliExpress", key=P + "mt_cp")
        description = st.text_input(_("Description (optional)"), key=P + "mt_desc")
        if not st.form_submit_button(_("Add this line"), icon=":material/add:"):
            return
    text = (amount or "").strip().lstrip("+-")
    try:
        txn = manual_transaction(when, ("-" + text) if direction == "out" and text else text, currency,
                                 counterparty=counterparty, description=description)
    except ComplaintError as exc:
        st.error(_("The line was not added. {error}", error=str(exc)))
        return
    state.get_store().add_transaction(ensure_case(), txn)
    state.invalidate()
    st.toast(_("Added: {amount} on {date}.", amount=money(txn.amount, txn.currency), date=day(txn.booking_date)),
             icon=":material/check:")
    st.rerun()


# --- step 4: photos ------------------------------------------------------------------------------

def render_photos(case) -> None:
    from complaint.dossier.guide import evidence_checklist

    order_id, problem = chosen_order(), chosen_problem()
    st.write(_("Add the original photos from your phone and screenshots of the order and the chat. "
               "Originals keep the time they were taken; pictures sent through chat apps lose it."))
    with st.container(border=True):
        st.markdown("**" + _("What helps for this problem") + "**")
        st.markdown("\n".join(f"- {md_escape(item)}" for item in evidence_checklist(problem)))
    uploads = st.file_uploader(_("Photos, screenshots or a ZIP of them"), type=PHOTO_TYPES, accept_multiple_files=True,
                               key=P + "photo_files")
    if uploads and st.button(_("Add {n} file(s) to my case", n=len(uploads)), type="primary", key=P + "add_photos",
                             icon=":material/add_photo_alternate:"):
        _add_photos(uploads, order_id, problem)
    case = state.load_case()
    linked = [e for e in case.evidence if order_id and e.order_id == order_id]
    if linked:
        st.info(_("{n} pictures are linked to order {order}.", n=len(linked), order=order_id),
                icon=":material/photo_library:")
    elif case.evidence:
        st.caption(_("{n} pictures in your case; link them to an order on the Evidence page.", n=len(case.evidence)))


def _add_photos(uploads, order_id: str | None, problem: Problem | None) -> None:
    from complaint.evidence.ingest import ingest_upload, mark_duplicates

    case_id = ensure_case()
    store = state.get_store()
    bar = st.progress(0.0, text=_("Reading the pictures…"))
    new, failed = [], []
    for k, up in enumerate(uploads):
        def tick(done, total, name, k=k):
            bar.progress(min(1.0, (k + done / max(total, 1)) / len(uploads)),
                         text=_("Reading {file} ({i} of {n})", file=name, i=k + 1, n=len(uploads)))
        try:
            for ev, data in ingest_upload(up.name, up.getvalue(), progress=tick):
                (failed if ev.error else new).append((ev, data))
        except ComplaintError as exc:
            failed.append((None, str(exc)))
    known = state.load_case().evidence
    marked = mark_duplicates(known + [ev for ev, _d in new])[len(known):]
    added = 0
    for ev, (_e, data) in zip(marked, new, strict=True):
        linked = replace(ev, order_id=ev.order_id or order_id, problem=ev.problem or (problem.value if problem else None))
        added += bool(store.add_evidence(case_id, linked, data))
    bar.empty()
    state.invalidate()
    st.toast(_("{added} pictures added, {dup} were already in your case.", added=added, dup=len(new) - added),
             icon=":material/check:")
    for ev, msg in failed:
        st.warning(md_escape(ev.error if ev is not None else msg) + " " +
                   _("Send the original file (JPEG, PNG, HEIC) or a ZIP of originals."))


"""The data-entry steps of the guided flow: the problem, the order, the statement, the photos.

Each ``render_*`` function reads widgets and calls ``complaint.api`` (``set_problem``,
``record_promise``, ``read_file``, ``add_file``, ``add_order``, ``add_transaction``,
``import_evidence``); it returns nothing and never raises a ComplaintError (it is shown with
``st.error`` saying what to fix).  Session keys start with ``guide_``; widget values the user saved are kept under
``guide_saved_*`` because Streamlit forgets a widget's value when its step is not on screen.
"""

from __future__ import annotations

import hashlib
from datetime import date

import streamlit as st

from complaint import api
from complaint.case import CaseData
from complaint.errors import AmbiguousFormat, ComplaintError, NotMyFormat
from complaint.i18n import N_, _
from complaint.records import (
    PAYMENT_LABELS,
    PROBLEM_LABELS,
    STATUS_LABELS,
    OrderStatus,
    PaymentMethod,
    Problem,
)
from ui import state
from ui.safe import md_escape, md_text
from ui.widgets import day, money, show_error, upload_hint

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
    taken = set(api.list_cases(store)["name"])
    base = _("My AliExpress case")
    name = next(n for n in (base, *(f"{base} {i}" for i in range(2, 1000))) if n not in taken)
    case_id = api.create_case(store, name).id
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
        if promise is not None:
            _check_promise(order_id, *promise)
    except ComplaintError as exc:
        show_error(exc)
        return False
    ensure_case()
    case = state.handle()
    try:
        extra = {"payment_method": method} if method else {}
        api.set_problem(case, order_id, problem, **extra)
        if promise is not None:
            amount, currency, on, by = promise
            api.record_promise(case, order_id, amount, currency, on, by=by, note=_("Recorded in the guided help."),
                               promise_id=f"guide-{order_id}")
    except ComplaintError as exc:
        show_error(exc)
        return False
    finally:
        state.invalidate()
    st.session_state[P + "order"] = order_id
    st.session_state[P + "problem"] = problem
    st.toast(_("Saved: order {order}, {problem}.", order=order_id, problem=_(PROBLEM_LABELS[Problem(problem)])),
             icon=":material/check:")
    return True


def _order_id(raw: str | None) -> str:
    if not raw:
        raise ComplaintError(_("Enter the order number: the 16-digit number under Order details in the "
                               "AliExpress app, or choose the order from the list."))
    try:
        return api.check_order_id(raw)
    except ComplaintError as exc:
        raise ComplaintError(_("Order number '{value}': {error}. Copy it from Order details in the AliExpress app.",
                               value=raw, error=str(exc).removeprefix("order_id: "))) from exc


def _check_promise(order_id: str, amount: str, currency: str, on: date | None, by: str) -> None:
    """Refuse a promise before anything is written (a case in memory takes the trial)."""
    if not (amount or "").strip():
        raise ComplaintError(_("Amount promised: enter the amount of the refund, for example 14,90."))
    if on is None:
        raise ComplaintError(_("Promised on: choose the date of the message or decision that promised the refund."))
    try:
        api.record_promise(CaseData(), order_id, amount, currency, on, by=by)
    except ComplaintError as exc:
        raise ComplaintError(_("The promise was not saved. {error}", error=str(exc))) from exc


# --- files: parse once per upload ----------------------------------------------------------------

def _parse(kind: str, upload):
    """The file's report (api.read_file), or the message to show; cached in the session by file content."""
    cache = st.session_state.setdefault(P + "parsed", {})
    key = (kind, hashlib.sha256(upload.getvalue()).hexdigest())
    if key not in cache:
        with st.spinner(_("Reading {file}…", file=upload.name)):
            try:
                cache[key] = api.read_file(upload, kind)
            except (NotMyFormat, AmbiguousFormat) as exc:
                cache[key] = _("{error}. Open the Import page to choose the format or match the columns yourself.",
                               error=str(exc).rstrip("."))
            except ComplaintError as exc:
                cache[key] = str(exc)
    return cache[key]


def _file_results(kind: str, uploads) -> list:
    results = []
    for up in uploads or []:
        got = _parse(kind, up)
        if isinstance(got, str):
            st.error(md_escape(got), icon=":material/error:")
            st.page_link("app_pages/import.py", label=_("Open the Import page"), icon=":material/upload:")
            continue
        results.append(got)
        msg = _("{file}: {n} rows read, {rejected} rejected.", file=got.file, n=got.rows_imported,
                rejected=len(got.rejected))
        (st.warning if got.rejected else st.success)(md_escape(msg), icon=":material/description:")
    return results


def _add_files(results: list, label: str, key: str) -> None:
    if not results or not st.button(label, type="primary", key=key, icon=":material/add:"):
        return
    ensure_case()
    case = state.handle()
    bar = st.progress(0.0, text=_("Adding to your case…"))
    added = 0
    for i, r in enumerate(results, 1):
        summary = api.add_file(case, r)
        added += summary.added
        bar.progress(i / len(results), text=_("{file} added ({i} of {n})", file=r.file, i=i, n=len(results)))
    bar.empty()
    state.invalidate()
    st.toast(_("{n} new records added to your case.", n=added), icon=":material/check:")


# --- step 2: orders ------------------------------------------------------------------------------

def render_orders(case) -> None:
    st.write(_("Add the order export file (CSV, TSV, JSON or XLSX from an order exporter, or the AliExpress data "
               "download). No file? Enter the order by hand below."))
    upload_hint(ORDER_TYPES)
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
    ensure_case()
    try:
        order = api.add_order(state.handle(), oid, when, total or None, currency, store=shop or None, status=status,
                              title=title or None)
    except ComplaintError as exc:
        show_error(_("The order was not added. {error}", error=str(exc)))
        return
    state.invalidate()
    st.session_state.setdefault(P + "order", order.order_id)
    st.toast(_("Order {order} added.", order=order.order_id), icon=":material/check:")
    st.rerun()


# --- step 3: statements --------------------------------------------------------------------------

def render_bank(case) -> None:
    st.write(_("Add the statement of the account or card you paid with: CSV, CODA, camt.053, MT940 or OFX from "
               "your bank, or the PayPal activity CSV. It proves the payment, and whether the refund arrived."))
    upload_hint()
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
    ensure_case()
    try:
        txn = api.add_transaction(state.handle(), when, ("-" + text) if direction == "out" and text else text,
                                  currency, counterparty=counterparty, description=description)
    except ComplaintError as exc:
        show_error(_("The line was not added. {error}", error=str(exc)))
        return
    state.invalidate()
    st.toast(_("Added: {amount} on {date}.", amount=money(txn.amount, txn.currency), date=day(txn.booking_date)),
             icon=":material/check:")
    st.rerun()


# --- step 4: photos ------------------------------------------------------------------------------

def render_photos(case) -> None:
    order_id, problem = chosen_order(), chosen_problem()
    st.write(_("Add the original photos from your phone and screenshots of the order and the chat. "
               "Originals keep the time they were taken; pictures sent through chat apps lose it."))
    with st.container(border=True):
        st.markdown("**" + _("What helps for this problem") + "**")
        st.markdown("\n".join(f"- {md_escape(item)}" for item in api.evidence_checklist(problem)))
    upload_hint(PHOTO_TYPES)
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
    ensure_case()
    bar = st.progress(0.0, text=_("Reading the pictures…"))
    done_files: list[str] = []

    def tick(done, total, name):
        if done == total:
            done_files.append(name)
        bar.progress(min(1.0, len(done_files) / len(uploads)),
                     text=md_text("Reading {file} ({i} of {n})", file=name, i=min(len(done_files) + 1, len(uploads)),
                                  n=len(uploads)))

    try:
        rows = api.import_evidence(state.handle(), list(uploads), progress=tick, order_id=order_id,
                                   problem=problem.value if problem else None)
    except ComplaintError as exc:
        bar.empty()
        show_error(exc)
        return
    bar.empty()
    state.invalidate()
    readable = rows[rows["error"].isna()]
    added = int(readable["added"].sum())
    st.toast(_("{added} pictures added, {dup} were already in your case.", added=added, dup=len(readable) - added),
             icon=":material/check:")
    for msg in rows["error"].dropna():
        st.warning(md_escape(msg) + " " + _("Send the original file (JPEG, PNG, HEIC) or a ZIP of originals."))

"""Reconcile: which refunds never reached the account, for how much, since when, and why."""

from datetime import date

import plotly.graph_objects as go
import streamlit as st

from complaint import api, fmt
from complaint.errors import ComplaintError
from complaint.i18n import _, get_language
from complaint.records import OUTCOME_LABELS, Outcome, Problem
from ui import state
from ui.paging import paged
from ui.safe import md_escape
from ui.widgets import dossier_link, headers, open_dossier, plotly_separators, score, show_error, txn_label

st.title(_("Reconcile payments and refunds"))
handle = state.handle()
case = state.load_case()
try:
    rec = state.reconciliation()
except ComplaintError as exc:
    show_error(exc)
    st.stop()


def _done(message: str) -> None:
    state.invalidate()
    st.toast(message)
    st.rerun()


s = rec.summary
cols = st.columns(5)
labels = [(_("Paid"), "paid_eur"), (_("Refunds expected"), "refunds_expected_eur"),
          (_("Credited"), "refunds_credited_eur"), (_("Pending"), "refunds_pending_eur"),
          (_("Overdue"), "refunds_overdue_eur")]
for col, (label, key) in zip(cols, labels, strict=True):
    col.metric(label, fmt.money(s[key], "EUR"))
# the same Okabe-Ito colours as the timeline: expected grey, credited green, pending orange, overdue vermillion
amounts = [fmt.money(s[k], "EUR") for _l, k in labels[1:]]
fig = go.Figure(go.Bar(x=[label for label, _k in labels[1:]], y=[float(s[k]) for _l, k in labels[1:]],
                       marker_color=["#999999", "#009E73", "#E69F00", "#D55E00"], text=amounts,
                       textposition="outside", cliponaxis=False, customdata=amounts,
                       hovertemplate="%{x}: %{customdata}<extra></extra>"))
fig.update_layout(height=280, margin={"l": 10, "r": 10, "t": 30, "b": 10},
                  separators=plotly_separators(),
                  xaxis_title=_("Refunds"), yaxis_title=_("Amount in euro"), yaxis_rangemode="tozero")
st.plotly_chart(fig, width="stretch", key="rec_chart")

st.subheader(_("Refunds not received"))
if not rec.missing_credits:
    st.success(_("Every expected refund has reached the account (or is not due on the bank)."))
missing_page = paged(rec.missing_credits, "rec_missing", size=25)
offset = rec.missing_credits.index(missing_page[0]) if missing_page else 0
for i, m in enumerate(missing_page, start=offset):
    with st.container(border=True):
        overdue = m.state == "overdue"
        state_label = _("Overdue") if overdue else _("Pending")
        header = " · ".join([
            state_label, _("order {order}", order=m.order_id),
            _("{amount} expected since {since}", amount=fmt.money(m.expected_amount, m.currency),
              since=fmt.day(m.expected_since)),
            _("{n} business days", n=m.business_days_waiting), _("due {due}", due=fmt.day(m.due_date))])
        icon = ":material/error:" if overdue else ":material/schedule:"
        st.markdown(f":{'red' if overdue else 'orange'}-badge[{icon} {md_escape(state_label)}] "
                    f"**{md_escape(header.split(' · ', 1)[1])}**")
        st.caption(md_escape(m.reason))  # the engine's explanation, as it is
        ann = case.annotations.get(m.order_id)
        if ann is not None and ann.problem == Problem.REFUND_NOT_RECEIVED.value:
            st.caption(_("In the dossier as 'refund promised but not received'."))
            dossier_link(m.order_id, _("Dossier of this order"))
        elif st.button(_("Add to dossier"), key=f"rec_add_{i}"):
            api.set_problem(handle, m.order_id, Problem.REFUND_NOT_RECEIVED)
            state.invalidate()
            open_dossier(m.order_id)  # the Dossier opens on this order

st.subheader(_("Matches"))
# The options are codes with translated labels; the browser keeps a widget's labels while its key is
# unchanged, so the key names the language and the choice (codes) is carried over in session state.
lang = get_language()
kinds = {"payment": _("payments"), "refund": _("refunds")}
states = {"proposed": _("proposed"), "confirmed": _("confirmed"), "linked": _("linked by hand")}


def _choice(name: str, options: dict[str, str]) -> list[str]:
    return [c for c in st.session_state.get(f"{name}_choice", list(options)) if c in options]


f1, f2 = st.columns(2)
pick_kinds = f1.multiselect(_("Kind"), list(kinds), default=_choice("rec_kinds", kinds), format_func=kinds.get, placeholder=_("Choose one or more"),
                            key=f"rec_kinds_{lang}")
pick_states = f2.multiselect(_("State"), list(states), default=_choice("rec_states", states), placeholder=_("Choose one or more"),
                             format_func=states.get, key=f"rec_states_{lang}")
st.session_state["rec_kinds_choice"], st.session_state["rec_states_choice"] = pick_kinds, pick_states
shown = [m for m in rec.matches if m.kind in pick_kinds and (m.decision or "proposed") in pick_states]
kind_names = {"payment": _("payment"), "refund": _("refund")}
shown = paged(shown, "rec_matches")  # a page of matches at a time: the browser never gets 100,000 rows
txns = api.transactions_by_id(case, {t for m in shown for t in m.txn_ids})


def _txns(match) -> str:
    return "; ".join(txn_label(txns[t]) if t in txns else t for t in match.txn_ids)


st.dataframe([{_("Kind"): kind_names.get(m.kind, m.kind), _("Orders"): ", ".join(m.order_ids),
               _("Transactions"): _txns(m), _("Score"): score(m.score),
               _("Decision"): states.get(m.decision or "proposed", m.decision), _("Why"): " · ".join(m.reasons)}
              for m in shown], width="stretch", hide_index=True, key="rec_matches",
             column_config={_("Transactions"): st.column_config.TextColumn(width="large"),
                            _("Why"): st.column_config.TextColumn(width="large")})
if shown:
    keys = [m.key for m in shown]
    before = st.session_state.get("rec_pick_choice")
    choice = st.selectbox(_("Review a match"), range(len(shown)), key=f"rec_pick_{lang}",
                          index=keys.index(before) if before in keys else 0,
                          format_func=lambda k: f"{kind_names.get(shown[k].kind, shown[k].kind)}: "
                                                f"{', '.join(shown[k].order_ids)} ↔ {_txns(shown[k])} "
                                                f"({score(shown[k].score)})")
    m = shown[choice]
    st.session_state["rec_pick_choice"] = m.key
    for reason in m.reasons:
        st.text("• " + reason)
    b1, b2, b3 = st.columns(3)
    if b1.button(_("Confirm"), key="rec_confirm"):
        api.confirm_match(handle, m.order_ids, m.txn_ids, kind=m.kind)
        _done(_("Match confirmed"))
    if b2.button(_("Reject (never propose again)"), key="rec_reject"):
        api.reject_match(handle, m.order_ids, m.txn_ids, kind=m.kind)
        _done(_("Match rejected"))
    if m.decision and b3.button(_("Undo my decision"), key="rec_clear"):
        api.clear_decision(handle, m.order_ids, m.txn_ids, kind=m.kind)
        _done(_("Decision undone"))

with st.expander(_("Link by hand")):
    # a large case offers what a search finds (newest first), never every order and statement line
    s1, s2 = st.columns(2)
    order_query = s1.text_input(_("Find orders (id or store)"), key="rec_link_oq")
    txn_query = s2.text_input(_("Find transactions (text, id or amount)"), key="rec_link_tq")
    with st.form("rec_link"):
        kind = st.radio(_("Kind"), ["payment", "refund"], horizontal=True,
                        format_func=lambda k: _("payment") if k == "payment" else _("refund"))
        order_ids = st.multiselect(_("Order(s)"), [o.order_id for o in api.find_orders(case, order_query)],
                                   placeholder=_("Choose one or more"))
        txn_labels = {t.id: txn_label(t) for t in api.find_transactions(case, txn_query, matchable=False)}
        txn_ids = st.multiselect(_("Transaction(s)"), list(txn_labels), format_func=txn_labels.get,
                                 placeholder=_("Choose one or more"))
        if st.form_submit_button(_("Link")):
            if not order_ids or not txn_ids:
                st.error(_("Pick at least one order and one transaction."))
            else:
                try:
                    api.link_match(handle, order_ids, txn_ids, kind=kind)
                except ComplaintError as exc:
                    show_error(exc)
                else:
                    _done(_("Linked"))

with st.expander(_("Record a refund promise")):
    promise_query = st.text_input(_("Find orders (id or store)"), key="rec_promise_oq")
    with st.form("rec_promise"):
        order_id = st.selectbox(_("Order"), [o.order_id for o in api.find_orders(case, promise_query)])
        c1, c2, c3 = st.columns(3)
        amount_text = c1.text_input(_("Amount"), value="")
        currency = c2.selectbox(_("Currency"), ["EUR", "USD", "GBP", "PLN", "CHF"])
        promised_on = c3.date_input(_("Promised on"), value=state.as_of())
        by = st.selectbox(_("Promised by"), ["platform", "seller", "dispute"],
                          format_func=lambda b: {"platform": _("AliExpress"), "seller": _("the seller"),
                                                 "dispute": _("the dispute decision")}[b])
        destination = st.selectbox(_("Refund to"), ["original_payment", "platform_balance"],
                                   format_func=lambda d: _("the original payment (card, PayPal)")
                                   if d == "original_payment" else _("the AliExpress balance"))
        note = st.text_input(_("Note"))
        arn = st.text_input(_("Refund reference for your bank (ARN), if AliExpress gave one"),
                            help=_("Usually 23 digits, in the refund details or from the help-centre chat; the "
                                   "letters quote it so your bank can trace the credit."))
        if st.form_submit_button(_("Save promise")):
            try:
                api.record_promise(handle, order_id, amount_text, currency, promised_on, by=by,
                                   destination=destination, note=note, arn=arn)
            except ComplaintError as exc:
                show_error(exc)
            else:
                _done(_("Promise recorded"))
    promised = api.promises(case)
    if promised:
        st.caption(_("Promises recorded"))
        st.dataframe([{_("order"): p.order_id, _("amount"): fmt.money(p.amount, p.currency),
                       _("date"): fmt.day(p.promised_on), _("by"): p.by, _("note"): p.note or "", "id": p.id}
                      for p in promised], hide_index=True, width="stretch", key="rec_promises")
        labels = {p.id: f"{p.order_id} · {fmt.money(p.amount, p.currency)} · {fmt.day(p.promised_on)}"
                  for p in promised}
        c1, c2 = st.columns([3, 1])
        gone = c1.selectbox(_("Promise recorded by mistake"), list(labels), format_func=labels.get,
                            key="rec_withdraw_pick")
        if c2.button(_("Withdraw"), key="rec_withdraw"):
            api.withdraw_promise(handle, gone)
            _done(_("Promise withdrawn"))

with st.expander(_("Record how a dispute ended")):
    outcome_query = st.text_input(_("Find orders (id or store)"), key="rec_out_oq")
    with st.form("rec_outcome"):
        order_id = st.selectbox(_("Order"), [o.order_id for o in api.find_orders(case, outcome_query)],
                                key="rec_out_order")
        c1, c2, c3 = st.columns(3)
        outcome = c1.selectbox(_("Outcome"), [o.value for o in Outcome],
                               format_func=lambda o: _(OUTCOME_LABELS[Outcome(o)]), key="rec_out_outcome")
        ended_on = c2.date_input(_("Ended on"), value=state.as_of(), key="rec_out_day")
        refund = c3.text_input(_("Amount refunded (empty: the order's amount)"), key="rec_out_amount")
        note = st.text_input(_("Note"), key="rec_out_note")
        if st.form_submit_button(_("Save outcome")):
            try:
                api.set_outcome(handle, order_id, outcome, ended_on, amount=refund or None, note=note or None)
            except ComplaintError as exc:
                show_error(exc)
            else:
                _done(_("Outcome recorded"))

for title, rows, page_key in ((_("Debits with no order"), rec.unmatched_transactions, "rec_unmatched"),
                              (_("Credits with no expected refund"), rec.credits_without_refund, "rec_credits")):
    if rows:
        st.subheader(title)
        st.dataframe([{_("date"): fmt.day(t.booking_date), _("amount"): fmt.money(t.amount, t.currency),
                       _("text"): t.description or t.counterparty or "", "id": t.id} for t in paged(rows, page_key)],
                     hide_index=True, width="stretch")
if rec.orders_without_payment:
    st.subheader(_("Orders with no payment found"))
    st.dataframe([{_("order"): o.order_id, _("date"): fmt.day(o.order_date),
                   _("amount"): fmt.money(o.amount_due, o.currency) if o.amount_due is not None else "—"}
                  for o in paged(rec.orders_without_payment, "rec_unpaid")], hide_index=True)
if rec.duplicate_charges:
    st.subheader(_("Double charges"))
    doubles = [{**d, "amount": fmt.money(d["amount"], d["currency"]),
                "booking_date": fmt.day(date.fromisoformat(d["booking_date"]))}
               for d in paged(rec.duplicate_charges, "rec_doubles")]
    doubles = [{k: v for k, v in d.items() if k != "currency"} for d in doubles]
    st.dataframe(doubles, hide_index=True, column_config=headers(doubles[0]))
if rec.rejected_rows:
    st.subheader(_("Rows not imported"))
    rejected = [{"file": i.file, "row": i.line, "reason": i.message, "field": i.field}
                for i in paged(rec.rejected_rows, "rec_rejected")]
    st.dataframe(rejected, hide_index=True, column_config=headers(["file", "row", "reason", "field"]))

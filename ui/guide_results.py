"""The last two steps of the guided flow: what the reconciliation found for the order, and what to do now.

The findings (``complaint.api.order_findings``) and the steps (``complaint.api.guide``) read the
session's case view, like the Dossier page; the ``render_*`` functions only draw them.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from complaint import api
from complaint.errors import ComplaintError
from complaint.fmt import day, money
from complaint.i18n import _
from complaint.records import STATUS_LABELS
from ui import state
from ui.safe import md_escape
from ui.widgets import dossier_link, profile_form, show_error


def render_found(case, order_id: str | None) -> None:
    if not order_id:
        st.info(_("Tell us which order it is in step 1 (What went wrong?), then come back here."),
                icon=":material/info:")
        return
    if not case.orders and not case.transactions:
        st.info(_("There is nothing to compare yet: add your order export (step 2) and your statement (step 3)."),
                icon=":material/info:")
        return
    with st.spinner(_("Comparing your orders with your statements…")):
        f = api.order_findings(case, order_id, view=state.case_view())
    o = f.order
    if o is None:
        st.warning(_("Order {order} is not in your case yet: add your order export or enter the order by hand "
                     "(step 2).", order=order_id), icon=":material/warning:")
    else:
        st.markdown("**" + _("Order {order}", order=o.order_id) + "**")
        st.text(_("Placed on {date} · {total} · status: {status}", date=day(o.order_date),
                  total=money(o.total, o.currency or "EUR") if o.total is not None else "—",
                  status=_(STATUS_LABELS[o.status])) + (f" · {o.store}" if o.store else ""))
    _payment(case, f)
    _refunds(f)


def _payment(case, f) -> None:
    if f.payments:
        for p in f.payments:
            st.success(_("Paid: {amount} on {date} ({source}).", amount=money(p.amount.amount, p.amount.currency),
                         date=day(p.booked_on), source=p.statement or _("entered by hand")),
                       icon=":material/payments:")
    elif not case.transactions:
        st.info(_("We cannot check the payment without a statement: add it in step 3."), icon=":material/info:")
    elif f.order is not None:
        st.warning(_("No payment for this order was found on your statements. Check that the statement covers "
                     "{date} and the account or card you paid with.", date=day(f.order_date)),
                   icon=":material/help:")


def _refunds(f) -> None:
    for m in f.missing:
        amount = money(m.outstanding.amount, m.outstanding.currency)
        if m.state == "overdue":
            st.error(_("Refund of {amount} is overdue: expected since {since}, it should have arrived by {due}. "
                       "{days} business days have passed.", amount=amount, since=day(m.since),
                       due=day(m.due), days=m.business_days_waited), icon=":material/report:")
        else:
            st.warning(_("Refund of {amount} is on its way: expected since {since}, it should arrive by {due} "
                         "({days} business days so far).", amount=amount, since=day(m.since),
                         due=day(m.due), days=m.business_days_waited), icon=":material/schedule:")
    for p in f.promises:
        if p.state == "credited":
            lines = [c for c in f.credits if c.settles in (p.promise_id, p.by)]
            when = day(min(c.booked_on for c in lines)) if lines else "—"
            st.success(_("Refund of {amount} credited on {date}.", amount=money(p.amount.amount, p.amount.currency),
                         date=when), icon=":material/check_circle:")
        elif p.state == "platform_balance":
            st.info(_("Refund of {amount} went to your AliExpress balance, not to your bank.",
                      amount=money(p.amount.amount, p.amount.currency)), icon=":material/account_balance_wallet:")
    if not f.promises and not f.missing:
        st.info(_("No refund is expected for this order yet. If the seller or AliExpress promised one, record it in "
                  "step 1 and we will check when it should arrive."), icon=":material/info:")
    if f.state == "overdue":
        st.markdown("**" + _("The refund is late. The next step shows how to claim it.") + "**")


def render_next(case, order_id: str | None, as_of: date) -> None:
    if not order_id:
        st.info(_("Tell us which order it is in step 1 (What went wrong?) to get the steps for it."),
                icon=":material/info:")
        return
    try:
        with st.spinner(_("Preparing the steps for your order…")):
            guide = api.guide(case, order_id, state.reconciliation(), as_of, view=state.case_view())
    except ComplaintError as exc:
        show_error(exc)
        return
    todo = [s for s in guide.steps if s.status == api.STEP_TODO][:3]
    done = [s for s in guide.steps if s.status == api.STEP_DONE]
    if done:
        st.caption(_("Already done: {steps}", steps=", ".join(s.title for s in done)))
    if not todo:
        st.success(_("Nothing left to do for this order."), icon=":material/check_circle:")
    for i, step in enumerate(todo, 1):
        with st.container(border=True):
            st.markdown(f"**{i}. {md_escape(step.title)}**")
            st.text(step.how)
            if step.next_date:
                st.text(_("Do it by {date}", date=day(step.next_date)) +
                        (f" · {step.next_action}" if step.next_action else ""))
            if step.attach:
                st.text(_("Attach:") + "\n" + "\n".join(f"• {a}" for a in step.attach))
    skipped = sum(1 for s in guide.steps if s.status == api.STEP_NOT_APPLICABLE)
    if skipped:
        st.caption(_("{n} other options do not apply to this order; the Dossier page says why.", n=skipped))
    coming = [d for d in guide.deadlines if d.date >= as_of][:3]
    if coming:
        st.markdown("**" + _("Dates to remember") + "**")
        for d in coming:
            st.text(f"{day(d.date)} · {d.label}")
    st.caption(guide.disclaimer)
    if state.current_case_id() is not None:
        profile_form(state.handle(), "guide_profile")  # asked once: open only while a detail is missing
    dossier_link(order_id, _("Open the Dossier: letters, deadlines and the PDF/ZIP to send"))


"""Dossier: one order's escalation guide, letters, deadlines, contacts and rules, and its PDF/ZIP.

The order comes from the address (``?order=``): the Overview's cards, the Reconcile page's "Add to
dossier" and the guided help open the Dossier on their own order, and a reload keeps it.  Every
part reads the session's one case view."""

from datetime import date

import streamlit as st

from complaint import api
from complaint.errors import ComplaintError
from complaint.fmt import day as fmt_day
from complaint.fmt import money
from complaint.i18n import LANGUAGES, _
from ui import state
from ui.safe import md_escape, md_text
from ui.widgets import PROFILE_FIELDS, profile_form, show_error

st.title(_("Dossier"))
case = state.load_case()
if state.current_case_id() is None:
    st.info(_("Open the sample case or create a case from the sidebar to begin."))
    st.stop()
if not case.orders:
    st.info(_("Import your orders first."))
    st.stop()

recon = state.reconciliation()
as_of = state.as_of()
view = state.case_view()
handle = state.handle()
orders = view.choices()
labels = {o.order_id: api.order_label(o) for o in orders}
ids = list(labels)


def _remember_order() -> None:
    st.query_params["order"] = st.session_state["dossier_order"]


wanted = st.query_params.get("order")
if wanted in labels:
    st.session_state["dossier_order"] = wanted  # the address decides: a link or a reload opens this order
elif st.session_state.get("dossier_order") not in labels:
    st.session_state["dossier_order"] = ids[0]
if wanted and wanted not in labels:
    st.warning(md_text("Order {order} is not in this case; showing the first order with a problem instead.",
                       order=wanted), icon=":material/warning:")
order_id = st.selectbox(_("Order (open problems first, overdue first)"), ids, format_func=labels.get,
                        key="dossier_order", on_change=_remember_order)
if st.query_params.get("order") != order_id:
    st.query_params["order"] = order_id
o = view.order(order_id)

with st.expander(_("How to use this page"), icon=":material/help:"):
    st.markdown(_(
        "1. **Pick the order** above: orders with an open problem come first, overdue refunds first. A link "
        "from the Overview or the Reconcile page opens its own order, and the address keeps it on reload.\n"
        "2. **Your details**: give your name and postal address once; the letters are signed with them.\n"
        "3. **Guide**: the steps in order, each done, to do or not applicable, with its public source.\n"
        "4. **Letters**: every letter is written from what your statements and messages show: the amount still "
        "outstanding when a refund was promised, the promise and its date, the facts in date order. Copy it with "
        "the button at its top right, or switch on *Edit the text* to change it; the PDF takes your edited text.\n"
        "5. **Export**: the PDF and the ZIP (evidence without GPS position, SHA-256 manifest) for this order."))

c1, c2, c3, c4, c5 = st.columns(5)
c1.metric(_("Paid"), money(o.paid.amount, o.paid.currency) if o.payments and o.paid else "—")
c2.metric(_("Refund promised"), money(o.promised.amount, o.promised.currency) if o.promises and o.promised else "—")
c3.metric(_("Refund credited"), money(o.credited.amount, o.credited.currency) if o.credits and o.credited else "—")
c4.metric(_("Outstanding"), money(o.outstanding.amount, o.outstanding.currency) if o.missing else "—")
c5.metric(_("Business days waited"), str(o.days_waited) if o.days_waited is not None else "—")

profile_form(handle, "dossier_profile")

try:
    guide = api.guide(case, order_id, recon, as_of, view=view)
except ComplaintError as exc:
    show_error(exc)
    st.stop()

st.caption(guide.disclaimer)
tab_guide, tab_letters, tab_dates, tab_contacts, tab_export = st.tabs(
    [_("Guide"), _("Letters"), _("Deadlines"), _("Contacts and rules"), _("Export")])

ICONS = {api.STEP_DONE: ":material/check_circle:", api.STEP_NOT_APPLICABLE: ":material/block:"}
with tab_guide:
    st.text(_("Problem: {problem}", problem=guide.problem_label or _("not set (set it on the Reconcile page)")))
    for i, step in enumerate(guide.steps, 1):
        icon = ICONS.get(step.status, ":material/radio_button_unchecked:")
        with st.expander(f"{i}. {step.title} · {step.status_label}", icon=icon,
                         expanded=step.status not in (api.STEP_DONE, api.STEP_NOT_APPLICABLE) and i <= 3):
            st.text(step.how)
            if step.why:
                st.text(step.why)
            if step.next_date:
                st.text(_("Next date to act: {date}", date=fmt_day(step.next_date)) +
                        (f" · {step.next_action}" if step.next_action else ""))
            if step.attach:
                st.text(_("Attach:") + "\n" + "\n".join(f"• {a}" for a in step.attach))
            if step.contact:
                st.text(step.contact)
            for cit in step.sources:
                st.caption(cit.text())
    if guide.evidence_files:
        st.caption(md_text("Evidence linked to this order: {files}", files=", ".join(guide.evidence_files)))

with tab_letters:
    kinds = api.letter_kinds()
    languages = list(api.LETTER_LANGUAGES)
    buyer = api.profile(case)
    preferred = buyer.language or (state.language() if state.language() in languages else "en")
    c1, c2 = st.columns(2)
    kind = c1.selectbox(_("Letter"), list(kinds), format_func=kinds.get, key="dossier_letter_kind")
    lang = c2.selectbox(_("Language"), languages, index=languages.index(preferred), format_func=LANGUAGES.get,
                        key="dossier_letter_lang")
    outcomes = {"": _("what the case shows (the amount outstanding, else the order total)"),
                "full_refund": _("a full refund (the order total, less what was credited)"),
                "partial_refund": _("a partial refund of the amount below"),
                "replacement": _("a replacement item")}
    with st.expander(_("Options for this letter")):
        details = {"iban": st.text_input(_("IBAN for the refund"), key="dossier_iban"),
                   "details": st.text_area(_("Extra details to add"), key="dossier_details"),
                   "outcome": st.selectbox(_("What you ask for"), list(outcomes), format_func=outcomes.get,
                                           key="dossier_outcome") or None,
                   "partial_amount": st.text_input(_("Partial refund amount"), key="dossier_partial") or None}
    if kind == "public_post":
        st.warning(_("A public post is seen by everyone: it holds the order number and one line of fact. Never add "
                     "bank details, card numbers, your address, e-mail or phone, even if an agent asks."),
                   icon=":material/public:")
    try:
        letter = api.write_letter(case, order_id, kind, lang, reconciliation=recon, as_of=as_of, details=details,
                                  view=view)
    except ComplaintError as exc:
        show_error(exc)
        st.stop()
    empty = api.letter_placeholders(case, kind)
    if empty:
        st.warning(_("This letter shows a placeholder for {fields}: fill in your details above.",
                     fields=", ".join(_(PROFILE_FIELDS[f]) for f in empty)), icon=":material/edit_note:")
    if o.promises and not o.missing and not details["outcome"]:
        st.info(_("Nothing is outstanding for this order: the promised refund was credited, so the letters claim "
                  "no money. Choose what you ask for under Options if you want more."), icon=":material/info:")
    area = f"dossier_text_{order_id}_{kind}_{lang}"
    editing = st.toggle(_("Edit the text"), key="dossier_edit")
    if editing:
        st.session_state.setdefault(area, letter.text)
        text = st.text_area(_("Letter text"), height=460, key=area)
        if st.button(_("Start again from the case"), key="dossier_reset", icon=":material/restart_alt:"):
            del st.session_state[area]
            st.rerun()
    else:
        text = st.session_state.get(area, letter.text)
        st.code(text, language=None, wrap_lines=True)  # the copy button is at its top right
        if area in st.session_state:
            st.caption(_("Your edited text (switch on Edit the text to change it again)."))
    edited = api.letter_from_text(kind, lang, order_id, text)
    st.session_state.setdefault("dossier_letters", {})[(order_id, kind, lang)] = edited
    if kind == "public_post":
        found = api.public_post_warnings(case, edited.text)
        if found:
            st.error(_("Remove this before posting: {what}.", what=", ".join(found)), icon=":material/privacy_tip:")
    st.download_button(_("Download .txt"), edited.text.encode("utf-8"), file_name=edited.file_name,
                       mime="text/plain", key="dossier_dl_letter", icon=":material/download:")

with tab_dates:
    items = api.deadlines(case, recon, as_of, order_ids=[order_id], view=view)
    if items:
        st.dataframe([{_("Date"): fmt_day(d.date), _("What"): d.label,
                       _("Status"): _("passed") if d.passed(as_of) else _("in {n} days", n=d.days_left(as_of)),
                       _("Source"): api.citation(d.source_rule).text()} for d in items],
                     hide_index=True, width="stretch")
        st.download_button(_("Download reminders (.ics)"), api.deadlines_ics(items).encode("utf-8"),
                           file_name=f"deadlines_{order_id}.ics", mime="text/calendar", key="dossier_ics")
    else:
        st.caption(_("No deadline for this order."))

with tab_contacts:
    contacts = api.contacts()
    phone = contacts["alibaba_phone"]
    st.markdown("**" + md_escape(api.citation("alibaba_phone").title) + "**")
    day = st.date_input(_("Call on"), value=as_of, key="dossier_call_day", format="DD/MM/YYYY")
    start, end = api.call_window(day if isinstance(day, date) else as_of)
    st.text(phone["phone"])
    st.text(_("Open 09:00-18:00 Beijing time, that is {start}-{end} in Brussels on {day}.",
              start=start.strftime("%H:%M"), end=end.strftime("%H:%M"), day=fmt_day(start.date())))
    st.caption(api.citation("alibaba_phone").text())
    st.markdown("**" + md_escape(api.citation("head_office").title) + "**")
    st.text("\n".join(contacts["head_office"]["address"]))
    st.caption(api.citation("head_office").text())
    entity = contacts["platform_entity"]
    st.markdown("**" + md_escape(api.citation("platform_entity").title) + "**")
    st.text(f"{entity['name']} ({entity['registration']})\n" + _("Addresses found (confirm which one is current):")
            + "\n" + "\n".join("• " + ", ".join(lines) for lines in entity["address_candidates"]))
    st.caption(api.citation("platform_entity").text())
    for key_ in ("help_centre", "consumerconnect", "ecc_belgium", "mediation_service"):
        st.markdown("**" + md_escape(api.citation(key_, "contacts").title) + "**")
        st.text(contacts[key_]["url"])
        st.caption(api.citation(key_, "contacts").text())
    with st.expander(_("The rules this guide relies on, with their sources")):
        for section, cit in api.rules_and_contacts():
            if section == "rules":
                st.markdown("**" + md_escape(cit.title) + "**")
                st.caption(cit.text())

with tab_export:
    whole = st.toggle(_("Every order with a problem (instead of this order only)"), key="dossier_all")
    lang_x = st.selectbox(_("Dossier language"), list(api.LETTER_LANGUAGES), format_func=LANGUAGES.get,
                          key="dossier_export_lang")
    strip = st.toggle(_("Remove GPS location from photo copies"), value=True, key="dossier_strip_gps")
    edited_letters = [v for (oid, _k, lg), v in st.session_state.get("dossier_letters", {}).items()
                      if lg == lang_x and (whole or oid == order_id)]
    target = None if whole else order_id

    c1, c2 = st.columns(2)
    for col, variant, label in ((c1, "full", _("Build PDF + ZIP")), (c2, "ecc", _("Build ECC bundle (max 8 files)"))):
        if col.button(label, key=f"dossier_build_{variant}"):
            try:
                with st.spinner(_("Building the dossier...")):
                    st.session_state[f"dossier_{variant}"] = (target, lang_x, api.build_dossier(
                        handle, order_id=target, lang=lang_x, as_of=as_of, letters=edited_letters or None,
                        variant=variant, reconciliation=recon, strip_gps=strip, view=view))
            except ComplaintError as exc:
                show_error(exc)
    for variant in ("full", "ecc"):
        built = st.session_state.get(f"dossier_{variant}")
        if built is None:
            continue
        for_order, built_lang, result = built
        st.download_button(_("Download PDF") if variant == "full" else _("Download ECC summary PDF"), result.pdf,
                           file_name=api.dossier_file_name(for_order, built_lang, variant, "pdf"),
                           mime="application/pdf", key=f"dossier_dl_pdf_{variant}", icon=":material/download:")
        st.download_button(_("Download ZIP") if variant == "full" else _("Download ECC bundle"), result.zip,
                           file_name=api.dossier_file_name(for_order, built_lang, variant, "zip"),
                           mime="application/zip", key=f"dossier_dl_zip_{variant}", icon=":material/download:")
        for note in result.notes:
            st.warning(note)

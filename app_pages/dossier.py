"""Dossier: the escalation guide, letters, deadlines, contacts and the PDF/ZIP export for one order."""

from datetime import date

import streamlit as st

from complaint import api
from complaint.errors import ComplaintError
from complaint.fmt import day as fmt_day
from complaint.i18n import _
from ui import state
from ui.widgets import show_error

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
choices = api.order_choices(case, recon, view=view)
order_id = st.selectbox(_("Order (orders with a problem first)"), choices, key="dossier_order")
handle = state.handle()

try:
    guide = api.guide(case, order_id, recon, as_of, view=view)
except ComplaintError as exc:
    show_error(exc)
    st.stop()

st.caption(guide.disclaimer)
tab_guide, tab_letters, tab_dates, tab_contacts, tab_export = st.tabs(
    [_("Guide"), _("Letters"), _("Deadlines"), _("Contacts"), _("Export")])

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
        st.caption(_("Evidence linked to this order: {files}", files=", ".join(guide.evidence_files)))

with tab_letters:
    kinds = api.letter_kinds()
    languages = list(api.LETTER_LANGUAGES)
    buyer = api.profile(case)
    preferred = buyer.language or (state.language() if state.language() in languages else "en")
    c1, c2 = st.columns(2)
    kind = c1.selectbox(_("Letter"), list(kinds), format_func=kinds.get, key="dossier_letter_kind")
    lang = c2.selectbox(_("Language"), languages, index=languages.index(preferred), key="dossier_letter_lang")
    with st.expander(_("Your details (used only in the letter)")):
        st.caption(_("Your name and address come from your details on the Cases page."))
        details = {"name": st.text_input(_("Your name"), value=buyer.name or "", key="dossier_name"),
                   "address": st.text_input(_("Your address"), value=(buyer.address or "").replace("\n", ", "),
                                            key="dossier_address"),
                   "iban": st.text_input(_("IBAN for the refund"), key="dossier_iban"),
                   "details": st.text_area(_("Extra details to add"), key="dossier_details"),
                   "outcome": st.selectbox(_("Outcome you ask for"), list(api.LETTER_OUTCOMES),
                                           key="dossier_outcome"),
                   "partial_amount": st.text_input(_("Partial refund amount"), key="dossier_partial") or None}
    try:
        letter = api.write_letter(case, order_id, kind, lang, reconciliation=recon, as_of=as_of, details=details,
                                  view=view)
    except ComplaintError as exc:
        show_error(exc)
        st.stop()
    key = f"dossier_text_{order_id}_{kind}_{lang}"
    text = st.text_area(_("Preview and edit"), value=letter.text, height=420, key=key)
    edited = api.letter_from_text(kind, lang, order_id, text)
    st.session_state.setdefault("dossier_letters", {})[(order_id, kind, lang)] = edited
    st.code(edited.text, language=None)  # has a copy button
    st.download_button(_("Download .txt"), edited.text.encode("utf-8"), file_name=edited.file_name,
                       mime="text/plain", key="dossier_dl_letter")

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
    day = st.date_input(_("Call on"), value=as_of, key="dossier_call_day")
    start, end = api.call_window(day if isinstance(day, date) else as_of)
    st.text(f"{phone['title']}: {phone['phone']}")
    st.text(_("Open 09:00-18:00 Beijing time, that is {start}-{end} in Brussels on {day}.",
              start=start.strftime("%H:%M"), end=end.strftime("%H:%M"), day=fmt_day(start.date())))
    st.caption(api.citation("alibaba_phone").text())
    st.text(contacts["head_office"]["title"] + ":\n" + "\n".join(contacts["head_office"]["address"]))
    st.caption(api.citation("head_office").text())
    entity = contacts["platform_entity"]
    st.text(entity["title"] + ": " + entity["name"])
    st.caption(api.citation("platform_entity").text())
    for key_ in ("help_centre", "consumerconnect", "ecc_belgium", "mediation_service"):
        st.text(f"{contacts[key_]['title']}: {contacts[key_]['url']}")

with tab_export:
    whole = st.toggle(_("Every order with a problem (instead of this order only)"), key="dossier_all")
    lang_x = st.selectbox(_("Dossier language"), list(api.LETTER_LANGUAGES), key="dossier_export_lang")
    strip = st.toggle(_("Remove GPS location from photo copies"), value=True, key="dossier_strip_gps")
    edited_letters = [v for (oid, _k, lg), v in st.session_state.get("dossier_letters", {}).items()
                      if lg == lang_x and (whole or oid == order_id)]

    c1, c2 = st.columns(2)
    for col, variant, label in ((c1, "full", _("Build PDF + ZIP")), (c2, "ecc", _("Build ECC bundle (max 8 files)"))):
        if col.button(label, key=f"dossier_build_{variant}"):
            try:
                with st.spinner(_("Building the dossier...")):
                    st.session_state[f"dossier_{variant}"] = api.build_dossier(
                        handle, order_id=None if whole else order_id, lang=lang_x, as_of=as_of,
                        letters=edited_letters or None, variant=variant, reconciliation=recon, strip_gps=strip,
                        view=view)
            except ComplaintError as exc:
                show_error(exc)
    for variant in ("full", "ecc"):
        result = st.session_state.get(f"dossier_{variant}")
        if result is None:
            continue
        st.download_button(_("Download PDF") if variant == "full" else _("Download ECC summary PDF"), result.pdf,
                           file_name=f"dossier_{variant}.pdf", mime="application/pdf", key=f"dossier_dl_pdf_{variant}")
        st.download_button(_("Download ZIP") if variant == "full" else _("Download ECC bundle"), result.zip,
                           file_name=f"dossier_{variant}.zip", mime="application/zip", key=f"dossier_dl_zip_{variant}")
        for note in result.notes:
            st.warning(note)

"""Shared render helpers (formatting only; no business logic)."""

from __future__ import annotations

from decimal import Decimal

from complaint import api, fmt
from complaint.errors import ComplaintError
from complaint.i18n import N_, _


def money(amount: Decimal | float | int | None, currency: str = "EUR") -> str:
    """An amount in the Belgian conventions of the chosen language (12,34 € / € 12,34)."""
    return fmt.money(amount, currency, nbsp=True)


def day(value, style: str = "long") -> str:
    """A date in the chosen language's Belgian format (26 novembre 2026 / 26 november 2026)."""
    return fmt.day(value, style=style)


# Column headers of tables built from records/JSON rows (keys are the CLI's JSON field names).
COLUMN_LABELS: dict[str, str] = {
    "row": N_("Row"), "line": N_("Line"), "field": N_("Field"), "value": N_("Value"), "reason": N_("Reason"),
    "remark": N_("Remark"), "kind": N_("Kind"), "file": N_("File"), "text": N_("Text"), "added": N_("Added"),
    "updated": N_("Updated"), "unchanged": N_("Unchanged"), "rejected": N_("Rejected"),
    "already imported": N_("Already imported"), "when": N_("Date and time"), "kind_label": N_("Event"),
    "title": N_("Title"), "body": N_("Details"), "merchant": N_("Merchant"), "payment_method": N_("Payment method"),
    "order_time": N_("Order time"), "status_text": N_("Status in the app"), "refund_expected": N_("Refund expected"),
    "refund_reason": N_("Refund reason"), "end_reason": N_("End reason"), "items": N_("Items"),
    "order_ids": N_("Orders"), "transaction_id": N_("Transaction"), "original_transaction_id": N_("First charge"),
}


MONEY_FIELDS = {"amount": "currency", "total": "currency", "shipping": "currency", "paid_amount": "currency",
                "refund_amount": "currency", "original_amount": "original_currency", "fee": "currency"}


def readable_cell(name: str, value, row: dict):
    """One cell of a JSON row as a reader reads it: money as ``14,90 €``, days as ``16 juil. 2026``,
    yes/no for flags, nothing (never ``None``) for an empty value."""
    from datetime import date, datetime

    if value is None or value == "":
        return ""
    if name in MONEY_FIELDS:
        try:
            return fmt.money(Decimal(str(value)), row.get(MONEY_FIELDS[name]) or "EUR", nbsp=True)
        except (ArithmeticError, ValueError):
            return str(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str) and (name.endswith("_date") or name == "date"):
        try:
            return fmt.day(date.fromisoformat(value[:10]))
        except ValueError:
            return value
    if isinstance(value, str) and name.endswith("_time"):
        try:
            return fmt.moment(datetime.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return value


def readable_rows(rows: list[dict], columns=None) -> list[dict]:
    """JSON rows (the CLI's objects) with every cell made readable by :func:`readable_cell`."""
    return [{k: readable_cell(k, row.get(k), row) for k in (columns or row)} for row in rows]


def upload_hint(types=None) -> None:
    """A caption in the user's language above a file uploader: Streamlit writes the uploader's own
    words ("Upload", "50MB per file", "Drag and drop files here") in English and offers
    no way to translate them (README, "Languages")."""
    import streamlit as st

    limit = st.get_option("server.maxUploadSize")
    if types:
        st.caption(_("Drop the files on the box below, or pick them with its “Upload” button (on a phone: "
                     "from your photos or the camera). Accepted: {types}; up to {mb} MB per file.",
                     types=", ".join(f".{t}" for t in types), mb=limit))
    else:
        st.caption(_("Drop the files on the box below, or pick them with its “Upload” button (on a phone: "
                     "from your photos or files). Up to {mb} MB per file.", mb=limit))


def plotly_separators() -> str:
    """plotly's ``separators`` (decimal mark, then group mark) in the language's Belgian format."""
    from babel.numbers import get_decimal_symbol, get_group_symbol

    from complaint.i18n import LOCALES, get_language

    locale = LOCALES.get(get_language(), "en_BE")
    return get_decimal_symbol(locale) + get_group_symbol(locale).replace("\u202f", "\xa0")


def txn_label(txn) -> str:
    """A statement line as its reader knows it: ``19 nov. 2026 · -27,35 € · ALIEXPRESS.COM ...``."""
    return " · ".join(x for x in (fmt.day(txn.booking_date), fmt.money(txn.amount, txn.currency),
                                  txn.description or txn.counterparty or "") if x)


def score(value: float) -> str:
    """A match score in the language's number format, as the reasons under the table write it."""
    return fmt.number(round(value, 3))


def headers(columns) -> dict[str, str]:
    """Translated headers for ``st.dataframe(column_config=headers(columns))``; unknown names are left as they are."""
    out = {}
    for name in columns:
        label = _(COLUMN_LABELS[name]) if name in COLUMN_LABELS else api.field_label(name)
        if label:
            out[name] = label
    return out


def show_error(exc: ComplaintError | str, kind: str = "error") -> None:
    """A core message (it names files and values the user gave) shown as plain text in a box."""
    import streamlit as st

    from .safe import md_escape

    getattr(st, kind)(md_escape(str(exc)))


DOSSIER_PAGE = "app_pages/dossier.py"


def dossier_link(order_id: str | None, label: str | None = None, container=None, key: str | None = None) -> None:
    """A link that opens the Dossier on ``order_id`` (``?order=`` in the address, so a reload or a
    bookmark keeps the order)."""
    import streamlit as st
    from streamlit.errors import StreamlitPageNotFoundError

    where = container if container is not None else st
    try:
        where.page_link(DOSSIER_PAGE, label=label or _("Dossier"), icon=":material/description:",
                        query_params={"order": order_id} if order_id else None)
    except StreamlitPageNotFoundError:  # a page run on its own (AppTest), without the app's router
        where.caption(label or _("Dossier"))


def open_dossier(order_id: str) -> None:
    """Go to the Dossier on ``order_id`` now (after an "add to dossier" action).  A page run on its
    own, without the app's router (AppTest of one page), has no Dossier page to go to: it shows
    the link instead."""
    import streamlit as st
    from streamlit.errors import StreamlitPageNotFoundError

    try:
        st.switch_page(DOSSIER_PAGE, query_params={"order": order_id})
    except StreamlitPageNotFoundError:
        st.toast(_("Order {order} is in the dossier.", order=order_id), icon=":material/check:")
        dossier_link(order_id, _("Dossier of this order"))


PROFILE_FIELDS = {"name": N_("your name"), "address": N_("your postal address")}


def profile_form(handle, key: str, *, expanded: bool | None = None) -> None:
    """The buyer's details for the letters (name, postal address, e-mail, letter language), kept in
    the case through ``api.set_profile``; says which fields the letters show as a placeholder."""
    import streamlit as st

    from complaint.i18n import LANGUAGES

    from . import state

    profile = api.profile(handle)
    empty = [f for f in PROFILE_FIELDS if not (getattr(profile, f) or "").strip()]
    title = _("Your details for the letters")
    if empty:
        title += " · " + _("missing: {fields}", fields=", ".join(_(PROFILE_FIELDS[f]) for f in empty))
    with st.expander(title, expanded=bool(empty) if expanded is None else expanded,
                     icon=":material/badge:"):
        st.caption(_("Asked once and kept in this case only, on this machine. The letters are signed with them; "
                     "a field left empty shows as a placeholder such as [your name]."))
        with st.form(f"{key}_form"):
            name = st.text_input(_("Your name"), value=profile.name or "", key=f"{key}_name")
            address = st.text_area(_("Your postal address"), value=profile.address or "", key=f"{key}_address",
                                   height=80)
            email = st.text_input(_("Your e-mail address"), value=profile.email or "", key=f"{key}_email")
            langs = list(api.LETTER_LANGUAGES)
            lang = st.selectbox(_("Language of your letters"), ["", *langs], key=f"{key}_language",
                                index=(langs.index(profile.language) + 1) if profile.language in langs else 0,
                                format_func=lambda code: LANGUAGES.get(code, code) if code else _("(not set)"))
            if st.form_submit_button(_("Save my details"), icon=":material/save:"):
                try:
                    api.set_profile(handle, name=name, address=address, email=email, language=lang)
                except ComplaintError as exc:
                    show_error(exc)
                else:
                    state.invalidate()
                    st.toast(_("Your details are saved in the case."), icon=":material/check:")
                    st.rerun()

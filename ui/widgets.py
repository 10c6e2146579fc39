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

"""Letters and messages, in French, Dutch, English and German, with the case's facts filled in.

Templates are Jinja2 text files under complaint/templates/letters/<lang>/<kind>.txt.j2; the first
line of a rendered template is the subject, the rest the body.  The environment is sandboxed and
autoescape is off (plain text), and everything the user or the seller supplied (store names,
item titles, notes) is passed as *values*: Jinja never parses a value as template code, so
``{{ 7*7 }}`` typed into a note stays those characters.  Control characters are removed.

Every fact comes from the case view (complaint.dossier.view), so a letter says what the guide,
the deadlines and the PDF say.  Amounts and dates are formatted the Belgian way for the letter's
language (babel fr_BE, nl_BE, en_BE, de_BE).  The user may edit the text before exporting; the
export takes the edited text.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from babel.dates import format_date, format_time
from babel.numbers import format_currency
from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from ..calendar_be import BRUSSELS
from ..errors import ComplaintError
from ..i18n import LOCALES, N_, _
from . import rules
from .view import CaseView, ensure_view

TEMPLATE_DIR = Path(__file__).parent / "templates" / "letters"
KINDS: dict[str, str] = {
    "seller_message": N_("Message to the seller"),
    "dispute_description": N_("Dispute description (AliExpress form)"),
    "chat_opener": N_("Help-centre chat opener"),
    "follow_up": N_("Follow-up (no answer)"),
    "formal_notice": N_("Formal notice (registered letter)"),
    "chargeback_request": N_("Chargeback request to your bank"),
    "consumer_complaint": N_("Consumer complaint (ConsumerConnect / ECC)"),
}
LETTER_LANGUAGES = ("fr", "nl", "en", "de")
OUTCOMES = ("full_refund", "partial_refund", "replacement")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True, slots=True)
class Letter:
    kind: str
    lang: str
    order_id: str
    subject: str
    body: str

    @property
    def text(self) -> str:
        return self.subject + "\n\n" + self.body

    @property
    def file_name(self) -> str:
        return f"{self.kind}_{self.order_id}_{self.lang}.txt"


@functools.cache
def _env() -> SandboxedEnvironment:
    return SandboxedEnvironment(loader=FileSystemLoader(str(TEMPLATE_DIR)), autoescape=False,
                                undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                                keep_trailing_newline=False)


def plain(value: object) -> str:
    """User- or seller-supplied text made safe for a plain-text letter (no control characters)."""
    return _CONTROL.sub("", str(value)).strip()


def money(amount: Decimal | None, currency: str | None, lang: str) -> str | None:
    if amount is None:
        return None
    text = format_currency(Decimal(amount), currency or "EUR", locale=LOCALES[lang])
    return text.replace("\u202f", " ").replace("\xa0", " ")


def day(d: date | None, lang: str) -> str | None:
    if d is None:
        return None
    text = format_date(d, "long", locale=LOCALES[lang])
    if lang == "fr" and d.day == 1:
        text = "1er" + text[1:]  # "1er mars 2026", as French writes the first of the month
    return text


def moment(at: datetime | None, lang: str) -> str | None:
    if at is None:
        return None
    local = at.astimezone(BRUSSELS)
    return day(local.date(), lang) + " " + format_time(local, "HH:mm", locale=LOCALES[lang])


def letter_context(case, order_id: str, reconciliation, lang: str, as_of: date, extra: dict | None = None,
                   view: CaseView | None = None) -> dict:
    """Every fact a template may use, already formatted for ``lang``, read from the case view."""
    view = ensure_view(view, case, reconciliation, as_of)
    f = view.order(order_id)
    order = f.order
    if order is None:
        raise ComplaintError(_("order {order} is not in this case", order=order_id))
    extra = {k: v for k, v in (extra or {}).items() if v not in (None, "")}
    cur = order.currency or "EUR"
    missing = f.missing[0] if f.missing else None
    promise = next((p for p in f.promises if p.promise_id), None)
    if missing is not None:
        refund_amount, refund_cur, refund_since = missing.outstanding.amount, missing.outstanding.currency, missing.since
    elif promise is not None:
        refund_amount, refund_cur, refund_since = promise.amount.amount, promise.amount.currency, promise.promised_on
    else:
        refund_amount, refund_cur, refund_since = order.refund_amount, cur, f.refund_agreed_on
    payment = f.payments[0] if f.payments else None
    outcome = extra.get("outcome", "full_refund")
    if outcome not in OUTCOMES:
        raise ComplaintError(_("unknown outcome '{value}'; use one of {choices}", value=outcome,
                               choices=", ".join(OUTCOMES)))
    partial = extra.get("partial_amount")
    amount = order.amount_due
    if f.problem and f.problem.value == "refund_not_received" and refund_amount is not None:
        claim = money(refund_amount, refund_cur, lang)
    elif outcome == "partial_refund" and partial is not None:
        claim = money(Decimal(str(partial)), cur, lang)
    else:
        claim = money(amount, cur, lang)
    deadline_days = int(extra.get("deadline_days", rules.value("formal_notice_deadline")))
    entity = rules.contacts()["platform_entity"]
    return {
        "order_id": plain(order_id),
        "order_date": day(order.order_date, lang),
        "store": plain(order.store) if order.store else None,
        "items": [plain(f"{i.title} × {i.quantity}") if i.quantity != 1 else plain(i.title) for i in order.items],
        "amount": money(amount, cur, lang),
        "claim": claim,
        "outcome": outcome,
        "partial_amount": money(Decimal(str(partial)), cur, lang) if partial is not None else None,
        "problem": f.problem.value if f.problem else "other",
        "refund_amount": money(refund_amount, refund_cur, lang),
        "refund_since": day(refund_since, lang),
        "delivered_on": day(f.delivered_on, lang),
        "dispute_opened_on": day(f.dispute_opened_on, lang),
        "last_message_on": day(f.last_out, lang),
        "payment_date": day(payment.booked_on if payment else f.paid_on, lang),
        "payment_amount": money(payment.amount.amount, payment.amount.currency, lang) if payment
        else money(amount, cur, lang),
        "evidence": [plain(e.file_name) + (f" ({moment(e.captured_at, lang)})" if e.captured_at else "")
                     for e in f.evidence],
        "today": day(as_of, lang),
        "deadline_days": deadline_days,
        "deadline": day(as_of + timedelta(days=deadline_days), lang),
        "entity": entity["name"],
        "entity_registration": entity.get("registration"),
        "head_office": rules.contacts()["head_office"]["address"],
        "interest_rate": str(rules.value("moratory_interest")).replace(".", "," if lang != "en" else "."),
        "name": plain(extra["name"]) if "name" in extra else None,
        "address": plain(extra["address"]) if "address" in extra else None,
        "iban": plain(extra["iban"]) if "iban" in extra else None,
        "card": plain(extra["card"]) if "card" in extra else None,
        "details": plain(extra["details"]) if "details" in extra else None,
        "seller_country": f.seller_country,
    }


def render_letter(kind: str, case, order_id: str, reconciliation, lang: str = "en", as_of: date | None = None,
                  extra: dict | None = None, view: CaseView | None = None) -> Letter:
    """One letter for one order; ``extra`` may hold name, address, iban, card, details, outcome,
    partial_amount and deadline_days (all plain text from the user).  ``view``: the case view when
    the caller has it (else it is built from the case and the reconciliation)."""
    if kind not in KINDS:
        raise ComplaintError(_("unknown letter kind '{kind}'; use one of {choices}", kind=kind,
                               choices=", ".join(KINDS)))
    if lang not in LETTER_LANGUAGES:
        raise ComplaintError(_("letters exist in {choices}, not '{lang}'", choices=", ".join(LETTER_LANGUAGES),
                               lang=lang))
    as_of = as_of or (view.as_of if view is not None else case.today())
    ctx = letter_context(case, order_id, reconciliation, lang, as_of, extra, view)
    text = _env().get_template(f"{lang}/{kind}.txt.j2").render(**ctx)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    subject, _sep, body = text.partition("\n")
    return Letter(kind=kind, lang=lang, order_id=order_id, subject=subject.strip(), body=body.strip() + "\n")


def letter_from_text(kind: str, lang: str, order_id: str, text: str) -> Letter:
    """A letter the user edited: first line subject, the rest body (as the page's text area holds it)."""
    subject, _sep, body = plain_multiline(text).partition("\n")
    return Letter(kind=kind, lang=lang, order_id=order_id, subject=subject.strip(), body=body.strip() + "\n")


def plain_multiline(text: str) -> str:
    return "\n".join(_CONTROL.sub("", line).rstrip() for line in str(text).replace("\r\n", "\n").split("\n"))

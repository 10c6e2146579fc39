"""Letters and messages, in French, Dutch, English and German, written from the order's case view.

Templates are Jinja2 text files under complaint/dossier/templates/letters/<lang>/<kind>.txt.j2;
the first line of a rendered template is the subject, the rest the body (a chat opener or a
public post is pasted as it is: its text is the body alone).  The environment is sandboxed and
autoescape is off (plain text), and everything the user or the seller supplied (store names,
item titles, notes, quoted answers) is passed as *values*: Jinja never parses a value as template
code, so ``{{ 7*7 }}`` typed into a note stays those characters.  Control characters are removed.

Every fact comes from the case view (complaint.dossier.view) through
:func:`complaint.dossier.letter_facts.order_context`: the claim is the amount outstanding when a
refund was promised, the order total only when nothing was; facts are in date order; a letter
never says "no answer" when an answer is recorded, nor "no solution" when a refund was granted.
Amounts and dates are formatted the Belgian way for the letter's language (babel fr_BE, nl_BE,
en_BE, de_BE).  The user may edit the text before exporting; the export takes the edited text.

The public post (``public_post``, for Facebook or X) is built from a narrower context: the order
number and one line of fact, never a name, an address, an e-mail, a phone number, an IBAN or card
digits (:func:`public_post_warnings` checks a text the user edited).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from ..calendar_be import BRUSSELS
from ..errors import ComplaintError
from ..i18n import N_, _
from . import rules
from .letter_facts import OUTCOMES, claim_for, order_context
from .letter_text import day, moment, money, plain, plain_multiline
from .view import CaseView, ensure_view

__all__ = ["KINDS", "LETTER_LANGUAGES", "OUTCOMES", "PASTED_KINDS", "Letter", "render_letter", "letter_context",
           "letter_from_text", "public_post_warnings", "missing_fields", "money", "day", "moment", "plain",
           "plain_multiline"]

TEMPLATE_DIR = Path(__file__).parent / "templates" / "letters"
KINDS: dict[str, str] = {
    "seller_message": N_("Message to the seller"),
    "dispute_description": N_("Dispute description (AliExpress form)"),
    "chat_opener": N_("Help-centre chat opener"),
    "follow_up": N_("Follow-up to the seller"),
    "formal_notice": N_("Formal notice (registered letter)"),
    "chargeback_request": N_("Chargeback request to your bank"),
    "consumer_complaint": N_("Consumer complaint (ConsumerConnect / ECC)"),
    "public_post": N_("Short public post (Facebook, X)"),
}
PASTED_KINDS = frozenset({"chat_opener", "public_post"})  # pasted as they are: no subject line
LETTER_LANGUAGES = ("fr", "nl", "en", "de")
PUBLIC_POST_LIMIT = 280  # characters: X's limit for a post
# the buyer's details each letter uses (a placeholder stands in for one left empty)
SIGNED = {"formal_notice": ("name", "address"), "chargeback_request": ("name", "address"),
          "consumer_complaint": ("name", "address"), "seller_message": ("name",), "follow_up": ("name",),
          "dispute_description": (), "chat_opener": (), "public_post": ()}


@dataclass(frozen=True, slots=True)
class Letter:
    kind: str
    lang: str
    order_id: str
    subject: str
    body: str

    @property
    def text(self) -> str:
        """What the user sends: subject and body (the body alone for a chat message or a public post)."""
        return self.body if self.kind in PASTED_KINDS else self.subject + "\n\n" + self.body

    @property
    def file_name(self) -> str:
        return f"{self.kind}_{self.order_id}_{self.lang}.txt"


@functools.cache
def _env() -> SandboxedEnvironment:
    return SandboxedEnvironment(loader=FileSystemLoader(str(TEMPLATE_DIR)), autoescape=False,
                                undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                                keep_trailing_newline=False)


def _decimal(field: str, value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value).strip().replace(" ", "").replace(",", "."))
    except InvalidOperation as exc:
        raise ComplaintError(_("{field}: '{value}' is not a number", field=field, value=value)) from exc


def missing_fields(kind: str, extra: dict | None) -> list[str]:
    """The buyer's details a letter of ``kind`` needs and ``extra`` lacks (name, address): the
    letter shows a placeholder for each."""
    extra = extra or {}
    return [k for k in SIGNED.get(kind, ()) if not str(extra.get(k) or "").strip()]


def letter_context(case, order_id: str, reconciliation, lang: str, as_of: date, extra: dict | None = None,
                   view: CaseView | None = None) -> dict:
    """Every fact a template may use, already formatted for ``lang``, read from the case view."""
    view = ensure_view(view, case, reconciliation, as_of)
    if not view.has_order(order_id):
        raise ComplaintError(_("order {order} is not in this case", order=order_id))
    f = view.order(order_id)
    extra = {k: v for k, v in (extra or {}).items() if v not in (None, "")}
    claim = claim_for(f, extra.get("outcome"), _decimal("partial_amount", extra.get("partial_amount")))
    deadline_days = int(extra.get("deadline_days", rules.value("formal_notice_deadline")))
    entity = rules.contacts()["platform_entity"]
    ctx = order_context(f, lang, as_of, claim)
    ctx.update({
        "evidence": [{"file": plain(e.file_name), "day": day(e.captured_at.astimezone(BRUSSELS).date(), lang)
                      if e.captured_at else None,
                      "time": e.captured_at.astimezone(BRUSSELS).strftime("%H:%M") if e.captured_at else None}
                     for e in f.evidence],
        "today": day(as_of, lang),
        "deadline_days": deadline_days,
        "deadline": day(as_of + timedelta(days=deadline_days), lang),
        "entity": entity["name"],
        "entity_registration": entity.get("registration"),
        "head_office": rules.contacts()["head_office"]["address"],
        "interest_rate": str(rules.value("moratory_interest")).replace(".", "," if lang != "en" else "."),
        "name": plain(extra["name"]) if "name" in extra else None,
        "address": ", ".join(plain(x) for x in str(extra["address"]).splitlines() if x.strip())
        if "address" in extra else None,
        "email": plain(extra["email"]) if "email" in extra else None,
        "iban": plain(extra["iban"]) if "iban" in extra else None,
        "card": plain(extra["card"]) if "card" in extra else None,
        "details": plain(extra["details"]) if "details" in extra else None,
    })
    return ctx


def _public_context(ctx: dict) -> dict:
    """What a public post may say: the order, its store and dates and amounts; nothing personal."""
    keep = ("order_id", "order_date", "store", "amount", "problem", "refund_problem", "dispute_opened_on",
            "dispute_outcome", "dispute_decided_on", "promise", "missing", "credited", "claim", "claim_amount",
            "seller_answered_on", "awaiting_answer", "last_message_on")
    out = {k: ctx[k] for k in keep}
    if out["promise"]:
        out["promise"] = {k: v for k, v in out["promise"].items() if k != "reference"}
    if out["missing"]:
        out["missing"] = {k: v for k, v in out["missing"].items() if k != "statements"}
    return out


def render_letter(kind: str, case, order_id: str, reconciliation, lang: str = "en", as_of: date | None = None,
                  extra: dict | None = None, view: CaseView | None = None) -> Letter:
    """One letter for one order; ``extra`` may hold name, address, email, iban, card, details,
    outcome, partial_amount and deadline_days (all plain text from the user).  ``view``: the case
    view when the caller has it (else it is built from the case and the reconciliation)."""
    if kind not in KINDS:
        raise ComplaintError(_("unknown letter kind '{kind}'; use one of {choices}", kind=kind,
                               choices=", ".join(KINDS)))
    if lang not in LETTER_LANGUAGES:
        raise ComplaintError(_("letters exist in {choices}, not '{lang}'", choices=", ".join(LETTER_LANGUAGES),
                               lang=lang))
    as_of = as_of or (view.as_of if view is not None else case.today())
    ctx = letter_context(case, order_id, reconciliation, lang, as_of, extra, view)
    if kind == "public_post":
        ctx = _public_context(ctx)
    text = _env().get_template(f"{lang}/{kind}.txt.j2").render(**ctx)
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    subject, _sep, body = text.partition("\n")
    if kind == "public_post":
        body = " ".join(body.split())
    return Letter(kind=kind, lang=lang, order_id=order_id, subject=subject.strip(), body=body.strip() + "\n")


def letter_from_text(kind: str, lang: str, order_id: str, text: str) -> Letter:
    """A letter the user edited: first line subject, the rest body (as the page's text area holds
    it); a chat opener or a public post is all body."""
    text = plain_multiline(text)
    if kind in PASTED_KINDS:
        return Letter(kind=kind, lang=lang, order_id=order_id, subject=_(KINDS.get(kind, kind)),
                      body=text.strip() + "\n")
    subject, _sep, body = text.partition("\n")
    return Letter(kind=kind, lang=lang, order_id=order_id, subject=subject.strip(), body=body.strip() + "\n")


# --- what a public post must never hold ----------------------------------------------------------

_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?\b")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
_PHONE = re.compile(r"(?<![\d])(?:\+|00)\d[\d ./-]{7,16}\d|(?<![\d])0\d{1,3}[ ./-]?\d{2,3}(?:[ ./-]?\d{2}){2,3}(?![\d])")
_DIGITS = re.compile(r"(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)")
_MASKED = re.compile(r"(?<![\w*])(?:[\dXx*]{1,6}[ -]?){3,6}[\dXx*]{1,6}(?![\w*])")
_POSTCODE_CITY = re.compile(r"\b[1-9]\d{3}\s+[A-Z][a-zà-ÿ'-]+")


def _luhn(digits: str) -> bool:
    total, parity = 0, len(digits) % 2
    for i, ch in enumerate(digits):
        n = int(ch)
        if i % 2 == parity:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def public_post_warnings(text: str, known_ids=(), profile=None) -> list[str]:
    """What a public post should not hold (in the current language): an IBAN, card digits, an
    e-mail address, a phone number, a postal address (the buyer's, or a postcode and town), or the
    buyer's name.  ``known_ids``: order numbers of the case (16 digits, not card numbers)."""
    found: list[str] = []
    compact_ids = {str(i) for i in known_ids}
    if _IBAN.search(text):
        found.append(_("an IBAN (bank account number)"))
    cards = [re.sub(r"\D", "", m.group(0)) for m in _DIGITS.finditer(text)]
    masked = [m.group(0) for m in _MASKED.finditer(text)]  # "6703 04XX XXXX X418 7" as statements print it
    if any(c not in compact_ids and _luhn(c) for c in cards) or any(
            sum(ch in "Xx*" for ch in m) >= 4 and sum(ch.isdigit() for ch in m) >= 4 for m in masked):
        found.append(_("card digits"))
    if _EMAIL.search(text):
        found.append(_("an e-mail address"))
    phone = [m.group(0) for m in _PHONE.finditer(text)]
    if any(re.sub(r"\D", "", p) not in compact_ids for p in phone):
        found.append(_("a phone number"))
    address = (getattr(profile, "address", None) or "").strip()
    lines = [x.strip() for x in address.replace(",", "\n").splitlines() if len(x.strip()) > 4]
    if any(x.lower() in text.lower() for x in lines) or _POSTCODE_CITY.search(text):
        found.append(_("a postal address"))
    name = (getattr(profile, "name", None) or "").strip()
    if name and name.lower() in text.lower():
        found.append(_("your name"))
    return found

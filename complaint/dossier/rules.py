"""The rules file (complaint/dossier/rules.json): every deadline, rule and contact the tool shows.

One data file, easy to update; code reads values from here only, never from literals, so a
changed rule changes the guide, the reminders and the letters together.  Each rule carries its
public source (title, URL) and the month it was checked, shown next to it (the tool prepares
evidence and letters; it is not legal advice).  A fact no public source confirms has
``"confirmed": false`` and a ``confirm_on`` site: the user reads "to be confirmed on <site>", in
their language.  Titles and cautions are shown translated: :data:`TITLES` and :data:`CAUTIONS`
hold the same English texts as the JSON, marked for translation (tests/test_rules.py checks that
they agree), so the JSON stays the one place a maintainer edits.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..i18n import N_, _

RULES_PATH = Path(__file__).parent / "rules.json"

DISCLAIMER_EN = N_("This guide helps you prepare evidence and letters; it is not legal advice. Rules and "
                   "deadlines change: each one shows its source and the date it was checked.")

# section -> rule id -> title, as in rules.json (shown translated)
TITLES: dict[str, dict[str, str]] = {
    "rules": {
        "follow_up_no_answer": N_("Follow up when the seller or platform has not answered"),
        "aliexpress_dispute_window": N_("AliExpress dispute window: until 15 days after order completion (buyer "
                                        "confirmed receipt or protection countdown ended)"),
        "aliexpress_dispute_escalation": N_("AliExpress dispute officer steps in if the seller and buyer do not agree"),
        "aliexpress_return_shipping": N_("Ship a return within 10 days of a return-and-refund agreement"),
        "refund_delay": N_("Time for a processed refund to reach the payment method"),
        "chargeback_window": N_("Card chargeback (Visa/Mastercard): about 120 days, start date depends on the reason"),
        "chargeback_credit_not_processed": N_("Visa 13.6 credit not processed: wait 15 days from the refund receipt "
                                              "date, then file within 120 days"),
        "chargeback_not_received": N_("Visa 13.1 goods not received: 120 days from the latest expected delivery "
                                      "date (no date given: wait 30 days after the transaction)"),
        "chargeback_not_as_described": N_("Visa 13.3 not as described or defective: 120 days from processing or "
                                          "delivery"),
        "chargeback_be_issuer": N_("Belgian card issuers: non-fraud disputes up to 3 months after the statement date"),
        "chargeback_debit_cards": N_("Bancontact/Maestro debit cards: no chargeback (only a goodwill gesture); "
                                     "credit cards: chargeback possible"),
        "paypal_dispute_window": N_("PayPal dispute within 180 days of payment"),
        "legal_guarantee": N_("Legal guarantee: 2 years from delivery"),
        "legal_guarantee_notice": N_("Legal guarantee: tell the seller within 2 months of finding the defect"),
        "withdrawal": N_("Right of withdrawal: 14 days from receipt of the goods"),
        "formal_notice_deadline": N_("Deadline given in a formal notice (convention)"),
        "moratory_interest": N_("Legal interest on a late money debt runs from the formal notice (new Civil Code "
                                "art. 5.240); legal rate 2026"),
        "ecc_scope": N_("ECC Belgium: only traders in another EU country, Iceland, Norway or the UK; at most 8 "
                        "documents"),
        "mediation_scope": N_("Consumer Mediation Service: only traders established in Belgium"),
        "consumerconnect": N_("ConsumerConnect: report to the Economic Inspection (enforcement, no individual "
                              "redress)"),
        "odr_closed": N_("EU ODR platform closed (no new complaints since 20 March 2025; shut down 20 July 2025)"),
        "evidence_list": N_("AliExpress evidence list: photos with a ruler and size label, video of the fault, "
                            "customs document, chat records"),
    },
    "contacts": {
        "help_centre": N_("AliExpress help centre (chat: \"Chat Now\" on the order, virtual assistant first)"),
        "alibaba_phone": N_("Alibaba Group switchboard (China), English or Chinese"),
        "head_office": N_("Head office, for registered letters"),
        "platform_entity": N_("Contracting entity for EU buyers (AliExpress terms)"),
        "ecc_belgium": N_("European Consumer Centre Belgium"),
        "consumerconnect": N_("ConsumerConnect (FPS Economy)"),
        "mediation_service": N_("Consumer Mediation Service (Belgium)"),
    },
}
# rule or contact id -> caution, as in rules.json (shown translated)
CAUTIONS: dict[str, str] = {
    "follow_up_no_answer": N_("A working convention of consumer guides, not an AliExpress rule."),
    "aliexpress_dispute_window": N_("Taken from copies of the help centre dated 2014 to 2022: check the countdown on "
                                    "your order page."),
    "aliexpress_dispute_escalation": N_("Older versions said 5 or 15 days: check the dispute page of your order."),
    "aliexpress_return_shipping": N_("Secondary sources, about 2024: check the return instructions in your dispute."),
    "refund_delay": N_("Copies of the help centre of 2018 to 2024; the bank may book the refund on the original "
                       "purchase date."),
    "chargeback_window": N_("Belgian card issuers may apply a shorter limit (one source: 3 months after the "
                            "statement date): ask your bank."),
    "chargeback_be_issuer": N_("Undated secondary source: ask your bank for its own limit."),
    "chargeback_debit_cards": N_("Debit Mastercard or Visa Debit cards co-badged with Bancontact: ask your bank "
                                 "whether online purchases carry chargeback rights."),
    "withdrawal": N_("The FPS Economy says this right is not guaranteed for web shops outside the EU; AliExpress "
                     "committed to it for EU consumers."),
    "formal_notice_deadline": N_("No legal minimum: 8 to 15 days is the usual convention."),
    "evidence_list": N_("A claim is cancelled when no evidence is provided in time."),
    "alibaba_phone": N_("Given by consumer guides."),
    "head_office": N_("The postcode 311121 is to be confirmed on alibabagroup.com: the page gives the street, "
                      "district and city."),
    "platform_entity": N_("Confirm the entity and its current address in the terms of use in force before sending "
                          "a letter."),
}


@dataclass(frozen=True, slots=True)
class Citation:
    rule_id: str
    title: str  # in the current language
    source_title: str
    source_url: str | None
    checked: str  # YYYY-MM
    confirmed: bool = True  # a public source confirms the fact
    confirm_on: tuple[str, str] | None = None  # (site, URL) where to confirm it
    caution: str | None = None  # in the current language

    def checked_label(self) -> str:
        """The month the rule was checked, in the current language ("novembre 2026")."""
        from babel.dates import format_date

        from ..i18n import LOCALES, get_language

        try:
            year, month = (int(x) for x in self.checked.split("-")[:2])
        except ValueError:
            return self.checked
        return format_date(date(year, month, 1), "LLLL yyyy", locale=LOCALES[get_language()])

    def text(self) -> str:
        """One line in the current language: the source, its URL and the month checked; "to be
        confirmed on <site>" for a fact no public source confirms; the caution."""
        if self.confirmed:
            out = _("{source} ({url}), checked {month}.", source=self.source_title,
                    url=self.source_url or "-", month=self.checked_label())
        else:
            out = _("Not confirmed by a public source (checked {month}).", month=self.checked_label())
        if self.confirm_on:
            out += " " + _("To be confirmed on {site} ({url}).", site=self.confirm_on[0], url=self.confirm_on[1])
        if self.caution:
            out += " " + self.caution
        return out


@functools.cache
def _load(path: str) -> dict:
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    for section in ("rules", "contacts"):
        for key, rule in data[section].items():
            for field in ("checked", "source", "title"):
                if field not in rule:
                    raise ValueError(f"{path}: {section}.{key} has no '{field}'")
            if not rule["source"].get("url"):
                raise ValueError(f"{path}: {section}.{key} has no source URL")
            if rule.get("confirmed", True) is False and not rule.get("confirm_on"):
                raise ValueError(f"{path}: {section}.{key} is not confirmed and says nowhere to confirm it")
    return data


def load_rules() -> dict:
    return _load(str(RULES_PATH))


def _section(rule_id: str) -> str:
    data = load_rules()
    if rule_id in data["rules"]:
        return "rules"
    if rule_id in data["contacts"]:
        return "contacts"
    raise KeyError(rule_id)


def rule(rule_id: str) -> dict:
    return load_rules()[_section(rule_id)][rule_id]


def value(rule_id: str):
    return rule(rule_id)["value"]


def title(rule_id: str, section: str | None = None) -> str:
    """The rule's or contact's title in the current language."""
    section = section or _section(rule_id)
    english = load_rules()[section][rule_id]["title"]
    return _(TITLES.get(section, {}).get(rule_id, english))


def citation(rule_id: str, section: str | None = None) -> Citation:
    section = section or _section(rule_id)
    r = load_rules()[section][rule_id]
    src = r["source"]
    where = r.get("confirm_on")
    caution = r.get("caution")
    return Citation(rule_id=rule_id, title=title(rule_id, section), source_title=src["title"],
                    source_url=src.get("url"), checked=r["checked"], confirmed=r.get("confirmed", True),
                    confirm_on=(where["title"], where["url"]) if where else None,
                    caution=_(CAUTIONS.get(rule_id, caution)) if caution else None)


def contacts() -> dict:
    return load_rules()["contacts"]


def all_citations() -> list[tuple[str, Citation]]:
    """Every rule and contact with its citation, rules first (for the page that lists them)."""
    data = load_rules()
    return [(section, citation(key, section)) for section in ("rules", "contacts") for key in data[section]]


def disclaimer() -> str:
    return _(DISCLAIMER_EN)

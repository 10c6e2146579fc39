"""Letters: every kind in every language carries the order number, amounts and dates of the case."""

from __future__ import annotations

import pytest
from dossier_case import AS_OF, LAMP, REFUND, build_case, build_recon

from complaint.dossier.letters import KINDS, LETTER_LANGUAGES, letter_from_text, render_letter
from complaint.errors import ComplaintError

AMOUNTS = {"fr": ("45,99 €", "23,50 €"), "nl": ("€ 45,99", "€ 23,50"), "en": ("45,99 €", "23,50 €"),
           "de": ("45,99 €", "23,50 €")}
DATES = {"fr": ("20 février 2026", "2 mars 2026"), "nl": ("20 februari 2026", "2 maart 2026"),
         "en": ("20 February 2026", "2 March 2026"), "de": ("20. Februar 2026", "2. März 2026")}


@pytest.fixture(scope="module")
def case_recon():
    return build_case(), build_recon()


@pytest.mark.parametrize("lang", LETTER_LANGUAGES)
@pytest.mark.parametrize("kind", list(KINDS))
def test_letter_has_order_amount_and_dates(case_recon, kind, lang):
    case, recon = case_recon
    lamp = render_letter(kind, case, LAMP, recon, lang, AS_OF)
    refund = render_letter(kind, case, REFUND, recon, lang, AS_OF)
    for letter in (lamp, refund):
        assert letter.order_id in letter.subject or letter.order_id in letter.body
        assert letter.order_id in letter.body
        assert "{{" not in letter.text and "{%" not in letter.text
        assert "ODR" not in letter.text
    assert AMOUNTS[lang][0] in lamp.body
    assert AMOUNTS[lang][1] in refund.body
    if kind != "public_post":  # the public post holds the order and one line of fact
        assert DATES[lang][0] in lamp.body  # order date
    assert DATES[lang][1] in refund.body  # refund confirmed on


@pytest.mark.parametrize("lang", LETTER_LANGUAGES)
def test_evidence_list_and_formal_notice_facts(case_recon, lang):
    case, recon = case_recon
    letter = render_letter("formal_notice", case, LAMP, recon, lang, AS_OF, extra={"iban": "BE68 5390 0754 7034"})
    assert "lampe_cassée.jpg" in letter.body
    assert "Alibaba.com Singapore E-Commerce Private Limited" in letter.body
    assert "No. 969 West Wen Yi Road" in letter.body
    assert "BE68 5390 0754 7034" in letter.body
    assert "5.240" in letter.body


def test_user_text_is_plain_text_never_template_code(case_recon):
    case, recon = case_recon
    hostile = "{{ 7*7 }} {% for x in range(3) %}x{% endfor %} {{ ''.__class__.__mro__ }}\x00\x1b[31m"
    letter = render_letter("seller_message", case, LAMP, recon, "en", AS_OF, extra={"details": hostile,
                                                                                    "name": "Zoë Łukasz"})
    assert "{{ 7*7 }}" in letter.body and "49" not in letter.body
    assert "{% for x in range(3) %}" in letter.body
    assert "\x00" not in letter.body and "\x1b" not in letter.body
    assert "Zoë Łukasz" in letter.body


def test_outcomes_and_errors(case_recon):
    case, recon = case_recon
    partial = render_letter("seller_message", case, LAMP, recon, "nl", AS_OF,
                            extra={"outcome": "partial_refund", "partial_amount": "15.00"})
    assert "gedeeltelijke terugbetaling van € 15,00" in partial.body
    repl = render_letter("dispute_description", case, LAMP, recon, "de", AS_OF, extra={"outcome": "replacement"})
    assert "Ersatzartikel" in repl.body
    with pytest.raises(ComplaintError):
        render_letter("ransom_note", case, LAMP, recon, "en", AS_OF)
    with pytest.raises(ComplaintError):
        render_letter("seller_message", case, LAMP, recon, "it", AS_OF)
    with pytest.raises(ComplaintError):
        render_letter("seller_message", case, "999", recon, "en", AS_OF)


def test_french_first_of_month_and_edited_text(case_recon):
    case, recon = case_recon
    letter = render_letter("seller_message", case, REFUND, recon, "fr", AS_OF)
    assert "1er février 2026" in letter.body
    edited = letter_from_text("seller_message", "fr", REFUND, letter.text.replace("Bonjour", "Madame") + "\x07")
    assert edited.subject == letter.subject and "Madame" in edited.body and "\x07" not in edited.body

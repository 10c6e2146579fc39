"""Rules and contacts cite public sources in the user's language; the refund reference (ARN) of a
promise is recorded, kept, read back from old stores without it, and quoted by the letters; the
public post's privacy check."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

import complaint
from complaint.cli import cli
from complaint.dossier import rules
from complaint.errors import ComplaintError
from complaint.i18n import set_language
from complaint.records import RefundPromise
from complaint.serialize import from_dict

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _english_after():
    yield
    set_language("en")


# --- rules and contacts ----------------------------------------------------------------------

def test_titles_and_cautions_for_translation_are_the_rules_file_texts():
    data = rules.load_rules()
    for section in ("rules", "contacts"):
        assert set(rules.TITLES[section]) == set(data[section]), section
        for key, rule in data[section].items():
            assert rules.TITLES[section][key] == rule["title"], key
            assert rules.CAUTIONS.get(key) == rule.get("caution") or section == "rules" and key == "consumerconnect"


def test_every_rule_and_contact_cites_a_public_source_and_no_development_note():
    text = rules.RULES_PATH.read_text(encoding="utf-8")
    for note in ("/work/", "research", "brief", "unverified", "not found in"):
        assert note not in text.lower().replace("'unverified'", ""), note
    for _section, cit in rules.all_citations():
        assert cit.source_url.startswith("https://"), cit.rule_id
        assert cit.checked and len(cit.checked) == 7
        assert cit.confirmed or cit.confirm_on, cit.rule_id


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "Not confirmed by a public source (checked December 2026). To be confirmed on alibabagroup.com"),
    ("fr", "Non confirmé par une source publique (vérifié en décembre 2026). À confirmer sur alibabagroup.com"),
    ("nl", "Niet bevestigd door een openbare bron (nagekeken in december 2026). Na te kijken op alibabagroup.com"),
    ("de", "Von keiner öffentlichen Quelle bestätigt (geprüft im Dezember 2026). Auf alibabagroup.com zu bestätigen"),
])
def test_an_unconfirmed_contact_says_where_to_confirm_it_in_the_users_language(lang, expected):
    set_language(lang)
    assert complaint.citation("alibaba_phone").text().startswith(expected)
    assert complaint.citation("head_office").text().startswith(
        "Alibaba Group FAQ: Where is Alibaba Group's corporate campus?")
    assert complaint.citation("alibaba_phone").title != "" and (lang == "en") == (
        complaint.citation("alibaba_phone").title == "Alibaba Group switchboard (China), English or Chinese")


# --- the refund reference (ARN) ------------------------------------------------------------------

def test_a_promise_keeps_its_arn_in_a_stored_case_and_the_letters_quote_it(tmp_path):
    case = complaint.open_case("Mine", db=str(tmp_path / "c.sqlite"))
    complaint.import_orders(case, ROOT / "sample_data" / "orders" / "aliexpress_orders.csv")
    p = complaint.record_promise(case, "8116516504403817", "14,90", promised_on="2026-06-18", by="dispute",
                                 arn="7498 7506 1690 0012 3456 789")
    assert p.arn == "74987506169000123456789"
    [kept] = complaint.promises(case)
    assert kept.arn == "74987506169000123456789"
    view = complaint.case_view(case, as_of=date(2026, 11, 20))
    assert view.order("8116516504403817").promises[0].reference == "74987506169000123456789"
    letter = complaint.write_letter(case, "8116516504403817", "chargeback_request", "nl", as_of=date(2026, 11, 20))
    assert "referentie van de terugbetaling volgens AliExpress (ARN): 74987506169000123456789" in letter.text


def test_a_promise_stored_before_the_arn_existed_still_loads():
    old = {"id": "p1", "order_id": "8116516504403817", "amount": "14.90", "currency": "EUR",
           "promised_on": "2026-06-18", "by": "dispute", "destination": "original_payment", "note": None}
    assert from_dict(RefundPromise, old) == RefundPromise("p1", "8116516504403817", Decimal("14.90"), "EUR",
                                                          date(2026, 6, 18), by="dispute")


def test_a_case_file_written_before_the_arn_existed_opens(tmp_path):
    store = complaint.open_store(str(tmp_path / "c.sqlite"))
    blob = complaint.export_case(complaint.open_sample())
    import io
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(blob))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            if name.endswith(".json"):
                doc = json.loads(data)
                for p in doc.get("promises", []):
                    p.pop("arn", None)  # as an older version wrote it
                data = json.dumps(doc).encode()
            dst.writestr(name, data)
    case = complaint.import_case(store, out.getvalue())
    assert all(p.arn is None for p in complaint.promises(case))
    assert complaint.case_view(case).order("8116516504403817").state == "overdue"


def test_a_wrong_arn_is_refused_with_the_field_named():
    with pytest.raises(ComplaintError, match="arn: 'see the chat'"):
        complaint.check_arn("see the chat")
    assert complaint.check_arn("  ") is None


def test_the_cli_records_and_lists_the_arn(tmp_path):
    db = str(tmp_path / "c.sqlite")
    runner = CliRunner()
    assert runner.invoke(cli, ["cases", "sample", "--db", db]).exit_code == 0
    result = runner.invoke(cli, ["promise", "add", "8116516504403817", "14,90", "--by", "dispute", "--on",
                                 "2026-06-18", "--arn", "74987506169000123456789", "--id", "promise-05",
                                 "--db", db, "--case", "Sample case", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["arn"] == "74987506169000123456789"
    listed = runner.invoke(cli, ["promise", "list", "--db", db, "--case", "Sample case", "--format", "json"])
    assert {p["id"]: p["arn"] for p in json.loads(listed.output)}["promise-05"] == "74987506169000123456789"
    bad = runner.invoke(cli, ["promise", "add", "8116516504403817", "1", "--arn", "n/a", "--db", db,
                              "--case", "Sample case"])
    assert bad.exit_code == 2 and "arn" in bad.output


# --- the public post -----------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "found"), [
    ("@AliExpress Order 8116516504403817: refund of €14.90 missing for 109 business days.", []),
    ("Refund to BE62 7350 4821 6361 please", ["an IBAN (bank account number)"]),
    ("My card 5555 5555 5555 4444 was charged", ["card digits"]),  # passes the Luhn check
    ("card 6703 04XX XXXX X418 7", ["card digits"]),
    ("write to lotte@example.be", ["an e-mail address"]),
    ("call me on +32 470 12 34 56", ["a phone number"]),
    ("or 0470 12 34 56", ["a phone number"]),
    ("I live at Diestsesteenweg 112, 3010 Kessel-Lo", ["a postal address"]),
    ("Lotte Janssens here", ["your name"]),
])
def test_the_public_post_check_names_what_must_not_be_posted(text, found):
    assert complaint.public_post_warnings(complaint.open_sample(), text) == found


def test_every_public_post_of_the_sample_passes_its_own_check():
    case = complaint.open_sample()
    view = complaint.case_view(case)
    for o in view.choices():
        for lang in complaint.LETTER_LANGUAGES:
            post = complaint.write_letter(case, o.order_id, "public_post", lang, view=view)
            assert complaint.public_post_warnings(case, post.text) == [], (o.order_id, lang, post.text)
            assert len(post.text.strip()) <= 280

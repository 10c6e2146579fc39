"""MT940 and OFX importers: golden files, details, balances, entity attacks, fuzzing."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from importer_checks import FUZZ, accounted, check_any, summary

from complaint.errors import ComplaintError, ParseError
from complaint.importers import base
from complaint.importers.bank.mt940 import Mt940Importer, parse_details
from complaint.importers.bank.ofx import OfxImporter
from complaint.importers.textio import Source

MT = Path(__file__).parent / "data" / "bank" / "mt940"
OFX = Path(__file__).parent / "data" / "bank" / "ofx"




@pytest.mark.parametrize("path", sorted(MT.glob("*.sta")) + sorted(OFX.glob("*.ofx")), ids=lambda p: p.name)
def test_golden(path):
    expected = json.loads(Path(str(path) + ".expected.json").read_text(encoding="utf-8"))
    r = base.import_file(path)
    assert summary(r) == expected
    assert accounted(r)


def test_mt940_statement():
    r = base.import_file(MT / "statement.sta")
    assert r.importer == "bank.mt940" and len(r.records) == 4 and r.issues == ()
    t = r.records[0]
    assert (t.booking_date.isoformat(), t.amount, t.currency, t.account) == \
        ("2026-01-06", Decimal("-25.99"), "EUR", "BE68539007547034")
    assert (t.counterparty, t.counterparty_account) == ("ALIEXPRESS.COM", "LU89751000135104200E")
    assert t.communication == "Order 8123456789012345" and t.bank_reference == "B6A06ABC123"
    assert t.merchant == "aliexpress" and t.provenance.line_no == 5
    assert t.id == base.ref_txn_id("mt940", "BE68539007547034", "B6A06ABC123")
    rd = r.records[1]
    assert rd.amount == Decimal("25.99") and rd.description.startswith("Reversal (RD)")
    assert r.records[2].communication == "+++090/0000/00151+++"
    de = r.records[3]
    assert (de.counterparty, de.counterparty_account, de.communication) == \
        ("Alipay Europe Limited", "BE71096123456769", "Rueckerstattung Bestellung 81234")
    assert r.balance_check.status == "ok"
    assert (r.statement.opening_balance, r.statement.closing_balance) == (Decimal("500.00"), Decimal("527.50"))


def test_mt940_broken_balance():
    r = base.import_file(MT / "broken_balance.sta")
    assert r.balance_check.status == "mismatch" and r.balance_check.difference == Decimal("-0.45")


def test_mt940_details_layouts():
    nl = parse_details("/CNTP/NL91ABNA0417164300/ABNANL2A/Shop BV/Amsterdam/REMI/USTD//factuur 12/EREF/E1/")
    assert (nl["name"], nl["account"], nl["communication"], nl["reference"]) == \
        ("Shop BV", "NL91ABNA0417164300", "factuur 12", "E1")
    de = parse_details("105?00SEPA-LASTSCHRIFT?20EREF+X1?21MREF+M9?22SVWZ+PayPal 1049?32PayPal Europe")
    assert (de["name"], de["communication"], de["reference"]) == ("PayPal Europe", "PayPal 1049", "X1")
    assert parse_details("just text")["description"] == "just text"


def test_mt940_garbage_is_a_parse_error():
    with pytest.raises(ComplaintError):
        Mt940Importer().extract(Source("x.sta", b":20:X\n:25:Y\n:61:notadate\n-\n"))


def test_ofx_v1_sgml():
    r = base.import_file(OFX / "statement_v1.ofx")
    assert r.importer == "bank.ofx" and len(r.records) == 3 and r.issues == ()
    t = r.records[0]
    assert (t.booking_date.isoformat(), t.amount, t.currency, t.bank_reference) == \
        ("2026-01-06", Decimal("-25.99"), "EUR", "2026010600001")
    assert t.id == base.ref_txn_id("ofx", "BE68539007547034", "2026010600001")
    assert t.counterparty == "ALIEXPRESS.COM LUXEMBOURG" and t.merchant == "aliexpress"
    assert r.records[2].merchant == "paypal-aliexpress"
    assert r.statement.closing_balance == Decimal("487.50")
    assert r.balance_check.status == "not-available"  # OFX has no opening balance


def test_ofx_v2_xml_with_original_currency():
    r = base.import_file(OFX / "statement_v2.ofx")
    assert len(r.records) == 2 and r.issues == ()
    t = r.records[0]
    assert (t.original_amount, t.original_currency, t.fx_rate) == (Decimal("-60.70"), "CHF", Decimal("1.0201"))


def test_ofx_lenient_fallback_warns():
    raw = (OFX / "statement_v1.ofx").read_bytes().replace(b"<TRNAMT>-25.99", b"<TRNAMT>-25,99")
    raw = raw.replace(b"<LANGUAGE>ENG", b"")
    r = OfxImporter().extract(Source("lenient.ofx", raw))
    assert r.records[0].amount == Decimal("-25.99")
    assert len(r.warnings) == 1 and "specification" in str(r.warnings[0])


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<?OFX OFXHEADER="200" VERSION="220" SECURITY="NONE" OLDFILEUID="NONE" NEWFILEUID="NONE"?>
<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>EUR</CURDEF><BANKTRANLIST><STMTTRN><TRNTYPE>DEBIT</TRNTYPE>
<DTPOSTED>20260101</DTPOSTED><TRNAMT>-1</TRNAMT><FITID>1</FITID><NAME>&lol2;</NAME></STMTTRN></BANKTRANLIST>
</STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>"""
XXE = BOMB.replace(b'<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">',
                   b'<!ENTITY lol2 SYSTEM "file:///etc/passwd">')


@pytest.mark.parametrize("doc", [BOMB, XXE], ids=["billion-laughs", "external-entity"])
def test_ofx_entity_attacks_are_parse_errors(doc):
    with pytest.raises(ParseError, match="DTD or entities"):
        OfxImporter().extract(Source("evil.ofx", doc))



@FUZZ
@given(st.binary(max_size=1500))
def test_fuzz_arbitrary_bytes(data):
    check_any(Mt940Importer(), data)
    check_any(OfxImporter(), data)


@FUZZ
@given(st.sampled_from([MT / "statement.sta", OFX / "statement_v1.ofx", OFX / "statement_v2.ofx"]),
       st.integers(0, 3000), st.integers(0, 30),
       st.sampled_from([b"", b":61:", b":86:", b"-\n", b"\n", b"<", b">", b"</STMTTRN>", b"?2", b"/", b"9", b"\xff"]))
def test_fuzz_mutations(path, pos, cut, insert):
    raw = path.read_bytes()
    pos = pos % (len(raw) + 1)
    imp = Mt940Importer() if path.suffix == ".sta" else OfxImporter()
    check_any(imp, raw[:pos] + insert + raw[pos + cut:])

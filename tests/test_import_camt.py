"""camt.053 importer: v02/v04/v08 golden files, reversal, FX details, batches, XML attacks, fuzzing."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from importer_checks import FUZZ, accounted, summary
from importer_checks import check_any as _check_any

from complaint.errors import ParseError
from complaint.importers import base
from complaint.importers.bank.camt053 import Camt053Importer
from complaint.importers.textio import Source

DATA = Path(__file__).parent / "data" / "bank" / "camt053"
IMP = Camt053Importer()
NS = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"




@pytest.mark.parametrize("path", sorted(DATA.glob("*.xml")), ids=lambda p: p.name)
def test_golden(path):
    expected = json.loads(Path(str(path) + ".expected.json").read_text(encoding="utf-8"))
    r = base.import_file(path)
    assert summary(r) == expected
    assert accounted(r)


def test_v02_entries_fx_reversal_pending():
    r = base.import_file(DATA / "statement_v02.xml")
    assert r.importer == "bank.camt053"
    assert len(r.records) == 3 and r.rows_total == 4 and r.issues == ()
    assert [str(s.value) for s in r.skipped] == ["PDNG"]
    t = r.records[0]
    assert (t.booking_date.isoformat(), t.value_date.isoformat(), t.amount, t.currency) == \
        ("2026-01-06", "2026-01-05", Decimal("-32.18"), "EUR")
    assert (t.original_amount, t.original_currency, t.fx_rate) == (Decimal("-34.99"), "USD", Decimal("0.9197"))
    assert t.counterparty == "ALI*ALIEXPRESS" and t.merchant == "aliexpress"
    assert t.communication == "Card 6703 XXXX XXXX 1234 LUXEMBOURG"
    assert t.bank_reference == "BE26010600001" and t.payment_method == "debit_card"
    assert t.id == base.ref_txn_id("camt053", "BE68539007547034", "BE26010600001")
    rev = r.records[1]
    assert rev.amount == Decimal("19.85") and rev.description.startswith("Reversal (RvslInd) of a debit")
    assert rev.counterparty.startswith("PayPal (Europe)")  # the creditor of the reversed debit
    assert r.records[2].communication == "+++090/0000/00151+++"
    assert r.balance_check.status == "ok"


def test_v04_batch_split_into_details_that_sum_to_the_entry():
    r = base.import_file(DATA / "statement_v04.xml")
    assert r.rows_total == 2 and r.rows_imported == 2 and len(r.records) == 3 and r.issues == ()
    assert [t.amount for t in r.records[:2]] == [Decimal("-30.00"), Decimal("-15.00")]
    assert r.records[0].merchant == "paypal-aliexpress"
    assert r.balance_check.status == "ok"


def test_v04_batch_that_does_not_add_up_stays_one_entry_with_a_warning():
    raw = (DATA / "statement_v04.xml").read_text().replace('<Amt Ccy="EUR">15.00</Amt>', '<Amt Ccy="EUR">14.00</Amt>')
    r = IMP.extract(Source("b.xml", raw.encode()))
    assert len(r.records) == 2 and r.records[0].amount == Decimal("-45.00")
    assert [w.field for w in r.warnings] == ["TxDtls"]
    assert "PayPal Europe; Telenet" == r.records[0].counterparty


def test_v08_rate_is_normalised_and_balance_checked():
    r = base.import_file(DATA / "statement_v08.xml")
    t = r.records[0]
    assert (t.original_amount, t.original_currency) == (Decimal("-60.70"), "CHF")
    assert abs(t.fx_rate * Decimal("60.70") - Decimal("61.92")) < Decimal("0.01")
    assert r.records[1].amount == Decimal("61.92") and "Reversal" in r.records[1].description
    assert r.balance_check.status == "ok"
    broken = base.import_file(DATA / "broken_balance.xml")
    assert broken.balance_check.status == "mismatch" and broken.balance_check.difference == Decimal("-0.03")


def test_bad_entry_is_rejected_not_fatal():
    raw = (DATA / "statement_v04.xml").read_text().replace("<CdtDbtInd>CRDT</CdtDbtInd>\n        <Sts>",
                                                           "<CdtDbtInd>XXXX</CdtDbtInd>\n        <Sts>")
    r = IMP.extract(Source("b.xml", raw.encode()))
    assert len(r.rejected) == 1 and r.rejected[0].line == 2 and accounted(r)


BOMB = f"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<Document xmlns="{NS}"><BkToCstmrStmt><Stmt><Ntry><AddtlNtryInf>&lol4;</AddtlNtryInf></Ntry></Stmt></BkToCstmrStmt></Document>"""
XXE = f"""<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Document xmlns="{NS}"><BkToCstmrStmt><Stmt><Ntry><AddtlNtryInf>&xxe;</AddtlNtryInf></Ntry></Stmt></BkToCstmrStmt></Document>"""


@pytest.mark.parametrize("doc", [BOMB, XXE], ids=["billion-laughs", "external-entity"])
def test_entity_attacks_are_parse_errors(doc):
    with pytest.raises(ParseError, match="DTD or entities"):
        IMP.extract(Source("evil.xml", doc.encode()))


def test_not_camt_is_a_parse_error():
    with pytest.raises(ParseError, match="not a camt.053"):
        IMP.extract(Source("x.xml", b"<a/>"))
    with pytest.raises(ParseError, match="not well-formed"):
        IMP.extract(Source("x.xml", b"<a>"))


def check_any(data: bytes):
    _check_any(IMP, data, "fuzz.xml")


@FUZZ
@given(st.binary(max_size=1500))
def test_fuzz_arbitrary_bytes(data):
    check_any(data)


@FUZZ
@given(st.sampled_from(sorted(DATA.glob("*.xml"))), st.integers(0, 6000), st.integers(0, 30),
       st.sampled_from([b"", b"<", b">", b"-", b"9", b"DBIT", b"</Ntry>", b"<Ntry>", b"x", b"&amp;", b"\xff"]))
def test_fuzz_mutations(path, pos, cut, insert):
    raw = path.read_bytes()
    pos = pos % (len(raw) + 1)
    check_any(raw[:pos] + insert + raw[pos + cut:])

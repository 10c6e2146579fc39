"""PayPal CSV importer: EN/FR/NL activity and EN statement golden files, linking, skips, fuzzing."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from importer_checks import FUZZ, accounted, summary
from importer_checks import check_any as _check_any

from complaint.importers import base
from complaint.importers.bank.paypal import PaypalCsvImporter
from complaint.importers.textio import Source

DATA = Path(__file__).parent / "data" / "bank" / "paypal_csv"
IMP = PaypalCsvImporter()




def pid(txid):
    return base.ref_txn_id("paypal", None, txid)


@pytest.mark.parametrize("path", sorted(DATA.glob("*.csv")), ids=lambda p: p.name)
def test_golden(path):
    expected = json.loads(Path(str(path) + ".expected.json").read_text(encoding="utf-8"))
    r = base.import_file(path)
    assert r.importer == "bank.paypal_csv"
    assert summary(r) == expected
    assert accounted(r)


def test_activity_en():
    r = base.import_file(DATA / "activity_en.csv")
    assert len(r.records) == 4 and r.rows_total == 7 and r.issues == ()
    assert [s.value for s in r.skipped] == ["General Authorization", "General Currency Conversion",
                                            "General Currency Conversion"]
    pay, mirror, refund, usd = r.records
    assert (pay.id, pay.booking_date.isoformat(), pay.amount, pay.currency) == \
        (pid("1AB23456CD7890123"), "2026-01-06", Decimal("-25.99"), "EUR")
    assert (pay.counterparty, pay.merchant, pay.payment_method, pay.bank_reference) == \
        ("AliExpress", "aliexpress", "paypal", "1AB23456CD7890123")
    assert pay.description == "Express Checkout Payment Phone case" and pay.related_id is None
    assert mirror.amount == Decimal("25.99") and mirror.related_id == pay.id
    assert mirror.description == "Bank Deposit to PP Account"
    assert refund.related_id == pay.id and refund.merchant_rule.endswith("+refund-wording")
    assert (usd.amount, usd.currency, usd.original_amount, usd.original_currency) == \
        (Decimal("-25.99"), "EUR", Decimal("-28.26"), "USD")
    assert usd.fx_rate == Decimal("0.919674")
    assert r.balance_check.status == "ok"


def test_broken_running_balance():
    r = base.import_file(DATA / "broken_balance.csv")
    assert r.balance_check.status == "mismatch" and r.balance_check.difference == Decimal("0.10")


def test_french_and_dutch_numbers_and_headers():
    fr = base.import_file(DATA / "activity_fr.csv")
    assert [t.amount for t in fr.records] == [Decimal("-1049.00"), Decimal("1049.00")]
    assert fr.records[1].related_id == fr.records[0].id and fr.issues == ()
    nl = base.import_file(DATA / "activity_nl.csv")
    assert nl.records[0].booking_date.isoformat() == "2026-03-21" and nl.records[0].merchant == "aliexpress"
    assert nl.records[1].related_id == nl.records[0].id and nl.issues == ()


def test_statement_us_dates_trailing_spaces_and_same_ids_as_activity():
    r = base.import_file(DATA / "statement_en.csv")
    assert r.issues == () and len(r.records) == 3
    refund, mirror, pay = r.records
    assert pay.booking_date.isoformat() == "2026-04-14" and refund.booking_date.isoformat() == "2026-04-18"
    assert pay.amount == Decimal("-1234.56") and pay.id == pid("2LM34567NO8901234")
    assert refund.related_id == pay.id == mirror.related_id
    assert mirror.counterparty == "KBC Bank"
    assert r.balance_check.status == "ok" and r.statement.closing_balance == Decimal("1234.56")


def test_ambiguous_dates_are_recorded_as_an_assumption():
    text = ('"Date","Name","Type","Status","Currency","Gross","Transaction ID"\n'
            '"05/06/2026","AliExpress","Express Checkout Payment","Completed","EUR","-1.00","X1"\n')
    r = IMP.extract(Source("amb.csv", text.encode()))
    assert r.records[0].booking_date.isoformat() == "2026-06-05"
    assert [w.field for w in r.warnings] == ["Date"] and "dd/mm/yyyy" in str(r.warnings[0])


def test_bad_row_is_rejected_with_line():
    text = ('"Date","Name","Type","Status","Currency","Gross","Transaction ID"\n'
            '"15/06/2026","AliExpress","Express Checkout Payment","Completed","EUR","-1.00","X1"\n'
            '"16/06/2026","AliExpress","Express Checkout Payment","Completed","EUR","abc","X2"\n')
    r = IMP.extract(Source("bad.csv", text.encode()))
    assert len(r.records) == 1 and [i.line for i in r.rejected] == [3] and accounted(r)


def check_any(data: bytes):
    _check_any(IMP, data, "fuzz.csv")


@FUZZ
@given(st.binary(max_size=1500))
def test_fuzz_arbitrary_bytes(data):
    check_any(data)


@FUZZ
@given(st.sampled_from(sorted(DATA.glob("*.csv"))), st.integers(0, 6000), st.integers(0, 30),
       st.sampled_from([b"", b'"', b",", b"\n", b"\r", b"-", b"9", b"/", b"Memo", b"\xff", b"\x00"]))
def test_fuzz_mutations(path, pos, cut, insert):
    raw = path.read_bytes()
    pos = pos % (len(raw) + 1)
    check_any(raw[:pos] + insert + raw[pos + cut:])

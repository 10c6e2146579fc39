"""CODA importer: golden files, record-level checks, trailer and balance proofs, fuzzing."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from importer_checks import FUZZ, accounted, summary
from importer_checks import check_any as _check_any

from complaint.importers import base
from complaint.importers.bank.coda import CodaImporter
from complaint.importers.textio import Source

DATA = Path(__file__).parent / "data" / "bank" / "coda"
GOOD = DATA / "statement.cod"
IMP = CodaImporter()




def lines():
    return GOOD.read_bytes().decode("cp1252").split("\r\n")


def run(text_lines):
    return IMP.extract(Source("t.cod", "\r\n".join(text_lines).encode("cp1252")))


@pytest.mark.parametrize("path", sorted(DATA.glob("*.cod")), ids=lambda p: p.name)
def test_golden(path):
    expected = json.loads(Path(str(path) + ".expected.json").read_text(encoding="utf-8"))
    assert summary(base.import_file(path)) == expected


def test_every_record_is_128_columns():
    assert all(len(ln) == 128 for ln in lines() if ln)


def test_clean_statement():
    r = base.import_file(GOOD)
    assert r.importer == "bank.coda" and base.detect(Source("x", GOOD.read_bytes()))[0].name == "bank.coda"
    assert len(r.records) == 3 and r.rows_total == 5 and len(r.skipped) == 2  # 2 details of a grouped debit
    assert r.issues == ()
    assert accounted(r)
    t = r.records[0]
    assert (t.booking_date.isoformat(), t.value_date.isoformat(), t.amount, t.currency) == \
        ("2026-01-06", "2026-01-05", Decimal("-25.99"), "EUR")
    assert t.account == "BE68539007547034"
    assert t.counterparty == "ALIEXPRESS.COM" and t.counterparty_account == "LU89751000135104200E"
    assert t.communication == "BETALING MET DEBETKAART ALIEXPRESS.COM LUXEMBOURG ORDER 8123456789012345"
    assert t.bank_reference == "0601260A1B2C3D4E5F6G7"
    assert t.merchant == "aliexpress" and t.payment_method == "debit_card"
    assert t.id == base.ref_txn_id("coda", "BE68539007547034", "0601260A1B2C3D4E5F6G7")
    assert t.provenance.line_no == 3
    assert r.records[1].communication == "+++090/0000/00151+++"
    assert r.records[2].amount == Decimal("-40.00")
    assert r.balance_check.status == "ok"
    assert r.statement.opening_balance == Decimal("1250.00") and r.statement.closing_balance == Decimal("1196.51")


def test_broken_balance_gives_exact_difference():
    r = base.import_file(DATA / "broken_balance.cod")
    assert r.balance_check.status == "mismatch"
    assert r.balance_check.difference == Decimal("1.00")


def test_same_file_twice_gives_same_ids():
    a = base.import_file(GOOD)
    b = IMP.extract(Source("copy.cod", GOOD.read_bytes()))
    assert [t.id for t in a.records] == [t.id for t in b.records]


def test_trailer_mismatch_is_a_warning_naming_the_numbers():
    ls = lines()
    trailer = next(i for i, ln in enumerate(ls) if ln.startswith("9"))
    ls[trailer] = ls[trailer][:16] + "000013" + ls[trailer][22:37] + "000000000012600" + ls[trailer][52:]
    r = run(ls)
    msgs = [str(w) for w in r.warnings]
    assert any("13 records" in m and "has 12" in m for m in msgs)
    assert any("12.6" in m and "12.5" in m for m in msgs)
    assert len(r.records) == 3


def test_bad_lengths_and_unknown_types_are_rejected_with_line_numbers():
    ls = lines()
    ls[4] = ls[4][:100]  # record 23 cut short
    ls.insert(6, "7" + " " * 127)  # unknown record type
    r = run(ls)
    rejected = {(i.line, i.field) for i in r.rejected}
    assert (5, "record length") in rejected and (7, "record type") in rejected
    assert accounted(r)
    assert r.records[0].counterparty is None  # its part 3 was lost, the movement itself is kept


def test_invalid_ogm_is_kept_as_text_with_a_warning():
    ls = lines()
    i = 5
    assert ls[i].startswith("21") and "090000000151" in ls[i]
    ls[i] = ls[i].replace("090000000151", "090000000152")
    r = run(ls)
    assert r.records[1].communication == "090000000152"
    assert [w.field for w in r.warnings] == ["communication"]


def check_any(data: bytes):
    _check_any(IMP, data, "fuzz.cod")


@FUZZ
@given(st.binary(max_size=1500))
def test_fuzz_arbitrary_bytes(data):
    check_any(data)


@FUZZ
@given(st.integers(0, 2000), st.integers(0, 40), st.binary(max_size=40))
def test_fuzz_mutations(pos, cut, insert):
    raw = GOOD.read_bytes()
    pos = pos % (len(raw) + 1)
    check_any(raw[:pos] + insert + raw[pos + cut:])

"""Belgian bank CSV importers: golden files, normalisation, dedupe, fuzzing and the CLI."""

from __future__ import annotations

import json
import os
import random
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from complaint.case import merge_transactions
from complaint.cli.import_bank import command
from complaint.errors import AmbiguousFormat, ComplaintError, NotMyFormat
from complaint.importers.bank import text as _banktext
from complaint.importers.base import import_file, load_all, ref_txn_id
from complaint.importers.textio import Source
from complaint.serialize import to_dict
from complaint.store.db import Store

DATA = Path(__file__).parent / "data" / "bank"
MINE = ("bank.kbc_csv", "bank.kbc_creditcard_csv", "bank.bnppf_csv", "bank.bnppf_visa_csv", "bank.ing_be_csv",
        "bank.record_legacy_csv", "bank.belfius_csv", "bank.argenta_csv", "bank.argenta_xlsx",
        "bank.argenta_legacy_csv", "bank.crelan_csv", "bank.keytrade_csv", "bank.triodos_csv")
MY_DIRS = ("kbc_csv", "kbc_creditcard_csv", "bnppf_csv", "bnppf_visa_csv", "ing_be_csv", "record_legacy_csv",
           "belfius_csv", "argenta_csv", "argenta_xlsx", "argenta_legacy_csv", "crelan_csv", "keytrade_csv",
           "triodos_csv")
GOLDEN = sorted(p for d in MY_DIRS for p in (DATA / d).glob("*") if p.with_name(p.name + ".expected.json").exists())
FUZZ_EXAMPLES = int(os.environ.get("COMPLAINT_FUZZ_UNIT_EXAMPLES", "200"))


def _expected(path: Path) -> dict:
    return json.loads(path.with_name(path.name + ".expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_golden_file(path: Path) -> None:
    exp = _expected(path)
    result = import_file(path, kind="bank")
    assert result.importer == exp["importer"]
    assert [str(i) for i in result.rejected] == []
    assert [str(i) for i in result.warnings] == []
    assert len(result.skipped) == exp["skipped"]
    assert len(result.records) == exp["count"]
    assert result.rows_total == result.rows_imported + len(result.rejected) + len(result.skipped)
    assert result.balance_check.status == exp["balance"]
    st_info = result.statement
    assert (str(st_info.opening_balance) if st_info and st_info.opening_balance is not None else None) == exp["opening"]
    assert (str(st_info.closing_balance) if st_info and st_info.closing_balance is not None else None) == exp["closing"]
    txn = result.records[exp["index"]]
    got = to_dict(txn)
    prov = got.pop("provenance")
    txn_id = got.pop("id")
    assert got == exp["record"]
    assert prov["line_no"] == exp["line"]
    assert prov["importer"] == exp["importer"]
    assert prov["source_sha256"] == result.sha256
    imp = load_all()[result.importer]
    if txn.bank_reference and imp.spec.ref_is_unique:
        assert txn_id == ref_txn_id(imp.spec.family, txn.account, txn.bank_reference)
    else:
        assert txn_id.startswith("h")
    # ids are unique within a file and stable across runs
    assert len({t.id for t in result.records}) == len(result.records)
    assert [t.id for t in import_file(path, kind="bank").records] == [t.id for t in result.records]


def test_every_bank_csv_importer_has_a_golden_file() -> None:
    covered = {_expected(p)["importer"] for p in GOLDEN}
    assert set(MINE) <= covered
    assert set(MINE) <= set(load_all())


def test_kbc_running_balance_mismatch_is_reported(tmp_path: Path) -> None:
    text = (DATA / "kbc_csv" / "kbc_nl_18col.csv").read_bytes().replace(b";450,00;", b";451,00;")
    result = import_file(text, kind="bank", name="kbc.csv")
    assert result.balance_check.status == "mismatch"
    assert result.balance_check.difference == Decimal("1.00")


def test_belfius_closing_balance_from_preamble() -> None:
    result = import_file(DATA / "belfius_csv" / "belfius_nl.csv", kind="bank")
    assert result.statement.closing_balance == Decimal("1234.56")
    assert str(result.statement.closing_date) == "2026-03-31"


@pytest.mark.parametrize("order", [("a", "b"), ("b", "a")])
def test_overlapping_kbc_statements_merge_to_the_same_set(order) -> None:
    files = {"a": DATA / "kbc_csv" / "kbc_overlap_a.csv", "b": DATA / "kbc_csv" / "kbc_overlap_b.csv"}
    merged = []
    for key in order:
        merged = merge_transactions(merged, import_file(files[key], kind="bank").records)
    full = import_file(DATA / "kbc_csv" / "kbc_nl_18col.csv", kind="bank").records
    assert {t.id for t in merged} == {t.id for t in full}
    assert len(merged) == 5  # the two identical 12/03 transfers stay two
    assert sum(t.amount for t in merged) == Decimal("-50.00")


def test_rejected_rows_name_line_field_and_value() -> None:
    data = (b"Volgnummer;Uitvoeringsdatum;Valutadatum;Bedrag;Valuta rekening;Details;Rekeningnummer\n"
            b"2026-0001;31/02/2026;01/03/2026;-1,00;EUR;X;BE21001234567803\n"
            b"2026-0002;01/03/2026;01/03/2026;12,3O;EUR;Y;BE21001234567803\n"
            b"2026-0003;02/03/2026;02/03/2026;;EUR;Z;BE21001234567803\n"
            b"2026-0004;03/03/2026;03/03/2026;-4,00;EUR;OK;BE21001234567803\n")
    result = import_file(data, kind="bank", name="bnppf.csv")
    assert result.rows_total == 4 and result.rows_imported == 1
    lines = [(i.line, i.field, i.value) for i in result.rejected]
    assert lines == [(2, "Uitvoeringsdatum", "31/02/2026"), (3, "Bedrag", "12,3O"), (4, "Bedrag", "")]
    assert all(i.file == "bnppf.csv" and i.message for i in result.rejected)


def test_invalid_iban_is_kept_as_text_with_a_warning() -> None:
    data = ("Nº de séquence;Date d'exécution;Date valeur;Montant;Devise du compte;Numéro de compte;"
            "Type de transaction;Contrepartie;Nom de la contrepartie;Communication;Détails;Statut;Motif du refus\n"
            "2026-00001;01/03/2026;01/03/2026;-5.00;EUR;BE21001234567803;Virement;BE11 1234 5678 9012;X;"
            "+++190/5063/21291+++;D;Accepté;\n").encode()
    result = import_file(data, kind="bank", name="v3.csv")
    txn = result.records[0]
    assert txn.counterparty_account == "BE11 1234 5678 9012"
    fields = sorted(w.field for w in result.warnings)
    assert fields == ["communication", "counterparty_account"]
    assert all(w.severity == "warning" and w.line == 2 for w in result.warnings)


def test_card_masking_keeps_first_and_last_four_only() -> None:
    text, card = _banktext.mask_cards("KAART 5169 2012 3456 7077 REF 2603021425068897 DE89 3704 0044 0532 0130 00")
    assert card == "5169 XXXX XXXX 7077"
    assert "2012" not in text and "3456" not in text
    assert "2603021425068897" in text  # a bare 16-digit reference or order id is not a card
    assert "DE89 3704 0044 0532 0130 00" in text  # nor an IBAN
    assert _banktext.mask_card_number("4871 04XX XXXX 1711") == "4871 XXXX XXXX 1711"


@pytest.mark.parametrize("raw,expected", [
    ("***190/5063/21290***", "+++190/5063/21290+++"),
    ("190506321290", "+++190/5063/21290+++"),
    ("+++ 190 / 5063 / 21290 +++", "+++190/5063/21290+++"),
    ("ref +++012/3456/78939+++ ok", "ref +++012/3456/78939+++ ok"),
    ("free text", "free text"),
])
def test_structured_communication(raw: str, expected: str) -> None:
    assert _banktext.structured_communication(raw) == (expected, None)


@pytest.mark.parametrize("text,method", [
    ("BETALING AANKOPEN VIA BANCONTACT MET KBC-BANKKAART", "debit_card"),
    ("PAIEMENT AVEC LA CARTE DE DEBIT NUMERO 4871 VISA DEBIT", "debit_card"),
    ("AFREKENING KREDIETKAART", "credit_card"),
    ("EUROPESE DOMICILIERING SCHULDEISER PAYPAL", "direct_debit"),
    ("VIREMENT EUROPEEN VERS", "bank_transfer"),
    ("INTEREST", None),
])
def test_payment_method_guess(text: str, method: str | None) -> None:
    assert _banktext.guess_payment_method(text) == method


def test_legacy_layout_with_unknown_bank_is_ambiguous_and_can_be_forced() -> None:
    data = (DATA / "record_legacy_csv" / "record_nl.csv").read_bytes().replace(
        b"BE85 3634 5678 9006", b"BE86 1036 7890 1250")  # a Crelan IBAN: neither layout owner
    with pytest.raises(AmbiguousFormat) as err:
        import_file(data, kind="bank", name="legacy.csv")
    assert set(err.value.candidates) == {"bank.argenta_legacy_csv", "bank.record_legacy_csv"}
    result = import_file(data, importer="bank.argenta_legacy_csv", name="legacy.csv")
    assert len(result.records) == 2 and result.records[0].account == "BE86103678901250"


@pytest.mark.parametrize("importer", ["bank.crelan_csv", "bank.keytrade_csv", "bank.kbc_csv"])
def test_other_header_when_forced_sends_user_to_mapping(importer: str) -> None:
    data = b"Datum;Bedrag;Naam;Rekening\n01/03/2026;-1,00;X;BE21001234567803\n"
    assert load_all()[importer].identify(Source("x.csv", data)) == 0
    with pytest.raises(NotMyFormat, match="mapping"):
        import_file(data, importer=importer, name="x.csv")


# --------------------------------------------------------------------------- fuzzing


def _valid_sample(name: str) -> bytes:
    for p in GOLDEN:
        if _expected(p)["importer"] == name:
            return p.read_bytes()
    raise AssertionError(name)


def _mutations(seed_bytes: bytes):
    def mutate(args):
        seed, ops = args
        rnd = random.Random(seed)
        data = bytearray(seed_bytes)
        for _ in range(ops):
            if not data:
                break
            i = rnd.randrange(len(data))
            choice = rnd.randrange(5)
            if choice == 0:
                data[i] = rnd.randrange(256)
            elif choice == 1:
                del data[i: i + rnd.randrange(1, 20)]
            elif choice == 2:
                data[i:i] = rnd.choice([b";", b"\r", b"\n", b'"', b"-", b",", b"+++", b"\xff\xfe", b"9" * 30])
            elif choice == 3:
                j = rnd.randrange(len(data))
                data[i:i] = data[j: j + 40]
            else:
                data = data[:i]
        return bytes(data)

    return st.tuples(st.integers(0, 2**32), st.integers(1, 12)).map(mutate)


@pytest.mark.parametrize("name", MINE)
def test_fuzz_never_escapes_with_another_exception(name: str) -> None:
    imp = load_all()[name]
    sample = _valid_sample(name)

    @settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(st.one_of(st.binary(max_size=2000), _mutations(sample)))
    def run(data: bytes) -> None:
        source = Source("fuzz" + Path(name).suffix, data)
        imp.identify(source)
        try:
            result = imp.extract(source)
        except ComplaintError as exc:
            assert str(exc)
            return
        assert result.rows_total == result.rows_imported + len(result.rejected) + len(result.skipped)
        assert result.rows_imported == len(result.records)
        for txn in result.records:
            assert isinstance(txn.amount, Decimal) and txn.provenance.line_no >= 1

    run()


# --------------------------------------------------------------------------- CLI


def test_cli_json_contract() -> None:
    runner = CliRunner()
    res = runner.invoke(command, [str(DATA / "kbc_csv" / "kbc_nl_18col.csv"), str(DATA / "bnppf_csv" / "bnppf_v3_fr.csv")])
    assert res.exit_code == 0, res.output
    reports = json.loads(res.stdout)
    assert [r["format"] for r in reports] == ["bank.kbc_csv", "bank.bnppf_csv"]
    kbc, bnp = reports
    assert kbc["file"] == "kbc_nl_18col.csv"
    assert kbc["balance_check"] == "ok" and kbc["opening_balance"] == "500.00" and kbc["closing_balance"] == "450.00"
    t = kbc["transactions"][4]
    assert {k: t[k] for k in ("booking_date", "value_date", "amount", "currency", "merchant")} == {
        "booking_date": "2026-03-02", "value_date": "2026-03-02", "amount": "-45.67", "currency": "EUR",
        "merchant": "aliexpress"}
    assert {"id", "counterparty", "description", "bank_reference"} <= set(t)
    assert bnp["balance_check"] == "not-available" and bnp["rejected_rows"] == []
    assert bnp["skipped_rows"][0]["row"] == 5


def test_cli_csv_one_row_per_transaction() -> None:
    res = CliRunner().invoke(command, [str(DATA / "ing_be_csv" / "ing_nl.csv"), "--format", "csv"])
    assert res.exit_code == 0
    lines = res.stdout.strip().splitlines()
    assert lines[0].startswith("file,format,id,booking_date")
    assert len(lines) == 3
    assert lines[1].startswith("ing_nl.csv,bank.ing_be_csv,") and ",-45.67," in lines[1]


def test_cli_unrecognised_file_exits_2_with_one_line(tmp_path: Path) -> None:
    junk = tmp_path / "notes.csv"
    junk.write_text("hello;world\n1;2\n")
    res = CliRunner().invoke(command, [str(junk)])
    assert res.exit_code == 2
    err = res.stderr.strip().splitlines()
    assert err[-1].startswith("error: notes.csv") and len([e for e in err if e.startswith("error")]) == 1


def test_cli_ambiguous_names_candidates_and_importer_forces(tmp_path: Path) -> None:
    path = tmp_path / "legacy.csv"
    path.write_bytes((DATA / "record_legacy_csv" / "record_nl.csv").read_bytes().replace(
        b"BE85 3634 5678 9006", b"BE86 1036 7890 1250"))
    res = CliRunner().invoke(command, [str(path)])
    assert res.exit_code == 2
    assert "bank.argenta_legacy_csv" in res.stderr and "bank.record_legacy_csv" in res.stderr
    res = CliRunner().invoke(command, [str(path), "--importer", "bank.record_legacy_csv"])
    assert res.exit_code == 0 and json.loads(res.stdout)[0]["format"] == "bank.record_legacy_csv"


def test_cli_works_for_other_bank_importers() -> None:
    others = [p for p in sorted(DATA.glob("*/*")) if p.parent.name in {"coda", "camt053", "mt940", "ofx"}
              and "broken" not in p.name and p.suffix not in {".py", ".json"}]
    assert {p.parent.name for p in others} == {"coda", "camt053", "mt940", "ofx"}
    res = CliRunner().invoke(command, [str(p) for p in others])
    assert res.exit_code == 0, res.stderr
    assert all(r["transactions"] for r in json.loads(res.stdout))


def test_cli_stores_into_a_case(tmp_path: Path) -> None:
    db = tmp_path / "cases.sqlite"
    store = Store.open(str(db))
    case = store.create_case("Sofa")
    args = [str(DATA / "kbc_csv" / "kbc_overlap_a.csv"), "--db", str(db), "--case", "Sofa"]
    res = CliRunner().invoke(command, args)
    assert res.exit_code == 0, res.stderr
    assert json.loads(res.stdout)[0]["stored"]["added"] == 3
    res = CliRunner().invoke(command, [str(DATA / "kbc_csv" / "kbc_overlap_b.csv"), "--db", str(db), "--case", "Sofa"])
    assert json.loads(res.stdout)[0]["stored"]["added"] == 2
    assert len(Store.open(str(db)).load_case(case.id).transactions) == 5
    res = CliRunner().invoke(command, [str(DATA / "kbc_csv" / "kbc_overlap_b.csv"), "--db", str(db), "--case", "Nope"])
    assert res.exit_code == 2


# --------------------------------------------------------------------------- Streamlit section


def _ui_script(path: str, db: str) -> None:
    import types

    from complaint import api
    from ui import import_bank

    case = api.open_case("UI", db=db)
    with open(path, "rb") as fh:
        data = fh.read()
    upload = types.SimpleNamespace(name=path.rsplit("/", 1)[-1], getvalue=lambda: data)
    import_bank.render(case)
    import_bank._one_file(case, upload)


@pytest.mark.parametrize("rel,expect", [("kbc_csv/kbc_nl_18col.csv", "success"), ("bnppf_csv/bnppf_v3_fr.csv", "info")])
def test_ui_section_shows_format_balance_and_preview(tmp_path: Path, rel: str, expect: str) -> None:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_ui_script, args=(str(DATA / rel), str(tmp_path / "c.sqlite")), default_timeout=30)
    at.run()
    assert not at.exception
    assert any("Detected format" in m.value for m in at.markdown)
    assert len(getattr(at, expect)) >= 1
    assert len(at.dataframe) >= 1
    at.button(key=[b.key for b in at.button if b.key.endswith("_store")][0]).click().run()
    assert not at.exception
    assert any("added" in s.value for s in at.success)


def test_ui_section_offers_mapping_for_unknown_files(tmp_path: Path) -> None:
    from streamlit.testing.v1 import AppTest

    junk = tmp_path / "odd.csv"
    junk.write_text("When;How much;Who\n01/03/2026;-4,50;ALIEXPRESS.COM\n", encoding="utf-8")
    at = AppTest.from_function(_ui_script, args=(str(junk), str(tmp_path / "c.sqlite")), default_timeout=30)
    at.run()
    assert not at.exception
    assert any("mapping" in i.value for i in at.info)
    assert len(at.selectbox) >= 3

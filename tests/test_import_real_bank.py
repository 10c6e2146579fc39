"""Statements as people have them (issue 18): bank CSVs by column roles, camt.053 in a ZIP, MT940 in
its SWIFT envelope, OFX without header, investment OFX and unsupported CODA refused in one line, and
no Python object in any error message."""

from __future__ import annotations

import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from importer_checks import accounted, summary

from complaint.errors import ComplaintError, ParseError
from complaint.importers.bank import roles
from complaint.importers.bank.camt053_zip import read_members
from complaint.importers.base import describe_error, detect, import_file, load_all
from complaint.importers.textio import Source

DATA = Path(__file__).parent / "data"
BANK = DATA / "bank"


def _src(path: Path) -> Source:
    return Source(path.name, path.read_bytes())


def test_camt053_zip_reads_every_member_and_keeps_a_repeated_movement_once():
    path = BANK / "camt053_zip" / "statements.zip"
    r = import_file(_src(path))
    assert r.importer == "bank.camt053_zip" and accounted(r)
    assert summary(r) == json.loads(path.with_name(path.name + ".expected.json").read_text(encoding="utf-8"))
    assert (r.rows_total, r.rows_imported, len(r.records)) == (10, 5, 6)
    dupes = [s for s in r.skipped if "already in" in s.message]
    assert len(dupes) == 3 and all("2026-01/statement_v02.xml" in str(s) for s in dupes)
    assert {t.provenance.source_name for t in r.records} == {"statements.zip/2026-01/statement_v02.xml",
                                                              "statements.zip/2026-02/statement_v04.xml"}
    assert r.balance_check.status == "ok"
    assert (r.statement.opening_balance, r.statement.closing_balance) == (Decimal("500.00"), Decimal("446.33"))
    assert any("notes.xml" in str(w) for w in r.warnings)


def test_zip_members_are_read_with_a_size_cap():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("big.xml", b"<a>" + b" " * 200_000 + b"</a>")
    with pytest.raises(ComplaintError, match="once unpacked, the limit is"):
        read_members(Source("bomb.zip", buf.getvalue()), max_bytes=100_000)
    with pytest.raises(ParseError, match="not a readable ZIP"):
        read_members(Source("bad.zip", b"PK\x03\x04garbage"))


def test_mt940_in_its_swift_envelope_and_with_preamble_lines():
    for name, lines in (("swift_envelope.sta", [6, 14]), ("preamble.sta", [8, 19])):
        r = import_file(_src(BANK / "mt940" / name))
        assert r.importer == "bank.mt940" and accounted(r)
        assert [t.provenance.line_no for t in r.records] == lines
        assert [t.amount for t in r.records] == [Decimal("-25.99"), Decimal("25.99")]
        assert r.balance_check.status == "ok" and r.statement.closing_balance == Decimal("500.00")


def test_ofx_without_header_with_empty_and_unclosed_elements():
    r = import_file(_src(BANK / "ofx" / "intuit_no_header.ofx"))
    assert r.importer == "bank.ofx" and accounted(r) and not r.warnings
    assert [(t.amount, t.counterparty, t.description) for t in r.records] == [
        (Decimal("-18.45"), "ALIEXPRESS.COM", None), (Decimal("18.45"), "ALIEXPRESS.COM", "Refund 8143533570294569"),
        (Decimal("-5.00"), None, "Coffee")]
    xml = (BANK / "ofx" / "statement_v2.ofx").read_bytes()
    no_pi = b'<?xml version="1.0"?>\n' + xml[xml.index(b"<OFX>"):]
    assert len(import_file(Source("no_pi.ofx", no_pi)).records) == len(import_file(_src(BANK / "ofx" /
                                                                                         "statement_v2.ofx")).records)


def test_investment_only_ofx_is_refused_in_one_line_naming_what_it_holds():
    with pytest.raises(ParseError) as err:
        import_file(_src(DATA / "real" / "investment_only.ofx"))
    text = str(err.value)
    assert "investment statement" in text and "1 investment transactions, 1 positions" in text and "\n" not in text


def test_coda_of_an_unsupported_version_is_refused_naming_it():
    data = (BANK / "coda" / "statement.cod").read_bytes().split(b"\n")
    data[0] = data[0][:127] + b"3" + data[0][128:]
    for columnar in (False, True):
        with pytest.raises(ParseError, match="CODA version 3 is not supported"):
            load_all()["bank.coda"].extract(Source("v3.cod", b"\n".join(data)), columnar=columnar)


GARBAGE = [b"OFXHEADER:100\nDATA:OFXSGML\n\n<OFX><FOO>", b"<OFX><BAR>", b"{1:F01X}{4:\n:20:X\n:25:Y\n:61:Z\n-}",
           b"PK\x03\x04\x14\x00\x00\x00", b'<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:'
           b'camt.053.001.02"><x', b"0" * 127 + b"2\n1" + b"x" * 127]


@pytest.mark.parametrize("data", GARBAGE)
def test_no_error_shows_a_python_object(data):
    for imp in load_all().values():
        try:
            imp.extract(Source("broken.bin", data))
        except ComplaintError as exc:
            assert " object at 0x" not in str(exc), (imp.name, str(exc))
        except Exception as exc:  # noqa: BLE001 - what import_file would turn into a ParseError
            assert " object at 0x" not in describe_error(exc), (imp.name, str(exc))


def test_describe_error_hides_object_reprs():
    exc = ValueError("Invalid OFX header - <_io.BytesIO object at 0x7f3d8f1928d0>")
    assert describe_error(exc) == "Invalid OFX header - the file"
    assert describe_error(ValueError()) == "ValueError"


def test_header_roles_in_four_languages():
    assert roles.role_order(["Date", "Montant", "Solde apres operation", "Devise", "Contrepartie",
                             "Compte contrepartie", "Type d'operation", "Communication", "Compte donneur d'ordre"]) == (
        "booking_date", "amount", "balance", "currency", "counterparty", "counterparty_account", "kind",
        "communication", "account")
    assert roles.role_of("Saldo na de verrichting") == "balance"
    assert roles.role_of("Buchungsdatum") == "booking_date"
    assert roles.role_of("Money out") == "debit"
    assert roles.role_of("Datum valuta") == "value_date"
    assert roles.role_of("Something else") is None


def test_crelan_new_wordings_by_roles_and_fingerprint():
    head = ("Datum;Bedrag;Saldo na de verrichting;Munt;Naam van de tegenpartij;IBAN tegenpartij;Soort verrichting;"
            "Vrije mededeling;Rekening opdrachtgever\n")
    crelan = head + "04/03/2026;-18,45;981,55;EUR;ALIEXPRESS.COM;;Kaart;Order 1;BE86 1036 7890 1250\n"
    imp, conf = detect(Source("c.csv", crelan.encode()))
    assert imp.name == "bank.crelan_csv" and conf == pytest.approx(0.8)
    # the same layout with a KBC own account is not claimed as Crelan
    kbc = head + "04/03/2026;-18,45;981,55;EUR;ALIEXPRESS.COM;;Kaart;Order 1;BE68 7340 1234 5678\n"
    assert all(i.name != "bank.crelan_csv" for i, _c in
               __import__("complaint.importers.base", fromlist=["candidates"]).candidates(Source("k.csv", kbc.encode())))


def test_crelan_french_layout_with_balance():
    r = import_file(_src(BANK / "crelan_csv" / "crelan_fr_balance.csv"))
    assert r.importer == "bank.crelan_csv" and accounted(r)
    assert [t.amount for t in r.records] == [Decimal("-18.45"), Decimal("18.45")]
    assert r.balance_check.status == "ok"
    assert (r.statement.opening_balance, r.statement.closing_balance) == (Decimal("1000.00"), Decimal("1000.00"))


def test_triodos_comma_decimals_dd_mm_yyyy_latin1_and_a_bad_row():
    r = import_file(_src(DATA / "real" / "triodos_messy.csv"))
    assert r.importer == "bank.triodos_csv" and accounted(r)
    assert (r.rows_total, r.rows_imported, len(r.rejected)) == (4, 3, 1)
    assert r.rejected[0].line == 4 and r.rejected[0].field == "Amount"
    assert [str(t.booking_date) for t in r.records] == ["2026-03-02", "2026-03-09", "2026-03-11"]
    assert r.records[-1].amount == Decimal("-1000.00") and r.records[-1].communication == "+++090/9337/55493+++"
    assert r.balance_check.status == "ok"


@pytest.mark.parametrize("name,rows,imported", [("statement_es.csv", 4, 3), ("activity_de.csv", 3, 2),
                                                 ("activity_it.csv", 2, 2), ("activity_pl.csv", 2, 1),
                                                 ("statement_pt.csv", 1, 1)])
def test_paypal_in_other_languages_by_column_roles(name, rows, imported):
    r = import_file(_src(BANK / "paypal_csv" / name))
    assert r.importer == "bank.paypal_csv" and accounted(r)
    assert (r.rows_total, r.rows_imported) == (rows, imported)
    assert r.records[0].merchant == "aliexpress"
    refunds = [t for t in r.records if t.amount > 0 and t.related_id]
    if name in ("statement_es.csv", "activity_it.csv"):
        assert refunds and refunds[-1].related_id == r.records[0].id


def test_mt940_with_an_unreadable_available_balance_keeps_its_movements():
    text = (":20:STMT\n:25:BE68539007547034\n:28C:1/1\n:60F:C260105EUR100,00\n"
            ":61:2601060106D25,99NTRFNONREF//REF1\n:86:/NAME/ALIEXPRESS.COM/REMI/USTD//Order 8123456789012345/\n"
            ":62F:C260106EUR74,01\n:65F:Dnonsense12,3\n-\n")
    r = import_file(Source("odd.sta", text.encode()))
    assert accounted(r) and [t.amount for t in r.records] == [Decimal("-25.99")]
    assert r.balance_check.status == "ok"
    assert [w.field for w in r.warnings] == [":65:"]


def test_paypal_in_a_language_no_table_knows_is_read_from_its_values():
    head = ('"Datum","Čas","Časové pásmo","Jméno","Typ","Stav","Měna","Hrubá částka","Poplatek","Čistá částka",'
            '"ID transakce","Související ID transakce","Zůstatek"\n')
    rows = ['"03.08.2025","10:00:00","CEST","AliExpress","Platba","Dokončeno","EUR","-25,99","0,00","-25,99",'
            '"1CZ23456CD7890123","","-25,99"',
            '"05.08.2025","10:00:00","CEST","Obchod","Platba","Dokončeno","EUR","10,00","-0,59","9,41",'
            '"2CZ34567DE8901234","","-16,58"',
            '"20.08.2025","09:00:00","CEST","AliExpress","Vrácení","Dokončeno","EUR","25,99","0,00","25,99",'
            '"3CZ45678EF9012345","1CZ23456CD7890123","9,41"']
    src = Source("cz.csv", (head + "\n".join(rows) + "\n").encode())
    imp, conf = detect(src)
    assert (imp.name, conf) == ("bank.paypal_csv", 0.6)
    r = import_file(src)
    assert accounted(r) and r.rows_imported == 3 and len(r.warnings) == 1
    pay, _other, refund = r.records
    assert (pay.amount, pay.merchant, pay.counterparty, pay.description) == (
        Decimal("-25.99"), "aliexpress", "AliExpress", "Platba")
    assert refund.related_id == pay.id and str(refund.booking_date) == "2025-08-20"
    # a bank CSV is never taken for PayPal by its values
    assert all(i.name != "bank.paypal_csv" for i, _c in
               __import__("complaint.importers.base", fromlist=["candidates"]).candidates(
                   _src(BANK / "triodos_csv" / "triodos.csv")))


def test_the_fingerprint_reads_the_own_account_never_a_counterparty():
    head = ("Datum;Bedrag;Saldo na de verrichting;Munt;Naam van de tegenpartij;IBAN tegenpartij;Soort verrichting;"
            "Vrije mededeling;Rekening opdrachtgever\n")
    row = "04/03/2026;-18,45;981,55;EUR;Winkel;{cp};Overschrijving;Order 1;{own}\n"
    crelan_paying_kbc = head + row.format(cp="BE68 7340 1234 5678", own="BE86 1036 7890 1250")
    imp, _conf = detect(Source("c.csv", crelan_paying_kbc.encode()))
    assert imp.name == "bank.crelan_csv"
    kbc_paying_crelan = head + row.format(cp="BE86 1036 7890 1250", own="BE68 7340 1234 5678")
    assert all(i.name != "bank.crelan_csv" for i, _c in
               __import__("complaint.importers.base", fromlist=["candidates"]).candidates(
                   Source("k.csv", kbc_paying_crelan.encode())))


def test_a_workbook_without_sheets_is_a_clear_error():
    from complaint.importers.xlsx import read_sheet

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                    'content-types"><Override PartName="/xl/workbook.xml" ContentType="application/'
                    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>')
        zf.writestr("_rels/.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                    'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        zf.writestr("xl/workbook.xml", '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                    '2006/main"><sheets/></workbook>')
    with pytest.raises(ComplaintError):
        read_sheet(Source("empty.xlsx", buf.getvalue()))

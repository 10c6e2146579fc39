"""The columnar import path gives the record path's result, field for field.

Every golden file under tests/data and every sample file is read both ways (``columnar=False``: the
record path; ``columnar=True``: columns, whatever the size) and the two results are compared in
full: every record, every rejected, skipped and remarked row (file, row, field, value, reason),
the statement and its balance proof, the row accounting.  Hand-made files cover what the golden
files are too clean for (bad cells, blank lines, quoted newlines, CR endings, card numbers, wrong
check digits, invalid IBANs, identical rows, refused rows), and hypothesis mutates a statement.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from complaint.importers.bank import text as banktext
from complaint.importers.base import detect, load_all
from complaint.importers.columnar.tables import LazyRecords
from complaint.importers.textio import Source, as_source
from complaint.serialize import to_dict

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
GOLDEN = sorted(p for p in DATA.rglob("*") if p.with_name(p.name + ".expected.json").exists())
SAMPLES = sorted(p for p in (ROOT / "sample_data").rglob("*") if p.parent.name in ("bank", "orders") and p.is_file())
EXTRA = sorted(p for p in (DATA / "bank" / "kbc_csv").glob("kbc_overlap_*.csv"))


def _columnar(importer) -> bool:
    return "columnar" in importer.extract.__code__.co_varnames


def _full(r) -> dict:
    return {"importer": r.importer, "kind": r.kind, "file": r.file, "sha256": r.sha256, "rows_total": r.rows_total,
            "rows_imported": r.rows_imported, "rejected": [to_dict(i) for i in r.rejected],
            "warnings": [to_dict(i) for i in r.warnings], "skipped": [to_dict(i) for i in r.skipped],
            "balance_check": to_dict(r.balance_check), "statement": to_dict(r.statement),
            "records": [to_dict(t) for t in r.records]}


def _both(importer, source: Source) -> tuple[dict, dict, object]:
    record = importer.extract(source, columnar=False)
    columns = importer.extract(source, columnar=True)
    return _full(record), _full(columns), columns


def _same_or_same_error(importer, source: Source) -> None:
    """Both paths give the same result, or both refuse the file with the same message."""
    from complaint.errors import ComplaintError

    try:
        record = _full(importer.extract(source, columnar=False))
    except ComplaintError as exc:
        with pytest.raises(ComplaintError) as also:
            importer.extract(source, columnar=True)
        assert str(also.value) == str(exc)
        return
    assert _full(importer.extract(source, columnar=True)) == record


def _same(importer, source: Source) -> object:
    a, b, columns = _both(importer, source)
    for key in a:
        assert a[key] == b[key], key
    assert b["rows_total"] == b["rows_imported"] + len(b["rejected"]) + len(b["skipped"])
    return columns


@pytest.mark.parametrize("path", GOLDEN + SAMPLES + EXTRA, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_golden_and_sample_file_reads_the_same_both_ways(path: Path) -> None:
    source = as_source(path)
    importer, _conf = detect(source)
    if not _columnar(importer):
        pytest.skip(f"{importer.name} keeps the record path")
    columns = _same(importer, source)
    if importer.reads_columns() if hasattr(importer, "reads_columns") else True:
        assert isinstance(columns.records, LazyRecords), "a columnar reader declined a golden file"


def test_the_golden_files_cover_every_columnar_importer() -> None:
    covered = {detect(as_source(p))[0].name for p in GOLDEN + SAMPLES}
    columnar = {name for name, imp in load_all().items() if _columnar(imp) and getattr(imp, "automatic", True)}
    assert columnar <= covered


# -- hand-made files ------------------------------------------------------------------------------

KBC_HEAD = ("Rekeningnummer;Rubrieknaam;Naam;Munt;Afschriftnummer;Datum;Omschrijving;Valuta;Bedrag;Saldo;credit;debet;"
            "rekeningnummer tegenpartij;BIC tegenpartij;Naam tegenpartij;Adres tegenpartij;"
            "gestructureerde mededeling;Vrije mededeling")


def _kbc(rows: list[str], ending: str = "\n") -> Source:
    return Source("messy_kbc.csv", (KBC_HEAD + ending + ending.join(rows) + ending).encode("cp1252"))


def _importer(name: str):
    return load_all()[name]


MESSY_KBC = [
    "BE68 5390 0754 7034; ;X;EUR;  1;02/01/2026;BETALING VIA BANCONTACT DELHAIZE;02/01/2026;-12,50;100,00;;;;;;;;",
    "BE68 5390 0754 7034; ;X;EUR;  1;02/01/2026;BETALING VIA BANCONTACT DELHAIZE;02/01/2026;-12,50;87,50;;;;;;;;",
    "BE68 5390 0754 7034; ;X;EUR;  1;31/02/2026;BAD DATE;02/01/2026;-1,00;86,50;;;;;;;;",
    "BE68 5390 0754 7034; ;X;EUR;  1;;EMPTY DATE;02/01/2026;-1,00;86,50;;;;;;;;",
    "BE68 5390 0754 7034; ;X;EUR;  1;03/01/2026;BAD AMOUNT;03/01/2026;-1,0O;86,50;;;;;;;;",
    "BE68 5390 0754 7034; ;X;EUR;  1;03/01/2026;EMPTY AMOUNT;03/01/2026;;86,50;;;;;;;;",
    ";;;;;;;;;;;;;;;;;",
    "BE68 5390 0754 7034; ;X;usd;  1;04/01/2026;ALI*ALIEXPRESS.COM  4871 04XX XXXX 1711 LU;04/01/2026;-25,5;62,00;;;;;;;;",
    "BE68 5390 0754 7034; ;X;EU;  1;04/01/2026;\"QUOTED\nNEWLINE ALIEXPRESS.COM\";04/01/2026;+1.234,56;1296,56;;;;;;;;",
    "BE68 5390 0754 7034; ;X;EUR;  1;05/01/2026;TERUGBETALING ALIEXPRESS.COM;05/01/2026;9,99;1306,55;;;"
    "BE71 0961 2345 6769;;JANSSENS\tAN;;***190/5063/21290***;factuur 12",
    "BE68 5390 0754 7034; ;X;EUR;  1;05/01/2026;OVERSCHRIJVING;05/01/2026;-5,00;1301,55;;;"
    "BE00 1234 5678 9012;;PEETERS\u00a0LUC;;***190/5063/21291***;",
    "BE68 5390 0754 7034; ;X;EUR;  1;06/01/2026;PAYPAL *ALIEXPRESS 4871 0400 0000 1711;06/01/2026;-0,00;1301,55;;;;;;;"
    "+++100/3037/14108+++ and more",
    "BE68 5390 0754 7034; ;X;EUR;  1;06/01/2026;DOMICILIERING PROXIMUS   EXTRA   SPACES ;06/01/2026;-45,123;1256,427;;;"
    ";;;;;",
]


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"])
def test_a_messy_kbc_statement_reads_the_same(ending: str) -> None:
    columns = _same(_importer("bank.kbc_csv"), _kbc(MESSY_KBC, ending))
    assert columns.rejected and columns.warnings  # the file does exercise both


def test_blank_lines_and_identical_rows_keep_their_lines_and_ids() -> None:
    rows = [MESSY_KBC[0], "", MESSY_KBC[0], "   ", MESSY_KBC[1], ""]
    columns = _same(_importer("bank.kbc_csv"), _kbc(rows))
    ids = [t.id for t in columns.records]
    assert len(ids) == len(set(ids)) == 3  # two identical rows keep distinct ids (their rank)


def test_a_row_with_another_number_of_cells_takes_the_record_path() -> None:
    imp = _importer("bank.kbc_csv")
    source = _kbc([MESSY_KBC[0], MESSY_KBC[1] + ";extra"])
    result = imp.extract(source, columnar=True)
    assert not isinstance(result.records, LazyRecords)
    assert _full(result) == _full(imp.extract(source, columnar=False))


def test_bnppf_refused_and_unbooked_rows_and_mixed_decimals_read_the_same() -> None:
    head = ("Nº de séquence;Date d'exécution;Date valeur;Montant;Devise du compte;Numéro de compte;"
            "Type de transaction;Contrepartie;Nom de la contrepartie;Communication;Détails;Statut;Motif du refus")
    rows = ["2026-0001;02/01/2026;02/01/2026;-12.50;EUR;BE68539007547034;Paiement;;ALIEXPRESS;;ALIEXPRESS.COM;"
            "Accepté;",
            "2017-;03/01/2026;03/01/2026;-2.720,12;EUR;BE68539007547034;Virement;BE71096123456769;X;;+++090/9337/"
            "55493+++;Accepté;",
            "2026-0003;04/01/2026;04/01/2026;-3,00;EUR;BE68539007547034;Paiement;;Y;;TEXT;Refusé;Solde insuffisant",
            "2026-0001;05/01/2026;05/01/2026;1,00;EUR;BE68539007547034;Remboursement;;ALIEXPRESS;;REFUND;Accepté;"]
    data = (head + "\n" + "\n".join(rows) + "\n").encode("utf-8")
    columns = _same(_importer("bank.bnppf_csv"), Source("bnppf.csv", data))
    assert columns.skipped


def test_belfius_preamble_and_kbc_card_hooks_read_the_same() -> None:
    for path in (DATA / "bank" / "belfius_csv" / "belfius_nl.csv", DATA / "bank" / "kbc_creditcard_csv" /
                 "kbc_cc_nl.csv"):
        source = as_source(path)
        _same(detect(source)[0], source)


def test_multi_line_transactions_keep_the_record_path() -> None:
    visa = _importer("bank.bnppf_visa_csv")
    assert not visa.reads_columns()
    assert _importer("bank.kbc_csv").reads_columns()


SHOPPER_HEAD = ("Order Date,Order ID,Title,Qty,Price,Store,Product ID,SKU ID,Attributes,Price Info,Currency,Status,"
                "Product Url,Product Image Url,Store Url,Tags")
MESSY_ORDERS = [
    '2026-02-20,3069099405659913,"A",1,"US $120.95",S,1,2,,"US $120.95|120|95",USD,Completed,,,u,""',
    '2026-02-20,3069099405659913,"A",2,"€12,34",S,1,2,,,EUR,Cancelled,,,,""',  # same key, other currency, status
    '2026-02-20,3069099405659913,"A",1,"",S,,,,"€8,50|8|50",,Completed,,,,""',
    '2026-02-21,,"No id",1,"€1,00",S,1,2,,,EUR,Completed,,,,""',
    '2026-02-21,3.06909940565991E+15,"Excel id",1,"€1,00",S,1,2,,,EUR,Completed,,,,""',
    'not a date,3070000000039913,"Bad date",1,"€1,00",S,1,2,,,EUR,Completed,,,,""',
    '2026-02-22,3070000000049913,"Bad qty",x,"€1,00",S,1,2,,,EUR,Completed,,,,""',
    '2026-02-22,3070000000059913,"Bad price",1,"€1,0O",S,1,2,,,EUR,Completed,,,,""',
    "2026-02-23,'3070000000069913,\"Apostrophe id\",3,\"129,46zł\",S,,,,,PLN,Expired,,,,\"\"",
    '2026-02-23,3070000000079913,"Shown USD, column EUR",1,"US $5.00",S,7,8,,,EUR,Awaiting delivery,,,,""',
    '',
    '2026-02-24,3070000000089913,"Title only",1,"€2,00",,,,,,EUR,Completed,,,,""',
    '2026-02-24,3070000000089913,"Title only",1,"€3,00",Store2,,,,,EUR,Completed,,,,""',
]


def test_messy_shopper_inventory_orders_read_the_same() -> None:
    data = (SHOPPER_HEAD + "\n" + "\n".join(MESSY_ORDERS) + "\n").encode("utf-8")
    columns = _same(_importer("orders.shopper_inventory_csv"), Source("orders.csv", data))
    assert columns.rejected and columns.warnings


# -- a statement mutated at random ------------------------------------------------------------------

def _golden_kbc() -> list[str]:
    text = (DATA / "bank" / "kbc_csv" / "kbc_nl_18col.csv").read_bytes().decode("cp1252")
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


JUNK = ["", " ", "x", "-", "0", "31/02/2026", "12,3O", "1.234,56", "+5", "***123/4567/89012***", "€",
        "4871 04XX XXXX 1711", "ALIEXPRESS.COM", "paypal", "\u00a0", "\t", "BE00 0000 0000 0000", "-0,00"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False))
def test_a_mutated_statement_reads_the_same_both_ways(rnd: random.Random) -> None:
    lines = _golden_kbc()
    header, rows = lines[0], [ln for ln in lines[1:] if ln]
    for _ in range(rnd.randint(1, 6)):
        i = rnd.randrange(len(rows))
        cells = rows[i].split(";")
        cells[rnd.randrange(len(cells))] = rnd.choice(JUNK)
        rows[i] = ";".join(cells)
    if rnd.random() < 0.3:
        rows.append(rows[rnd.randrange(len(rows))])  # an identical row
    source = Source("mutated.csv", ("\n".join([header, *rows]) + "\n").encode("cp1252", "replace"))
    _same_or_same_error(_importer("bank.kbc_csv"), source)


# -- the bulk prefilters cover the patterns ---------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["visa", "VISA", "debit", "kaart 1234", "carte 5678", "overschrijving",
                                 "domiciliering", "bancontact", "x", " ", "İ", "maestro", "vpay", "v pay",
                                 "american express", "ecommerce carte", "terminal", "ALİPAY", "amex",
                                 "mastercard debit", "credit card", "instant payment"]), max_size=6))
def test_each_payment_method_pattern_needs_its_words(parts: list[str]) -> None:
    import pyarrow as pa

    from complaint.importers.columnar.cells import ci_words, matches

    text = " ".join(parts)
    for method, pattern, words in banktext.method_patterns():
        if pattern.search(text):
            assert matches(pa.array([text]), ci_words(*words))[0], (method, text)


ORDER_JUNK = ["", " ", "x", "0", "2", "-1", "2026-02-31", "31/12/2025", "€1,00", "US $1,382.11", "129,46zł",
              "€12,3O", "3069099405659913", "3.06909940565991E+15", "Order ID: 3069099405659913", "USD", "eur",
              "Cancelled", "Awaiting delivery", "Refund in progress", "1|2|3", "€8,50|8|50"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False))
def test_a_mutated_order_export_reads_the_same_both_ways(rnd: random.Random) -> None:
    lines = (DATA / "orders" / "shopper_inventory_csv" / "mixed_currencies.csv").read_text(encoding="utf-8")
    import csv
    import io

    rows = [r for r in csv.reader(io.StringIO(lines)) if r]
    header, body = rows[0], rows[1:]
    for _ in range(rnd.randint(1, 8)):
        row = body[rnd.randrange(len(body))]
        row[rnd.randrange(len(row))] = rnd.choice(ORDER_JUNK)
    if rnd.random() < 0.4:
        body.append(list(body[rnd.randrange(len(body))]))  # a line of an order seen before
    out = io.StringIO()
    csv.writer(out).writerows([header, *body])
    _same_or_same_error(_importer("orders.shopper_inventory_csv"),
                        Source("mutated_orders.csv", out.getvalue().encode("utf-8")))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False))
def test_a_mutated_coda_file_reads_the_same_both_ways(rnd: random.Random) -> None:
    """A well-formed file is read in columns; any other goes to the record parser: same result."""
    lines = [ln for ln in (DATA / "bank" / "coda" / "statement.cod").read_bytes().decode("cp1252")
             .replace("\r\n", "\n").split("\n") if ln]
    for _ in range(rnd.randint(1, 4)):
        i = rnd.randrange(len(lines))
        op = rnd.random()
        if op < 0.6 and lines[i]:
            pos = rnd.randrange(len(lines[i]))
            lines[i] = lines[i][:pos] + rnd.choice("0123456789 AZ*+/") + lines[i][pos + 1:]
        elif op < 0.75:
            lines.insert(i, lines[i])
        elif op < 0.85:
            del lines[i]
        else:
            lines.insert(i, "")
    _same_or_same_error(_importer("bank.coda"), Source("mutated.cod", ("\n".join(lines) + "\n").encode("cp1252")))

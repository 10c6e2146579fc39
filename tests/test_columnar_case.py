"""A large import kept as columns: in a case, in a store, through the reconciliation and the reports.

The store functions take a store, so tests/security/test_server_store.py runs them on PostgreSQL
too.  "Columnar" below means read with ``columnar=True`` (any file can be), "records" the record
path; a case built either way must show, store, export and reconcile the same.
"""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from complaint import api
from complaint.case import CaseData
from complaint.importers.base import load_all
from complaint.importers.columnar import readcsv
from complaint.importers.textio import as_source
from complaint.records import Order
from complaint.serialize import to_jsonable
from complaint.store import migrations

DATA = Path(__file__).resolve().parent / "data"
KBC_A, KBC_B = DATA / "bank" / "kbc_csv" / "kbc_overlap_a.csv", DATA / "bank" / "kbc_csv" / "kbc_overlap_b.csv"
ORDERS = DATA / "orders" / "shopper_inventory_csv" / "mixed_currencies.csv"
AS_OF = date(2026, 11, 20)


def _read(path: Path, columnar: bool):
    source = as_source(path)
    imp = load_all()["bank.kbc_csv" if "kbc" in path.name else "orders.shopper_inventory_csv"]
    return imp.extract(source, columnar=columnar)


def _changed_orders(tmp_path: Path) -> Path:
    """The order file again, one order's status changed and one order added (a later export)."""
    text = ORDERS.read_text(encoding="utf-8").replace("Awaiting delivery", "Completed")
    text += '"2026-03-01",3070000000099913,"New",1,"€4,00","Home Store","9","9","","",EUR,Completed,,,,""\n'
    path = tmp_path / "orders_later.csv"
    path.write_text(text, encoding="utf-8")
    return path


# -- the store (SQLite here, PostgreSQL in tests/security) -----------------------------------------

def test_a_large_import_is_one_block_and_reads_back_as_the_records(case_store) -> None:
    cid = case_store.create_case("Block").id
    result = _read(KBC_A, columnar=True)
    summary = case_store.add_import(cid, result)
    assert (summary.added, summary.unchanged) == (len(result.records), 0)
    assert case_store._rows("SELECT kind FROM record_blocks WHERE case_id = ?", (cid,)) == [("transactions",)]
    assert case_store._rows("SELECT COUNT(*) FROM transactions WHERE case_id = ?", (cid,))[0][0] == 0
    data = case_store.load_case(cid)
    assert data.has_columns() and data.counts() == (0, len(result.records))
    expected = sorted(_read(KBC_A, columnar=False).records, key=lambda t: (t.booking_date, t.id))
    assert data.transactions == expected
    assert case_store.raw_table(cid, "transactions") == [json.loads(json.dumps(to_jsonable(t))) for t in
                                                         _read(KBC_A, columnar=False).records]
    assert case_store.has_records(cid)
    assert case_store.add_import(cid, result).already_imported


def test_overlapping_large_imports_add_only_the_new_rows(case_store) -> None:
    blocks = case_store.create_case("Blocks").id
    records = case_store.create_case("Records").id
    for path in (KBC_A, KBC_B):
        a = case_store.add_import(blocks, _read(path, columnar=True))
        b = case_store.add_import(records, _read(path, columnar=False))
        assert (a.added, a.unchanged) == (b.added, b.unchanged)
    assert case_store.load_case(blocks).transactions == case_store.load_case(records).transactions


def test_a_later_order_export_merges_into_orders_kept_in_a_block(case_store, tmp_path) -> None:
    later = _changed_orders(tmp_path)
    blocks = case_store.create_case("Orders in blocks").id
    records = case_store.create_case("Orders as records").id
    for path in (ORDERS, later):
        a = case_store.add_import(blocks, _read(path, columnar=True))
        b = case_store.add_import(records, _read(path, columnar=False))
        assert (a.added, a.updated, a.unchanged) == (b.added, b.updated, b.unchanged)
        assert [e.kind for e in a.events] == [e.kind for e in b.events]
    got, want = case_store.load_case(blocks), case_store.load_case(records)
    assert sorted(got.orders, key=lambda o: o.order_id) == sorted(want.orders, key=lambda o: o.order_id)
    assert [e.kind for e in got.events] == [e.kind for e in want.events] and got.events


def test_a_case_with_blocks_exports_imports_and_deletes_an_order(case_store) -> None:
    cid = case_store.create_case("Export").id
    case_store.add_import(cid, _read(ORDERS, columnar=True))
    case_store.add_import(cid, _read(KBC_A, columnar=True))
    before = case_store.load_case(cid)
    copy = case_store.import_case(case_store.export_case(cid)).id
    after = case_store.load_case(copy)
    assert (after.orders, after.transactions) == (before.orders, before.transactions)
    gone = before.orders[0].order_id
    case_store.write(cid, delete=[(Order, gone)])
    assert gone not in {o.order_id for o in case_store.load_case(cid).orders}
    assert len(case_store.load_case(cid).orders) == len(before.orders) - 1


def test_the_store_schema_has_the_blocks_table() -> None:
    number, _name, sql = next(m for m in migrations.MIGRATIONS if m[0] == 5)
    assert number == 5 and "CREATE TABLE record_blocks" in sql


# -- the reconciliation of a case held in columns ------------------------------------------------

def _sample_case(store, columnar: bool, monkeypatch) -> api.CaseHandle:
    monkeypatch.setattr(readcsv, "COLUMNAR_MIN_ROWS", 1 if columnar else 10**9)
    case = api.open_case("Sample files", db=store, as_of=AS_OF)
    files = api.sample_files()
    for path in files["orders"]:
        api.import_orders(case, path)
    for path in files["bank"]:
        api.import_statements(case, path)
    return case


def _without_promise_ids(doc):
    """The report with the promises' ids left out (each case gave its promise an id of its own)."""
    if isinstance(doc, dict):
        return {k: (None if k == "promise_id" else _without_promise_ids(v)) for k, v in doc.items()}
    if isinstance(doc, list):
        return [_without_promise_ids(v) for v in doc]
    return doc


def test_a_stored_case_of_columns_reconciles_to_the_same_report(monkeypatch) -> None:
    by_columns = _sample_case(api.open_store(), True, monkeypatch)
    by_records = _sample_case(api.open_store(), False, monkeypatch)
    assert by_columns.data().has_columns() and not by_records.data().has_columns()
    first = api.reconcile(by_records, AS_OF)
    assert first.matches  # the sample case does match
    m = first.matches[0]
    for case in (by_columns, by_records):  # the user's word and a promise, on both
        api.confirm_match(case, m.order_ids, m.txn_ids, kind=m.kind)
        api.record_promise(case, first.expected_refunds[0].order_id, "5.00", "EUR", date(2026, 3, 1))
    a, b = (_without_promise_ids(api.reconcile(case, AS_OF).to_json()) for case in (by_columns, by_records))
    assert a == b
    assert ([t.id for t in api.find_transactions(by_columns, "ali")] ==
            [t.id for t in api.find_transactions(by_records, "ali")])
    assert [o.order_id for o in api.find_orders(by_columns, "30")] == [o.order_id for o in api.find_orders(by_records,
                                                                                                             "30")]


def test_files_read_into_columns_reconcile_to_the_same_report_and_stay_columns(monkeypatch) -> None:
    files = api.sample_files()
    monkeypatch.setattr(readcsv, "COLUMNAR_MIN_ROWS", 1)
    cols = api.case_from_files(orders=files["orders"], bank=files["bank"], as_of=AS_OF)
    monkeypatch.setattr(readcsv, "COLUMNAR_MIN_ROWS", 10**9)
    recs = api.case_from_files(orders=files["orders"], bank=files["bank"], as_of=AS_OF)
    assert cols.counts() == recs.counts()
    report = api.reconcile(cols, AS_OF)
    assert cols.has_columns()  # the reconciliation built records only for what it reports
    assert report.to_json() == api.reconcile(recs, AS_OF).to_json()
    assert cols.transactions == recs.transactions and cols.orders == recs.orders
    assert not cols.has_columns()


def test_case_data_merges_parts_in_order_and_counts_without_records(monkeypatch) -> None:
    case = CaseData()
    case.add_result(_read(KBC_A, columnar=True))
    case.add_result(_read(KBC_B, columnar=False))  # records after columns: kept as a part, merged in order
    case.add_result(_read(ORDERS, columnar=True))
    n_orders, n_txns = case.counts()
    assert case.has_columns()
    reference = CaseData()
    for path in (KBC_A, KBC_B, ORDERS):
        reference.add_result(_read(path, columnar=False))
    assert (n_orders, n_txns) == (len(reference.orders), len(reference.transactions))
    assert case.transactions == reference.transactions and case.orders == reference.orders
    assert case == reference


# -- reports written as they are built ---------------------------------------------------------------

def test_the_streamed_report_is_the_json_report() -> None:
    rec = api.reconcile(api.open_sample())
    buf = io.StringIO()
    api.write_report(rec, buf, "json")
    assert json.loads(buf.getvalue()) == json.loads(json.dumps(to_jsonable(rec.to_json())))
    csv_buf = io.StringIO()
    api.write_report(rec, csv_buf, "csv")
    assert len(csv_buf.getvalue().splitlines()) == len(rec.missing_credits) + 1


def test_a_large_report_streams_in_batches(monkeypatch) -> None:
    items = iter([{"n": i, "amount": Decimal("1.50")} for i in range(1234)])
    buf = io.StringIO()
    api.write_json([("as_of", "2026-01-01"), ("rows", items), ("empty", iter([]))], buf)
    doc = json.loads(buf.getvalue())
    assert [r["n"] for r in doc["rows"]] == list(range(1234)) and doc["rows"][0]["amount"] == "1.50"
    assert doc["empty"] == []


def test_import_bank_streams_its_json_and_says_a_summary(tmp_path) -> None:
    from click.testing import CliRunner

    from complaint.cli import cli

    out = CliRunner().invoke(cli, ["import-bank", str(KBC_A), "--format", "json"])
    assert out.exit_code == 0, out.stderr
    doc = json.loads(out.stdout)
    assert len(doc[0]["transactions"]) == doc[0]["rows_imported"]
    db = str(tmp_path / "c.sqlite")
    out = CliRunner().invoke(cli, ["import-bank", str(KBC_A), "--db", db, "--case", "C", "--format", "summary"])
    assert out.exit_code == 2  # import-bank stores into an existing case only
    out = CliRunner().invoke(cli, ["import-orders", str(ORDERS), "--db", db, "--case", "C", "--format", "summary"])
    assert out.exit_code == 0 and len(out.stdout.splitlines()) == 1
    out = CliRunner().invoke(cli, ["import-bank", str(KBC_A), "--db", db, "--case", "C", "--format", "summary"])
    assert out.exit_code == 0 and len(out.stdout.splitlines()) == 1 and "stored" in out.stdout


# -- progress -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("columnar", [True, False])
def test_reading_a_file_reports_rows_read_up_to_the_total(monkeypatch, columnar) -> None:
    monkeypatch.setattr(readcsv, "COLUMNAR_MIN_ROWS", 1 if columnar else 10**9)
    seen: list[tuple[int, int, str]] = []
    report = api.read_file(KBC_A, "bank", progress=lambda done, total, name: seen.append((done, total, name)))
    assert seen[0][0] == 0 and seen[-1][:2] == (report.rows_total, report.rows_total)
    assert [d for d, _t, _n in seen] == sorted(d for d, _t, _n in seen)
    assert {n for _d, _t, n in seen} == {KBC_A.name}


def test_the_cli_draws_progress_only_on_a_terminal() -> None:
    from click.testing import CliRunner

    from complaint.cli import cli

    out = CliRunner().invoke(cli, ["reconcile", "--orders", str(ORDERS), "--bank", str(KBC_A), "--format", "json"])
    assert out.exit_code == 0
    assert "rows" not in out.stderr and "%" not in out.stderr  # not a terminal: no bar

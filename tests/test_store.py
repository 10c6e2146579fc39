"""The SQLite case store: round trips, migrations, idempotent imports, case files."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from complaint.errors import CaseNotFound, ComplaintError, StoreError
from complaint.records import (
    BalanceCheck,
    BankTxn,
    BuyerProfile,
    Decision,
    Event,
    Evidence,
    ImportResult,
    MappingProfile,
    Order,
    OrderAnnotation,
    OrderLine,
    OrderStatus,
    Provenance,
    RefundPromise,
    StatementInfo,
    issue,
    match_key,
)
from complaint.store import migrations
from complaint.store.db import Store

PROV = Provenance("orders.csv", "ab" * 32, "orders.test", line_no=3, locator="row 2")
CET = timezone(timedelta(hours=1))
PROFILE = BuyerProfile(name="Lotte Janssens", address="Diestsesteenweg 112\n3010 Kessel-Lo",
                       email="lotte@example.be", language="nl")


def order(oid="3069099405659913", status=OrderStatus.SHIPPED, title="Sofa leg", qty=2) -> Order:
    return Order(
        order_id=oid, order_date=date(2026, 3, 2), status=status, status_text=status.value, currency="EUR",
        total=Decimal("24.68"), store="Best Furniture Store",
        items=(OrderLine(oid, title, qty, Decimal("12.34"), "EUR", line_id="sku-1", provenance=PROV),),
        order_time=datetime(2026, 3, 2, 10, 15, tzinfo=CET), tz_source="export", tracking_number="LP00123456789CN",
        refund_expected=status == OrderStatus.CANCELLED, refund_reason="status:cancelled" if status == OrderStatus.CANCELLED else None,
        provenance=PROV,
    )


def txn(i=1, amount="-24.68") -> BankTxn:
    return BankTxn(id=f"r{i:04d}", booking_date=date(2026, 3, 4), amount=Decimal(amount), currency="EUR",
                   value_date=date(2026, 3, 3), account="BE68539007547034", counterparty="ALIEXPRESS.COM",
                   description="BETALING AANKOPEN VIA ALIEXPRESS.COM LUXEMBOURG", bank_reference=f"REF{i}",
                   original_amount=Decimal("-26.10"), original_currency="USD", fx_rate=Decimal("1.0575"),
                   card_masked="4871 04XX XXXX 1711", merchant="aliexpress", merchant_rule="aliexpress-descriptor",
                   provenance=replace(PROV, source_name="kbc.csv", importer="bank.kbc_csv"))


def orders_result(*orders: Order, sha="1" * 64) -> ImportResult:
    return ImportResult(file="orders.csv", importer="orders.test", kind="orders", sha256=sha, records=tuple(orders),
                        rejected=(issue("orders.csv", 9, "amount {value} is not a number", field="Price", value="12,3O"),),
                        rows_total=len(orders) + 1, rows_imported=len(orders))


def bank_result(*txns: BankTxn, sha="2" * 64) -> ImportResult:
    return ImportResult(file="kbc.csv", importer="bank.kbc_csv", kind="bank", sha256=sha, records=tuple(txns),
                        rows_total=len(txns), rows_imported=len(txns),
                        statement=StatementInfo("BE68539007547034", "EUR", Decimal("100"), date(2026, 3, 1),
                                                Decimal("75.32"), date(2026, 3, 31)),
                        balance_check=BalanceCheck("ok", Decimal("0.00")))


def evidence() -> Evidence:
    return Evidence(sha256="c" * 64, file_name="IMG_20260310_101500.jpg", size=3, media_type="image/jpeg",
                    captured_at=datetime(2026, 3, 10, 10, 15, 0, 120000, tzinfo=CET), captured_text="2026:03:10 10:15:00",
                    time_source="exif", tz_source="exif-offset", camera_make="Apple", camera_model="iPhone 15",
                    width=4032, height=3024, orientation=6, gps_lat=50.85, gps_lon=4.35, warnings=("w1",),
                    order_id="3069099405659913", problem="damaged", note="corner broken")


def fill(store: Store) -> int:
    case = store.create_case("Sofa", as_of=date(2026, 11, 20))
    store.add_import(case.id, orders_result(order()))
    store.add_import(case.id, bank_result(txn(1), txn(2, "5.00")))
    store.add_evidence(case.id, evidence(), b"\xff\xd8\xff")
    store.add_event(case.id, Event(id="e1", kind="dispute_opened", lane="dispute", title="Dispute opened",
                                   on=date(2026, 3, 20), at=datetime(2026, 3, 20, 9, 0, tzinfo=UTC),
                                   body="Opened from My orders", order_ids=("3069099405659913",), origin="manual"))
    store.add_promise(case.id, RefundPromise("p1", "3069099405659913", Decimal("24.68"), "EUR", date(2026, 4, 1),
                                             by="platform", note="dispute won"))
    store.set_annotation(case.id, OrderAnnotation("3069099405659913", problem="damaged", payment_method="debit_card",
                                                  seller_country="CN", delivered_on=date(2026, 3, 9),
                                                  outcome="partial_refund", outcome_on=date(2026, 4, 1)))
    store.set_buyer_profile(case.id, PROFILE)
    store.set_decision(case.id, Decision(match_key("payment", ["3069099405659913"], ["r0001"]), "confirmed", "payment",
                                         ("3069099405659913",), ("r0001",), datetime(2026, 4, 2, 8, 0, tzinfo=UTC)))
    store.save_profile(MappingProfile("my bank", "bank", (("booking_date", "Datum"), ("amount", "Bedrag")),
                                      (("date_format", "%d/%m/%Y"),)))
    return case.id


def test_every_record_type_round_trips(case_store):
    cid = fill(case_store)
    data = case_store.load_case(cid)
    assert data.orders == [order()]
    assert data.transactions == [txn(1), txn(2, "5.00")]
    assert data.evidence == [evidence()]
    assert [e.id for e in data.events] == ["e1"] and data.events[0].at.tzinfo is not None
    assert data.promises[0].amount == Decimal("24.68")
    assert data.annotations["3069099405659913"].seller_country == "CN"
    assert data.annotations["3069099405659913"].outcome_on == date(2026, 4, 1)
    assert data.profile == PROFILE and case_store.buyer_profile(cid) == PROFILE
    assert data.decisions[0].decision == "confirmed"
    assert [str(i) for i in data.rejected] == ["orders.csv line 9, Price: amount 12,3O is not a number"]
    assert data.imports[1].balance_check == BalanceCheck("ok", Decimal("0.00"))
    assert data.imports[1].statement.closing_balance == Decimal("75.32")
    assert data.as_of == date(2026, 11, 20)
    assert case_store.evidence_bytes(cid, "c" * 64) == b"\xff\xd8\xff"
    assert case_store.profiles("bank")[0].columns[1] == ("amount", "Bedrag")


def test_reimport_same_file_adds_nothing(case_store):
    cid = fill(case_store)
    again = case_store.add_import(cid, orders_result(order()))
    assert again.already_imported and again.added == 0
    again = case_store.add_import(cid, bank_result(txn(1), txn(2, "5.00")))
    assert again.already_imported
    data = case_store.load_case(cid)
    assert len(data.orders) == 1 and len(data.transactions) == 2 and len(data.rejected) == 1


def test_overlapping_file_adds_only_new_rows_and_records_status_change(case_store):
    cid = fill(case_store)
    summary = case_store.add_import(cid, bank_result(txn(2, "5.00"), txn(3, "-9.99"), sha="3" * 64))
    assert (summary.added, summary.unchanged) == (1, 1)
    changed = order(status=OrderStatus.CANCELLED)
    summary = case_store.add_import(cid, orders_result(changed, order("8143533570294569"), sha="4" * 64))
    assert (summary.added, summary.updated) == (1, 1)
    assert summary.events and summary.events[0].kind == "status_changed"
    data = case_store.load_case(cid)
    assert {o.order_id: o.status for o in data.orders}["3069099405659913"] == OrderStatus.CANCELLED
    assert len(data.transactions) == 3
    assert any(e.kind == "status_changed" for e in data.events)


def test_export_then_import_is_identical(case_store):
    cid = fill(case_store)
    blob = case_store.export_case(cid)
    other = Store.open(":memory:")
    copy = other.import_case(blob)
    assert copy.name == "Sofa"
    a, b = case_store.load_case(cid), other.load_case(copy.id)
    for attr in ("orders", "transactions", "evidence", "events", "promises", "annotations", "decisions", "rejected",
                 "as_of", "name", "profile"):
        assert getattr(a, attr) == getattr(b, attr), attr
    assert [i.sha256 for i in a.imports] == [i.sha256 for i in b.imports]
    assert other.evidence_bytes(copy.id, "c" * 64) == b"\xff\xd8\xff"
    # importing into the same store picks a free name
    assert case_store.import_case(blob).name == "Sofa (2)"


def test_import_case_rejects_garbage(case_store):
    with pytest.raises(ComplaintError, match="not a case file"):
        case_store.import_case(b"not a zip")


def test_cases_side_by_side_rename_delete(case_store):
    a = case_store.create_case("A")
    b = case_store.create_case("B")
    case_store.add_import(a.id, orders_result(order()))
    assert case_store.load_case(b.id).orders == []
    with pytest.raises(ComplaintError):
        case_store.create_case("A")
    with pytest.raises(ComplaintError):
        case_store.rename_case(b.id, "A")
    assert case_store.rename_case(b.id, "C").name == "C"
    case_store.delete_case(a.id)
    with pytest.raises(CaseNotFound):
        case_store.get_case("A")
    # foreign keys cascade: nothing of A is left
    assert case_store.conn.execute("SELECT COUNT(*) FROM orders").fetchone()[0] == 0


def test_migration_from_previous_schema_version(tmp_path):
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    assert migrations.migrate(conn, target=1) == [1]
    conn.execute("INSERT INTO cases (name, created_at) VALUES ('Old case', '2025-01-01T00:00:00+00:00')")
    conn.close()
    store = Store.open(path)
    assert migrations.current_version(store.conn) == migrations.LATEST
    assert [r[0] for r in store.conn.execute("SELECT id FROM _migrations ORDER BY id")] == [1, 2, 3, 4, 5, 6]
    assert store.get_case("Old case").name == "Old case"
    assert store.case_owner(store.get_case("Old case").id) is None
    store.save_profile(MappingProfile("p", "orders", (("order_id", "Nr"),)))
    store.close()
    # reopening applies nothing more
    again = Store.open(path)
    assert migrations.migrate(again.conn) == []


def test_not_a_database_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a usable case store"):
        Store.open(bad)


def test_file_store_persists_and_uses_wal(tmp_path):
    path = tmp_path / "cases.sqlite"
    store = Store.open(path)
    cid = fill(store)
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    store.close()
    assert Store.open(path).load_case(cid).orders == [order()]


# --- revision counter and snapshots (the home page's figures) ----------------------------------

def test_every_write_to_a_case_bumps_its_revision_and_only_its_own(case_store):
    cid = fill(case_store)
    other = case_store.create_case("Other").id
    oid = "3069099405659913"
    key = match_key("payment", [oid], ["r0001"])
    writes = {
        "import": lambda: case_store.add_import(cid, orders_result(order(status=OrderStatus.CANCELLED), sha="3" * 64)),
        "order": lambda: case_store.add_order(cid, order("3069099405659914")),
        "transaction": lambda: case_store.add_transaction(cid, txn(3)),
        "event": lambda: case_store.add_event(cid, Event(id="e2", kind="message_out", lane="messages", title="Sent",
                                                         on=date(2026, 3, 21), order_ids=(oid,))),
        "delete event": lambda: case_store.delete_event(cid, "e2"),
        "promise": lambda: case_store.add_promise(cid, RefundPromise("p2", oid, Decimal("1"), "EUR", date(2026, 4, 2))),
        "delete promise": lambda: case_store.delete_promise(cid, "p2"),
        "annotation": lambda: case_store.set_annotation(cid, OrderAnnotation(oid, problem="wrong_item")),
        "decision": lambda: case_store.set_decision(cid, Decision(key, "rejected", "payment", (oid,), ("r0001",),
                                                                  datetime(2026, 4, 3, tzinfo=UTC))),
        "clear decision": lambda: case_store.clear_decision(cid, key),
        "evidence": lambda: case_store.add_evidence(cid, replace(evidence(), sha256="d" * 64), b"x"),
        "update evidence": lambda: case_store.update_evidence(cid, replace(evidence(), note="edited")),
        "delete evidence": lambda: case_store.delete_evidence(cid, "d" * 64),
        "rename": lambda: case_store.rename_case(cid, "Sofa 2"),
        "as of": lambda: case_store.set_case_as_of(cid, date(2026, 11, 21)),
    }
    for what, write in writes.items():
        before = case_store.case_revision(cid)
        write()
        assert case_store.case_revision(cid) == before + 1, what
    assert case_store.case_revision(other) == 0
    # nothing changed: same revision
    before = case_store.case_revision(cid)
    assert case_store.add_import(cid, orders_result(order())).already_imported
    assert not case_store.add_evidence(cid, evidence(), b"\xff\xd8\xff")
    case_store.delete_event(cid, "no such event")
    assert case_store.case_revision(cid) == before


def test_a_snapshot_is_returned_only_while_the_case_is_unchanged(case_store):
    cid = fill(case_store)
    assert case_store.keeps_snapshots and case_store.case_snapshot(cid, "home/en") is None
    rev = case_store.case_revision(cid)
    assert case_store.save_case_snapshot(cid, "home/en", {"paid": "24.68", "n": [1, 2]}, rev)
    assert case_store.case_snapshot(cid, "home/en") == {"paid": "24.68", "n": [1, 2]}
    assert case_store.case_snapshot(cid, "home/fr") is None
    case_store.set_annotation(cid, OrderAnnotation("3069099405659913", problem="late"))
    assert case_store.case_snapshot(cid, "home/en") is None
    # computed from the case before that write: not kept
    assert not case_store.save_case_snapshot(cid, "home/en", {"paid": "0"}, rev)
    assert case_store.case_snapshot(cid, "home/en") is None
    assert case_store.save_case_snapshot(cid, "home/en", {"paid": "1"}, case_store.case_revision(cid))
    assert case_store.case_snapshot(cid, "home/en") == {"paid": "1"}
    case_store.delete_case(cid)
    assert case_store.conn.execute("SELECT COUNT(*) FROM case_cache").fetchone()[0] == 0


def test_home_figures_come_from_the_snapshot_until_the_case_changes(case_store):
    from complaint.analysis.overview import cached_home_figures, home_figures
    from complaint.i18n import set_language
    from complaint.reconciliation.reconcile import reconcile

    cid = fill(case_store)
    as_of = date(2026, 11, 20)
    calls = []

    def compute():
        calls.append(1)
        case = case_store.load_case(cid)
        return home_figures(case, reconcile(case, as_of=as_of), as_of)

    set_language("en")
    try:
        first, cached = cached_home_figures(case_store, cid, as_of, compute)
        assert not cached and len(calls) == 1
        assert first.overview.orders == 1 and first.overview.transactions == 2 and first.upcoming
        again, cached = cached_home_figures(case_store, cid, as_of, compute)
        assert cached and len(calls) == 1 and again == first
        # another day, another language, a change to the case: computed again
        assert not cached_home_figures(case_store, cid, date(2026, 11, 21), compute)[1]
        set_language("fr")
        french, cached = cached_home_figures(case_store, cid, as_of, compute)
        assert not cached and french.overview.steps[0].text != first.overview.steps[0].text
        assert cached_home_figures(case_store, cid, as_of, compute)[1]
        case_store.add_evidence(cid, replace(evidence(), sha256="e" * 64), b"y")
        changed, cached = cached_home_figures(case_store, cid, as_of, compute)
        assert not cached and changed.overview.evidence == 2
    finally:
        set_language("en")


def test_a_store_without_snapshots_always_computes():
    class Plain:  # e.g. the server store seen through OwnedStore: no snapshot methods
        pass

    from complaint.analysis.overview import cached_home_figures

    calls = []
    assert cached_home_figures(Plain(), 1, date(2026, 1, 1), lambda: calls.append(1) or "figures") == ("figures", False)
    assert cached_home_figures(Plain(), 1, date(2026, 1, 1), lambda: calls.append(1) or "figures")[1] is False
    assert len(calls) == 2


def test_has_records_without_loading_the_case(case_store):
    empty = case_store.create_case("Empty").id
    assert not case_store.has_records(empty)
    only_bank = case_store.create_case("Bank only").id
    case_store.add_import(only_bank, bank_result(txn(1)))
    assert case_store.has_records(only_bank)
    assert case_store.has_records(fill(case_store))


def test_write_keeps_several_records_in_one_transaction(case_store):
    cid = fill(case_store)
    rev = case_store.case_revision(cid)
    ann = OrderAnnotation("3069099405659913", problem="late")
    ev = Event(id="e2", kind="dispute_closed", lane="dispute", title="closed", on=date(2026, 5, 1))
    case_store.write(cid, put=[ann, ev], delete=[(RefundPromise, "p1"), (Event, "e1")])
    data = case_store.load_case(cid)
    assert data.annotations["3069099405659913"] == ann and [e.id for e in data.events] == ["e2"]
    assert data.promises == [] and case_store.case_revision(cid) == rev + 1
    with pytest.raises(TypeError, match="MappingProfile"):  # nothing written: the bad record is refused first
        case_store.write(cid, put=[Event(id="e3", kind="note", lane="order", title="x", on=date(2026, 5, 2)),
                                   MappingProfile("p", "bank", ())])
    assert [e.id for e in case_store.load_case(cid).events] == ["e2"]


def test_a_case_without_profile_and_a_garbled_profile(case_store):
    cid = case_store.create_case("Nobody").id
    assert case_store.buyer_profile(cid) is None and case_store.load_case(cid).profile is None
    copy = Store.open(":memory:").import_case(case_store.export_case(cid))
    assert copy.name == "Nobody"
    import io
    import json
    import zipfile

    blob = io.BytesIO()
    with zipfile.ZipFile(blob, "w") as zf:
        zf.writestr("case.json", json.dumps({"format": "complaint-notebook-case", "version": 2,
                                             "case": {"name": "X"}, "profile": "Lotte"}))
    with pytest.raises(ComplaintError, match="damaged"):
        case_store.import_case(blob.getvalue())

"""The server-side store on a real PostgreSQL 15: the whole Store API and its import idempotence
(the very tests of tests/test_store.py, run against PostgreSQL), and owners who can never reach,
list, export, delete or write each other's cases.  The cluster is a throwaway one started here
(initdb as the ``postgres`` system user, unix socket only, no TCP) and stopped at the end."""

from __future__ import annotations

import inspect
import itertools
import os
import shutil
import subprocess
import tempfile
from datetime import date
from pathlib import Path

import pytest
import test_columnar_case as cc  # the columnar store tests of tests/test_columnar_case.py
import test_store as ts  # the record builders and tests of tests/test_store.py
from streamlit.testing.v1 import AppTest

from complaint.errors import CaseNotFound, ComplaintError, StoreError
from complaint.records import Event, MappingProfile
from complaint.store.db import Store
from complaint.store.dialect import redact_url
from complaint.store.owned import CASE_METHODS, OwnedStore
from complaint.store.postgres import connection_url, open_server_store

PG_BIN = Path("/usr/lib/postgresql/15/bin")
APP = str(Path(__file__).resolve().parents[2] / "app.py")
_db_numbers = itertools.count(1)


def _as_postgres(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@pytest.fixture(scope="module")
def pg_cluster():
    """(socket dir, port) of a private PostgreSQL cluster; skipped only when one cannot start."""
    if not (PG_BIN / "initdb").exists():
        pytest.skip(f"PostgreSQL 15 is not installed ({PG_BIN}); scripts/setup.sh --system installs it")
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        pytest.skip("running as root without runuser: initdb refuses root")
    root = Path(tempfile.mkdtemp(prefix="cn-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    data, port = root / "data", 5432  # the socket lives in our private dir: no port clash, no TCP
    try:
        subprocess.run(_as_postgres([str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                                     "--no-sync", "-E", "UTF8", "--locale=C"]),
                       check=True, capture_output=True, timeout=120)
        subprocess.run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(root / "log"), "-w",
                                     "-o", f"-c listen_addresses='' -k {root} -p {port} -c fsync=off", "start"]),
                       check=True, capture_output=True, timeout=120)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        shutil.rmtree(root, ignore_errors=True)
        detail = getattr(exc, "stderr", b"") or b""
        pytest.skip(f"cannot start a throwaway PostgreSQL cluster: {exc} {detail.decode(errors='replace')[-300:]}")
    yield root, port
    subprocess.run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                   capture_output=True, timeout=60)
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def pg_url(pg_cluster) -> str:
    """A fresh, empty database for each test."""
    import psycopg

    root, port = pg_cluster
    name = f"t{os.getpid()}_{next(_db_numbers)}"
    with psycopg.connect(f"postgresql://postgres@/postgres?host={root}&port={port}", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"postgresql://postgres:s3cret@/{name}?host={root}&port={port}"


@pytest.fixture
def pg_store(pg_url):
    store = open_server_store(pg_url)
    yield store
    store.close()


# -- the Store API on PostgreSQL: the same tests as on SQLite ----------------------------------
@pytest.mark.parametrize("test", [ts.test_every_record_type_round_trips, ts.test_reimport_same_file_adds_nothing,
                                  ts.test_overlapping_file_adds_only_new_rows_and_records_status_change,
                                  ts.test_export_then_import_is_identical, ts.test_import_case_rejects_garbage,
                                  ts.test_cases_side_by_side_rename_delete,
                                  ts.test_write_keeps_several_records_in_one_transaction,
                                  ts.test_a_case_without_profile_and_a_garbled_profile], ids=lambda f: f.__name__)
def test_store_api_on_postgresql(pg_store, test):
    assert pg_store.dialect.name == "postgresql"
    test(pg_store)


# -- large imports kept as columnar blocks, on PostgreSQL --------------------------------------------
@pytest.mark.parametrize("test", [cc.test_a_large_import_is_one_block_and_reads_back_as_the_records,
                                  cc.test_overlapping_large_imports_add_only_the_new_rows,
                                  cc.test_a_case_with_blocks_exports_imports_and_deletes_an_order],
                         ids=lambda f: f.__name__)
def test_columnar_blocks_on_postgresql(pg_store, test):
    test(pg_store)


def test_a_later_order_export_merges_into_blocks_on_postgresql(pg_store, tmp_path):
    cc.test_a_later_order_export_merges_into_orders_kept_in_a_block(pg_store, tmp_path)


# -- revision counter and snapshots (the home page's figures) on PostgreSQL -------------------------
@pytest.mark.parametrize("test", [ts.test_every_write_to_a_case_bumps_its_revision_and_only_its_own,
                                  ts.test_a_snapshot_is_returned_only_while_the_case_is_unchanged,
                                  ts.test_home_figures_come_from_the_snapshot_until_the_case_changes,
                                  ts.test_has_records_without_loading_the_case], ids=lambda f: f.__name__)
def test_snapshots_on_postgresql(pg_store, test):
    assert pg_store.keeps_snapshots
    test(pg_store)


def test_a_database_of_the_first_schema_gets_the_revision_counter(pg_url, monkeypatch):
    import psycopg

    from complaint.store import dialect as store_sql

    libpq = connection_url(pg_url)
    with psycopg.connect(libpq, autocommit=True) as conn:
        monkeypatch.setattr(store_sql, "PG_MIGRATIONS", store_sql.PG_MIGRATIONS[:1])
        assert store_sql.pg_migrate(conn) == [1]
        conn.execute("INSERT INTO cases (name, created_at, owner) VALUES ('Old', '2026-01-01T00:00:00+00:00', "
                     "'alice@example.org')")
    monkeypatch.undo()
    store = open_server_store(pg_url)
    try:
        assert store.dialect.migrate(store.conn) == []
        [old] = store.list_cases()
        assert store.case_revision(old.id) == 0 and store.case_snapshot(old.id, "home/en") is None
        store.add_order(old.id, ts.order())
        assert store.case_revision(old.id) == 1
        assert [r[0] for r in store.conn.execute("SELECT id FROM _migrations ORDER BY id")] == [1, 2, 3, 4, 5]
    finally:
        store.close()


def test_a_snapshot_is_shared_by_connections_and_invalidated_by_another_one(pg_url):
    """Two app replicas (two connections): a snapshot saved by one is reused by the other until
    either of them changes the case; a snapshot computed before the other's write is not kept."""
    first, second = open_server_store(pg_url), open_server_store(pg_url)
    try:
        cid = ts.fill(first)
        rev = first.case_revision(cid)
        assert rev == second.case_revision(cid) > 0
        assert first.save_case_snapshot(cid, "home/fr", {"paid": "14.90"}, rev)
        assert second.case_snapshot(cid, "home/fr") == {"paid": "14.90"}
        second.add_transaction(cid, ts.txn(7))
        assert first.case_revision(cid) == rev + 1
        assert first.case_snapshot(cid, "home/fr") is None
        # read at the old revision, saved after the other replica's write: refused
        assert not first.save_case_snapshot(cid, "home/fr", {"paid": "0"}, rev)
        assert second.case_snapshot(cid, "home/fr") is None
    finally:
        first.close()
        second.close()


def test_owned_store_keeps_snapshots_per_owner(pg_store):
    """Through OwnedStore the server store keeps snapshots (the app's home page reuses them), and
    the snapshot methods check the owner: Bob can neither read nor overwrite Alice's snapshot."""
    from complaint.analysis.overview import cached_home_figures, home_figures
    from complaint.reconciliation.reconcile import reconcile

    alice, bob = OwnedStore(pg_store, "alice@example.org"), OwnedStore(pg_store, "bob@example.org")
    assert alice.keeps_snapshots
    cid = ts.fill(alice)
    as_of = date(2026, 11, 20)
    calls = []

    def compute():
        calls.append(1)
        case = alice.load_case(cid)
        return home_figures(case, reconcile(case, as_of=as_of), as_of)

    figures, cached = cached_home_figures(alice, cid, as_of, compute)
    assert not cached and figures.overview.orders == 1
    again, cached = cached_home_figures(alice, cid, as_of, compute)
    assert cached and again == figures and len(calls) == 1
    rev = alice.case_revision(cid)
    for call in (lambda: bob.case_snapshot(cid, "home/en"), lambda: bob.case_revision(cid),
                 lambda: bob.save_case_snapshot(cid, "home/en", {"forged": True}, rev)):
        with pytest.raises(CaseNotFound):
            call()
    assert cached_home_figures(alice, cid, as_of, compute) == (figures, True)
    alice.set_annotation(cid, ts.OrderAnnotation("3069099405659913", problem="late"))
    assert not cached_home_figures(alice, cid, as_of, compute)[1] and len(calls) == 2


def test_schema_is_migrated_once_and_survives_reopening(pg_url):
    store = open_server_store(pg_url)
    cid = ts.fill(store)
    store.close()
    again = open_server_store(pg_url)
    assert again.dialect.migrate(again.conn) == []
    assert again.load_case(cid).orders == [ts.order()]
    assert again.evidence_bytes(cid, "c" * 64) == b"\xff\xd8\xff"
    again.close()


def test_case_file_moves_between_sqlite_and_postgresql(pg_store):
    local = Store.open(":memory:")
    cid = ts.fill(local)
    server_copy = pg_store.import_case(local.export_case(cid), owner="alice@example.org")
    back = Store.open(":memory:").import_case(pg_store.export_case(server_copy.id))
    assert back.name == "Sofa"
    assert pg_store.case_owner(server_copy.id) == "alice@example.org"


def test_password_never_shown(pg_url):
    store = open_server_store(pg_url)
    assert "s3cret" not in store.path and "***" in store.path
    with pytest.raises(CaseNotFound) as exc:
        store.get_case("nothing")
    assert "s3cret" not in str(exc.value)
    assert redact_url("postgresql://u:p%40ss@h/db") == "postgresql://u:***@h/db"
    with pytest.raises(StoreError) as exc:
        open_server_store("postgresql://u:hunter2@/nodb?host=/nonexistent-dir&port=1", connect_timeout=2)
    assert "hunter2" not in str(exc.value)
    with pytest.raises(StoreError, match="must start with postgresql://"):
        connection_url("mysql://u:hunter2@h/db")


# -- owners ---------------------------------------------------------------------------------------
def _all_case_calls(store, cid: int, blob: bytes):
    """Every OwnedStore method taking a case id, with plausible arguments."""
    ev = ts.evidence()
    return {
        "get_case": lambda: store.get_case(cid),
        "get_case_str": lambda: store.get_case(str(cid)),
        "load_case": lambda: store.load_case(cid),
        "rename_case": lambda: store.rename_case(cid, "mine now"),
        "set_case_as_of": lambda: store.set_case_as_of(cid, date(2026, 1, 1)),
        "delete_case": lambda: store.delete_case(cid),
        "case_owner": lambda: store.case_owner(cid),
        "add_import": lambda: store.add_import(cid, ts.bank_result(ts.txn(9), sha="9" * 64)),
        "add_order": lambda: store.add_order(cid, ts.order("1")),
        "add_transaction": lambda: store.add_transaction(cid, ts.txn(8)),
        "add_event": lambda: store.add_event(cid, Event(id="x", kind="note", lane="dispute", title="x",
                                                        on=date(2026, 1, 1))),
        "delete_event": lambda: store.delete_event(cid, "e1"),
        "add_promise": lambda: store.add_promise(cid, ts.RefundPromise("p9", "1", ts.Decimal("1"), "EUR",
                                                                        date(2026, 1, 1))),
        "delete_promise": lambda: store.delete_promise(cid, "p1"),
        "set_annotation": lambda: store.set_annotation(cid, ts.OrderAnnotation("1", problem="x")),
        "set_decision": lambda: store.set_decision(cid, ts.Decision("k", "rejected", "payment", (), (),
                                                                    ts.datetime(2026, 1, 1, tzinfo=ts.UTC))),
        "clear_decision": lambda: store.clear_decision(cid, "k"),
        "add_evidence": lambda: store.add_evidence(cid, ts.replace(ev, sha256="d" * 64), b"x"),
        "update_evidence": lambda: store.update_evidence(cid, ts.replace(ev, note="mine")),
        "evidence_bytes": lambda: store.evidence_bytes(cid, "c" * 64),
        "delete_evidence": lambda: store.delete_evidence(cid, "c" * 64),
        "export_case": lambda: store.export_case(cid),
        "raw_table": lambda: store.raw_table(cid, "orders"),
        "has_records": lambda: store.has_records(cid),
        "block_rows": lambda: store.block_rows(cid),
        "case_revision": lambda: store.case_revision(cid),
        "case_snapshot": lambda: store.case_snapshot(cid, "home/en"),
        "save_case_snapshot": lambda: store.save_case_snapshot(cid, "home/en", {"mine": True}, 0),
        "write": lambda: store.write(cid, put=[ts.OrderAnnotation("1", problem="x")], delete=[(Event, "e1")]),
        "set_buyer_profile": lambda: store.set_buyer_profile(cid, ts.BuyerProfile(name="Bob")),
        "buyer_profile": lambda: store.buyer_profile(cid),
        "ocr_reading": lambda: store.ocr_reading(cid, "c" * 64, "v1"),
        "save_ocr_reading": lambda: store.save_ocr_reading(cid, "c" * 64, "v1", {"mine": True}),
        "suggestion_decisions": lambda: store.suggestion_decisions(cid),
        "decide_suggestion": lambda: store.decide_suggestion(cid, "s1", "c" * 64, "rejected", {}),
    }


def test_an_owner_never_reaches_another_owners_case(pg_store):
    alice, bob = OwnedStore(pg_store, "alice@example.org"), OwnedStore(pg_store, "bob@example.org")
    cid = ts.fill(alice)
    before = pg_store.export_case(cid)
    snapshot = alice.load_case(cid)
    assert [c.name for c in bob.list_cases()] == []
    assert [c.name for c in alice.list_cases()] == ["Sofa"]
    missing_id = cid + 1000
    calls = _all_case_calls(bob, cid, before)
    for name, call in calls.items():
        with pytest.raises(CaseNotFound) as refused:
            call()
        # exactly what a case that does not exist says: existence is not leaked
        with pytest.raises(CaseNotFound) as absent:
            _all_case_calls(bob, missing_id, before)[name]()
        assert str(refused.value) == str(absent.value).replace(str(missing_id), str(cid)), name
    with pytest.raises(CaseNotFound):
        bob.get_case("Sofa")
    # nothing of Alice's changed
    after = alice.load_case(cid)
    assert after == snapshot
    assert alice.evidence_bytes(cid, "c" * 64) == b"\xff\xd8\xff"
    # every Store method taking a case id is owner-checked, and all of them were tried above
    takes_case = {name for name, fn in inspect.getmembers(Store, inspect.isfunction)
                  if not name.startswith("_") and list(inspect.signature(fn).parameters)[1:2] == ["case_id"]}
    assert takes_case <= CASE_METHODS <= set(calls)
    with pytest.raises(AttributeError):
        bob.conn  # noqa: B018 - the raw connection is not part of an owner's view


def test_same_case_names_for_two_owners_and_private_profiles(pg_store):
    alice, bob = OwnedStore(pg_store, "alice@example.org"), OwnedStore(pg_store, "bob@example.org")
    a = alice.create_case("Dispute")
    b = bob.create_case("Dispute")  # no "already exists": that would reveal Alice's case
    assert a.id != b.id and alice.get_case("Dispute").id == a.id and bob.get_case("Dispute").id == b.id
    with pytest.raises(ComplaintError, match="already exists"):
        alice.create_case("Dispute")
    alice.save_profile(MappingProfile("my bank", "bank", (("amount", "Bedrag"),)))
    assert bob.profiles() == [] and [p.name for p in alice.profiles("bank")] == ["my bank"]
    bob.save_profile(MappingProfile("my bank", "bank", (("amount", "Montant"),)))
    assert alice.profiles()[0].columns == (("amount", "Bedrag"),)
    # a case file imported by Bob becomes Bob's, with a free name among Bob's cases only
    copy = bob.import_case(alice.export_case(a.id))
    assert copy.name == "Dispute (2)" and pg_store.case_owner(copy.id) == "bob@example.org"
    assert [c.name for c in alice.list_cases()] == ["Dispute"]


def test_owned_store_refuses_a_store_with_global_names():
    with pytest.raises(ValueError, match="unique per owner"):
        OwnedStore(Store.open(":memory:"), "alice@example.org")
    with pytest.raises(ValueError):
        OwnedStore(Store.open(":memory:"), "  ")


# -- the app in server mode ---------------------------------------------------------------------
def _problems(at: AppTest) -> list[str]:
    return [str(e.value) for e in at.exception]


def test_app_refuses_the_server_store_without_a_login(pg_url, monkeypatch):
    monkeypatch.setenv("COMPLAINT_DATABASE_URL", pg_url)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert _problems(at) == []
    assert any("log in" in e.value.lower() for e in at.error)
    assert "_store" not in at.session_state
    assert not at.title  # no page is rendered at all


def test_app_gives_each_logged_in_user_only_their_cases(pg_url, monkeypatch):
    import ui.state

    monkeypatch.setenv("COMPLAINT_DATABASE_URL", pg_url)
    server = open_server_store(pg_url)
    OwnedStore(server, "bob@example.org").create_case("Bob's secret dispute")
    monkeypatch.setattr(ui.state, "user_identity", lambda: "alice@example.org")
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert _problems(at) == [] and [e.value for e in at.error] == []
    at.switch_page("app_pages/cases.py").run()
    at.text_input(key="new_case_name").set_value("Alice's dispute")
    [submit] = [b for b in at.button if b.label == "Create case"]
    submit.click().run()
    assert _problems(at) == []
    store = at.session_state["_store"]
    assert isinstance(store, OwnedStore) and store.owner == "alice@example.org"
    assert [c.name for c in store.list_cases()] == ["Alice's dispute"]
    assert sorted((c.name, server.case_owner(c.id)) for c in server.list_cases()) == [
        ("Alice's dispute", "alice@example.org"), ("Bob's secret dispute", "bob@example.org")]
    shown = " ".join(str(getattr(e, "value", "")) for e in at.main) + " ".join(
        str(getattr(e, "value", "")) for e in at.sidebar)
    assert "Bob's secret dispute" not in shown
    server.close()

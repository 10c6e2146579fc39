"""Saved work keeps opening: files written by an earlier version give the same reconciliation.

The fixtures in tests/data/compat/ were written before the core moved into packages:

- ``sample_case_v1.zip``: ``complaint cases export`` of the sample case (case file version 1);
- ``store_schema3.sqlite``: an SQLite store holding the sample case at schema version 3;
- ``sample_reconcile.json``: ``complaint reconcile --db … --case "Sample case" --format json`` then.

Each is opened through the public API (and the case file also through the CLI) and must reconcile
to exactly that report.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from complaint import api
from complaint.cli import cli
from complaint.i18n import get_language, set_language
from complaint.serialize import to_jsonable
from complaint.store.migrations import MIGRATIONS

COMPAT = Path(__file__).resolve().parent / "data" / "compat"
CASE = "Sample case"


@pytest.fixture(autouse=True)
def _english():
    """The report's reasons are sentences in the user's language: the fixture was written in English."""
    before = get_language()
    set_language("en")
    yield
    set_language(before)


@pytest.fixture(scope="module")
def expected() -> dict:
    return json.loads((COMPAT / "sample_reconcile.json").read_text(encoding="utf-8"))


def _report(handle: api.CaseHandle) -> dict:
    """The JSON report of the case, as ``complaint reconcile --format json`` writes it."""
    return json.loads(json.dumps(to_jsonable(api.reconcile(handle).to_json()), ensure_ascii=False))


def _migrations_applied(path: Path) -> list[int]:
    with sqlite3.connect(path) as conn:
        return [row[0] for row in conn.execute("SELECT id FROM _migrations ORDER BY id")]


def test_a_version_1_case_file_imports_and_reconciles_as_before(tmp_path, expected):
    store = api.open_store(tmp_path / "cases.sqlite")
    handle = api.import_case(store, COMPAT / "sample_case_v1.zip")
    assert handle.name == CASE
    data = handle.data()
    assert data.orders and data.transactions and data.promises and data.evidence
    for ev in data.evidence:  # the original photos came along, byte for byte
        assert hashlib.sha256(store.evidence_bytes(handle.id, ev.sha256)).hexdigest() == ev.sha256
    assert _report(handle) == expected
    store.close()
    run = CliRunner().invoke(cli, ["reconcile", "--db", str(tmp_path / "cases.sqlite"), "--case", CASE,
                                   "--format", "json"])
    assert run.exit_code == 0, run.output
    assert json.loads(run.stdout) == expected


def test_a_schema_3_store_migrates_and_reconciles_as_before(tmp_path, expected):
    path = tmp_path / "store.sqlite"
    shutil.copy(COMPAT / "store_schema3.sqlite", path)
    assert _migrations_applied(path) == [1, 2, 3]  # the fixture as it was written
    store = api.open_store(path)
    latest = max(number for number, _name, _sql in MIGRATIONS)
    assert _migrations_applied(path) == sorted(number for number, _name, _sql in MIGRATIONS)
    assert _migrations_applied(path)[-1] == latest
    assert list(api.list_cases(store)["name"]) == [CASE]
    assert _report(api.open_case(CASE, db=store, create=False)) == expected
    store.close()
    store = api.open_store(path)  # opening again applies nothing and changes nothing
    assert _migrations_applied(path)[-1] == latest
    assert _report(api.open_case(CASE, db=store, create=False)) == expected
    store.close()


def test_a_version_1_case_file_gains_the_buyers_profile(tmp_path, expected):
    case = api.import_case(api.open_store(tmp_path / "cases.sqlite"), COMPAT / "sample_case_v1.zip")
    assert api.profile(case).name is None  # a version-1 file has no profile: none is invented
    # written again, it is a version-2 file that keeps the profile it gains
    api.set_profile(case, name="Lotte Janssens", language="nl")
    again = api.import_case(api.open_store(), api.export_case(case))
    assert api.profile(again).language == "nl"
    assert _report(again) == expected


def test_a_migrated_store_keeps_the_profile_it_gains(tmp_path):
    path = tmp_path / "old.sqlite"
    shutil.copy(COMPAT / "store_schema3.sqlite", path)
    store = api.open_store(path)
    api.set_profile(api.open_case(CASE, db=store, create=False), email="lotte@example.be")
    store.close()
    reopened = api.open_store(path)
    assert api.profile(api.open_case(CASE, db=reopened, create=False)).email == "lotte@example.be"

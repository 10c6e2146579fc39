"""Saved work keeps opening: a case file exported (version 1) and an SQLite store written (schema 3)
before the package redesign open now, give the same reconciliation, and gain the buyer's profile."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import complaint
from complaint.store import migrations

COMPAT = Path(__file__).resolve().parent / "data" / "compat"
BEFORE = json.loads((COMPAT / "sample_reconcile.json").read_text(encoding="utf-8"))


def test_a_version_1_case_file_opens_with_the_same_reconciliation(tmp_path):
    store = complaint.open_store(tmp_path / "cases.sqlite")
    case = complaint.import_case(store, COMPAT / "sample_case_v1.zip")
    assert case.name == "Sample case" and str(case.as_of) == "2026-11-20"
    assert complaint.reconcile(case).to_json() == BEFORE
    assert complaint.profile(case).name is None  # a version-1 file has no profile: none is invented
    # written again, it is a version-2 file that keeps the profile it gains
    complaint.set_profile(case, name="Lotte Janssens", language="nl")
    again = complaint.import_case(complaint.open_store(), complaint.export_case(case))
    assert complaint.profile(again).language == "nl"
    assert complaint.reconcile(again).to_json() == BEFORE


def test_a_schema_3_store_opens_migrates_and_keeps_its_cases(tmp_path):
    path = tmp_path / "old.sqlite"
    shutil.copy(COMPAT / "store_schema3.sqlite", path)
    with sqlite3.connect(path) as conn:
        assert migrations.current_version(conn) == 3
    store = complaint.open_store(path)
    assert migrations.current_version(store.conn) == migrations.LATEST == 4
    [row] = complaint.list_cases(store).to_dict("records")
    case = complaint.open_case(row["name"], db=store, create=False)
    assert complaint.reconcile(case).to_json() == BEFORE
    complaint.set_profile(case, email="lotte@example.be")
    store.close()
    reopened = complaint.open_store(path)
    assert migrations.migrate(reopened.conn) == []
    assert complaint.profile(complaint.open_case(row["name"], db=reopened, create=False)).email == "lotte@example.be"

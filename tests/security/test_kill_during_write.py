"""A process killed in the middle of writing leaves the SQLite case at its last committed state."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest

from complaint.store.db import Store

WRITER = textwrap.dedent("""
    import sys
    from datetime import date
    from decimal import Decimal
    from complaint.records import BankTxn, ImportResult
    from complaint.store.db import Store

    store = Store.open(sys.argv[1])
    case = store.create_case("victim")
    print("ready", flush=True)
    batch = 0
    while True:
        txns = tuple(BankTxn(id=f"b{batch}-{i}", booking_date=date(2026, 1, 1), amount=Decimal("-1.00"),
                             currency="EUR", description="x" * 200) for i in range(500))
        store.add_import(case.id, ImportResult(file=f"f{batch}.csv", importer="bank.test", kind="bank",
                                               sha256=f"{batch:064d}", records=txns, rows_total=500,
                                               rows_imported=500))
        batch += 1
        print("committed", batch, flush=True)
""")


@pytest.mark.parametrize("delay", [0.0, 0.05, 0.4])
def test_sigkill_mid_write_keeps_last_commit(tmp_path, delay):
    db = tmp_path / "cases.sqlite"
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(db)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready"
    # the first commit is awaited (a loaded machine may take seconds), then the kill lands at some
    # point of a later write
    assert proc.stdout.readline().startswith("committed")
    time.sleep(delay)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    store = Store.open(db)
    case = store.get_case("victim")
    data = store.load_case(case.id)
    files = len(data.imports)
    assert files >= 1, "the writer should have committed at least one batch"
    # all or nothing per import: every committed file has exactly its 500 rows, no half batch
    assert len(data.transactions) == 500 * files
    assert {t.id.split("-")[0] for t in data.transactions} == {f"b{i}" for i in range(files)}

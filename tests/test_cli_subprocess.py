"""Every subcommand through a real process (``python -m complaint``) on the sample files: success,
bad arguments (exit 2, one ``error:`` line on stderr, no traceback) and a missing file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

from complaint.cli import cli

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
ORDERS = str(SAMPLE / "orders" / "aliexpress_orders.csv")
BANKS = [str(p) for p in sorted((SAMPLE / "bank").iterdir())]
EXPECTED = json.loads((SAMPLE / "EXPECTED.json").read_text(encoding="utf-8"))
AS_OF = EXPECTED["as_of"]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "COMPLAINT_LANG": "en", "PYTHONWARNINGS": "ignore"}
    env.pop("COMPLAINT_DB", None)
    return subprocess.run([sys.executable, "-m", "complaint", *args], capture_output=True, text=True,
                          cwd=cwd or ROOT, env=env, timeout=300)


def assert_usage_error(res: subprocess.CompletedProcess, *words: str) -> None:
    lines = res.stderr.strip().splitlines()
    assert res.returncode == 2, (res.returncode, res.stderr)
    assert len(lines) == 1 and lines[0].startswith("error: "), res.stderr
    assert "Traceback" not in res.stderr
    for w in words:
        assert w in lines[0], (w, lines[0])


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    from complaint.api.sample import load_sample
    from complaint.store.db import Store

    path = tmp_path_factory.mktemp("cli") / "cases.sqlite"
    store = Store.open(path)
    load_sample(store)
    store.close()
    return str(path)


def _commands(group: click.Group, prefix: tuple = ()):
    for name, cmd in sorted(group.commands.items()):
        yield (*prefix, name), cmd
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, (*prefix, name))


def test_every_subcommand_help_has_an_example():
    names = []
    for path, cmd in _commands(cli):
        names.append(" ".join(path))
        assert "complaint " + " ".join(path[:1]) in (cmd.help or ""), f"{' '.join(path)}: no example in --help"
    assert {"analyst", "reconcile", "cases export", "import-bank"} <= set(names)


def test_help_through_a_process():
    res = run("analyst", "--help")
    assert res.returncode == 0 and "complaint analyst --db" in res.stdout and "--by" in res.stdout


def test_import_orders_and_bank(tmp_path):
    res = run("import-orders", ORDERS, "--format", "json")
    assert res.returncode == 0, res.stderr
    assert sum(len(f.get("orders", [])) for f in json.loads(res.stdout)) > 0
    res = run("import-bank", *BANKS, "--format", "csv")
    assert res.returncode == 0, res.stderr
    assert res.stdout.startswith("file,format,") and len(res.stdout.splitlines()) > 100


def test_reconcile_files_both_engines():
    outs = []
    for engine in ("pandas", "duckdb"):
        args = ["reconcile", "--orders", ORDERS, "--as-of", AS_OF, "--format", "json", "--engine", engine]
        for b in BANKS:
            args += ["--bank", b]
        res = run(*args)
        assert res.returncode == 0, res.stderr
        outs.append(json.loads(res.stdout))
    assert outs[0] == outs[1]
    assert outs[0]["missing_credits"]


def test_stored_case_commands(db, tmp_path):
    res = run("reconcile", "--db", db, "--case", "Sample case", "--format", "csv")
    assert res.returncode == 0, res.stderr
    for m in EXPECTED["missing_credits"]:
        assert m["order_id"] in res.stdout
    res = run("timeline", "--db", db, "--case", "Sample case", "--format", "csv")
    assert res.returncode == 0 and len(res.stdout.splitlines()) > 50, res.stderr
    overdue = next(m["order_id"] for m in EXPECTED["missing_credits"] if m["state"] == "overdue")
    res = run("dossier", "--db", db, "--case", "Sample case", "--order", overdue, "--chart", "none",
              "--out", str(tmp_path / "d"))
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "d" / "dossier.pdf").stat().st_size > 1000


def test_analyst(db):
    res = run("analyst", "--db", db, "--by", "detail", "--format", "json")
    assert res.returncode == 0, res.stderr
    rows = json.loads(res.stdout)
    got = {(r["order_id"], r["state"], r["expected_since"]) for r in rows}
    assert got == {(m["order_id"], m["state"], m["expected_since"]) for m in EXPECTED["missing_credits"]}
    res = run("analyst", "--db", db, "--by", "payment_method", "--format", "csv")
    assert res.returncode == 0 and res.stdout.startswith("payment_method,overdue,"), res.stderr


def test_evidence():
    res = run("evidence", str(SAMPLE / "evidence"), "--format", "json", "--no-duplicates")
    assert res.returncode == 0, res.stderr
    assert len(json.loads(res.stdout)) == len(list((SAMPLE / "evidence").iterdir()))


def test_cases_round_trip(db, tmp_path):
    copy = tmp_path / "copy.sqlite"
    assert run("cases", "--db", str(copy), "create", "Mine", "--as-of", AS_OF).returncode == 0
    assert run("cases", "--db", str(copy), "rename", "Mine", "Ours").returncode == 0
    res = run("cases", "--db", db, "export", "Sample case", "--out", str(tmp_path / "s.zip"))
    assert res.returncode == 0, res.stderr
    assert run("cases", "--db", str(copy), "import", str(tmp_path / "s.zip"), "--name", "S2").returncode == 0
    res = run("cases", "--db", str(copy), "list", "--format", "json")
    assert {c["name"] for c in json.loads(res.stdout)} == {"Ours", "S2"}
    assert run("cases", "--db", str(copy), "delete", "Ours", "--yes").returncode == 0


def test_cases_sample_loads_once_and_reconciles(tmp_path):
    path = str(tmp_path / "fresh.sqlite")
    first = run("cases", "--db", path, "sample")
    again = run("cases", "--db", path, "sample")
    assert first.returncode == again.returncode == 0, first.stderr
    assert first.stdout == again.stdout  # the same case, not a second copy
    listed = json.loads(run("cases", "--db", path, "list", "--format", "json").stdout)
    assert [(c["name"], c["orders"], c["evidence"]) for c in listed] == [("Sample case", 40, 8)]
    res = run("reconcile", "--db", path, "--case", "Sample case", "--format", "json")
    expected = json.loads((SAMPLE / "EXPECTED.json").read_text(encoding="utf-8"))["missing_credits"]
    assert sorted(m["order_id"] for m in json.loads(res.stdout)["missing_credits"]) == \
        sorted(m["order_id"] for m in expected)


@pytest.mark.parametrize("args,words", [
    (["reconcile", "--orders", ORDERS, "--as-of", "2026-13-40"], ["--as-of", "YYYY-MM-DD"]),
    (["reconcile", "--orders", ORDERS, "--format", "xml"], ["--format", "xml"]),
    (["reconcile", "--orders", ORDERS, "--engine", "spark"], ["--engine"]),
    (["reconcile"], ["--case"]),
    (["analyst", "--by", "planet"], ["--by"]),
    (["import-orders"], ["FILES"]),
    (["cases", "rename"], ["NAME"]),
    (["timeline", "--orders", ORDERS, "--bogus"], ["--bogus"]),
    (["nosuch"], ["nosuch"]),
])
def test_bad_arguments(args, words):
    assert_usage_error(run(*args), *words)


@pytest.mark.parametrize("args", [
    ["import-orders", "missing.csv"], ["import-bank", "missing.csv"],
    ["reconcile", "--orders", "missing.csv"], ["timeline", "--bank", "missing.csv"],
    ["dossier", "--orders", "missing.csv", "--out", "x"], ["cases", "import", "missing.zip"],
])
def test_missing_file(args, tmp_path):
    assert_usage_error(run(*args, cwd=tmp_path), "missing.")


def test_missing_case_and_unreadable_file(db, tmp_path):
    assert_usage_error(run("reconcile", "--db", db, "--case", "Nope"), "Nope")
    junk = tmp_path / "junk.csv"
    junk.write_bytes(b"\x00\x01 not a statement\n")
    assert_usage_error(run("import-bank", str(junk)), "junk.csv")

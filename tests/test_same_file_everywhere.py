"""One bank file with a bad row, read by the three surfaces: the Python API, the ``complaint``
command and the app's Import page.  All three go through ``complaint.api.read_file``: the same
one-line summary, the same rejected rows (row, field, value, reason), and for a file nobody
recognises the same one-line error."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from streamlit.testing.v1 import AppTest

import complaint
from complaint.cli import cli
from complaint.errors import NotMyFormat

ROOT = Path(__file__).resolve().parent.parent
GOOD = ROOT / "tests" / "data" / "bank" / "kbc_csv" / "kbc_overlap_a.csv"
JUNK = b"When;How much;Who\n01/03/2026;-4,50;ALIEXPRESS.COM\n"


def _bad_statement(tmp_path: Path) -> Path:
    """A KBC export whose PayPal debit reads '-2O,00' (a letter O typed for a zero)."""
    data = GOOD.read_bytes()
    bad = data.replace(b";-20,00;434,33;;-20,00;", b";-2O,00;434,33;;-2O,00;", 1)
    assert bad != data
    path = tmp_path / "kbc_bad.csv"
    path.write_bytes(bad)
    return path


def _plain(markdown: str) -> str:
    """What the user reads of a markdown-escaped message."""
    return re.sub(r"\\(.)", r"\1", markdown)


def _rows(frame: pd.DataFrame) -> list[dict]:
    return [{k: (None if pd.isna(v) else (int(v) if k == "row" else v)) for k, v in r.items()}
            for r in frame.to_dict("records")]


def test_a_bad_row_reads_the_same_in_the_api_the_cli_and_the_app(tmp_path, monkeypatch):
    path = _bad_statement(tmp_path)
    junk = tmp_path / "odd.csv"
    junk.write_bytes(JUNK)

    # the API
    report = complaint.read_file(path, "bank")
    assert report.rejected == [{"row": 3, "field": "Bedrag", "value": "-2O,00", "reason": "-2O,00 is not an amount"}]
    assert report.summary == ("kbc_bad.csv: bank.kbc_csv, 2 of 3 rows imported, 1 rejected, 0 skipped, "
                              "balance mismatch")
    with pytest.raises(NotMyFormat) as refused:
        complaint.read_file(junk, "bank")
    unknown = str(refused.value)
    assert unknown.startswith("odd.csv: no importer recognises this file")

    # the CLI
    res = CliRunner().invoke(cli, ["import-bank", str(path), str(junk), "--format", "json"])
    assert res.exit_code == 2  # one file failed
    [doc] = json.loads(res.stdout)
    assert doc["rejected_rows"] == report.rejected and doc["rows_imported"] == report.rows_imported == 2
    assert report.summary in res.stderr.splitlines()
    assert f"error: {unknown}" in res.stderr.splitlines()

    # the app: the Import page, statements tab, both files uploaded
    monkeypatch.setenv("COMPLAINT_DB", str(tmp_path / "app.sqlite"))
    complaint.open_case("Mine", db=tmp_path / "app.sqlite")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("app_pages/import.py").run()
    at.file_uploader(key="ib_upload").set_value([("kbc_bad.csv", path.read_bytes(), "text/csv"),
                                                 ("odd.csv", JUNK, "text/csv")]).run()
    assert not at.exception, [e.value for e in at.exception]
    # the same line with the format's name instead of its code; the balance proof in its own box
    label = complaint.list_importers("bank")["bank.kbc_csv"]
    assert f"kbc_bad.csv: {label}, 2 of 3 rows imported, 1 rejected, 0 skipped" in [t.value for t in at.text]
    assert any("Balance proof fails" in e.value for e in at.error)
    [problems] = [d.value for d in at.dataframe if "reason" in d.value.columns]
    shown = _rows(problems)
    assert [{k: v for k, v in r.items() if k != "kind"} for r in shown] == report.rejected
    assert {r["kind"] for r in shown} == {"rejected"}
    assert unknown in [_plain(i.value) for i in at.info]

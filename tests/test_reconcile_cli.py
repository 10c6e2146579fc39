"""``complaint reconcile`` through click's runner: the JSON contract and the exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from complaint.cli import cli

DATA = Path(__file__).parent / "data"
ORDERS = DATA / "orders" / "aliexpress_order_exporter" / "aliexpress_orders_2026-02-12.csv"
BANK = DATA / "bank" / "kbc_csv" / "kbc_en_18col.csv"


def test_json_contract(tmp_path):
    promises = tmp_path / "promises.json"
    promises.write_text(json.dumps([{"order_id": "3069099405659913", "amount": "12.50", "currency": "USD",
                                     "promised_on": "2026-02-20"}]), encoding="utf-8")
    result = CliRunner().invoke(cli, ["reconcile", "--orders", str(ORDERS), "--bank", str(BANK),
                                      "--promises", str(promises), "--as-of", "2026-06-01", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data["summary"]) == {"paid_eur", "refunds_expected_eur", "refunds_credited_eur",
                                    "refunds_pending_eur", "refunds_overdue_eur"}
    assert all(isinstance(v, float) for v in data["summary"].values())
    [miss] = [m for m in data["missing_credits"] if m["order_id"] == "3069099405659913"]
    assert miss["state"] == "overdue" and miss["expected_since"] == "2026-02-20" and miss["currency"] == "USD"
    for key in ("matches", "unmatched_transactions", "orders_without_payment", "duplicate_charges",
                "rejected_rows"):
        assert isinstance(data[key], list)
    for m in data["matches"]:
        assert {"order_ids", "transaction_ids", "kind", "score", "reasons"} <= set(m)


def test_table_and_csv_formats():
    for fmt in ("table", "csv"):
        result = CliRunner().invoke(cli, ["reconcile", "--orders", str(ORDERS), "--bank", str(BANK),
                                          "--as-of", "2026-06-01", "--format", fmt])
        assert result.exit_code == 0, result.output


def test_unusable_input_exits_2_with_one_line(tmp_path):
    junk = tmp_path / "junk.csv"
    junk.write_bytes(b"\x00\x01 nothing here\n")
    result = CliRunner().invoke(cli, ["reconcile", "--orders", str(junk), "--format", "json"])
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    bad = tmp_path / "promises.json"
    bad.write_text("{not json", encoding="utf-8")
    result = CliRunner().invoke(cli, ["reconcile", "--orders", str(ORDERS), "--promises", str(bad)])
    assert result.exit_code == 2 and "promises.json" in result.stderr

"""On the bundled sample case exactly the planted missing credits are reported, nothing else."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from complaint.api.sample import SAMPLE_DIR, sample_case_data
from complaint.reconciliation.reconcile import reconcile

EXPECTED = SAMPLE_DIR / "EXPECTED.json"  # committed with the sample (sample_data/generate.py)


@pytest.fixture(scope="module")
def result():
    return reconcile(sample_case_data()), json.loads(EXPECTED.read_text(encoding="utf-8"))


def test_exactly_the_planted_missing_credits(result):
    rec, expected = result
    got = {(m.order_id, m.expected_amount, m.currency, m.expected_since, m.state, m.due_date)
           for m in rec.missing_credits}
    want = {(m["order_id"], Decimal(m["expected_amount"]), m["currency"], date.fromisoformat(m["expected_since"]),
             m["state"], date.fromisoformat(m["due_by"])) for m in expected["missing_credits"]}
    assert got == want
    assert rec.orders_without_payment == [] and rec.duplicate_charges == [] and rec.credits_without_refund == []


def test_planted_payments_refunds_and_combined_checkout(result):
    rec, expected = result
    pays = {m.order_ids for m in rec.matches if m.kind == "payment"}
    assert tuple(sorted(expected["combined_checkout"]["order_ids"])) in pays
    for p in expected["payments"]:
        assert tuple(sorted(p["order_ids"])) in pays
    refunded = {o for m in rec.matches if m.kind == "refund" for o in m.order_ids}
    assert {r["order_id"] for r in expected["refunds_credited"]} <= refunded
    balance = {e.order_id for e in rec.expected_refunds if e.state == "platform_balance"}
    assert {r["order_id"] for r in expected["refunds_to_platform_balance"]} <= balance

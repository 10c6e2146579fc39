"""The home page figures and next steps, on the sample case and on an empty one."""

from __future__ import annotations

import json
from decimal import Decimal

from complaint.analysis.overview import overview
from complaint.api.sample import SAMPLE_DIR, sample_case_data
from complaint.case import CaseData
from complaint.i18n import set_language
from complaint.reconciliation.reconcile import reconcile


def test_sample_case_overview_names_the_planted_missing_credits():
    expected = json.loads((SAMPLE_DIR / "EXPECTED.json").read_text(encoding="utf-8"))["missing_credits"]
    case = sample_case_data()
    ov = overview(case, reconcile(case, as_of=case.as_of))
    assert ov.orders == 40 and ov.evidence == 8 and ov.rejected_rows == 0
    assert ov.missing_count == len(expected)
    assert ov.missing_eur == sum(Decimal(m["expected_amount"]) for m in expected)
    overdue = [m for m in expected if m["state"] == "overdue"]
    assert ov.overdue_count == len(overdue)
    first = ov.steps[0]
    assert first.page == "dossier" and first.order_id == overdue[0]["order_id"]
    assert "14,90 €" in first.text and "overdue" in first.text


def test_empty_case_asks_for_files_first():
    set_language("en")
    ov = overview(CaseData(), reconcile(CaseData()))
    assert [s.page for s in ov.steps] == ["import", "import"]
    assert ov.paid_eur == 0 and ov.missing_count == 0


def test_steps_follow_the_language():
    case = sample_case_data()
    recon = reconcile(case, as_of=case.as_of)
    set_language("nl")
    try:
        text = overview(case, recon).steps[0].text
    finally:
        set_language("en")
    assert "€ 14,90" in text


def test_refresh_home_snapshot_computes_once_per_revision(case_store):
    from datetime import date

    from complaint.analysis.overview import refresh_home_snapshot
    from complaint.api.sample import load_sample
    from complaint.records import Event

    case = load_sample(case_store)
    assert refresh_home_snapshot(case_store, case.id, "fr") is True
    assert refresh_home_snapshot(case_store, case.id, "fr") is False  # current: nothing to do
    assert refresh_home_snapshot(case_store, case.id, "nl") is True  # per language
    case_store.add_event(case.id, Event(id="n1", kind="note", lane="order", title="called the bank",
                                        on=date(2026, 11, 19), origin="manual"))
    assert refresh_home_snapshot(case_store, case.id, "fr") is True  # the write made it stale


def test_a_write_in_the_app_warms_the_home_snapshot_in_the_background(case_store, monkeypatch):
    import streamlit as st

    from complaint.api.sample import load_sample
    from ui import state

    case = load_sample(case_store)
    monkeypatch.setattr(st, "session_state", {"_store": case_store, "_case_id": case.id})
    state.invalidate()
    state._warmer.wait(120)
    name = __import__("complaint.analysis.overview", fromlist=["home_snapshot_name"]).home_snapshot_name("en")
    assert case_store.case_snapshot(case.id, name) is not None

"""The home page figures and next steps, on the sample case and on an empty one."""

from __future__ import annotations

import json
from decimal import Decimal

from complaint.case import CaseData
from complaint.i18n import set_language
from complaint.overview import overview
from complaint.reconciliation import reconcile
from complaint.sample import SAMPLE_DIR, sample_case_data


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

"""The guided help page through AppTest: steps, skipping, saving the problem and a promise,
a hand-entered transaction, and the "what we found" / "what to do now" steps on the sample case."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from complaint.api.sample import load_sample, sample_case_data
from complaint.records import Problem
from complaint.store.db import Store

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
GUIDE = "app_pages/guide.py"
SHORT_ORDER = "8116516504403817"  # EXPECTED.json: 14.90 EUR promised 2026-06-18, never credited (overdue)


def _problems(at: AppTest) -> list[str]:
    """Exceptions and errors, as the user reads them (errors are shown markdown-escaped)."""
    return [str(e.value) for e in at.exception] + [re.sub(r"\\(.)", r"\1", str(e.value)) for e in at.error]


def _app(store: Store, case_id: int | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["_store"] = store
    if case_id is not None:
        at.session_state["_case_id"] = case_id
    at.session_state["_lang"] = "en"
    return at


def _button(at: AppTest, label: str):
    hits = [b for b in at.button if b.label == label]
    assert hits, f"no button {label!r} in {[b.label for b in at.button]}"
    return hits[0]


@pytest.fixture(scope="module")
def sample_store() -> tuple[Store, int]:
    store = Store.open(":memory:")
    return store, load_sample(store).id


def test_a_fresh_store_opens_on_the_guide_with_every_step():
    at = _app(Store.open(":memory:"))
    at.run()
    assert _problems(at) == []
    assert at.title[0].value == "Guided help"
    steps = at.radio(key="guide_step")
    assert list(steps.options) == [
        "1. What went wrong?", "2. Your order", "3. Your bank or PayPal statement", "4. Photos and screenshots",
        "5. What we found", "6. What to do now"]
    assert _button(at, "Back").disabled


def test_saving_the_problem_creates_the_case_annotation_and_promise():
    store = Store.open(":memory:")
    at = _app(store)
    at.run()
    _button(at, "Save and continue").click().run()
    assert any("order number" in e for e in _problems(at)), _problems(at)
    assert store.list_cases() == []  # nothing created on a failed save

    at.radio(key="guide_w_problem").set_value(Problem.SHORT_QUANTITY.value)
    at.text_input(key="guide_w_order_text").input(f"'{SHORT_ORDER}")  # anti-Excel apostrophe is cleaned
    at.checkbox(key="guide_w_promised").check().run()
    at.text_input(key="guide_w_p_amount").input("14,9O")
    at.date_input(key="guide_w_p_date").set_value(date(2026, 6, 18))
    _button(at, "Save and continue").click().run()
    assert any(e.startswith("The promise was not saved. amount: '14,9O'") for e in _problems(at)), _problems(at)

    at.text_input(key="guide_w_p_amount").input("14,90")
    _button(at, "Save and continue").click().run()
    assert _problems(at) == []
    [case] = store.list_cases()
    data = store.load_case(case.id)
    assert data.annotations[SHORT_ORDER].problem == "short_quantity"
    [promise] = data.promises
    assert (promise.order_id, promise.amount, promise.promised_on) == (SHORT_ORDER, Decimal("14.90"), date(2026, 6, 18))
    assert at.session_state["guide_step"] == 1
    assert at.header[0].value == "2. Your order"
    # saving twice keeps one promise (stable id)
    at.radio(key="guide_step").set_value(0).run()
    assert at.radio(key="guide_w_problem").value == "short_quantity"  # the saved answer comes back
    at.checkbox(key="guide_w_promised").check().run()
    at.text_input(key="guide_w_p_amount").input("14,90")
    at.date_input(key="guide_w_p_date").set_value(date(2026, 6, 18))
    _button(at, "Save and continue").click().run()
    assert len(store.load_case(case.id).promises) == 1


def test_skip_back_and_next_move_between_steps_and_mark_skipped():
    at = _app(Store.open(":memory:"))
    at.run()
    _button(at, "Skip this step").click().run()
    assert at.session_state["guide_step"] == 1
    assert "skipped" in at.radio(key="guide_step").options[0]
    _button(at, "Next").click().run()
    assert at.header[0].value == "3. Your bank or PayPal statement"
    _button(at, "Back").click().run()
    assert at.header[0].value == "2. Your order"
    at.radio(key="guide_step").set_value(5).run()
    assert _problems(at) == []
    assert not [b for b in at.button if b.label == "Next"]  # the last step links to the Dossier instead
    assert "Tell us which order" in at.info[0].value


def test_a_transaction_entered_by_hand_is_stored_with_its_sign():
    store = Store.open(":memory:")
    case = store.create_case("hand")
    at = _app(store, case.id)
    at.run()
    at.radio(key="guide_step").set_value(2).run()
    at.radio(key="guide_mt_dir").set_value("out")
    at.date_input(key="guide_mt_date").set_value(date(2026, 6, 2))
    at.text_input(key="guide_mt_amount").input("abc")
    at.button(key="FormSubmitter:guide_manual_txn-Add this line").click().run()
    assert any(e.startswith("The line was not added. amount:") for e in _problems(at)), _problems(at)
    at.text_input(key="guide_mt_amount").input("29,80")
    at.button(key="FormSubmitter:guide_manual_txn-Add this line").click().run()
    assert _problems(at) == []
    [txn] = store.load_case(case.id).transactions
    assert (txn.amount, txn.currency, txn.booking_date) == (Decimal("-29.80"), "EUR", date(2026, 6, 2))
    assert txn.merchant == "aliexpress"
    assert "guide_step" in at.session_state and "3. Your bank" in at.radio(key="guide_step").options[2]
    assert "✓" in at.radio(key="guide_step").options[2]


@pytest.mark.slow
def test_found_and_next_steps_on_the_sample_case(sample_store):
    store, case_id = sample_store
    at = _app(store, case_id)
    at.session_state["guide_order"] = SHORT_ORDER
    at.session_state["guide_problem"] = "short_quantity"
    at.session_state["guide_step"] = 4
    at.switch_page(GUIDE).run()
    assert _problems(at) == [e for e in _problems(at) if "overdue" in e]
    [overdue] = [e.value for e in at.error]
    assert "14,90 €" in overdue and "16 Jul 2026" in overdue and "18 Jun 2026" in overdue
    assert any(s.value.startswith("Paid:") for s in at.success)
    _button(at, "Next").click().run()
    assert at.header[0].value == "6. What to do now"
    assert not at.exception
    texts = " ".join(t.value for t in at.markdown)
    assert "1. " in texts and "Dates to remember" in texts


def test_order_findings_on_the_sample_case():
    from complaint import order_findings, reconcile

    case = sample_case_data()
    recon = reconcile(case, as_of=case.today())
    f = order_findings(case, SHORT_ORDER, recon)  # the order's case view: what the letters say
    assert [(m.state, m.outstanding.amount, m.due) for m in f.missing] == [
        ("overdue", Decimal("14.90"), date(2026, 7, 16))]
    assert f.payments and all(p.amount.amount > 0 for p in f.payments)
    credited = order_findings(case, "3179939214173763", recon)  # EXPECTED.json: 54.90 credited 2026-03-02
    assert [p.state for p in credited.promises] == ["credited"] and not credited.missing
    assert [c.booked_on for c in credited.credits] == [date(2026, 3, 2)] and credited.credits[0].on_purchase_date
    unknown = order_findings(case, "1234567890123456", recon)
    assert unknown.order is None and not unknown.payments and not unknown.missing

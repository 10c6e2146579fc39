"""What a user records by hand, through complaint.api, on a stored case (one transaction per call)
and on a case in memory alike: promises, decisions, problems, dispute outcomes, the buyer's
profile, events, pastes and pictures; and what the reconciliation, the chronology and the
letters make of them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

import complaint
from complaint.errors import ComplaintError

OVERDUE = "8116516504403817"  # EXPECTED.json: 14.90 promised by the dispute, never credited
LATE = "3035361745554821"  # delivered late; compensation to the AliExpress balance (no bank credit)


@pytest.fixture(params=["stored", "memory"])
def case(request):
    handle = complaint.open_sample()
    return handle if request.param == "stored" else complaint.case_data(handle)


def _missing(case) -> dict[str, str]:
    return {m.order_id: m.state for m in complaint.reconcile(case).missing_credits}


def test_a_promise_is_expected_until_withdrawn(case):
    p = complaint.record_promise(case, LATE, "9,99", promised_on="2026-08-25", by="seller")
    assert p.amount == Decimal("9.99") and _missing(case)[LATE] == "overdue"
    complaint.withdraw_promise(case, p.id)
    assert LATE not in _missing(case)
    with pytest.raises(ComplaintError, match="no refund promise"):
        complaint.withdraw_promise(case, p.id)
    with pytest.raises(ComplaintError, match="by: 'the moon'"):
        complaint.record_promise(case, LATE, "1", by="the moon")
    with pytest.raises(ComplaintError, match="order_id"):
        complaint.record_promise(case, "not an order", "1")


def test_decisions_follow_the_users_word(case):
    first = complaint.reconcile(case).matches[0]
    complaint.reject_match(case, first.order_ids, first.txn_ids, kind=first.kind, note="another purchase")
    assert first.key not in {m.key for m in complaint.reconcile(case).matches if m.decision != "rejected"}
    complaint.clear_decision(case, first.order_ids, first.txn_ids, kind=first.kind)
    assert next(m for m in complaint.reconcile(case).matches if m.key == first.key).decision is None
    complaint.confirm_match(case, list(first.order_ids), ",".join(first.txn_ids), kind=first.kind)
    assert next(m for m in complaint.reconcile(case).matches if m.key == first.key).decision == "confirmed"
    with pytest.raises(ComplaintError, match="not in this case: nope"):
        complaint.link_match(case, first.order_ids, "nope")
    with pytest.raises(ComplaintError, match="at least one order and one transaction"):
        complaint.link_match(case, first.order_ids, [])


def test_a_problem_and_a_dispute_outcome_reach_the_chronology_and_the_reconciliation(case):
    ann = complaint.set_problem(case, LATE, "late", payment_method="paypal")
    assert (ann.problem, ann.payment_method) == ("late", "paypal")
    assert complaint.set_problem(case, LATE, None).payment_method == "paypal"  # kept when not given
    complaint.set_outcome(case, LATE, "full_refund", "2026-09-01")
    closed = [e for e in complaint.chronology(case, order_id=LATE) if e.kind == "dispute_closed"]
    assert [(str(e.on), "full refund" in e.title) for e in closed] == [("2026-09-01", True)]
    assert _missing(case)[LATE] == "overdue"  # the refund of the whole order is now expected
    [p] = [p for p in complaint.promises(case) if p.id == f"outcome-{LATE}"]
    assert p.by == "dispute" and p.amount > 0
    complaint.set_outcome(case, LATE, "rejected", "2026-09-02")  # no refund: the expectation goes
    assert LATE not in _missing(case) and all(p.id != f"outcome-{LATE}" for p in complaint.promises(case))
    complaint.set_outcome(case, LATE, None)
    assert not [e for e in complaint.chronology(case, order_id=LATE) if e.kind == "dispute_closed"]
    # a dispute promise already recorded stands for the refund: no second one
    before = len(complaint.promises(case))
    complaint.set_outcome(case, OVERDUE, "partial_refund", "2026-06-18")
    assert len(complaint.promises(case)) == before
    with pytest.raises(ComplaintError, match="give the amount"):
        complaint.set_outcome(case, LATE, "partial_refund")


def test_an_outcome_is_one_transaction():
    case = complaint.open_sample()
    store = case.store
    before = store.case_revision(case.id)
    complaint.set_outcome(case, LATE, "full_refund", "2026-09-01")
    assert store.case_revision(case.id) == before + 1  # annotation and promise written together


def test_the_profile_signs_the_letters_and_travels_with_the_case():
    case = complaint.open_case("Mine")
    complaint.add_order(case, "3069099405659913", "2026-03-01", "12,34", store="Shop")
    complaint.set_profile(case, name="An De Smet", address="Kerkstraat 1\n9000 Gent", email="an@example.be",
                          language="nl")
    letter = complaint.write_letter(case, "3069099405659913", "seller_message", as_of=date(2026, 4, 1))
    assert letter.lang == "nl" and "An De Smet" in letter.text
    unsigned = complaint.write_letter(case, "3069099405659913", "seller_message", "en", as_of=date(2026, 4, 1),
                                      details={"name": ""})
    assert "An De Smet" not in unsigned.text
    copy = complaint.import_case(complaint.open_store(), complaint.export_case(case))
    assert complaint.profile(copy) == complaint.profile(case)
    assert complaint.set_profile(case, email="").email is None and complaint.profile(case).name == "An De Smet"
    with pytest.raises(ComplaintError, match="language"):
        complaint.set_profile(case, language="xx")


def test_events_are_added_edited_and_deleted(case):
    added = complaint.add_event(case, "reminder_sent", "2026-03-29", "Reminder", time="02:30", order_ids=[LATE])
    [ev] = added.saved
    assert ev.at.strftime("%H:%M %z") == "03:30 +0200" and "does not exist" in added.notes[0]
    edited = complaint.edit_event(case, ev.id, title="Reminder (2)", time="")
    assert edited.saved[0].at is None and edited.saved[0].title == "Reminder (2)"
    rows = complaint.event_rows(case)
    rows = [r for r in rows if r["id"] != ev.id] + [{"day": "2026-04-01", "kind": "nonsense", "title": "x"}]
    changes = complaint.save_event_rows(case, rows)
    assert ev.id in changes.deleted and any("unknown kind" in n for n in changes.notes)
    with pytest.raises(ComplaintError, match="no event"):
        complaint.delete_event(case, ev.id)
    with pytest.raises(ComplaintError, match="a day and a title"):
        complaint.add_event(case, "note", "2026-04-01", "")


def test_a_paste_previews_then_keeps(case):
    chat = "Seller Store  2026-03-12 14:05\nWe will refund you.\nYou  2026-03-12 15:00\nThank you.\nno date here"
    preview = complaint.paste_conversation(case, chat, LATE, save=False)
    assert len(preview.events) == 2 and not preview.saved
    kept_before = {e.id for e in complaint.case_data(case).events}
    assert not {e.id for e in preview.events} & kept_before
    kept = complaint.paste_conversation(case, chat, LATE)
    assert kept.saved and {e.id for e in kept.events} <= {e.id for e in complaint.case_data(case).events}


def test_pictures_are_attached_detached_and_removed(case):
    data = complaint.case_data(case)
    ev = data.evidence[0]
    assert complaint.attach_evidence(case, ev.sha256[:10], LATE, problem="damaged", note="box").order_id == LATE
    again = next(e for e in complaint.case_data(case).evidence if e.sha256 == ev.sha256)
    assert (again.order_id, again.problem, again.note) == (LATE, "damaged", "box")
    assert complaint.detach_evidence(case, ev.sha256).problem == "damaged"  # only the order link goes
    complaint.remove_evidence(case, ev.sha256)
    assert ev.sha256 not in {e.sha256 for e in complaint.case_data(case).evidence}
    with pytest.raises(ComplaintError, match="no evidence file"):
        complaint.attach_evidence(case, ev.sha256, LATE)


def test_imported_pictures_are_marked_as_copies_of_what_the_case_holds():
    case = complaint.open_case("Pictures")
    first = complaint.sample_files()["evidence"][0]
    rows = complaint.import_evidence(case, first, order_id=OVERDUE)
    again = complaint.import_evidence(case, first)
    assert rows["added"].tolist() == [True] and again["added"].tolist() == [False]
    assert again["duplicate_of"].tolist() == [rows["sha256"][0]]
    assert complaint.case_data(case).evidence[0].order_id == OVERDUE
    broken = complaint.import_evidence(case, _named(b"not a picture", "IMG_0001.jpg"))
    assert broken["added"].tolist() == [False] and broken["error"].notna().all()


def _named(data: bytes, name: str):
    import io

    fh = io.BytesIO(data)
    fh.name = name
    return fh


def test_typed_in_orders_and_lines_are_checked_per_field():
    case = complaint.open_case("Typed")
    with pytest.raises(ComplaintError, match="total"):
        complaint.add_order(case, "3069099405659913", "2026-03-01", "12,3O")
    with pytest.raises(ComplaintError, match="amount"):
        complaint.add_transaction(case, "2026-03-01", "0")
    complaint.add_order(case, "3069099405659913", "2026-03-01", "12,34")
    complaint.add_transaction(case, "2026-03-02", "-12,34", counterparty="ALIEXPRESS.COM")
    [m] = complaint.reconcile(case).matches
    assert m.order_ids == ("3069099405659913",)

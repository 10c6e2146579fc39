"""The commands that mirror the app's forms (promise, match, order, transaction, event, paste,
evidence-attach, profile, summary, guide, letter): each a thin wrapper over one complaint.api
function, on a stored case (--db/--case), with one-line errors and exit code 2."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import complaint
from complaint.cli import cli

OVERDUE = "8116516504403817"
LATE = "3035361745554821"


@pytest.fixture
def db(tmp_path) -> str:
    path = str(tmp_path / "cases.sqlite")
    complaint.open_sample(path)
    return path


def run(db: str, *args: str, code: int = 0):
    res = CliRunner().invoke(cli, [*args, "--db", db, "--case", "Sample case"])
    assert res.exit_code == code, (res.stdout, res.stderr)
    if code == 2:
        assert len(res.stderr.strip().splitlines()) == 1 and res.stderr.startswith("error: ")
        assert "Traceback" not in res.stderr
    return res


def stored(db: str):
    return complaint.open_case("Sample case", db=db, create=False)


def test_promise_add_list_withdraw(db):
    out = run(db, "promise", "add", LATE, "9,99", "--by", "seller", "--on", "2026-08-25", "--format", "json")
    made = json.loads(out.stdout)
    assert made["amount"] == "9.99" and made["by"] == "seller"
    listed = json.loads(run(db, "promise", "list", "--format", "json").stdout)
    assert made["id"] in {p["id"] for p in listed}
    assert {m.order_id for m in complaint.reconcile(stored(db)).missing_credits} >= {LATE}
    run(db, "promise", "withdraw", made["id"])
    assert made["id"] not in {p.id for p in complaint.promises(stored(db))}
    run(db, "promise", "withdraw", made["id"], code=2)
    run(db, "promise", "add", LATE, "lots", code=2)


def test_match_confirm_reject_link_clear(db):
    m = complaint.reconcile(stored(db)).matches[0]
    ids = [a for o in m.order_ids for a in ("--order", o)] + [a for t in m.txn_ids for a in ("--txn", t)]
    run(db, "match", "reject", *ids, "--kind", m.kind)
    assert next(d for d in complaint.case_data(stored(db)).decisions).decision == "rejected"
    run(db, "match", "confirm", *ids, "--kind", m.kind, "--note", "my card")
    [d] = complaint.case_data(stored(db)).decisions
    assert (d.decision, d.note) == ("confirmed", "my card")
    run(db, "match", "clear", *ids, "--kind", m.kind)
    assert complaint.case_data(stored(db)).decisions == []
    run(db, "match", "link", "--order", LATE, "--txn", "no-such-txn", code=2)


def test_order_problem_outcome_add_and_a_typed_transaction(db):
    run(db, "order", "problem", LATE, "late", "--paid-with", "paypal")
    run(db, "order", "outcome", LATE, "partial_refund", "--amount", "3,00", "--on", "2026-09-01")
    ann = complaint.annotation(stored(db), LATE)
    assert (ann.problem, ann.payment_method, ann.outcome) == ("late", "paypal", "partial_refund")
    assert any(e.kind == "dispute_closed" for e in complaint.chronology(stored(db), order_id=LATE))
    run(db, "order", "outcome", LATE, "none")
    assert complaint.annotation(stored(db), LATE).outcome is None
    run(db, "order", "problem", LATE, "broken", code=2)  # click's choice error: one line too
    out = run(db, "order", "add", "3069099405659913", "--date", "2026-03-01", "--total", "12,34")
    assert "3069099405659913" in out.stdout
    run(db, "order", "add", "3069099405659913", "--date", "2026-03-01", "--total", "12,3O", code=2)
    res = CliRunner().invoke(cli, ["transaction", "--db", db, "--case", "Sample case", "--counterparty",
                                   "ALIEXPRESS.COM", "2026-03-02", "--", "-12,34"])
    assert res.exit_code == 0, res.stderr
    assert any(str(t.amount) == "-12.34" and t.merchant for t in complaint.case_data(stored(db)).transactions)


def test_events_and_pastes(db, tmp_path):
    out = run(db, "event", "add", "--kind", "reminder_sent", "--day", "2026-03-29", "--time", "02:30",
              "--title", "Reminder", "--order", LATE)
    assert "does not exist" in out.stderr  # the DST note, on stderr
    [row] = [r for r in json.loads(run(db, "event", "list", "--format", "json").stdout) if r["title"] == "Reminder"]
    run(db, "event", "edit", row["id"], "--title", "Reminder (2)")
    assert any(r["title"] == "Reminder (2)" for r in complaint.event_rows(stored(db)))
    run(db, "event", "delete", row["id"])
    run(db, "event", "delete", row["id"], code=2)
    run(db, "event", "add", "--kind", "note", code=2)
    chat = tmp_path / "chat.txt"
    chat.write_text("Seller Store  2026-03-12 14:05\nWe will refund you.\n", encoding="utf-8")
    before = len(complaint.case_data(stored(db)).events)
    run(db, "paste", "chat", str(chat), "--order", LATE, "--dry-run")
    assert len(complaint.case_data(stored(db)).events) == before
    run(db, "paste", "chat", str(chat), "--order", LATE)
    assert len(complaint.case_data(stored(db)).events) == before + 1
    track = tmp_path / "track.txt"
    track.write_text("2026-03-10 08:15 Arrived at destination country\n2026-03-12 11:02 Delivered\n", encoding="utf-8")
    out = run(db, "paste", "tracking", str(track), "--order", LATE, "--format", "json")
    assert [e["kind"] for e in json.loads(out.stdout)] == ["tracking", "delivered"]


def test_evidence_attach_and_detach(db):
    ev = complaint.case_data(stored(db)).evidence[0]
    run(db, "evidence-attach", ev.sha256[:12], LATE, "--problem", "damaged")
    again = next(e for e in complaint.case_data(stored(db)).evidence if e.sha256 == ev.sha256)
    assert (again.order_id, again.problem) == (LATE, "damaged")
    run(db, "evidence-attach", ev.sha256[:12], "--detach")
    assert next(e for e in complaint.case_data(stored(db)).evidence if e.sha256 == ev.sha256).order_id is None
    run(db, "evidence-attach", ev.sha256[:12], code=2)  # neither an order nor --detach
    run(db, "evidence-attach", "deadbeefdeadbeef", LATE, code=2)


def test_profile_summary_guide_and_letter(db, tmp_path):
    run(db, "profile", "set", "--email", "lotte@example.be", "--language", "fr")
    shown = json.loads(run(db, "profile", "show", "--format", "json").stdout)
    assert shown == {"name": "Lotte Janssens", "address": "Diestsesteenweg 112, 3010 Kessel-Lo",
                     "email": "lotte@example.be", "language": "fr"}
    run(db, "profile", "set", "--email", "not-an-address", code=2)
    summary = json.loads(run(db, "summary", "--format", "json").stdout)
    assert summary["overview"]["overdue_count"] == 1 and summary["overview"]["overdue_eur"] == "14.90"
    assert "What to do next" in run(db, "summary").stdout
    steps = json.loads(run(db, "guide", OVERDUE, "--format", "json").stdout)
    assert steps[0]["step"] == "seller" and {s["status"] for s in steps} <= {"done", "todo", "not_applicable"}
    letter = run(db, "letter", OVERDUE, "--kind", "formal_notice").stdout
    assert "Lotte Janssens" in letter and OVERDUE in letter  # in French: the profile's language
    assert "Mise en demeure" in letter or "mise en demeure" in letter.lower()
    run(db, "letter", "1234567890123456", "--kind", "formal_notice", code=2)


def test_a_write_command_needs_a_stored_case(tmp_path):
    res = CliRunner().invoke(cli, ["promise", "add", LATE, "1", "--db", str(tmp_path / "x.sqlite"), "--case", "Nope"])
    assert res.exit_code == 2 and res.stderr.startswith("error: no case named 'Nope'")
    res = CliRunner().invoke(cli, ["promise", "add", LATE, "1"])
    assert res.exit_code == 2 and "--case" in res.stderr


def test_cases_group_db_wins_over_the_environment(tmp_path, monkeypatch):
    """``complaint cases --db X sample`` writes to X even when COMPLAINT_DB names another store."""
    from click.testing import CliRunner

    from complaint.cli import cli

    monkeypatch.setenv("COMPLAINT_DB", str(tmp_path / "env.sqlite"))
    run = CliRunner().invoke(cli, ["cases", "--db", str(tmp_path / "mine.sqlite"), "sample"])
    assert run.exit_code == 0, run.output
    assert (tmp_path / "mine.sqlite").exists() and not (tmp_path / "env.sqlite").exists()

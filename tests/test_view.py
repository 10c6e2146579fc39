"""The case view: one truth per order, built once, read by every part of the dossier."""

from __future__ import annotations

import doctest
from datetime import date
from decimal import Decimal

import pytest

from complaint.api.sample import sample_case_data
from complaint.case import CaseData
from complaint.dossier import view as view_module
from complaint.dossier.view import DISPUTED, OK, OVERDUE, PENDING, Money, build_case_view
from complaint.reconciliation.reconcile import reconcile
from complaint.records import (
    BankTxn,
    Order,
    OrderAnnotation,
    OrderLine,
    OrderStatus,
    Provenance,
    RefundPromise,
)
from complaint.timeline.events import sort_key

SHORT, FRYER = "8116516504403817", "3065169024372184"  # the sample's overdue and pending refunds


def EUR(text: str) -> Money:  # noqa: N802 - reads like the currency it builds
    return Money(Decimal(text), "EUR")


@pytest.fixture(scope="module")
def sample():
    case = sample_case_data()
    rec = reconcile(case, as_of=case.as_of)
    return case, rec, build_case_view(case, rec)


def test_the_overdue_partial_refund_of_the_sample(sample):
    case, _rec, view = sample
    assert view.as_of == date(2026, 11, 20)
    o = view.order(SHORT)
    assert (o.order_date, o.store, o.total, o.problem.value) == (date(2026, 5, 24), "DELI Tools Official Store",
                                                                  EUR("29.80"), "short_quantity")
    assert o.title.startswith("Deli Quick Grip Bar Clamp") and o.status == OrderStatus.COMPLETED
    [paid] = o.payments
    assert (paid.booked_on, paid.amount, paid.account) == (date(2026, 5, 26), EUR("29.80"), "BE62735048216361")
    assert (paid.statement, paid.line) == ("kbc_2025-2026.csv", 137)
    [promise] = o.promises
    assert (promise.by, promise.promised_on, promise.amount) == ("dispute", date(2026, 6, 18), EUR("14.90"))
    assert promise.destination == "original_payment" and promise.promise_id == "promise-05"
    assert o.credits == () and o.credited == EUR("0")
    [missing] = o.missing
    assert (missing.promised, missing.credited, missing.outstanding) == (EUR("14.90"), EUR("0.00"), EUR("14.90"))
    assert (missing.since, missing.business_days_waited, missing.delay_business_days) == (date(2026, 6, 18), 109, 20)
    assert (missing.due, missing.state, missing.promise_id) == (date(2026, 7, 16), OVERDUE, "promise-05")
    # the KBC statements that could hold the credit, from the purchase day to their last booking
    assert (missing.searched_from, missing.searched_to) == (date(2026, 5, 24), date(2026, 11, 19))
    assert missing.statements == ("kbc_2025-2026.csv",)
    assert o.state == OVERDUE and o.outstanding == EUR("14.90") and o.days_waited == 109


def test_what_each_party_said_on_the_overdue_order(sample):
    _case, _rec, view = sample
    o = view.order(SHORT)
    assert o.dispute.opened_on == date(2026, 6, 9)
    assert (o.dispute.outcome, o.dispute.decided_on, o.dispute.refund) == ("refund", date(2026, 6, 18), EUR("14.90"))
    assert (o.last_out, o.last_in, o.seller_answered_on) == (date(2026, 7, 30), date(2026, 7, 31), date(2026, 7, 31))
    assert not o.awaiting_answer  # the seller answered on 31 July: no letter may say otherwise
    assert [c.on for c in o.help_centre] == [date(2026, 8, 4)]
    assert [c.on for c in o.bank_contacts] == [date(2026, 9, 15)] and "KBC" in o.bank_contacts[0].title
    assert (o.delivered_on, o.completed_on) == (date(2026, 6, 8), date(2026, 6, 8))
    assert o.steps_done == {"seller": date(2026, 6, 8), "dispute": date(2026, 6, 9), "help_centre": date(2026, 8, 4)}
    assert [e.file_name for e in o.evidence] and all(e.order_id == SHORT for e in o.evidence)


def test_the_pending_refund_and_the_picker_order(sample):
    _case, _rec, view = sample
    fryer = view.order(FRYER)
    assert fryer.state == PENDING and fryer.outstanding == EUR("59.90")
    assert fryer.missing[0].due == date(2026, 12, 7)
    choices = view.choices()
    assert [v.order_id for v in choices[:2]] == [SHORT, FRYER]  # open problems first, overdue first
    rest = choices[2:]
    assert all(v.state == OK for v in rest)
    assert [v.order_date for v in rest] == sorted((v.order_date for v in rest), reverse=True)
    credited = view.order("3082753449609284")  # a dispute refund that arrived
    assert credited.state == OK and credited.credits[0].settles == "promise-01"


def test_case_figures_agree_with_the_reconciliation(sample):
    _case, rec, view = sample
    fig = view.figures
    assert (fig.orders, fig.evidence, fig.missing_count, fig.overdue_count) == (40, 8, 2, 1)
    assert fig.paid_eur == rec.summary["paid_eur"]
    assert fig.missing_eur == rec.summary["refunds_pending_eur"] + rec.summary["refunds_overdue_eur"] == Decimal("74.80")
    assert [(m.order_id, m.state) for m in view.missing()] == [(SHORT, OVERDUE), (FRYER, PENDING)]


def test_facts_are_in_date_order_whatever_order_the_events_come_in(sample):
    case, rec, view = sample
    facts = view.order(SHORT).facts
    assert [sort_key(e) for e in facts] == sorted(sort_key(e) for e in facts)
    days = [e.on for e in facts]
    assert days.index(date(2026, 6, 9)) < days.index(date(2026, 7, 30))  # 9 June before 30 July
    shuffled = build_case_view(case, rec, events=list(reversed(view.events)))
    assert shuffled.order(SHORT).facts == facts


def test_module_example():
    assert doctest.testmod(view_module, optionflags=doctest.ELLIPSIS).failed == 0


def test_a_view_for_another_day_is_refused(sample):
    case, rec, view = sample
    assert view_module.ensure_view(view, case, rec) is view
    with pytest.raises(ValueError):
        view_module.ensure_view(view, case, rec, date(2026, 11, 21))


# --- small cases through the real reconciliation -------------------------------------------------

ORDER = "8200000000000001"


def _txn(n: int, day: date, amount: str, text: str = "ALIEXPRESS.COM LUXEMBOURG") -> BankTxn:
    return BankTxn(id=f"t{n}", booking_date=day, amount=Decimal(amount), currency="EUR", account="BE00 TEST",
                   description=text, merchant="aliexpress" if "ALIEXPRESS" in text else None,
                   payment_method="debit_card", provenance=Provenance("kbc.csv", "0" * 64, "bank.kbc_csv", n))


def _case(total: str, txns: list[BankTxn], promises=(), problem="damaged") -> CaseData:
    case = CaseData(name="small", as_of=date(2026, 9, 30))
    line = OrderLine(ORDER, "Table lamp", 1, Decimal(total), "EUR")
    case.orders = [Order(order_id=ORDER, order_date=date(2026, 6, 1), status=OrderStatus.COMPLETED,
                         status_text="Completed", currency="EUR", total=Decimal(total), store="Shop", items=(line,))]
    case.transactions = txns + [_txn(99, date(2026, 9, 29), "-5.00", "BAKERY")]  # the statement runs to 29 Sept
    case.promises = list(promises)
    case.annotations = {ORDER: OrderAnnotation(ORDER, problem=problem, payment_method="debit_card")}
    return case


def _view(case: CaseData):
    return build_case_view(case, reconcile(case, as_of=case.as_of))


def test_a_full_refund_credited_in_two_parts_with_the_rest_still_missing():
    case = _case("60.00", [_txn(1, date(2026, 6, 2), "-60.00"), _txn(2, date(2026, 6, 20), "20.00"),
                           _txn(3, date(2026, 6, 25), "15.00")],
                 [RefundPromise("p1", ORDER, Decimal("60.00"), "EUR", date(2026, 6, 15), by="dispute")])
    o = _view(case).order(ORDER)
    assert [(c.booked_on, c.amount, c.settles) for c in o.credits] == [
        (date(2026, 6, 20), EUR("20.00"), "p1"), (date(2026, 6, 25), EUR("15.00"), "p1")]
    [missing] = o.missing
    assert (missing.promised, missing.credited, missing.outstanding) == (EUR("60.00"), EUR("35.00"), EUR("25.00"))
    assert missing.outstanding == missing.promised - missing.credited
    assert missing.state == OVERDUE and missing.searched_to == date(2026, 9, 29)
    assert o.state == OVERDUE and o.credited == EUR("35.00") and o.outstanding == EUR("25.00")


def test_two_promised_parts_one_credited_one_missing():
    case = _case("60.00", [_txn(1, date(2026, 6, 2), "-60.00"), _txn(2, date(2026, 6, 20), "35.00")],
                 [RefundPromise("p1", ORDER, Decimal("35.00"), "EUR", date(2026, 6, 15), by="seller"),
                  RefundPromise("p2", ORDER, Decimal("25.00"), "EUR", date(2026, 7, 1), by="platform")])
    o = _view(case).order(ORDER)
    assert [(p.promise_id, p.by, p.state) for p in o.promises] == [("p1", "seller", "credited"),
                                                                   ("p2", "platform", OVERDUE)]
    assert [c.settles for c in o.credits] == ["p1"] and o.credits_for("p2") == ()
    assert [(m.promise_id, m.outstanding) for m in o.missing] == [("p2", EUR("25.00"))]
    assert o.promised == EUR("60.00") and o.outstanding == EUR("25.00")


def test_a_refund_booked_on_the_purchase_date_is_not_missing():
    case = _case("20.00", [_txn(1, date(2026, 6, 1), "-20.00"), _txn(2, date(2026, 6, 1), "20.00")],
                 [RefundPromise("p1", ORDER, Decimal("20.00"), "EUR", date(2026, 6, 10), by="seller")])
    view = _view(case)
    o = view.order(ORDER)
    [credit] = o.credits
    assert credit.on_purchase_date and credit.settles == "p1" and credit.amount == EUR("20.00")
    assert o.missing == () and o.outstanding == EUR("0") and o.promises[0].state == "credited"
    assert o.state == OK and view.missing() == []


def test_an_order_with_no_promise():
    case = _case("45.99", [_txn(1, date(2026, 6, 2), "-45.99")])
    o = _view(case).order(ORDER)
    assert o.promises == () and o.credits == () and o.missing == ()
    assert o.outstanding == EUR("0") and o.promised == EUR("0") and o.paid == EUR("45.99")
    assert o.state == DISPUTED  # a problem, nothing promised yet
    assert o.dispute.outcome is None


def test_an_order_unknown_to_the_case_still_has_a_view():
    case = _case("10.00", [])
    view = _view(case)
    stranger = view.order("8299999999999999")
    assert stranger.order is None and not view.has_order("8299999999999999")
    assert stranger.state == OK and stranger.facts == ()


# --- built once ---------------------------------------------------------------------------------

@pytest.fixture
def builds(monkeypatch):
    calls: list[tuple] = []
    real = view_module.build_case_view

    def counted(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(view_module, "build_case_view", counted)
    return calls


def test_a_full_case_dossier_export_builds_the_view_once(sample, builds, tmp_path):
    from complaint.dossier.build import export_dossier

    case, rec, _view = sample
    paths = export_dossier(case, tmp_path, lang="fr", reconciliation=rec, chart="none",
                           evidence_loader=lambda ev: None)
    assert paths.zip.exists()
    assert len(builds) == 1  # guides, letters, deadlines, PDF summary and calendar: one view


def test_the_ecc_dossier_and_a_given_view_build_no_more(sample, builds):
    from complaint.dossier.build import build_dossier
    from complaint.i18n import set_language

    case, rec, _view = sample
    build_dossier(case, lang="nl", reconciliation=rec, chart="none", variant="ecc", evidence_loader=lambda ev: None)
    assert len(builds) == 1
    set_language("de")
    try:
        german = view_module.build_case_view(case, rec)
        build_dossier(case, order_id=SHORT, lang="de", chart="none", evidence_loader=lambda ev: None, view=german)
    finally:
        set_language("en")
    assert len(builds) == 2  # the view given was used as it is


def test_the_home_figures_build_the_view_once(sample, builds):
    from complaint.analysis.overview import home_figures

    case, rec, _view = sample
    figures = home_figures(case, rec, case.as_of)
    assert len(builds) == 1
    assert figures.overview.steps[0].order_id == SHORT and figures.upcoming


def test_every_reader_accepts_the_view(sample, builds):
    from complaint.dossier.deadlines import deadlines
    from complaint.dossier.guide import evidence_checklist, guide_for_order
    from complaint.dossier.letters import render_letter
    from complaint.dossier.view import order_choices

    case, rec, view = sample
    assert order_choices(case, rec, view=view)[:2] == [SHORT, FRYER]
    guide = guide_for_order(case, SHORT, rec, view=view)
    assert guide.facts is view.order(SHORT)
    assert deadlines(case, rec, view=view, order_ids=[SHORT]) == list(guide.deadlines)
    assert evidence_checklist(view=view.order(SHORT)) == evidence_checklist(view.order(SHORT).problem)
    letter = render_letter("follow_up", case, SHORT, rec, "fr", view=view)
    assert SHORT in letter.body
    assert builds == []

"""Escalation guide: problem types, routing by seller country and payment method, sources."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest
from dossier_case import AS_OF, LAMP, PARCEL, REFUND, SHOES, build_case, build_recon

from complaint.dossier import rules
from complaint.dossier.guide import DONE, NOT_APPLICABLE, TODO, evidence_checklist, guide_for_order
from complaint.records import OrderAnnotation, Problem


@pytest.fixture
def case():
    return build_case()


@pytest.fixture
def recon():
    return build_recon()


def _with(case, oid, **changes):
    case.annotations[oid] = replace(case.annotations[oid], **changes)
    return case


@pytest.mark.parametrize("problem", list(Problem))
def test_every_problem_type_gets_a_full_guide_with_evidence_list(case, recon, problem):
    _with(case, LAMP, problem=problem.value)
    g = guide_for_order(case, LAMP, recon, AS_OF)
    keys = [s.key for s in g.steps]
    assert keys[:5] == ["seller", "dispute", "help_centre", "registered_letter", "social_media"]
    assert {"chargeback", "paypal", "formal_notice", "consumerconnect", "ecc", "mediation"} <= set(keys)
    assert all(s.status in (DONE, TODO, NOT_APPLICABLE) for s in g.steps)
    assert all(s.why for s in g.steps if s.status == NOT_APPLICABLE)
    assert g.problem == problem.value
    assert len(g.step("seller").attach) >= 2
    assert g.disclaimer and "not legal advice" in g.disclaimer


def test_evidence_checklist_follows_the_platform_list():
    assert any("ruler" in i for i in evidence_checklist(Problem.WRONG_ITEM))
    assert any("size label" in i for i in evidence_checklist(Problem.WRONG_ITEM))
    assert any("video" in i for i in evidence_checklist(Problem.DAMAGED))
    assert any("customs" in i for i in evidence_checklist(Problem.NOT_DELIVERED))


def test_chinese_seller_debit_card_no_chargeback_no_ecc(case, recon):
    g = guide_for_order(case, REFUND, recon, AS_OF)
    assert g.step("chargeback").status == NOT_APPLICABLE
    assert "debit" in g.step("chargeback").why.lower()
    assert g.step("ecc").status == NOT_APPLICABLE and "CN" in g.step("ecc").why
    assert g.step("mediation").status == NOT_APPLICABLE
    assert g.step("consumerconnect").status == TODO
    assert g.step("dispute").status == NOT_APPLICABLE  # refund already agreed, money missing


def test_credit_card_allows_chargeback_with_deadline_and_sources(case, recon):
    g = guide_for_order(case, LAMP, recon, AS_OF)
    step = g.step("chargeback")
    assert step.status == TODO
    assert any(c.rule_id == "chargeback_window" for c in step.sources)
    assert all(c.checked and c.source_title for c in step.sources)
    deadline = next(d for d in g.deadlines if d.kind == "chargeback_deadline")
    assert deadline.date == date(2026, 7, 8)  # delivered 10 March + 120 days


def test_credit_card_refund_not_received_waits_15_days(case, recon):
    _with(case, REFUND, payment_method="credit_card")
    g = guide_for_order(case, REFUND, recon, date(2026, 3, 10))
    step = g.step("chargeback")
    assert step.status == TODO and step.next_date == date(2026, 3, 17)  # 2 March + 15 days


def test_eu_seller_routes_to_ecc_and_paypal(case, recon):
    g = guide_for_order(case, SHOES, recon, AS_OF)
    assert g.step("ecc").status == TODO
    assert g.step("paypal").status == TODO
    assert g.step("chargeback").status == NOT_APPLICABLE
    assert g.step("mediation").status == NOT_APPLICABLE
    assert g.step("seller").status == DONE and g.step("dispute").status == DONE


def test_belgian_seller_routes_to_mediation_not_ecc(case, recon):
    g = guide_for_order(case, PARCEL, recon, AS_OF)
    assert g.step("mediation").status == TODO
    assert g.step("ecc").status == NOT_APPLICABLE and "Belgi" in g.step("ecc").why


def test_step_done_from_chronology_events(case, recon):
    from dossier_case import ev

    case.events.append(ev("formal_notice_sent", date(2026, 4, 10), LAMP, "Mise en demeure envoyée"))
    case.events.append(ev("support_chat", date(2026, 4, 1), LAMP, "Chat Now"))
    g = guide_for_order(case, LAMP, recon, AS_OF)
    assert g.step("help_centre").status == DONE
    notice = g.step("formal_notice")
    assert notice.status == DONE and notice.next_date == date(2026, 4, 24)


def test_dispute_window_closed_is_not_applicable_with_reason(case, recon):
    g = guide_for_order(case, LAMP, recon, AS_OF)  # delivered 10 March, window to 25 March
    assert g.step("dispute").status == NOT_APPLICABLE and "25 Mar 2026" in g.step("dispute").why
    g = guide_for_order(case, LAMP, recon, date(2026, 3, 20))
    assert g.step("dispute").status == TODO and g.step("dispute").next_date == date(2026, 3, 25)


def test_unknown_country_and_method_are_explained(case, recon):
    case.annotations[LAMP] = OrderAnnotation(LAMP, problem="damaged")
    g = guide_for_order(case, LAMP, recon, AS_OF)
    assert "not set" in g.step("ecc").why
    assert g.step("chargeback").next_action


def test_odr_platform_never_offered(case, recon):
    for oid in (LAMP, REFUND, SHOES, PARCEL):
        g = guide_for_order(case, oid, recon, AS_OF)
        text = json.dumps([[s.title, s.how, s.why, s.contact] for s in g.steps]).lower()
        assert "odr" not in text and "online dispute resolution" not in text
    assert rules.rule("odr_closed")["never_offer"] is True


def test_rules_file_has_source_and_check_date_everywhere():
    data = rules.load_rules()
    for section in ("rules", "contacts"):
        for key, r in data[section].items():
            assert r["checked"], key
            assert r["source"]["title"], key
    assert rules.contacts()["alibaba_phone"]["phone"] == "+86 571 8502 2088"
    assert rules.contacts()["head_office"]["address"] == [
        "Alibaba Group Holding Limited", "No. 969 West Wen Yi Road", "Yu Hang District", "Hangzhou 311121", "China"]
    assert rules.contacts()["platform_entity"]["caution"]  # user must confirm the address


def test_a_decided_dispute_is_not_escalated_and_an_overdue_refund_calls_for_the_formal_notice():
    """The sample's dispute granted 14,90 € on 18 June: no 'escalate if there is no agreement' after
    that; the refund is overdue and the help centre was asked, so the formal notice is due now."""
    from complaint.api.sample import sample_case_data
    from complaint.reconciliation.reconcile import reconcile

    case = sample_case_data()
    g = guide_for_order(case, "8116516504403817", reconcile(case, as_of=case.as_of), case.as_of)
    assert not [d for d in g.deadlines if d.kind == "dispute_escalation"]
    assert g.step("dispute").status == DONE and g.step("dispute").next_date is None
    notice = g.step("formal_notice")
    assert notice.status == TODO and notice.next_date == case.as_of and "14,90 €" in notice.why
    assert g.step("seller").why == "Message sent on 30 Jul 2026; answered on 31 Jul 2026."

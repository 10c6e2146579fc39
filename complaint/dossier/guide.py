"""The escalation guide for one order: the proven path, in order, with a status per step.

The path: contact the seller; open a dispute from "My orders"; the help-centre chat ("Chat Now"
on the order); for serious cases a registered letter to the head office; social media as an
extra lever; then the Belgian and EU options, routed by the seller's country and the payment
method (chargeback for credit cards only, PayPal dispute, formal notice, ConsumerConnect, the
European Consumer Centre for EU/EEA/UK sellers, the Belgian mediation service for Belgian
sellers).  The EU ODR platform is closed and never offered.

Each step says whether it is done, to do, or not applicable (and why), what to attach, the next
date to act, and the rules it relies on (source and check date from complaint/dossier/rules.json).
What is done and what is missing comes from the order's case view (complaint.dossier.view).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from ..fmt import day as fmt_day
from ..fmt import money as fmt_money
from ..i18n import N_, _
from ..records import PROBLEM_LABELS, PaymentMethod, Problem
from . import rules
from .deadlines import Deadline, deadlines
from .rules import Citation
from .view import CaseView, OrderView, ensure_view

DONE, TODO, NOT_APPLICABLE = "done", "todo", "not_applicable"
STATUS_LABELS = {DONE: N_("done"), TODO: N_("to do"), NOT_APPLICABLE: N_("not applicable")}

# AliExpress evidence list per problem type (help.aliexpress.com "How to provide evidence")
EVIDENCE_CHECKLIST: dict[Problem, tuple[str, ...]] = {
    Problem.DAMAGED: (N_("clear photos of the damage, close up and of the whole item"),
                      N_("photos of the outer packaging and the parcel label"),
                      N_("a video showing the fault, if the item does not work"),
                      N_("the carrier's damage report, if the parcel was damaged in transit")),
    Problem.MISSING_ITEM: (N_("a photo of everything received, laid out, with the packing list"),
                           N_("a photo of the parcel label showing the weight"),
                           N_("a screenshot of the order showing the missing item")),
    Problem.WRONG_ITEM: (N_("a photo of the item on a flat surface with a ruler"),
                         N_("a photo of the size label"),
                         N_("a screenshot of the listing (size chart, colour, model ordered)")),
    Problem.NOT_AS_DESCRIBED: (N_("a list of the specific differences from the listing"),
                               N_("clear photos or a video of each difference"),
                               N_("a screenshot of the listing as it was when you ordered")),
    Problem.SHORT_QUANTITY: (N_("a photo of all units received, counted and laid out"),
                             N_("a photo of the parcel label showing the weight"),
                             N_("a screenshot of the order showing the quantity ordered")),
    Problem.LATE: (N_("a screenshot of the tracking history"),
                   N_("the delivery time promised on the order page")),
    Problem.NOT_DELIVERED: (N_("a screenshot of the tracking history"),
                            N_("the official customs document, if customs held the parcel"),
                            N_("a written statement from the carrier or post office, if they have one")),
    Problem.REFUND_NOT_RECEIVED: (N_("a screenshot of the 'Refund completed' notice with its date and amount"),
                                  N_("bank statements covering the period since the refund (no credit)"),
                                  N_("the reconciliation extract from this dossier")),
}
COMMON_EVIDENCE = (N_("your chat messages with the seller (screenshots or export)"),)


@dataclass(frozen=True, slots=True)
class Step:
    key: str
    title: str
    how: str
    status: str
    why: str | None = None  # the reason for the status (always set when not applicable)
    attach: tuple[str, ...] = ()
    next_date: date | None = None
    next_action: str | None = None
    sources: tuple[Citation, ...] = ()
    contact: str | None = None

    @property
    def status_label(self) -> str:
        return _(STATUS_LABELS[self.status])


@dataclass(frozen=True, slots=True)
class Guide:
    order_id: str
    problem: str | None
    problem_label: str | None
    steps: tuple[Step, ...]
    deadlines: tuple[Deadline, ...]
    evidence_files: tuple[str, ...]
    disclaimer: str
    facts: OrderView | None = field(default=None, compare=False)  # the order's case view

    def step(self, key: str) -> Step:
        for s in self.steps:
            if s.key == key:
                return s
        raise KeyError(key)


def evidence_checklist(problem: Problem | None = None, view: OrderView | None = None) -> tuple[str, ...]:
    """What to attach for a problem type (or for the problem of an order's view)."""
    if view is not None and problem is None:
        problem = view.problem
    items = EVIDENCE_CHECKLIST.get(problem, ()) if problem else ()
    return tuple(_(i) for i in items + COMMON_EVIDENCE)


def _cite(*ids: str) -> tuple[Citation, ...]:
    return tuple(rules.citation(i) for i in ids)


def _first(dls: list[Deadline], *kinds: str) -> Deadline | None:
    hits = [d for d in dls if d.kind in kinds]
    return min(hits, key=lambda d: d.date) if hits else None


def guide_for_order(case, order_id: str, reconciliation, as_of: date | None = None, events=None,
                    view: CaseView | None = None) -> Guide:
    """The escalation guide for one order (see the module docstring), from the case ``view`` when
    given (else one is built from the case, the reconciliation and ``events``)."""
    as_of = as_of or (view.as_of if view is not None else case.today())
    view = ensure_view(view, case, reconciliation, as_of, events)
    f = view.order(order_id)
    dls = deadlines(case, reconciliation, as_of, order_ids=[order_id], view=view)
    checklist = evidence_checklist(f.problem)
    files = tuple(e.file_name for e in f.evidence)
    resolved = (view.reconciled and not f.missing and f.refund_agreed_on is not None
                and f.problem == Problem.REFUND_NOT_RECEIVED)
    steps = [
        _seller(f, as_of, checklist),
        _dispute(f, as_of, dls, checklist),
        _help_centre(f, as_of),
        _registered_letter(f, as_of),
        _social(f),
        _chargeback(f, as_of, dls),
        _paypal(f, as_of, dls),
        _formal_notice(f, as_of, dls),
        _consumerconnect(f),
        _ecc(f),
        _mediation(f),
    ]
    if resolved:
        steps = [s if s.status == DONE else _replace_status(s, NOT_APPLICABLE,
                                                            _("The refund has been agreed and nothing is missing."))
                 for s in steps]
    return Guide(order_id=order_id, problem=f.problem.value if f.problem else None,
                 problem_label=_(PROBLEM_LABELS[f.problem]) if f.problem else None,
                 steps=tuple(steps), deadlines=tuple(dls), evidence_files=files,
                 disclaimer=rules.disclaimer(), facts=f)


def _replace_status(step: Step, status: str, why: str) -> Step:
    from dataclasses import replace

    return replace(step, status=status, why=why, next_date=None, next_action=None)


def _done(f: OrderView, key: str) -> date | None:
    return f.steps_done.get(key)


def _seller(f: OrderView, as_of: date, checklist) -> Step:
    title = _("Contact the seller")
    how = _("Write to the seller from the order page (Contact seller / Message). Describe the problem, "
            "attach photos, and say what you want: a full refund, a partial refund or a replacement.")
    low = int(rules.value("follow_up_no_answer")[0])
    if f.last_out is not None:
        if f.awaiting_answer:
            return Step("seller", title, how, DONE, _("Message sent on {date}; no answer yet.", date=fmt_day(f.last_out)),
                        checklist, f.last_out + timedelta(days=low),
                        _("Send a follow-up if there is still no answer."), _cite("follow_up_no_answer"))
        return Step("seller", title, how, DONE, _("Message sent on {date}; answered on {answer}.",
                                                  date=fmt_day(f.last_out), answer=fmt_day(f.last_in)), checklist,
                    sources=_cite("follow_up_no_answer"))
    return Step("seller", title, how, TODO, _("No message to the seller is recorded for this order."), checklist,
                as_of, _("Send the seller message (see Letters)."), _cite("follow_up_no_answer"))


def _dispute(f: OrderView, as_of: date, dls, checklist) -> Step:
    title = _("Open a dispute on AliExpress")
    how = _("From \"My orders\", choose the order and \"Open dispute\". Pick the reason, upload the evidence, "
            "and state the outcome you expect: full refund, partial refund or replacement.")
    cites = _cite("aliexpress_dispute_window", "aliexpress_dispute_escalation", "evidence_list")
    if f.dispute_opened_on is not None:
        esc = _first(dls, "dispute_escalation")
        return Step("dispute", title, how, DONE, _("Dispute opened on {date}.", date=fmt_day(f.dispute_opened_on)), checklist,
                    esc.date if esc else None, esc.label if esc else None, cites)
    if f.problem == Problem.REFUND_NOT_RECEIVED and (f.refund_agreed_on or f.missing):
        return Step("dispute", title, how, NOT_APPLICABLE,
                    _("The refund was already agreed; what is missing is the money on your account."),
                    sources=cites)
    window = _first(dls, "dispute_window")
    if window is not None and window.date < as_of:
        return Step("dispute", title, how, NOT_APPLICABLE,
                    _("The dispute window closed on {date}; use the help-centre chat and the options below.",
                      date=fmt_day(window.date)), checklist, sources=cites)
    return Step("dispute", title, how, TODO,
                _("No dispute is recorded for this order.") if window else
                _("No dispute is recorded; check the protection countdown on the order page."),
                checklist, window.date if window else as_of,
                _("Open the dispute before the window closes.") if window else _("Open the dispute."), cites)


def _help_centre(f: OrderView, as_of: date) -> Step:
    title = _("Ask the help centre (\"Chat Now\")")
    how = _("On the order, use \"Chat Now\" (or Help centre > Contact us). The virtual assistant answers first: "
            "ask for a human agent, give the order number and the dispute result, and ask for a written answer.")
    contact = rules.contacts()["help_centre"]["url"]
    if d := _done(f, "help_centre"):
        return Step("help_centre", title, how, DONE, _("Contacted on {date}.", date=fmt_day(d)), sources=_cite("help_centre"),
                    contact=contact)
    if f.dispute_opened_on is not None:
        after = f.dispute_opened_on + timedelta(days=int(rules.value("aliexpress_dispute_escalation")))
    elif f.last_out is not None:
        after = f.last_out + timedelta(days=int(rules.value("follow_up_no_answer")[0]))
    else:
        after = None
    return Step("help_centre", title, how, TODO, _("Use it when the seller or the dispute does not solve the problem."),
                (_("the dispute number and its outcome"),), max(after, as_of) if after else None,
                _("Open the chat and paste the chat opener (see Letters)."),
                _cite("help_centre", "aliexpress_dispute_escalation"), contact)


def _registered_letter(f: OrderView, as_of: date) -> Step:
    title = _("Send a registered letter to the head office (serious cases)")
    office = rules.contacts()["head_office"]["address"]
    how = _("For a large amount or when the platform does not answer, send the formal notice by registered "
            "letter with acknowledgement of receipt to: {address}.", address=", ".join(office))
    if d := _done(f, "registered_letter"):
        return Step("registered_letter", title, how, DONE, _("Sent on {date}.", date=fmt_day(d)), sources=_cite("head_office"),
                    contact="\n".join(office))
    return Step("registered_letter", title, how, TODO,
                _("Optional: when the chat has not solved it. Keep the postal receipt."),
                (_("a copy of the formal notice"), _("the dossier summary")), None, None,
                _cite("head_office"), "\n".join(office))


def _social(f: OrderView) -> Step:
    title = _("Social media (extra lever)")
    how = _("A short, factual public post to AliExpress's official account, with the order number and the "
            "dispute status. Never share bank details, card numbers or your address there.")
    if d := _done(f, "social_media"):
        return Step("social_media", title, how, DONE, _("Posted on {date}.", date=fmt_day(d)))
    return Step("social_media", title, how, TODO, _("Optional, alongside the other steps."))


def _chargeback(f: OrderView, as_of: date, dls) -> Step:
    title = _("Card chargeback through your bank")
    how = _("Ask your card issuer to dispute the payment. Give the transaction date and amount, the reason, "
            "and proof that you tried to solve it with the seller and AliExpress.")
    cites = _cite("chargeback_debit_cards", "chargeback_window", "chargeback_credit_not_processed",
                  "chargeback_be_issuer")
    method = f.payment_method
    if d := _done(f, "chargeback"):
        return Step("chargeback", title, how, DONE, _("Requested on {date}.", date=fmt_day(d)), sources=cites)
    if method == PaymentMethod.DEBIT_CARD:
        return Step("chargeback", title, how, NOT_APPLICABLE,
                    _("Paid by debit card (Bancontact/Maestro): no chargeback right, only a goodwill gesture. "
                      "If your card is a Debit Mastercard or Visa Debit, ask your bank."), sources=cites)
    if method == PaymentMethod.PAYPAL:
        return Step("chargeback", title, how, NOT_APPLICABLE, _("Paid by PayPal: use the PayPal dispute instead."),
                    sources=cites)
    if method in (PaymentMethod.BANK_TRANSFER, PaymentMethod.PLATFORM_BALANCE, PaymentMethod.OTHER):
        return Step("chargeback", title, how, NOT_APPLICABLE,
                    _("Not paid by credit card: a chargeback applies to credit cards only."), sources=cites)
    attach = (_("the dispute result or refund confirmation"), _("your messages with the seller and AliExpress"),
              _("the bank statement line of the payment"))
    if method is None:
        return Step("chargeback", title, how, TODO,
                    _("Payment method not set for this order: a chargeback is possible with a credit card only."),
                    attach, None, _("Set the payment method on this order."), cites)
    deadline = _first(dls, "chargeback_deadline")
    opens = _first(dls, "chargeback_open")
    if deadline is not None and deadline.date < as_of:
        return Step("chargeback", title, how, NOT_APPLICABLE,
                    _("The card scheme window closed on {date}.", date=fmt_day(deadline.date)), sources=cites)
    if opens is not None and opens.date > as_of:
        return Step("chargeback", title, how, TODO, _("Paid by credit card; wait until {date} before filing.",
                                                      date=fmt_day(opens.date)), attach, opens.date, opens.label, cites)
    return Step("chargeback", title, how, TODO, _("Paid by credit card: a chargeback is possible."), attach,
                as_of, deadline.label if deadline else None, cites)


def _paypal(f: OrderView, as_of: date, dls) -> Step:
    title = _("PayPal dispute")
    how = _("In PayPal, open the payment and choose \"Report a problem\". Attach the same evidence.")
    cites = _cite("paypal_dispute_window")
    if f.payment_method != PaymentMethod.PAYPAL:
        return Step("paypal", title, how, NOT_APPLICABLE, _("Not paid with PayPal."), sources=cites)
    if d := _done(f, "paypal"):
        return Step("paypal", title, how, DONE, _("Opened on {date}.", date=fmt_day(d)), sources=cites)
    deadline = _first(dls, "paypal_deadline")
    if deadline is not None and deadline.date < as_of:
        return Step("paypal", title, how, NOT_APPLICABLE, _("The PayPal window closed on {date}.", date=fmt_day(deadline.date)),
                    sources=cites)
    return Step("paypal", title, how, TODO, _("Paid with PayPal: a PayPal dispute is possible."),
                (_("the dispute result or refund confirmation"),), deadline.date if deadline else as_of,
                deadline.label if deadline else None, cites)


def _formal_notice(f: OrderView, as_of: date, dls) -> Step:
    entity = rules.contacts()["platform_entity"]
    title = _("Formal notice (mise en demeure / ingebrekestelling)")
    how = _("A dated letter to the seller and to {entity} (confirm its current address in the terms of use) "
            "asking for the refund within {n} days. Legal interest runs from this notice.",
            entity=entity["name"], n=rules.value("formal_notice_deadline"))
    cites = _cite("formal_notice_deadline", "moratory_interest", "platform_entity")
    if d := _done(f, "formal_notice"):
        due = _first(dls, "formal_notice_due")
        return Step("formal_notice", title, how, DONE, _("Sent on {date}.", date=fmt_day(d)), (),
                    due.date if due else None, due.label if due else None, cites)
    overdue = [m for m in f.missing if m.state == "overdue"]
    if overdue and _done(f, "help_centre"):  # the refund is late and the platform was asked: act now
        return Step("formal_notice", title, how, TODO,
                    _("Refund of {amount} overdue since {date}, and the help centre has been asked: send the "
                      "formal notice now.", amount=fmt_money(overdue[0].outstanding.amount,
                                                             overdue[0].outstanding.currency),
                      date=fmt_day(overdue[0].due)),
                    (_("the dossier PDF"),), as_of, _("Send the formal notice (see Letters)."), cites, entity["name"])
    return Step("formal_notice", title, how, TODO, _("When the platform steps have not led to a refund."),
                (_("the dossier PDF"),), None, None, cites, entity["name"])


def _consumerconnect(f: OrderView) -> Step:
    title = _("Report on ConsumerConnect")
    how = _("Report the trader to the FPS Economy through ConsumerConnect. It can act against the trader "
            "(Economic Inspection) but does not recover your money.")
    cites = _cite("consumerconnect")
    if d := _done(f, "consumerconnect"):
        return Step("consumerconnect", title, how, DONE, _("Reported on {date}.", date=fmt_day(d)), sources=cites)
    return Step("consumerconnect", title, how, TODO, _("Possible for any trader, whatever its country."),
                (_("the consumer complaint text (see Letters)"), _("the dossier PDF")), None, None, cites,
                rules.contacts()["consumerconnect"]["url"])


def _ecc(f: OrderView) -> Step:
    title = _("European Consumer Centre Belgium")
    how = _("Free mediation with a trader in another EU country, Iceland, Norway or the UK, after you contacted "
            "the trader. Upload at most {n} documents (the ECC variant of the dossier).", n=rules.value("ecc_scope"))
    cites = _cite("ecc_scope")
    country = f.seller_country
    if d := _done(f, "ecc"):
        return Step("ecc", title, how, DONE, _("Filed on {date}.", date=fmt_day(d)), sources=cites)
    if country is None:
        return Step("ecc", title, how, NOT_APPLICABLE,
                    _("Seller country not set; the ECC only handles sellers in the EU/EEA or the UK."), sources=cites)
    if country in rules.rule("ecc_scope")["countries"]:
        return Step("ecc", title, how, TODO, _("The seller is in {country}: the ECC can help.", country=country),
                    (_("the ECC dossier (at most 8 files)"),), None, None, cites,
                    rules.contacts()["ecc_belgium"]["url"])
    if country == "BE":
        why = _("The seller is in Belgium: use the Belgian mediation service instead.")
    else:
        why = _("The seller is in {country}: the ECC only handles sellers in the EU/EEA or the UK.", country=country)
    return Step("ecc", title, how, NOT_APPLICABLE, why, sources=cites)


def _mediation(f: OrderView) -> Step:
    title = _("Consumer Mediation Service (Belgium)")
    how = _("Free mediation for disputes with traders established in Belgium.")
    cites = _cite("mediation_scope")
    if d := _done(f, "mediation"):
        return Step("mediation", title, how, DONE, _("Filed on {date}.", date=fmt_day(d)), sources=cites)
    if f.seller_country in rules.rule("mediation_scope")["countries"]:
        return Step("mediation", title, how, TODO, _("The seller is in Belgium: mediation is possible."),
                    (_("the dossier PDF"),), None, None, cites, rules.contacts()["mediation_service"]["url"])
    return Step("mediation", title, how, NOT_APPLICABLE,
                _("Only for sellers established in Belgium (seller country: {country}).",
                  country=f.seller_country or _("not set")), sources=cites)

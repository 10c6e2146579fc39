"""What the chronology's event kinds mean for an order: the vocabulary the case view reads.

Event kinds follow complaint.timeline.events.KINDS (message_out, support_chat, dispute_opened,
escalation, refund_promised, ...), plus the kinds users and the sample record by hand
(refund_completed_platform, bank_contact, ...).  The escalation steps are listed in
:data:`STEP_KINDS`: the guide marks a step done when one of its kinds exists for the order.
The facts of an order themselves, and the order picker, are in the case view (complaint.dossier.view).
"""

from __future__ import annotations

from ..records import Problem

OUT_MESSAGE = frozenset({"message_out", "reminder_sent", "message_sent", "seller_contacted"})
IN_MESSAGE = frozenset({"message_in", "message_received", "seller_replied", "platform_replied"})
DELIVERED = frozenset({"delivered", "confirmed_receipt", "received"})
COMPLETED = frozenset({"order_completed", "confirmed_receipt", "completed"})
PAID = frozenset({"paid", "payment"})
REFUND_AGREED = frozenset({"refund_promised", "proposal_accepted", "refund_completed", "refund_agreed",
                           "refund_completed_platform"})
DISPUTE_OPENED = frozenset({"dispute_opened", "escalation"})
DISPUTE_CLOSED = frozenset({"dispute_closed", "proposal_accepted", "refund_credited", "dispute_resolved"})
HELP_CENTRE = frozenset({"support_chat", "help_centre_chat"})
BANK_CONTACT = frozenset({"bank_contact", "bank_called", "bank_replied"})

# guide step -> event kinds that mean "done"
STEP_KINDS: dict[str, frozenset[str]] = {
    "seller": OUT_MESSAGE,
    "dispute": DISPUTE_OPENED,
    "help_centre": HELP_CENTRE,
    "registered_letter": frozenset({"registered_letter_sent"}),
    "social_media": frozenset({"social_media_post"}),
    "chargeback": frozenset({"chargeback_requested"}),
    "paypal": frozenset({"paypal_dispute_opened"}),
    "formal_notice": frozenset({"formal_notice_sent"}),
    "consumerconnect": frozenset({"consumerconnect_report"}),
    "ecc": frozenset({"ecc_complaint"}),
    "mediation": frozenset({"mediation_request"}),
}

CONFORMITY_PROBLEMS = frozenset({Problem.DAMAGED, Problem.MISSING_ITEM, Problem.WRONG_ITEM,
                                 Problem.NOT_AS_DESCRIBED, Problem.SHORT_QUANTITY})
